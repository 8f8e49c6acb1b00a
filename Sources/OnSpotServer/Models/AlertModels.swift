import Fluent
import Foundation
import OnSpotCore

/// The three kinds of weather source (`ONSPOT_ALERT_FEEDS=format=url,…`).
enum AlertFeedFormat: String, StoredCode {
    /// api.weather.gov/alerts/active: GeoJSON whose features carry CAP's fields.
    case nws
    /// A CAP 1.2 document, or an Atom/RSS feed of them (Environment Canada's CAP-CP, SMN, INMET, MetService).
    case cap
    /// GDACS's CAP feed: RSS items with embedded or linked CAP alerts, cyclones and earthquakes worldwide.
    case gdacs
}

/// A weather feed as configured, with what its last poll did (the admin's alerts page).
final class AlertFeed: Model, @unchecked Sendable {
    static let schema = "alert_feeds"
    @ID(key: .id) var id: UUID?
    @Field(key: "format") var format: AlertFeedFormat
    @Field(key: "url") var url: String
    /// The validators of the last answer, sent back as If-None-Match / If-Modified-Since.
    @OptionalField(key: "etag") var etag: String?
    @OptionalField(key: "last_modified") var lastModified: String?
    @OptionalField(key: "last_polled_at") var lastPolledAt: Date?
    @OptionalField(key: "last_status") var lastStatus: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "alerts_in_force") var alertsInForce: Int
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

enum WeatherAlertState: String, StoredCode {
    case active, replaced, cancelled, expired
}

/// One official alert message, kept the way CAP means it (`AlertBook`): an update replaces what it references, a cancel
/// ends it, `expires` ends it. Its areas are kept as JSON polygons and circles; the places they are matched against (a
/// few dozen destinations and their trips) are filtered by the areas' bounding box in OnSpotCore, then tested.
final class WeatherAlert: Model, @unchecked Sendable {
    static let schema = "weather_alerts"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "feed_id") var feedID: UUID?
    @Field(key: "sender") var sender: String
    @Field(key: "identifier") var identifier: String
    @Field(key: "sent") var sent: Date
    @Field(key: "message_type") var messageType: String
    @Field(key: "event") var event: String
    @OptionalField(key: "headline") var headline: String?
    @OptionalField(key: "description") var alertDescription: String?
    @OptionalField(key: "instruction") var instruction: String?
    @Field(key: "language") var language: String
    @Field(key: "severity") var severity: String
    @Field(key: "urgency") var urgency: String
    @Field(key: "certainty") var certainty: String
    @OptionalField(key: "effective") var effective: Date?
    @OptionalField(key: "expires") var expires: Date?
    @Field(key: "area_description") var areaDescription: String
    /// JSON `AlertAreas`.
    @Field(key: "areas") var areas: String
    @Field(key: "warrants_notice") var warrantsNotice: Bool
    @Field(key: "state") var state: WeatherAlertState
    @OptionalField(key: "replaced_by") var replacedBy: UUID?
    /// For an update: the fields it changed, comma-separated (`AlertBook.Field`).
    @OptionalField(key: "changes") var changes: String?
    @OptionalField(key: "source_url") var sourceURL: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?
    init() {}
}

enum FlightWatchState: String, StoredCode {
    /// Not yet registered with the provider (or to be tried again).
    case pending
    case registered
    /// The provider refused it: the error says why; polling still watches it.
    case failed
    /// The segment ended, was removed, or its trip was cancelled: the provider's alert is deleted.
    case ended
}

/// A flight segment OnSpot watches from 72 hours before its departure until it ends.
final class FlightWatch: Model, @unchecked Sendable {
    static let schema = "flight_watches"
    @ID(key: .id) var id: UUID?
    @Field(key: "segment_id") var segmentID: UUID
    @Field(key: "trip_id") var tripID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "ident") var ident: String
    @Field(key: "origin") var origin: String
    @Field(key: "destination") var destination: String
    @Field(key: "scheduled_departure") var scheduledDeparture: Date
    @OptionalField(key: "provider_alert_id") var providerAlertID: String?
    @Field(key: "state") var state: FlightWatchState
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "known_gate") var knownGate: String?
    @OptionalField(key: "known_terminal") var knownTerminal: String?
    @OptionalField(key: "last_status_at") var lastStatusAt: Date?
    @OptionalField(key: "last_polled_at") var lastPolledAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

enum FlightEventStatus: String, StoredCode { case pending, done, ignored, failed }

/// A FlightAware callback as received, stored before it is acknowledged and worked on after.
final class FlightEvent: Model, @unchecked Sendable {
    static let schema = "flight_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "body") var body: String
    @Field(key: "status") var status: FlightEventStatus
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "lease_token") var leaseToken: String?
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @Field(key: "created_at") var receivedAt: Date
    @OptionalField(key: "processed_at") var processedAt: Date?
    init() {}
}

enum TravellerAlertKind: String, StoredCode { case weather, flight }

/// Why a traveller concerned by an alert got no message: the agency sees it and can call them instead.
enum AlertNotTold: String, StoredCode {
    /// No consent to alerts (opt-in) or withdrawn with STOP.
    case noConsent = "no_consent"
    /// No registered phone number that WhatsApp can reach, nor a Messenger conversation of the day.
    case noPhone = "no_phone"
    /// The destination has no active WhatsApp line (and no Messenger conversation of the day).
    case noLine = "no_line"
    /// Reported as abusive: OnSpot writes to them only to answer.
    case abusive
}

/// An alert as it concerns one traveller of an agency: what the dashboard, the alerts page and `GET /api/v1/alerts`
/// list, and the ledger that tells each traveller once per alert (unique on source and traveller).
final class TravellerAlert: Model, @unchecked Sendable {
    static let schema = "traveller_alerts"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "trip_id") var tripID: UUID?
    @OptionalField(key: "traveller_id") var travellerID: UUID?
    @OptionalField(key: "destination_id") var destinationID: UUID?
    @Field(key: "kind") var kind: TravellerAlertKind
    /// The official event ("Hurricane Warning") or the flight's change (cancelled, departure_delay…).
    @Field(key: "event") var event: String
    @OptionalField(key: "severity") var severity: String?
    @Field(key: "headline") var headline: String
    @OptionalField(key: "detail") var detail: String?
    @OptionalField(key: "changes") var changes: String?
    /// "weather:<alert id>" or "flight:<watch id>:<flight>:<change key>".
    @Field(key: "source_key") var sourceKey: String
    @OptionalField(key: "weather_alert_id") var weatherAlertID: UUID?
    @OptionalField(key: "flight_watch_id") var flightWatchID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    /// The message that told the traveller; nil when they were not told, and `notTold` says why.
    @OptionalField(key: "message_id") var messageID: UUID?
    @OptionalField(key: "not_told") var notTold: AlertNotTold?
    /// When the traveller was told the authorities lifted the alert (a CAP Cancel); once.
    @OptionalField(key: "lifted_at") var liftedAt: Date?
    @OptionalField(key: "starts_at") var startsAt: Date?
    @OptionalField(key: "ends_at") var endsAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

extension TravellerAlert {
    /// Inserts the row unless one with the same source and traveller exists; false when one does. Another process may
    /// race: the unique index decides, and the loser reads "already told".
    func createOnce(on db: any Database) async throws -> Bool {
        let existing = TravellerAlert.query(on: db).filter(\.$sourceKey == sourceKey)
        if let travellerID { existing.filter(\.$travellerID == travellerID) } else { existing.filter(\.$travellerID == nil) }
        guard try await existing.count() == 0 else { return false }
        do {
            try await create(on: db)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }
}

/// A setting of the alerts an OnSpot admin changes (the delay thresholds), by name.
final class AlertSetting: Model, @unchecked Sendable {
    static let schema = "alert_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "value") var value: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// The alert emails an agency wants: to which address (its contact email when none), about which kinds. The portal,
/// the dashboard, the API and the webhooks show every alert whatever is chosen here.
final class AgencyAlertPreferences: Model, @unchecked Sendable {
    static let schema = "agency_alert_preferences"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "email") var email: String?
    @Field(key: "email_flights") var emailFlights: Bool
    @Field(key: "email_weather") var emailWeather: Bool
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    init() {}

    /// The address for one kind of alert, nil when the agency does not want that email.
    func recipient(for kind: TravellerAlertKind, contactEmail: String) -> String? {
        guard kind == .flight ? emailFlights : emailWeather else { return nil }
        return email ?? contactEmail
    }

    /// The agency's choice, or the default (both kinds, to its contact email).
    static func of(agencyID: UUID, on db: any Database) async throws -> AgencyAlertPreferences {
        if let stored = try await query(on: db).filter(\.$agencyID == agencyID).first() { return stored }
        let defaults = AgencyAlertPreferences()
        defaults.agencyID = agencyID
        defaults.emailFlights = true
        defaults.emailWeather = true
        defaults.updatedAt = AppClock.now
        return defaults
    }
}

/// A zone's shape as its publisher serves it (NWS `zones/forecast/FLZ173`), kept as `StoredAlertAreas` JSON: zones
/// change a few times a decade, alerts name the same ones again and again.
final class AlertZone: Model, @unchecked Sendable {
    static let schema = "alert_zones"
    @ID(key: .id) var id: UUID?
    @Field(key: "url") var url: String
    @Field(key: "areas") var areas: String
    @Field(key: "fetched_at") var fetchedAt: Date
    init() {}
}
