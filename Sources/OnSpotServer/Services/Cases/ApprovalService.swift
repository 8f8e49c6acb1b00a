import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Requests for the agency's written agreement: announced by mail (signed approve and deny links), in the portal's
/// inbox and by webhook; decided once; reminded, escalated and expired on the agency's delay.
enum ApprovalService {
    /// The link token is an HMAC of the approval's id under the server's secret: unforgeable, bound to one approval,
    /// and re-derivable for reminders without ever storing it. Expiry and single use live on the approval row.
    static func linkToken(for approvalID: UUID, secret: String) -> String {
        Tokens.keyedDigest("approval-link:\(approvalID.uuidString)", secret: secret)
    }

    static func link(_ approvalID: UUID, decision: String, app: Application) -> String {
        app.onspot.publicBaseURL
            + SiteURL.approvalLink(approvalID).with("?token=\(linkToken(for: approvalID, secret: app.onspot.secretKey))&decision=\(decision)")
    }

    /// The exact text the agency is shown and agrees to, in its language.
    static func shownText(_ action: CostAction, agency: Agency) -> String {
        let lang = agency.language
        var text = L10n.t(
            "approval.shown", lang,
            [
                "domain": L10n.t("domain.\(action.domain)", lang), "supplier": action.supplier, "purpose": action.purpose,
                "amount": action.agencyMoney.formatted(lang)
            ])
        if action.currency != action.agencyCurrency {
            text += " " + L10n.t("approval.shown_local", lang, ["local": action.localMoney.formatted(lang), "rate": action.exchangeRate])
        }
        if action.isBookingChange { text += " " + L10n.t("approval.shown_booking", lang) }
        return text
    }

    static func mailArguments(_ action: CostAction, record: CaseRecord, agency: Agency, db: any Database) async throws -> [String: String] {
        let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: db) } ?? nil
        let trip = try await record.tripID.asyncMap { try await Trip.find($0, on: db) } ?? nil
        return [
            "traveller": traveller?.fullName ?? "?", "reference": trip?.reference ?? "—", "supplier": action.supplier,
            "purpose": action.purpose, "amount": action.agencyMoney.formatted(agency.language),
            "domain": L10n.t("domain.\(action.domain)", agency.language)
        ]
    }

    /// What every mail about a request shows: its text, the approve and deny links, the inbox, the expiry.
    static func decisionArguments(_ approval: Approval, agency: Agency, app: Application) -> [String: String] {
        let id = approval.id!
        return [
            "text": approval.shownText, "approve": link(id, decision: "approve", app: app), "deny": link(id, decision: "deny", app: app),
            "inbox": app.onspot.publicBaseURL + SiteURL.approvals.path,
            "expires": LocalDateTime.display(approval.expiresAt, in: agency.zone, language: agency.language)
        ]
    }

    /// The token in the approve and deny links: sent, never stored or logged in clear.
    static func linkSecrets(_ approval: Approval, app: Application) -> [String] {
        approval.id.map { [linkToken(for: $0, secret: app.onspot.secretKey)] } ?? []
    }

    /// Mail with the approve and deny links, webhook, and the portal's inbox (the row itself).
    static func announce(_ approval: Approval, action: CostAction, record: CaseRecord, agency: Agency, app: Application, db: any Database)
        async throws
    {
        let id = try approval.requireID()
        let args = try await mailArguments(action, record: record, agency: agency, db: db)
            .merging(decisionArguments(approval, agency: agency, app: app)) { $1 }
        let mail = OutgoingMail(
            to: agency.contactEmail, subject: L10n.t("mail.approval_subject", agency.language, args),
            body: L10n.t("mail.approval_body", agency.language, args), secrets: linkSecrets(approval, app: app))
        try await Mailer.send(mail, kind: .approvalRequested, agencyID: approval.agencyID, userID: nil, db: db, app: app)
        try await AgencyWebhooks.enqueue(
            agencyID: approval.agencyID,
            .approvalRequested(
                approvalID: id, caseID: record.id, text: approval.shownText, amountMinor: approval.shownAmountMinor,
                currency: approval.shownCurrency.rawValue, expiresAt: LocalDateTime.iso8601(approval.expiresAt, in: agency.zone),
                inbox: args["inbox"] ?? ""), on: db)
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }

    enum DecideError: Error { case notPending(String), expired }

    /// Decides a pending approval exactly once: a conditional update claims it, so two clicks, a click and a portal
    /// decision, or a decision racing the expiry job cannot both win.
    static func decide(
        _ approval: Approval, approve: Bool, comment: String?, via: ApprovalChannel, userID: UUID?, email: String?,
        app: Application, db: any Database
    ) async throws -> Approval {
        guard approval.status == .pending else { throw DecideError.notPending(approval.status.rawValue) }
        guard approval.expiresAt > AppClock.now else { throw DecideError.expired }
        let id = try approval.requireID()
        let claimed = try await end(
            approval, as: approve ? .approved : .denied, audit: approve ? .approvalApproved : .approvalDenied, actor: userID,
            detail: [
                "via": via.rawValue, "email": email ?? "", "commentDigest": AuditLog.digest(comment, secret: app.onspot.secretKey),
                "shownTextDigest": AuditLog.digest(approval.shownText, secret: app.onspot.secretKey),
                "shownAmount": "\(approval.shownAmountMinor) \(approval.shownCurrency)"
            ], on: db
        ) { approval in
            approval.decidedBy = userID
            approval.decidedByEmail = email
            approval.decidedVia = via
            approval.decidedAt = AppClock.now
            approval.comment = comment
        }
        guard claimed else {
            let current = try await Approval.find(id, on: db)
            throw DecideError.notPending(current?.status.rawValue ?? "unknown")
        }
        try await afterDecision(approval, app: app, db: db)
        return approval
    }

    /// Ends a pending approval once (a decision or the expiry): the claim, the row and its audit entry commit together,
    /// so no ended row lacks its record. False when another ending won.
    private static func end(
        _ approval: Approval, as status: ApprovalStatus, audit action: AuditAction, actor: UUID?, detail: [String: String] = [:],
        on db: any Database, recording fill: @escaping @Sendable (Approval) -> Void = { _ in }
    ) async throws -> Bool {
        let id = try approval.requireID()
        return try await db.transaction { tx in
            guard try await claim(id, as: status, on: tx) else { return false }
            approval.status = status
            fill(approval)
            try await approval.save(on: tx)
            try await AuditLog.record(
                on: tx, agencyID: approval.agencyID, actor: actor, action: action, subjectType: "approval", subjectID: id.uuidString,
                detail: detail)
            return true
        }
    }

    /// Moves a pending approval to its decision in one conditional UPDATE: the status column only ever holds a real
    /// status, and of two racing decisions only the one whose update matched a pending row sees its id returned.
    private static func claim(_ id: UUID, as decided: ApprovalStatus, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.update(Approval.schema).set("status", to: SQLBind(decided.rawValue))
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(ApprovalStatus.pending.rawValue))
            .returning("id").all()
        return !rows.isEmpty
    }

    /// The case goes back to the expert, who sees the decision live; the agency's systems hear it by webhook.
    static func afterDecision(_ approval: Approval, app: Application, db: any Database) async throws {
        guard let caseID = approval.caseID, let record = try await CaseRecord.find(caseID, on: db) else { return }
        if record.status == .waitingForAgency {
            let stillWaiting = try await Approval.query(on: db).filter(\.$caseID == caseID).filter(\.$status == .pending).count()
            if stillWaiting == 0 {
                record.status = .inProgress
                try await record.save(on: db)
            }
        }
        app.liveHub.publish(
            destinationID: record.destinationID,
            LiveEvent(
                type: .approvalDecided, caseID: caseID, status: record.status,
                approvalID: approval.id, decision: approval.status.rawValue,
                comment: approval.comment ?? ""))
        try await AgencyWebhooks.enqueue(
            agencyID: approval.agencyID,
            .approvalDecided(
                approvalID: approval.id, caseID: caseID, decision: approval.status.rawValue, via: approval.decidedVia?.rawValue ?? "",
                comment: approval.comment ?? ""), on: db)
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }

    /// Reminds the agency at half its delay, escalates to its escalation contact at the full delay, and expires requests
    /// whose links have run out. Each step is marked on the row, so a rerun never sends twice.
    @discardableResult
    static func runDue(app: Application, now: Date) async throws -> (reminded: Int, escalated: Int, expired: Int) {
        let db = app.db
        var counts = (reminded: 0, escalated: 0, expired: 0)
        let pending = try await Approval.query(on: db).filter(\.$status == .pending).sort(\.$createdAt).limit(500).all()
        guard !pending.isEmpty else { return counts }
        let agencies = Dictionary(
            uniqueKeysWithValues: try await Agency.query(on: db).filter(\.$id ~~ Set(pending.map(\.agencyID))).all().map { ($0.id!, $0) })
        for approval in pending {
            guard let agency = agencies[approval.agencyID], let id = approval.id else { continue }
            if approval.expiresAt <= now {
                let claimed = try await end(approval, as: .expired, audit: .approvalExpired, actor: nil, on: db)
                guard claimed else { continue }
                try await afterDecision(approval, app: app, db: db)
                counts.expired += 1
                continue
            }
            let delay = TimeInterval((agency.approvalDelayMinutes ?? Approval.defaultEscalationMinutes) * 60)
            let age = now.timeIntervalSince(approval.createdAt)
            var args = decisionArguments(approval, agency: agency, app: app)
            args["agency"] = agency.name
            args["minutes"] = String(Int(age / 60))
            if approval.remindedAt == nil, age >= delay / 2 {
                approval.remindedAt = now
                try await approval.save(on: db)
                let mail = OutgoingMail(
                    to: agency.contactEmail, subject: L10n.t("mail.approval_reminder_subject", agency.language, args),
                    body: L10n.t("mail.approval_body_reminder", agency.language, args), secrets: linkSecrets(approval, app: app))
                try await Mailer.send(mail, kind: .approvalReminder, agencyID: agency.id, userID: nil, db: db, app: app)
                counts.reminded += 1
            }
            if approval.escalatedAt == nil, age >= delay {
                approval.escalatedAt = now
                try await approval.save(on: db)
                if let contact = agency.escalationContact, !contact.isEmpty {
                    let mail = OutgoingMail(
                        to: contact, subject: L10n.t("mail.approval_escalation_subject", agency.language, args),
                        body: L10n.t("mail.approval_body_escalation", agency.language, args), secrets: linkSecrets(approval, app: app))
                    try await Mailer.send(mail, kind: .approvalEscalation, agencyID: agency.id, userID: nil, db: db, app: app)
                }
                try await AuditLog.record(
                    on: db, agencyID: agency.id, actor: nil, action: .approvalEscalated, subjectType: "approval",
                    subjectID: id.uuidString, detail: ["to": agency.escalationContact ?? ""])
                counts.escalated += 1
            }
        }
        return counts
    }

    static func startBackgroundRuns(_ app: Application, every seconds: Int64 = 30) {
        app.repeatInBackground(every: seconds, after: 3, name: "approval reminders") {
            // One process at a time: a reminder read as due by two processes would be sent twice.
            try await WorkLease.run(.approvalReminders, on: app.db) { _ = try await runDue(app: app, now: AppClock.now) }
        }
    }
}

/// Called by `onspot serve`: reminders, escalations and expiries of approval requests.
public func startApprovalReminders(_ app: Application) { ApprovalService.startBackgroundRuns(app) }
