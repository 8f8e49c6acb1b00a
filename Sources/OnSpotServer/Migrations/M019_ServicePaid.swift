import Fluent
import SQLKit

/// LIGHT pays first (additive): when a trip's service was paid. Trips registered before this existed keep their
/// service (their paid time is their registration), so nobody travelling loses assistance on the day it ships.
struct M019_ServicePaid: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("trips").field("service_paid_at", .datetime).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update("trips").set("service_paid_at", to: SQLColumn("created_at")).run()
        try await sql.create(index: "idx_trips_awaiting_payment").on("trips").column("plan_code").column("service_paid_at").column("departure_at")
            .run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.drop(index: "idx_trips_awaiting_payment").run() }
        try await db.schema("trips").deleteField("service_paid_at").update()
    }
}
