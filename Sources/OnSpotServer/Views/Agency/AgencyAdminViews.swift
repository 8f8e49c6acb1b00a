import Foundation
import OnSpotCore
import Vapor

enum AgencyAdminViews {
    static func branding(req: Request, agency: Agency, whiteLabel: Bool, errors: [FieldError]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        guard whiteLabel else {
            return Layout.page(
                req: req, title: t("nav.branding"),
                body: el(
                    "div", ["class": "panel"],
                    el("h1", [:], .text(t("nav.branding"))), el("p", [:], .text(t("branding.intro"))),
                    el("p", ["class": "error"], .text(t("error.plus_only")))))
        }
        return Layout.page(
            req: req, title: t("nav.branding"),
            body: el(
                "div", ["class": "panel"],
                el("h1", [:], .text(t("nav.branding"))),
                el("p", [:], .text(t("branding.intro"))),
                f.summary,
                agency.brandLogo != nil
                    ? el("p", [:], el("img", ["src": SiteURL.brandingLogo.path, "alt": "logo", "style": "max-height:64px"])) : .empty,
                el(
                    "form", ["method": "post", "action": SiteURL.branding.path, "enctype": "multipart/form-data"],
                    Layout.csrfField(req),
                    f.input("displayName", label: t("field.display_name"), value: agency.brandDisplayName),
                    f.input("colour", label: t("field.colour"), value: agency.brandColour ?? "#0b6e6e", type: "color"),
                    f.input("logo", label: t("field.logo"), value: nil, type: "file", extra: ["accept": "image/png,image/jpeg"]),
                    agency.brandLogo != nil
                        ? el("label", ["class": "check"], el("input", ["type": "checkbox", "name": "removeLogo"]), "✕ logo") : .empty,
                    el("button", ["type": "submit"], .text(t("button.save"))))))
    }

    static func users(req: Request, users: [User], errors: [FieldError], form: [String: String]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let me = req.auth.get(User.self)?.id
        let rows = users.map { u in
            el(
                "tr", [:], el("td", [:], .text(u.name)), el("td", [:], .text(u.email)), el("td", [:], .text(t("role.\(u.role)"))),
                el(
                    "td", [:],
                    u.active && u.id != me
                        ? el(
                            "form", ["method": "post", "action": SiteURL.deactivateUser(u.id!).path, "class": "inline"],
                            Layout.csrfField(req), el("button", ["type": "submit", "class": "secondary"], .text(t("button.deactivate"))))
                        : .text(u.active ? "" : "—")))
        }
        return Layout.page(
            req: req, title: t("nav.users"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.users"))),
                el("div", ["class": "table-wrap"], el("table", ["id": "users"], el("tbody", [:], rows))),
                el(
                    "form", ["method": "post", "action": SiteURL.users.path, "class": "panel", "novalidate": ""],
                    Layout.csrfField(req), f.summary,
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("name", label: t("field.name"), value: form["name"], required: true)),
                        el("div", [:], f.input("email", label: t("field.email"), value: form["email"], type: "email", required: true)),
                        el(
                            "div", [:],
                            f.select(
                                "role", label: t("field.role"),
                                options: [
                                    (Role.agencyAgent.rawValue, t("role.agency_agent")),
                                    (Role.agencyAdmin.rawValue, t("role.agency_admin"))
                                ],
                                selected: form["role"])),
                        el(
                            "div", [:],
                            f.select(
                                "language", label: t("field.language"),
                                options: Language.allCases.map { ($0.rawValue, $0.displayName) }, selected: lang.rawValue))),
                    el("button", ["type": "submit"], .text(t("button.add_user"))))
            ]))
    }

    static func apiKeys(req: Request, keys: [ApiKey], newKey: String?, errors: [FieldError]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let rows = keys.map { k in
            el(
                "tr", ["data-access": k.access.rawValue], el("td", [:], .text(k.name)), el("td", [:], el("code", [:], .text(k.prefix + "…"))),
                el("td", ["class": "access"], .text(t("apikeys.access.\(k.access.rawValue)"))),
                el("td", [:], .text(LocalDateTime.display(k.createdAt, in: .current, language: lang, withZone: false))),
                el(
                    "td", [:],
                    k.revokedAt == nil
                        ? el(
                            "form", ["method": "post", "action": SiteURL.revokeApiKey(k.id!).path, "class": "inline"], Layout.csrfField(req),
                            el("button", ["type": "submit", "class": "secondary"], .text(t("button.revoke"))))
                        : .text(t("apikeys.revoked"))))
        }
        return Layout.page(
            req: req, title: t("nav.api_keys"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.api_keys"))),
                newKey.map { key in
                    el(
                        "div", ["class": "panel"], el("p", [:], .text(t("apikeys.shown_once"))),
                        el("p", ["class": "key", "id": "new-api-key"], .text(key)))
                } ?? .empty,
                el("div", ["class": "table-wrap"], el("table", ["id": "api-keys"], el("tbody", [:], rows))),
                el(
                    "form", ["method": "post", "action": SiteURL.apiKeys.path, "class": "panel"],
                    Layout.csrfField(req),
                    f.input("name", label: t("field.key_name"), value: nil, required: true),
                    f.select(
                        "access", label: t("apikeys.access"),
                        options: ApiKeyAccess.allCases.map { ($0.rawValue, t("apikeys.access.\($0.rawValue)")) },
                        selected: ApiKeyAccess.readWrite.rawValue),
                    el("button", ["type": "submit"], .text(t("button.create_key")))),
                el("p", [:], el("a", ["href": "/api/v1/openapi.yaml"], "OpenAPI 3.1"))
            ]))
    }

    static func account(req: Request, agency: Agency, errors: [FieldError] = []) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let preference = agency.refundPreference ?? .originalPayment
        return Layout.page(
            req: req, title: t("nav.account"),
            body: HTML.group([
                el(
                    "form", ["method": "post", "action": SiteURL.accountBilling.path, "class": "panel", "id": "billing-details"],
                    Layout.csrfField(req), f.summary,
                    el("h1", [:], .text(agency.name)),
                    el("h2", [:], .text(t("account.billing_details"))),
                    el("p", ["class": "small"], .text(t("account.billing_details_help"))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("legalName", label: t("field.legal_name"), value: agency.legalName)),
                        el("div", [:], f.input("registrationNumber", label: t("field.registration_number"), value: agency.registrationNumber)),
                        el("div", [:], f.input("vatNumber", label: t("account.vat_number"), value: agency.vatNumber))),
                    el(
                        "div", ["class": "grid"], el("div", [:], f.input("address", label: t("field.address"), value: agency.address)),
                        el("div", [:], f.input("countryCode", label: t("account.country"), value: agency.countryCode, extra: ["maxlength": "2"]))),
                    f.select(
                        "refundPreference", label: t("account.refund_preference"),
                        options: RefundPreference.allCases.map { ($0.rawValue, t("account.refund_preference.\($0.rawValue)")) },
                        selected: preference.rawValue),
                    el("p", ["class": "small"], .text(t("account.refund_preference_help"))),
                    el("button", ["type": "submit", "id": "save-billing-details"], .text(t("button.save")))),
                el(
                    "div", ["class": "panel"],
                    el("p", [:], .text(t("account.unsubscribe_intro"))),
                    el(
                        "p", ["class": "small", "id": "closure-erasure"],
                        .text(L10n.t("privacy.closure", lang, ["days": String(RetentionClock.closureNoticeDays)])),
                        .text(" "), el("a", ["href": SiteURL.privacy.path], .text(t("nav.privacy")))),
                    el(
                        "form", ["method": "post", "action": SiteURL.unsubscribe.path],
                        Layout.csrfField(req),
                        el(
                            "label", ["class": "check"], el("input", ["type": "checkbox", "name": "confirm", "value": "yes", "required": ""]),
                            .text(t("button.unsubscribe"))),
                        el(
                            "button", ["type": "submit", "class": "danger", "data-confirm": t("button.unsubscribe") + " ?"],
                            .text(t("button.unsubscribe")))))
            ]))
    }
}
