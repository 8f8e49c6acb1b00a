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
