import Foundation
import OnSpotCore
import Vapor

enum RightsPanelViews {
    static func page(
        req: Request, context: RightsPanelController.Context, facts: RightsPanelController.Facts,
        outcome: RightsPanelController.Outcome, sendError: String?
    ) -> HTML {
        let caseID = context.record.id!
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
                ("\(pack.id):\($0)", "\(pack.title) — \($0.replacingOccurrences(of: "_", with: " "))")
            }
        }
        let choice = { (values: [String]) in [("", "—")] + values.map { ($0, $0.replacingOccurrences(of: "_", with: " ")) } }
        return Layout.page(
            req: req, title: "Rights and conditions",
            body: HTML.group([
                el("p", [:], el("a", ["href": SiteURL.consoleCase(caseID).path], "← Case")),
                el(
                    "h1", ["id": "rights-panel"],
                    .text("Rights and conditions · \(context.traveller?.fullName ?? "?") · \(context.trip?.reference ?? "")")),
                flights.isEmpty ? el("p", ["class": "muted"], "No flight in the itinerary: type the journey.") : el("ul", ["id": "flights"], flights),
                el(
                    "form", ["method": "get", "action": SiteURL.caseRights(caseID).path, "class": "panel", "id": "facts"],
                    el("input", ["type": "hidden", "name": "assess", "value": "1"]),
                    el("input", ["type": "hidden", "name": "segment", "value": facts.segment]),
                    f.summary,
                    el("h2", [:], "Flight"),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("journey", label: "Journey (IATA codes)", value: facts.journey, extra: ["placeholder": "CDG LAX"])),
                        el(
                            "div", [:],
                            f.input(
                                "carrier", label: "Operating carrier", value: facts.carrier, extra: ["placeholder": "AF"], field: "operatingCarrier")),
                        el(
                            "div", [:],
                            f.select(
                                "event", label: "Event", options: choice(["delay", "cancellation", "denied_boarding"]).dropFirst().map { $0 },
                                selected: facts.event))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("scheduledDeparture", label: "Scheduled departure", value: facts.scheduledDeparture)),
                        el("div", [:], f.input("scheduledArrival", label: "Scheduled arrival", value: facts.scheduledArrival)),
                        el("div", [:], f.input("actualArrival", label: "Actual arrival", value: facts.actualArrival))),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.input(
                                "rerouteDeparture", label: "Alternative flight departs", value: facts.rerouteDeparture, field: "reroute.departure")),
                        el(
                            "div", [:],
                            f.input("rerouteArrival", label: "Alternative flight arrives", value: facts.rerouteArrival, field: "reroute.arrival")),
                        el("div", [:], f.input("noticeDays", label: "Days of notice", value: facts.noticeDays, type: "number"))),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select("cause", label: "Cause", options: choice(DisruptionCause.allCases.map(\.rawValue)), selected: facts.cause)),
                        el("div", [:], f.input("fare", label: "Fare", value: facts.fare)),
                        el("div", [:], f.input("fareCurrency", label: "Fare currency", value: facts.fareCurrency ?? "EUR")),
                        el(
                            "div", [:],
                            f.select("choice", label: "Passenger's choice", options: choice(["reroute", "refund"]), selected: facts.choice))),
                    el("h2", [:], "Booking conditions"),
                    c.message("pack"), c.message("event"),
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            c.select("packEvent", label: "Conditions and event", options: [("", "—")] + packEvents, selected: facts.packEvent)),
                        el("div", [:], c.input("eventDate", label: "Date of the event", value: facts.eventDate)),
                        el("div", [:], c.input("bookingDate", label: "Booking date", value: facts.bookingDate))),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], c.input("departure", label: "Departure", value: facts.departure)),
                        el("div", [:], c.input("returnDate", label: "Return", value: facts.returnDate)),
                        el("div", [:], c.input("price", label: "Price of the booking", value: facts.price)),
                        el("div", [:], c.input("reason", label: "Reason", value: facts.reason))),
                    HTML.group(
                        outcome.conditionsErrors.filter {
                            !["pack", "event", "packEvent", "eventDate", "bookingDate", "departure", "returnDate", "price", "reason"].contains(
                                $0.field)
                        }
                        .map { el("p", ["class": "error"], .text("\($0.field): \($0.message)")) }),
                    c.message("packEvent"),
                    el("button", ["type": "submit", "id": "assess"], "Assess")),
                rights(outcome.rights),
                conditions(outcome.conditions),
                send(req: req, caseID: caseID, summary: outcome.summary, language: context.language, error: sendError)
            ]))
    }

    static func amount(_ a: Amount?) -> String { a.map { "\($0.amount) \($0.currency)" } ?? "—" }

    static func rights(_ r: RightsAssessment?) -> HTML {
        guard let r else { return .empty }
        let rows = r.assessments.map { a in
            el(
                "tr", ["data-regime": a.regime, "class": a.applies ? "applies" : "muted"],
                el("td", [:], .text(a.regime)), el("td", [:], .text(a.applies ? "applies" : "does not apply")),
                el("td", ["class": "compensation"], .text(amount(a.compensation) + (a.reducibleTo.map { " (reducible to \(amount($0)))" } ?? ""))),
                el("td", [:], .text(a.refund ? "refund" : "")), el("td", [:], .text(a.care.map(\.rawValue).joined(separator: ", "))),
                el("td", [:], .text(a.basis.joined(separator: ", "))), el("td", [:], .text(a.notes.joined(separator: " "))))
        }
        return HTML.group([
            el("h2", [:], .text("Passenger rights · \(r.distanceKm) km")),
            el(
                "div", ["class": "table-wrap"],
                el(
                    "table", ["id": "rights"],
                    el(
                        "thead", [:],
                        el("tr", [:], ["Regime", "", "Compensation", "Refund", "Care", "Basis", "Notes"].map { el("th", [:], .text($0)) })),
                    el("tbody", [:], rows)))
        ])
    }

    static func conditions(_ a: ConditionsAssessment?) -> HTML {
        guard let a else { return .empty }
        var items: [HTML] = [el("li", [:], .text(a.allowed ? "Allowed" : "Not allowed"))]
        items += a.charges.map {
            el("li", [:], .text("\($0.kind.replacingOccurrences(of: "_", with: " ")): \($0.atLeast ? "at least " : "")\($0.amount) \($0.currency)"))
        }
        if let r = a.refund { items.append(el("li", [:], .text("Refund: \(amount(r))"))) }
        if let i = a.indemnity { items.append(el("li", [:], .text("Indemnity: \(i.atLeast ? "at least " : "")\(i.amount) \(i.currency)"))) }
        items += a.installments.map { el("li", [:], .text("Due \($0.dueDate): \($0.amount) \($0.currency)")) }
        items += a.deadlines.map { el("li", [:], .text("\($0.kind.replacingOccurrences(of: "_", with: " ")): \($0.date)")) }
        if !a.options.isEmpty { items.append(el("li", [:], .text("Options: \(a.options.joined(separator: ", "))"))) }
        items += a.notes.map { el("li", ["class": "muted"], .text($0)) }
        return HTML.group([
            el("h2", [:], .text("Booking conditions · \(a.pack) \(a.version) · \(a.citations.joined(separator: ", "))")),
            el("ul", ["id": "conditions"], items)
        ])
    }

    static func send(req: Request, caseID: UUID, summary: String?, language: Language, error: String?) -> HTML {
        guard let summary else { return .empty }
        return el(
            "form", ["method": "post", "action": SiteURL.sendRights(caseID).path, "class": "panel", "id": "send-summary"],
            Layout.csrfField(req),
            el("label", ["for": "summary-text"], .text("Summary for the traveller (\(language.displayName))")),
            el("textarea", ["id": "summary-text", "name": "text", "rows": "8"], .text(summary)),
            el("p", ["class": "error", "id": "send-error", "role": "alert"], .text(error ?? "")),
            el("button", ["type": "submit", "id": "send"], "Send to traveller"))
    }
}
