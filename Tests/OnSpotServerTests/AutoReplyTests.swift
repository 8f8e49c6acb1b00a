import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class AutoReplyTests: GraphTestCase {
    override func setUp() async throws {
        try await super.setUp()
        try await makeWhatsAppEndpoint()
    }

    func receive(from: String, id: String, at time: Date, text: String = "Bonjour") async throws {
        try await receiveWhatsApp(from: from, id: id, at: time, text: text)
    }

    func nycTime(_ text: String) -> Date { LocalDateTime.parse(text, in: TimeZone(identifier: "America/New_York")!)! }

    func testUnknownSendersAreAskedForTheirBookingReferenceOnce() async throws {
        try await receive(from: "4915112345678", id: "wamid.U1", at: nycTime("2026-06-10T10:00"))
        try await receive(from: "4915112345678", id: "wamid.U2", at: nycTime("2026-06-10T10:05"))
        XCTAssertEqual(graph.requests.count, 1)
        let text = ((graph.requests[0].json["text"] as? [String: Any])?["body"] as? String) ?? ""
        XCTAssertTrue(text.contains("référence de dossier") && text.contains("booking reference") && text.contains("referência de reserva"))
        XCTAssertEqual(graph.requests[0].json["to"] as? String, "4915112345678")
    }

    func testOutOfHoursOneReplyPerClosureWithTheLocalReopeningTime() async throws {
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        nyc.setHours(OpeningHours.everyDay(OpeningHours.parseSlots("09:00-18:00")!))
        try await nyc.save(on: app.db)
        let (_, trip) = try await registeredTraveller(phone: "+16505551234", language: "en", around: nycTime("2026-06-10T12:00"))
        XCTAssertNotNil(trip)
        try await receive(from: "16505551234", id: "wamid.N1", at: nycTime("2026-06-10T22:30"))
        try await receive(from: "16505551234", id: "wamid.N2", at: nycTime("2026-06-11T01:00"))
        XCTAssertEqual(graph.requests.count, 1, "one reply for the whole night")
        let text = ((graph.requests[0].json["text"] as? [String: Any])?["body"] as? String) ?? ""
        XCTAssertTrue(text.contains("back on Thursday 11 June at 09:00 (local time)"), text)
        XCTAssertTrue(text.contains("dial 911"))
        // The next night is another closure: another reply.
        try await receive(from: "16505551234", id: "wamid.N3", at: nycTime("2026-06-11T19:00"))
        XCTAssertEqual(graph.requests.count, 2)
        // Open: no automatic reply.
        try await receive(from: "16505551234", id: "wamid.N4", at: nycTime("2026-06-12T10:00"))
        XCTAssertEqual(graph.requests.count, 2)
        let open = try await CaseRecord.query(on: app.db).filter(\.$status == .new).count()
        XCTAssertEqual(open, 1, "the case waits for the opening")
    }

    func testAnAbusiveTravellerGetsThePolicyReplyAndTheAgencyIsTold() async throws {
        let (agency, _) = try await registeredTraveller(phone: "+16505551234", language: "fr", around: nycTime("2026-06-10T12:00"))
        let traveller = try await Traveller.query(on: app.db).first()!
        traveller.abusive = true
        try await traveller.save(on: app.db)
        try await receive(from: "16505551234", id: "wamid.A1", at: nycTime("2026-06-10T11:00"))
        XCTAssertEqual(graph.requests.count, 1)
        let text = ((graph.requests[0].json["text"] as? [String: Any])?["body"] as? String) ?? ""
        XCTAssertEqual(text, L10n.t("auto.abusive", .fr))
        let told = try await NotificationRecord.query(on: app.db).filter(\.$kind == .abusiveTravellerContact).first()
        XCTAssertEqual(told?.agencyID, agency.id)
        // The agency reads it on its dashboard; another agency does not.
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let dashboard = try await agent.get("/")
        XCTAssertTrue(dashboard.body.string.contains(#"data-kind="abusive_traveller_contact""#), dashboard.body.string)
        let other = try await makeAgency("B")
        try await makeUser("agent@b.example", role: .agencyAgent, agency: other)
        let otherAgent = try await signedIn("agent@b.example")
        let theirs = try await otherAgent.get("/")
        XCTAssertFalse(theirs.body.string.contains("abusive_traveller_contact"))
    }

    func testStopInAnyOfTheLanguagesEndsRecommendationsAtOnceWithAConfirmationAndKeepsTheHistory() async throws {
        let now = Date()
        let (agency, trip) = try await registeredTraveller(
            phone: "+16505551234", language: "pt", around: now, recommendations: true, alerts: true)
        // The same person on another trip of the agency.
        let draft = TripDraft(
            reference: "AUTO-2", destinationCodes: ["us-nyc"], departure: now.addingTimeInterval(40 * 86400), arrival: nil,
            returnDate: now.addingTimeInterval(45 * 86400), notes: nil,
            travellers: [TravellerDraft(firstName: "T", lastName: "R", phone: "+16505551234", language: "pt", consentsToRecommendations: true)])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: ["us-nyc"], now: Date(), purpose: .seed, defaultLanguage: .fr)
        else { throw Abort(.internalServerError) }
        let created = try await TripService.create(valid, agency: agency, userID: nil, consentSource: .api, on: app.db)
        let agencyID = try agency.requireID()
        let first = try await TripService.find(trip.requireID(), agencyID: agencyID, on: app.db)
        let later = try await TripService.find(created.requireID(), agencyID: agencyID, on: app.db)
        let people = [try XCTUnwrap(first).travellerLinks[0].$traveller.id, try XCTUnwrap(later).travellerLinks[0].$traveller.id]

        // A sentence with the word is a message, not a withdrawal.
        try await receive(from: "16505551234", id: "wamid.S0", at: now, text: "stop the car please")
        let v1 = try await Traveller.query(on: app.db).filter(\.$id ~~ people).filter(\.$consentRecommendations == true).count()
        XCTAssertEqual(v1, 2)
        let before = graph.requests.count

        try await receive(from: "16505551234", id: "wamid.S1", at: now.addingTimeInterval(60), text: "Arrêt !")
        let v2 = try await Traveller.query(on: app.db).filter(\.$id ~~ people).filter(\.$consentRecommendations == true).count()
        XCTAssertEqual(v2, 0, "every registration of the person, at once")
        let v2a = try await Traveller.query(on: app.db).filter(\.$id ~~ people).filter(\.$consentAlerts == true).count()
        XCTAssertEqual(v2a, 0, "STOP ends the alerts too: nothing more is sent unasked")
        XCTAssertEqual(graph.requests.count, before + 1)
        let text = ((graph.requests.last?.json["text"] as? [String: Any])?["body"] as? String) ?? ""
        XCTAssertEqual(text, L10n.t("auto.recommendations_stopped", .pt), "confirmed in the traveller's language")
        // Said again the same day (PARAR): nothing more to change, no second confirmation.
        try await receive(from: "16505551234", id: "wamid.S2", at: now.addingTimeInterval(120), text: "PARAR")
        XCTAssertEqual(graph.requests.count, before + 1)

        // The history: given when registered (through the portal, then the API), withdrawn by the word.
        let history = try await ConsentEvent.query(on: app.db).filter(\.$kind == .recommendations).sort(\.$createdAt).all()
        XCTAssertEqual(history.map(\.granted), [true, true, false, false])
        XCTAssertEqual(history.map(\.source), [.form, .api, .keyword, .keyword])
        let alertsHistory = try await ConsentEvent.query(on: app.db).filter(\.$kind == .alerts).sort(\.$createdAt).all()
        XCTAssertEqual(alertsHistory.map(\.granted), [true, false, false], "the API's registration did not consent")
        XCTAssertEqual(alertsHistory.map(\.source), [.form, .api, .keyword])
        for word in ["STOP", "stop.", "Arret", "Arrête !", "parar!", "Unsubscribe", "STOP ✋️"] { XCTAssertTrue(StopKeyword.matches(word), word) }
        for text in ["stop the car", "", "arrêtez tout ça", "nonstop", "Paré !"] { XCTAssertFalse(StopKeyword.matches(text), text) }
    }

    func registeredTraveller(
        phone: String, language: String, around time: Date, recommendations: Bool? = nil, alerts: Bool? = nil
    ) async throws -> (Agency, Trip) {
        let agency = try await makeAgency("A")
        let draft = TripDraft(
            reference: "AUTO-1", destinationCodes: ["us-nyc"], departure: time.addingTimeInterval(-2 * 86400), arrival: nil,
            returnDate: time.addingTimeInterval(6 * 86400), notes: nil,
            travellers: [
                TravellerDraft(
                    firstName: "T", lastName: "R", phone: phone, language: language, consentsToRecommendations: recommendations,
                    consentsToAlerts: alerts)
            ])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: ["us-nyc"], now: Date(), purpose: .seed,
                defaultLanguage: .fr)
        else { throw Abort(.internalServerError) }
        return (agency, try await TripService.create(valid, agency: agency, userID: nil, on: app.db))
    }
}
