import Fluent

/// Archived invoice PDFs, one per invoice (additive).
struct M020_InvoiceDocuments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("invoice_documents").id()
            .field("invoice_id", .uuid, .required, .references("invoices", "id")).field("pdf", .data, .required)
            .field("sha256", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "invoice_id").create()
    }

    func revert(on db: any Database) async throws { try await db.schema("invoice_documents").delete() }
}
