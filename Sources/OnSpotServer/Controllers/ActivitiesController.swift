import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Activities booked by an expert for the traveller of a case (issue 5, item 5): the amount billed, card fees and extra
/// costs are recorded, and the commission follows (clause 2.4).
enum ActivitiesController {
    @Sendable static func book(req: Request) async throws -> Response {
        struct Form: Content { var activity: String?; var amount: String?; var cardFees: String?; var extraCosts: String? }
        let record = try await ConsolePagesController.requireCase(req)
        let form = try? req.content.decode(Form.self)
        var errors: [FieldError] = []
        guard let travellerID = record.travellerID, let agencyID = record.agencyID, let agency = try await Agency.find(agencyID, on: req.db) else {
            return try await ConsolePagesController.render(req, record: record, errors: [FieldError(field: "activity", message: "activity.error.no_traveller")],
                                                           status: .unprocessableEntity)
        }
        let activity = try await (form?.activity).flatMap(UUID.init(uuidString:)).asyncMap {
            try await ActivityRecord.query(on: req.db).filter(\.$id == $0).filter(\.$destinationID == (record.destinationID ?? UUID()))
                .filter(\.$active == true).first()
        } ?? nil
        if activity == nil { errors.append(FieldError(field: "activity", message: "activity.error.unknown")) }
        let currency = activity.flatMap { CurrencyCode(rawValue: $0.currency) } ?? .USD
        let amount = (form?.amount).flatMap { $0.isEmpty ? activity?.price : Money.parseMajorUnits($0, currency: currency) } ?? activity?.price
        let fees = Money.parseMajorUnits(form?.cardFees ?? "0", currency: currency)
        let extras = Money.parseMajorUnits(form?.extraCosts ?? "0", currency: currency)
        if amount == nil || amount!.minorUnits <= 0 { errors.append(FieldError(field: "amount", message: "error.amount")) }
        if fees == nil { errors.append(FieldError(field: "cardFees", message: "error.amount")) }
        if extras == nil { errors.append(FieldError(field: "extraCosts", message: "error.amount")) }
        if let amount, let fees, let extras, fees.minorUnits + extras.minorUnits > amount.minorUnits {
            errors.append(FieldError(field: "cardFees", message: "activity.error.fees"))
        }
        guard errors.isEmpty, let activity, let amount, let fees, let extras else {
            return try await ConsolePagesController.render(req, record: record, errors: errors, status: .unprocessableEntity)
        }
        let booking = ActivityBookingRecord()
        booking.agencyID = agencyID
        booking.travellerID = travellerID
        booking.tripID = record.tripID
        booking.destinationID = record.destinationID
        booking.caseID = record.id
        booking.activityID = activity.id
        booking.activityName = activity.name
        booking.activityType = activity.activityType
        booking.activityNature = activity.nature
        booking.supplier = activity.supplier
        booking.commissionable = activity.commissionable
        booking.amountBilledMinor = amount.minorUnits
        booking.cardFeesMinor = fees.minorUnits
        booking.extraCostsMinor = extras.minorUnits
        booking.currency = currency.rawValue
        booking.requestedAt = Date()
        booking.bookedBy = try req.user.id
        booking.status = "booked"
        let plan = try await PlanRecord.find(agency.$plan.id, on: req.db)?.planCode ?? .light
        let commission = try await CreditsService.book(booking, plan: plan, zone: agency.zone, on: req.db)
        try await AuditLog.record(on: req.db, agencyID: agencyID, actor: try req.user.id, action: "activity.booked", subjectType: "case",
                                  subjectID: record.id?.uuidString, detail: ["activity": activity.name, "amount_minor": String(amount.minorUnits)])
        req.flash(L10n.t("activity.booked", req.lang, ["commission": commission.map {
            Money(minorUnits: $0.amountMinor, currency: currency).formatted(req.lang) } ?? L10n.t("commissions.not_commissionable", req.lang)]))
        return req.redirect(to: "/console/cases/\(record.id!)#activities")
    }

    /// Pushes a catalogue activity to the consenting travellers at its destination, from a case page of that destination.
    @Sendable static func push(req: Request) async throws -> Response {
        struct Form: Content { var activity: String? }
        let record = try await ConsolePagesController.requireCase(req)
        guard let id = (try? req.content.decode(Form.self))?.activity.flatMap(UUID.init(uuidString:)),
              let activity = try await ActivityRecord.query(on: req.db).filter(\.$id == id).filter(\.$destinationID == (record.destinationID ?? UUID()))
                .filter(\.$active == true).first() else {
            return try await ConsolePagesController.render(req, record: record, errors: [FieldError(field: "activity", message: "activity.error.unknown")],
                                                           status: .unprocessableEntity)
        }
        let outcome = try await RecommendationService.push(activity, by: try req.user.id, app: req.application, db: req.db)
        req.flash(L10n.t("activity.pushed", req.lang, ["sent": String(outcome.sent), "templates": String(outcome.templates),
                                                        "skipped": String(outcome.skippedConsent + outcome.skippedRecent + outcome.skippedWindow)]))
        return req.redirect(to: "/console/cases/\(record.id!)#activities")
    }
}
