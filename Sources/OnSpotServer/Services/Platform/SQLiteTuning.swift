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

/// Inside a transaction on SQLite: takes the write lock now, waiting for it with the busy handler, so later writes never
/// meet a snapshot another connection made stale (SQLITE_BUSY on the upgrade of a transaction that read first, which the
/// busy handler cannot wait out). The effect of BEGIN IMMEDIATE, which Fluent's transaction cannot issue: a write
/// statement that changes nothing. PostgreSQL needs nothing of the kind.
func takeSQLiteWriteLock(on db: any Database) async throws {
    guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
    try await sql.raw("UPDATE job_runs SET key = key WHERE 1 = 0").run()
}
