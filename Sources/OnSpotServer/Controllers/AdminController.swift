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
        return req.html(AdminViews.destination(req: req, destination: d, errors: [], hoursInput: nil)
            .appending(AdminViews.endpoints(req: req, destination: d, endpoints: endpoints, errors: [])))
    }

    /// Adds or replaces a channel endpoint of a destination. Secrets are write-only: never shown again, never logged.
    @Sendable static func saveEndpoint(req: Request) async throws -> Response {
        struct Form: Content { var channel: String?; var externalID: String?; var appSecret: String?; var verifyToken: String?; var accessToken: String? }
        let d = try await requireDestination(req)
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let channel = MessagingChannel(rawValue: form.channel ?? "")
        if channel == nil { errors.append(FieldError(field: "channel", message: "error.choice")) }
        let external = (form.externalID ?? "").trimmingCharacters(in: .whitespaces)
        if external.isEmpty || external.count > 64 || !external.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "_" || $0 == "-" }) {
            errors.append(FieldError(field: "externalID", message: "error.required"))
        }
        let secret = form.appSecret ?? ""
        if secret.count < 8 || secret.count > 256 { errors.append(FieldError(field: "appSecret", message: "error.required")) }
        for (value, field) in [(form.verifyToken, "verifyToken"), (form.accessToken, "accessToken")] where (value ?? "").count > 1024 {
            errors.append(FieldError(field: field, message: "error.too_long"))
        }
        let endpoints = try await ChannelEndpoint.query(on: req.db).filter(\.$destination.$id == d.requireID()).sort(\.$channel).all()
        guard errors.isEmpty, let channel else {
            return req.html(AdminViews.destination(req: req, destination: d, errors: [], hoursInput: nil)
                .appending(AdminViews.endpoints(req: req, destination: d, endpoints: endpoints, errors: errors)), status: .unprocessableEntity)
        }
        let endpoint = try await ChannelEndpoint.query(on: req.db).filter(\.$channel == channel).filter(\.$externalID == external).first()
            ?? ChannelEndpoint()
        endpoint.$destination.id = try d.requireID()
        endpoint.channel = channel
        endpoint.externalID = external
        endpoint.appSecret = secret
        endpoint.verifyToken = form.verifyToken?.nilIfEmpty ?? endpoint.verifyToken
        endpoint.accessToken = form.accessToken?.nilIfEmpty ?? endpoint.accessToken
        endpoint.active = true
        endpoint.createdAt = Date()
        try await endpoint.save(on: req.db)
        req.application.channelSecrets.clear()
        try await AuditLog.record(on: req.db, agencyID: nil, actor: try req.user.id, action: .channelEndpointSaved,
                                  subjectType: "channel_endpoint", subjectID: endpoint.id?.uuidString, detail: ["channel": channel.rawValue])
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: "/admin/destinations/\(try d.requireID())")
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
        if name.isEmpty || name.count > 100 { errors.append(FieldError(field: "name", message: name.isEmpty ? "error.required" : "error.too_long")) }
        let zone = TimeZone(identifier: form.timeZone ?? "")
        if zone == nil { errors.append(FieldError(field: "timeZone", message: "error.timezone")) }
        var weekly: [Weekday: [TimeSlot]] = [:]
        for day in Weekday.allCases {
            if let slots = OpeningHours.parseSlots(form.hours?[String(day.rawValue)] ?? "") { weekly[day] = slots } else {
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
        if emergency.isEmpty || emergency.count > 40 { errors.append(FieldError(field: "emergencyNumber", message: "error.required")) }
        let page = (form.messengerPage ?? "").trimmingCharacters(in: .whitespaces)
        if page.count > 100 || page.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "_" && $0 != "-" }) {
            errors.append(FieldError(field: "messengerPage", message: "error.choice"))
        }
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
        d.updatedAt = Date()
        try await d.save(on: req.db)
        try await AuditLog.record(on: req.db, agencyID: nil, actor: try req.user.id, action: .destinationUpdated,
                                  subjectType: "destination", subjectID: d.id?.uuidString)
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: "/admin/destinations")
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
        if name.isEmpty || name.count > 50 { errors.append(FieldError(field: "name", message: "error.required")) }
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
        plan.updatedAt = Date()
        plan.updatedBy = try req.user.id
        try await plan.save(on: req.db)
        try await AuditLog.record(on: req.db, agencyID: nil, actor: try req.user.id, action: .planUpdated, subjectType: "plan",
                                  subjectID: id.uuidString, detail: ["grid_version": String(plan.gridVersion)])
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: "/admin/plans")
    }
}

extension HTML {
    /// Adds markup inside the page's main element (the layout closes it last).
    func appending(_ extra: HTML) -> HTML {
        guard let range = markup.range(of: "</main>", options: .backwards) else { return self }
        var text = markup
        text.insert(contentsOf: extra.markup, at: range.lowerBound)
        return HTML(markup: text)
    }
}

enum AdminViews {
    static func endpoints(req: Request, destination d: DestinationRecord, endpoints: [ChannelEndpoint], errors: [FieldError]) -> HTML {
        let lang = req.language
        let f = FormErrors(errors: errors, lang: lang)
        let rows = endpoints.map { e in
            el("tr", [:], el("td", [:], .text(e.channel.rawValue)), el("td", [:], el("code", [:], .text(e.externalID))),
               el("td", [:], .text(e.appSecret.isEmpty ? "—" : "secret ✓")), el("td", [:], .text(e.accessToken == nil ? "—" : "token ✓")),
               el("td", [:], .text(e.active ? "✓" : "—")))
        }
        return el("div", ["class": "panel", "id": "channel-endpoints"],
            el("h2", [:], "Channels"),
            el("div", ["class": "table-wrap"], el("table", [:], el("tbody", [:], rows))),
            el("form", ["method": "post", "action": "/admin/destinations/\(d.id!)/endpoints", "novalidate": "", "autocomplete": "off"],
               Layout.csrfField(req), f.summary,
               el("div", ["class": "grid"],
                  el("div", [:], f.select("channel", label: "Channel", options: MessagingChannel.allCases.map { ($0.rawValue, $0.rawValue) }, selected: nil)),
                  el("div", [:], f.input("externalID", label: "phone_number_id / page id / number", value: nil, required: true)),
                  el("div", [:], f.input("appSecret", label: "App secret / auth token", value: nil, type: "password", required: true)),
                  el("div", [:], f.input("verifyToken", label: "Verify token", value: nil, type: "password")),
                  el("div", [:], f.input("accessToken", label: "Access token", value: nil, type: "password"))),
               el("button", ["type": "submit"], .text(L10n.t("button.save", lang)))))
    }

    static func destinations(req: Request, destinations: [DestinationRecord]) -> HTML {
        let lang = req.language
        let rows = destinations.map { d in
            el("tr", [:], el("td", [:], el("a", ["href": "/admin/destinations/\(d.id!)"], .text(d.name))),
               el("td", [:], .text(d.countryCode)), el("td", [:], .text(d.timeZone)), el("td", [:], .text(d.tollFreeNumber)),
               el("td", [:], .text(d.active ? "✓" : "—")))
        }
        return Layout.page(req: req, title: L10n.t("nav.admin_destinations", lang), body: HTML.group([
            el("h1", [:], .text("\(L10n.t("nav.admin_destinations", lang)) (\(destinations.count))")),
            el("div", ["class": "table-wrap"], el("table", ["id": "admin-destinations"], el("tbody", [:], rows))),
        ]))
    }

    static func destination(req: Request, destination d: DestinationRecord, errors: [FieldError], hoursInput: [String: String]?) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let hours = d.hours
        let dayInputs = Weekday.allCases.map { day in
            el("div", [:], f.input("hours[\(day.rawValue)]", label: t("weekday.\(day.rawValue)"),
                                   value: hoursInput?[String(day.rawValue)] ?? OpeningHours.formatSlots(hours.weekly[day] ?? []),
                                   field: "hours.\(day.rawValue)"))
        }
        let langs = Set(d.languageList)
        return Layout.page(req: req, title: d.name, body: el("div", ["class": "panel"],
            el("h1", [:], .text("\(d.name) (\(d.code))")),
            f.summary,
            el("form", ["method": "post", "action": "/admin/destinations/\(d.id!)", "novalidate": ""],
               Layout.csrfField(req),
               el("div", ["class": "grid"],
                  el("div", [:], f.input("name", label: t("field.name"), value: d.name, required: true)),
                  el("div", [:], f.input("timeZone", label: t("field.time_zone"), value: d.timeZone, required: true)),
                  el("div", [:], f.input("tollFree", label: t("card.call"), value: d.tollFreeNumber, type: "tel")),
                  el("div", [:], f.input("whatsApp", label: "WhatsApp", value: d.whatsAppNumber, type: "tel")),
                  el("div", [:], f.input("messengerPage", label: "Messenger (m.me/…)", value: d.messengerPage)),
                  el("div", [:], f.input("email", label: t("field.email"), value: d.email, type: "email")),
                  el("div", [:], f.input("emergencyNumber", label: "112 / 911 / 000", value: d.emergencyNumber))),
               el("fieldset", [:], el("legend", [:], .text(t("field.language"))), f.message("languages"),
                  HTML.group(Language.allCases.map { l in
                      el("label", ["class": "check"], el("input", ["type": "checkbox", "name": "languages[]", "value": l.rawValue,
                                                                   "checked": .flag(langs.contains(l))]), .text(l.displayName))
                  })),
               el("fieldset", [:], el("legend", [:], .text(t("card.hours"))), el("p", ["class": "muted"], .text(t("admin.hours_hint"))),
                  el("div", ["class": "grid"], dayInputs), el("p", ["class": "muted"], .text(t("card.closed_days")))),
               el("label", ["class": "check"], el("input", ["type": "checkbox", "name": "active", "checked": .flag(d.active)]), "Active"),
               el("button", ["type": "submit"], .text(t("button.save"))))))
    }

    static func plans(req: Request, plans: [PlanRecord], errors: [UUID: [FieldError]]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let forms = plans.map { p -> HTML in
            let f = FormErrors(errors: errors[p.id!] ?? [], lang: lang)
            let currency = p.currency
            return el("form", ["method": "post", "action": "/admin/plans/\(p.id!)", "class": "panel", "novalidate": ""],
                el("h2", [:], .text("\(p.code) – grid v\(p.gridVersion)")),
                Layout.csrfField(req), f.summary,
                el("div", ["class": "grid"],
                   el("div", [:], f.input("name", label: t("field.name"), value: p.name)),
                   el("div", [:], f.select("billingMode", label: "Billing", options: BillingMode.allCases.map { ($0.rawValue, $0.rawValue) },
                                           selected: p.billingMode.rawValue)),
                   el("div", [:], f.input("refundNoticeHours", label: "Refund notice (hours)", value: String(p.refundNoticeHours), type: "number")),
                   el("div", [:], f.input("pricePerTravellerDay", label: "Price / traveller / day",
                                          value: Money(minorUnits: p.pricePerTravellerDayMinor, currency: currency).majorUnitsText)),
                   el("div", [:], f.input("minimumPerTrip", label: "Minimum / trip",
                                          value: Money(minorUnits: p.minimumPerTripMinor, currency: currency).majorUnitsText)),
                   el("div", [:], f.select("currency", label: t("field.currency"), options: CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) },
                                           selected: p.currency.rawValue))),
                el("label", ["class": "check"], el("input", ["type": "checkbox", "name": "whiteLabel", "checked": .flag(p.whiteLabel)]), "White label"),
                el("button", ["type": "submit"], .text(t("button.save"))))
        }
        return Layout.page(req: req, title: t("nav.admin_plans"), body: HTML.group([el("h1", [:], .text(t("nav.admin_plans")))] + forms))
    }
}
