import Fluent
import SQLKit

/// The API's invoice list (issue 16): an agency's invoices newest first, read by (agency, issue time).
struct M033_InvoicesByAgency: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_invoices_agency_issued").on("invoices").column("agency_id").column("issued_at").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_invoices_agency_issued").run()
    }
}
