import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Satisfaction and SLA outcomes of the cases resolved in a period, per destination and month: one agency's for its
/// report, every agency's for the OnSpot admin area.
enum SatisfactionReport {
    static func summary(agencyID: UUID?, interval: DateInterval, zone: TimeZone, on db: any Database) async throws -> SatisfactionSummary {
        var query = CaseRecord.query(on: db).filter(\.$resolvedAt >= interval.start).filter(\.$resolvedAt < interval.end)
        if let agencyID { query = query.filter(\.$agencyID == agencyID) }
        let cases = try await query.field(\.$id).field(\.$agencyID).field(\.$destinationID).field(\.$openedAt).field(\.$firstResponseAt)
            .field(\.$resolvedAt).field(\.$satisfactionRating).all()
        let destinations = Dictionary(
            try await DestinationRecord.query(on: db).filter(\.$id ~~ Set(cases.compactMap(\.destinationID))).all().compactMap { d in
                d.id.map { ($0, d) }
            }
        ) { a, _ in a }
        let levels = try await CasePage.serviceLevels(of: Set(cases.compactMap(\.agencyID)), on: db)
        var schedules: [UUID: OpeningSchedule] = [:]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return SatisfactionSummary(
            cases.map { c in
                let destination = c.destinationID.flatMap { destinations[$0] }
                var firstMet: Bool?
                var resolutionMet: Bool?
                if let destination, let id = destination.id {
                    let schedule = schedules[id] ?? OpeningSchedule(hours: destination.hours, zone: destination.zone)
                    schedules[id] = schedule
                    let clocks = SLAClocks(
                        openedAt: c.openedAt, firstResponseAt: c.firstResponseAt, resolvedAt: c.resolvedAt,
                        level: c.agencyID.flatMap { levels[$0] } ?? .unidentified, schedule: schedule)
                    (firstMet, resolutionMet) = outcome(clocks, resolvedAt: c.resolvedAt)
                }
                let parts = calendar.dateComponents([.year, .month], from: c.resolvedAt ?? c.openedAt)
                return SatisfactionSummary.Case(
                    destination: destination?.name ?? "—", month: String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0),
                    rating: c.satisfaction, firstResponseMet: firstMet, resolutionMet: resolutionMet)
            })
    }
}

extension SatisfactionReport {
    /// Whether a case met its first-response and resolution targets (nil: not yet known). Resolved without a written
    /// reply (a phone case, or settled at once), the resolution was the response.
    static func outcome(_ clocks: SLAClocks, resolvedAt: Date?) -> (firstResponseMet: Bool?, resolutionMet: Bool?) {
        (clocks.firstResponseMet ?? resolvedAt.flatMap { at in clocks.firstResponseDue.map { at <= $0 } }, clocks.resolutionMet)
    }
}

/// The satisfaction table of the agency's report and of the admin area.
enum SatisfactionViews {
    static func percent(_ share: Double?) -> String { share.map { "\(Int(($0 * 100).rounded())) %" } ?? "—" }

    static func table(_ summary: SatisfactionSummary, _ lang: Language) -> HTML {
        func t(_ k: String) -> String { L10n.t(k, lang) }
        guard !summary.rows.isEmpty else { return el("p", ["class": "muted", "id": "satisfaction-none"], .text(t("csat.none"))) }
        return el(
            "div", ["class": "table-wrap"],
            el(
                "table", ["id": "satisfaction"],
                el(
                    "thead", [:],
                    el(
                        "tr", [:],
                        HTML.group(
                            [
                                "csat.month", "csat.destination", "csat.cases", "csat.answers", "csat.satisfied", "csat.first_response_met",
                                "csat.resolution_met"
                            ]
                            .map { el("th", [:], .text(t($0))) }))),
                el(
                    "tbody", [:],
                    summary.rows.map { r in
                        el(
                            "tr", ["data-destination": r.destination, "data-month": r.month], el("td", [:], .text(r.month)),
                            el("td", [:], .text(r.destination)), el("td", ["class": "num"], .text(String(r.cases))),
                            el("td", ["class": "num answers"], .text(String(r.answers))),
                            el("td", ["class": "num satisfied"], .text(percent(r.satisfiedShare))),
                            el("td", ["class": "num first-met"], .text(percent(r.firstResponseMetShare))),
                            el("td", ["class": "num resolution-met"], .text(percent(r.resolutionMetShare))))
                    })))
    }
}
