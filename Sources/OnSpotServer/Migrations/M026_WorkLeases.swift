import Fluent
import SQLKit

/// Leases of their own for the rows the remaining loops claim (additive): mail retries and attachment downloads carry
/// the claiming worker's token, and attachments a time before which no other worker takes them (a download that fails
/// is tried again after it, not on every pass); `work_leases` names the work one process at a time does.
struct M026_WorkLeases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("notifications").field("lease_token", .string).update()
        try await db.schema("attachments").field("lease_token", .string).update()
        try await db.schema("attachments").field("next_attempt_at", .datetime).update()
        try await db.schema("work_leases")
            .field("name", .string, .required).field("holder", .string, .required).field("leased_until", .datetime, .required)
            .unique(on: "name").create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_attachments_due").on("attachments").column("status").column("next_attempt_at").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_attachments_due").run() }
        try await db.schema("work_leases").delete()
        try await db.schema("attachments").deleteField("next_attempt_at").update()
        try await db.schema("attachments").deleteField("lease_token").update()
        try await db.schema("notifications").deleteField("lease_token").update()
    }
}
