import Fluent
import SQLKit

/// Issue 5: quotes, payments and refunds, invoice line states, credit notes, dunning marks, job keys, Stripe events,
/// the activities catalogue and the miles hand-offs. The first session's invoices, payments, ledger, commissions and
/// activity bookings tables get the columns they lacked.
struct M011_Billing: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("quotes").id()
            .field("trip_id", .uuid, .required, .references("trips", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("plan_code", .string, .required).field("grid_version", .int, .required)
            .field("travellers", .int, .required).field("days", .int, .required)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("created_at", .datetime, .required).field("superseded_at", .datetime).create()

        try await db.schema("payments").field("kind", .string, .required, .sql(.default("card"))).update()
        try await db.schema("payments").field("idempotency_key", .string).update()
        try await db.schema("payments").field("failure_message", .string).update()
        try await db.schema("payments").field("receipt_sent_at", .datetime).update()
        try await db.schema("payments").field("quote_id", .uuid).update()

        try await db.schema("refunds").id()
            .field("payment_id", .uuid, .required, .references("payments", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("provider_reference", .string).field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("status", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "payment_id").create()

        try await db.schema("invoice_lines").field("status", .string, .required, .sql(.default("open"))).update()
        try await db.schema("invoice_lines").field("quote_id", .uuid).update()

        try await db.schema("credit_notes").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("invoice_id", .uuid, .references("invoices", "id")).field("invoice_line_id", .uuid, .references("invoice_lines", "id"))
            .field("number", .string, .required).field("sequence", .int, .required)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("reason", .string, .required).field("issued_at", .datetime, .required)
            .unique(on: "number").unique(on: "sequence").unique(on: "invoice_line_id").create()

        try await db.schema("dunning_notices").id()
            .field("invoice_line_id", .uuid, .required, .references("invoice_lines", "id"))
            .field("stage", .string, .required).field("sent_at", .datetime, .required)
            .unique(on: "invoice_line_id", "stage").create()

        try await db.schema("job_runs").id()
            .field("key", .string, .required).field("started_at", .datetime, .required).field("summary", .string)
            .unique(on: "key").create()

        try await db.schema("stripe_events").id()
            .field("event_id", .string, .required).field("type", .string, .required).field("received_at", .datetime, .required)
            .field("payload", .string, .required).field("processed_at", .datetime)
            .unique(on: "event_id").create()

        try await db.schema("activities").id()
            .field("destination_id", .uuid, .required, .references("destinations", "id"))
            .field("name", .string, .required).field("activity_type", .string, .required).field("nature", .string, .required)
            .field("supplier", .string, .required).field("price_minor", .int64, .required).field("currency", .string, .required)
            .field("commissionable", .bool, .required).field("active", .bool, .required)
            .field("pitch_fr", .string, .required).field("pitch_en", .string, .required).field("pitch_pt", .string, .required)
            .field("created_at", .datetime, .required).create()

        try await db.schema("activity_bookings").field("activity_id", .uuid).update()
        try await db.schema("activity_bookings").field("status", .string, .required, .sql(.default("booked"))).update()

        try await db.schema("recommendations").id()
            .field("activity_id", .uuid, .required, .references("activities", "id"))
            .field("traveller_id", .uuid, .required, .references("travellers", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("sent_at", .datetime, .required).create()

        try await db.schema("miles_exports").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("ledger_transaction_id", .uuid, .required).field("amount_minor", .int64, .required).field("miles", .int64, .required)
            .field("member_number", .string, .required).field("partner_reference", .string).field("status", .string, .required)
            .field("created_at", .datetime, .required).unique(on: "ledger_transaction_id").create()

        if let sql = db as? any SQLDatabase {
            for (name, table, columns) in [
                ("idx_quotes_trip", "quotes", ["trip_id", "superseded_at"]),
                ("idx_payments_trip", "payments", ["trip_id", "status"]),
                ("idx_payments_invoice", "payments", ["invoice_id", "status"]),
                ("idx_invoice_lines_invoice", "invoice_lines", ["invoice_id", "status"]),
                ("idx_invoice_lines_trip", "invoice_lines", ["trip_id"]),
                ("idx_invoice_lines_due", "invoice_lines", ["status", "due_at"]),
                ("idx_activities_destination", "activities", ["destination_id", "active"]),
                ("idx_recommendations_traveller", "recommendations", ["traveller_id", "sent_at"]),
                ("idx_commissions_agency", "commissions", ["agency_id", "created_at"])
            ] {
                var index = sql.create(index: name).on(table)
                for column in columns { index = index.column(column) }
                try await index.run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        for table in [
            "miles_exports", "recommendations", "activities", "stripe_events", "job_runs", "dunning_notices", "credit_notes",
            "refunds", "quotes"
        ] {
            try await db.schema(table).delete()
        }
    }
}
