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
                    link(SiteURL.home.path, t("nav.dashboard")), link(SiteURL.trips.path, t("nav.trips")),
                    link(SiteURL.newTrip.path, t("nav.new_trip")),
                    link(SiteURL.approvals.path, t("nav.approvals")), link(SiteURL.alerts.path, t("nav.alerts")),
                    link(SiteURL.scope.path, t("nav.scope")),
                    link(SiteURL.bookingConditions.path, t("nav.booking_conditions")),
                    link(SiteURL.reports.path, t("nav.reports")), link(SiteURL.audit.path, t("nav.audit")),
                    link(SiteURL.invoices.path, t("nav.invoices")),
                    link(SiteURL.commissions.path, t("nav.commissions")), link(SiteURL.credits.path, t("nav.credits"))
                ]
                if user.role == .agencyAdmin {
                    links += [
                        link(SiteURL.branding.path, t("nav.branding")), link(SiteURL.users.path, t("nav.users")),
                        link(SiteURL.apiKeys.path, t("nav.api_keys")), link(SiteURL.agencyWebhooks.path, t("nav.webhooks")),
                        link(SiteURL.privacy.path, t("nav.privacy")), link(SiteURL.account.path, t("nav.account"))
                    ]
                }
            case .expert:
                links += [link(SiteURL.home.path, t("nav.dashboard")), link(SiteURL.console.path, t("nav.console"))]
            case .onspotAdmin:
                links += [
                    link(SiteURL.home.path, t("nav.dashboard")), link(SiteURL.console.path, t("nav.console")),
                    link(SiteURL.adminSupervision.path, t("nav.admin_supervision")),
                    link(SiteURL.adminDestinations.path, t("nav.admin_destinations")),
                    link(SiteURL.adminPlans.path, t("nav.admin_plans")), link(SiteURL.adminRates.path, t("nav.admin_rates")),
                    link(SiteURL.adminActivities.path, t("nav.admin_activities")), link(SiteURL.adminClaims.path, t("claim.title")),
                    link(SiteURL.adminRetention.path, t("nav.admin_retention")), link(SiteURL.adminAlerts.path, t("nav.admin_alerts"))
                ]
            }
        }
        var headerParts: [HTML] = [el("a", ["class": "logo", "href": SiteURL.home.path], "OnSpot Connect")]
        if let user {
            headerParts.append(el("nav", ["aria-label": t("nav.main")], links))
            headerParts.append(
                el(
                    "form", ["method": "post", "action": SiteURL.logout.path, "class": "inline"],
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
                        el("link", ["rel": "stylesheet", "href": SiteURL.staticAsset("app.css").path]),
                        el("script", ["src": SiteURL.staticAsset("app.js").path, "defer": ""])),
                    el(
                        "body", [:],
                        el("header", ["class": "top"], headerParts),
                        el("main", [:], [HTML.group(flashes), body]))
                ).markup)
    }

    static func link(_ href: String, _ label: String) -> HTML { el("a", ["href": href], .text(label)) }

    /// Page numbers under a list (the current one in bold); nothing when the list fits on one page.
    static func pageLinks(page: Int, pages: Int, link: (Int) -> String) -> HTML {
        guard pages > 1 else { return .empty }
        return el(
            "nav", ["class": "muted", "aria-label": "pages"],
            HTML.group(
                (1...pages).map { n in
                    n == page
                        ? el("strong", ["style": "margin-right:.6rem"], .text(String(n)))
                        : el("a", ["href": link(n), "style": "margin-right:.6rem"], .text(String(n)))
                }))
    }

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
