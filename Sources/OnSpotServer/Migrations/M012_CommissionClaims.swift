import Fluent
import SQLKit

/// Late commission claims (issue 5, item 7, on the On Business model): an activity booked for an agency's traveller that
/// is missing from its commission report may be claimed within the policy's delay, then reviewed by OnSpot. Also: at most
/// one card payment in progress per trip and per invoice, so a double submission cannot charge twice.
struct M012_CommissionClaims: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("commission_claims").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("activity_id", .uuid, .required, .references("activities", "id"))
            .field("activity_date", .datetime, .required).field("amount_billed_minor", .int64, .required).field("currency", .string, .required)
            .field("supplier_reference", .string, .required).field("status", .string, .required)
            .field("submitted_at", .datetime, .required).field("submitted_by", .uuid)
            .field("decided_at", .datetime).field("decided_by", .uuid).field("decision_note", .string)
            .field("activity_booking_id", .uuid)
            .unique(on: "agency_id", "supplier_reference").create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_commission_claims_status").on("commission_claims").column("status").column("submitted_at").run()
            // Partial unique indexes: the same statement on SQLite and PostgreSQL.
            try await sql.raw("CREATE UNIQUE INDEX idx_payments_one_processing_trip ON payments (trip_id) WHERE status = 'processing'").run()
            try await sql.raw("CREATE UNIQUE INDEX idx_payments_one_processing_invoice ON payments (invoice_id) WHERE status = 'processing'").run()
        }
    }

    func revert(on db: any Database) async throws { try await db.schema("commission_claims").delete() }
}
