import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor

/// An agency's system receiving OnSpot's webhooks: records headers and bodies, answers scripted statuses.
final class HookReceiver: @unchecked Sendable {
    struct Hit: Sendable { let delivery: String?; let timestamp: String?; let signature: String?; let body: Data }
    let app: Application
    private let state = NIOLockedValueBox<(hits: [Hit], statuses: [UInt])>(([], []))
    private(set) var port = 0
    var hits: [Hit] { state.withLockedValue { $0.hits } }
    var url: String { "http://127.0.0.1:\(port)/onspot-hook" }

    init() async throws {
        app = try await Application.make(.testing)
        app.post("onspot-hook") { [state] req -> HTTPStatus in
            let hit = Hit(
                delivery: req.headers.first(name: "OnSpot-Delivery"), timestamp: req.headers.first(name: "OnSpot-Timestamp"),
                signature: req.headers.first(name: "OnSpot-Signature"), body: req.body.data.map { Data($0.readableBytesView) } ?? Data())
            return state.withLockedValue { s in
                s.hits.append(hit)
                return HTTPStatus(statusCode: Int(s.statuses.isEmpty ? 200 : s.statuses.removeFirst()))
            }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    func answer(_ statuses: [UInt]) { state.withLockedValue { $0.statuses += statuses } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

final class AgencyWebhookTests: ServerTestCase {
    func testResolutionIsDeliveredSignedRetriedAndReplayable() async throws {
        let receiver = try await HookReceiver()
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let admin = try await signedIn("admin@a.example")
        _ = try await admin.get("/agency-webhooks")
        let added = try await admin.post("/agency-webhooks/endpoints", form: ["url": receiver.url])
        XCTAssertEqual(added.status, .created)
        let html = added.body.string
        let range = try XCTUnwrap(html.range(of: #"whs_[A-Za-z0-9_-]{40,}"#, options: .regularExpression))
        let secret = String(html[range])
        let page = try await admin.get("/agency-webhooks")
        XCTAssertFalse(page.body.string.contains(secret), "the secret is shown once")

        // A case of this agency is resolved; the receiver fails once, then accepts.
        receiver.answer([500])
        try await AgencyWebhooks.enqueue(
            agencyID: agency.requireID(), WebhookEvent(type: .caseResolved, data: ["caseID": "C1", "summary": "Tyre changed"]), on: app.db)
        _ = try await AgencyWebhooks.runDue(app: app)
        var delivery = try await WebhookDelivery.query(on: app.db).first()!
        XCTAssertEqual(delivery.status, .pending)
        XCTAssertEqual(delivery.lastResponseCode, 500)
        XCTAssertGreaterThan(delivery.nextAttemptAt ?? .distantPast, app.clock.now(), "retried later with backoff")
        // A worker claims the retry and dies: the log still shows the last error, and the row waits out the lease.
        app.clock.set(try XCTUnwrap(delivery.nextAttemptAt).addingTimeInterval(1))
        let lease = try await Lease.claim(
            table: WebhookDelivery.schema, id: try delivery.requireID(), pending: WebhookDeliveryStatus.pending.rawValue, on: app.db)
        XCTAssertNotNil(lease)
        delivery = try await WebhookDelivery.find(delivery.id, on: app.db)!
        XCTAssertEqual(delivery.lastError, "HTTP 500", "the error, not the worker's lease, is what the log shows")
        let whileLeased = try await AgencyWebhooks.runDue(app: app)
        XCTAssertEqual(whileLeased, 0)
        app.clock.advance(by: 61)
        let delivered = try await AgencyWebhooks.runDue(app: app)
        XCTAssertEqual(delivered, 1)
        delivery = try await WebhookDelivery.find(delivery.id, on: app.db)!
        XCTAssertEqual(delivery.status, .delivered)

        // What the agency's system receives can be verified with its secret.
        let hit = try XCTUnwrap(receiver.hits.last)
        XCTAssertEqual(hit.delivery, delivery.id?.uuidString)
        let timestamp = try XCTUnwrap(hit.timestamp.flatMap(Int.init))
        XCTAssertEqual(hit.signature, AgencyWebhooks.signature(secret: secret, timestamp: timestamp, body: hit.body))
        let envelope = try JSONSerialization.jsonObject(with: hit.body) as! [String: Any]
        XCTAssertEqual(envelope["type"] as? String, "case.resolved")
        XCTAssertEqual((envelope["data"] as? [String: Any])?["summary"] as? String, "Tyre changed")

        // The log shows it and a replay sends it again with the same delivery id.
        let log = try await admin.get("/agency-webhooks")
        XCTAssertTrue(log.body.string.contains("delivered"))
        let replay = try await admin.post("/agency-webhooks/deliveries/\(delivery.id!)/replay", form: [:])
        XCTAssertEqual(replay.status, .seeOther)
        for _ in 0..<500 where receiver.hits.count < 3 { try await Task.sleep(nanoseconds: 20_000_000) }
        XCTAssertEqual(receiver.hits.count, 3)
        XCTAssertEqual(receiver.hits.last?.delivery, delivery.id?.uuidString)

        // Another agency sees none of it and cannot replay it.
        let other = try await makeAgency("B")
        try await makeUser("admin@b.example", role: .agencyAdmin, agency: other)
        let b = try await signedIn("admin@b.example")
        let bPage = try await b.get("/agency-webhooks")
        XCTAssertFalse(bPage.body.string.contains(receiver.url))
        let bReplay = try await b.post("/agency-webhooks/deliveries/\(delivery.id!)/replay", form: [:])
        XCTAssertEqual(bReplay.status, .notFound)
        let bDeactivate = try await b.post("/agency-webhooks/endpoints/\(delivery.endpointID!)/deactivate", form: [:])
        XCTAssertEqual(bDeactivate.status, .notFound)
        try await receiver.stop()
    }

    func testThePortalRotatesASecretWithAnOverlapInTheAgencysLanguage() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency, language: .pt)
        let admin = try await signedIn("admin@a.example")
        _ = try await admin.get("/agency-webhooks")
        let added = try await admin.post("/agency-webhooks/endpoints", form: ["url": "https://crm.example/hook"])
        XCTAssertEqual(added.status, .created)
        let found = try await WebhookEndpointRecord.query(on: app.db).first()
        let endpoint = try XCTUnwrap(found)
        let first = endpoint.secret
        let page = try await admin.get("/agency-webhooks")
        for word in ["Desativar", "Novo segredo", "Endereços", "Nenhum envio por enquanto."] {
            XCTAssertTrue(page.body.string.contains(word), word)
        }
        let bad = try await admin.post("/agency-webhooks/endpoints/\(endpoint.id!)/rotate-secret", form: ["overlapHours": "5000"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let rotated = try await admin.post("/agency-webhooks/endpoints/\(endpoint.id!)/rotate-secret", form: ["overlapHours": "1"])
        XCTAssertEqual(rotated.status, .ok)
        let reloaded = try await WebhookEndpointRecord.find(endpoint.id, on: app.db)
        let stored = try XCTUnwrap(reloaded)
        XCTAssertNotEqual(stored.secret, first)
        XCTAssertEqual(stored.previousSecret, first)
        XCTAssertTrue(rotated.body.string.contains(stored.secret), "the new secret is shown once")
        XCTAssertTrue(rotated.body.string.contains("segredo antigo válido até"))
        // Another agency cannot rotate it; once deactivated it cannot be rotated either.
        let other = try await makeAgency("B")
        try await makeUser("admin@b.example", role: .agencyAdmin, agency: other)
        let b = try await signedIn("admin@b.example")
        _ = try await b.get("/agency-webhooks")
        let bRotate = try await b.post("/agency-webhooks/endpoints/\(endpoint.id!)/rotate-secret", form: [:])
        XCTAssertEqual(bRotate.status, .notFound)
        _ = try await admin.post("/agency-webhooks/endpoints/\(endpoint.id!)/deactivate", form: [:])
        let off = try await admin.post("/agency-webhooks/endpoints/\(endpoint.id!)/rotate-secret", form: [:])
        XCTAssertEqual(off.status, .conflict)
    }

    func testProductionAcceptsOnlyHTTPSEndpoints() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let admin = try await signedIn("admin@a.example")
        app.onspot.mode = .production
        let plain = try await admin.post("/agency-webhooks/endpoints", form: ["url": "http://crm.example/hook"])
        XCTAssertEqual(plain.status, .unprocessableEntity)
        let junk = try await admin.post("/agency-webhooks/endpoints", form: ["url": "not a url"])
        XCTAssertEqual(junk.status, .unprocessableEntity)
        let secure = try await admin.post("/agency-webhooks/endpoints", form: ["url": "https://crm.example/hook"])
        XCTAssertEqual(secure.status, .created)
    }
}
