import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Activities booked by an expert for the traveller of a case (issue 5, item 5): the amount billed, card fees and extra
/// costs are recorded, and the commission follows (clause 2.4).
enum ActivitiesController {
    @Sendable static func book(req: Request) async throws -> Response {
        struct Form: Content { var activity: String?; var amount: String?; var cardFees: String?; var extraCosts: String? }
        let record = try await CasePage.requireCase(req)
        let form = try? req.content.decode(Form.self)
        var errors: [FieldError] = []
        guard let travellerID = record.travellerID, let agencyID = record.agencyID, let agency = try await Agency.find(agencyID, on: req.db) else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "activity", message: "activity.error.no_traveller")],
                status: .unprocessableEntity)
        }
        let activity =
            try await (form?.activity).flatMap(UUID.init(uuidString:)).asyncMap {
                try await ActivityRecord.query(on: req.db).filter(\.$id == $0).filter(\.$destinationID == (record.destinationID ?? UUID()))
                    .filter(\.$active == true).first()
            } ?? nil
        if activity == nil { errors.append(FieldError(field: "activity", message: "activity.error.unknown")) }
        let currency = activity?.currency ?? .USD
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
            return try await CasePage.render(req, record: record, errors: errors, status: .unprocessableEntity)
        }
        let booking = ActivityBookingRecord(
            activity: activity, agencyID: agencyID, travellerID: travellerID, tripID: record.tripID, caseID: record.id,
            billedMinor: amount.minorUnits, cardFeesMinor: fees.minorUnits, extraCostsMinor: extras.minorUnits,
            currency: currency, requestedAt: req.now, bookedBy: try req.user.id, status: .booked)
        let plan = try await PlanRecord.find(agency.$plan.id, on: req.db)?.code ?? .light
        let commission = try await CreditsService.book(booking, plan: plan, zone: agency.zone, on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: try req.user.id, action: .activityBooked, subjectType: "case",
            subjectID: record.id?.uuidString, detail: ["activity": activity.name, "amount_minor": String(amount.minorUnits)])
        req.flash(
            L10n.t(
                "activity.booked", req.language,
                [
                    "commission": commission.map {
                        Money(minorUnits: $0.amountMinor, currency: currency).formatted(req.language)
                    } ?? L10n.t("commissions.not_commissionable", req.language)
                ]))
        return req.redirect(to: SiteURL.consoleCase(record.id!).with("#activities"))
    }

    /// An activity of this case that fell through (the supplier cancelled, the traveller could not go): the booking is
    /// cancelled with its reason and its commission reversed. Only a booking of the case in the URL, which the expert
    /// covers; a second cancellation changes nothing.
    @Sendable static func cancel(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let record = try await CasePage.requireCase(req)
        guard let bookingID = req.parameters.get("bookingID", as: UUID.self),
            let booking = try await ActivityBookingRecord.query(on: req.db).filter(\.$id == bookingID).filter(\.$caseID == record.requireID())
                .first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        let reason = ((try? req.content.decode(Form.self))?.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let error = TextField.check(reason, field: "reason", limit: 300) {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "cancelReason", message: error.message)], status: .unprocessableEntity)
        }
        let outcome = try await CreditsService.cancelBooking(booking, by: try req.user.id, reason: reason, on: req.db)
        guard case .cancelled(let reversed, let currency) = outcome else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "cancelReason", message: "activity.error.already_cancelled")], status: .conflict)
        }
        try await AuditLog.record(
            on: req.db, agencyID: booking.agencyID, actor: try req.user.id, action: .activityCancelled, subjectType: "case",
            subjectID: record.id?.uuidString,
            // The reason stays on the booking (it may name the traveller; the audit chain cannot be edited by an erasure).
            detail: ["booking": booking.id?.uuidString ?? "", "reversed_minor": String(reversed), "currency": currency?.rawValue ?? ""])
        req.flash(
            L10n.t(
                "activity.cancelled", req.language,
                [
                    "activity": booking.activityName,
                    "reversed": Money(minorUnits: reversed, currency: currency ?? booking.currency).formatted(req.language)
                ]))
        return req.redirect(to: SiteURL.consoleCase(try record.requireID()).with("#activities"))
    }

    /// Pushes a catalogue activity to the consenting travellers at its destination, from a case page of that destination.
    @Sendable static func push(req: Request) async throws -> Response {
        struct Form: Content { var activity: String? }
        let record = try await CasePage.requireCase(req)
        guard let id = (try? req.content.decode(Form.self))?.activity.flatMap(UUID.init(uuidString:)),
            let activity = try await ActivityRecord.query(on: req.db).filter(\.$id == id).filter(\.$destinationID == (record.destinationID ?? UUID()))
                .filter(\.$active == true).first()
        else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "activity", message: "activity.error.unknown")],
                status: .unprocessableEntity)
        }
        let outcome = try await RecommendationService.push(activity, by: try req.user.id, now: req.now, app: req.application, db: req.db)
        req.flash(
            L10n.t(
                "activity.pushed", req.language,
                [
                    "sent": String(outcome.sent), "templates": String(outcome.templates),
                    "skipped": String(outcome.skippedConsent + outcome.skippedRecent + outcome.skippedWindow)
                ]))
        return req.redirect(to: SiteURL.consoleCase(record.id!).with("#activities"))
    }
}

/// The activity catalogue, per destination, kept by OnSpot's admins: name, type and nature, supplier, price,
/// commissionable or not, and the pitch travellers receive in each language.
enum ActivityCatalogueController {
    struct Form: Content {
        var destination: String?; var name: String?; var activityType: String?; var nature: String?; var supplier: String?
        var price: String?; var currency: String?; var commissionable: String?; var pitchFR: String?; var pitchEN: String?; var pitchPT: String?
    }

    @Sendable static func page(req: Request) async throws -> Response {
        try await render(req, errors: [], form: nil, status: .ok)
    }

    static func render(_ req: Request, errors: [FieldError], form: Form?, status: HTTPResponseStatus) async throws -> Response {
        let activities = try await ActivityRecord.query(on: req.db).sort(\.$name).all()
        let destinations = try await DestinationRecord.query(on: req.db).sort(\.$name).all()
        return req.html(
            ActivityViews.catalogue(req: req, activities: activities, destinations: destinations, errors: errors, form: form), status: status)
    }

    @Sendable static func add(req: Request) async throws -> Response {
        let form = (try? req.content.decode(Form.self)) ?? Form()
        var errors: [FieldError] = []
        let destination =
            try await (form.destination).flatMap(UUID.init(uuidString:)).asyncMap { try await DestinationRecord.find($0, on: req.db) } ?? nil
        if destination == nil { errors.append(FieldError(field: "destination", message: "error.choice")) }
        func text(_ value: String?, _ field: String, max: Int) -> String {
            let v = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            errors.append(TextField.check(v, field: field, limit: max))
            return v
        }
        let name = text(form.name, "name", max: 200), type = text(form.activityType, "activityType", max: 50)
        let nature = text(form.nature, "nature", max: 100), supplier = text(form.supplier, "supplier", max: 200)
        let fr = text(form.pitchFR, "pitchFR", max: 500), en = text(form.pitchEN, "pitchEN", max: 500), pt = text(form.pitchPT, "pitchPT", max: 500)
        let currency = (form.currency).flatMap(CurrencyCode.init(rawValue:))
        if currency == nil { errors.append(FieldError(field: "currency", message: "error.choice")) }
        let price = currency.flatMap { Money.parseMajorUnits(form.price ?? "", currency: $0) }
        if price == nil || price!.minorUnits <= 0 { errors.append(FieldError(field: "price", message: "error.amount")) }
        guard errors.isEmpty, let destination, let price else {
            return try await render(req, errors: errors, form: form, status: .unprocessableEntity)
        }
        let a = ActivityRecord()
        a.destinationID = try destination.requireID()
        a.name = name; a.activityType = type; a.nature = nature; a.supplier = supplier
        a.priceMinor = price.minorUnits; a.currency = price.currency
        a.commissionable = form.commissionable == "on" || form.commissionable == "true"
        a.active = true; a.pitchFR = fr; a.pitchEN = en; a.pitchPT = pt; a.createdAt = req.now
        try await a.create(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: nil, actor: try req.user.id, action: .activityCreated, subjectType: "activity",
            subjectID: a.id?.uuidString, detail: ["name": name])
        return req.redirect(to: .adminActivities)
    }

    @Sendable static func toggle(req: Request) async throws -> Response {
        guard let id = req.parameters.get("activityID", as: UUID.self), let a = try await ActivityRecord.find(id, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        a.active.toggle()
        try await a.save(on: req.db)
        return req.redirect(to: .adminActivities)
    }
}
