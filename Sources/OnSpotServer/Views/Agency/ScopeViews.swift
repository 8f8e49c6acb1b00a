import Fluent
import Foundation
import OnSpotCore
import Vapor

enum ScopeViews {
    static func page(
        req: Request, agency: Agency, form: ScopeController.Form, errors: [FieldError], versions: [ScopeVersion],
        authors: [UUID: String]
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let rows = ScopeDomain.allCases.map { domain -> HTML in
            let d = domain.rawValue
            let selected = form.level?[d]
            return el(
                "tr", [:],
                el("th", ["scope": "row"], .text(t("domain.\(d)")), f.message("scope.\(d)")),
                el(
                    "td", [:],
                    el(
                        "select", ["name": "level[\(d)]", "id": "level-\(d)", "aria-label": t("domain.\(d)")],
                        InvolvementLevel.allCases.map { level in
                            el(
                                "option", ["value": level.rawValue, "selected": .flag(selected == level.rawValue)],
                                .text(t("level.\(level.rawValue)")))
                        })),
                el(
                    "td", [:],
                    el(
                        "input",
                        [
                            "name": "cap[\(d)]", "id": "cap-\(d)", "inputmode": "decimal", "value": form.cap?[d] ?? "0",
                            "aria-label": "\(t("scope.cap")) – \(t("domain.\(d)"))", "style": "max-width:10rem"
                        ]),
                    .text(" \(agency.currency)"), f.message("scope.\(d).cap")))
        }
        let history = versions.map { v in
            el(
                "li", [:],
                .text(
                    L10n.t(
                        "scope.version", lang,
                        [
                            "version": String(v.version), "date": LocalDateTime.display(v.createdAt, in: agency.zone, language: lang),
                            "who": v.createdBy.flatMap { authors[$0] } ?? "OnSpot"
                        ])))
        }
        // The scope is the agency admin's to set (clause 8); agents read it, with the fields disabled and no button.
        let editable = (try? req.user.role) == .agencyAdmin
        func save(_ id: String, _ cls: String?) -> HTML {
            editable ? el("button", ["type": "submit", "id": id, "class": cls], .text(t("button.save"))) : .text("")
        }
        return Layout.page(
            req: req, title: t("nav.scope"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.scope"))),
                el("p", [:], .text(t("scope.intro"))),
                editable ? .text("") : el("p", ["class": "flash", "id": "scope-read-only"], .text(t("scope.read_only"))),
                f.summary,
                el(
                    "form", ["method": "post", "action": SiteURL.scope.path, "class": "panel", "id": "scope-form"],
                    Layout.csrfField(req),
                    el(
                        "fieldset", ["disabled": .flag(!editable), "class": "plain"],
                        el(
                            "div", ["class": "table-wrap"],
                            el(
                                "table", [:],
                                el(
                                    "thead", [:],
                                    el(
                                        "tr", [:], el("th", [:], .text(t("scope.domain"))), el("th", [:], .text(t("scope.level"))),
                                        el("th", [:], .text(t("scope.cap"))))),
                                el("tbody", [:], rows)))),
                    save("save-scope", nil)),
                el("h2", [:], .text(t("approval.settings"))),
                el(
                    "form", ["method": "post", "action": SiteURL.scopeApprovals.path, "class": "panel", "id": "approval-settings"],
                    Layout.csrfField(req),
                    el(
                        "fieldset", ["disabled": .flag(!editable), "class": "plain"],
                        el(
                            "div", ["class": "grid"],
                            el(
                                "div", [:],
                                f.input("escalationContact", label: t("approval.escalation_contact"), value: agency.escalationContact, type: "email")),
                            el(
                                "div", [:],
                                f.input(
                                    "delayMinutes", label: t("approval.delay_minutes"),
                                    value: String(agency.approvalDelayMinutes ?? Approval.defaultEscalationMinutes), type: "number",
                                    extra: ["min": "5", "max": "10080"])))),
                    save("save-approval-settings", "secondary")),
                el("h2", [:], .text("Versions")),
                el("ol", ["reversed": "", "id": "scope-versions"], history)
            ]))
    }
}
