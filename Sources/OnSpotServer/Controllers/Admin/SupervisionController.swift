import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The OnSpot admin's view of the night (issue 13, item 8): open cases and breaches per destination, who is waiting
/// longest, the experts on duty with their load, and the month's satisfaction and SLA outcomes per destination.
enum SupervisionController {
    struct DestinationLine {
        let destination: DestinationRecord
        var open = 0
        var breached = 0
        var unassigned = 0
        /// The open case whose traveller has waited longest for an answer, and since when.
        var oldestWaiting: (caseID: UUID, since: Date)?
    }

    struct ExpertLine {
        let user: User
        let destinations: [String]
        let holding: Int
    }

    @Sendable static func page(req: Request) async throws -> Response {
        let now = req.now
        let month =
            req.query[String.self, at: "month"]
            ?? {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = .gmt
                let parts = calendar.dateComponents([.year, .month], from: now)
                return String(format: "%04d-%02d", parts.year ?? 2026, parts.month ?? 1)
            }()
        guard let interval = MonthlyReport.interval(month: month, in: .gmt) else {
            throw PageError(status: .unprocessableEntity, messageKey: "report.error.month")
        }
        let destinations = try await DestinationRecord.query(on: req.db).filter(\.$active == true).sort(\.$name).all()
        let open = try await ConsolePagesController.openCases(statuses: CaseStatus.open, destinations: nil, on: req.db)
        let dues = try await ConsolePagesController.nextDues(of: open, destinations: destinations, on: req.db)
        let (inbound, reply) = try await ConsolePagesController.lastMessages(of: Array(Set(open.compactMap(\.conversationID))), on: req.db)
        var lines = Dictionary(uniqueKeysWithValues: destinations.compactMap { d in d.id.map { ($0, DestinationLine(destination: d)) } })
        for c in open {
            guard let destinationID = c.destinationID, var line = lines[destinationID] else { continue }
            line.open += 1
            if let due = dues[c.id], due < now { line.breached += 1 }
            if c.assigneeID == nil { line.unassigned += 1 }
            // Waiting: since the case opened while nobody answered, else since the traveller's last message after the
            // last reply.
            var since: Date? = c.firstResponseAt == nil ? c.openedAt : nil
            if let conversationID = c.conversationID, let last = inbound[conversationID],
                (reply[conversationID]?.createdAt ?? .distantPast) < last.createdAt
            {
                since = min(since ?? last.createdAt, last.createdAt)
            }
            if let since, since < (line.oldestWaiting?.since ?? .distantFuture) { line.oldestWaiting = (c.id, since) }
            lines[destinationID] = line
        }
        let experts = try await User.query(on: req.db).filter(\.$role == .expert).filter(\.$active == true).sort(\.$name).all()
        let links = try await ExpertDestination.query(on: req.db).filter(\.$user.$id ~~ experts.compactMap(\.id)).all()
        let names = Dictionary(uniqueKeysWithValues: destinations.compactMap { d in d.id.map { ($0, d.name) } })
        let holding = Dictionary(grouping: open.compactMap(\.assigneeID), by: { $0 }).mapValues(\.count)
        let expertLines = experts.map { user in
            ExpertLine(
                user: user,
                destinations: links.filter { $0.$user.id == user.id }.compactMap { names[$0.$destination.id] }.sorted(),
                holding: user.id.flatMap { holding[$0] } ?? 0)
        }.sorted { ($0.user.onDuty ? 0 : 1, -$0.holding, $0.user.name) < ($1.user.onDuty ? 0 : 1, -$1.holding, $1.user.name) }
        let satisfaction = try await SatisfactionReport.summary(agencyID: nil, interval: interval, zone: .gmt, on: req.db)
        return req.html(
            SupervisionViews.page(
                req: req, lines: destinations.compactMap { $0.id.flatMap { lines[$0] } }, experts: expertLines, satisfaction: satisfaction,
                month: month))
    }
}
