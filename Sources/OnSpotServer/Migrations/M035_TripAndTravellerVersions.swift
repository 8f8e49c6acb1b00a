import Fluent
import SQLKit

/// `ETag`/`If-Match` on trips and travellers through the API (issue 16): a version on each, raised by every change
/// (additive; existing rows start at 0).
struct M035_TripAndTravellerVersions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("trips").field("version", .int, .required, .sql(.default(0))).update()
        try await db.schema("travellers").field("version", .int, .required, .sql(.default(0))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("trips").deleteField("version").update()
        try await db.schema("travellers").deleteField("version").update()
    }
}
