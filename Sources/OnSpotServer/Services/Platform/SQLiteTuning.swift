import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import OnSpotCore
import SQLKit
import Vapor

/// SQLite file databases run in WAL mode with synchronous=FULL: a commit is on disk before it returns, so a webhook
/// Meta got its 200 for survives a power loss, not only a killed process (NORMAL could roll back the last commits, and
/// Meta never resends what it saw acknowledged). The intake's group commit makes that one fsync per batch of webhooks,
/// not per webhook (BENCHMARKS.md has both figures). journal_mode persists in the file; synchronous is per
/// connection, so it is set on each event loop's connection. `ONSPOT_SQLITE_SYNCHRONOUS=normal` keeps the old setting
/// for a measurement.
public func tuneSQLite(_ app: Application) async throws {
    guard case .sqliteFile = app.onspot.database else { return }
    if let sql = app.db as? any SQLDatabase { try await sql.raw("PRAGMA journal_mode=WAL").run() }
    let mode = Environment.get("ONSPOT_SQLITE_SYNCHRONOUS")?.lowercased() == "normal" ? "NORMAL" : "FULL"
    for loop in app.eventLoopGroup.makeIterator() {
        if let sql = app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase {
            try await sql.raw("PRAGMA synchronous=\(unsafeRaw: mode)").run()
        }
    }
}

/// SQLite in WAL mode refuses a transaction that read before another connection committed and then tries to write
/// (SQLITE_BUSY on the upgrade: the busy handler cannot wait that out without a deadlock). Work that is all or nothing
/// and safe to repeat (a purge batch, an erasure) runs again a few times, after a short pause; PostgreSQL never gets
/// here, and any other error goes through at once.
func retryingWhenSQLiteIsBusy<T>(_ work: () async throws -> T) async throws -> T {
    var attempt = 0
    while true {
        do {
            return try await work()
        } catch let error as SQLiteError where error.reason == .busy && attempt < 8 {
            attempt += 1
            try await Task.sleep(nanoseconds: UInt64(1_000_000 << attempt))
        }
    }
}

/// Inside a transaction on SQLite: takes the write lock now, waiting for it with the busy handler, so later writes never
/// meet a snapshot another connection made stale (the effect of BEGIN IMMEDIATE, which Fluent's transaction cannot
/// issue). A write statement that changes nothing; PostgreSQL needs nothing of the kind.
func takeSQLiteWriteLock(on db: any Database) async throws {
    guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
    try await sql.raw("UPDATE job_runs SET key = key WHERE 1 = 0").run()
}
