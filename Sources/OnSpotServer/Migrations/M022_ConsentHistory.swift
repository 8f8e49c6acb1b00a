import Fluent
import SQLKit

/// The history of each traveller's consents (additive): what, granted or withdrawn, how, when, by whom.
struct M022_ConsentHistory: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("consent_events").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("traveller_id", .uuid, .required, .references("travellers", "id"))
            .field("kind", .string, .required).field("granted", .bool, .required).field("source", .string, .required)
            .field("actor_user_id", .uuid).field("case_id", .uuid).field("created_at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_consent_events_traveller").on("consent_events").column("traveller_id").column("created_at").run()
        }
    }

    func revert(on db: any Database) async throws { try await db.schema("consent_events").delete() }
}
