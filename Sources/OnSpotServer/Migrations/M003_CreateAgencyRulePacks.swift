import Fluent
import Foundation
import SQLKit

/// Agencies' own suppliers' booking conditions, as rule packs they upload (additive: a new table).
struct M003_CreateAgencyRulePacks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agency_rule_packs").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("pack_id", .string, .required).field("title", .string, .required)
            .field("yaml", .string, .required).field("created_at", .datetime, .required)
            .field("created_by", .uuid, .references("users", "id"))
            .unique(on: "agency_id", "pack_id").create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("agency_rule_packs").delete()
    }
}
