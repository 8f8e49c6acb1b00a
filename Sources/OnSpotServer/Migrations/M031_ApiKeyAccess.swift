import Fluent
import SQLKit

/// Read-only API keys (issue 16): what each key may do, existing keys keeping read and write (additive).
struct M031_ApiKeyAccess: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("api_keys").field("access", .string, .required, .sql(.default("read_write"))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_keys").deleteField("access").update()
    }
}
