import Fluent
import Foundation
import OnSpotCore
import SQLKit

/// The durable outbox of replies to travellers (additive: a new table).
struct M005_CreateOutbox: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("outbox").id()
            .field("message_id", .uuid, .required, .references("messages", "id"))
            .field("endpoint_id", .uuid, .required, .references("channel_endpoints", "id"))
            .field("channel", .string, .required).field("payload", .data, .required)
            .field("status", .string, .required).field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required).field("last_error", .string)
            .field("created_at", .datetime, .required).create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_outbox_due").on("outbox").column("status").column("next_attempt_at").run()
        }
    }

    func revert(on db: any Database) async throws { try await db.schema("outbox").delete() }
}
