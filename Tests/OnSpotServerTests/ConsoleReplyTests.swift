import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class ConsoleReplyTests: GraphTestCase {
    func testReplyReachesTheGraphAPIExactlyAsDocumented() async throws {
        let record = try await openCase()
        let browser = try await expert(covering: ["us-nyc"])
        let res = try await reply(browser, record, ["text": "Your shuttle leaves at 08:00."])
        XCTAssertEqual(res.status, .accepted, res.body.string)
        try await sent()
        let request = try XCTUnwrap(graph.requests.first)
        XCTAssertEqual(request.path, "/v21.0/106540352242922/messages")
        XCTAssertEqual(request.authorization, "Bearer EAAG-token")
        XCTAssertEqual(
            String(decoding: request.body, as: UTF8.self),
            #"{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"Your shuttle leaves at 08:00.","preview_url":false},"to":"16505551234","type":"text"}"#
        )
        let message = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).first()!
        XCTAssertEqual(message.providerMessageID, "wamid.OUT1")
        XCTAssertEqual(message.status, .accepted)
        let updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertNotNil(updated.firstResponseAt)
        XCTAssertEqual(updated.status, .inProgress)
    }

    func testOutsideTheWindowOnlyATemplateGoes() async throws {
        let record = try await openCase(ago: 25 * 3600)
        let browser = try await expert(covering: ["us-nyc"])
        let refused = try await reply(browser, record, ["text": "Hello?"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(refused.headers.contentType?.subType, "problem+json")
        XCTAssertTrue((jsonObject(refused)["type"] as? String)?.hasSuffix("window-closed") == true)
        let template = try await reply(browser, record, ["template": ["name": "onspot_case_update", "parameters": ["Zoé", "HZ-2601"]]])
        XCTAssertEqual(template.status, .accepted)
        try await sent()
        let body = try XCTUnwrap(graph.requests.first).json
        XCTAssertEqual(body["type"] as? String, "template")
        XCTAssertEqual(((body["template"] as? [String: Any])?["language"] as? [String: Any])?["code"] as? String, "fr")
    }

    func testMessengerUsesTheHumanAgentTagBetweenOneAndSevenDays() async throws {
        let record = try await openCase(channel: .messenger, ago: 3 * 86400)
        let browser = try await expert(covering: ["us-nyc"])
        let res = try await reply(browser, record, ["text": "Un expert vous répond."])
        XCTAssertEqual(res.status, .accepted)
        try await sent()
        let request = try XCTUnwrap(graph.requests.first)
        XCTAssertEqual(request.path, "/v21.0/me/messages")
        XCTAssertEqual(request.json["tag"] as? String, "HUMAN_AGENT")
        XCTAssertEqual(request.json["messaging_type"] as? String, "MESSAGE_TAG")
    }

    func testProviderErrorsDecideRetryFailureOrAlert() async throws {
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let record = try await openCase()
        let browser = try await expert(covering: ["us-nyc"])
        // 130429: retried later, then delivered.
        graph.script([GraphStandIn.error(130429)])
        _ = try await reply(browser, record, ["text": "One"])
        try await sent()
        var entry = try await OutboxEntry.query(on: app.db).first()!
        XCTAssertEqual(entry.status, .pending)
        XCTAssertGreaterThan(entry.nextAttemptAt, Date())
        entry.nextAttemptAt = Date().addingTimeInterval(-1)
        try await entry.save(on: app.db)
        let delivered = try await OutboxSender.runDue(app: app)
        XCTAssertEqual(delivered, 1)
        entry = try await OutboxEntry.find(entry.id, on: app.db)!
        XCTAssertEqual(entry.status, .sent)
        XCTAssertEqual(graph.requests.count, 2)
        // 131026: undeliverable, not retried.
        graph.script([GraphStandIn.error(131026)])
        _ = try await reply(browser, record, ["text": "Two"])
        try await sent()
        let failed = try await MessageRecord.query(on: app.db).filter(\.$body == "Two").first()!
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.failedReason, "131026 undeliverable")
        // 190: the token expired; the reply waits and the OnSpot admins are told once.
        graph.script([GraphStandIn.error(190, status: 401)])
        _ = try await reply(browser, record, ["text": "Three"])
        try await sent()
        let waiting = try await MessageRecord.query(on: app.db).filter(\.$body == "Three").first()!
        XCTAssertEqual(waiting.status, .queued)
        let alerts = try await NotificationRecord.query(on: app.db).filter(\.$kind == .channelTokenExpired).count()
        XCTAssertEqual(alerts, 1)
        let admin = try await signedIn("admin@onspot.example")
        let dashboard = try await admin.get("/")
        XCTAssertTrue(dashboard.body.string.contains(#"data-kind="channel_token_expired""#), "the admin reads the alert on the dashboard")
    }

    func testTwoSendersRacingSendTheReplyOnce() async throws {
        let record = try await openCase()
        let browser = try await expert(covering: ["us-nyc"])
        graph.script([GraphStandIn.error(130429)])
        _ = try await reply(browser, record, ["text": "Once"])
        try await sent()
        let entry = try await OutboxEntry.query(on: app.db).first()!
        entry.nextAttemptAt = Date().addingTimeInterval(-1)
        try await entry.save(on: app.db)
        let app: Application = self.app
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await OutboxSender.runDue(app: app) } }
            return try await group.reduce(0, +)
        }
        XCTAssertEqual(counts, 1, "one sender wins the lease")
        XCTAssertEqual(graph.requests.count, 2, "the first try (rate limited) and exactly one retry")
    }

    func testOnlyExpertsCoveringTheDestinationReachTheCase() async throws {
        let record = try await openCase()
        let elsewhere = try await expert(covering: ["br-rio"])
        let res = try await reply(elsewhere, record, ["text": "Hi"])
        XCTAssertEqual(res.status, .notFound)
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let agentRes = try await reply(agent, record, ["text": "Hi"])
        XCTAssertEqual(agentRes.status, .notFound)
        let noCSRF = try await reply(TestBrowser(app: app), record, ["text": "Hi"])
        XCTAssertNotEqual(noCSRF.status, .accepted)
        XCTAssertTrue(graph.requests.isEmpty)
        let messages = try await MessageRecord.query(on: app.db).count()
        XCTAssertEqual(messages, 0)
    }
}
