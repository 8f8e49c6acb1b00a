import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's side of clause 2.10: the approvals inbox, decisions from the portal or from the emailed links.
enum ApprovalsController {
    struct Row {
        let approval: Approval
        let action: CostAction?
        let traveller: String
        let reference: String
        let decidedBy: String?
    }

    /// Pending first, then the latest decisions; every lookup batched, never one query per row.
    @Sendable static func inbox(req: Request) async throws -> Response {
        let agency = try req.agency
        let agencyID = try agency.requireID()
        let pending = try await Approval.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$status == .pending).sort(\.$createdAt).all()
        let decided = try await Approval.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$status != .pending)
            .sort(\.$createdAt, .descending).limit(100).all()
        let rows = try await rows(for: pending + decided, on: req.db)
        return req.html(ApprovalViews.inbox(req: req, agency: agency, rows: rows))
    }

    static func rows(for approvals: [Approval], on db: any Database) async throws -> [Row] {
        let actions = Dictionary(
            uniqueKeysWithValues: try await CostAction.query(on: db).filter(\.$id ~~ approvals.map(\.costActionID)).all().map { ($0.id!, $0) })
        let cases = Dictionary(
            uniqueKeysWithValues: try await CaseRecord.query(on: db).filter(\.$id ~~ approvals.compactMap(\.caseID)).all().map { ($0.id!, $0) })
        let travellers = Dictionary(
            uniqueKeysWithValues: try await Traveller.query(on: db).filter(\.$id ~~ cases.values.compactMap(\.travellerID)).all()
                .map { ($0.id!, $0) })
        let trips = Dictionary(
            uniqueKeysWithValues: try await Trip.query(on: db).filter(\.$id ~~ cases.values.compactMap(\.tripID)).all().map { ($0.id!, $0) })
        let users = Dictionary(
            uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ approvals.compactMap(\.decidedBy)).all().map { ($0.id!, $0) })
        return approvals.map { a in
            let c = a.caseID.flatMap { cases[$0] }
            return Row(
                approval: a, action: actions[a.costActionID], traveller: c?.travellerID.flatMap { travellers[$0]?.fullName } ?? "?",
                reference: c?.tripID.flatMap { trips[$0]?.reference ?? "" } ?? "",
                decidedBy: a.decidedBy.flatMap { users[$0]?.name } ?? a.decidedByEmail)
        }
    }

    struct DecisionForm: Content {
        var decision: String?
        var comment: String?
        var token: String?
    }

    static func parse(_ form: DecisionForm) throws -> (approve: Bool, comment: String?) {
        guard let d = form.decision, d == "approve" || d == "deny" else { throw PageError(status: .unprocessableEntity, messageKey: "error.choice") }
        let comment = form.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (comment?.count ?? 0) <= 2000 else { throw PageError(status: .unprocessableEntity, messageKey: "error.too_long") }
        return (d == "approve", comment?.isEmpty == false ? comment : nil)
    }

    /// Maps the service's refusals to precise answers: 409 when already decided, 410 when the request ran out.
    static func decide(_ approval: Approval, form: DecisionForm, via: ApprovalChannel, userID: UUID?, email: String?, req: Request) async throws {
        let (approve, comment) = try parse(form)
        do {
            _ = try await ApprovalService.decide(
                approval, approve: approve, comment: comment, via: via, userID: userID, email: email,
                app: req.application, db: req.db)
        } catch ApprovalService.DecideError.notPending(let status) {
            throw PageError(
                status: .conflict, messageKey: "approval.not_pending", arguments: ["status": L10n.t("approval.status.\(status)", req.language)])
        } catch ApprovalService.DecideError.expired {
            throw PageError(status: .gone, messageKey: "approval.expired")
        }
    }

    /// From the portal: the signed-in agency user decides; another agency's approval is not found.
    @Sendable static func decidePortal(req: Request) async throws -> Response {
        let agency = try req.agency
        guard let id = req.parameters.get("approvalID", as: UUID.self), let approval = try await Approval.find(id, on: req.db),
            approval.agencyID == agency.id
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        let user = try req.user
        try await decide(approval, form: try req.content.decode(DecisionForm.self), via: .portal, userID: user.id, email: user.email, req: req)
        req.flash(L10n.t("approval.decided", req.language))
        return req.redirect(to: .approvals)
    }

    /// The approval named in an emailed link, when its token is the one the server signed for it.
    static func linked(_ req: Request, token: String?) async throws -> Approval {
        guard let id = req.parameters.get("approvalID", as: UUID.self), let token, token.count == 64,
            let approval = try await Approval.find(id, on: req.db),
            Tokens.constantTimeEquals(token, ApprovalService.linkToken(for: id, secret: req.application.onspot.secretKey))
        else {
            throw PageError(status: .forbidden, messageKey: "approval.invalid_link")
        }
        return approval
    }

    /// GET only shows the request: mail scanners follow links, and a decision must be a deliberate POST.
    @Sendable static func linkPage(req: Request) async throws -> Response {
        let approval = try await linked(req, token: req.query[String.self, at: "token"])
        guard approval.status == .pending else {
            throw PageError(
                status: .conflict, messageKey: "approval.not_pending",
                arguments: ["status": L10n.t("approval.status.\(approval.status)", req.language)])
        }
        guard approval.expiresAt > req.now else { throw PageError(status: .gone, messageKey: "approval.expired") }
        let agency = try await Agency.find(approval.agencyID, on: req.db)
        let row = try await rows(for: [approval], on: req.db).first!
        let decision = req.query[String.self, at: "decision"].flatMap(ApprovalDecision.init(rawValue:)) ?? .approve
        return req.html(
            ApprovalViews.linkPage(req: req, row: row, agency: agency, token: req.query[String.self, at: "token"] ?? "", decision: decision))
    }

    @Sendable static func decideLink(req: Request) async throws -> Response {
        let form = try req.content.decode(DecisionForm.self)
        let approval = try await linked(req, token: form.token)
        guard let agency = try await Agency.find(approval.agencyID, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        // The link went to the agency's contact and, once escalated, to its escalation contact too.
        let recipients = [agency.contactEmail] + (approval.escalatedAt != nil ? [agency.escalationContact].compactMap { $0 } : [])
        let signedIn = req.auth.get(User.self).flatMap { $0.$agency.id == agency.id ? $0 : nil }
        try await decide(approval, form: form, via: .emailLink, userID: signedIn?.id, email: recipients.joined(separator: ", "), req: req)
        return req.html(ApprovalViews.done(req: req, approval: try await Approval.find(approval.id, on: req.db) ?? approval))
    }

    /// The agency's escalation contact and delay (minutes before a reminder at half, and escalation at the full delay).
    @Sendable static func saveSettings(req: Request) async throws -> Response {
        struct Form: Content { var escalationContact: String?; var delayMinutes: String? }
        let agency = try req.agency
        let form = try req.content.decode(Form.self)
        let contact = (form.escalationContact ?? "").trimmingCharacters(in: .whitespaces)
        guard contact.isEmpty || EmailAddress.isValid(contact) else { throw PageError(status: .unprocessableEntity, messageKey: "error.email") }
        guard let minutes = Int((form.delayMinutes ?? "").trimmingCharacters(in: .whitespaces)), (5...10_080).contains(minutes) else {
            throw PageError(status: .unprocessableEntity, messageKey: "approval.error.delay")
        }
        agency.escalationContact = contact.isEmpty ? nil : contact.lowercased()
        agency.approvalDelayMinutes = minutes
        try await agency.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .approvalSettingsChanged, subjectType: "agency",
            subjectID: agency.id?.uuidString, detail: ["escalationContact": contact, "delayMinutes": String(minutes)])
        req.flash(L10n.t("scope.saved", req.language))
        return req.redirect(to: .scope)
    }
}
