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

/// The channel secrets, read at most every few seconds rather than on every webhook.
final class SecretsCache: Sendable {
    private let entries = NIOLockedValueBox<[MessagingChannel: (secrets: [String], until: Date)]>([:])

    func secrets(for channel: MessagingChannel, on db: any Database, ttl: TimeInterval = 5) async throws -> [String] {
        if let hit = entries.withLockedValue({ $0[channel] }), hit.until > Date() { return hit.secrets }
        let secrets = Array(Set(try await ChannelEndpoint.query(on: db).filter(\.$channel == channel).filter(\.$active == true).all(\.$appSecret)))
        entries.withLockedValue { $0[channel] = (secrets, Date().addingTimeInterval(ttl)) }
        return secrets
    }

    func clear() { entries.withLockedValue { $0 = [:] } }
}

struct SecretsCacheKey: StorageKey { typealias Value = SecretsCache }

extension Application {
    var channelSecrets: SecretsCache {
        if let cache = storage[SecretsCacheKey.self] { return cache }
        let cache = SecretsCache()
        storage[SecretsCacheKey.self] = cache
        return cache
    }
}
