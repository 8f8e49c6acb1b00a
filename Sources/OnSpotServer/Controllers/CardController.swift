import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The traveller's assistance card (clause 2.2), behind an unguessable link: mobile page, print page, vCard.
enum CardController {
    struct CardModel {
        var link: TripTraveller
        var trip: Trip
        var agency: Agency
        var destinations: [DestinationRecord]
        /// White label only on a PLUS plan of an active agency (3.3, 3.4); never after unsubscribing (2.11).
        var branded: Bool
        var language: Language

        var organisation: String { branded ? (agency.brandDisplayName ?? agency.name) : "OnSpot" }
    }

    static func load(_ req: Request) async throws -> CardModel {
        guard let token = req.parameters.get("token"), token.count >= 20, token.count <= 100,
              let link = try await TripTraveller.query(on: req.db).filter(\.$cardToken == token)
                .with(\.$traveller).with(\.$trip).first() else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        let trip = link.trip
        guard let agency = try await Agency.query(on: req.db).filter(\.$id == trip.$agency.id).with(\.$plan).first() else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        let destinations = try await TripDestination.query(on: req.db).filter(\.$trip.$id == trip.requireID())
            .with(\.$destination).sort(\.$position).all().map(\.destination)
        let lang = (try? req.query.get(String.self, at: "lang")).flatMap(Language.init(rawValue:)) ?? link.traveller.language
        let branded = agency.isActive && agency.plan.whiteLabel
        return CardModel(link: link, trip: trip, agency: agency, destinations: destinations, branded: branded, language: lang)
    }

    @Sendable static func card(req: Request) async throws -> Response {
        let model = try await load(req)
        return cardResponse(CardViews.card(model, print: false, publicBaseURL: req.onspot.publicBaseURL))
    }

    @Sendable static func printCard(req: Request) async throws -> Response {
        let model = try await load(req)
        return cardResponse(CardViews.card(model, print: true, publicBaseURL: req.onspot.publicBaseURL))
    }

    static func cardResponse(_ html: HTML) -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        // The link is the secret: keep it out of referrers and search engines.
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        response.body = .init(string: html.markup)
        return response
    }

    @Sendable static func vcard(req: Request) async throws -> Response {
        let model = try await load(req)
        guard let d = model.destinations.last ?? model.destinations.first else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        let text = VCard.assistanceLine(organisation: model.organisation, destination: d.name, tollFree: d.tollFreeNumber,
                                        whatsApp: d.whatsAppNumber, email: d.email,
                                        note: "\(L10n.t("card.reference", model.language)): \(model.trip.reference ?? "") – \(model.link.traveller.fullName)")
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/vcard; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"onspot-assistance.vcf\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    @Sendable static func cardLogo(req: Request) async throws -> Response {
        let model = try await load(req)
        guard model.branded, let logo = model.agency.brandLogo, let mime = model.agency.brandLogoMime else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return logoResponse(logo, mime)
    }

    @Sendable static func portalLogo(req: Request) async throws -> Response {
        let agency = try req.agency
        guard let logo = agency.brandLogo, let mime = agency.brandLogoMime else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return logoResponse(logo, mime)
    }

    static func logoResponse(_ data: Data, _ mime: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: mime)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'")
        return response
    }
}

enum CardViews {
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
            let hourRows: [HTML] = sameEveryDay
                ? [el("tr", [:], el("td", [:], .text(t("every_day"))), el("td", [:], .text(slotsByDay[0].isEmpty ? t("closed") : slotsByDay[0].replacingOccurrences(of: ",", with: ", "))))]
                : Weekday.allCases.map { day in
                    let s = slotsByDay[day.rawValue - 1]
                    return el("tr", [:], el("td", [:], .text(t("weekday.\(day.rawValue)"))),
                              el("td", [:], .text(s.isEmpty ? t("closed") : s.replacingOccurrences(of: ",", with: ", "))))
                }
            let whatsApp = PhoneNumber(d.whatsAppNumber)?.digits ?? d.whatsAppNumber
            return el("section", ["class": "destination"],
                el("h2", ["style": "font-size:1rem;margin:.6rem 0 .2rem"], .text("\(d.name) · \(d.timeZone)")),
                el("a", ["class": "line", "href": "tel:\(d.tollFreeNumber)", "id": "tel-\(d.code)"], el("strong", [:], .text(t("card.call"))), .text(d.tollFreeNumber)),
                el("a", ["class": "line", "href": "https://wa.me/\(whatsApp)"], el("strong", [:], .text(t("card.whatsapp"))), .text(d.whatsAppNumber)),
                d.messengerPage.map { page in
                    el("a", ["class": "line", "href": "https://m.me/\(page)"], el("strong", [:], .text(t("card.messenger"))), .text("m.me/\(page)"))
                } ?? .empty,
                el("a", ["class": "line", "href": "mailto:\(d.email)"], el("strong", [:], .text(t("card.email"))), .text(d.email)),
                el("p", ["class": "small"], el("strong", [:], .text(t("card.hours")))),
                el("table", ["class": "hours small"], hourRows),
                el("p", ["class": "small"], .text(t("card.closed_days"))),
                el("p", ["class": "small warn"], .text(L10n.t("card.emergency", lang, ["number": d.emergencyNumber]))))
        }
        let logo: HTML = (m.branded && m.agency.brandLogo != nil)
            ? el("img", ["class": "logo", "src": "/card/\(token)/logo", "alt": m.organisation]) : .empty
        let body = el("div", ["class": "card", "id": "assistance-card"],
            logo,
            el("h1", [:], .text("\(t("card.title")) – \(m.organisation)")),
            el("p", [:], el("strong", [:], .text(m.link.traveller.fullName)), " · ",
               el("span", ["class": "ref"], .text("\(t("card.reference")): \(m.trip.reference ?? String(token.prefix(8)))"))),
            m.trip.status == .cancelled ? el("p", ["class": "warn"], .text(t("card.cancelled"))) : .empty,
            el("p", ["class": "small"], .text(L10n.t("card.valid", lang, [
                "start": LocalDateTime.display(window.lowerBound, in: finalZone, language: lang, withZone: false),
                "end": LocalDateTime.display(window.upperBound, in: finalZone, language: lang, withZone: false)]))),
            HTML.group(blocks),
            el("p", ["class": "small"], .text(t("card.out_of_hours"))),
            el("p", ["class": "small"], .text(t("card.toll_free_note"))),
            print ? .empty : el("p", ["class": "noprint"],
                el("a", ["class": "line", "href": "/card/\(token)/vcard"], .text(t("card.save_contact"))),
                el("a", ["href": "/card/\(token)/print?lang=\(lang.rawValue)"], .text(t("button.print"))), " · ",
                HTML.group(Language.allCases.map { l in el("a", ["href": "?lang=\(l.rawValue)", "style": "margin-right:.5rem"], .text(l.displayName)) })))
        return HTML(markup: "<!doctype html>" + el("html", ["lang": lang.rawValue],
            el("head", [:],
               el("meta", ["charset": "utf-8"]),
               el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
               el("meta", ["name": "robots", "content": "noindex"]),
               el("title", [:], .text("\(t("card.title")) – \(m.organisation)")),
               el("style", [:], HTML(markup: ":root{--brand:\(AgencyAdminController.isHexColour(colour) ? colour : "#0b6e6e")}" + Assets.cardCSS))),
            el("body", [:], body, print ? el("script", [:], HTML(markup: "window.addEventListener('load',function(){window.print()})")) : .empty)).markup)
    }
}
