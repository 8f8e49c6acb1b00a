import Fluent
import SQLKit

/// Supplementary invoices and partial credit notes (clause 4.1 after the run, additive): an invoice's kind, the quote a
/// credit note answers, and one line or credit note per quote, so two workers catching up at once bill it once.
struct M015_SupplementaryInvoices: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("invoices").field("kind", .string, .required, .sql(.default("monthly"))).update()
        try await db.schema("credit_notes").field("quote_id", .uuid).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await Self.allowSeveralCreditNotesPerLine(sql)
        try await sql.create(index: "idx_invoice_lines_quote").unique().on("invoice_lines").column("quote_id").run()
        try await sql.create(index: "idx_credit_notes_quote").unique().on("credit_notes").column("quote_id").run()
        try await sql.create(index: "idx_credit_notes_line").on("credit_notes").column("invoice_line_id").run()
    }

    /// M011 allowed one credit note per line (a line was only ever credited whole); a trip shortened twice needs two.
    /// PostgreSQL drops that constraint by its catalogue entry; SQLite cannot drop a constraint, so the table (which no
    /// other table references) is rebuilt without it, rows kept.
    static func allowSeveralCreditNotesPerLine(_ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                DO $$ DECLARE c text; BEGIN
                  SELECT conname INTO c FROM pg_constraint
                   WHERE conrelid = 'credit_notes'::regclass AND contype = 'u' AND cardinality(conkey) = 1
                     AND conkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'credit_notes'::regclass AND attname = 'invoice_line_id');
                  IF c IS NOT NULL THEN EXECUTE 'ALTER TABLE credit_notes DROP CONSTRAINT ' || quote_ident(c); END IF;
                END $$
                """
            ).run()
            return
        }
        let columns = "id, agency_id, invoice_id, invoice_line_id, number, sequence, amount_minor, currency, reason, issued_at, quote_id"
        try await sql.raw(
            """
            CREATE TABLE credit_notes_rebuilt (
              id BLOB PRIMARY KEY, agency_id BLOB NOT NULL REFERENCES agencies (id), invoice_id BLOB REFERENCES invoices (id),
              invoice_line_id BLOB REFERENCES invoice_lines (id), number TEXT NOT NULL UNIQUE, sequence INTEGER NOT NULL UNIQUE,
              amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, reason TEXT NOT NULL, issued_at REAL NOT NULL, quote_id BLOB)
            """
        ).run()
        try await sql.raw("INSERT INTO credit_notes_rebuilt (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM credit_notes").run()
        try await sql.raw("DROP TABLE credit_notes").run()
        try await sql.raw("ALTER TABLE credit_notes_rebuilt RENAME TO credit_notes").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            for name in ["idx_credit_notes_line", "idx_credit_notes_quote", "idx_invoice_lines_quote"] {
                try await sql.drop(index: name).run()
            }
        }
        try await db.schema("credit_notes").deleteField("quote_id").update()
        try await db.schema("invoices").deleteField("kind").update()
    }
}
