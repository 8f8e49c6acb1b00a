import Fluent
import NIOConcurrencyHelpers
import Foundation
import SQLKit
import NIOCore
import Vapor

/// A short lease on a due row, taken with one conditional UPDATE: of several workers racing for the same row,
/// only the one whose token is written works on it; a worker that dies lets the lease expire and the row is retried.
/// The token has its own column (`lease_token`, M014): `last_error` keeps the last real error.
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
}
