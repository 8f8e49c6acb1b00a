import Fluent
import Foundation
import OnSpotCore
import Vapor

enum DashboardViews {
    static func tripRows(_ trips: [TripSummary], agency: Agency, lang: Language, now: Date, showLocalTime: Bool) -> HTML {
        HTML.group(
            trips.map { trip in
                let local =
                    trip.destinations.last.map { d in
                        "\(LocalDateTime.displayTime(now, in: d.zone)) \(L10n.t("dashboard.local_time", lang)) (\(d.name))"
                    } ?? ""
                return el(
                    "tr", [:],
                    el("td", [:], el("a", ["href": SiteURL.trip(trip.id).path], .text(trip.reference ?? "—"))),
                    el("td", [:], .text(trip.travellerNames.joined(separator: ", "))),
                    el("td", [:], .text(trip.destinations.map(\.name).joined(separator: " → "))),
                    el(
                        "td", [:],
                        .text(
                            showLocalTime
                                ? local
                                : LocalDateTime.display(trip.departureAt, in: agency.zone, language: lang, withZone: false))))
            })
    }

    static func agency(
        req: Request, agency: Agency, upcoming: [TripSummary], present: [TripSummary], answeredScope: Bool, pendingApprovals: Int,
        recentOverrides: Int, notices: [NotificationRecord], alerts: [AlertViews.Row] = [], now: Date
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        func table(_ id: String, _ rows: HTML, empty: Bool) -> HTML {
            empty
                ? el("p", ["class": "muted"], .text(t("dashboard.none")))
                : el("div", ["class": "table-wrap"], el("table", ["id": id], el("tbody", [:], rows)))
        }
        return Layout.page(
            req: req, title: t("nav.dashboard"),
            body: HTML.group([
                el("h1", [:], .text(agency.brandDisplayName ?? agency.name)),
                answeredScope ? .empty : el("div", ["class": "flash bad"], el("a", ["href": SiteURL.scope.path], .text(t("nav.scope") + " →"))),
                pendingApprovals == 0
                    ? .empty
                    : el(
                        "div", ["class": "flash bad", "id": "pending-approvals"],
                        el("a", ["href": SiteURL.approvals.path], .text(L10n.t("dashboard.pending_approvals", lang, ["n": String(pendingApprovals)])))
                    ),
                recentOverrides == 0
                    ? .empty
                    : el(
                        "div", ["class": "flash bad", "id": "recent-overrides"],
                        el("a", ["href": SiteURL.reports.path], .text(L10n.t("dashboard.overrides", lang, ["n": String(recentOverrides)])))),
                AlertViews.dashboardPanel(alerts, zone: agency.zone, lang: lang, now: now),
                noticeList(notices, zone: agency.zone, lang: lang),
                el("h2", [:], .text(t("dashboard.at_destination"))),
                table("present", tripRows(present, agency: agency, lang: lang, now: now, showLocalTime: true), empty: present.isEmpty),
                el("h2", [:], .text(t("dashboard.upcoming"))),
                table("upcoming", tripRows(upcoming, agency: agency, lang: lang, now: now, showLocalTime: false), empty: upcoming.isEmpty),
                el("p", [:], el("a", ["class": "button", "href": SiteURL.newTrip.path], .text(t("nav.new_trip"))))
            ]))
    }

    /// Portal notifications: what happened that the agency, or this admin, must know.
    static func noticeList(_ notices: [NotificationRecord], zone: TimeZone, lang: Language) -> HTML {
        guard !notices.isEmpty else { return .empty }
        return el(
            "div", ["class": "panel", "id": "notices"],
            el("h2", [:], .text(L10n.t("dashboard.notices", lang))),
            el(
                "ul", [:],
                notices.map { n in
                    el(
                        "li", ["data-kind": n.kind.rawValue],
                        el("small", ["class": "muted"], .text(LocalDateTime.display(n.createdAt, in: zone, language: lang))), " ",
                        el("strong", [:], .text(n.subject)), " – ", .text(n.body))
                }))
    }

    static func staff(req: Request, destinations: [DestinationRecord], notices: [NotificationRecord], now: Date, lang: Language) -> HTML {
        let rows = destinations.map { d -> HTML in
            let open = d.hours.isOpen(at: now, in: d.zone)
            return el(
                "tr", [:], el("td", [:], .text(d.name)), el("td", [:], .text(d.countryCode)),
                el("td", [:], .text("\(LocalDateTime.displayTime(now, in: d.zone)) (\(d.timeZone))")),
                el("td", [:], .text(open ? "●" : L10n.t("closed", lang))))
        }
        return Layout.page(
            req: req, title: L10n.t("nav.dashboard", lang),
            body: HTML.group([
                noticeList(notices, zone: TimeZone(identifier: "Europe/Paris")!, lang: lang),
                el("h1", [:], .text(L10n.t("nav.admin_destinations", lang))),
                el("div", ["class": "table-wrap"], el("table", ["id": "destinations"], el("tbody", [:], rows)))
            ]))
    }
}
