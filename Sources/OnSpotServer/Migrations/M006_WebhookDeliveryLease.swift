import Fluent

/// Adds the lease column that agency webhook deliveries share with the outbox (SQLite can add, never alter).
struct M006_WebhookDeliveryLease: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("webhook_deliveries").field("last_error", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("webhook_deliveries").deleteField("last_error").update()
    }
}
