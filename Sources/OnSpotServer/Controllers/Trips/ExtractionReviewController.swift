import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The trip page's paste box, second half: the segments extracted from a pasted document, shown for review, and the ones
/// the agent ticks added to the itinerary (source "extracted", linked to the document, which is kept as pasted).
enum ExtractionReviewController {
    static func requireDocument(_ req: Request, of trip: Trip) async throws -> PastedDocument {
        guard let id = req.parameters.get("documentID", as: UUID.self),
            let document = try await PastedDocument.query(on: req.db).filter(\.$id == id).filter(\.$trip.$id == trip.requireID()).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return document
    }

    @Sendable static func review(req: Request) async throws -> Response {
        let trip = try await TripsController.requireTrip(req)
        let document = try await requireDocument(req, of: trip)
        let proposals = DocumentReview.proposals(of: document)
        return req.html(
            TripViews.review(
                req: req, agency: try req.agency, trip: trip, document: document, proposals: proposals,
                accepted: try await accepted(proposals, from: document, trip: trip, req: req), errors: []))
    }

    /// The file a document was read from, verbatim, as an attachment.
    @Sendable static func file(req: Request) async throws -> Response {
        let trip = try await TripsController.requireTrip(req)
        let document = try await requireDocument(req, of: trip)
        guard let (data, mediaType) = try await DocumentReview.file(of: document, on: req.db) else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        // A traveller's document read, as a trip page read is.
        try await AuditLog.record(
            on: req.db, agencyID: trip.$agency.id, actor: try req.user.id, action: .travellerDataRead, subjectType: "document",
            subjectID: document.id?.uuidString, detail: ["trip": trip.id?.uuidString ?? ""])
        return DocumentDownload.response(data, mediaType: mediaType, fileName: document.fileName, kind: document.fileKind)
    }

    /// The proposals already in the itinerary from this document, by index.
    static func accepted(_ proposals: [SegmentProposal], from document: PastedDocument, trip: Trip, req: Request) async throws -> Set<Int> {
        let found = try await DocumentReview.segments(
            for: proposals, of: document, fallbackZone: DocumentReview.fallbackZone(trip, agency: try req.agency), on: req.db)
        return Set(found.indices.filter { found[$0] != nil })
    }

    @Sendable static func accept(req: Request) async throws -> Response {
        struct Form: Content { var segment: [Int]? }
        let trip = try await TripsController.requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        let document = try await requireDocument(req, of: trip)
        let proposals = DocumentReview.proposals(of: document)
        let chosen = (try? req.content.decode(Form.self))?.segment ?? []
        var errors: [FieldError] = []
        if chosen.isEmpty { errors.append(FieldError(field: "segment", message: "extraction.error.none_chosen")) }
        if chosen.contains(where: { !proposals.indices.contains($0) }) {
            errors.append(FieldError(field: "segment", message: "extraction.error.unknown"))
        }
        guard errors.isEmpty else {
            return req.html(
                TripViews.review(
                    req: req, agency: try req.agency, trip: trip, document: document, proposals: proposals,
                    accepted: [], errors: errors), status: .unprocessableEntity)
        }
        let tripID = try trip.requireID()
        // A segment accepted twice from the same document (a double click, a second tab) is stored once.
        try await DocumentReview.accept(
            Set(chosen), of: proposals, from: document, fallbackZone: DocumentReview.fallbackZone(trip, agency: try req.agency), on: req.db)
        return req.redirect(to: SiteURL.trip(tripID).with("#itinerary"))
    }
}
