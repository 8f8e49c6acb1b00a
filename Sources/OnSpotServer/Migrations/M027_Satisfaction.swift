import Fluent

/// The traveller's satisfaction on each case (issue 13, item 7), additive: when it was asked, the rating, an optional
/// comment and when they answered.
struct M027_Satisfaction: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").field("satisfaction_requested_at", .datetime).update()
        try await db.schema("cases").field("satisfaction_rating", .int).update()
        try await db.schema("cases").field("satisfaction_comment", .string).update()
        try await db.schema("cases").field("satisfaction_answered_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        for field in ["satisfaction_answered_at", "satisfaction_comment", "satisfaction_rating", "satisfaction_requested_at"] {
            try await db.schema("cases").deleteField(.string(field)).update()
        }
    }
}
