import Fluent
import Foundation
import OnSpotCore
import Vapor

enum CardViews {
    /// The card's link before a LIGHT trip is paid: no numbers yet, a word on when they come.
    static func pending(_ m: CardController.CardModel) -> HTML {
        let lang = m.language
        return HTML(
            markup: "<!doctype html>"
                + el(
                    "html", ["lang": lang.rawValue],
                    el(
                        "head", [:], el("meta", ["charset": "utf-8"]),
                        el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                        el("title", [:], .text(m.organisation))),
                    el(
                        "body", [:],
                        el(
                            "main", ["id": "card-pending"], el("h1", [:], .text(m.organisation)),
                            el("p", [:], .text(L10n.t("light.card_pending", lang)))))
                ).markup)
    }

    static func card(_ m: CardController.CardModel, print: Bool, publicBaseURL: String) -> HTML {
        let lang = m.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let token = m.link.cardToken
        let colour = m.branded ? (m.agency.brandColour ?? "#0b6e6e") : "#0b6e6e"
        let finalZone = m.destinations.last?.zone ?? m.agency.zone
        let window = TripRules.serviceWindow(arrival: m.trip.arrivalAt, return: m.trip.returnAt)
        let blocks = m.destinations.map { d -> HTML in
            let hours = d.hours
            let slotsByDay = Weekday.allCases.map { OpeningHours.formatSlots(hours.weekly[$0] ?? []) }
            let sameEveryDay = Set(slotsByDay).count == 1
            let hourRows: [HTML] =
                sameEveryDay
                ? [
                    el(
                        "tr", [:], el("td", [:], .text(t("every_day"))),
                        el("td", [:], .text(slotsByDay[0].isEmpty ? t("closed") : slotsByDay[0].replacingOccurrences(of: ",", with: ", "))))
                ]
                : Weekday.allCases.map { day in
                    let s = slotsByDay[day.rawValue - 1]
                    return el(
                        "tr", [:], el("td", [:], .text(t("weekday.\(day.rawValue)"))),
                        el("td", [:], .text(s.isEmpty ? t("closed") : s.replacingOccurrences(of: ",", with: ", "))))
                }
            let whatsApp = PhoneNumber(d.whatsAppNumber)?.digits ?? d.whatsAppNumber
            return el(
                "section", ["class": "destination"],
                el("h2", ["style": "font-size:1rem;margin:.6rem 0 .2rem"], .text("\(d.name) · \(d.timeZone)")),
                el(
                    "a", ["class": "line", "href": "tel:\(d.tollFreeNumber)", "id": "tel-\(d.code)"], el("strong", [:], .text(t("card.call"))),
                    .text(d.tollFreeNumber)),
                el(
                    "a", ["class": "line", "href": "https://wa.me/\(whatsApp)"], el("strong", [:], .text(t("card.whatsapp"))), .text(d.whatsAppNumber)
                ),
                d.messengerPage.map { page in
                    el("a", ["class": "line", "href": "https://m.me/\(page)"], el("strong", [:], .text(t("card.messenger"))), .text("m.me/\(page)"))
                } ?? .empty,
                el("a", ["class": "line", "href": "mailto:\(d.email)"], el("strong", [:], .text(t("card.email"))), .text(d.email)),
                el("p", ["class": "small"], el("strong", [:], .text(t("card.hours")))),
                el("table", ["class": "hours small"], hourRows),
                el("p", ["class": "small"], .text(t("card.closed_days"))),
                el("p", ["class": "small warn"], .text(L10n.t("card.emergency", lang, ["number": d.emergencyNumber]))))
        }
        let logo: HTML =
            (m.branded && m.agency.brandLogo != nil)
            ? el("img", ["class": "logo", "src": SiteURL.cardLogo(token).path, "alt": m.organisation]) : .empty
        let body = el(
            "div", ["class": "card", "id": "assistance-card"],
            logo,
            el("h1", [:], .text("\(t("card.title")) – \(m.organisation)")),
            el(
                "p", [:], el("strong", [:], .text(m.link.traveller.fullName)), " · ",
                el("span", ["class": "ref"], .text("\(t("card.reference")): \(m.trip.reference ?? String(token.prefix(8)))"))),
            m.trip.status == .cancelled ? el("p", ["class": "warn"], .text(t("card.cancelled"))) : .empty,
            el(
                "p", ["class": "small"],
                .text(
                    L10n.t(
                        "card.valid", lang,
                        [
                            "start": LocalDateTime.display(window.lowerBound, in: finalZone, language: lang, withZone: false),
                            "end": LocalDateTime.display(window.upperBound, in: finalZone, language: lang, withZone: false)
                        ]))),
            HTML.group(blocks),
            el("p", ["class": "small"], .text(t("card.out_of_hours"))),
            el("p", ["class": "small"], .text(t("card.toll_free_note"))),
            print
                ? .empty
                : el(
                    "p", ["class": "noprint"],
                    el("a", ["class": "line", "href": SiteURL.cardVCard(token).path], .text(t("card.save_contact"))),
                    el("a", ["href": SiteURL.cardPrint(token).with("?lang=\(lang.rawValue)")], .text(t("button.print"))), " · ",
                    HTML.group(
                        Language.allCases.map { l in el("a", ["href": "?lang=\(l.rawValue)", "style": "margin-right:.5rem"], .text(l.displayName)) }))
        )
        return HTML(
            markup: "<!doctype html>"
                + el(
                    "html", ["lang": lang.rawValue],
                    el(
                        "head", [:],
                        el("meta", ["charset": "utf-8"]),
                        el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                        el("meta", ["name": "robots", "content": "noindex"]),
                        el("title", [:], .text("\(t("card.title")) – \(m.organisation)")),
                        el(
                            "style", [:],
                            HTML(markup: ":root{--brand:\(AgencyAdminController.isHexColour(colour) ? colour : "#0b6e6e")}" + Assets.cardCSS))),
                    el(
                        "body", [:], body,
                        print ? el("script", [:], HTML(markup: "window.addEventListener('load',function(){window.print()})")) : .empty)
                ).markup)
    }
}
