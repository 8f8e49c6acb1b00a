import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 16, key scopes: an agency gives a reporting tool a read-only key. It reads everything the agency's keys read,
/// may ask the computing operations (rights, conditions, extraction), and is refused with 403 — changing nothing — on
/// every operation that writes, whichever the route (the list is read from the server's own routes).
final class ApiKeyAccessTests: ServerTestCase {
    func testAReadOnlyKeyReadsAndComputesButWritesNothing() async throws {
        let agency = try await makeAgency("A")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let reader = try await makeApiKey(for: agency, access: .readOnly)
        let tripID = trip.id!.uuidString
        let id = UUID().uuidString

        let trips = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(reader))
        XCTAssertEqual(trips.status, .ok)
        let one = try await app.sendRequest(.GET, "/api/v1/trips/\(tripID)/segments", headers: apiHeaders(reader))
        XCTAssertEqual(one.status, .ok)
        let computed = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: apiHeaders(reader), body: jsonBody(["text": "Rien à voir ici."]))
        XCTAssertEqual(computed.status, .ok, "computing stores nothing: allowed")

        var writes = 0
        for route in app.routes.all where route.method != .GET && route.method != .HEAD {
            let path =
                "/"
                + route.path.map { component -> String in
                    guard case .parameter(let name) = component else { return component.description }
                    return name == "tripID" ? tripID : id
                }.joined(separator: "/")
            guard path.hasPrefix("/api/v1/"), !ApiKeyAccess.computingPaths.contains(path) else { continue }
            let res = try await app.sendRequest(route.method, path, headers: apiHeaders(reader), body: jsonBody(["title": "x"]))
            XCTAssertEqual(res.status, .forbidden, "\(route.method) \(path)")
            XCTAssertEqual(jsonObject(res)["type"] as? String, "https://onspot.example/problems/read-only-key", path)
            writes += 1
        }
        XCTAssertGreaterThanOrEqual(writes, 11, "every writing operation was tried")
        let segments = try await ItinerarySegment.query(on: app.db).count()
        let documents = try await PastedDocument.query(on: app.db).count()
        let stored = try await Trip.find(trip.id, on: app.db)
        XCTAssertEqual(segments + documents, 0)
        XCTAssertEqual(stored?.status, .booked, "not cancelled")
    }

    func testAnAdminCreatesAReadOnlyKeyInThePortal() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@a.example")
        let bad = try await browser.post("/api-keys", form: ["name": "BI", "access": "admin"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains(#"id="access-error""#))
        let created = try await browser.post("/api-keys", form: ["name": "BI", "access": "read_only"])
        XCTAssertEqual(created.status, .created, created.body.string)
        let html = created.body.string
        XCTAssertTrue(html.contains(#"data-access="read_only""#) && html.contains("Lecture seule (rapports, exports)"))
        let range = try XCTUnwrap(html.range(of: #"osk_[A-Za-z0-9_-]{40,}"#, options: .regularExpression))
        let secret = String(html[range])
        let refused = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(secret), body: jsonBody(["reference": "X", "destinations": ["us-nyc"]]))
        XCTAssertEqual(refused.status, .forbidden)
        let read = try await app.sendRequest(.GET, "/api/v1/cases", headers: apiHeaders(secret))
        XCTAssertEqual(read.status, .ok)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.apiKeyCreated.rawValue).first()
        XCTAssertEqual(audit?.details["access"], "read_only")
    }
}
