import Fluent
import Foundation
import OnSpotCore

/// An agency's month as its portal's report and the API's `/reports/monthly` show it: cases, committed spend,
/// approvals and time to decision, emergency overrides, satisfaction and service levels, in the agency's calendar.
enum MonthlyReports {
    struct Built {
        var report: MonthlyReport
        var overrides: [CostAction]
        var satisfaction: SatisfactionSummary
    }

    /// "2026-11": the month it is now where the agency is.
    static func currentMonth(of agency: Agency, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = agency.zone
        let c = calendar.dateComponents([.year, .month], from: now)
        return String(format: "%04d-%02d", c.year ?? 2000, c.month ?? 1)
    }

    /// Nil when `month` is not a month (YYYY-MM, 2000 to 2100).
    static func build(agency: Agency, month: String, on db: any Database) async throws -> Built? {
        let agencyID = try agency.requireID()
        guard let interval = MonthlyReport.interval(month: month, in: agency.zone) else { return nil }
        let opened = try await CaseRecord.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$openedAt >= interval.start).filter(\.$openedAt < interval.end).count()
        let resolved = try await CaseRecord.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$resolvedAt >= interval.start).filter(\.$resolvedAt < interval.end).count()
        let costs = try await CostAction.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$createdAt >= interval.start).filter(\.$createdAt < interval.end).sort(\.$createdAt).all()
        let approvals = try await Approval.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$createdAt >= interval.start).filter(\.$createdAt < interval.end).all()
        let costApprovals = costs.isEmpty ? [] : try await Approval.query(on: db).filter(\.$costActionID ~~ costs.compactMap(\.id)).all()
        let statusByAction = Dictionary(costApprovals.map { ($0.costActionID, $0.status) }) { a, _ in a }
        let report = MonthlyReport(
            casesOpened: opened, casesResolved: resolved,
            costs: costs.map {
                .init(
                    domain: $0.domain.rawValue, agencyAmountMinor: $0.agencyAmountMinor, outcome: $0.decision,
                    approvalStatus: $0.id.flatMap { statusByAction[$0] })
            },
            approvals: approvals.map { .init(status: $0.status, requestedAt: $0.createdAt, decidedAt: $0.decidedAt) })
        let satisfaction = try await SatisfactionReport.summary(agencyID: agencyID, interval: interval, zone: agency.zone, on: db)
        return Built(report: report, overrides: costs.filter { $0.decision == .emergencyOverride }, satisfaction: satisfaction)
    }
}
