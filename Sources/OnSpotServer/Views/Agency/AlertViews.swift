import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's alerts page and dashboard panel, the console's banners and the admin's alerts page (issue 14).
enum AlertViews {
    /// One traveller alert as the agency reads it, with the names its page shows.
    struct Row {
        let alert: TravellerAlert
        let traveller: String?
        let reference: String?
    }

    static func table(_ rows: [Row], zone: TimeZone, lang: Language, now: Date) -> HTML {
        func t(_ key: String) -> String { L10n.t(key, lang) }
        return el(
            "div", ["class": "table-wrap"],
            el(
                "table", ["id": "alerts"],
                el(
                    "thead", [:],
                    el(
                        "tr", [:], el("th", [:], .text(t("alerts.col.when"))), el("th", [:], .text(t("alerts.col.kind"))),
                        el("th", [:], .text(t("alerts.col.alert"))), el("th", [:], .text(t("alerts.col.traveller"))),
                        el("th", [:], .text(t("alerts.col.trip"))), el("th", [:], .text(t("alerts.col.until"))),
                        el("th", [:], .text(t("alerts.col.told"))))),
                el(
                    "tbody", [:],
                    rows.map { row in
                        let a = row.alert
                        let ended = (a.endsAt.map { $0 <= now } ?? false) && a.kind == .weather
                        return el(
                            "tr", ["data-kind": a.kind.rawValue, "data-event": a.event, "class": ended ? "muted" : nil],
                            el("td", [:], .text(LocalDateTime.display(a.createdAt, in: zone, language: lang))),
                            el("td", [:], .text(t("alerts.kind.\(a.kind.rawValue)"))),
                            el(
                                "td", [:], el("strong", [:], .text(a.headline)),
                                a.changes.map { changes in
                                    el(
                                        "small", ["class": "muted"],
                                        .text(" (" + changes.split(separator: ",").map { t("alerts.field.\($0)") }.joined(separator: ", ") + ")"))
                                } ?? .empty,
                                ended ? el("small", ["class": "muted"], .text(" — " + t("alerts.ended"))) : .empty),
                            el("td", [:], .text(row.traveller ?? "—")),
                            el("td", [:], a.tripID.map { el("a", ["href": SiteURL.trip($0).path], .text(row.reference ?? "—")) } ?? .text("—")),
                            el("td", [:], .text(a.endsAt.map { LocalDateTime.display($0, in: zone, language: lang) } ?? "—")),
                            el(
                                "td", ["class": a.notTold == nil ? nil : "warning"],
                                .text(t(a.messageID != nil ? "alerts.told.yes" : a.notTold.map { "alerts.told.\($0.rawValue)" } ?? "alerts.told.no")))
                        )
                    })))
    }

    /// The page; `preferences` only for an agency admin, who chooses the alert emails.
    static func agencyPage(
        req: Request, rows: [Row], zone: TimeZone, now: Date, preferences: AgencyAlertPreferences?, errors: [FieldError] = [],
        typedEmail: String? = nil
    ) -> HTML {
        let lang = req.language
        func t(_ key: String) -> String { L10n.t(key, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        return Layout.page(
            req: req, title: t("alerts.title"),
            body: HTML.group([
                el("h1", [:], .text(t("alerts.title"))),
                el("p", ["class": "muted"], .text(t("alerts.intro"))),
                rows.isEmpty ? el("p", ["class": "muted"], .text(t("alerts.none"))) : table(rows, zone: zone, lang: lang, now: now),
                preferences.map { p in
                    el(
                        "div", ["class": "panel", "id": "alert-preferences"],
                        el("h2", [:], .text(t("alerts.preferences.title"))),
                        el("p", ["class": "muted"], .text(t("alerts.preferences.intro"))),
                        f.summary,
                        el(
                            "form", ["method": "post", "action": SiteURL.alertPreferences.path, "novalidate": ""],
                            Layout.csrfField(req),
                            f.input("email", label: t("alerts.preferences.email"), value: typedEmail ?? p.email, type: "email"),
                            el(
                                "label", ["class": "check"],
                                el("input", ["type": "checkbox", "name": "flights", "checked": .flag(p.emailFlights)]),
                                .text(t("alerts.preferences.flights"))),
                            el(
                                "label", ["class": "check"],
                                el("input", ["type": "checkbox", "name": "weather", "checked": .flag(p.emailWeather)]),
                                .text(t("alerts.preferences.weather"))),
                            el("button", ["type": "submit"], .text(t("button.save")))))
                } ?? .empty
            ]))
    }

    /// The dashboard's panel: the alerts of the last three days, when there are any.
    static func dashboardPanel(_ rows: [Row], zone: TimeZone, lang: Language, now: Date) -> HTML {
        guard !rows.isEmpty else { return .empty }
        return el(
            "div", ["class": "panel", "id": "dashboard-alerts"],
            el("h2", [:], .text(L10n.t("alerts.dashboard_title", lang))),
            table(rows, zone: zone, lang: lang, now: now),
            el("p", [:], el("a", ["href": SiteURL.alerts.path], .text(L10n.t("alerts.dashboard_more", lang)))))
    }

    /// The console's banners: each alert in force over a destination the expert covers.
    static func banners(_ banners: [(alert: WeatherAlert, destinations: [DestinationRecord])], lang: Language) -> HTML {
        guard !banners.isEmpty else { return .empty }
        return el(
            "div", ["id": "alert-banners"],
            banners.map { banner in
                let zone = banner.destinations.first?.zone ?? .gmt
                let text = L10n.t(
                    "alerts.banner", lang,
                    [
                        "event": banner.alert.headline ?? banner.alert.event,
                        "destinations": banner.destinations.map(\.name).joined(separator: ", "),
                        "until": banner.alert.expires.map { LocalDateTime.display($0, in: zone, language: lang) } ?? "—"
                    ])
                return el(
                    "div",
                    [
                        "class": "flash bad alert-banner", "role": "alert", "data-alert": banner.alert.id?.uuidString,
                        "data-severity": banner.alert.severity
                    ],
                    el("strong", [:], .text(text)),
                    banner.alert.instruction.map { el("p", [:], .text(AlertMessages.short($0, 400))) } ?? .empty)
            })
    }

    static func adminPage(
        req: Request, feeds: [AlertFeed], active: [WeatherAlert], watched: Int, failing: Int, thresholds: FlightAlertThresholds,
        errors: [FieldError], typed: [String: String]
    ) -> HTML {
        let lang = req.language
        func t(_ key: String) -> String { L10n.t(key, lang) }
        let f = FormErrors(
            errors: errors, lang: lang,
            messageArguments: [
                "admin.alerts.threshold_error": [
                    "min": String(FlightAlertThresholds.allowedMinutes.lowerBound), "max": String(FlightAlertThresholds.allowedMinutes.upperBound)
                ]
            ])
        let zone = TimeZone(identifier: "UTC") ?? .gmt
        func when(_ date: Date?) -> String { date.map { LocalDateTime.display($0, in: zone, language: lang) } ?? "—" }
        return Layout.page(
            req: req, title: t("admin.alerts.title"),
            body: HTML.group([
                el("h1", [:], .text(t("admin.alerts.title"))),
                el("h2", [:], .text(t("admin.alerts.feeds"))),
                feeds.isEmpty
                    ? el("p", ["class": "muted"], .text(t("admin.alerts.no_feeds")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "alert-feeds"],
                            el(
                                "thead", [:],
                                el(
                                    "tr", [:], el("th", [:], .text(t("admin.alerts.col.format"))), el("th", [:], .text(t("admin.alerts.col.url"))),
                                    el("th", [:], .text(t("admin.alerts.col.polled"))), el("th", [:], .text(t("admin.alerts.col.status"))),
                                    el("th", [:], .text(t("admin.alerts.col.in_force"))), el("th", [:], .text(t("admin.alerts.col.error"))))),
                            el(
                                "tbody", [:],
                                feeds.map { feed in
                                    el(
                                        "tr", [:], el("td", [:], .text(feed.format.rawValue)), el("td", [:], el("code", [:], .text(feed.url))),
                                        el("td", [:], .text(when(feed.lastPolledAt))), el("td", [:], .text(feed.lastStatus.map(String.init) ?? "—")),
                                        el("td", [:], .text(String(feed.alertsInForce))), el("td", [:], .text(feed.lastError ?? "—")))
                                }))),
                el("h2", [:], .text(t("admin.alerts.active"))),
                active.isEmpty
                    ? el("p", ["class": "muted"], .text(t("alerts.none")))
                    : el(
                        "ul", ["id": "active-weather-alerts"],
                        active.map { a in
                            el(
                                "li", [:], el("strong", [:], .text(a.headline ?? a.event)),
                                .text(" — \(a.severity), \(a.areaDescription.prefix(200)) "),
                                el("small", ["class": "muted"], .text("\(a.sender) · \(when(a.expires))")))
                        }),
                el("h2", [:], .text(t("admin.alerts.flights"))),
                el(
                    "p", ["id": "flight-watch-summary"],
                    .text(
                        L10n.t(
                            "admin.alerts.flights_summary", lang,
                            [
                                "watched": String(watched), "failed": String(failing),
                                "provider": t(req.application.flightStatus == nil ? "admin.alerts.provider_off" : "admin.alerts.provider_on")
                            ]))),
                el("h2", [:], .text(t("admin.alerts.thresholds"))),
                el(
                    "form", ["method": "post", "action": SiteURL.adminAlerts.path, "novalidate": ""],
                    Layout.csrfField(req), f.summary,
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.input(
                                "departureDelay", label: t("admin.alerts.departure_delay"),
                                value: typed["departureDelay"] ?? String(thresholds.departureDelayMinutes), type: "number")),
                        el(
                            "div", [:],
                            f.input(
                                "arrivalDelay", label: t("admin.alerts.arrival_delay"),
                                value: typed["arrivalDelay"] ?? String(thresholds.arrivalDelayMinutes), type: "number"))),
                    el("button", ["type": "submit"], .text(t("button.save"))))
            ]))
    }
}
