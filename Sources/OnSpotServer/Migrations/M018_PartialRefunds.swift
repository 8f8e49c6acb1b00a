import Fluent
import SQLKit

/// Several refunds per payment (a trip shortened after payment is refunded the difference, a later cancellation the
/// rest), each with its cause, one per payment and cause (additive). M011 allowed one refund per payment: PostgreSQL
/// drops that constraint by its catalogue entry; SQLite cannot drop a constraint, so the table (which no other table
/// references) is rebuilt without it, rows kept, existing refunds being cancellations.
struct M018_PartialRefunds: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await SchemaRepair.dropSingleColumnUniqueOnPostgres(sql, table: "refunds", column: "payment_id")
            try await sql.raw("ALTER TABLE refunds ADD COLUMN cause TEXT NOT NULL DEFAULT 'cancellation'").run()
        } else {
            try await SchemaRepair.rebuildOnSQLite(
                sql, table: "refunds",
                definition: """
                    id BLOB PRIMARY KEY, payment_id BLOB NOT NULL REFERENCES payments (id), agency_id BLOB NOT NULL REFERENCES agencies (id),
                    provider_reference TEXT, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
                    created_at REAL NOT NULL, cause TEXT NOT NULL DEFAULT 'cancellation'
                    """,
                columns: "id, payment_id, agency_id, provider_reference, amount_minor, currency, status, created_at")
        }
        try await sql.create(index: "idx_refunds_payment_cause").unique().on("refunds").column("payment_id").column("cause").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_refunds_payment_cause").run() }
        try await db.schema("refunds").deleteField("cause").update()
    }
}
