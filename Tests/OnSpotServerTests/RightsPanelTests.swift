import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class RightsPanelTests: GraphTestCase {
    var agency: Agency!
    var record: CaseRecord!
    let departure = Date().addingTimeInterval(3 * 86400).roundedToQuarterHour()

    /// A Portuguese-speaking traveller on an Air France flight to New York, whose case is open on WhatsApp.
    override func setUp() async throws {
        try await super.setUp()
        agency = try await makeAgency("A")
        let trip = try await makeTrip(for: agency, departure: departure)
        let traveller = try XCTUnwrap(trip.travellerLinks.first).traveller
        traveller.language = .pt
        try await traveller.save(on: app.db)
        try await ItinerarySegment(
            tripID: trip.requireID(), kind: .flight, title: "AF 006 Paris CDG → New York JFK", startsAt: departure,
            endsAt: departure.addingTimeInterval(8.5 * 3600), timeZone: "America/New_York", supplier: "Air France",
            confirmation: "K7XQ2P"
        ).create(on: app.db)
        let doc = PastedDocument()
        doc.$trip.id = try trip.requireID()
        doc.title = "Confirmation"
        doc.text = "Votre séjour réservé sur lastminute.com – dossier 88231"
        doc.createdAt = Date()
        try await doc.create(on: app.db)
        record = try await openCase()
        record.agencyID = agency.id
        record.tripID = trip.id
        record.travellerID = traveller.id
        try await record.save(on: app.db)
    }

    var panel: String { "/console/cases/\(record.id!)/rights" }

    func query(_ fields: [String: String]) -> String {
        var c = URLComponents()
        c.queryItems = (["assess": "1"].merging(fields) { $1 }).sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return panel + "?" + (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    func testThePanelOpensPrefilledFromTheFlightAndTheDocuments() async throws {
        let expert = try await expert(covering: ["us-nyc"])
        let page = try await expert.get(panel)
        XCTAssertEqual(page.status, .ok)
        let html = page.body.string
        XCTAssertTrue(html.contains(#"name="journey" value="CDG JFK""#), html)
        XCTAssertTrue(html.contains(#"name="carrier" value="AF""#))
        let paris = TimeZone(identifier: "Europe/Paris")!
        XCTAssertTrue(html.contains(#"name="scheduledDeparture" value="\#(LocalDateTime.iso8601(departure, in: paris))""#), "departure in CDG's zone")
        XCTAssertTrue(
            html.contains(#"<option value="lastminute-sejour:traveller_cancellation" selected>"#), "the pack named in the pasted confirmation")
        let casePage = try await expert.get("/console/cases/\(record.id!)")
        XCTAssertTrue(casePage.body.string.contains(#"href="/console/cases/\#(record.id!)/rights""#), "the case links to its panel")
    }

    func testTheExpertAdjustsTheFactsSeesTheAnswerAndSendsALocalisedSummary() async throws {
        let expert = try await expert(covering: ["us-nyc"])
        let paris = TimeZone(identifier: "Europe/Paris")!, newYork = TimeZone(identifier: "America/New_York")!
        let arrival = departure.addingTimeInterval(8.5 * 3600)
        let answer = try await expert.get(
            query([
                "journey": "CDG JFK", "carrier": "AF", "event": "delay",
                "scheduledDeparture": LocalDateTime.iso8601(departure, in: paris), "scheduledArrival": LocalDateTime.iso8601(arrival, in: newYork),
                "actualArrival": LocalDateTime.iso8601(arrival.addingTimeInterval(5 * 3600), in: newYork), "cause": "technical",
                "packEvent": "mnk-weopera:traveller_cancellation", "eventDate": "2026-06-20", "departure": "2026-07-01", "price": "2000"
            ]))
        XCTAssertEqual(answer.status, .ok, answer.body.string)
        let html = answer.body.string
        XCTAssertTrue(html.contains(#"<tr data-regime="EU261" class="applies">"#), html)
        XCTAssertTrue(html.contains("600 EUR"), "EU261 art. 7: more than 3,500 km and 5 hours late")
        XCTAssertTrue(html.contains("13.1.b"), "MNK cancellation within 30 days")
        XCTAssertTrue(html.contains("Seus direitos para o voo CDG → JFK (atraso)"), "the summary is in the traveller's Portuguese")
        let named = "Condições da sua reserva (MNK Leisure (weopera.com): pacotes de viagem e ingressos para espetáculos)"
        XCTAssertTrue(html.contains(named), "the conditions named in Portuguese")
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "case.rights_summary_sent").count()
        XCTAssertEqual(audited, 0)

        let sent = try await expert.post("\(panel)/send", form: ["text": "Seus direitos: indenização de EUR 600,00 (art. 7)."])
        XCTAssertEqual(sent.status, .seeOther)
        try await self.sent()
        let request = try XCTUnwrap(graph.requests.first)
        XCTAssertEqual(((request.json["text"] as? [String: Any])?["body"] as? String), "Seus direitos: indenização de EUR 600,00 (art. 7).")
        let message = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).first()
        let author = try await User.query(on: app.db).filter(\.$email == "expert@onspot.example").first()
        XCTAssertEqual(message?.authorID, author?.id)
        let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "case.rights_summary_sent").count()
        XCTAssertEqual(entries, 1)
    }

    func testBadFactsGetPreciseErrorsAndNothingIsSent() async throws {
        let expert = try await expert(covering: ["us-nyc"])
        let unknown = try await expert.get(
            query([
                "journey": "CDG QQQ", "scheduledDeparture": "2026-07-01T10:00:00+02:00",
                "scheduledArrival": "2026-07-01T13:00:00-04:00", "actualArrival": "2026-07-01T14:00:00-04:00"
            ]))
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        XCTAssertTrue(unknown.body.string.contains("Code d&#39;aéroport IATA inconnu « QQQ »."), "in the expert's language: \(unknown.body.string)")
        let badDate = try await expert.get(
            query([
                "journey": "CDG JFK", "scheduledDeparture": "tomorrow", "scheduledArrival": "2026-07-01T13:00:00-04:00",
                "actualArrival": "2026-07-01T14:00:00-04:00"
            ]))
        XCTAssertEqual(badDate.status, .unprocessableEntity)
        XCTAssertTrue(badDate.body.string.contains(#"id="scheduledDeparture-error""#))
        let badChoice = try await expert.get(query(["journey": "CDG JFK", "event": "lost_luggage"]))
        XCTAssertEqual(badChoice.status, .unprocessableEntity)
        XCTAssertTrue(badChoice.body.string.contains(#"id="event-error""#))
        let huge = try await expert.get(query(["journey": String(repeating: "CDG ", count: 100)]))
        XCTAssertEqual(huge.status, .unprocessableEntity)
        XCTAssertTrue(huge.body.string.contains("200 caractères au plus."), "in the expert's language")
        let noEvent = try await expert.get(query(["packEvent": "mnk-weopera:lost_luggage"]))
        XCTAssertEqual(noEvent.status, .unprocessableEntity)
        XCTAssertTrue(noEvent.body.string.contains("Événement inconnu dans ces conditions."), "in the expert's language: \(noEvent.body.string)")
        let missingPrice = try await expert.get(
            query([
                "packEvent": "mnk-weopera:traveller_cancellation", "eventDate": "2026-06-20",
                "departure": "2026-07-01", "price": "deux mille"
            ]))
        XCTAssertEqual(missingPrice.status, .unprocessableEntity)
        XCTAssertTrue(missingPrice.body.string.contains("Montant attendu"))
        let empty = try await expert.post("\(panel)/send", form: ["text": "  "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("Écrivez un texte, ou choisissez un modèle"), empty.body.string)
        let tooLong = try await expert.post("\(panel)/send", form: ["text": String(repeating: "a", count: 5000)])
        XCTAssertEqual(tooLong.status, .unprocessableEntity)
        let forged = try await expert.post("\(panel)/send", form: ["text": "Hello"], csrf: "forged")
        XCTAssertEqual(forged.status, .forbidden)
        let count = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).count()
        XCTAssertEqual(count, 0)
    }

    func testAClosedWindowIsExplainedOnThePanel() async throws {
        let conversation = try await Conversation.find(record.conversationID, on: app.db)!
        conversation.lastInboundAt = Date().addingTimeInterval(-25 * 3600)
        try await conversation.save(on: app.db)
        let expert = try await expert(covering: ["us-nyc"])
        let refused = try await expert.post("\(panel)/send", form: ["text": "Seus direitos…"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("date de plus de 24 heures : seul un modèle approuvé"), refused.body.string)
        XCTAssertTrue(refused.body.string.contains("Seus direitos…"), "the text is kept for a template or a later try")
    }

    func testOnlyExpertsCoveringTheDestinationAndOnlyTheAgencysOwnPacks() async throws {
        let other = try await makeAgency("B")
        let pack = AgencyRulePack()
        pack.$agency.id = try other.requireID()
        pack.packID = "hotel-soleil"
        pack.title = "Hôtel Soleil"
        pack.yaml = RulePackPortalTests.supplierPack
        pack.createdAt = Date()
        try await pack.create(on: app.db)
        let rio = try await expert(covering: ["br-rio"])
        let hidden = try await rio.get(panel)
        XCTAssertEqual(hidden.status, .notFound)
        let hiddenSend = try await rio.post("\(panel)/send", form: ["text": "Hello"])
        XCTAssertEqual(hiddenSend.status, .notFound)
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let agentPanel = try await agent.get(panel)
        XCTAssertEqual(agentPanel.status, .notFound, "agencies have no console")
        try await makeUser("nyc@onspot.example", role: .expert, agency: nil)
        let nycUser = try await User.query(on: app.db).filter(\.$email == "nyc@onspot.example").first()!
        let link = ExpertDestination()
        link.$user.id = try nycUser.requireID()
        link.$destination.id = record.destinationID!
        try await link.create(on: app.db)
        let nyc = try await signedIn("nyc@onspot.example")
        let page = try await nyc.get(panel)
        XCTAssertEqual(page.status, .ok)
        XCTAssertFalse(page.body.string.contains("hotel-soleil"), "agency B's own pack is not offered on agency A's case")
        let ownUse = try await nyc.get(
            query([
                "packEvent": "hotel-soleil:traveller_cancellation", "eventDate": "2026-06-20",
                "departure": "2026-07-01", "price": "100"
            ]))
        XCTAssertEqual(ownUse.status, .unprocessableEntity)
        XCTAssertTrue(ownUse.body.string.contains("Conditions de vente inconnues."), ownUse.body.string)
        let count = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).count()
        XCTAssertEqual(count, 0)
    }
}
