import Fluent
import SQLKit

/// The API lists a trip's cases (`GET /api/v1/cases?trip=`), newest first: an index on the trip and the opening time,
/// so that read does not walk every case of the agency (additive).
struct M029_CasesByTrip: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_cases_trip_opened").on("cases").column("trip_id").column("opened_at").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_cases_trip_opened").run()
    }
}
