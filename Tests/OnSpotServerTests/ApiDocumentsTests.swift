import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 16, documents: a CRM posts a confirmation to a trip, reads the segments found in it as proposals and accepts
/// some by index — the trip page's paste box and review, through the API, under the same rules.
final class ApiDocumentsTests: ServerTestCase {
    func documentsPath(_ tripID: String) -> String { "/api/v1/trips/\(tripID)/documents" }

    func testACrmPostsAVoucherAndAcceptsSomeOfItsProposals() async throws {
        let agency = try await makeAgency("Evasion")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul", reference: "ROY")
        let tripID = trip.id!.uuidString
        let posted = try await app.sendRequest(
            .POST, documentsPath(tripID), headers: apiHeaders(key), body: jsonBody(["title": "Carnet", "text": ExtractionReviewTests.carnet]))
        XCTAssertEqual(posted.status, .created, posted.body.string)
        let document = jsonObject(posted)
        let documentID = try XCTUnwrap(document["id"] as? String)
        XCTAssertEqual(posted.headers.first(name: .location), "\(documentsPath(tripID))/\(documentID)")
        let proposals = document["proposals"] as? [[String: Any]] ?? []
        XCTAssertEqual(proposals.compactMap { $0["title"] as? String }, ["TS 111 CDG → YUL", "TS 110 YUL → CDG", "Enterprise"])
        XCTAssertEqual(proposals.compactMap { $0["index"] as? Int }, [0, 1, 2])
        XCTAssertTrue(proposals.allSatisfy { $0["segmentID"] == nil }, "nothing accepted yet")
        let stored = try await PastedDocument.find(UUID(uuidString: documentID), on: app.db)
        XCTAssertEqual(stored?.text, ExtractionReviewTests.carnet, "kept verbatim")

        // The outbound flight and the car; then the same again (a retry) changes nothing.
        let acceptPath = "\(documentsPath(tripID))/\(documentID)/accept"
        let accepted = try await app.sendRequest(.POST, acceptPath, headers: apiHeaders(key), body: jsonBody(["proposals": [0, 2]]))
        XCTAssertEqual(accepted.status, .ok, accepted.body.string)
        let after = jsonObject(accepted)["proposals"] as? [[String: Any]] ?? []
        XCTAssertEqual(after.map { $0["segmentID"] != nil }, [true, false, true])
        let retried = try await app.sendRequest(.POST, acceptPath, headers: apiHeaders(key), body: jsonBody(["proposals": [2, 0, 2]]))
        XCTAssertEqual(retried.status, .ok)
        let segments = try await ItinerarySegment.query(on: app.db).filter(\.$trip.$id == trip.requireID()).all()
        XCTAssertEqual(segments.count, 2, "accepted once each")
        XCTAssertEqual(Set(segments.map(\.source)), [.extracted])

        // The itinerary as the segments API reads it: the accepted flight in Paris time, then the car.
        let itinerary = try await app.sendRequest(.GET, "/api/v1/trips/\(tripID)/segments", headers: apiHeaders(key))
        let items = jsonObject(itinerary)["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(items.compactMap { $0["title"] as? String }, ["TS 111 CDG → YUL", "Enterprise"])
        XCTAssertEqual(items.first?["startsAt"] as? String, "2026-10-02T13:10:00+02:00")
        XCTAssertEqual(items.first?["documentID"] as? String, documentID)
        XCTAssertEqual(items.first?["source"] as? String, "extracted")
        let read = try await app.sendRequest(.GET, "\(documentsPath(tripID))/\(documentID)", headers: apiHeaders(key))
        XCTAssertEqual((jsonObject(read)["proposals"] as? [[String: Any]])?.first?["segmentID"] as? String, items.first?["id"] as? String)

        // Wrong choices: none, an index the document does not have.
        for body in [["proposals": []], ["proposals": [3]], [:]] as [[String: Any]] {
            let res = try await app.sendRequest(.POST, acceptPath, headers: apiHeaders(key), body: jsonBody(body))
            XCTAssertEqual(res.status, .unprocessableEntity, "\(body)")
        }
        let blank = try await app.sendRequest(.POST, documentsPath(tripID), headers: apiHeaders(key), body: jsonBody(["text": " \n "]))
        XCTAssertEqual(blank.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(blank)["errors"] as? [[String: Any]])?.first?["field"] as? String, "text")
        let count = try await PastedDocument.query(on: app.db).count()
        XCTAssertEqual(count, 1)
    }

    func testAnotherAgencyOrAnotherTripFindsNothingAndACancelledTripTakesNoMore() async throws {
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        let keyA = try await makeApiKey(for: a)
        let keyB = try await makeApiKey(for: b)
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul")
        let otherTrip = try await makeTrip(for: a, departure: Date().addingTimeInterval(30 * 86400), destination: "ca-yul", reference: "T-2")
        let posted = try await app.sendRequest(
            .POST, documentsPath(trip.id!.uuidString), headers: apiHeaders(keyA), body: jsonBody(["text": ExtractionReviewTests.carnet]))
        let documentID = try XCTUnwrap(jsonObject(posted)["id"] as? String)
        let one = "\(documentsPath(trip.id!.uuidString))/\(documentID)"
        for (method, path, body) in [
            (HTTPMethod.POST, documentsPath(trip.id!.uuidString), ["text": "Hôtel"]), (.GET, one, nil), (.POST, "\(one)/accept", ["proposals": [0]])
        ] as [(HTTPMethod, String, [String: Any]?)] {
            let res = try await app.sendRequest(method, path, headers: apiHeaders(keyB), body: body.map { jsonBody($0) })
            XCTAssertEqual(res.status, .notFound, "agency B: \(method) \(path)")
        }
        let crossed = try await app.sendRequest(
            .POST, "\(documentsPath(otherTrip.id!.uuidString))/\(documentID)/accept", headers: apiHeaders(keyA), body: jsonBody(["proposals": [0]]))
        XCTAssertEqual(crossed.status, .notFound, "a document of one trip is not found under another")
        let none = try await ItinerarySegment.query(on: app.db).count()
        XCTAssertEqual(none, 0)

        try await TripService.cancel(trip, reason: "client", userID: nil, now: Date(), on: app.db)
        let late = try await app.sendRequest(.POST, "\(one)/accept", headers: apiHeaders(keyA), body: jsonBody(["proposals": [0]]))
        XCTAssertEqual(late.status, .conflict)
        let more = try await app.sendRequest(.POST, documentsPath(trip.id!.uuidString), headers: apiHeaders(keyA), body: jsonBody(["text": "x"]))
        XCTAssertEqual(more.status, .conflict)
    }
}
