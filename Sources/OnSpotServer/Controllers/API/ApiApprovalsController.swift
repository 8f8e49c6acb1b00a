import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Approvals for the agency's own systems: the `approval.requested` webhook names the request, the API decides it.
enum ApiApprovalsController {
    struct ApprovalOutput: Content {
        var id: UUID
        var caseID: UUID?
        var status: String
        var text: String
        var amountMinor: Int64
        var currency: String
        var domain: String?
        var supplier: String?
        var bookingChange: Bool?
        var requestedAt: String
        var expiresAt: String
        var decidedAt: String?
        var decidedVia: String?
        var comment: String?
    }

    static func output(_ a: Approval, action: CostAction?, agency: Agency) -> ApprovalOutput {
        ApprovalOutput(
            id: a.id!, caseID: a.caseID, status: a.status.rawValue, text: a.shownText, amountMinor: a.shownAmountMinor,
            currency: a.shownCurrency.rawValue,
            domain: action?.domain.rawValue, supplier: action?.supplier, bookingChange: action?.isBookingChange,
            requestedAt: LocalDateTime.iso8601(a.createdAt, in: agency.zone), expiresAt: LocalDateTime.iso8601(a.expiresAt, in: agency.zone),
            decidedAt: a.decidedAt.map { LocalDateTime.iso8601($0, in: agency.zone) }, decidedVia: a.decidedVia?.rawValue, comment: a.comment)
    }

    @Sendable static func list(req: Request) async throws -> ApiTripsController.PageOutput<ApprovalOutput> {
        let agency = try req.apiAgency
        let page = try ApiTripsController.pageParameter(req, "page", default: 1, range: PageRequest.pages)
        let perPage = try ApiTripsController.pageParameter(req, "perPage", default: 25, range: PageRequest.sizes)
        let query = Approval.query(on: req.db).filter(\.$agencyID == (try agency.requireID()))
        if let text = req.query[String.self, at: "status"] {
            guard let status = ApprovalStatus(rawValue: text) else {
                throw Problem(
                    .unprocessableEntity, "validation", "Invalid status",
                    errors: [FieldError(field: "status", message: "One of pending, approved, denied, expired.")])
            }
            query.filter(\.$status == status)
        }
        let total = try await query.copy().count()
        let approvals = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(PageRequest(clamping: page, perPage: perPage).range).all()
        let actions = Dictionary(
            uniqueKeysWithValues: try await CostAction.query(on: req.db).filter(\.$id ~~ approvals.map(\.costActionID)).all()
                .map { ($0.id!, $0) })
        return .init(
            items: approvals.map { output($0, action: actions[$0.costActionID], agency: agency) }, page: page, perPage: perPage, total: total,
            path: "/api/v1/approvals", req: req, filterNames: ["status"])
    }

    struct DecisionInput: Content {
        var decision: String
        var comment: String?
    }

    /// 404 for another agency's approval, 409 once decided, 410 once expired: the same rules as the portal and the link.
    @Sendable static func decide(req: Request) async throws -> ApprovalOutput {
        let agency = try req.apiAgency
        guard let id = req.parameters.get("approvalID", as: UUID.self), let approval = try await Approval.find(id, on: req.db),
            approval.agencyID == agency.id
        else { throw Problem(.notFound, "not-found", "Approval not found") }
        let input = try req.content.decode(DecisionInput.self)
        guard let decision = ApprovalDecision(rawValue: input.decision) else {
            throw Problem(
                .unprocessableEntity, "validation", "Invalid decision", errors: [FieldError(field: "decision", message: "approve or deny.")])
        }
        let comment = input.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (comment?.count ?? 0) <= 2000 else {
            throw Problem(
                .unprocessableEntity, "validation", "Comment too long", errors: [FieldError(field: "comment", message: "At most 2000 characters.")])
        }
        let decided: Approval
        do {
            decided = try await ApprovalService.decide(
                approval, approve: decision == .approve, comment: comment?.isEmpty == false ? comment : nil,
                via: .api, userID: nil, email: "api-key:\(req.apiKeyPrefix ?? "")", app: req.application, db: req.db)
        } catch ApprovalService.DecideError.notPending(let status) {
            throw Problem(.conflict, "conflict", "Already decided", detail: "This approval is \(status).")
        } catch ApprovalService.DecideError.expired {
            throw Problem(.gone, "expired", "Expired", detail: "This approval request has expired.")
        }
        let action = try await CostAction.find(decided.costActionID, on: req.db)
        return output(decided, action: action, agency: agency)
    }
}
