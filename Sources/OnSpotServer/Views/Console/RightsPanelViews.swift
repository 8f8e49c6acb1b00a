import Foundation
import OnSpotCore
import Vapor

enum RightsPanelViews {
    static func page(
        req: Request, context: RightsPanelController.Context, facts: RightsPanelController.Facts,
        outcome: RightsPanelController.Outcome, sendError: String?
    ) -> HTML {
        let caseID = context.record.id!
        let lang = req.language
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        var f = FormErrors(lang: req.language)
        f.errors = outcome.rightsErrors
        var c = FormErrors(lang: req.language)
        c.errors = outcome.conditionsErrors
        let flights = context.flights.map { s in
            el(
                "li", [:],
                el(
                    "a",
                    [
                        "href": SiteURL.caseRights(caseID).with("?segment=\(s.id!.uuidString)"),
                        "aria-current": .flag(s.id?.uuidString == facts.segment)
                    ], .text(s.title)))
        }
        let packEvents: [(String, String)] = context.engine.packs.values.sorted { $0.id < $1.id }.flatMap { pack in
            Set(pack.versions.flatMap { $0.events.keys }).sorted().map {
                ("\(pack.id):\($0)", "\(pack.title(in: lang)) — \(eventLabel($0, lang))")
            }
        }
        /// Options whose labels are `prefix.value`, after an empty one.
        let choice = { (prefix: String, values: [String]) in [("", "—")] + values.map { ($0, t("\(prefix).\($0)")) } }
        return Layout.page(
            req: req, title: t("panel.title"),
            body: HTML.group([
                el("p", [:], el("a", ["href": SiteURL.consoleCase(caseID).path], .text("← " + t("console.case")))),
                el(
                    "h1", ["id": "rights-panel"],
                    .text("\(t("panel.title")) · \(context.traveller?.fullName ?? "?") · \(context.trip?.reference ?? "")")),
                flights.isEmpty ? el("p", ["class": "muted"], .text(t("panel.no_flight"))) : el("ul", ["id": "flights"], flights),
                el(
                    "form", ["method": "get", "action": SiteURL.caseRights(caseID).path, "class": "panel", "id": "facts"],
                    el("input", ["type": "hidden", "name": "assess", "value": "1"]),
                    el("input", ["type": "hidden", "name": "segment", "value": facts.segment]),
                    f.summary,
                    el("h2", [:], .text(t("panel.flight"))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("journey", label: t("panel.journey"), value: facts.journey, extra: ["placeholder": "CDG LAX"])),
                        el(
                            "div", [:],
                            f.input(
                                "carrier", label: t("panel.carrier"), value: facts.carrier, extra: ["placeholder": "AF"], field: "operatingCarrier")),
                        el(
                            "div", [:],
                            f.select(
                                "event", label: t("panel.event"),
                                options: choice("panel.event", ["delay", "cancellation", "denied_boarding"]).dropFirst().map { $0 },
                                selected: facts.event))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("scheduledDeparture", label: t("panel.scheduled_departure"), value: facts.scheduledDeparture)),
                        el("div", [:], f.input("scheduledArrival", label: t("panel.scheduled_arrival"), value: facts.scheduledArrival)),
                        el("div", [:], f.input("actualArrival", label: t("panel.actual_arrival"), value: facts.actualArrival))),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.input(
                                "rerouteDeparture", label: t("panel.reroute_departure"), value: facts.rerouteDeparture, field: "reroute.departure")),
                        el(
                            "div", [:],
                            f.input("rerouteArrival", label: t("panel.reroute_arrival"), value: facts.rerouteArrival, field: "reroute.arrival")),
                        el("div", [:], f.input("noticeDays", label: t("panel.notice_days"), value: facts.noticeDays, type: "number"))),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select(
                                "cause", label: t("panel.cause"), options: choice("panel.cause", DisruptionCause.allCases.map(\.rawValue)),
                                selected: facts.cause)),
                        el("div", [:], f.input("fare", label: t("panel.fare"), value: facts.fare)),
                        el("div", [:], f.input("fareCurrency", label: t("panel.fare_currency"), value: facts.fareCurrency ?? "EUR")),
                        el(
                            "div", [:],
                            f.select(
                                "choice", label: t("panel.choice"), options: choice("panel.choice", ["reroute", "refund"]), selected: facts.choice))),
                    el("h2", [:], .text(t("nav.booking_conditions"))),
                    c.message("pack"), c.message("event"),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            c.select("packEvent", label: t("panel.pack_event"), options: [("", "—")] + packEvents, selected: facts.packEvent)),
                        el("div", [:], c.input("eventDate", label: t("panel.event_date"), value: facts.eventDate)),
                        el("div", [:], c.input("bookingDate", label: t("panel.booking_date"), value: facts.bookingDate))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], c.input("departure", label: t("panel.departure"), value: facts.departure)),
                        el("div", [:], c.input("returnDate", label: t("panel.return"), value: facts.returnDate)),
                        el("div", [:], c.input("price", label: t("panel.price"), value: facts.price)),
                        el("div", [:], c.input("reason", label: t("field.reason"), value: facts.reason))),
                    HTML.group(
                        outcome.conditionsErrors.filter {
                            !["pack", "event", "packEvent", "eventDate", "bookingDate", "departure", "returnDate", "price", "reason"].contains(
                                $0.field)
                        }
                        .map { el("p", ["class": "error"], .text("\($0.field): \($0.message)")) }),
                    c.message("packEvent"),
                    el("button", ["type": "submit", "id": "assess"], .text(t("panel.assess")))),
                rights(outcome.rights, lang),
                conditions(outcome.conditions, pack: outcome.conditions.flatMap { context.engine.packs[$0.pack] }, lang),
                send(req: req, caseID: caseID, summary: outcome.summary, language: context.language, error: sendError)
            ]))
    }

    static func amount(_ a: Amount?) -> String { a.map { "\($0.amount) \($0.currency)" } ?? "—" }

    /// A pack's event code ("cancellation_by_traveller") as words: the panel's own label when it has one.
    static func eventLabel(_ code: String, _ lang: Language) -> String {
        L10n.has("panel.event.\(code)") ? L10n.t("panel.event.\(code)", lang) : code.replacingOccurrences(of: "_", with: " ")
    }

    static func rights(_ r: RightsAssessment?, _ lang: Language) -> HTML {
        guard let r else { return .empty }
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        let rows = r.assessments.map { a in
            el(
                "tr", ["data-regime": a.regime, "class": a.applies ? "applies" : "muted"],
                el("td", [:], .text(L10n.has("rights.regime.\(a.regime)") ? t("rights.regime.\(a.regime)") : a.regime)),
                el("td", [:], .text(t(a.applies ? "panel.applies" : "panel.does_not_apply"))),
                el(
                    "td", ["class": "compensation"],
                    .text(amount(a.compensation) + (a.reducibleTo.map { " (" + t("panel.reducible", ["amount": amount($0)]) + ")" } ?? ""))),
                el("td", [:], .text(a.refund ? t("panel.col.refund") : "")),
                el("td", [:], .text(a.care.map { t("rights.care.\($0.rawValue)") }.joined(separator: ", "))),
                el("td", [:], .text(a.basis.joined(separator: ", "))),
                el("td", [:], .text(a.notes.map { RightsNotes.localized($0, lang) }.joined(separator: " "))))
        }
        let headings = ["panel.col.regime", "", "panel.col.compensation", "panel.col.refund", "panel.col.care", "panel.col.basis", "field.notes"]
        return HTML.group([
            el("h2", [:], .text(t("panel.passenger_rights", ["km": String(r.distanceKm)]))),
            el(
                "div", ["class": "table-wrap"],
                el(
                    "table", ["id": "rights"],
                    el("thead", [:], el("tr", [:], headings.map { el("th", [:], .text($0.isEmpty ? "" : t($0))) })),
                    el("tbody", [:], rows)))
        ])
    }

    /// The answer of the booking conditions; its notes in the expert's language (the pack's own texts as the pack
    /// translates them, the engine's through `ConditionsNotes`).
    static func conditions(_ a: ConditionsAssessment?, pack: RulePack?, _ lang: Language) -> HTML {
        guard let a else { return .empty }
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        func money(_ value: Decimal, _ currency: String, atLeast: Bool) -> String {
            atLeast ? t("panel.at_least", ["amount": "\(value) \(currency)"]) : "\(value) \(currency)"
        }
        var items: [HTML] = [el("li", [:], .text(t(a.allowed ? "panel.allowed" : "panel.not_allowed")))]
        items += a.charges.map { el("li", [:], .text("\(eventLabel($0.kind, lang)): \(money($0.amount, $0.currency, atLeast: $0.atLeast))")) }
        if let r = a.refund { items.append(el("li", [:], .text(t("panel.refund", ["amount": amount(r)])))) }
        if let i = a.indemnity {
            items.append(el("li", [:], .text(t("panel.indemnity", ["amount": money(i.amount, i.currency, atLeast: i.atLeast)]))))
        }
        items += a.installments.map { el("li", [:], .text(t("panel.due", ["date": $0.dueDate, "amount": "\($0.amount) \($0.currency)"]))) }
        items += a.deadlines.map { el("li", [:], .text("\(eventLabel($0.kind, lang)): \($0.date)")) }
        if !a.options.isEmpty {
            let options = a.options.map { L10n.has("conditions.option.\($0)") ? t("conditions.option.\($0)") : $0 }
            items.append(el("li", [:], .text(t("panel.options", ["options": options.joined(separator: ", ")]))))
        }
        items += a.notes.map { el("li", ["class": "muted"], .text(ConditionsNotes.localized($0, lang, pack: pack))) }
        let title = pack?.title(in: lang) ?? a.pack
        return HTML.group([
            el("h2", [:], .text("\(t("nav.booking_conditions")) · \(title) \(a.version) · \(a.citations.joined(separator: ", "))")),
            el("ul", ["id": "conditions"], items)
        ])
    }

    static func send(req: Request, caseID: UUID, summary: String?, language: Language, error: String?) -> HTML {
        guard let summary else { return .empty }
        return el(
            "form", ["method": "post", "action": SiteURL.sendRights(caseID).path, "class": "panel", "id": "send-summary"],
            Layout.csrfField(req),
            el("label", ["for": "summary-text"], .text(L10n.t("panel.summary_for", req.language, ["language": language.displayName]))),
            el("textarea", ["id": "summary-text", "name": "text", "rows": "8"], .text(summary)),
            el("p", ["class": "error", "id": "send-error", "role": "alert"], .text(error ?? "")),
            el("button", ["type": "submit", "id": "send"], .text(L10n.t("panel.send", req.language))))
    }
}
