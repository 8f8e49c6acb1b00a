import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// `ETag`/`If-Match` on trips and travellers (issue 16): two systems changing the same trip or traveller cannot
/// overwrite each other, whichever way the other change came (the API, the portal, an erasure).
final class ApiPreconditionTests: ServerTestCase {
    func headers(_ key: String, ifMatch: String?) -> HTTPHeaders {
        var h = apiHeaders(key)
        if let ifMatch { h.replaceOrAdd(name: .ifMatch, value: ifMatch) }
        return h
    }

    func createTrip(_ key: String) async throws -> (id: String, etag: String, traveller: String) {
        let departure = Date().addingTimeInterval(10 * 86400)
        let res = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(key),
            body: jsonBody([
                "reference": "CRM-1", "destinations": ["us-nyc"], "departure": isoString(departure),
                "return": isoString(departure.addingTimeInterval(7 * 86400)),
                "travellers": [["firstName": "Chloé", "lastName": "Mercier", "phone": "+33612345610", "language": "fr"]]
            ]))
        XCTAssertEqual(res.status, .created, res.body.string)
        let body = jsonObject(res)
        let traveller = ((body["travellers"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
        return (body["id"] as? String ?? "", res.headers.first(name: .eTag) ?? "", traveller)
    }

    func testATripChangesOnlyAsLastReadWhoeverChangedItMeanwhile() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let (id, created, _) = try await createTrip(key)
        let read = try await app.sendRequest(.GET, "/api/v1/trips/\(id)", headers: apiHeaders(key))
        let etag = try XCTUnwrap(read.headers.first(name: .eTag))
        XCTAssertEqual(etag, created, "the creation's ETag is the trip's")

        // A stale or made-up ETag changes nothing.
        let wrong = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: headers(key, ifMatch: "\"nope\""), body: jsonBody(["notes": "from CRM B"]))
        XCTAssertEqual(wrong.status, .preconditionFailed)
        XCTAssertEqual(jsonObject(wrong)["type"] as? String, "https://onspot.example/problems/precondition-failed")
        // The right one applies, and answers the new ETag.
        let first = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: headers(key, ifMatch: etag), body: jsonBody(["notes": "from CRM A"]))
        XCTAssertEqual(first.status, .ok, first.body.string)
        let next = try XCTUnwrap(first.headers.first(name: .eTag))
        XCTAssertNotEqual(next, etag)
        // A second system that read before: refused, the first change stays.
        let late = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: headers(key, ifMatch: etag), body: jsonBody(["notes": "from CRM B"]))
        XCTAssertEqual(late.status, .preconditionFailed)
        let stored = try await Trip.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(stored?.notes, "from CRM A")

        // A save that changes nothing keeps the ETag (no spurious 412).
        let found = try await Trip.find(UUID(uuidString: id), on: app.db)
        let unchanged = try XCTUnwrap(found)
        try await unchanged.save(on: app.db)
        let reread = try await app.sendRequest(.GET, "/api/v1/trips/\(id)", headers: apiHeaders(key))
        XCTAssertEqual(reread.headers.first(name: .eTag), next)
        // A change in the portal (any save of the trip) makes the ETag read before stale too.
        let trip = try XCTUnwrap(stored)
        trip.notes = "from the portal"
        try await trip.save(on: app.db)
        let afterPortal = try await app.sendRequest(
            .POST, "/api/v1/trips/\(id)/cancel", headers: headers(key, ifMatch: next), body: jsonBody(["reason": "client"]))
        XCTAssertEqual(afterPortal.status, .preconditionFailed)
        let stillBooked = try await Trip.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(stillBooked?.status, .booked)
        // Without If-Match, the last write wins as before; `*` matches whatever the trip is.
        let fresh = try await app.sendRequest(.GET, "/api/v1/trips/\(id)", headers: apiHeaders(key))
        let cancel = try await app.sendRequest(
            .POST, "/api/v1/trips/\(id)/cancel", headers: headers(key, ifMatch: "\"other\", " + (fresh.headers.first(name: .eTag) ?? "")),
            body: jsonBody(["reason": "client"]))
        XCTAssertEqual(cancel.status, .ok, cancel.body.string)
        XCTAssertNotNil(cancel.headers.first(name: .eTag))
        // Malformed: 400, not 412.
        let huge = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: headers(key, ifMatch: String(repeating: "x", count: 1001)), body: jsonBody(["notes": "x"]))
        XCTAssertNotEqual(huge.status, .ok)

        // Another agency's trip is not found whatever the If-Match.
        let otherKey = try await makeApiKey(for: try await makeAgency("B"))
        let foreign = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: headers(otherKey, ifMatch: "*"), body: jsonBody(["notes": "x"]))
        XCTAssertEqual(foreign.status, .notFound)
    }

    func testTwoChangesSentAtOnceWithTheSameETagCannotBothWin() async throws {
        let key = try await makeApiKey(for: try await makeAgency("A"))
        let (id, etag, _) = try await createTrip(key)
        let application = app!
        let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for n in 0..<6 {
                group.addTask {
                    var h = apiHeaders(key)
                    h.replaceOrAdd(name: .ifMatch, value: etag)
                    return try await application.sendRequest(.PATCH, "/api/v1/trips/\(id)", headers: h, body: jsonBody(["notes": "writer \(n)"]))
                        .status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == .ok }.count, 1, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == .preconditionFailed }.count, 5, "\(statuses)")
    }

    func testATravellerChangesOnlyAsLastReadAndAnErasureMakesEveryETagStale() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let (tripID, tripETag, travellerID) = try await createTrip(key)
        let read = try await app.sendRequest(.GET, "/api/v1/travellers/\(travellerID)", headers: apiHeaders(key))
        let etag = try XCTUnwrap(read.headers.first(name: .eTag))
        let changed = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: headers(key, ifMatch: etag), body: jsonBody(["email": "chloe@example.com"]))
        XCTAssertEqual(changed.status, .ok, changed.body.string)
        let newETag = try XCTUnwrap(changed.headers.first(name: .eTag))
        let again = try await app.sendRequest(.GET, "/api/v1/travellers/\(travellerID)", headers: apiHeaders(key))
        XCTAssertEqual(again.headers.first(name: .eTag), newETag, "the answer's ETag is the stored traveller's")
        let stale = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: headers(key, ifMatch: etag), body: jsonBody(["email": "old@example.com"]))
        XCTAssertEqual(stale.status, .preconditionFailed)
        // The same values again with the current ETag: allowed, and the ETag still names what is stored.
        let same = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: headers(key, ifMatch: newETag), body: jsonBody(["email": "chloe@example.com"]))
        XCTAssertEqual(same.status, .ok)
        let sameETag = try XCTUnwrap(same.headers.first(name: .eTag))
        let reread = try await app.sendRequest(.GET, "/api/v1/travellers/\(travellerID)", headers: apiHeaders(key))
        XCTAssertEqual(reread.headers.first(name: .eTag), sameETag)

        // An erasure (through the API here) changes the traveller and the trip: ETags read before are stale.
        let erased = try await app.sendRequest(.POST, "/api/v1/travellers/\(travellerID)/erasure", headers: apiHeaders(key))
        XCTAssertEqual(erased.status, .ok, erased.body.string)
        let afterErasure = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: headers(key, ifMatch: sameETag), body: jsonBody(["firstName": "Chloé"]))
        XCTAssertEqual(afterErasure.status, .preconditionFailed)
        let tripAfter = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(tripID)", headers: headers(key, ifMatch: tripETag), body: jsonBody(["notes": "back"]))
        XCTAssertEqual(tripAfter.status, .preconditionFailed)
    }
}
