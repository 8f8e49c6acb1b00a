import OnSpotCore
import Vapor

/// The page shell shared by every portal, console and admin page.
enum Layout {
    static func page(req: Request, title: String, body: HTML) -> HTML {
        let lang = req.language
        let user = req.auth.get(User.self)
        func t(_ key: String) -> String { L10n.t(key, lang) }
        var links: [HTML] = []
        if let user {
            switch user.role {
            case .agencyAdmin, .agencyAgent:
                links += [
                    link("/", t("nav.dashboard")), link("/trips", t("nav.trips")), link("/trips/new", t("nav.new_trip")),
                    link("/approvals", t("nav.approvals")), link("/scope", t("nav.scope")), link("/packs", t("nav.packs")),
                    link("/reports", t("nav.reports")), link("/audit", t("nav.audit")), link("/invoices", t("nav.invoices")),
                    link("/commissions", t("nav.commissions")), link("/credits", t("nav.credits"))
                ]
                if user.role == .agencyAdmin {
                    links += [
                        link("/branding", t("nav.branding")), link("/users", t("nav.users")),
                        link("/api-keys", t("nav.api_keys")), link("/integrations", "Webhooks"), link("/account", t("nav.account"))
                    ]
                }
            case .expert:
                links += [link("/", t("nav.dashboard")), link("/console", "Console")]
            case .onspotAdmin:
                links += [
                    link("/", t("nav.dashboard")), link("/console", "Console"), link("/admin/destinations", t("nav.admin_destinations")),
                    link("/admin/plans", t("nav.admin_plans")), link("/admin/rates", t("nav.admin_rates")),
                    link("/admin/activities", t("nav.admin_activities")), link("/admin/claims", t("claim.title"))
                ]
            }
        }
        var headerParts: [HTML] = [el("a", ["class": "logo", "href": "/"], "OnSpot Connect")]
        if let user {
            headerParts.append(el("nav", ["aria-label": "main"], links))
            headerParts.append(
                el(
                    "form", ["method": "post", "action": "/logout", "class": "inline"],
                    csrfField(req),
                    el("button", ["type": "submit", "class": "secondary"], .text("\(t("nav.sign_out")) (\(user.name))"))))
        }
        var flashes: [HTML] = []
        if req.hasSession, let message = req.session.data["flash"] {
            req.session.data["flash"] = nil
            flashes.append(el("div", ["class": "flash", "role": "status"], .text(message)))
        }
        return HTML(
            markup: "<!doctype html>"
                + el(
                    "html", ["lang": lang.rawValue],
                    el(
                        "head", [:],
                        el("meta", ["charset": "utf-8"]),
                        el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                        el("title", [:], .text("\(title) · OnSpot Connect")),
                        el("link", ["rel": "stylesheet", "href": "/static/app.css"]),
                        el("script", ["src": "/static/app.js", "defer": ""])),
                    el(
                        "body", [:],
                        el("header", ["class": "top"], headerParts),
                        el("main", [:], [HTML.group(flashes), body]))
                ).markup)
    }

    static func link(_ href: String, _ label: String) -> HTML { el("a", ["href": href], .text(label)) }

    static func csrfField(_ req: Request) -> HTML {
        el("input", ["type": "hidden", "name": CSRFMiddleware.field, "value": req.csrfToken])
    }
}

/// Form fields with their label and the field's error, if any.
struct FormErrors {
    var errors: [FieldError] = []
    let lang: Language
    /// Placeholder values per message key, e.g. the deadline of a late registration.
    var messageArguments: [String: [String: String]] = [:]

    func message(_ field: String) -> HTML {
        let matching = errors.filter { $0.field == field }
        return HTML.group(
            matching.map { el("p", ["class": "error", "id": "\(field)-error"], .text(L10n.t($0.message, lang, messageArguments[$0.message] ?? [:]))) }
        )
    }

    var summary: HTML {
        errors.isEmpty ? .empty : el("div", ["class": "flash bad", "role": "alert"], .text(L10n.t("error.form", lang)))
    }

    func input(
        _ name: String, label: String, value: String?, type: String = "text", required: Bool = false,
        extra: KeyValuePairs<String, String?> = [:], field: String? = nil
    ) -> HTML {
        let id = Self.id(for: name)
        var attrs: [(String, String?)] = [
            ("type", type), ("id", id), ("name", name), ("value", value),
            ("required", .flag(required))
        ]
        attrs += extra.map { ($0.key, $0.value) }
        return HTML.group([el("label", ["for": id], .text(label)), rawInput(attrs), message(field ?? name)])
    }

    /// "travellers[0][phone]" → "f-travellers-0-phone".
    static func id(for name: String) -> String {
        "f-" + name.replacingOccurrences(of: "][", with: "-").replacingOccurrences(of: "[", with: "-").replacingOccurrences(of: "]", with: "")
    }

    func select(_ name: String, label: String, options: [(String, String)], selected: String?, field: String? = nil) -> HTML {
        let id = Self.id(for: name)
        return HTML.group([
            el("label", ["for": id], .text(label)),
            el(
                "select", ["id": id, "name": name],
                options.map { value, text in
                    el("option", ["value": value, "selected": .flag(value == selected)], .text(text))
                }),
            message(field ?? name)
        ])
    }

    private func rawInput(_ attrs: [(String, String?)]) -> HTML {
        var out = "<input"
        for (k, v) in attrs {
            guard let v else { continue }
            out += v.isEmpty && k == "required" ? " required" : " \(k)=\"\(HTML.escape(v))\""
        }
        return HTML(markup: out + ">")
    }
}

extension Request {
    func flash(_ message: String) { session.data["flash"] = message }

    func html(_ page: HTML, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status)
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.body = .init(string: page.markup)
        return response
    }
}
