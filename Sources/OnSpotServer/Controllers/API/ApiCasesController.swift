import Fluent
import FluentSQL
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1/cases`, read-only (issue 16): what happened on the agency's trips, as its portal shows it — category,
/// times, service-level outcome, resolution summary, costs and approvals, satisfaction. The conversation itself is not
/// in the API: it is the traveller's exchange with OnSpot's expert (personal data the agency did not write, which the
/// traveller shares with the expert, not with a CRM); the agency reads the resolution summary and every cost and
/// approval, which is what it acts on.
enum ApiCasesController {
    struct SLAOutput: Content {
        var firstResponseDue: String?
        var firstResponseMet: Bool?
        var resolutionDue: String?
        var resolutionMet: Bool?
    }

    struct CostOutput: Content {
        var id: UUID
        var domain: String
        var supplier: String
        var purpose: String
        var amountMinor: Int64
        var currency: String
        /// The amount in the agency's currency, as its scope of action counts it.
        var agencyAmountMinor: Int64
        var agencyCurrency: String
        /// allowed, needs_approval, not_allowed, emergency_override.
        var outcome: String
        var bookingChange: Bool
        var createdAt: String
    }

    struct SatisfactionOutput: Content {
        /// 1 (unhappy) to 3 (happy).
        var rating: Int
        var comment: String?
        var answeredAt: String?
    }

    struct CaseOutput: Content {
        var id: UUID
        var tripID: UUID?
        var travellerID: UUID?
        var destination: String?
        var category: String
        var status: String
        var openedAt: String
        var firstResponseAt: String?
        var resolvedAt: String?
        var sla: SLAOutput
        var resolutionSummary: String?
        var costs: [CostOutput]
        var approvals: [ApiApprovalsController.ApprovalOutput]
        var satisfaction: SatisfactionOutput?
    }

    struct CasePageOutput: Content {
        var items: [CaseOutput]
        /// The next page's path, with the same filters; absent on the last page.
        var next: String?
    }

    static let pageSizes = 1...100
    /// The query parameters a `next` link carries on.
    static let filterNames = ["status", "trip", "destination", "openedFrom", "openedBefore", "limit"]

    @Sendable static func list(req: Request) async throws -> CasePageOutput {
        let agency = try req.apiAgency
        let query = CaseRecord.query(on: req.db).filter(\.$agencyID == (try agency.requireID()))
        var errors: [FieldError] = []
        if let text = req.query[String.self, at: "status"] {
            if let status = CaseStatus(rawValue: text) {
                query.filter(\.$status == status)
            } else {
                errors.append(FieldError(field: "status", message: "One of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        if let text = req.query[String.self, at: "trip"] {
            if let id = UUID(uuidString: text) {
                query.filter(\.$tripID == id)
            } else {
                errors.append(FieldError(field: "trip", message: "A trip id."))
            }
        }
        if let code = req.query[String.self, at: "destination"] {
            if let destination = try await DestinationRecord.query(on: req.db).filter(\.$code == code).first(), let id = destination.id {
                query.filter(\.$destinationID == id)
            } else {
                errors.append(FieldError(field: "destination", message: "A destination code of the catalogue, such as us-nyc."))
            }
        }
        for (field, newer) in [("openedFrom", true), ("openedBefore", false)] {
            guard let text = req.query[String.self, at: field] else { continue }
            // An empty value is not "no filter": it is refused like any other malformed date.
            let instant = ApiTripsController.parseInstant(text.isEmpty ? " " : text, field: field, errors: &errors)
            if let instant { _ = newer ? query.filter(\.$openedAt >= instant) : query.filter(\.$openedAt < instant) }
        }
        let limit = try ApiTripsController.pageParameter(req, "limit", default: 25, range: pageSizes)
        let (page, next) = try await ApiCursor.page(
            query, owned: CaseRecord.query(on: req.db).filter(\.$agencyID == agency.requireID()), newestBy: \.$openedAt, limit: limit,
            errors: errors, path: "/api/v1/cases", filterNames: filterNames, req: req)
        return CasePageOutput(items: try await outputs(page, agency: agency, on: req.db), next: next)
    }

    @Sendable static func show(req: Request) async throws -> CaseOutput {
        let agency = try req.apiAgency
        guard let id = req.parameters.get("caseID", as: UUID.self),
            let record = try await CaseRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == agency.requireID()).first()
        else { throw Problem(.notFound, "not-found", "Case not found") }
        return try await outputs([record], agency: agency, on: req.db)[0]
    }

    /// A page of cases with their costs, approvals, destinations and service levels in a fixed number of queries.
    static func outputs(_ cases: [CaseRecord], agency: Agency, on db: any Database) async throws -> [CaseOutput] {
        guard !cases.isEmpty else { return [] }
        let ids = cases.compactMap(\.id)
        let costs = Dictionary(grouping: try await CostAction.query(on: db).filter(\.$caseID ~~ ids).sort(\.$createdAt).all(), by: \.caseID)
        let approvals = try await Approval.query(on: db).filter(\.$caseID ~~ ids).sort(\.$createdAt).all()
        let actions = Dictionary(costs.values.joined().compactMap { a in a.id.map { ($0, a) } }) { a, _ in a }
        let approvalsByCase = Dictionary(grouping: approvals, by: { $0.caseID ?? UUID() })
        let destinations = Dictionary(
            try await DestinationRecord.query(on: db).filter(\.$id ~~ Set(cases.compactMap(\.destinationID))).all().compactMap { d in
                d.id.map { ($0, d) }
            }
        ) { a, _ in a }
        let level = try await CasePage.serviceLevels(of: [try agency.requireID()], on: db)[try agency.requireID()] ?? .unidentified
        let utc = TimeZone.gmt
        func time(_ date: Date?) -> String? { date.map { LocalDateTime.iso8601($0, in: utc) } }
        return cases.map { c in
            let destination = c.destinationID.flatMap { destinations[$0] }
            var sla = SLAOutput()
            if let destination {
                let clocks = SLAClocks(
                    openedAt: c.openedAt, firstResponseAt: c.firstResponseAt, resolvedAt: c.resolvedAt, level: level,
                    schedule: OpeningSchedule(hours: destination.hours, zone: destination.zone))
                let (firstMet, resolutionMet) = SatisfactionReport.outcome(clocks, resolvedAt: c.resolvedAt)
                sla = SLAOutput(
                    firstResponseDue: time(clocks.firstResponseDue), firstResponseMet: firstMet, resolutionDue: time(clocks.resolutionDue),
                    resolutionMet: resolutionMet)
            }
            let id = c.id ?? UUID()
            return CaseOutput(
                id: id, tripID: c.tripID, travellerID: c.travellerID, destination: destination?.code, category: c.category.rawValue,
                status: c.status.rawValue, openedAt: LocalDateTime.iso8601(c.openedAt, in: utc), firstResponseAt: time(c.firstResponseAt),
                resolvedAt: time(c.resolvedAt), sla: sla, resolutionSummary: c.resolutionSummary,
                costs: (costs[id] ?? []).map { a in
                    CostOutput(
                        id: a.id ?? UUID(), domain: a.domain.rawValue, supplier: a.supplier, purpose: a.purpose, amountMinor: a.amountMinor,
                        currency: a.currency.rawValue, agencyAmountMinor: a.agencyAmountMinor, agencyCurrency: a.agencyCurrency.rawValue,
                        outcome: a.decision.rawValue, bookingChange: a.isBookingChange, createdAt: LocalDateTime.iso8601(a.createdAt, in: utc))
                },
                approvals: (approvalsByCase[id] ?? []).map { ApiApprovalsController.output($0, action: actions[$0.costActionID], agency: agency) },
                satisfaction: c.satisfaction.map {
                    SatisfactionOutput(rating: $0.rawValue, comment: c.satisfactionComment, answeredAt: time(c.satisfactionAnsweredAt))
                })
        }
    }
}
