import Fluent

/// A lease column of its own on the rows workers claim (the outbox and agency webhook deliveries), so `last_error`
/// keeps the last real error instead of a claim token (additive).
struct M014_LeaseTokens: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("outbox").field("lease_token", .string).update()
        try await db.schema("webhook_deliveries").field("lease_token", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("webhook_deliveries").deleteField("lease_token").update()
        try await db.schema("outbox").deleteField("lease_token").update()
    }
}
