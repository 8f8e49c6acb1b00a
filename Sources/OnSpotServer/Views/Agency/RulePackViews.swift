import Fluent
import Foundation
import OnSpotCore
import Vapor

enum RulePackViews {
    static func page(req: Request, shipped: [RulePack], own: [AgencyRulePack], yaml: String, error: String?) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        func row(_ id: String, _ title: String, _ versions: String, _ action: HTML) -> HTML {
            el(
                "tr", [:], el("td", [:], el("code", [:], .text(id))), el("td", [:], .text(title)), el("td", [:], .text(versions)),
                el("td", [:], action))
        }
        let shippedRows = shipped.map { p in
            row(p.id, p.title(in: lang), p.versions.map(\.version).joined(separator: ", "), .text("OnSpot"))
        }
        let ownRows = own.map { p in
            row(
                p.packID, p.title, "",
                el(
                    "form", ["method": "post", "action": SiteURL.deleteBookingConditions(p.id!).path, "class": "inline"], Layout.csrfField(req),
                    el("button", ["type": "submit", "class": "secondary"], .text(t("packs.delete")))))
        }
        return Layout.page(
            req: req, title: t("nav.booking_conditions"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.booking_conditions"))),
                el("p", [:], .text(t("packs.intro"))),
                el("div", ["class": "table-wrap"], el("table", ["id": "packs"], el("tbody", [:], shippedRows + ownRows))),
                el(
                    "form", ["method": "post", "action": SiteURL.bookingConditions.path, "class": "panel"],
                    Layout.csrfField(req),
                    error.map { el("p", ["class": "error", "id": "pack-error", "role": "alert"], .text($0)) } ?? .empty,
                    el("label", ["for": "f-yaml"], .text(t("packs.upload"))),
                    el(
                        "textarea",
                        ["id": "f-yaml", "name": "yaml", "rows": "16", "spellcheck": "false", "style": "font-family:ui-monospace,monospace"],
                        .text(yaml)),
                    el("button", ["type": "submit"], .text(t("button.save"))))
            ]))
    }
}
