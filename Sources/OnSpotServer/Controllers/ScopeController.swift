import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The scope-of-action questionnaire (clause 2.10, article 8). Saving always creates a new version.
enum ScopeController {
    struct Form: Content {
        var level: [String: String]?
        var cap: [String: String]?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let agency = try req.agency
        let versions = try await ScopeVersion.query(on: req.db).filter(\.$agency.$id == agency.requireID())
            .sort(\.$version, .descending).limit(20).all()
        let authorIDs = Set(versions.compactMap(\.createdBy))
        let authors = try await User.query(on: req.db).filter(\.$id ~~ authorIDs).all()
        let names = Dictionary(uniqueKeysWithValues: authors.map { ($0.id!, $0.name) })
        let current = versions.first?.scope ?? .cautiousDefault
        var form = Form(level: [:], cap: [:])
        for rule in current.rules {
            form.level?[rule.domain.rawValue] = rule.level.rawValue
            form.cap?[rule.domain.rawValue] = Money(minorUnits: rule.capMinorUnits, currency: agency.currency).majorUnitsText
        }
        return req.html(ScopeViews.page(req: req, agency: agency, form: form, errors: [], versions: versions, authors: names))
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let agency = try req.agency
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        var rules: [ScopeRule] = []
        for domain in ScopeDomain.allCases {
            guard let level = (form.level?[domain.rawValue]).flatMap(InvolvementLevel.init(rawValue:)) else {
                errors.append(FieldError(field: "scope.\(domain.rawValue)", message: "scope.error.answer_once"))
                continue
            }
            let capText = (form.cap?[domain.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            var cap: Int64 = 0
            if !capText.isEmpty {
                guard let money = Money.parseMajorUnits(capText, currency: agency.currency) else {
                    errors.append(FieldError(field: "scope.\(domain.rawValue).cap", message: "error.amount"))
                    continue
                }
                cap = money.minorUnits
            }
            rules.append(ScopeRule(domain: domain, level: level, capMinorUnits: cap))
        }
        let scope = ScopeOfAction(rules: rules)
        if errors.isEmpty { errors = scope.validate() }
        guard errors.isEmpty else {
            let versions = try await ScopeVersion.query(on: req.db).filter(\.$agency.$id == agency.requireID())
                .sort(\.$version, .descending).limit(20).all()
            return req.html(ScopeViews.page(req: req, agency: agency, form: form, errors: errors, versions: versions, authors: [:]),
                            status: .unprocessableEntity)
        }
        _ = try await ScopeService.saveVersion(scope, agencyID: try agency.requireID(), by: try req.user.id, on: req.db)
        req.flash(L10n.t("scope.saved", req.language))
        return req.redirect(to: "/scope")
    }
}

enum ScopeViews {
    static func page(req: Request, agency: Agency, form: ScopeController.Form, errors: [FieldError], versions: [ScopeVersion],
                     authors: [UUID: String]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let rows = ScopeDomain.allCases.map { domain -> HTML in
            let d = domain.rawValue
            let selected = form.level?[d]
            return el("tr", [:],
                el("th", ["scope": "row"], .text(t("domain.\(d)")), f.message("scope.\(d)")),
                el("td", [:], el("select", ["name": "level[\(d)]", "id": "level-\(d)", "aria-label": t("domain.\(d)")],
                   InvolvementLevel.allCases.map { level in
                       el("option", ["value": level.rawValue, "selected": .flag(selected == level.rawValue)], .text(t("level.\(level.rawValue)")))
                   })),
                el("td", [:], el("input", ["name": "cap[\(d)]", "id": "cap-\(d)", "inputmode": "decimal", "value": form.cap?[d] ?? "0",
                                           "aria-label": "\(t("scope.cap")) – \(t("domain.\(d)"))", "style": "max-width:10rem"]),
                   .text(" \(agency.currency)"), f.message("scope.\(d).cap")))
        }
        let history = versions.map { v in
            el("li", [:], .text(L10n.t("scope.version", lang, [
                "version": String(v.version), "date": LocalDateTime.display(v.createdAt, in: agency.zone, language: lang),
                "who": v.createdBy.flatMap { authors[$0] } ?? "OnSpot"])))
        }
        // The scope is the agency admin's to set (clause 8); agents read it, with the fields disabled and no button.
        let editable = (try? req.user.role) == .agencyAdmin
        func save(_ id: String, _ cls: String?) -> HTML {
            editable ? el("button", ["type": "submit", "id": id, "class": cls], .text(t("button.save"))) : .text("")
        }
        return Layout.page(req: req, title: t("nav.scope"), body: HTML.group([
            el("h1", [:], .text(t("nav.scope"))),
            el("p", [:], .text(t("scope.intro"))),
            editable ? .text("") : el("p", ["class": "flash", "id": "scope-read-only"], .text(t("scope.read_only"))),
            f.summary,
            el("form", ["method": "post", "action": "/scope", "class": "panel", "id": "scope-form"],
               Layout.csrfField(req),
               el("fieldset", ["disabled": .flag(!editable), "class": "plain"],
               el("div", ["class": "table-wrap"], el("table", [:],
                  el("thead", [:], el("tr", [:], el("th", [:], .text(t("scope.domain"))), el("th", [:], .text(t("scope.level"))),
                                      el("th", [:], .text(t("scope.cap"))))),
                  el("tbody", [:], rows)))),
               save("save-scope", nil)),
            el("h2", [:], .text(t("approval.settings"))),
            el("form", ["method": "post", "action": "/scope/approvals", "class": "panel", "id": "approval-settings"],
               Layout.csrfField(req),
               el("fieldset", ["disabled": .flag(!editable), "class": "plain"],
               el("div", ["class": "grid"],
                  el("div", [:], f.input("escalationContact", label: t("approval.escalation_contact"), value: agency.escalationContact, type: "email")),
                  el("div", [:], f.input("delayMinutes", label: t("approval.delay_minutes"),
                                         value: String(agency.approvalDelayMinutes ?? Approval.defaultEscalationMinutes), type: "number",
                                         extra: ["min": "5", "max": "10080"])))),
               save("save-approval-settings", "secondary")),
            el("h2", [:], .text("Versions")),
            el("ol", ["reversed": "", "id": "scope-versions"], history),
        ]))
    }
}
