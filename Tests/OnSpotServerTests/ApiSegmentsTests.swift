import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 16, itinerary segments: a CRM keeps a trip's itinerary through the API under the portal's rules, with
/// field-by-field errors, idempotent creation, and `ETag`/`If-Match` so that two systems do not overwrite each other.
final class ApiSegmentsTests: ServerTestCase {
    func segmentsPath(_ trip: Trip) -> String { "/api/v1/trips/\(trip.id!.uuidString)/segments" }

    func testCreateListReadUpdateAndDeleteASegment() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let flight: [String: Any] = [
            "kind": "flight", "title": "AF 006 Paris CDG → New York JFK", "startsAt": "2026-07-01T10:25", "endsAt": "2026-07-01T12:55",
            "timeZone": "America/New_York", "supplier": "Air France", "confirmation": "ABC123"
        ]
        let created = try await app.sendRequest(.POST, segmentsPath(trip), headers: apiHeaders(key), body: jsonBody(flight))
        XCTAssertEqual(created.status, .created, created.body.string)
        let segment = jsonObject(created)
        let id = try XCTUnwrap(segment["id"] as? String)
        XCTAssertEqual(created.headers.first(name: .location), "\(segmentsPath(trip))/\(id)")
        XCTAssertEqual(segment["startsAt"] as? String, "2026-07-01T10:25:00-04:00", "local time in the segment's zone, with its offset")
        XCTAssertEqual(segment["source"] as? String, "manual")
        let stored = try await ItinerarySegment.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(stored?.startsAt, ISO8601DateFormatter().date(from: "2026-07-01T14:25:00Z"))

        // A stay without a zone is in the trip's final destination's; an explicit offset is read as that instant.
        let stay = try await app.sendRequest(
            .POST, segmentsPath(trip), headers: apiHeaders(key),
            body: jsonBody(["kind": "stay", "title": "Hotel Edison", "startsAt": "2026-06-28T15:00:00+02:00", "location": "228 W 47th St"]))
        XCTAssertEqual(stay.status, .created, stay.body.string)
        XCTAssertEqual(jsonObject(stay)["timeZone"] as? String, "America/New_York")
        XCTAssertEqual(jsonObject(stay)["startsAt"] as? String, "2026-06-28T09:00:00-04:00")
        let train = try await app.sendRequest(
            .POST, segmentsPath(trip), headers: apiHeaders(key), body: jsonBody(["kind": "train", "title": "Amtrak 171 to Boston"]))
        XCTAssertEqual(train.status, .created, train.body.string)

        let list = try await app.sendRequest(.GET, segmentsPath(trip), headers: apiHeaders(key))
        XCTAssertEqual(list.status, .ok)
        let titles = (jsonObject(list)["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
        XCTAssertEqual(titles, ["Hotel Edison", "AF 006 Paris CDG → New York JFK", "Amtrak 171 to Boston"], "in the order of travel")

        let read = try await app.sendRequest(.GET, "\(segmentsPath(trip))/\(id)", headers: apiHeaders(key))
        XCTAssertEqual(read.status, .ok)
        let etag = try XCTUnwrap(read.headers.first(name: .eTag))
        XCTAssertEqual(etag, created.headers.first(name: .eTag), "the same segment, the same ETag")

        // A field left out keeps its value; an empty text clears an optional one.
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: .ifMatch, value: etag)
        let patched = try await app.sendRequest(
            .PATCH, "\(segmentsPath(trip))/\(id)", headers: headers, body: jsonBody(["endsAt": "2026-07-01T13:40", "confirmation": ""]))
        XCTAssertEqual(patched.status, .ok, patched.body.string)
        XCTAssertEqual(jsonObject(patched)["endsAt"] as? String, "2026-07-01T13:40:00-04:00")
        XCTAssertEqual(jsonObject(patched)["startsAt"] as? String, "2026-07-01T10:25:00-04:00")
        XCTAssertNil(jsonObject(patched)["confirmation"], "cleared")
        XCTAssertEqual(jsonObject(patched)["supplier"] as? String, "Air France")
        let newTag = try XCTUnwrap(patched.headers.first(name: .eTag))
        XCTAssertNotEqual(newTag, etag)

        // The other system still holds the old ETag: its change is refused and nothing moves.
        let stale = try await app.sendRequest(.PATCH, "\(segmentsPath(trip))/\(id)", headers: headers, body: jsonBody(["title": "Old view"]))
        XCTAssertEqual(stale.status, .preconditionFailed, stale.body.string)
        XCTAssertEqual(jsonObject(stale)["type"] as? String, "https://onspot.example/problems/precondition-failed")
        let staleDelete = try await app.sendRequest(.DELETE, "\(segmentsPath(trip))/\(id)", headers: headers)
        XCTAssertEqual(staleDelete.status, .preconditionFailed)
        let unchanged = try await ItinerarySegment.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(unchanged?.title, "AF 006 Paris CDG → New York JFK")

        // Changing the zone alone keeps the instants: the local times move with it.
        headers.replaceOrAdd(name: .ifMatch, value: newTag)
        let moved = try await app.sendRequest(
            .PATCH, "\(segmentsPath(trip))/\(id)", headers: headers, body: jsonBody(["timeZone": "Europe/Paris"]))
        XCTAssertEqual(moved.status, .ok, moved.body.string)
        XCTAssertEqual(jsonObject(moved)["startsAt"] as? String, "2026-07-01T16:25:00+02:00")
        let kept = try await ItinerarySegment.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(kept?.startsAt, ISO8601DateFormatter().date(from: "2026-07-01T14:25:00Z"))
        headers.replaceOrAdd(name: .ifMatch, value: try XCTUnwrap(moved.headers.first(name: .eTag)))
        let deleted = try await app.sendRequest(.DELETE, "\(segmentsPath(trip))/\(id)", headers: headers)
        XCTAssertEqual(deleted.status, .noContent)
        let gone = try await app.sendRequest(.GET, "\(segmentsPath(trip))/\(id)", headers: apiHeaders(key))
        XCTAssertEqual(gone.status, .notFound)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.tripUpdated.rawValue).count()
        XCTAssertEqual(audited, 6, "three added, two changed, one removed")

        // The portal shows what the API entered.
        let portal = try await signedIn(try await makeUser("agent@a.example", role: .agencyAgent, agency: agency).email)
        let page = try await portal.get("/trips/\(trip.id!.uuidString)")
        XCTAssertTrue(page.body.string.contains("Hotel Edison") && page.body.string.contains("Amtrak 171 to Boston"))
    }

    func testBadSegmentsGetFieldByFieldErrorsInTheCallersLanguage() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: .acceptLanguage, value: "pt-BR")
        let bad = try await app.sendRequest(
            .POST, segmentsPath(trip), headers: headers,
            body: jsonBody([
                "kind": "zeppelin", "title": "   ", "startsAt": "2026-02-30T10:00", "endsAt": "2026-03-01T10:00", "timeZone": "Mars/Olympus",
                "details": String(repeating: "x", count: 4001)
            ]))
        XCTAssertEqual(bad.status, .unprocessableEntity, bad.body.string)
        let errors = (jsonObject(bad)["errors"] as? [[String: Any]]) ?? []
        XCTAssertEqual(errors.compactMap { $0["field"] as? String }, ["kind", "title", "timeZone", "startsAt", "details"])
        XCTAssertEqual(errors.first { $0["field"] as? String == "timeZone" }?["message"] as? String, "Fuso horário desconhecido.")

        let backwards = try await app.sendRequest(
            .POST, segmentsPath(trip), headers: apiHeaders(key),
            body: jsonBody(["kind": "car_rental", "title": "Hertz JFK", "startsAt": "2026-07-05T10:00", "endsAt": "2026-07-01T10:00"]))
        XCTAssertEqual(backwards.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(backwards)["errors"] as? [[String: Any]])?.first?["message"] as? String, "La fin précède le début.")

        // A time inside New York's spring-forward gap does not exist; padded or non-ASCII digits are not a time.
        for text in ["2026-03-08T02:30", " 2026-07-01T10:00", "２０２６-07-01T10:00", "2026-07-01 10:00", "2026-07-01T10:00+25:00"] {
            let res = try await app.sendRequest(
                .POST, segmentsPath(trip), headers: apiHeaders(key),
                body: jsonBody(["kind": "transfer", "title": "Shuttle", "startsAt": text, "timeZone": "America/New_York"]))
            XCTAssertEqual(res.status, .unprocessableEntity, text)
        }
        let count = try await ItinerarySegment.query(on: app.db).count()
        XCTAssertEqual(count, 0, "nothing stored")
    }

    /// Two systems holding the same ETag send their change at the same moment: the database lets only one raise the
    /// segment's version from the one both read.
    func testOnlyOneOfTwoChangesFromTheSameVersionIsWritten() async throws {
        let agency = try await makeAgency("A")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let segment = ItinerarySegment(
            tripID: try trip.requireID(), kind: .stay, title: "Hotel", startsAt: nil, endsAt: nil, timeZone: nil, supplier: nil, confirmation: nil)
        try await segment.create(on: app.db)
        let readByOne = try await ItinerarySegment.find(segment.id, on: app.db)
        let readByOther = try await ItinerarySegment.find(segment.id, on: app.db)
        let first = try XCTUnwrap(readByOne)
        let second = try XCTUnwrap(readByOther)
        let firstWins = try await ApiSegmentsController.claim(first, on: app.db)
        let secondWins = try await ApiSegmentsController.claim(second, on: app.db)
        XCTAssertTrue(firstWins)
        XCTAssertFalse(secondWins, "the second read the version the first replaced")
        let stored = try await ItinerarySegment.find(segment.id, on: app.db)
        XCTAssertEqual(stored?.version, 1)
    }

    /// An erasure (or the retention purge) clears a segment's confirmation while a CRM holds its ETag: the CRM's change
    /// is refused, so it cannot write the erased value back.
    func testAnErasureMakesAnEarlierETagStale() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let created = try await app.sendRequest(
            .POST, segmentsPath(trip), headers: apiHeaders(key), body: jsonBody(["kind": "stay", "title": "Hotel", "confirmation": "ZX-12"]))
        let id = try XCTUnwrap(jsonObject(created)["id"] as? String)
        try await ItinerarySegment.erasePersonalFields(ofTrips: [try trip.requireID()], on: app.db)
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: .ifMatch, value: try XCTUnwrap(created.headers.first(name: .eTag)))
        let stale = try await app.sendRequest(
            .PATCH, "\(segmentsPath(trip))/\(id)", headers: headers, body: jsonBody(["title": "Hotel Edison", "confirmation": "ZX-12"]))
        XCTAssertEqual(stale.status, .preconditionFailed)
        let stored = try await ItinerarySegment.find(UUID(uuidString: id), on: app.db)
        XCTAssertNil(stored?.confirmation)
    }

    /// Foundation traps on some malformed "GMT+hh:mm" zone names; they must be refused before reaching it.
    func testAMalformedZoneNameIsRefusedNotCrashed() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        for zone in ["GMT+01:/0", "GMT+01:a0", "GMT+01:é0", "GMT+99:99", "Mars/Olympus"] {
            let res = try await app.sendRequest(
                .POST, segmentsPath(trip), headers: apiHeaders(key), body: jsonBody(["kind": "stay", "title": "Hotel", "timeZone": zone]))
            XCTAssertEqual(res.status, .unprocessableEntity, zone)
        }
        XCTAssertEqual(TimeZones.named("America/New_York")?.identifier, "America/New_York")
        XCTAssertEqual(TimeZones.named("UTC")?.secondsFromGMT(), 0)
    }

    func testIdempotencyKeyReplaysTheFirstSegment() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: "Idempotency-Key", value: "crm-seg-1")
        let body = ["kind": "activity", "title": "Broadway show"]
        let first = try await app.sendRequest(.POST, segmentsPath(trip), headers: headers, body: jsonBody(body))
        let again = try await app.sendRequest(.POST, segmentsPath(trip), headers: headers, body: jsonBody(body))
        XCTAssertEqual(first.status, .created)
        XCTAssertEqual(again.status, .created)
        XCTAssertEqual(again.headers.first(name: "Idempotent-Replayed"), "true")
        XCTAssertEqual(jsonObject(again)["id"] as? String, jsonObject(first)["id"] as? String)
        let other = try await app.sendRequest(.POST, segmentsPath(trip), headers: headers, body: jsonBody(["kind": "activity", "title": "MoMA"]))
        XCTAssertEqual(other.status, .unprocessableEntity, "the same key with another body")
        // The same key and body on another operation is another request, not a replay.
        var tripHeaders = apiHeaders(key)
        tripHeaders.replaceOrAdd(name: "Idempotency-Key", value: "crm-seg-1")
        let onTrips = try await app.sendRequest(.POST, "/api/v1/trips", headers: tripHeaders, body: jsonBody(body))
        XCTAssertEqual(onTrips.status, .unprocessableEntity, onTrips.body.string)
        let count = try await ItinerarySegment.query(on: app.db).count()
        XCTAssertEqual(count, 1)
    }

    func testAnotherAgencysTripOrSegmentIsNotFoundAndACancelledTripCannotChange() async throws {
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        let keyA = try await makeApiKey(for: a)
        let keyB = try await makeApiKey(for: b)
        let tripA = try await makeTrip(for: a, departure: Date().addingTimeInterval(10 * 86400))
        let otherTripA = try await makeTrip(for: a, departure: Date().addingTimeInterval(12 * 86400), reference: "T-2")
        let created = try await app.sendRequest(
            .POST, segmentsPath(tripA), headers: apiHeaders(keyA), body: jsonBody(["kind": "stay", "title": "Hotel Edison"]))
        let id = try XCTUnwrap(jsonObject(created)["id"] as? String)
        let one = "\(segmentsPath(tripA))/\(id)"
        for (method, path, body) in [
            (HTTPMethod.GET, segmentsPath(tripA), nil), (.POST, segmentsPath(tripA), ["kind": "stay", "title": "X"]), (.GET, one, nil),
            (.PATCH, one, ["title": "Taken over"]), (.DELETE, one, nil)
        ] as [(HTTPMethod, String, [String: String]?)] {
            let res = try await app.sendRequest(method, path, headers: apiHeaders(keyB), body: body.map { jsonBody($0) })
            XCTAssertEqual(res.status, .notFound, "agency B: \(method) \(path)")
        }
        // The agency's own segment under its other trip's path is not found either.
        let crossed = try await app.sendRequest(.GET, "\(segmentsPath(otherTripA))/\(id)", headers: apiHeaders(keyA))
        XCTAssertEqual(crossed.status, .notFound)
        let untouched = try await ItinerarySegment.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(untouched?.title, "Hotel Edison")

        try await TripService.cancel(tripA, reason: "client", userID: nil, now: Date(), on: app.db)
        let late = try await app.sendRequest(.PATCH, one, headers: apiHeaders(keyA), body: jsonBody(["title": "Later"]))
        XCTAssertEqual(late.status, .conflict)
        let added = try await app.sendRequest(
            .POST, segmentsPath(tripA), headers: apiHeaders(keyA), body: jsonBody(["kind": "stay", "title": "Y"]))
        XCTAssertEqual(added.status, .conflict)
        let read = try await app.sendRequest(.GET, one, headers: apiHeaders(keyA))
        XCTAssertEqual(read.status, .ok, "a cancelled trip's itinerary can still be read")
    }
}
