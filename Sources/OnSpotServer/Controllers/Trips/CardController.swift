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
                .with(\.$traveller).with(\.$trip).first()
        else {
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
        guard !model.trip.neverPaid else { return cardResponse(CardViews.pending(model)) }
        return cardResponse(CardViews.card(model, print: false, publicBaseURL: req.onspot.publicBaseURL))
    }

    @Sendable static func printCard(req: Request) async throws -> Response {
        let model = try await load(req)
        guard !model.trip.neverPaid else { return cardResponse(CardViews.pending(model)) }
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
        // No contact details before the service is paid for.
        guard !model.trip.neverPaid, let d = model.destinations.last ?? model.destinations.first else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        let text = VCard.assistanceLine(
            organisation: model.organisation, destination: d.name, tollFree: d.tollFreeNumber,
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
