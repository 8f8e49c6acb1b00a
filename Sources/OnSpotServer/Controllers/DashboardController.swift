import Fluent
import Foundation
import OnSpotCore
import Vapor

enum DashboardController {
    @Sendable static func index(req: Request) async throws -> Response {
        let user = try req.user
        let lang = req.language
        let now = Date()
        switch user.role {
        case .agencyAdmin, .agencyAgent:
            let agency = try req.agency
            let agencyID = try agency.requireID()
            let upcoming = try await Trip.query(on: req.db).filter(\.$agency.$id == agencyID)
                .filter(\.$status == TripStatus.booked)
                .filter(\.$departureAt > now).filter(\.$departureAt < now.addingTimeInterval(30 * 86400))
                .sort(\.$departureAt).limit(50)
                .with(\.$travellerLinks) { $0.with(\.$traveller) }.with(\.$destinationLinks) { $0.with(\.$destination) }.all()
            // At destination now: arrived and not yet back.
            let present = try await Trip.query(on: req.db).filter(\.$agency.$id == agencyID)
                .filter(\.$status == TripStatus.booked)
                .filter(\.$arrivalAt <= now).filter(\.$returnAt >= now)
                .sort(\.$returnAt).limit(100)
                .with(\.$travellerLinks) { $0.with(\.$traveller) }.with(\.$destinationLinks) { $0.with(\.$destination) }.all()
            let answeredScope = (try await ScopeService.current(agencyID: agencyID, on: req.db))?.version ?? 0 > 1
            // What needs the agency now: approvals waiting for it, and emergency overrides of the last 7 days.
            let pending = try await Approval.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$status == .pending).count()
            let overrides = try await CostAction.query(on: req.db).filter(\.$agencyID == agencyID)
                .filter(\.$decision == CostOutcome.emergencyOverride).filter(\.$createdAt >= now.addingTimeInterval(-7 * 86400)).count()
            let notices = try await NotificationRecord.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$channel == .portal)
                .sort(\.$createdAt, .descending).limit(10).all()
            return req.html(DashboardViews.agency(req: req, agency: agency, upcoming: upcoming, present: present,
                                                  answeredScope: answeredScope, pendingApprovals: pending, recentOverrides: overrides,
                                                  notices: notices, now: now))
        case .expert, .onspotAdmin:
            var destinations = try await DestinationRecord.query(on: req.db).filter(\.$active == true).sort(\.$countryCode).sort(\.$name).all()
            if user.role == .expert {
                let covered = try await ExpertDestination.query(on: req.db).filter(\.$user.$id == user.requireID()).all(\.$destination.$id)
                destinations = destinations.filter { covered.contains($0.id!) }
            }
            // Alerts addressed to this person, such as an expired channel token for OnSpot admins.
            let notices = try await NotificationRecord.query(on: req.db).filter(\.$userID == user.requireID()).filter(\.$channel == .portal)
                .sort(\.$createdAt, .descending).limit(10).all()
            return req.html(DashboardViews.staff(req: req, destinations: destinations, notices: notices, now: now, lang: lang))
        }
    }
}

enum DashboardViews {
    static func tripRows(_ trips: [Trip], agency: Agency, lang: Language, now: Date, showLocalTime: Bool) -> HTML {
        HTML.group(trips.map { trip in
            let destination = trip.destinationLinks.sorted { $0.position < $1.position }
            let names = trip.travellerLinks.sorted { $0.position < $1.position }.map(\.traveller.fullName).joined(separator: ", ")
            let place = destination.map(\.destination.name).joined(separator: " → ")
            let local = destination.last.map { d in
                "\(LocalDateTime.displayTime(now, in: d.destination.zone)) \(L10n.t("dashboard.local_time", lang)) (\(d.destination.name))"
            } ?? ""
            return el("tr", [:],
                      el("td", [:], el("a", ["href": "/trips/\(trip.id!)"], .text(trip.reference ?? "—"))),
                      el("td", [:], .text(names)), el("td", [:], .text(place)),
                      el("td", [:], .text(showLocalTime ? local
                                          : LocalDateTime.display(trip.departureAt, in: agency.zone, language: lang, withZone: false))))
        })
    }

    static func agency(req: Request, agency: Agency, upcoming: [Trip], present: [Trip], answeredScope: Bool, pendingApprovals: Int,
                       recentOverrides: Int, notices: [NotificationRecord], now: Date) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        func table(_ id: String, _ rows: HTML, empty: Bool) -> HTML {
            empty ? el("p", ["class": "muted"], .text(t("dashboard.none"))) :
                el("div", ["class": "table-wrap"], el("table", ["id": id], el("tbody", [:], rows)))
        }
        return Layout.page(req: req, title: t("nav.dashboard"), body: HTML.group([
            el("h1", [:], .text(agency.brandDisplayName ?? agency.name)),
            answeredScope ? .empty : el("div", ["class": "flash bad"], el("a", ["href": "/scope"], .text(t("nav.scope") + " →"))),
            pendingApprovals == 0 ? .empty : el("div", ["class": "flash bad", "id": "pending-approvals"],
                                                el("a", ["href": "/approvals"], .text(L10n.t("dashboard.pending_approvals", lang, ["n": String(pendingApprovals)])))),
            recentOverrides == 0 ? .empty : el("div", ["class": "flash bad", "id": "recent-overrides"],
                                               el("a", ["href": "/reports"], .text(L10n.t("dashboard.overrides", lang, ["n": String(recentOverrides)])))),
            noticeList(notices, zone: agency.zone, lang: lang),
            el("h2", [:], .text(t("dashboard.at_destination"))),
            table("present", tripRows(present, agency: agency, lang: lang, now: now, showLocalTime: true), empty: present.isEmpty),
            el("h2", [:], .text(t("dashboard.upcoming"))),
            table("upcoming", tripRows(upcoming, agency: agency, lang: lang, now: now, showLocalTime: false), empty: upcoming.isEmpty),
            el("p", [:], el("a", ["class": "button", "href": "/trips/new"], .text(t("nav.new_trip")))),
        ]))
    }

    /// Portal notifications: what happened that the agency, or this admin, must know.
    static func noticeList(_ notices: [NotificationRecord], zone: TimeZone, lang: Language) -> HTML {
        guard !notices.isEmpty else { return .empty }
        return el("div", ["class": "panel", "id": "notices"],
                  el("h2", [:], .text(L10n.t("dashboard.notices", lang))),
                  el("ul", [:], notices.map { n in
                      el("li", ["data-kind": n.kind], el("small", ["class": "muted"], .text(LocalDateTime.display(n.createdAt, in: zone, language: lang))), " ",
                         el("strong", [:], .text(n.subject)), " – ", .text(n.body))
                  }))
    }

    static func staff(req: Request, destinations: [DestinationRecord], notices: [NotificationRecord], now: Date, lang: Language) -> HTML {
        let rows = destinations.map { d -> HTML in
            let open = d.hours.isOpen(at: now, in: d.zone)
            return el("tr", [:], el("td", [:], .text(d.name)), el("td", [:], .text(d.countryCode)),
                      el("td", [:], .text("\(LocalDateTime.displayTime(now, in: d.zone)) (\(d.timeZone))")),
                      el("td", [:], .text(open ? "●" : L10n.t("closed", lang))))
        }
        return Layout.page(req: req, title: L10n.t("nav.dashboard", lang), body: HTML.group([
            noticeList(notices, zone: TimeZone(identifier: "Europe/Paris")!, lang: lang),
            el("h1", [:], .text(L10n.t("nav.admin_destinations", lang))),
            el("div", ["class": "table-wrap"], el("table", ["id": "destinations"], el("tbody", [:], rows))),
        ]))
    }
}
