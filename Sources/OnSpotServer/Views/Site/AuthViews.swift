import Foundation
import OnSpotCore
import Vapor

enum AuthViews {
    static func login(req: Request, email: String, next: String?, error: String?) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        var notices: [HTML] = []
        if (try? req.query.get(String.self, at: "reset")) != nil {
            notices.append(el("div", ["class": "flash", "role": "status"], .text(t("auth.reset_done"))))
        }
        if (try? req.query.get(String.self, at: "signed_out")) != nil {
            notices.append(el("div", ["class": "flash", "role": "status"], .text(t("auth.signed_out"))))
        }
        if let error { notices.append(el("div", ["class": "flash bad", "role": "alert", "id": "login-error"], .text(error))) }
        let f = FormErrors(lang: lang)
        return Layout.page(
            req: req, title: t("page.sign_in"),
            body: el(
                "div", ["class": "panel narrow"],
                el("h1", [:], .text(t("page.sign_in"))),
                HTML.group(notices),
                el(
                    "form", ["method": "post", "action": SiteURL.login.path],
                    Layout.csrfField(req),
                    el("input", ["type": "hidden", "name": "next", "value": next ?? SiteURL.home.path]),
                    f.input("email", label: t("field.email"), value: email, type: "email", required: true, extra: ["autocomplete": "username"]),
                    f.input(
                        "password", label: t("field.password"), value: nil, type: "password", required: true,
                        extra: ["autocomplete": "current-password"]),
                    el("button", ["type": "submit"], .text(t("button.sign_in")))),
                el("p", [:], el("a", ["href": SiteURL.passwordForgot.path], .text(t("link.forgot")))),
                el("p", [:], el("a", ["href": SiteURL.signup.path], .text(t("link.sign_up")))),
                languageLinks(req.url.path)))
    }

    static func languageLinks(_ path: String) -> HTML {
        el(
            "p", ["class": "muted"],
            HTML.group(
                Language.allCases.map {
                    el("a", ["href": "\(path)?lang=\($0.rawValue)", "hreflang": $0.rawValue, "style": "margin-right:.8rem"], .text($0.displayName))
                }))
    }

    static let timeZoneChoices = [
        "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "Europe/London",
        "Europe/Lisbon", "America/Montreal", "America/Toronto", "America/Sao_Paulo",
        "Indian/Reunion", "America/Martinique", "America/Guadeloupe", "Pacific/Noumea", "Pacific/Tahiti"
    ]

    static func signup(req: Request, form: AuthController.SignupForm, errors: [FieldError]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        var zones = timeZoneChoices
        if let z = form.timeZone, !zones.contains(z), TimeZones.named(z) != nil { zones.insert(z, at: 0) }
        return Layout.page(
            req: req, title: t("page.sign_up"),
            body: el(
                "div", ["class": "panel"],
                el("h1", [:], .text(t("page.sign_up"))),
                f.summary,
                el(
                    "form", ["method": "post", "action": SiteURL.signup.path, "novalidate": ""],
                    Layout.csrfField(req),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("agencyName", label: t("field.agency_name"), value: form.agencyName, required: true)),
                        el("div", [:], f.input("legalName", label: t("field.legal_name"), value: form.legalName)),
                        el("div", [:], f.input("registrationNumber", label: t("field.registration_number"), value: form.registrationNumber)),
                        el("div", [:], f.input("address", label: t("field.address"), value: form.address)),
                        el("div", [:], f.input("contactName", label: t("field.contact_name"), value: form.contactName, required: true)),
                        el("div", [:], f.input("email", label: t("field.email"), value: form.email, type: "email", required: true)),
                        el("div", [:], f.input("contactPhone", label: t("field.contact_phone"), value: form.contactPhone, type: "tel")),
                        el(
                            "div", [:],
                            f.select(
                                "currency", label: t("field.currency"),
                                options: CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) }, selected: form.currency)),
                        el("div", [:], f.select("timeZone", label: t("field.time_zone"), options: zones.map { ($0, $0) }, selected: form.timeZone)),
                        el(
                            "div", [:],
                            f.select(
                                "language", label: t("field.language"),
                                options: Language.allCases.map { ($0.rawValue, $0.displayName) }, selected: form.language)),
                        el(
                            "div", [:], f.select("plan", label: t("field.plan"), options: [("LIGHT", "LIGHT"), ("PLUS", "PLUS")], selected: form.plan)
                        ),
                        el(
                            "div", [:],
                            f.input(
                                "password", label: t("field.password"), value: nil, type: "password", required: true,
                                extra: ["autocomplete": "new-password", "minlength": "10"]))),
                    el("button", ["type": "submit"], .text(t("button.create_account")))),
                el("p", [:], el("a", ["href": SiteURL.login.path], .text(t("link.sign_in")))),
                languageLinks(SiteURL.signup.path)))
    }

    static func forgot(req: Request, sent: Bool) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(lang: lang)
        return Layout.page(
            req: req, title: t("page.forgot"),
            body: el(
                "div", ["class": "panel narrow"],
                el("h1", [:], .text(t("page.forgot"))),
                sent ? el("div", ["class": "flash", "role": "status"], .text(t("auth.reset_sent"))) : .empty,
                el(
                    "form", ["method": "post", "action": SiteURL.passwordForgot.path],
                    Layout.csrfField(req),
                    f.input("email", label: t("field.email"), value: nil, type: "email", required: true),
                    el("button", ["type": "submit"], .text(t("button.send_link"))))))
    }

    static func reset(req: Request, token: String, error: String?) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(lang: lang)
        return Layout.page(
            req: req, title: t("page.reset"),
            body: el(
                "div", ["class": "panel narrow"],
                el("h1", [:], .text(t("page.reset"))),
                error.map { el("div", ["class": "flash bad", "role": "alert"], .text($0)) } ?? .empty,
                el(
                    "form", ["method": "post", "action": SiteURL.passwordReset.path],
                    Layout.csrfField(req),
                    el("input", ["type": "hidden", "name": "token", "value": token]),
                    f.input(
                        "password", label: t("field.password"), value: nil, type: "password", required: true,
                        extra: ["autocomplete": "new-password", "minlength": "10"]),
                    el("button", ["type": "submit"], .text(t("button.save"))))))
    }

    static func resetInvalid(req: Request) -> HTML {
        let lang = req.language
        return Layout.page(
            req: req, title: L10n.t("page.reset", lang),
            body: el(
                "div", ["class": "panel narrow"],
                el("h1", [:], .text(L10n.t("page.reset", lang))),
                el("p", ["class": "error"], .text(L10n.t("auth.reset_invalid", lang))),
                el("p", [:], el("a", ["href": SiteURL.passwordForgot.path], .text(L10n.t("link.forgot", lang))))))
    }
}
