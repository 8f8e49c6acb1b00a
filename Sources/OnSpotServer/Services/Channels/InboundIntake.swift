import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
import SQLKit
import Vapor

/// The durable intake of verified webhooks. Each request waits until its event is committed, then gets its 200;
/// requests that arrive while a commit is under way are committed together in the next one (group commit), so
/// SQLite's single writer makes one commit for many webhooks instead of one each.
final class InboundIntake: Sendable {
    struct Pending {
        let event: UUID
        let channel: MessagingChannel
        let body: Data
        let items: [InboundItem]
        let done: CheckedContinuation<UUID, any Error>
    }

    /// At most this many events per commit, so one commit stays short.
    static let maximumBatch = 512

    private let db: @Sendable () -> any Database
    private let state = NIOLockedValueBox<(queue: [Pending], flushing: Bool)>(([], false))

    init(db: @escaping @Sendable () -> any Database) { self.db = db }

    /// Whether webhooks are waiting for a commit: processing lets them go first, since each holds a request open.
    var isBusy: Bool { state.withLockedValue { $0.flushing } }

    func store(channel: MessagingChannel, body: Data, items: [InboundItem]) async throws -> UUID {
        try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(event: UUID(), channel: channel, body: body, items: items, done: continuation)
            let startFlushing = state.withLockedValue { s -> Bool in
                s.queue.append(pending)
                if s.flushing { return false }
                s.flushing = true
                return true
            }
            if startFlushing { Task { await self.flush() } }
        }
    }

    /// Commits what is queued, again and again until the queue is empty. One flusher at a time.
    private func flush() async {
        while true {
            let batch = state.withLockedValue { s -> [Pending] in
                let batch = Array(s.queue.prefix(Self.maximumBatch))
                s.queue.removeFirst(batch.count)
                if batch.isEmpty { s.flushing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await Self.insert(batch.map { ($0.event, $0.channel, $0.body, $0.items) }, on: db())
                for p in batch { p.done.resume(returning: p.event) }
            } catch {
                // One bad event must not fail the others: retry each on its own, and answer each with its own result.
                for p in batch {
                    do {
                        try await Self.insert([(p.event, p.channel, p.body, p.items)], on: db())
                        p.done.resume(returning: p.event)
                    } catch {
                        p.done.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// Stores one webhook on its own: tests and tools that have no running intake.
    static func store(channel: MessagingChannel, body: Data, items: [InboundItem], on db: any Database) async throws -> UUID {
        let id = UUID()
        try await insert([(id, channel, body, items)], on: db)
        return id
    }

    /// The raw bodies, their dedupe records (first writer wins on the unique provider id) and their status receipts,
    /// in one transaction and three multi-row statements.
    static func insert(_ events: [(UUID, MessagingChannel, Data, [InboundItem])], on db: any Database) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
            let now = AppClock.now
            var rows: [[any SQLExpression]] = []
            var dedupe: [[any SQLExpression]] = []
            var receipts: [[any SQLExpression]] = []
            for (id, channel, body, items) in events {
                rows.append([SQLBind(id), SQLBind(channel.rawValue), SQLBind(body), SQLBind(now), SQLBind(0)])
                for item in items {
                    switch item {
                    case .message(let m):
                        dedupe.append([SQLBind(UUID()), SQLBind(channel.rawValue), SQLBind(m.providerMessageID), SQLBind(id)])
                    case .status(let s):
                        receipts.append([
                            SQLBind(UUID()), SQLBind(channel.rawValue), SQLBind(s.providerMessageID), SQLBind(s.status.rawValue),
                            SQLBind(s.timestamp),
                            SQLBind(s.errorCode), SQLBind(now)
                        ])
                    }
                }
            }
            // SQLite binds at most 32,766 parameters per statement: chunks of 500 rows stay far below.
            for chunk in rows.chunked(500) {
                try await sql.insert(into: InboundEvent.schema).columns("id", "channel", "body", "received_at", "attempts").rows(chunk).run()
            }
            for chunk in dedupe.chunked(500) {
                try await sql.insert(into: InboundDedupe.schema).columns("id", "channel", "provider_id", "event_id")
                    .rows(chunk).ignoringConflicts(with: ["channel", "provider_id"]).run()
            }
            for chunk in receipts.chunked(500) {
                try await sql.insert(into: "message_receipts")
                    .columns("id", "channel", "provider_message_id", "status", "occurred_at", "error_code", "received_at")
                    .rows(chunk).ignoringConflicts(with: ["channel", "provider_message_id", "status"]).run()
            }
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

struct InboundIntakeKey: StorageKey { typealias Value = InboundIntake }

extension Application {
    /// The connection the intake commits on, and the one processing writes on. On SQLite each is a different event
    /// loop's connection, so a webhook's commit never queues behind a processing batch on the same connection; SQLite
    /// still takes one writer at a time, and its busy handler makes the other wait. PostgreSQL uses the whole pool.
    var intakeDB: any Database { sqliteConnection(0) ?? db }
    var processingDB: any Database { sqliteConnection(1) ?? db }

    private func sqliteConnection(_ index: Int) -> (any Database)? {
        switch onspot.database {
        case .sqliteFile, .sqliteMemory:
            var loops = eventLoopGroup.makeIterator()
            var chosen = loops.next()!
            for _ in 0..<index { if let next = loops.next() { chosen = next } }
            return databases.database(.sqlite, logger: logger, on: chosen)
        case .postgres:
            return nil
        }
    }
}

extension Application {
    var inboundIntake: InboundIntake {
        if let intake = storage[InboundIntakeKey.self] { return intake }
        let intake = InboundIntake(db: { [unowned self] in self.intakeDB })
        storage[InboundIntakeKey.self] = intake
        return intake
    }
}
