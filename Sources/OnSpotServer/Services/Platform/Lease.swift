import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Vapor

/// A short lease on a due row, taken with one conditional UPDATE: of several workers racing for the same row,
/// only the one whose token is written works on it; a worker that dies lets the lease expire and the row is retried.
/// The token has its own column (`lease_token`, M014, M026): `last_error` keeps the last real error.
enum Lease {
    static func claim(table: String, id: UUID, pending: String, seconds: TimeInterval = 60, on db: any Database) async throws -> String? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let token = "claim:" + UUID().uuidString
        let now = AppClock.now
        try await sql.update(table)
            .set("lease_token", to: SQLBind(token)).set("next_attempt_at", to: SQLBind(now.addingTimeInterval(seconds)))
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(pending))
            .where("next_attempt_at", .lessThanOrEqual, SQLBind(now))
            .run()
        struct Row: Decodable { let lease_token: String? }
        let row = try await sql.select().column("lease_token").from(table).where("id", .equal, SQLBind(id)).first(decoding: Row.self)
        return row?.lease_token == token ? token : nil
    }

    /// Rows one worker claimed together, under one token.
    struct Claim: Sendable {
        let token: String
        let ids: [UUID]
    }

    /// Claims up to `limit` due rows of `table` in one statement and returns their ids: each gets this worker's token
    /// and its `until` column moved `seconds` ahead, so no other worker takes it before then, and a worker that dies
    /// lets it come due again. On PostgreSQL the rows are chosen `FOR UPDATE SKIP LOCKED`: workers racing for the same
    /// table take different rows without waiting for each other. SQLite has one writer, which makes the statement
    /// atomic on its own.
    static func claimDue(
        table: String, due: SQLQueryString, order: String, limit: Int, until: String = "next_attempt_at", seconds: TimeInterval = 60,
        on db: any Database
    ) async throws -> Claim {
        let token = "claim:" + UUID().uuidString
        guard let sql = db as? any SQLDatabase, limit > 0 else { return Claim(token: token, ids: []) }
        let skipLocked = isPostgres(sql) ? " FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE \(ident: table) SET lease_token = \(bind: token), \(ident: until) = \(bind: AppClock.now.addingTimeInterval(seconds)) \
            WHERE id IN (SELECT id FROM \(ident: table) WHERE \(due) ORDER BY \(unsafeRaw: order) LIMIT \(literal: limit)\(unsafeRaw: skipLocked)) \
            RETURNING id
            """
        struct Row: Decodable { let id: UUID }
        return Claim(token: token, ids: try await sql.raw(query).all(decoding: Row.self).map(\.id))
    }

    /// `claimDue` on a model's table, and the claimed rows loaded in the order they were queued.
    static func claimRows<M: Model>(
        _ type: M.Type, due: SQLQueryString, order: String, limit: Int, seconds: TimeInterval = 60, on db: any Database
    ) async throws -> (claim: Claim, rows: [M]) where M.IDValue == UUID {
        let claim = try await claimDue(table: M.schema, due: due, order: order, limit: limit, seconds: seconds, on: db)
        guard !claim.ids.isEmpty else { return (claim, []) }
        return (claim, try await M.query(on: db).filter(\._$id ~~ claim.ids).sort("created_at").all())
    }

    /// Works through claimed rows in order and returns how many `work` counted. Just before each row, `keep` checks it
    /// is still this claim's: a slow one ahead may have outlasted the lease, and another worker taken it. With
    /// `givingBackWhen`, once the process is stopping, the rows not started are released at once for the next worker.
    static func workThrough<M: Model>(
        _ rows: [M], of claim: Claim, pending: String, seconds: TimeInterval = 60, on db: any Database,
        givingBackWhen stopping: (@Sendable () -> Bool)? = nil, _ work: (M) async throws -> Bool
    ) async throws -> Int where M.IDValue == UUID {
        var counted = 0
        for (index, row) in rows.enumerated() {
            if let stopping, stopping() {
                try await release(table: M.schema, ids: rows[index...].compactMap(\.id), claim: claim, pending: pending, on: db)
                break
            }
            guard let id = row.id, try await keep(table: M.schema, id: id, claim: claim, pending: pending, seconds: seconds, on: db)
            else { continue }
            if try await work(row) { counted += 1 }
        }
        return counted
    }

    /// Just before working on one row of a batch: true, and the lease extended by `seconds`, if the row is still this
    /// claim's and still due; false if its lease ran out while earlier rows were worked on and another worker took it.
    static func keep(
        table: String, id: UUID, claim: Claim, pending: String, until: String = "next_attempt_at", seconds: TimeInterval = 60,
        on db: any Database
    ) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        struct Row: Decodable { let id: UUID }
        let kept = try await sql.raw(
            """
            UPDATE \(ident: table) SET \(ident: until) = \(bind: AppClock.now.addingTimeInterval(seconds)) \
            WHERE id = \(bind: id) AND lease_token = \(bind: claim.token) AND status = \(bind: pending) RETURNING id
            """
        ).first(decoding: Row.self)
        return kept != nil
    }

    /// Gives back claimed rows not worked on (the process is stopping): due again at once, for the next worker. Only
    /// rows still under this claim: one another worker took meanwhile stays its own.
    static func release(
        table: String, ids: [UUID], claim: Claim, pending: String, until: String = "next_attempt_at", on db: any Database
    ) async throws {
        guard let sql = db as? any SQLDatabase, !ids.isEmpty else { return }
        try await sql.update(table).set(SQLIdentifier(until), to: SQLBind(AppClock.now)).set("lease_token", to: SQLLiteral.null)
            .where("id", .in, SQLBind.group(ids)).where("status", .equal, SQLBind(pending))
            .where("lease_token", .equal, SQLBind(claim.token)).run()
    }

    static func isPostgres(_ db: any Database) -> Bool { (db as? any SQLDatabase).map(isPostgres) ?? false }
    static func isPostgres(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "postgresql" }
}

/// Work that runs in one process at a time among all the processes on one database (the scheduled billing run,
/// approval reminders): a named lease row (`work_leases`, M026) taken with one upsert that succeeds only when the
/// lease is free, expired, or already this process's. It is renewed while the work runs and given back at its end; a
/// process that dies stops renewing, and another takes the work over once the lease has expired.
enum WorkLease {
    enum Name: String {
        case scheduledWork = "scheduled-work"
        case approvalReminders = "approval-reminders"
        case weatherAlerts = "weather-alerts"
        case flightWatches = "flight-watches"
    }

    /// This process, as a lease holder.
    static let holder = "process:" + UUID().uuidString

    struct LeaseLost: Error, CustomStringConvertible {
        let name: Name
        var description: String { "the \(name.rawValue) lease was lost while its work ran: stopped so that it never runs twice" }
    }

    /// Runs `work` if no other process holds `name`; returns false when it was skipped. The lease is renewed every third
    /// of its length while the work runs; a renewal refused or failing stops the work (it is cancelled and this
    /// throws), since another process may take the lease over.
    @discardableResult
    static func run(
        _ name: Name, seconds: TimeInterval = 120, holder: String = WorkLease.holder, on db: any Database,
        _ work: @escaping @Sendable () async throws -> Void
    ) async throws -> Bool {
        guard try await take(name, seconds: seconds, holder: holder, on: db) else { return false }
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await work()
                    return true
                }
                group.addTask {
                    while true {
                        try await Task.sleep(nanoseconds: UInt64(seconds / 3 * 1_000_000_000))
                        guard try await take(name, seconds: seconds, holder: holder, on: db) else { throw LeaseLost(name: name) }
                    }
                }
                // The first to end: the work (done or failed), or the renewal (lease lost); the other is cancelled and
                // awaited, so no renewal lands after the lease is given back.
                _ = try await group.next()
                group.cancelAll()
            }
        } catch {
            try? await giveBack(name, holder: holder, on: db)
            throw error
        }
        try await giveBack(name, holder: holder, on: db)
        return true
    }

    static func take(_ name: Name, seconds: TimeInterval, holder: String, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return true }
        let now = AppClock.now
        struct Row: Decodable { let holder: String }
        let row = try await sql.raw(
            """
            INSERT INTO work_leases (name, holder, leased_until) VALUES (\(bind: name.rawValue), \(bind: holder), \(bind: now.addingTimeInterval(seconds))) \
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until \
            WHERE work_leases.leased_until <= \(bind: now) OR work_leases.holder = excluded.holder \
            RETURNING holder
            """
        ).first(decoding: Row.self)
        return row?.holder == holder
    }

    static func giveBack(_ name: Name, holder: String, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update("work_leases").set("leased_until", to: SQLBind(AppClock.now.addingTimeInterval(-1)))
            .where("name", .equal, SQLBind(name.rawValue)).where("holder", .equal, SQLBind(holder)).run()
    }
}
