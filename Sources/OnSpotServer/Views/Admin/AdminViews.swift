import Fluent
import Foundation
import OnSpotCore
import Vapor

enum AdminViews {
    static func endpoints(req: Request, destination d: DestinationRecord, endpoints: [ChannelEndpoint], errors: [FieldError]) -> HTML {
        let lang = req.language
        let f = FormErrors(errors: errors, lang: lang)
        let rows = endpoints.map { e in
            el(
                "tr", [:], el("td", [:], .text(e.channel.rawValue)), el("td", [:], el("code", [:], .text(e.externalID))),
                el("td", [:], .text(e.appSecret.isEmpty ? "—" : "secret ✓")), el("td", [:], .text(e.accessToken == nil ? "—" : "token ✓")),
                el("td", [:], .text(e.active ? "✓" : "—")))
        }
        return el(
            "div", ["class": "panel", "id": "channel-endpoints"],
            el("h2", [:], "Channels"),
            el("div", ["class": "table-wrap"], el("table", [:], el("tbody", [:], rows))),
            el(
                "form", ["method": "post", "action": SiteURL.adminDestinationEndpoints(d.id!).path, "novalidate": "", "autocomplete": "off"],
                Layout.csrfField(req), f.summary,
                el(
                    "div", ["class": "grid"],
                    el(
                        "div", [:],
                        f.select("channel", label: "Channel", options: MessagingChannel.allCases.map { ($0.rawValue, $0.rawValue) }, selected: nil)),
                    el("div", [:], f.input("externalID", label: "phone_number_id / page id / number", value: nil, required: true)),
                    el("div", [:], f.input("appSecret", label: "App secret / auth token", value: nil, type: "password", required: true)),
                    el("div", [:], f.input("verifyToken", label: "Verify token", value: nil, type: "password")),
                    el("div", [:], f.input("accessToken", label: "Access token", value: nil, type: "password"))),
                el("button", ["type": "submit"], .text(L10n.t("button.save", lang)))))
    }

    static func destinations(req: Request, destinations: [DestinationRecord]) -> HTML {
        let lang = req.language
        let rows = destinations.map { d in
            el(
                "tr", [:], el("td", [:], el("a", ["href": SiteURL.adminDestination(d.id!).path], .text(d.name))),
                el("td", [:], .text(d.countryCode)), el("td", [:], .text(d.timeZone)), el("td", [:], .text(d.tollFreeNumber)),
                el("td", [:], .text(d.active ? "✓" : "—")))
        }
        return Layout.page(
            req: req, title: L10n.t("nav.admin_destinations", lang),
            body: HTML.group([
                el("h1", [:], .text("\(L10n.t("nav.admin_destinations", lang)) (\(destinations.count))")),
                el("div", ["class": "table-wrap"], el("table", ["id": "admin-destinations"], el("tbody", [:], rows)))
            ]))
    }

    static func destination(req: Request, destination d: DestinationRecord, errors: [FieldError], hoursInput: [String: String]?) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let hours = d.hours
        let dayInputs = Weekday.allCases.map { day in
            el(
                "div", [:],
                f.input(
                    "hours[\(day.rawValue)]", label: t("weekday.\(day.rawValue)"),
                    value: hoursInput?[String(day.rawValue)] ?? OpeningHours.formatSlots(hours.weekly[day] ?? []),
                    field: "hours.\(day.rawValue)"))
        }
        let langs = Set(d.languageList)
        return Layout.page(
            req: req, title: d.name,
            body: el(
                "div", ["class": "panel"],
                el("h1", [:], .text("\(d.name) (\(d.code))")),
                f.summary,
                el(
                    "form", ["method": "post", "action": SiteURL.adminDestination(d.id!).path, "novalidate": ""],
                    Layout.csrfField(req),
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.input("name", label: t("field.name"), value: d.name, required: true)),
                        el("div", [:], f.input("timeZone", label: t("field.time_zone"), value: d.timeZone, required: true)),
                        el("div", [:], f.input("tollFree", label: t("card.call"), value: d.tollFreeNumber, type: "tel")),
                        el("div", [:], f.input("whatsApp", label: "WhatsApp", value: d.whatsAppNumber, type: "tel")),
                        el("div", [:], f.input("messengerPage", label: "Messenger (m.me/…)", value: d.messengerPage)),
                        el("div", [:], f.input("email", label: t("field.email"), value: d.email, type: "email")),
                        el("div", [:], f.input("emergencyNumber", label: "112 / 911 / 000", value: d.emergencyNumber))),
                    el(
                        "fieldset", [:], el("legend", [:], .text(t("field.language"))), f.message("languages"),
                        HTML.group(
                            Language.allCases.map { l in
                                el(
                                    "label", ["class": "check"],
                                    el(
                                        "input",
                                        [
                                            "type": "checkbox", "name": "languages[]", "value": l.rawValue,
                                            "checked": .flag(langs.contains(l))
                                        ]), .text(l.displayName))
                            })),
                    el(
                        "fieldset", [:], el("legend", [:], .text(t("card.hours"))), el("p", ["class": "muted"], .text(t("admin.hours_hint"))),
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
            return el(
                "form", ["method": "post", "action": SiteURL.adminPlan(p.id!).path, "class": "panel", "novalidate": ""],
                el("h2", [:], .text("\(p.code) – grid v\(p.gridVersion)")),
                Layout.csrfField(req), f.summary,
                el(
                    "div", ["class": "grid"],
                    el("div", [:], f.input("name", label: t("field.name"), value: p.name)),
                    el(
                        "div", [:],
                        f.select(
                            "billingMode", label: "Billing", options: BillingMode.allCases.map { ($0.rawValue, $0.rawValue) },
                            selected: p.billingMode.rawValue)),
                    el("div", [:], f.input("refundNoticeHours", label: "Refund notice (hours)", value: String(p.refundNoticeHours), type: "number")),
                    el(
                        "div", [:],
                        f.input(
                            "pricePerTravellerDay", label: "Price / traveller / day",
                            value: Money(minorUnits: p.pricePerTravellerDayMinor, currency: currency).majorUnitsText)),
                    el(
                        "div", [:],
                        f.input(
                            "minimumPerTrip", label: "Minimum / trip",
                            value: Money(minorUnits: p.minimumPerTripMinor, currency: currency).majorUnitsText)),
                    el(
                        "div", [:],
                        f.select(
                            "currency", label: t("field.currency"), options: CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) },
                            selected: p.currency.rawValue))),
                el(
                    "label", ["class": "check"], el("input", ["type": "checkbox", "name": "whiteLabel", "checked": .flag(p.whiteLabel)]),
                    "White label"),
                el("button", ["type": "submit"], .text(t("button.save"))))
        }
        return Layout.page(req: req, title: t("nav.admin_plans"), body: HTML.group([el("h1", [:], .text(t("nav.admin_plans")))] + forms))
    }
}
