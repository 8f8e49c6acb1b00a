import Foundation
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
        try await Self.keepOneLinePerQuote(sql)
        try await sql.create(index: "idx_invoice_lines_quote").unique().on("invoice_lines").column("quote_id").run()
        try await sql.create(index: "idx_credit_notes_quote").unique().on("credit_notes").column("quote_id").run()
        try await sql.create(index: "idx_credit_notes_line").on("credit_notes").column("invoice_line_id").run()
    }

    /// M011 allowed one credit note per line (a line was only ever credited whole); a trip shortened twice needs two.
    /// PostgreSQL drops that constraint by its catalogue entry; SQLite cannot drop a constraint, so the table (which no
    /// other table references) is rebuilt without it, rows kept.
    static func allowSeveralCreditNotesPerLine(_ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await SchemaRepair.dropSingleColumnUniqueOnPostgres(sql, table: "credit_notes", column: "invoice_line_id")
            return
        }
        try await SchemaRepair.rebuildOnSQLite(
            sql, table: "credit_notes",
            definition: """
                id BLOB PRIMARY KEY, agency_id BLOB NOT NULL REFERENCES agencies (id), invoice_id BLOB REFERENCES invoices (id),
                invoice_line_id BLOB REFERENCES invoice_lines (id), number TEXT NOT NULL UNIQUE, sequence INTEGER NOT NULL UNIQUE,
                amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, reason TEXT NOT NULL, issued_at REAL NOT NULL, quote_id BLOB
                """,
            columns: "id, agency_id, invoice_id, invoice_line_id, number, sequence, amount_minor, currency, reason, issued_at, quote_id")
    }

    /// The former monthly run could bill a trip's quote again when the trip moved to a later month: the later lines
    /// keep their amounts but no longer claim the quote, so the unique index can be built (the catch-up then credits
    /// what a trip was billed twice).
    static func keepOneLinePerQuote(_ sql: any SQLDatabase) async throws {
        let rows = try await sql.raw("SELECT id, quote_id FROM invoice_lines WHERE quote_id IS NOT NULL ORDER BY due_at, id").all()
        var seen: Set<UUID> = []
        var repeated: [UUID] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let quote = try row.decode(column: "quote_id", as: UUID.self)
            if !seen.insert(quote).inserted { repeated.append(id) }
        }
        guard !repeated.isEmpty else { return }
        try await sql.update("invoice_lines").set("quote_id", to: SQLLiteral.null).where("id", .in, SQLBind.group(repeated)).run()
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
