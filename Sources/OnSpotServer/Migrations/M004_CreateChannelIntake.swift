import Fluent
import Foundation
import SQLKit

/// Channel endpoints per destination and the durable intake of webhooks (additive: new tables only).
struct M004_CreateChannelIntake: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("channel_endpoints").id()
            .field("destination_id", .uuid, .required, .references("destinations", "id"))
            .field("channel", .string, .required)
            // phone_number_id (WhatsApp), page id (Messenger) or the toll-free number (voice)
            .field("external_id", .string, .required)
            .field("app_secret", .string, .required).field("verify_token", .string)
            .field("access_token", .string).field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "channel", "external_id").create()

        // The raw body as received, committed before the provider gets its 200.
        try await db.schema("inbound_events").id()
            .field("channel", .string, .required).field("body", .data, .required)
            .field("received_at", .datetime, .required).field("processed_at", .datetime)
            .field("attempts", .int, .required).field("last_error", .string).create()

        // One row per provider message id, across retries and concurrent deliveries.
        try await db.schema("inbound_dedupe").id()
            .field("channel", .string, .required).field("provider_id", .string, .required)
            .field("event_id", .uuid, .required, .references("inbound_events", "id"))
            .unique(on: "channel", "provider_id").create()

        try await db.schema("message_receipts").id()
            .field("channel", .string, .required).field("provider_message_id", .string, .required)
            .field("status", .string, .required).field("occurred_at", .datetime, .required)
            .field("error_code", .int).field("received_at", .datetime, .required)
            .unique(on: "channel", "provider_message_id", "status").create()

        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_inbound_events_pending").on("inbound_events").column("processed_at").column("received_at").run()
            try await sql.create(index: "idx_travellers_phone_agency").on("travellers").column("phone").column("agency_id").run()
            try await sql.create(index: "idx_messages_provider").on("messages").column("provider_message_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["message_receipts", "inbound_dedupe", "inbound_events", "channel_endpoints"] { try await db.schema(table).delete() }
    }
}
