import Fluent
import SQLKit

/// A lease column of its own on the rows workers claim (the outbox and agency webhook deliveries), so `last_error`
/// keeps the last real error instead of a claim token (additive).
struct M014_LeaseTokens: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("outbox").field("lease_token", .string).update()
        try await db.schema("webhook_deliveries").field("lease_token", .string).update()
        try await Self.repairOldClaims(on: db)
    }

    /// The old claims wrote tokens into these columns; a process that died between claim and save left one behind.
    /// An approval caught that way was never decided: it is pending again (the expiry job still ends it on time).
    static func repairOldClaims(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update("approvals").set("status", to: SQLBind("pending")).where("status", .like, SQLBind("claim:%")).run()
        try await sql.update("outbox").set("last_error", to: SQLLiteral.null).where("last_error", .like, SQLBind("claim:%")).run()
        try await sql.update("webhook_deliveries").set("last_error", to: SQLLiteral.null).where("last_error", .like, SQLBind("claim:%")).run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("webhook_deliveries").deleteField("lease_token").update()
        try await db.schema("outbox").deleteField("lease_token").update()
    }
}
