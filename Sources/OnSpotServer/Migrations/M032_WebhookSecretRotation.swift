import Fluent
import SQLKit

/// Webhook endpoints through the API (issue 16): a secret rotated with an overlap keeps the previous one signing for a
/// while; when an endpoint was turned off; deliveries listed per agency newest first.
struct M032_WebhookSecretRotation: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema("webhook_endpoints").field("previous_secret", .string).update()
        try await db.schema("webhook_endpoints").field("previous_secret_expires_at", .datetime).update()
        try await db.schema("webhook_endpoints").field("secret_rotated_at", .datetime).update()
        try await db.schema("webhook_endpoints").field("deactivated_at", .datetime).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_webhook_deliveries_agency_created").on("webhook_deliveries").column("agency_id").column("created_at")
            .run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_webhook_deliveries_agency_created").run() }
        for column in ["previous_secret", "previous_secret_expires_at", "secret_rotated_at", "deactivated_at"] {
            try await db.schema("webhook_endpoints").deleteField(.key(.string(column))).update()
        }
    }
}
