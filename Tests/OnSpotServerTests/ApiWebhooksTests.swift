import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor
import Yams

/// `/api/v1/webhook-endpoints` and `/api/v1/webhook-deliveries` (issue 16): the portal's webhooks page through the API,
/// and the event catalogue of the OpenAPI document against what OnSpot really posts.
final class ApiWebhooksTests: ServerTestCase {
    func createEndpoint(_ url: String, key: String, idempotencyKey: String? = nil) async throws -> XCTHTTPResponse {
        var headers = apiHeaders(key)
        if let idempotencyKey { headers.replaceOrAdd(name: "Idempotency-Key", value: idempotencyKey) }
        return try await app.sendRequest(.POST, "/api/v1/webhook-endpoints", headers: headers, body: jsonBody(["url": url]))
    }

    func testEndpointsAreAddedReadAndTurnedOffThroughTheAPIOnlyByTheirAgency() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let created = try await createEndpoint("https://crm.example/onspot", key: key, idempotencyKey: "hook-1")
        XCTAssertEqual(created.status, .created, created.body.string)
        let body = jsonObject(created)
        let id = try XCTUnwrap(body["id"] as? String)
        let secret = try XCTUnwrap(body["secret"] as? String)
        XCTAssertTrue(secret.hasPrefix("whs_"))
        XCTAssertEqual(created.headers.first(name: .location), "/api/v1/webhook-endpoints/\(id)")
        XCTAssertEqual(body["active"] as? Bool, true)
        // A retry with the same key is the same endpoint and the same secret, not a second endpoint.
        let retried = try await createEndpoint("https://crm.example/onspot", key: key, idempotencyKey: "hook-1")
        XCTAssertEqual(retried.status, .created)
        XCTAssertEqual(retried.headers.first(name: "Idempotent-Replayed"), "true")
        XCTAssertEqual(jsonObject(retried)["secret"] as? String, secret)
        let reused = try await createEndpoint("https://other.example/onspot", key: key, idempotencyKey: "hook-1")
        XCTAssertEqual(reused.status, .unprocessableEntity)
        let stored = try await WebhookEndpointRecord.query(on: app.db).count()
        XCTAssertEqual(stored, 1)

        // Listed and read without the secret.
        let list = try await app.sendRequest(.GET, "/api/v1/webhook-endpoints", headers: apiHeaders(key))
        XCTAssertEqual(list.status, .ok)
        XCTAssertFalse(list.body.string.contains(secret))
        XCTAssertEqual((jsonObject(list)["items"] as? [[String: Any]])?.map { $0["id"] as? String }, [id])
        let one = try await app.sendRequest(.GET, "/api/v1/webhook-endpoints/\(id)", headers: apiHeaders(key))
        XCTAssertEqual(one.status, .ok)
        XCTAssertNil(jsonObject(one)["secret"])

        // Addresses refused field by field, as the portal does.
        for url in ["not a url", "ftp://crm.example/x", "http://10.0.0.7/hook", "http://169.254.169.254/latest", "   "] {
            let res = try await createEndpoint(url, key: key)
            XCTAssertEqual(res.status, .unprocessableEntity, url)
            XCTAssertEqual((jsonObject(res)["errors"] as? [[String: Any]])?.first?["field"] as? String, "url", url)
        }
        app.onspot.mode = .production
        let plain = try await createEndpoint("http://crm.example/onspot", key: key)
        XCTAssertEqual(plain.status, .unprocessableEntity)
        XCTAssertEqual(jsonObject(plain)["detail"] as? String, "Adresse https://… attendue.", "the agency's language")
        var english = apiHeaders(key)
        english.replaceOrAdd(name: .acceptLanguage, value: "en-GB,en;q=0.8")
        let inEnglish = try await app.sendRequest(
            .POST, "/api/v1/webhook-endpoints", headers: english, body: jsonBody(["url": "http://crm.example/onspot"]))
        XCTAssertEqual(jsonObject(inEnglish)["detail"] as? String, "An https://… URL is required.")
        app.onspot.mode = .development

        // Another agency sees none of it; a read-only key of the same agency reads but cannot change anything.
        let other = try await makeApiKey(for: try await makeAgency("B"))
        let otherList = try await app.sendRequest(.GET, "/api/v1/webhook-endpoints", headers: apiHeaders(other))
        XCTAssertEqual((jsonObject(otherList)["items"] as? [Any])?.count, 0)
        for (method, path) in [
            (HTTPMethod.GET, "/api/v1/webhook-endpoints/\(id)"), (.POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret"),
            (.POST, "/api/v1/webhook-endpoints/\(id)/deactivate")
        ] {
            let res = try await app.sendRequest(method, path, headers: apiHeaders(other))
            XCTAssertEqual(res.status, .notFound, path)
        }
        let reader = try await makeApiKey(for: agency, access: .readOnly)
        let read = try await app.sendRequest(.GET, "/api/v1/webhook-endpoints/\(id)", headers: apiHeaders(reader))
        XCTAssertEqual(read.status, .ok)
        for path in ["/api/v1/webhook-endpoints", "/api/v1/webhook-endpoints/\(id)/rotate-secret", "/api/v1/webhook-endpoints/\(id)/deactivate"] {
            let res = try await app.sendRequest(.POST, path, headers: apiHeaders(reader), body: jsonBody(["url": "https://x.example/h"]))
            XCTAssertEqual(res.status, .forbidden, path)
        }
        let unchanged = try await WebhookEndpointRecord.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(unchanged?.secret, secret)
        XCTAssertEqual(unchanged?.active, true)

        // Turned off: twice is the same as once, and it can no longer be rotated.
        for _ in 0..<2 {
            let off = try await app.sendRequest(.POST, "/api/v1/webhook-endpoints/\(id)/deactivate", headers: apiHeaders(key))
            XCTAssertEqual(off.status, .ok)
            XCTAssertEqual(jsonObject(off)["active"] as? Bool, false)
            XCTAssertNotNil(jsonObject(off)["deactivatedAt"] as? String)
        }
        let rotateOff = try await app.sendRequest(.POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: apiHeaders(key))
        XCTAssertEqual(rotateOff.status, .conflict)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.webhookEndpointDeactivated.rawValue).count()
        XCTAssertEqual(audited, 1)
    }

    func testAnActiveEndpointLimitKeepsOneEventsFanOutSmall() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        for n in 0..<WebhookEndpoints.maximumActive - 1 {
            let res = try await createEndpoint("https://crm.example/\(n)", key: key)
            XCTAssertEqual(res.status, .created)
        }
        // Four creations at once for the last place: one gets it.
        let application = app!
        let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for n in 0..<4 {
                group.addTask {
                    try await application.sendRequest(
                        .POST, "/api/v1/webhook-endpoints", headers: apiHeaders(key), body: jsonBody(["url": "https://crm.example/last-\(n)"])
                    ).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == .created }.count, 1, "\(statuses)")
        let active = try await WebhookEndpointRecord.query(on: app.db).filter(\.$active == true).count()
        XCTAssertEqual(active, WebhookEndpoints.maximumActive)
        let over = try await createEndpoint("https://crm.example/over", key: key)
        XCTAssertEqual(over.status, .conflict)
        XCTAssertEqual(jsonObject(over)["type"] as? String, "https://onspot.example/problems/too-many-endpoints")
    }

    func testARotatedSecretSignsBesideTheNewOneUntilItsOverlapEnds() async throws {
        let receiver = try await HookReceiver()
        let agency = try await makeAgency("A")
        let agencyID = try agency.requireID()
        let key = try await makeApiKey(for: agency)
        let created = try await createEndpoint(receiver.url, key: key)
        let id = try XCTUnwrap(jsonObject(created)["id"] as? String)
        let oldSecret = try XCTUnwrap(jsonObject(created)["secret"] as? String)

        let tooLong = try await app.sendRequest(
            .POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: apiHeaders(key), body: jsonBody(["previousSecretExpiresInHours": 73]))
        XCTAssertEqual(tooLong.status, .unprocessableEntity)
        var headers = apiHeaders(key)
        headers.replaceOrAdd(name: "Idempotency-Key", value: "rotate-1")
        let rotated = try await app.sendRequest(
            .POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: headers, body: jsonBody(["previousSecretExpiresInHours": 2]))
        XCTAssertEqual(rotated.status, .ok, rotated.body.string)
        let newSecret = try XCTUnwrap(jsonObject(rotated)["secret"] as? String)
        XCTAssertNotEqual(newSecret, oldSecret)
        XCTAssertNotNil(jsonObject(rotated)["previousSecretExpiresAt"] as? String)
        // A retry of the rotation is answered the same new secret; it does not rotate again.
        let again = try await app.sendRequest(
            .POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: headers, body: jsonBody(["previousSecretExpiresInHours": 2]))
        XCTAssertEqual(jsonObject(again)["secret"] as? String, newSecret)
        let storedSecret = try await WebhookEndpointRecord.find(UUID(uuidString: id), on: app.db)?.secret
        XCTAssertEqual(storedSecret, newSecret)

        func deliverOne() async throws -> HookReceiver.Hit {
            let before = receiver.hits.count
            try await AgencyWebhooks.enqueue(agencyID: agencyID, .tripReleased(tripID: UUID(), reference: "R-1"), on: app.db)
            _ = try await AgencyWebhooks.runDue(app: app)
            XCTAssertEqual(receiver.hits.count, before + 1)
            return try XCTUnwrap(receiver.hits.last)
        }
        // During the overlap: the new signature first, then the old one; each verifies with its own secret.
        let during = try await deliverOne()
        let timestamp = try XCTUnwrap(during.timestamp.flatMap(Int.init))
        let signatures = during.signature?.split(separator: ",").map(String.init) ?? []
        XCTAssertEqual(
            signatures,
            [
                AgencyWebhooks.signature(secret: newSecret, timestamp: timestamp, body: during.body),
                AgencyWebhooks.signature(secret: oldSecret, timestamp: timestamp, body: during.body)
            ])
        // After it: the new secret alone.
        app.clock.advance(by: 2 * 3600 + 1)
        let after = try await deliverOne()
        let later = try XCTUnwrap(after.timestamp.flatMap(Int.init))
        XCTAssertEqual(after.signature, AgencyWebhooks.signature(secret: newSecret, timestamp: later, body: after.body))
        let shown = try await app.sendRequest(.GET, "/api/v1/webhook-endpoints/\(id)", headers: apiHeaders(key))
        XCTAssertNil(jsonObject(shown)["previousSecretExpiresAt"])
        // No overlap asked, and no body at all: 24 hours; 0: the old secret stops at once.
        let noBody = try await app.sendRequest(.POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: apiHeaders(key, json: false))
        XCTAssertEqual(noBody.status, .ok, noBody.body.string)
        let endpoint = try await WebhookEndpointRecord.find(UUID(uuidString: id), on: app.db)
        let overlapEnd = try XCTUnwrap(endpoint?.previousSecretExpiresAt)
        XCTAssertEqual(overlapEnd.timeIntervalSince1970, app.clock.now().addingTimeInterval(24 * 3600).timeIntervalSince1970, accuracy: 1)
        let immediate = try await app.sendRequest(
            .POST, "/api/v1/webhook-endpoints/\(id)/rotate-secret", headers: apiHeaders(key), body: jsonBody(["previousSecretExpiresInHours": 0]))
        let immediateSecret = try XCTUnwrap(jsonObject(immediate)["secret"] as? String)
        let alone = try await deliverOne()
        let at = try XCTUnwrap(alone.timestamp.flatMap(Int.init))
        XCTAssertEqual(alone.signature, AgencyWebhooks.signature(secret: immediateSecret, timestamp: at, body: alone.body))
        try await receiver.stop()
    }

    func testOfTwoRotationsAtOnceOnlyOneAnswersASecret() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        let created = try await createEndpoint("https://crm.example/onspot", key: key)
        let id = try XCTUnwrap(UUID(uuidString: jsonObject(created)["id"] as? String ?? ""))
        // Both read the endpoint as it was; the first rotation wins, the second finds the secret changed.
        let firstRead = try await WebhookEndpointRecord.find(id, on: app.db)
        let secondRead = try await WebhookEndpointRecord.find(id, on: app.db)
        let first = try XCTUnwrap(firstRead)
        let second = try XCTUnwrap(secondRead)
        let winner = try await WebhookEndpoints.rotateSecret(of: first, overlapHours: 24, actor: nil, via: "api", now: app.clock.now(), on: app.db)
        do {
            _ = try await WebhookEndpoints.rotateSecret(of: second, overlapHours: 24, actor: nil, via: "api", now: app.clock.now(), on: app.db)
            XCTFail("a rotation over a secret that changed meanwhile must be refused")
        } catch is WebhookEndpoints.ChangedMeanwhile {}
        let stored = try await WebhookEndpointRecord.find(id, on: app.db)
        XCTAssertEqual(stored?.secret, winner)
        XCTAssertEqual(stored?.previousSecret, jsonObject(created)["secret"] as? String)
    }

    func testTheDeliveryLogPagesFiltersAndReplaysOnlyTheAgencysDeliveries() async throws {
        let receiver = try await HookReceiver()
        let agency = try await makeAgency("A")
        let agencyID = try agency.requireID()
        let key = try await makeApiKey(for: agency)
        let createdEndpoint = try await createEndpoint(receiver.url, key: key)
        let endpointID = try XCTUnwrap(jsonObject(createdEndpoint)["id"] as? String)
        let trip = UUID()
        for n in 0..<5 {
            try await AgencyWebhooks.enqueue(agencyID: agencyID, .tripPaid(tripID: trip, reference: "R-\(n)", paidMinor: Int64(n * 100)), on: app.db)
        }
        try await AgencyWebhooks.enqueue(agencyID: agencyID, .tripReleased(tripID: trip, reference: "R-9"), on: app.db)

        // Every delivery once, across pages of two, newest first.
        var seen: [String] = []
        var path: String? = "/api/v1/webhook-deliveries?type=trip.paid&limit=2"
        var pages = 0
        while let next = path {
            let res = try await app.sendRequest(.GET, next, headers: apiHeaders(key))
            XCTAssertEqual(res.status, .ok, res.body.string)
            let page = jsonObject(res)
            let items = try XCTUnwrap(page["items"] as? [[String: Any]])
            seen += items.compactMap { $0["id"] as? String }
            XCTAssertTrue(items.allSatisfy { $0["type"] as? String == "trip.paid" && $0["status"] as? String == "pending" })
            path = page["next"] as? String
            pages += 1
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(Set(seen).count, 5)
        let all = try await app.sendRequest(.GET, "/api/v1/webhook-deliveries?endpoint=\(endpointID)", headers: apiHeaders(key))
        XCTAssertEqual((jsonObject(all)["items"] as? [Any])?.count, 6)
        for query in ["status=sent", "type=case.opened", "endpoint=nope", "limit=0", "cursor=abc", "cursor=\(ApiCursor(id: UUID()).text)"] {
            let res = try await app.sendRequest(.GET, "/api/v1/webhook-deliveries?\(query)", headers: apiHeaders(key))
            XCTAssertEqual(res.status, .unprocessableEntity, query)
        }

        // One delivery, with the event as posted; delivered, then replayed with the same delivery id.
        _ = try await AgencyWebhooks.runDue(app: app)
        let firstID = seen[0]
        let one = try await app.sendRequest(.GET, "/api/v1/webhook-deliveries/\(firstID)", headers: apiHeaders(key))
        let delivery = jsonObject(one)
        XCTAssertEqual(delivery["status"] as? String, "delivered")
        XCTAssertEqual(delivery["attempts"] as? Int, 1)
        let event = try XCTUnwrap(delivery["event"] as? [String: Any])
        XCTAssertEqual(event["id"] as? String, firstID)
        XCTAssertEqual((event["data"] as? [String: String])?["tripId"], trip.uuidString)
        let hitsBefore = receiver.hits.count
        let replay = try await app.sendRequest(.POST, "/api/v1/webhook-deliveries/\(firstID)/replay", headers: apiHeaders(key))
        XCTAssertEqual(replay.status, .accepted, replay.body.string)
        for _ in 0..<500 where receiver.hits.count == hitsBefore { try await Task.sleep(nanoseconds: 20_000_000) }
        XCTAssertEqual(receiver.hits.last?.delivery, firstID)

        // Another agency: not found, not pageable from, not replayable; a read-only key reads but does not replay.
        let otherKey = try await makeApiKey(for: try await makeAgency("B"))
        let otherGet = try await app.sendRequest(.GET, "/api/v1/webhook-deliveries/\(firstID)", headers: apiHeaders(otherKey))
        XCTAssertEqual(otherGet.status, .notFound)
        let otherReplay = try await app.sendRequest(.POST, "/api/v1/webhook-deliveries/\(firstID)/replay", headers: apiHeaders(otherKey))
        XCTAssertEqual(otherReplay.status, .notFound)
        let otherCursor = try await app.sendRequest(
            .GET, "/api/v1/webhook-deliveries?cursor=\(ApiCursor(id: UUID(uuidString: firstID)!).text)", headers: apiHeaders(otherKey))
        XCTAssertEqual(otherCursor.status, .unprocessableEntity)
        let otherList = try await app.sendRequest(.GET, "/api/v1/webhook-deliveries", headers: apiHeaders(otherKey))
        XCTAssertEqual((jsonObject(otherList)["items"] as? [Any])?.count, 0)
        let reader = try await makeApiKey(for: agency, access: .readOnly)
        let readOnlyReplay = try await app.sendRequest(.POST, "/api/v1/webhook-deliveries/\(firstID)/replay", headers: apiHeaders(reader))
        XCTAssertEqual(readOnlyReplay.status, .forbidden)

        // Once the endpoint is off, a replay would send nothing: refused.
        _ = try await app.sendRequest(.POST, "/api/v1/webhook-endpoints/\(endpointID)/deactivate", headers: apiHeaders(key))
        let refused = try await app.sendRequest(.POST, "/api/v1/webhook-deliveries/\(firstID)/replay", headers: apiHeaders(key))
        XCTAssertEqual(refused.status, .conflict)
        try await receiver.stop()
    }

    /// The document's `webhooks` describe exactly the event types OnSpot posts, each with exactly the fields it carries.
    func testTheEventCatalogueDescribesEveryEventAsItIsSent() async throws {
        let res = try await app.sendRequest(.GET, "/api/v1/openapi.yaml")
        let document = try XCTUnwrap(try Yams.load(yaml: res.body.string) as? [String: Any])
        let webhooks = try XCTUnwrap(document["webhooks"] as? [String: Any])
        XCTAssertEqual(Set(webhooks.keys), Set(WebhookEventType.allCases.map(\.rawValue)))
        let schemas = try XCTUnwrap((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let typeEnum = (schemas["WebhookEventType"] as? [String: Any])?["enum"] as? [String]
        XCTAssertEqual(typeEnum.map(Set.init), Set(WebhookEventType.allCases.map(\.rawValue)))
        let id = UUID()
        for type in WebhookEventType.allCases {
            let sample: WebhookEvent
            switch type {
            case .caseResolved:
                sample = .caseResolved(
                    caseID: id, tripID: id, traveller: "T", reference: "R", destination: "D", summary: "S", resolvedAt: "2026-01-01T00:00:00Z")
            case .approvalRequested:
                sample = .approvalRequested(
                    approvalID: id, caseID: id, text: "T", amountMinor: 1, currency: "EUR", expiresAt: "2026-01-01T00:00:00Z", inbox: "/x")
            case .approvalDecided: sample = .approvalDecided(approvalID: id, caseID: id, decision: "approved", via: "api", comment: "")
            case .costEmergencyOverride:
                sample = .costEmergencyOverride(
                    caseID: id, costActionID: id, domain: "hotel", supplier: "S", purpose: "P", amountMinor: 1, currency: "EUR", justification: "J")
            case .tripPaid: sample = .tripPaid(tripID: id, reference: "R", paidMinor: 1)
            case .tripReleased: sample = .tripReleased(tripID: id, reference: "R")
            case .weatherAlert:
                sample = .weatherAlert(
                    alertID: id, event: "E", severity: "Severe", headline: "H", area: "A", expiresAt: "", changes: "", travellers: 1,
                    destinations: ["D"])
            case .flightDisrupted:
                sample = .flightDisrupted(
                    alertID: id, tripID: id, reference: "R", caseID: id, flight: "AF66", origin: "CDG", destination: "LAX", change: "cancelled",
                    scheduledDeparture: "", estimatedDeparture: "", estimatedArrival: "", travellers: ["T"])
            }
            XCTAssertEqual(sample.type, type)
            let post = try XCTUnwrap((webhooks[type.rawValue] as? [String: Any])?["post"] as? [String: Any], type.rawValue)
            let content = (post["requestBody"] as? [String: Any])?["content"] as? [String: Any]
            let ref = try XCTUnwrap(((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any])?["$ref"] as? String)
            let schema = try XCTUnwrap(schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any], ref)
            let specific = try XCTUnwrap((schema["allOf"] as? [[String: Any]])?.last?["properties"] as? [String: Any])
            XCTAssertEqual((specific["type"] as? [String: Any])?["const"] as? String, type.rawValue)
            let data = try XCTUnwrap(specific["data"] as? [String: Any])
            XCTAssertEqual(Set((data["properties"] as? [String: Any])?.keys.map { $0 } ?? []), Set(sample.data.keys), type.rawValue)
            XCTAssertEqual(Set(data["required"] as? [String] ?? []), Set(sample.data.keys), type.rawValue)
        }
    }
}
