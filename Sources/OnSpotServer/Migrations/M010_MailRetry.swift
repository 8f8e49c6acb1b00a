import Fluent
import SQLKit

/// Failed mails are retried with backoff instead of staying failed.
struct M010_MailRetry: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("notifications").field("attempts", .int, .required, .sql(.default(0))).update()
        try await db.schema("notifications").field("next_attempt_at", .datetime).update()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_notifications_retry").on("notifications").column("status").column("next_attempt_at").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notifications").deleteField("attempts").update()
        try await db.schema("notifications").deleteField("next_attempt_at").update()
    }
}
