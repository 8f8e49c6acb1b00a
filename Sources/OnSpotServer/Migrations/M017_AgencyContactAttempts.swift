import Fluent
import SQLKit

/// The expert's attempts to reach the agency, recorded before an emergency override (additive).
struct M017_AgencyContactAttempts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agency_contact_attempts").id()
            .field("case_id", .uuid, .required, .references("cases", "id")).field("agency_id", .uuid, .references("agencies", "id"))
            .field("channel", .string, .required).field("result", .string, .required).field("note", .string)
            .field("attempted_at", .datetime, .required).field("recorded_by", .uuid, .references("users", "id")).create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_contact_attempts_case").on("agency_contact_attempts").column("case_id").column("attempted_at").run()
        }
    }

    func revert(on db: any Database) async throws { try await db.schema("agency_contact_attempts").delete() }
}
