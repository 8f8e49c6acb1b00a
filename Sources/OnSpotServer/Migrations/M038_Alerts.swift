import Fluent
import OnSpotCore
import SQLKit

/// Alerts (issue 14): the weather feeds polled and the official alerts they carry; the flights
/// watched and FlightAware's callbacks about them, kept as received before they are worked on; each alert as it
/// concerns one traveller of an agency (once per alert and traveller); the thresholds an OnSpot admin sets.
struct M038_Alerts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("alert_feeds").id()
            .field("format", .string, .required).field("url", .string, .required)
            .field("etag", .string).field("last_modified", .string)
            .field("last_polled_at", .datetime).field("last_status", .int).field("last_error", .string)
            .field("alerts_in_force", .int, .required).field("created_at", .datetime, .required)
            .unique(on: "url").create()
        try await db.schema("weather_alerts").id()
            .field("feed_id", .uuid, .references("alert_feeds", "id", onDelete: .setNull))
            .field("sender", .string, .required).field("identifier", .string, .required).field("sent", .datetime, .required)
            .field("message_type", .string, .required).field("event", .string, .required).field("headline", .string)
            .field("description", .string).field("instruction", .string).field("language", .string, .required)
            .field("severity", .string, .required).field("urgency", .string, .required).field("certainty", .string, .required)
            .field("effective", .datetime).field("expires", .datetime)
            .field("area_description", .string, .required).field("areas", .string, .required)
            .field("warrants_notice", .bool, .required).field("state", .string, .required).field("replaced_by", .uuid)
            .field("changes", .string).field("source_url", .string)
            .field("created_at", .datetime, .required).field("ended_at", .datetime)
            .unique(on: "sender", "identifier").create()
        try await db.schema("flight_watches").id()
            .field("segment_id", .uuid, .required, .references("itinerary_segments", "id", onDelete: .cascade))
            .field("trip_id", .uuid, .required, .references("trips", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required)
            .field("ident", .string, .required).field("origin", .string, .required).field("destination", .string, .required)
            .field("scheduled_departure", .datetime, .required).field("provider_alert_id", .string)
            .field("state", .string, .required).field("last_error", .string)
            .field("known_gate", .string).field("known_terminal", .string)
            .field("last_status_at", .datetime).field("last_polled_at", .datetime)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .unique(on: "segment_id").create()
        try await db.schema("flight_events").id()
            .field("body", .string, .required).field("status", .string, .required).field("outcome", .string)
            .field("lease_token", .string).field("next_attempt_at", .datetime, .required)
            .field("created_at", .datetime, .required).field("processed_at", .datetime)
            .create()
        try await db.schema("traveller_alerts").id()
            .field("agency_id", .uuid, .required).field("trip_id", .uuid).field("traveller_id", .uuid).field("destination_id", .uuid)
            .field("kind", .string, .required).field("event", .string, .required).field("severity", .string)
            .field("headline", .string, .required).field("detail", .string).field("changes", .string)
            .field("source_key", .string, .required).field("weather_alert_id", .uuid).field("flight_watch_id", .uuid)
            .field("case_id", .uuid).field("message_id", .uuid).field("starts_at", .datetime).field("ends_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "source_key", "traveller_id").create()
        try await db.schema("alert_settings").id()
            .field("name", .string, .required).field("value", .int, .required).field("updated_at", .datetime, .required)
            .unique(on: "name").create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_weather_alerts_state").on("weather_alerts").column("state").column("expires").run()
        try await sql.create(index: "idx_weather_alerts_source").on("weather_alerts").column("source_url").run()
        try await sql.create(index: "idx_flight_watches_state").on("flight_watches").column("state").column("scheduled_departure").run()
        try await sql.create(index: "idx_flight_watches_ident").on("flight_watches").column("ident").column("scheduled_departure").run()
        try await sql.create(index: "idx_flight_events_due").on("flight_events").column("status").column("next_attempt_at").run()
        try await sql.create(index: "idx_traveller_alerts_agency").on("traveller_alerts").column("agency_id").column("created_at").run()
        try await sql.create(index: "idx_traveller_alerts_weather").on("traveller_alerts").column("weather_alert_id").run()
        try await sql.create(index: "idx_traveller_alerts_trip").on("traveller_alerts").column("trip_id").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["alert_settings", "traveller_alerts", "flight_events", "flight_watches", "weather_alerts", "alert_feeds"] {
            try await db.schema(table).delete()
        }
    }
}
