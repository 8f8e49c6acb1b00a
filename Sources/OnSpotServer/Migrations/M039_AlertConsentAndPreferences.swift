import Fluent
import SQLKit

/// Alerts, second step (issue 14, additive): the traveller's consent to alerts (opt-in, so existing travellers start
/// without it), why an alert did not reach a traveller, when a traveller was told an alert was lifted, each agency's choice of alert emails, and the shapes of the
/// zones that alerts without geometry name (NWS), fetched once each.
struct M039_AlertConsentAndPreferences: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("travellers").field("consent_alerts", .bool, .required, .sql(.default(false))).update()
        try await db.schema("traveller_alerts").field("not_told", .string).update()
        try await db.schema("traveller_alerts").field("lifted_at", .datetime).update()
        try await db.schema("agency_alert_preferences").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .cascade))
            .field("email", .string)
            .field("email_flights", .bool, .required).field("email_weather", .bool, .required)
            .field("updated_at", .datetime, .required).field("updated_by", .uuid)
            .unique(on: "agency_id").create()
        try await db.schema("alert_zones").id()
            .field("url", .string, .required).field("areas", .string, .required).field("fetched_at", .datetime, .required)
            .unique(on: "url").create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("alert_zones").delete()
        try await db.schema("agency_alert_preferences").delete()
        try await db.schema("traveller_alerts").deleteField("lifted_at").update()
        try await db.schema("traveller_alerts").deleteField("not_told").update()
        try await db.schema("travellers").deleteField("consent_alerts").update()
    }
}
