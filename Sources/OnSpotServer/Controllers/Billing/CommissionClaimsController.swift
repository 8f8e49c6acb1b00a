import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Late commission claims: the agency claims an activity missing from its report within the policy's delay (four
/// months after the activity, as On Business allows for missing points); an OnSpot admin approves it, and the commission
/// and its credits follow as for any booking, or rejects it with a note.
enum CommissionClaimsController {
    struct Form: Content { var trip: String?; var activity: String?; var activityDate: String?; var amount: String?; var reference: String? }

    @Sendable static func submit(req: Request) async throws -> Response {
        let agency = try req.agency
        let agencyID = try agency.requireID()
        let form = (try? req.content.decode(Form.self)) ?? Form()
        var errors: [FieldError] = []
        let reference = (form.trip ?? "").trimmingCharacters(in: .whitespaces)
        let trip =
            reference.isEmpty ? nil : try await Trip.query(on: req.db).filter(\.$agency.$id == agencyID).filter(\.$reference == reference).first()
        if trip == nil { errors.append(FieldError(field: "trip", message: "claim.error.trip")) }
        let activity = try await (form.activity).flatMap(UUID.init(uuidString:)).asyncMap { try await ActivityRecord.find($0, on: req.db) } ?? nil
        if activity == nil { errors.append(FieldError(field: "activity", message: "activity.error.unknown")) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = agency.zone
        // A real calendar day (four-digit year, checked month and day) before any date arithmetic.
        let day = CivilDate(form.activityDate ?? "")
        let date = day.flatMap { calendar.date(from: DateComponents(year: $0.year, month: $0.month, day: $0.day, hour: 12)) }
        let now = req.now
        if date == nil || date! > now {
            errors.append(FieldError(field: "activityDate", message: "claim.error.date"))
        } else if !CreditsService.policy.claimAccepted(activityDate: date!, claimedAt: now, calendar: calendar) {
            errors.append(FieldError(field: "activityDate", message: "claim.error.late"))
        }
        let currency = activity?.currency ?? .EUR
        let amount = Money.parseMajorUnits(form.amount ?? "", currency: currency)
        if amount == nil || amount!.minorUnits <= 0 { errors.append(FieldError(field: "amount", message: "error.amount")) }
        let voucher = (form.reference ?? "").trimmingCharacters(in: .whitespaces)
        if !(3...60).contains(voucher.count) { errors.append(FieldError(field: "reference", message: "claim.error.reference")) }
        guard errors.isEmpty, let trip, let activity, let date, let amount else {
            return try await BillingController.commissionsPage(req, claimErrors: errors, claimForm: form, status: .unprocessableEntity)
        }
        let claim = CommissionClaim()
        claim.agencyID = agencyID
        claim.tripID = try trip.requireID()
        claim.activityID = try activity.requireID()
        claim.activityDate = date
        claim.amountBilledMinor = amount.minorUnits
        claim.currency = currency
        claim.supplierReference = voucher
        claim.status = .pending
        claim.submittedAt = now
        claim.submittedBy = try req.user.id
        do { try await claim.create(on: req.db) } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await BillingController.commissionsPage(
                req, claimErrors: [FieldError(field: "reference", message: "claim.error.duplicate")],
                claimForm: form, status: .conflict)
        }
        req.flash(L10n.t("claim.submitted", req.language))
        return req.redirect(to: SiteURL.commissions.with("#claims"))
    }

    @Sendable static func adminList(req: Request) async throws -> Response {
        let claims = try await CommissionClaim.query(on: req.db).sort(\.$submittedAt, .descending).limit(200).all()
        let agencies = try await Agency.query(on: req.db).filter(\.$id ~~ Set(claims.map(\.agencyID))).all()
        let activities = try await ActivityRecord.query(on: req.db).filter(\.$id ~~ Set(claims.map(\.activityID))).all()
        return req.html(
            ActivityViews.claimsAdmin(
                req: req, claims: claims, agencies: Dictionary(agencies.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a }),
                activities: Dictionary(activities.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })))
    }

    @Sendable static func decide(req: Request) async throws -> Response {
        struct Decision: Content { var decision: String?; var note: String? }
        guard let id = req.parameters.get("claimID", as: UUID.self), let claim = try await CommissionClaim.find(id, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        let form = (try? req.content.decode(Decision.self)) ?? Decision()
        guard let decision = form.decision.flatMap(ClaimDecision.init(rawValue:)) else {
            throw PageError(status: .unprocessableEntity, messageKey: "error.choice")
        }
        guard claim.status == .pending else { throw PageError(status: .conflict, messageKey: "claim.error.decided") }
        let note = (form.note ?? "").trimmingCharacters(in: .whitespaces)
        if decision == .reject, note.isEmpty { throw PageError(status: .unprocessableEntity, messageKey: "claim.error.note") }
        claim.status = decision == .approve ? .approved : .rejected
        claim.decidedAt = req.now
        claim.decidedBy = try req.user.id
        claim.decisionNote = note.isEmpty ? nil : String(note.prefix(500))
        if decision == .approve {
            guard let activity = try await ActivityRecord.find(claim.activityID, on: req.db),
                let agency = try await Agency.find(claim.agencyID, on: req.db),
                let link = try await TripTraveller.query(on: req.db).filter(\.$trip.$id == claim.tripID).sort(\.$position).first()
            else { throw PageError(status: .conflict, messageKey: "error.not_found") }
            let b = ActivityBookingRecord(
                activity: activity, agencyID: claim.agencyID, travellerID: link.$traveller.id, tripID: claim.tripID, caseID: nil,
                billedMinor: claim.amountBilledMinor, cardFeesMinor: 0, extraCostsMinor: 0, currency: claim.currency,
                requestedAt: claim.activityDate, bookedBy: try req.user.id, status: .claimed)
            let plan = try await PlanRecord.find(agency.$plan.id, on: req.db)?.code ?? .light
            _ = try await CreditsService.book(b, plan: plan, zone: agency.zone, on: req.db)
            claim.activityBookingID = b.id
        }
        try await claim.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: claim.agencyID, actor: try req.user.id,
            action: decision == .approve ? .commissionClaimApproved : .commissionClaimRejected,
            subjectType: "commission_claim", subjectID: id.uuidString, detail: ["reference": claim.supplierReference])
        return req.redirect(to: .adminClaims)
    }
}
