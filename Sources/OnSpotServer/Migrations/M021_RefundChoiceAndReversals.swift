import Fluent
import SQLKit

/// Money given back and taken back (additive): the buyer's VAT number and the agency's choice between a refund and
/// credits when a credit note lands on a paid invoice; cancelled activity bookings and the commissions they reverse;
/// credit notes archived as PDF like invoices; a refund's attempt number (a refused refund is tried again under a new key).
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
        try await db.schema("refunds").field("attempt", .int, .required, .sql(.default(0))).update()
        if let sql = db as? any SQLDatabase {
            // The scheduled work looks for cancelled trips whose refunds are not settled yet.
            try await sql.create(index: "idx_trips_refund_state").on("trips").column("refund_state").column("status").run()
            // And for refunds to send again, and credit notes of the last days.
            try await sql.create(index: "idx_refunds_status").on("refunds").column("status").column("attempt").run()
            try await sql.create(index: "idx_credit_notes_issued").on("credit_notes").column("issued_at").run()
        }
        try await db.schema("credit_note_documents").id()
            .field("credit_note_id", .uuid, .required, .references("credit_notes", "id")).field("pdf", .data, .required)
            .field("sha256", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "credit_note_id").create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("credit_note_documents").delete()
        if let sql = db as? any SQLDatabase {
            for index in ["idx_credit_notes_issued", "idx_refunds_status", "idx_trips_refund_state"] { try await sql.drop(index: index).run() }
        }
        try await db.schema("refunds").deleteField("attempt").update()
        for field in ["reversed_minor", "reversed_at"] { try await db.schema("commissions").deleteField(.string(field)).update() }
        for field in ["cancellation_reason", "cancelled_by", "cancelled_at"] {
            try await db.schema("activity_bookings").deleteField(.string(field)).update()
        }
        for field in ["refund_preference", "vat_number"] { try await db.schema("agencies").deleteField(.string(field)).update() }
    }
}
