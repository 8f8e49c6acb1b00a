import Fluent
import SQLKit

/// Rate limits per API key (issue 16): one counter per key and window, shared by every server of the database.
struct M034_ApiRateWindows: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("api_rate_windows")
            .field("key_id", .uuid, .required)
            .field("window_number", .int64, .required)
            .field("request_count", .int64, .required)
            .compositeIdentifier(over: "key_id", "window_number")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_rate_windows").delete()
    }
}
