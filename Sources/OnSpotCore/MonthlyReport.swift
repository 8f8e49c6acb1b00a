import Foundation

/// An agency's month: cases, resolutions, costs by domain, approvals and their time to decision, overrides.
public struct MonthlyReport: Equatable, Sendable {
    public struct Cost: Sendable {
        public var domain: String
        public var agencyAmountMinor: Int64
        public var outcome: CostOutcome
        /// For outcomes needing approval: the approval's status (pending, approved, denied, expired).
        public var approvalStatus: ApprovalStatus?
        public init(domain: String, agencyAmountMinor: Int64, outcome: CostOutcome, approvalStatus: ApprovalStatus?) {
            self.domain = domain
            self.agencyAmountMinor = agencyAmountMinor
            self.outcome = outcome
            self.approvalStatus = approvalStatus
        }
    }

    public struct Decision: Sendable {
        public var status: ApprovalStatus
        public var requestedAt: Date
        public var decidedAt: Date?
        public init(status: ApprovalStatus, requestedAt: Date, decidedAt: Date?) {
            self.status = status
            self.requestedAt = requestedAt
            self.decidedAt = decidedAt
        }
    }

    public var casesOpened: Int
    public var casesResolved: Int
    /// Committed spend (allowed, approved, overridden) per domain, in the agency's minor units.
    public var committedByDomain: [String: Int64]
    public var committedTotal: Int64
    public var approvalsByStatus: [ApprovalStatus: Int]
    public var medianMinutesToDecision: Int?
    public var meanMinutesToDecision: Int?
    public var overrides: Int
    public var overrideTotal: Int64

    public init(casesOpened: Int, casesResolved: Int, costs: [Cost], approvals: [Decision]) {
        self.casesOpened = casesOpened
        self.casesResolved = casesResolved
        var byDomain: [String: Int64] = [:]
        for c in costs {
            if c.outcome.commits(approval: c.approvalStatus) { byDomain[c.domain, default: 0] += c.agencyAmountMinor }
        }
        committedByDomain = byDomain
        committedTotal = byDomain.values.reduce(0, +)
        approvalsByStatus = Dictionary(grouping: approvals, by: \.status).mapValues(\.count)
        let minutes = approvals.compactMap { a in a.decidedAt.map { Int(($0.timeIntervalSince(a.requestedAt) / 60).rounded()) } }
            .filter { $0 >= 0 }.sorted()
        if minutes.isEmpty {
            medianMinutesToDecision = nil
            meanMinutesToDecision = nil
        } else {
            let mid = minutes.count / 2
            medianMinutesToDecision = minutes.count % 2 == 1 ? minutes[mid] : (minutes[mid - 1] + minutes[mid]) / 2
            meanMinutesToDecision = Int((Double(minutes.reduce(0, +)) / Double(minutes.count)).rounded())
        }
        let overridden = costs.filter { $0.outcome == .emergencyOverride }
        overrides = overridden.count
        overrideTotal = overridden.reduce(0) { $0 + $1.agencyAmountMinor }
    }

    /// The month "2026-11" as an interval in a zone: reports follow the agency's calendar, not UTC's.
    public static func interval(month: String, in zone: TimeZone) -> DateInterval? {
        let parts = month.split(separator: "-")
        guard month.count == 7, parts.count == 2, let year = Int(parts[0]), let m = Int(parts[1]), (2000...2100).contains(year), (1...12).contains(m)
        else {
            return nil
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        guard let start = cal.date(from: DateComponents(year: year, month: m, day: 1)),
            let end = cal.date(byAdding: .month, value: 1, to: start)
        else { return nil }
        return DateInterval(start: start, end: end)
    }
}
