import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Records an expert's outlay on a case, decides it against the scope of action in force, and asks for the agency's
/// written agreement when the decision says so (clause 2.10, article 8).
enum CostService {
    struct Input: Content {
        var domain: String?
        var supplier: String?
        var purpose: String?
        var amount: String?
        var currency: String?
        var bookingChange: String?
        var emergency: String?
        var justification: String?
    }

    struct Recorded {
        let action: CostAction
        let approval: Approval?
    }

    static func record(_ input: Input, on record: CaseRecord, by userID: UUID?, app: Application, db: any Database) async throws -> Recorded {
        guard CaseStatus.open.contains(record.status) else {
            throw Problem(.conflict, "conflict", "Case closed", detail: "Costs are recorded on open cases only.")
        }
        guard let agencyID = record.agencyID, let agency = try await Agency.find(agencyID, on: db) else {
            throw Problem(.conflict, "conflict", "No agency", detail: "Link the case to a traveller's trip before recording a cost.")
        }
        let cost = try await check(input, agency: agency, on: db)
        let scopeVersion = try await scopeInForce(for: record, agencyID: agencyID, on: db)
        let attempts = try await recentContactAttempts(caseID: record.requireID(), on: db)
        let request = CostRequest(
            domain: cost.domain, agencyAmountMinor: cost.agencyAmountMinor, isBookingChange: cost.isBookingChange,
            spentInDomainMinor: try await committed(caseID: record.requireID(), domain: cost.domain, on: db),
            emergency: cost.isEmergency, caseCategory: record.category, safetyFlag: record.safetyFlag, justification: cost.justification,
            agencyContactAttempts: attempts)
        let decision = try CostRules.decide(request, scope: scopeVersion.scope).get()
        let result = try await db.transaction { db in
            try await store(cost, decision: decision, scopeVersion: scopeVersion, on: record, agency: agency, by: userID, app: app, db: db)
        }
        if let approval = result.approval {
            try await ApprovalService.announce(approval, action: result.action, record: record, agency: agency, app: app, db: db)
        } else if result.action.decision == .emergencyOverride {
            try await announceOverride(result.action, record: record, agency: agency, app: app, db: db)
        }
        app.liveHub.publish(
            destinationID: record.destinationID,
            LiveEvent(type: .costRecorded, caseID: record.id, status: record.status, decision: result.action.decision.rawValue))
        return result
    }

    /// A cost's fields once checked, with its amount in the agency's currency and the rate used.
    struct CheckedCost {
        var domain: ScopeDomain
        var supplier: String
        var purpose: String
        var local: Money
        var justification: String?
        var rateText: String
        var agencyAmountMinor: Int64
        var isBookingChange: Bool
        var isEmergency: Bool
    }

    /// Every field error at once; a currency other than the agency's needs a rate an OnSpot admin set.
    static func check(_ input: Input, agency: Agency, on db: any Database) async throws -> CheckedCost {
        var errors: [FieldError] = []
        let domain = input.domain.flatMap(ScopeDomain.init(rawValue:))
        if domain == nil { errors.append(FieldError(field: "domain", message: "error.choice")) }
        let supplier = (input.supplier ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let purpose = (input.purpose ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        errors += TextField.check([(supplier, "supplier", true, 200), (purpose, "purpose", true, 1000)])
        let currency = input.currency.flatMap(CurrencyCode.init(rawValue:))
        if currency == nil { errors.append(FieldError(field: "currency", message: "error.choice")) }
        let local = currency.flatMap { Money.parseMajorUnits(input.amount ?? "", currency: $0) }
        if currency != nil, local == nil { errors.append(FieldError(field: "amount", message: "error.amount")) }
        let justification = input.justification?.trimmingCharacters(in: .whitespacesAndNewlines)
        errors += TextField.check([(justification, "justification", false, 4000)])
        var rate: (text: String, value: ExchangeRate)?
        if let currency, currency != agency.currency {
            let stored = try await ExchangeRateRecord.query(on: db).filter(\.$fromCurrency == currency)
                .filter(\.$toCurrency == agency.currency).first()
            if let stored, let value = ExchangeRate.parse(stored.rate) {
                rate = (stored.rate, ExchangeRate(from: currency, to: agency.currency, rate: value))
            } else {
                errors.append(FieldError(field: "currency", message: "cost.error.no_rate"))
            }
        }
        guard errors.isEmpty, let domain, let local else { throw ValidationFailure(errors) }
        return CheckedCost(
            domain: domain, supplier: supplier, purpose: purpose, local: local, justification: justification,
            rateText: rate?.text ?? "1", agencyAmountMinor: rate?.value.convert(local.minorUnits) ?? local.minorUnits,
            isBookingChange: input.bookingChange == "on" || input.bookingChange == "true",
            isEmergency: input.emergency == "on" || input.emergency == "true")
    }

    /// Inside the caller's transaction: the cost with the decision and the scope version it was taken under, its audit
    /// entry, and the approval request (the case then waits for the agency) or the override's audit entry.
    static func store(
        _ cost: CheckedCost, decision: CostDecision, scopeVersion: ScopeVersion, on record: CaseRecord, agency: Agency, by userID: UUID?,
        app: Application, db: any Database
    ) async throws -> Recorded {
        let agencyID = try agency.requireID()
        let agencyAmount = cost.agencyAmountMinor
        let action = CostAction()
        action.caseID = try record.requireID()
        action.agencyID = agencyID
        action.domain = cost.domain
        action.supplier = cost.supplier
        action.purpose = cost.purpose
        action.amountMinor = cost.local.minorUnits
        action.currency = cost.local.currency
        action.agencyAmountMinor = agencyAmount
        action.agencyCurrency = agency.currency
        action.exchangeRate = cost.rateText
        action.isBookingChange = cost.isBookingChange
        action.decision = decision.outcome
        action.reason = decision.reason
        action.scopeVersionID = try scopeVersion.requireID()
        action.emergencyJustification = cost.isEmergency ? cost.justification : nil
        action.createdBy = userID
        action.createdAt = AppClock.now
        try await action.create(on: db)
        try await AuditLog.record(
            on: db, agencyID: agencyID, actor: userID, action: .costRecorded, subjectType: "cost_action",
            subjectID: action.id?.uuidString,
            detail: [
                "case": record.id?.uuidString ?? "", "domain": cost.domain.rawValue, "supplier": cost.supplier,
                "amount": "\(cost.local.minorUnits) \(cost.local.currency.rawValue)", "rate": action.exchangeRate,
                "agencyAmount": "\(agencyAmount) \(agency.currency)", "bookingChange": String(cost.isBookingChange),
                "decision": decision.outcome.rawValue, "reason": decision.reason,
                "scopeVersion": String(scopeVersion.version), "scopeVersionID": scopeVersion.id?.uuidString ?? ""
            ])
        var approval: Approval?
        switch decision.outcome {
        case .needsApproval:
            let a = Approval()
            a.id = UUID()
            a.costActionID = try action.requireID()
            a.agencyID = agencyID
            a.caseID = record.id
            a.status = .pending
            a.shownText = ApprovalService.shownText(action, agency: agency)
            a.shownAmountMinor = agencyAmount
            a.shownCurrency = agency.currency
            a.tokenHash = Tokens.sha256Hex(ApprovalService.linkToken(for: a.id!, secret: app.onspot.secretKey))
            a.expiresAt = AppClock.now.addingTimeInterval(Approval.lifetime)
            a.requestedBy = userID
            a.createdAt = AppClock.now
            try await a.create(on: db)
            record.status = .waitingForAgency
            try await record.save(on: db)
            try await AuditLog.record(
                on: db, agencyID: agencyID, actor: userID, action: .approvalRequested, subjectType: "approval",
                subjectID: a.id?.uuidString,
                detail: [
                    "costAction": action.id?.uuidString ?? "", "shownTextDigest": AuditLog.digest(a.shownText, secret: app.onspot.secretKey),
                    "shownAmount": "\(agencyAmount) \(agency.currency)"
                ])
            approval = a
        case .emergencyOverride:
            try await AuditLog.record(
                on: db, agencyID: agencyID, actor: userID, action: .costEmergencyOverride, subjectType: "cost_action",
                subjectID: action.id?.uuidString,
                detail: [
                    "justificationDigest": AuditLog.digest(cost.justification, secret: app.onspot.secretKey),
                    "agencyAmount": "\(agencyAmount) \(agency.currency)"
                ])
        case .allowed, .notAllowed:
            break
        }
        return Recorded(action: action, approval: approval)
    }

    /// The agency's version in force when the decision is made: article 8 lets it change its scope at any time, and
    /// the change applies to trips already registered (the trip keeps the version it was registered under, for the record).
    static func scopeInForce(for record: CaseRecord, agencyID: UUID, on db: any Database) async throws -> ScopeVersion {
        if let current = try await ScopeService.current(agencyID: agencyID, on: db) { return current }
        return try await ScopeService.saveVersion(.cautiousDefault, agencyID: agencyID, by: nil, on: db)
    }

    /// Attempts to reach the agency on this case in the last 24 hours: what the emergency exception rests on.
    static func recentContactAttempts(caseID: UUID, on db: any Database) async throws -> Int {
        try await AgencyContactAttempt.query(on: db).filter(\.$caseID == caseID)
            .filter(\.$attemptedAt >= AppClock.now.addingTimeInterval(-AgencyContactAttempt.validity)).count()
    }

    /// What the case has committed in a domain: allowed and overridden outlays, and those the agency approved.
    static func committed(caseID: UUID, domain: ScopeDomain, on db: any Database) async throws -> Int64 {
        let actions = try await CostAction.query(on: db).filter(\.$caseID == caseID).filter(\.$domain == domain).all()
        let waiting = actions.filter { $0.decision == .needsApproval }.compactMap(\.id)
        let approved =
            waiting.isEmpty
            ? []
            : Set(
                try await Approval.query(on: db).filter(\.$costActionID ~~ waiting)
                    .filter(\.$status == .approved).all().map(\.costActionID))
        return actions.reduce(0) { sum, a in
            a.decision.commits(approval: a.id.flatMap { approved.contains($0) ? .approved : nil }) ? sum + a.agencyAmountMinor : sum
        }
    }

    /// The agency hears of an override at once, by every channel: mail to its contact, its escalation contact and every
    /// active user, its webhooks, and the portal's notifications.
    static func announceOverride(_ action: CostAction, record: CaseRecord, agency: Agency, app: Application, db: any Database) async throws {
        let agencyID = try agency.requireID()
        let users = try await User.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$active == true).all()
        var recipients = [agency.contactEmail] + users.map(\.email)
        if let escalation = agency.escalationContact { recipients.append(escalation) }
        var seen = Set<String>()
        let args = try await ApprovalService.mailArguments(action, record: record, agency: agency, db: db)
            .merging(["justification": action.emergencyJustification ?? ""]) { $1 }
        for to in recipients where seen.insert(to.lowercased()).inserted {
            let mail = OutgoingMail(
                to: to, subject: L10n.t("mail.override_subject", agency.language, args), body: L10n.t("mail.override_body", agency.language, args))
            try await Mailer.send(mail, kind: .emergencyOverride, agencyID: agencyID, userID: users.first { $0.email == to }?.id, db: db, app: app)
        }
        try await AgencyWebhooks.enqueue(
            agencyID: agencyID,
            .costEmergencyOverride(
                caseID: record.id, costActionID: action.id, domain: action.domain.rawValue, supplier: action.supplier, purpose: action.purpose,
                amountMinor: action.agencyAmountMinor, currency: action.agencyCurrency.rawValue,
                justification: action.emergencyJustification ?? ""), on: db)
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }
}
