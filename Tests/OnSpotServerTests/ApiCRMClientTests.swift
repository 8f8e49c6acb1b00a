import Fluent
import Foundation
import HTTPTypes
import OnSpotCRMClient
import OnSpotCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor

/// Issue 16's proof that the OpenAPI document is the contract: a CRM that knows OnSpot only through a client generated
/// from the served `openapi.yaml` (swift-openapi-generator, `Generated/CRMClient`) and a webhook receiver registers a
/// trip with its travellers, a flight and a stay, posts a voucher and accepts its proposals, is told by a signed
/// webhook when a case on the trip is resolved, and reads that case and its costs — over real HTTP, never the portal.
final class ApiCRMClientTests: ServerTestCase {
    var smtp: SMTPStandIn!

    override func setUp() async throws {
        try await super.setUp()
        smtp = try SMTPStandIn()
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
    }

    override func tearDown() async throws {
        smtp.stop()
        // The server listens on a real port for the generated client: it stops before the application does.
        if serving { await app.server.shutdown() }
        try await super.tearDown()
    }

    var serving = false

    /// The API key on every request, as a CRM's client would add it.
    struct BearerKey: ClientMiddleware {
        let key: String
        func intercept(
            _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
            next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
        ) async throws -> (HTTPResponse, HTTPBody?) {
            var request = request
            request.headerFields[.authorization] = "Bearer \(key)"
            return try await next(request, body, baseURL)
        }
    }

    /// The committed client was generated from the document the server serves today; after a change of the document,
    /// `scripts/generate-crm-client.sh` generates it again.
    func testTheClientWasGeneratedFromTheServedDocument() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let generatedFrom = try String(contentsOf: root.appendingPathComponent("Generated/CRMClient/openapi.yaml"), encoding: .utf8)
        XCTAssertEqual(
            generatedFrom.trimmingCharacters(in: .whitespacesAndNewlines), OpenAPIDocument.yaml.trimmingCharacters(in: .whitespacesAndNewlines),
            "the served OpenAPI document changed: run scripts/generate-crm-client.sh")
    }

    func testACRMDrivesATripFromRegistrationToTheResolvedCaseThroughTheGeneratedClient() async throws {
        let receiver = try await HookReceiver()
        let agency = try await makeAgency("Horizon")
        let key = try await makeApiKey(for: agency)
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        serving = true
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        let client = Client(
            serverURL: try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/api/v1")), transport: AsyncHTTPClientTransport(),
            middlewares: [BearerKey(key: key)])

        // The CRM registers its receiver and keeps the secret.
        let endpoint = try await client.createWebhookEndpoint(body: .json(.init(url: receiver.url))).created.body.json
        let secret = try XCTUnwrap(endpoint.secret)

        // A trip to Montréal with two travellers, registered once even when the CRM retries.
        let departure = Date().addingTimeInterval(10 * 86400).rounded()
        let input = Components.Schemas.TripInput(
            reference: "HZ-88412", destinations: ["ca-yul"], departure: departure, _return: departure.addingTimeInterval(8 * 86400),
            travellers: [
                traveller("Isabelle", "Roy", phone: "+33612345610"), traveller("Marc", "Roy", phone: "+33612345611")
            ])
        let created = try await client.createTrip(headers: .init(idempotencyKey: "crm-88412"), body: .json(input))
        let trip = try created.created.body.json
        let retried = try await client.createTrip(headers: .init(idempotencyKey: "crm-88412"), body: .json(input))
        XCTAssertEqual(try retried.created.body.json.id, trip.id)
        XCTAssertEqual(trip.travellers.count, 2)

        // Its flight and its stay, in local times.
        let paris = TimeZone(identifier: "Europe/Paris")!
        let flight = try await client.createSegment(
            path: .init(tripID: trip.id),
            body: .json(
                .init(
                    kind: .flight, title: "AF 342 Paris CDG → Montréal YUL", startsAt: local(departure, paris),
                    endsAt: local(departure.addingTimeInterval(7.5 * 3600), paris), timeZone: "Europe/Paris", supplier: "Air France",
                    confirmation: "AFX7Q2")))
        XCTAssertEqual(try flight.created.body.json.kind, .flight)
        let montreal = TimeZone(identifier: "America/Toronto")!
        let stay = try await client.createSegment(
            path: .init(tripID: trip.id),
            body: .json(
                .init(
                    kind: .stay, title: "Hôtel Le Germain", startsAt: local(departure.addingTimeInterval(86400), montreal),
                    endsAt: local(departure.addingTimeInterval(7 * 86400), montreal), timeZone: "America/Toronto", location: "Montréal")))
        XCTAssertEqual(try stay.created.body.json.kind, .stay)

        // The agent's carnet as a voucher: its proposals, all accepted.
        let document = try await client.createDocument(
            path: .init(tripID: trip.id), body: .json(.init(text: ExtractionReviewTests.carnet, title: "Carnet"))
        ).created.body.json
        XCTAssertEqual(document.proposals.map(\.title), ["TS 111 CDG → YUL", "TS 110 YUL → CDG", "Enterprise"])
        let accepted = try await client.acceptProposals(
            path: .init(tripID: trip.id, documentID: document.id), body: .json(.init(proposals: document.proposals.map(\.index)))
        ).ok.body.json
        XCTAssertTrue(accepted.proposals.allSatisfy { $0.segmentID != nil })
        let itinerary = try await client.listSegments(path: .init(tripID: trip.id)).ok.body.json.items
        XCTAssertEqual(itinerary.count, 5)
        // The airline's e-ticket as the PDF it came as (multipart): read, proposed, and kept verbatim.
        let pdf = try DocumentFilesTests.fixture("e-ticket.pdf")
        let filed = try await client.createDocument(
            path: .init(tripID: trip.id),
            body: .multipartForm([
                .file(.init(payload: .init(body: HTTPBody(pdf)), filename: "e-ticket.pdf")),
                .title(.init(payload: .init(body: HTTPBody("Billets AF"))))
            ])
        ).created.body.json
        XCTAssertEqual(filed.file?.kind, .pdf)
        XCTAssertEqual(filed.proposals.map(\.title), ["AF 90 CDG → MIA", "AF 95 MIA → CDG"])
        let original = try await client.getDocumentFile(path: .init(tripID: trip.id, documentID: filed.id)).ok.body.pdf
        let downloaded = try await Data(collecting: original, upTo: 1 << 20)
        XCTAssertEqual(downloaded, pdf)

        // On OnSpot's side: the traveller writes, an expert books a replacement car and resolves the case.
        let record = try await openCase(tripID: try XCTUnwrap(UUID(uuidString: trip.id)), agency: agency)
        let expert = try await signedInExpert(for: record)
        let cost = try await expert.post(
            "/console/cases/\(record.id!)/costs",
            form: ["domain": "car_rental", "supplier": "Enterprise YUL", "purpose": "Replacement car", "currency": "CAD", "amount": "80"])
        XCTAssertEqual(cost.status, .seeOther, cost.body.string)
        let resolved = try await expert.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Voiture remplacée chez Enterprise YUL."])
        XCTAssertEqual(resolved.status, .seeOther, resolved.body.string)

        // The CRM is told, signed with its secret, and reads the case and its costs.
        func resolution() -> HookReceiver.Hit? {
            receiver.hits.first { hit in
                (try? JSONSerialization.jsonObject(with: hit.body) as? [String: Any])?["type"] as? String == "case.resolved"
            }
        }
        for _ in 0..<500 where resolution() == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        let hit = try XCTUnwrap(resolution())
        let timestamp = try XCTUnwrap(hit.timestamp.flatMap(Int.init))
        XCTAssertEqual(hit.signature, AgencyWebhooks.signature(secret: secret, timestamp: timestamp, body: hit.body))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let event = try decoder.decode(Components.Schemas.CaseResolvedEvent.self, from: hit.body)
        XCTAssertEqual(event.value1._type, "case.resolved")
        XCTAssertEqual(event.value2.data?.tripId, trip.id)
        let caseID = try XCTUnwrap(event.value2.data?.caseID)
        let read = try await client.getCase(path: .init(caseID: caseID)).ok.body.json
        XCTAssertEqual(read.status, .resolved)
        XCTAssertEqual(read.resolutionSummary, "Voiture remplacée chez Enterprise YUL.")
        XCTAssertEqual(read.costs.map(\.supplier), ["Enterprise YUL"])
        XCTAssertEqual(read.costs.first?.amountMinor, 8_000)
        let ofTrip = try await client.listCases(query: .init(trip: trip.id)).ok.body.json.items
        XCTAssertEqual(ofTrip.map(\.id), [caseID])
        try await receiver.stop()
    }

    func traveller(_ first: String, _ last: String, phone: String) -> Components.Schemas.TripInput.TravellersPayloadPayload {
        .init(
            value1: .init(firstName: first, lastName: last, phone: .init(value2: phone), language: .fr),
            value2: .init(firstName: first, lastName: last))
    }

    func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// A traveller of the trip writes to OnSpot: the case the expert works on.
    func openCase(tripID: UUID, agency: Agency) async throws -> CaseRecord {
        let trip = try await Trip.query(on: app.db).filter(\.$id == tripID).with(\.$travellerLinks).first()
        let place = try await DestinationRecord.query(on: app.db).filter(\.$code == "ca-yul").first()
        let c = CaseRecord()
        c.agencyID = agency.id; c.tripID = tripID; c.travellerID = trip?.travellerLinks.first?.$traveller.id
        c.destinationID = place?.id; c.category = .carRental; c.priority = .normal; c.status = .inProgress
        c.safetyFlag = false; c.recordingRefused = false; c.openedAt = Date().addingTimeInterval(-3600)
        try await c.create(on: app.db)
        return c
    }

    func signedInExpert(for record: CaseRecord) async throws -> TestBrowser {
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try user.requireID()
        link.$destination.id = try XCTUnwrap(record.destinationID)
        try await link.create(on: app.db)
        let expert = try await signedIn("expert@onspot.example")
        _ = try await expert.get("/console/cases/\(record.id!)")
        return expert
    }
}

extension Date {
    /// To the second: what the API's date-times carry.
    fileprivate func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
