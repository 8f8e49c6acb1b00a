import Fluent
import Foundation
import OnSpotCore
import SQLKit
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Background work done by several processes at once on one database: each row is claimed by one of them, so nothing is
/// done twice and nothing is left. On PostgreSQL the second process is a second application with its own connection
/// pool, as a second `onspot worker` would be; on SQLite (one process per database) the same process runs the work
/// twice at once.
final class WorkClaimTests: GraphTestCase {
    private var other: Application?

    override func tearDown() async throws {
        if let other { try await other.asyncShutdown() }
        other = nil
        try await super.tearDown()
    }

    private func secondWorker() async throws -> Application {
        guard onPostgres else { return app }
        let second = try await makeSecondProcess()
        other = second
        return second
    }

    func testTwoWorkersSendingTheOutboxAtOnceSendEachReplyExactlyOnce() async throws {
        let record = try await openCase()
        let found = try await ChannelEndpoint.query(on: app.db).first()
        let endpoint = try XCTUnwrap(found)
        let conversationID = try XCTUnwrap(record.conversationID)
        let count = 300
        for n in 0..<count {
            let payload = Data(#"{"messaging_product":"whatsapp","to":"16505551234","type":"text","text":{"body":"reply \#(n)"}}"#.utf8)
            _ = try await OutboxSender.enqueue(
                conversationID: conversationID, channel: .whatsapp, endpoint: endpoint, kind: .text, body: "reply \(n)", payload: payload,
                on: app.db)
        }
        let second = try await secondWorker()
        let first = app!
        async let a: Int = Self.drain { try await OutboxSender.runDue(app: first, limit: 25) }
        async let b: Int = Self.drain { try await OutboxSender.runDue(app: second, limit: 25) }
        let (sentByFirst, sentBySecond) = try await (a, b)
        XCTAssertEqual(sentByFirst + sentBySecond, count)
        let posted = graph.requests.filter { $0.path.hasSuffix("/messages") }
        let texts = posted.compactMap { ($0.json["text"] as? [String: Any])?["body"] as? String }
        XCTAssertEqual(texts.count, count, "every reply posted once")
        XCTAssertEqual(Set(texts).count, count, "no reply posted twice")
        let unsent = try await OutboxEntry.query(on: app.db).filter(\.$status != .sent).count()
        XCTAssertEqual(unsent, 0)
        if onPostgres { XCTAssertGreaterThan(min(sentByFirst, sentBySecond), 0, "both workers took a share") }
    }

    func testTwoWorkersProcessingTheSameWebhooksAtOnceStoreEachMessageOnce() async throws {
        try await makeWhatsAppEndpoint()
        // Five senders in every chunk: the two workers' first chunks both hold the first message of each sender.
        let senders = (0..<5).map { "49151100000\(String(format: "%02d", $0))" }
        let at = Int(Date().timeIntervalSince1970)
        for n in 0..<200 {
            let body = Data(
                #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"\#(senders[n % 5])","id":"wamid.claim\#(n)","timestamp":"\#(at + n)","type":"text","text":{"body":"message \#(n)"}}]}}]}]}"#
                    .utf8)
            _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        }
        let second = try await secondWorker()
        let first = app!
        async let a: Int = Self.drain { try await InboundProcessor.processPending(app: first, limit: 60, chunk: 10) }
        async let b: Int = Self.drain { try await InboundProcessor.processPending(app: second, limit: 60, chunk: 10) }
        _ = try await (a, b)
        _ = try await InboundProcessor.sweep(on: app.db)
        let pending = try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count()
        XCTAssertEqual(pending, 0)
        let messages = try await MessageRecord.query(on: app.db).filter(\.$direction == .inbound).all()
        XCTAssertEqual(messages.count, 200)
        XCTAssertEqual(Set(messages.compactMap(\.providerMessageID)).count, 200, "no message stored twice")
        let conversations = try await Conversation.query(on: app.db).all()
        XCTAssertEqual(conversations.count, 5, "one conversation per sender")
        XCTAssertEqual(Set(conversations.map(\.externalUserID)), Set(senders))
        let cases = try await CaseRecord.query(on: app.db).all()
        XCTAssertEqual(cases.count, 5, "one open case per conversation")
        for conversation in conversations {
            let thread = messages.filter { $0.conversationID == conversation.id }
            XCTAssertEqual(thread.count, 40, "each sender's forty messages in its one conversation")
        }
    }

    func testWorkThatRunsInOneProcessAtATimeIsSkippedElsewhereAndTakenOverAfterItsLease() async throws {
        var took: Bool
        took = try await WorkLease.take(.scheduledWork, seconds: 60, holder: "A", on: app.db)
        XCTAssertTrue(took)
        took = try await WorkLease.take(.scheduledWork, seconds: 60, holder: "B", on: app.db)
        XCTAssertFalse(took, "held by A")
        took = try await WorkLease.take(.scheduledWork, seconds: 60, holder: "A", on: app.db)
        XCTAssertTrue(took, "A renews its own")
        took = try await WorkLease.take(.approvalReminders, seconds: 60, holder: "B", on: app.db)
        XCTAssertTrue(took, "another name is free")
        let ran = try await WorkLease.run(.scheduledWork, holder: "B", on: app.db) { XCTFail("B must not run A's work") }
        XCTAssertFalse(ran)
        try await WorkLease.giveBack(.scheduledWork, holder: "A", on: app.db)
        let counter = Counter()
        let ranAfter = try await WorkLease.run(.scheduledWork, holder: "B", on: app.db) { await counter.add() }
        XCTAssertTrue(ranAfter)
        let runs = await counter.value
        XCTAssertEqual(runs, 1)
        // A holder that dies stops renewing: once its lease has run out, another takes the work over.
        took = try await WorkLease.take(.scheduledWork, seconds: 0.05, holder: "C", on: app.db)
        XCTAssertTrue(took)
        took = try await WorkLease.take(.scheduledWork, seconds: 60, holder: "D", on: app.db)
        XCTAssertFalse(took)
        try await Task.sleep(nanoseconds: 100_000_000)
        took = try await WorkLease.take(.scheduledWork, seconds: 60, holder: "D", on: app.db)
        XCTAssertTrue(took)
    }

    func testARowWhoseLeaseRanOutIsLeftToTheWorkerThatTookItAndNeverGivenBackByTheFirst() async throws {
        let record = try await openCase()
        let found = try await ChannelEndpoint.query(on: app.db).first()
        let endpoint = try XCTUnwrap(found)
        for n in 0..<3 {
            _ = try await OutboxSender.enqueue(
                conversationID: try XCTUnwrap(record.conversationID), channel: .whatsapp, endpoint: endpoint, kind: .text, body: "r\(n)",
                payload: Data("{}".utf8), on: app.db)
        }
        let pending = OutboxStatus.pending.rawValue
        let due: SQLQueryString = "status = \(bind: pending) AND next_attempt_at <= \(bind: Date().addingTimeInterval(1))"
        let first = try await Lease.claimDue(table: OutboxEntry.schema, due: due, order: "created_at", limit: 10, seconds: 60, on: app.db)
        XCTAssertEqual(first.ids.count, 3)
        let none = try await Lease.claimDue(table: OutboxEntry.schema, due: due, order: "created_at", limit: 10, on: app.db)
        XCTAssertEqual(none.ids, [], "leased rows are not due for anyone else")
        // The first worker is slow: one row's lease runs out and a second worker takes it.
        let late = first.ids[2]
        try await OutboxEntry.query(on: app.db).filter(\.$id == late).set(\.$nextAttemptAt, to: Date().addingTimeInterval(-1)).update()
        let second = try await Lease.claimDue(table: OutboxEntry.schema, due: due, order: "created_at", limit: 10, on: app.db)
        XCTAssertEqual(second.ids, [late])
        var kept = try await Lease.keep(table: OutboxEntry.schema, id: first.ids[0], claim: first, pending: pending, on: app.db)
        XCTAssertTrue(kept, "still the first worker's")
        kept = try await Lease.keep(table: OutboxEntry.schema, id: late, claim: first, pending: pending, on: app.db)
        XCTAssertFalse(kept, "taken by the second worker: the first must not send it")
        // The first worker stops and gives back what it did not start: not the second worker's row.
        try await Lease.release(table: OutboxEntry.schema, ids: [first.ids[1], late], claim: first, pending: pending, on: app.db)
        let rows = try await OutboxEntry.query(on: app.db).all()
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id!, $0) })
        XCTAssertLessThanOrEqual(try XCTUnwrap(byID[first.ids[1]]).nextAttemptAt, Date(), "given back: due at once")
        XCTAssertGreaterThan(try XCTUnwrap(byID[late]).nextAttemptAt, Date(), "still under the second worker's lease")
    }

    /// Runs `work` until it finds nothing more to do; returns how much it did.
    private static func drain(_ work: @escaping @Sendable () async throws -> Int) async throws -> Int {
        var total = 0
        for _ in 0..<200 {
            let done = try await work()
            if done == 0 { break }
            total += done
        }
        return total
    }
}

private actor Counter {
    var value = 0
    func add() { value += 1 }
}
