import Fluent
import OnSpotCore
import Foundation
import SQLKit

/// What experts need to work cases: SLA targets per plan, internal notes, attachments fetched from the providers,
/// and the phone and duty state the voice line dials. One column per update (SQLite).
struct M009_CaseWork: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // Its own table, not columns on plans: earlier migrations insert plans through the model.
        try await db.schema("service_levels").id()
            .field("plan_code", .string, .required).field("first_response_minutes", .int, .required)
            .field("resolution_minutes", .int, .required).field("updated_at", .datetime, .required)
            .unique(on: "plan_code").create()
        for (code, first, resolution) in [(PlanCode.plus, 15, 240), (PlanCode.light, 30, 480)] {
            let level = ServiceLevelRecord()
            level.planCode = code
            level.firstResponseMinutes = first
            level.resolutionMinutes = resolution
            level.updatedAt = AppClock.now
            try await level.create(on: db)
        }
        try await db.schema("case_notes").id()
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("author_id", .uuid, .references("users", "id"))
            .field("body", .string, .required).field("created_at", .datetime, .required).create()
        try await db.schema("attachments").id()
            .field("message_id", .uuid, .required, .references("messages", "id"))
            .field("provider_media_id", .string, .required).field("mime_type", .string)
            .field("size", .int).field("data", .data).field("status", .string, .required)
            .field("attempts", .int, .required).field("last_error", .string)
            .field("created_at", .datetime, .required).field("fetched_at", .datetime)
            .unique(on: "message_id", "provider_media_id").create()
        try await db.schema("users").field("phone", .string).update()
        try await db.schema("users").field("on_duty", .bool, .required, .sql(.default(false))).update()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_case_notes_case").on("case_notes").column("case_id").column("created_at").run()
            try await sql.create(index: "idx_attachments_status").on("attachments").column("status").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("attachments").delete()
        try await db.schema("case_notes").delete()
        try await db.schema("service_levels").delete()
        try await db.schema("users").deleteField("phone").update()
        try await db.schema("users").deleteField("on_duty").update()
    }
}
