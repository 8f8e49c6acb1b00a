import Fluent
import SQLKit

/// A version on each itinerary segment, raised by every change through the API: `If-Match` updates and deletions
/// apply only to the version they read, in the database, so two systems sending the same ETag at once cannot both
/// win (additive; existing segments start at 0).
struct M030_SegmentVersions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("itinerary_segments").field("version", .int, .required, .sql(.default(0))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("itinerary_segments").deleteField("version").update()
    }
}
