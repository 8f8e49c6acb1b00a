import Fluent
import Foundation
import OnSpotCore
import Vapor

/// A traveller's personal data, for the agency that controls it (GDPR articles 15 and 20): the export as a zip, from
/// the portal (agency admins) and the API. Each export is audited.
enum PrivacyController {
    /// From the traveller's page in the portal: only a traveller of one of the agency's trips.
    @Sendable static func exportFromPortal(req: Request) async throws -> Response {
        let trip = try await TripsController.requireTrip(req)
        let link = try TripsController.travellerLink(req, trip)
        return try await export(req, travellerID: link.$traveller.id, agencyID: try req.agencyID, actor: try req.user.id, via: "portal") {
            PageError(status: .notFound, messageKey: "error.not_found")
        }
    }

    /// `GET /api/v1/travellers/{travellerID}/export`.
    @Sendable static func exportThroughAPI(req: Request) async throws -> Response {
        let (traveller, agency) = try await ApiTripsController.requireTraveller(req)
        return try await export(req, travellerID: try traveller.requireID(), agencyID: try agency.requireID(), actor: nil, via: "api") {
            Problem(.notFound, "not-found", "Traveller not found")
        }
    }

    /// Erasure from the traveller's page: the admin ticks that they understand it cannot be undone.
    @Sendable static func eraseFromPortal(req: Request) async throws -> Response {
        struct Form: Content { var confirm: String? }
        let trip = try await TripsController.requireTrip(req)
        let link = try TripsController.travellerLink(req, trip)
        guard (try? req.content.decode(Form.self))?.confirm == "yes" else {
            let form = TripsController.TravellerForm(link.traveller)
            return req.html(
                TripViews.travellerForm(
                    req: req, trip: trip, link: link, form: form, errors: [FieldError(field: "confirm", message: "privacy.error.confirm")]),
                status: .unprocessableEntity)
        }
        let summary = try await erase(req, travellerID: link.$traveller.id, agencyID: try req.agencyID, actor: try req.user.id, via: "portal")
        req.flash(L10n.t("privacy.erased", req.language, ["count": String(summary.travellers)]))
        return req.redirect(to: .trip(try trip.requireID()))
    }

    /// `POST /api/v1/travellers/{travellerID}/erasure`: what was erased, counted.
    @Sendable static func eraseThroughAPI(req: Request) async throws -> PersonalDataErasure.Summary {
        let (traveller, agency) = try await ApiTripsController.requireTraveller(req)
        return try await erase(req, travellerID: try traveller.requireID(), agencyID: try agency.requireID(), actor: nil, via: "api")
    }

    private static func erase(_ req: Request, travellerID: UUID, agencyID: UUID, actor: UUID?, via: String) async throws
        -> PersonalDataErasure.Summary
    {
        guard
            let summary = try await PersonalDataErasure.erase(travellerID: travellerID, agencyID: agencyID, actor: actor, via: via, on: req.db)
        else { throw Abort(.notFound) }
        // Their call recordings are deleted at Twilio now rather than at the next daily run.
        let app = req.application
        app.inBackground {
            let scope = RetentionPurge.Scope(agencyID: agencyID, cutoffs: [:])
            do { _ = try await RetentionPurge.purgeRecordings(scope, app: app) } catch {
                app.logger.warning("erasure: recordings left for the daily purge: \(error)")
            }
        }
        return summary
    }

    private static func export(
        _ req: Request, travellerID: UUID, agencyID: UUID, actor: UUID?, via: String, notFound: () -> any Error
    ) async throws -> Response {
        guard let bundle = try await PersonalDataExport.build(travellerID: travellerID, agencyID: agencyID, on: req.db) else { throw notFound() }
        let zip = try bundle.zip
        var detail = bundle.counts.mapValues(String.init)
        detail["via"] = via
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: actor, action: .travellerDataExported, subjectType: "traveller",
            subjectID: travellerID.uuidString, detail: detail)
        let response = Response(status: .ok, body: .init(data: zip))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"onspot-traveller-\(travellerID.uuidString.lowercased()).zip\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
