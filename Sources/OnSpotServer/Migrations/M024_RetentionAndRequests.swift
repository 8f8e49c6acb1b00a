import Fluent
import SQLKit

/// Retention policies and the data-subject request log (additive): the bounds an OnSpot admin sets per category, each
/// agency's choice within them, the requests an agency received, when cases and conversations were purged, and the
/// indexes the daily purge filters on.
struct M024_RetentionAndRequests: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("retention_bounds").id()
            .field("category", .string, .required).field("minimum_months", .int, .required).field("maximum_months", .int, .required)
            .field("default_months", .int, .required).field("updated_at", .datetime, .required).field("updated_by", .uuid)
            .unique(on: "category").create()
        try await db.schema("retention_policies").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("category", .string, .required).field("months", .int, .required)
            .field("updated_at", .datetime, .required).field("updated_by", .uuid)
            .unique(on: "agency_id", "category").create()
        try await db.schema("data_subject_requests").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("kind", .string, .required).field("subject_reference", .string, .required)
            .field("received_on", .datetime, .required).field("due_on", .datetime, .required)
            .field("extended_until", .datetime).field("extension_reason", .string)
            .field("status", .string, .required).field("outcome", .string)
            .field("created_at", .datetime, .required).field("created_by", .uuid)
            .field("closed_at", .datetime).field("closed_by", .uuid)
            .create()
        try await db.schema("cases").field("purged_at", .datetime).update()
        try await db.schema("conversations").field("purged_at", .datetime).update()
        if let sql = db as? any SQLDatabase {
            let indexes: [(String, String, [String])] = [
                ("idx_data_subject_requests_agency", "data_subject_requests", ["agency_id", "status", "due_on"]),
                ("idx_trips_agency_return", "trips", ["agency_id", "return_at"]),
                ("idx_conversations_agency_trip", "conversations", ["agency_id", "trip_id"]),
                ("idx_idempotency_agency_created", "idempotency_records", ["agency_id", "created_at"]),
                ("idx_outbox_created", "outbox", ["created_at"]),
                ("idx_login_attempts_created", "login_attempts", ["created_at"]),
                ("idx_message_receipts_received", "message_receipts", ["received_at"]),
                ("idx_stripe_events_received", "stripe_events", ["received_at"])
            ]
            for (name, table, columns) in indexes {
                var builder = sql.create(index: name).on(table)
                for column in columns { builder = builder.column(column) }
                try await builder.run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("conversations").deleteField("purged_at").update()
        try await db.schema("cases").deleteField("purged_at").update()
        try await db.schema("data_subject_requests").delete()
        try await db.schema("retention_policies").delete()
        try await db.schema("retention_bounds").delete()
    }
}
