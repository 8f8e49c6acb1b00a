import Fluent

/// Money given back and taken back (additive): the buyer's VAT number and the agency's choice between a refund and
/// credits when a credit note lands on a paid invoice; cancelled activity bookings and the commissions they reverse;
/// credit notes archived as PDF like invoices.
struct M021_RefundChoiceAndReversals: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // SQLite adds one column per statement.
        try await db.schema("agencies").field("vat_number", .string).update()
        try await db.schema("agencies").field("refund_preference", .string).update()
        try await db.schema("activity_bookings").field("cancelled_at", .datetime).update()
        try await db.schema("activity_bookings").field("cancelled_by", .uuid).update()
        try await db.schema("activity_bookings").field("cancellation_reason", .string).update()
        try await db.schema("commissions").field("reversed_at", .datetime).update()
        try await db.schema("commissions").field("reversed_minor", .int64).update()
        try await db.schema("credit_note_documents").id()
            .field("credit_note_id", .uuid, .required, .references("credit_notes", "id")).field("pdf", .data, .required)
            .field("sha256", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "credit_note_id").create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("credit_note_documents").delete()
        for field in ["reversed_minor", "reversed_at"] { try await db.schema("commissions").deleteField(.string(field)).update() }
        for field in ["cancellation_reason", "cancelled_by", "cancelled_at"] {
            try await db.schema("activity_bookings").deleteField(.string(field)).update()
        }
        for field in ["refund_preference", "vat_number"] { try await db.schema("agencies").deleteField(.string(field)).update() }
    }
}
