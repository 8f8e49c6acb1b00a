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

    /// Extraction is deterministic: the review and the acceptance read the same proposals from the stored text.
    static func proposals(of document: PastedDocument) -> [SegmentProposal] {
        SegmentProposal.from((try? Extraction.extract(document.text, contextDate: document.createdAt)) ?? [])
    }

    @Sendable static func review(req: Request) async throws -> Response {
        let trip = try await TripsController.requireTrip(req)
        let document = try await requireDocument(req, of: trip)
        let proposals = proposals(of: document)
        return req.html(
            TripViews.review(
                req: req, agency: try req.agency, trip: trip, document: document, proposals: proposals,
                accepted: try await accepted(proposals, from: document, trip: trip, req: req), errors: []))
    }

    /// The proposals already in the itinerary from this document, by index.
    static func accepted(_ proposals: [SegmentProposal], from document: PastedDocument, trip: Trip, req: Request) async throws -> Set<Int> {
        let stored = try await ItinerarySegment.query(on: req.db).filter(\.$trip.$id == trip.requireID())
            .filter(\.$pastedDocumentID == document.requireID()).all()
        let agencyZone = try req.agency.zone
        let zone = TripService.finalDestination(trip)?.zone ?? agencyZone
        return Set(
            proposals.indices.filter { i in
                let p = proposals[i]
                let start = p.startsAt.flatMap { SegmentProposal.instant($0, zone: p.timeZone.flatMap(TimeZone.init(identifier:)) ?? zone) }
                return stored.contains { $0.title == String(p.title.prefix(200)) && $0.startsAt == start }
            })
    }

    @Sendable static func accept(req: Request) async throws -> Response {
        struct Form: Content { var segment: [Int]? }
        let trip = try await TripsController.requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        let document = try await requireDocument(req, of: trip)
        let proposals = proposals(of: document)
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
        let agencyZone = try req.agency.zone
        let fallbackZone = TripService.finalDestination(trip)?.zone ?? agencyZone
        let tripID = try trip.requireID()
        let documentID = try document.requireID()
        // A segment accepted twice from the same document (a double click, a second tab) is stored once.
        let existing = try await ItinerarySegment.query(on: req.db).filter(\.$trip.$id == tripID).filter(\.$pastedDocumentID == documentID).all()
        try await req.db.transaction { db in
            for index in Set(chosen).sorted() {
                let p = proposals[index]
                let zone = p.timeZone.flatMap(TimeZone.init(identifier:)) ?? fallbackZone
                let start = p.startsAt.flatMap { SegmentProposal.instant($0, zone: zone) }
                guard !existing.contains(where: { $0.title == String(p.title.prefix(200)) && $0.startsAt == start }) else { continue }
                let segment = ItinerarySegment(
                    tripID: tripID, kind: p.kind, title: String(p.title.prefix(200)), startsAt: start,
                    endsAt: p.endsAt.flatMap { SegmentProposal.instant($0, zone: zone) }, timeZone: zone.identifier,
                    location: p.location.map { String($0.prefix(300)) }, supplier: p.supplier.map { String($0.prefix(200)) },
                    confirmation: p.confirmation.map { String($0.prefix(100)) }, details: p.details, source: .extracted)
                segment.pastedDocumentID = documentID
                try await segment.create(on: db)
            }
        }
        return req.redirect(to: SiteURL.trip(tripID).with("#itinerary"))
    }
}
