import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Alerts (issue 14): FlightAware's callbacks, the agency's alerts page and API list, the admin's sources and
/// thresholds. Every agency read is filtered on the signed-in agency (or the API key's).
enum AlertsController {
    // MARK: FlightAware callbacks

    static let maximumCallbackBody = FlightAwareCallback.maximumBytes

    /// `POST /webhooks/flightaware/:token`: the token first (FlightAware signs nothing), then the body must read as a
    /// callback; it is stored before the 200 and worked on after.
    @Sendable static func flightAwareCallback(req: Request) async throws -> Response {
        guard let token = req.parameters.get("token"), FlightCallbackToken.matches(token, secretKey: req.onspot.secretKey) else {
            throw Abort(.notFound)
        }
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        do {
            _ = try FlightAwareCallback.parse(body)
        } catch let error as FlightAwareCallback.ParseError {
            throw Problem(
                error == .tooLarge ? .payloadTooLarge : .badRequest, "invalid-callback", "Invalid FlightAware callback", detail: error.description)
        }
        guard let text = String(data: body, encoding: .utf8) else {
            throw Problem(.badRequest, "invalid-callback", "Invalid FlightAware callback", detail: "The body is not UTF-8.")
        }
        _ = try await FlightAlerts.store(text, on: req.db)
        let app = req.application
        app.inBackground { _ = try? await FlightAlerts.runDue(app: app) }
        return Response(status: .ok, body: .init(string: #"{"received":true}"#))
    }

    // MARK: Agency

    static func rows(_ alerts: [TravellerAlert], on db: any Database) async throws -> [AlertViews.Row] {
        let travellers = Dictionary(
            try await Traveller.query(on: db).filter(\.$id ~~ Set(alerts.compactMap(\.travellerID))).all().compactMap { t in t.id.map { ($0, t) } }
        ) { a, _ in a }
        let trips = Dictionary(
            try await Trip.query(on: db).filter(\.$id ~~ Set(alerts.compactMap(\.tripID))).all().compactMap { t in t.id.map { ($0, t) } }
        ) { a, _ in a }
        return alerts.map { a in
            AlertViews.Row(
                alert: a, traveller: a.travellerID.flatMap { travellers[$0]?.fullName }, reference: a.tripID.flatMap { trips[$0]?.reference })
        }
    }

    /// `/alerts`: the agency's last 200 alerts, and for its admins the choice of alert emails.
    @Sendable static func agencyPage(req: Request) async throws -> Response {
        req.html(try await agencyView(req, errors: [], typedEmail: nil), status: .ok)
    }

    static func agencyView(_ req: Request, errors: [FieldError], typedEmail: String?) async throws -> HTML {
        let agency = try req.agency
        let agencyID = try agency.requireID()
        let alerts = try await TravellerAlert.query(on: req.db).filter(\.$agencyID == agencyID)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(200).all()
        let preferences = try req.user.role == .agencyAdmin ? try await AgencyAlertPreferences.of(agencyID: agencyID, on: req.db) : nil
        return AlertViews.agencyPage(
            req: req, rows: try await rows(alerts, on: req.db), zone: agency.zone, now: req.now, preferences: preferences, errors: errors,
            typedEmail: typedEmail)
    }

    /// `POST /alerts/preferences` (agency admin): which alert emails, to which address (empty: the contact email).
    @Sendable static func savePreferences(req: Request) async throws -> Response {
        struct Form: Content {
            var email: String?
            var flights: String?
            var weather: String?
        }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let agencyID = try req.agencyID
        let typed = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        guard typed.isEmpty || (typed.count <= 254 && EmailAddress.isValid(typed)) else {
            return req.html(
                try await agencyView(req, errors: [FieldError(field: "email", message: "error.email")], typedEmail: String(typed.prefix(254))),
                status: .unprocessableEntity)
        }
        let preferences = try await AgencyAlertPreferences.of(agencyID: agencyID, on: req.db)
        preferences.email = typed.isEmpty ? nil : EmailAddress.normalised(typed)
        preferences.emailFlights = form.flights != nil
        preferences.emailWeather = form.weather != nil
        preferences.updatedAt = req.now
        preferences.updatedBy = try req.user.id
        let chosen = preferences
        let actor = try req.user.id
        // Two admins saving the agency's first choice at once: the second finds the row the first created and
        // updates it (read again after a unique-index refusal).
        for attempt in 0..<2 {
            do {
                try await req.db.transaction { db in
                    try await takeSQLiteWriteLock(on: db)
                    if !chosen.$id.exists, let stored = try await AgencyAlertPreferences.query(on: db).filter(\.$agencyID == agencyID).first() {
                        chosen.id = stored.id
                        chosen.$id.exists = true
                    }
                    try await chosen.save(on: db)
                    try await AuditLog.record(
                        on: db, agencyID: agencyID, actor: actor, action: .alertPreferencesChanged, subjectType: "agency",
                        subjectID: agencyID.uuidString,
                        detail: [
                            "email": chosen.email == nil ? "contact" : "other", "flights": String(chosen.emailFlights),
                            "weather": String(chosen.emailWeather)
                        ])
                }
                break
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt == 0 {
                chosen.id = nil
                chosen.$id.exists = false
            }
        }
        req.flash(L10n.t("alerts.preferences.saved", req.language))
        return req.redirect(to: .alerts)
    }

    /// The dashboard's panel: what arrived in the last three days.
    static func dashboardRows(agencyID: UUID, now: Date, on db: any Database) async throws -> [AlertViews.Row] {
        let alerts = try await TravellerAlert.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$createdAt >= now.addingTimeInterval(-72 * 3600)).sort(\.$createdAt, .descending).limit(20).all()
        return try await rows(alerts, on: db)
    }

    // MARK: Console

    /// The banners over the destinations an expert covers (every destination for an OnSpot admin).
    static func consoleBanners(_ req: Request) async throws -> HTML {
        let banners = try await WeatherAlerts.banners(now: req.now, on: req.db)
        guard !banners.isEmpty else { return .empty }
        let covered = try await CasePage.coverage(req)
        let shown = banners.compactMap { banner -> (alert: WeatherAlert, destinations: [DestinationRecord])? in
            let here = banner.destinations.filter { d in d.id.map { covered?.contains($0) ?? true } ?? false }
            return here.isEmpty ? nil : (banner.alert, here)
        }
        return AlertViews.banners(shown, lang: req.language)
    }

    // MARK: Admin

    @Sendable static func adminPage(req: Request) async throws -> Response {
        req.html(try await adminView(req, errors: [], typed: [:]))
    }

    static func adminView(_ req: Request, errors: [FieldError], typed: [String: String]) async throws -> HTML {
        // The configured feeds are listed before their first poll.
        try await WeatherAlerts.registerFeeds(app: req.application)
        let configured = Set(req.onspot.alertFeeds.map(\.url))
        let feeds = try await AlertFeed.query(on: req.db).sort(\.$createdAt).all().filter { configured.contains($0.url) }
        let active = try await WeatherAlert.query(on: req.db).filter(\.$state == .active).sort(\.$sent, .descending).limit(100).all()
        let watched = try await FlightWatch.query(on: req.db).filter(\.$state != .ended).count()
        let failing = try await FlightWatch.query(on: req.db).filter(\.$state == .failed).count()
        return AlertViews.adminPage(
            req: req, feeds: feeds, active: active, watched: watched, failing: failing,
            thresholds: try await FlightAlerts.thresholds(on: req.db), errors: errors, typed: typed)
    }

    @Sendable static func saveThresholds(req: Request) async throws -> Response {
        struct Form: Content {
            var departureDelay: String?
            var arrivalDelay: String?
        }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        var errors: [FieldError] = []
        var values: [String: Int] = [:]
        for (field, text, name) in [
            ("departureDelay", form.departureDelay, FlightAlerts.departureSetting), ("arrivalDelay", form.arrivalDelay, FlightAlerts.arrivalSetting)
        ] {
            let clean = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard clean.count <= 5, let minutes = Int(clean), FlightAlertThresholds.allowedMinutes.contains(minutes) else {
                errors.append(FieldError(field: field, message: "admin.alerts.threshold_error"))
                continue
            }
            values[name] = minutes
        }
        guard errors.isEmpty else {
            let typed = [
                "departureDelay": String((form.departureDelay ?? "").prefix(10)), "arrivalDelay": String((form.arrivalDelay ?? "").prefix(10))
            ]
            return req.html(try await adminView(req, errors: errors, typed: typed), status: .unprocessableEntity)
        }
        let now = req.now
        let actor = try req.user.id
        let chosen = values
        try await req.db.transaction { db in
            for (name, value) in chosen.sorted(by: { $0.key < $1.key }) {
                let setting = try await AlertSetting.query(on: db).filter(\.$name == name).first() ?? AlertSetting()
                setting.name = name
                setting.value = value
                setting.updatedAt = now
                try await setting.save(on: db)
            }
            try await AuditLog.record(
                on: db, agencyID: nil, actor: actor, action: .alertThresholdsChanged, subjectType: "alert_settings", subjectID: nil,
                detail: chosen.mapValues(String.init))
        }
        req.flash(L10n.t("admin.alerts.saved", req.language))
        return req.redirect(to: .adminAlerts)
    }

    // MARK: API

    struct AlertOutput: Content {
        var id: UUID
        /// weather or flight.
        var kind: String
        /// The official event ("Hurricane Warning") or the flight's change (cancelled, departure_delay…).
        var event: String
        var severity: String?
        var headline: String
        var detail: String?
        /// For an update of a weather alert: what it changed.
        var changes: [String]
        var tripID: UUID?
        var travellerID: UUID?
        var destination: String?
        var caseID: UUID?
        /// Whether the traveller was sent a message.
        var told: Bool
        /// Why not: no_consent, no_phone, no_line, abusive.
        var notTold: String?
        var startsAt: String?
        var endsAt: String?
        var createdAt: String
    }

    struct AlertPageOutput: Content {
        var items: [AlertOutput]
        var next: String?
    }

    static let filterNames = ["kind", "trip", "traveller", "createdFrom", "createdBefore", "limit"]

    /// `GET /api/v1/alerts`: the agency's travellers' alerts, newest first.
    @Sendable static func list(req: Request) async throws -> AlertPageOutput {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        let query = TravellerAlert.query(on: req.db).filter(\.$agencyID == agencyID)
        var errors: [FieldError] = []
        if let text = req.query[String.self, at: "kind"] {
            if let kind = TravellerAlertKind(rawValue: text) {
                query.filter(\.$kind == kind)
            } else {
                errors.append(FieldError(field: "kind", message: "One of weather, flight."))
            }
        }
        for (field, path) in [("trip", \TravellerAlert.$tripID), ("traveller", \TravellerAlert.$travellerID)] {
            guard let text = req.query[String.self, at: field] else { continue }
            if let id = UUID(uuidString: text) {
                query.filter(path == id)
            } else {
                errors.append(FieldError(field: field, message: "A \(field) id."))
            }
        }
        for (field, newer) in [("createdFrom", true), ("createdBefore", false)] {
            guard let text = req.query[String.self, at: field] else { continue }
            let instant = ApiTripsController.parseInstant(text.isEmpty ? " " : text, field: field, errors: &errors)
            if let instant { _ = newer ? query.filter(\.$createdAt >= instant) : query.filter(\.$createdAt < instant) }
        }
        let limit = try ApiTripsController.pageParameter(req, "limit", default: 25, range: 1...100)
        let (page, next) = try await ApiCursor.page(
            query, owned: TravellerAlert.query(on: req.db).filter(\.$agencyID == agencyID), newestBy: \.$createdAt, limit: limit, errors: errors,
            path: "/api/v1/alerts", filterNames: filterNames, req: req)
        let destinations = Dictionary(
            try await DestinationRecord.query(on: req.db).filter(\.$id ~~ Set(page.compactMap(\.destinationID))).all().compactMap { d in
                d.id.map { ($0, d.code) }
            }
        ) { a, _ in a }
        func time(_ date: Date?) -> String? { date.map { LocalDateTime.iso8601($0, in: .gmt) } }
        return AlertPageOutput(
            items: try page.map { a in
                AlertOutput(
                    id: try a.requireID(), kind: a.kind.rawValue, event: a.event, severity: a.severity, headline: a.headline, detail: a.detail,
                    changes: (a.changes ?? "").split(separator: ",").map(String.init), tripID: a.tripID, travellerID: a.travellerID,
                    destination: a.destinationID.flatMap { destinations[$0] }, caseID: a.caseID, told: a.messageID != nil,
                    notTold: a.notTold?.rawValue,
                    startsAt: time(a.startsAt), endsAt: time(a.endsAt), createdAt: LocalDateTime.iso8601(a.createdAt, in: .gmt))
            }, next: next)
    }
}
