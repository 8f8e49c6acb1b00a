import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class ApiTests: ServerTestCase {
    func tripBody(departure: Date, reference: String = "CRM-1") -> [String: Any] {
        [
            "reference": reference, "destinations": ["us-lax", "us-sfo"], "departure": isoString(departure),
            "arrival": isoString(departure.addingTimeInterval(12 * 3600), "America/Los_Angeles"),
            "return": isoString(departure.addingTimeInterval(14 * 86400)),
            "travellers": [
                [
                    "firstName": "Tom", "lastName": "Wilson", "phone": "+44 7700 900106", "language": "en",
                    "consentsToRecommendations": true
                ]
            ]
        ]
    }

    func testCreateReadListUpdateAndCancel() async throws {
        let agency = try await makeAgency("A", plan: .plus)
        let key = try await makeApiKey(for: agency)
        let departure = Date().addingTimeInterval(73 * 3600).roundedDownToMinute()
        let created = try await app.sendRequest(.POST, "/api/v1/trips", headers: apiHeaders(key), body: jsonBody(tripBody(departure: departure)))
        XCTAssertEqual(created.status, .created, created.body.string)
        let trip = jsonObject(created)
        let id = try XCTUnwrap(trip["id"] as? String)
        XCTAssertEqual(created.location, "/api/v1/trips/\(id)")
        XCTAssertEqual(trip["phase"] as? String, "upcoming")
        XCTAssertEqual(trip["plan"] as? String, "PLUS")
        XCTAssertEqual((trip["destinations"] as? [[String: Any]])?.map { $0["code"] as? String }, ["us-lax", "us-sfo"])
        XCTAssertTrue(
            (trip["arrival"] as? String)?.hasSuffix("-08:00") == true || (trip["arrival"] as? String)?.hasSuffix("-07:00") == true,
            "arrival in the final destination's zone")
        let traveller = try XCTUnwrap((trip["travellers"] as? [[String: Any]])?.first)
        XCTAssertEqual(traveller["phone"] as? String, "+447700900106")
        XCTAssertTrue((traveller["assistanceCardUrl"] as? String)?.contains("/card/") == true)

        let read = try await app.sendRequest(.GET, "/api/v1/trips/\(id)", headers: apiHeaders(key))
        XCTAssertEqual(read.status, .ok)
        XCTAssertEqual(jsonObject(read)["reference"] as? String, "CRM-1")

        let list = try await app.sendRequest(.GET, "/api/v1/trips?perPage=1&page=1", headers: apiHeaders(key))
        XCTAssertEqual(jsonObject(list)["total"] as? Int, 1)
        XCTAssertEqual((jsonObject(list)["items"] as? [Any])?.count, 1)

        let patched = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: apiHeaders(key),
            body: jsonBody(["reference": "CRM-1b", "notes": "VIP"]))
        XCTAssertEqual(patched.status, .ok, patched.body.string)
        XCTAssertEqual(jsonObject(patched)["reference"] as? String, "CRM-1b")
        let earlier = try await app.sendRequest(
            .PATCH, "/api/v1/trips/\(id)", headers: apiHeaders(key),
            body: jsonBody(["departure": isoString(Date().addingTimeInterval(3600))]))
        XCTAssertEqual(earlier.status, .unprocessableEntity, "moving a departure inside the 72 hours is refused")

        let travellerID = try XCTUnwrap(traveller["id"] as? String)
        let badPhone = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: apiHeaders(key),
            body: jsonBody(["phone": "12"]))
        XCTAssertEqual(badPhone.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(badPhone)["errors"] as? [[String: Any]])?.first?["field"] as? String, "phone")
        let okPhone = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: apiHeaders(key),
            body: jsonBody(["phone": "+14155550123"]))
        XCTAssertEqual(jsonObject(okPhone)["phone"] as? String, "+14155550123")
        XCTAssertEqual(jsonObject(okPhone)["firstName"] as? String, "Tom", "fields left out keep their value")

        let cancelled = try await app.sendRequest(.POST, "/api/v1/trips/\(id)/cancel", headers: apiHeaders(key), body: jsonBody(["reason": "CRM"]))
        XCTAssertEqual(cancelled.status, .ok)
        XCTAssertEqual(jsonObject(cancelled)["status"] as? String, "cancelled")
        // PLUS, 73 hours ahead, is within the notice; not invoiced yet, it simply never will be: nothing to give back.
        XCTAssertEqual(jsonObject(cancelled)["refundState"] as? String, "not_applicable")
        let twice = try await app.sendRequest(.POST, "/api/v1/trips/\(id)/cancel", headers: apiHeaders(key))
        XCTAssertEqual(twice.status, .conflict)
        let travellers = try await app.sendRequest(.GET, "/api/v1/travellers", headers: apiHeaders(key))
        XCTAssertEqual(jsonObject(travellers)["total"] as? Int, 1)
    }

    func testDepartureIn71HoursIsRefusedWithALocalisedProblem() async throws {
        let agency = try await makeAgency("A", timeZone: "Europe/Paris", language: .fr)
        let key = try await makeApiKey(for: agency)
        let res = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(key),
            body: jsonBody(tripBody(departure: Date().addingTimeInterval(71 * 3600))))
        XCTAssertEqual(res.status, .unprocessableEntity)
        XCTAssertEqual(res.headers.contentType?.description.hasPrefix("application/problem+json"), true)
        let problem = jsonObject(res)
        XCTAssertEqual(problem["status"] as? Int, 422)
        let error = try XCTUnwrap((problem["errors"] as? [[String: Any]])?.first)
        XCTAssertEqual(error["field"] as? String, "departure")
        let message = try XCTUnwrap(error["message"] as? String)
        XCTAssertTrue(message.hasPrefix("Inscription refusée"), message)
        XCTAssertTrue(message.contains("(Europe/Paris)"), message)
        var english = apiHeaders(key)
        english.replaceOrAdd(name: .acceptLanguage, value: "en")
        let inEnglish = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: english,
            body: jsonBody(tripBody(departure: Date().addingTimeInterval(71 * 3600))))
        let englishMessage = (jsonObject(inEnglish)["errors"] as? [[String: Any]])?.first?["message"] as? String
        XCTAssertTrue(englishMessage?.hasPrefix("Registration refused") == true)
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testIdempotencyKeyReplaysTheFirstAnswer() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: "Idempotency-Key", value: "crm-retry-42")
        let body = tripBody(departure: Date().addingTimeInterval(100 * 3600))
        let first = try await app.sendRequest(.POST, "/api/v1/trips", headers: headers, body: jsonBody(body))
        let second = try await app.sendRequest(.POST, "/api/v1/trips", headers: headers, body: jsonBody(body))
        XCTAssertEqual(first.status, .created)
        XCTAssertEqual(second.status, .created, second.body.string)
        XCTAssertEqual(second.headers.first(name: "Idempotent-Replayed"), "true")
        XCTAssertEqual(jsonObject(first)["id"] as? String, jsonObject(second)["id"] as? String)
        var other = body
        other["reference"] = "DIFFERENT"
        let conflict = try await app.sendRequest(.POST, "/api/v1/trips", headers: headers, body: jsonBody(other))
        XCTAssertEqual(conflict.status, .unprocessableEntity)
        XCTAssertTrue((jsonObject(conflict)["type"] as? String)?.hasSuffix("idempotency-key-reused") == true)
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 1)
        // Keys are per agency: another agency may use the same key.
        let keyB = try await makeApiKey(for: try await makeAgency("B"))
        var headersB = apiHeaders(keyB)
        headersB.replaceOrAdd(name: "Idempotency-Key", value: "crm-retry-42")
        let b = try await app.sendRequest(.POST, "/api/v1/trips", headers: headersB, body: jsonBody(body))
        XCTAssertEqual(b.status, .created)
        XCTAssertNotEqual(jsonObject(b)["id"] as? String, jsonObject(first)["id"] as? String)
    }

    func testAuthenticationFailures() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        for headers in [apiHeaders(nil), apiHeaders("osk_unknown"), apiHeaders("not-a-key")] {
            let res = try await app.sendRequest(.GET, "/api/v1/trips", headers: headers)
            XCTAssertEqual(res.status, .unauthorized)
            XCTAssertEqual(res.headers.contentType?.subType, "problem+json")
        }
        let stored = try await ApiKey.query(on: app.db).first()!
        XCTAssertNotEqual(stored.keyHash, key, "keys are stored as digests")
        stored.revokedAt = Date()
        try await stored.save(on: app.db)
        let revoked = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(key))
        XCTAssertEqual(revoked.status, .unauthorized)
    }

    func testMalformedOversizedAndWronglyTypedBodies() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        var broken = ByteBufferAllocator().buffer(capacity: 10)
        broken.writeString("{\"reference\": ")
        let malformed = try await app.sendRequest(.POST, "/api/v1/trips", headers: apiHeaders(key), body: broken)
        XCTAssertEqual(malformed.status, .badRequest)
        XCTAssertEqual(jsonObject(malformed)["detail"] as? String, "The body is not valid JSON.")
        let wrongType = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(key),
            body: jsonBody(["destinations": "us-nyc"]))
        XCTAssertEqual(wrongType.status, .badRequest)
        XCTAssertEqual(jsonObject(wrongType)["detail"] as? String, "Wrong type for 'destinations'.")
        let empty = try await app.sendRequest(.POST, "/api/v1/trips", headers: apiHeaders(key), body: jsonBody([String: String]()))
        XCTAssertEqual(empty.status, .unprocessableEntity)
        let fields = Set(((jsonObject(empty)["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
        XCTAssertEqual(fields, ["destinations", "departure", "travellers"])
        let noOffset = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(key),
            body: jsonBody([
                "destinations": ["us-nyc"], "departure": "2030-01-01T10:00:00",
                "return": "2030-01-08T10:00:00Z", "travellers": [["firstName": "A", "lastName": "B"]]
            ]))
        XCTAssertEqual(noOffset.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(noOffset)["errors"] as? [[String: Any]])?.first?["field"] as? String, "departure")
        var text = apiHeaders(key, json: false)
        text.contentType = .plainText
        var plain = ByteBufferAllocator().buffer(capacity: 5)
        plain.writeString("hello")
        let unsupported = try await app.sendRequest(.POST, "/api/v1/trips", headers: text, body: plain)
        XCTAssertEqual(unsupported.status, .unsupportedMediaType)
        let badPage = try await app.sendRequest(.GET, "/api/v1/trips?perPage=1000", headers: apiHeaders(key))
        XCTAssertEqual(badPage.status, .unprocessableEntity)
        let badID = try await app.sendRequest(.GET, "/api/v1/trips/not-a-uuid", headers: apiHeaders(key))
        XCTAssertEqual(badID.status, .notFound)
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testOversizedBodiesAreRefusedOverRealHTTP() async throws {
        // The body limit applies while collecting the body from the network, so this test runs a real server.
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        var huge = ByteBufferAllocator().buffer(capacity: 1_100_000)
        huge.writeString("{\"notes\": \"" + String(repeating: "x", count: 1_100_000) + "\"}")
        let tester = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
        let res = try await tester.sendRequest(.POST, "/api/v1/trips", headers: apiHeaders(key), body: huge)
        XCTAssertEqual(res.status, .payloadTooLarge)
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testPassengerRightsAssessment() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let body: [String: Any] = [
            "journey": ["CDG", "YUL"], "operatingCarrier": "AC", "event": "delay",
            "scheduledDeparture": "2026-06-01T10:00:00+02:00", "scheduledArrival": "2026-06-01T11:40:00-04:00",
            "actualArrival": "2026-06-01T16:10:00-04:00", "cause": "crew"
        ]
        let res = try await app.sendRequest(.POST, "/api/v1/rights/assessments", headers: apiHeaders(key), body: jsonBody(body))
        XCTAssertEqual(res.status, .ok, res.body.string)
        let assessments = jsonObject(res)["assessments"] as? [[String: Any]] ?? []
        let eu = assessments.first { $0["regime"] as? String == "EU261" }
        XCTAssertEqual((eu?["compensation"] as? [String: Any])?["amount"] as? Int, 600)
        let appr = assessments.first { $0["regime"] as? String == "APPR" }
        XCTAssertEqual((appr?["compensation"] as? [String: Any])?["amount"] as? Int, 400)
        var bad = body
        bad["journey"] = ["CDG", "QQQ"]
        let invalid = try await app.sendRequest(.POST, "/api/v1/rights/assessments", headers: apiHeaders(key), body: jsonBody(bad))
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(invalid)["errors"] as? [[String: Any]])?.first?["field"] as? String, "journey[1]")
        bad = body
        bad["event"] = "meteor"
        let malformed = try await app.sendRequest(.POST, "/api/v1/rights/assessments", headers: apiHeaders(key), body: jsonBody(bad))
        XCTAssertEqual(malformed.status, .badRequest)
        let anonymous = try await app.sendRequest(.POST, "/api/v1/rights/assessments", headers: apiHeaders(nil), body: jsonBody(body))
        XCTAssertEqual(anonymous.status, .unauthorized)
    }

    func testBookingConditionsAssessment() async throws {
        let key = try await makeApiKey(for: try await makeAgency("A"))
        let body: [String: Any] = [
            "pack": "mnk-weopera", "event": "traveller_cancellation", "eventDate": "2026-02-10",
            "departure": "2026-03-01", "price": ["amount": 2000, "currency": "EUR"]
        ]
        let res = try await app.sendRequest(.POST, "/api/v1/conditions/assessments", headers: apiHeaders(key), body: jsonBody(body))
        XCTAssertEqual(res.status, .ok, res.body.string)
        let object = jsonObject(res)
        XCTAssertEqual(object["allowed"] as? Bool, true)
        XCTAssertEqual((object["refund"] as? [String: Any])?["amount"] as? Int, 0)
        XCTAssertTrue(object["indemnity"] is NSNull)
        XCTAssertEqual(object["citations"] as? [String], ["13.1", "13.2", "13.1.b"])
        var unknown = body
        unknown["pack"] = "nope"
        let bad = try await app.sendRequest(.POST, "/api/v1/conditions/assessments", headers: apiHeaders(key), body: jsonBody(unknown))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertEqual((jsonObject(bad)["errors"] as? [[String: Any]])?.first?["field"] as? String, "pack")
    }

    func testOpenAPIDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        let res = try await app.sendRequest(.GET, "/api/v1/openapi.yaml")
        XCTAssertEqual(res.status, .ok)
        let yaml = res.body.string
        XCTAssertTrue(yaml.hasPrefix("openapi: 3.1.0"))
        // Operations in the document: "  /path:" followed by "    method:" lines.
        var documented = Set<String>()
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") { currentPath = String(line.dropFirst(2).dropLast()); continue }
            if !line.hasPrefix("  ") || line.hasPrefix("components") { if !line.hasPrefix(" ") { currentPath = nil } }
            if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "patch", "put", "delete"].first(where: { line == "    \($0):" })
            {
                documented.insert("\(method.uppercased()) /api/v1\(path)")
            }
        }
        let registered = Set(
            app.routes.all.compactMap { route -> String? in
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                guard path.hasPrefix("/api/v1/"), path != "/api/v1/openapi.yaml" else { return nil }
                return "\(route.method.rawValue) \(path)"
            })
        XCTAssertEqual(documented, registered)
        XCTAssertEqual(registered.count, 39)
    }

    func testExtractionsFindTheBoardingPassInAPasteAndRefuseBadInput() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let paste = "Carte d'embarquement :\nM1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100\nBon voyage"
        let ok = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: apiHeaders(key),
            body: jsonBody(["text": paste, "contextDate": "2018-10-01"]))
        XCTAssertEqual(ok.status, .ok, ok.body.string)
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ok.body.readableBytesView)) as? [[String: Any]])
        XCTAssertEqual(items.count, 1)
        XCTAssertEqual(items[0]["reservationNumber"] as? String, "ABC123")
        XCTAssertEqual((items[0]["reservationFor"] as? [String: Any])?["departureDay"] as? String, "2018-11-22")
        let none = try await app.sendRequest(.POST, "/api/v1/extractions", headers: apiHeaders(key), body: jsonBody(["text": "Rien à voir ici."]))
        XCTAssertEqual(none.body.string.filter { !$0.isWhitespace }, "[]")
        let badDate = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: apiHeaders(key),
            body: jsonBody(["text": paste, "contextDate": "01/10/2018"]))
        XCTAssertEqual(badDate.status, .unprocessableEntity)
        let missing = try await app.sendRequest(.POST, "/api/v1/extractions", headers: apiHeaders(key), body: jsonBody(["contextDate": "2018-10-01"]))
        XCTAssertEqual(missing.status, .badRequest)
        let unauthenticated = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: ["Content-Type": "application/json"],
            body: jsonBody(["text": paste]))
        XCTAssertEqual(unauthenticated.status, .unauthorized)
        let huge = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: apiHeaders(key),
            body: jsonBody(["text": String(repeating: "x", count: Extraction.maximumInputCharacters + 1)]))
        XCTAssertEqual(huge.status, .payloadTooLarge)
    }

    /// The lists paged by number link their next page, filters kept, until the last.
    func testPagedListsLinkTheirNextPageWithTheirFilters() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        for n in 0..<3 {
            _ = try await makeTrip(for: agency, departure: Date().addingTimeInterval(Double(10 + n) * 86400), reference: "PAGE-\(n)")
        }
        var references: [String] = []
        var path: String? = "/api/v1/trips?q=PAGE&perPage=2"
        var links: [String] = []
        while let next = path {
            let res = try await app.sendRequest(.GET, next, headers: apiHeaders(key))
            XCTAssertEqual(res.status, .ok, res.body.string)
            references += (jsonObject(res)["items"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } ?? []
            path = jsonObject(res)["next"] as? String
            if let path { links.append(path) }
        }
        XCTAssertEqual(links, ["/api/v1/trips?q=PAGE&perPage=2&page=2"])
        XCTAssertEqual(Set(references), ["PAGE-0", "PAGE-1", "PAGE-2"])
        let travellers = try await app.sendRequest(.GET, "/api/v1/travellers?perPage=100", headers: apiHeaders(key))
        XCTAssertNil(jsonObject(travellers)["next"], "one page only")
    }
}
