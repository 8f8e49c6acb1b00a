import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The OnSpot admin area: destinations (hours, numbers) and plans (price grid, notices) are data edited here.
enum AdminController {
    @Sendable static func destinations(req: Request) async throws -> Response {
        let all = try await DestinationRecord.query(on: req.db).sort(\.$countryCode).sort(\.$name).all()
        return req.html(AdminViews.destinations(req: req, destinations: all))
    }

    static func requireDestination(_ req: Request) async throws -> DestinationRecord {
        guard let id = req.parameters.get("destinationID", as: UUID.self), let d = try await DestinationRecord.find(id, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return d
    }

    @Sendable static func editDestination(req: Request) async throws -> Response {
        let d = try await requireDestination(req)
        let endpoints = try await ChannelEndpoint.query(on: req.db).filter(\.$destination.$id == d.requireID()).sort(\.$channel).all()
        return req.html(
            AdminViews.destination(req: req, destination: d, errors: [], hoursInput: nil)
                .appending(AdminViews.endpoints(req: req, destination: d, endpoints: endpoints, errors: [])))
    }

    /// Adds or replaces a channel endpoint of a destination. Secrets are write-only: never shown again, never logged.
    @Sendable static func saveEndpoint(req: Request) async throws -> Response {
        struct Form: Content {
            var channel: String?; var externalID: String?; var appSecret: String?; var verifyToken: String?; var accessToken: String?
        }
        let d = try await requireDestination(req)
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let channel = MessagingChannel(rawValue: form.channel ?? "")
        if channel == nil { errors.append(FieldError(field: "channel", message: "error.choice")) }
        let external = (form.externalID ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(
            TextField.check(external, field: "externalID", limit: 64, allowed: { $0.isLetter || $0.isNumber || "+_-".contains($0) }))
        let secret = form.appSecret ?? ""
        errors.append(TextField.check(secret, field: "appSecret", minimum: 8, limit: 256))
        errors.append(TextField.check(form.verifyToken, field: "verifyToken", required: false, limit: 1024))
        errors.append(TextField.check(form.accessToken, field: "accessToken", required: false, limit: 1024))
        let endpoints = try await ChannelEndpoint.query(on: req.db).filter(\.$destination.$id == d.requireID()).sort(\.$channel).all()
        guard errors.isEmpty, let channel else {
            return req.html(
                AdminViews.destination(req: req, destination: d, errors: [], hoursInput: nil)
                    .appending(AdminViews.endpoints(req: req, destination: d, endpoints: endpoints, errors: errors)), status: .unprocessableEntity)
        }
        let endpoint =
            try await ChannelEndpoint.query(on: req.db).filter(\.$channel == channel).filter(\.$externalID == external).first()
            ?? ChannelEndpoint()
        endpoint.$destination.id = try d.requireID()
        endpoint.channel = channel
        endpoint.externalID = external
        endpoint.appSecret = secret
        endpoint.verifyToken = form.verifyToken?.nilIfEmpty ?? endpoint.verifyToken
        endpoint.accessToken = form.accessToken?.nilIfEmpty ?? endpoint.accessToken
        endpoint.active = true
        endpoint.createdAt = req.now
        try await endpoint.save(on: req.db)
        req.application.channelSecrets.clear()
        try await AuditLog.record(
            on: req.db, agencyID: nil, actor: try req.user.id, action: .channelEndpointSaved,
            subjectType: "channel_endpoint", subjectID: endpoint.id?.uuidString, detail: ["channel": channel.rawValue])
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: .adminDestination(try d.requireID()))
    }

    struct DestinationForm: Content {
        var name: String?
        var timeZone: String?
        var hours: [String: String]?
        var tollFree: String?
        var whatsApp: String?
        var messengerPage: String?
        var email: String?
        var languages: [String]?
        var emergencyNumber: String?
        var active: String?
    }

    @Sendable static func saveDestination(req: Request) async throws -> Response {
        let d = try await requireDestination(req)
        let form = try req.content.decode(DestinationForm.self)
        var errors: [FieldError] = []
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(TextField.check(name, field: "name", limit: 100))
        let zone = TimeZones.named(form.timeZone ?? "")
        if zone == nil { errors.append(FieldError(field: "timeZone", message: "error.timezone")) }
        var weekly: [Weekday: [TimeSlot]] = [:]
        for day in Weekday.allCases {
            if let slots = OpeningHours.parseSlots(form.hours?[String(day.rawValue)] ?? "") {
                weekly[day] = slots
            } else {
                errors.append(FieldError(field: "hours.\(day.rawValue)", message: "error.hours"))
            }
        }
        let tollFree = PhoneNumber(form.tollFree ?? "")
        if tollFree == nil { errors.append(FieldError(field: "tollFree", message: "error.phone_e164")) }
        let whatsApp = PhoneNumber(form.whatsApp ?? "")
        if whatsApp == nil { errors.append(FieldError(field: "whatsApp", message: "error.phone_e164")) }
        let email = EmailAddress.normalised(form.email ?? "")
        if !EmailAddress.isValid(email) { errors.append(FieldError(field: "email", message: "error.email")) }
        let languages = (form.languages ?? []).compactMap(Language.init(rawValue:))
        if languages.isEmpty { errors.append(FieldError(field: "languages", message: "error.required")) }
        let emergency = (form.emergencyNumber ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(TextField.check(emergency, field: "emergencyNumber", limit: 40))
        let page = (form.messengerPage ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(
            TextField.check(page, field: "messengerPage", required: false, limit: 100, allowed: { $0.isLetter || $0.isNumber || "._-".contains($0) }))
        guard errors.isEmpty, let zone, let tollFree, let whatsApp else {
            return req.html(AdminViews.destination(req: req, destination: d, errors: errors, hoursInput: form.hours), status: .unprocessableEntity)
        }
        d.name = name
        d.timeZone = zone.identifier
        d.setHours(OpeningHours(weekly: weekly, closures: d.hours.closures))
        d.tollFreeNumber = tollFree.e164
        d.whatsAppNumber = whatsApp.e164
        d.messengerPage = page.nilIfEmpty
        d.email = email
        d.languages = languages.map(\.rawValue).joined(separator: ",")
        d.emergencyNumber = emergency
        d.active = form.active != nil
        d.updatedAt = req.now
        try await d.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: nil, actor: try req.user.id, action: .destinationUpdated,
            subjectType: "destination", subjectID: d.id?.uuidString)
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: .adminDestinations)
    }

    // MARK: Plans

    @Sendable static func plans(req: Request) async throws -> Response {
        let plans = try await PlanRecord.query(on: req.db).sort(\.$code).all()
        return req.html(AdminViews.plans(req: req, plans: plans, errors: [:]))
    }

    @Sendable static func savePlan(req: Request) async throws -> Response {
        struct Form: Content {
            var name: String?
            var billingMode: String?
            var refundNoticeHours: String?
            var whiteLabel: String?
            var pricePerTravellerDay: String?
            var minimumPerTrip: String?
            var currency: String?
        }
        guard let id = req.parameters.get("planID", as: UUID.self), let plan = try await PlanRecord.find(id, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(TextField.check(name, field: "name", limit: 50))
        let mode = BillingMode(rawValue: form.billingMode ?? "")
        if mode == nil { errors.append(FieldError(field: "billingMode", message: "error.choice")) }
        let notice = Int(form.refundNoticeHours ?? "")
        if notice == nil || !(0...8760).contains(notice!) { errors.append(FieldError(field: "refundNoticeHours", message: "error.amount")) }
        let currency = CurrencyCode(rawValue: form.currency ?? "")
        if currency == nil { errors.append(FieldError(field: "currency", message: "error.choice")) }
        let price = currency.flatMap { Money.parseMajorUnits(form.pricePerTravellerDay ?? "", currency: $0) }
        if price == nil { errors.append(FieldError(field: "pricePerTravellerDay", message: "error.amount")) }
        let minimum = currency.flatMap { Money.parseMajorUnits(form.minimumPerTrip ?? "", currency: $0) }
        if minimum == nil { errors.append(FieldError(field: "minimumPerTrip", message: "error.amount")) }
        guard errors.isEmpty, let mode, let notice, let currency, let price, let minimum else {
            let plans = try await PlanRecord.query(on: req.db).sort(\.$code).all()
            return req.html(AdminViews.plans(req: req, plans: plans, errors: [id: errors]), status: .unprocessableEntity)
        }
        plan.name = name
        plan.billingMode = mode
        plan.refundNoticeHours = notice
        plan.whiteLabel = form.whiteLabel != nil
        plan.pricePerTravellerDayMinor = price.minorUnits
        plan.minimumPerTripMinor = minimum.minorUnits
        plan.currency = currency
        plan.gridVersion += 1
        plan.updatedAt = req.now
        plan.updatedBy = try req.user.id
        try await plan.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: nil, actor: try req.user.id, action: .planUpdated, subjectType: "plan",
            subjectID: id.uuidString, detail: ["grid_version": String(plan.gridVersion)])
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: .adminPlans)
    }
}
