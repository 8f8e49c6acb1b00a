import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1/trips/{tripID}/segments`: an agency's system keeps a trip's itinerary (issue 16) as the portal does, under
/// the same rules (`SegmentValidation`). Updates and deletions honour `If-Match` with the segment's `ETag`, so two
/// systems editing the same segment do not overwrite each other unknowingly.
enum ApiSegmentsController {
    struct SegmentInput: Content {
        var kind: String?
        var title: String?
        var startsAt: String?
        var endsAt: String?
        var timeZone: String?
        var location: String?
        var supplier: String?
        var confirmation: String?
        var details: String?

        /// On creation as sent; on an update over what is stored (a field left out keeps its value, "" clears it).
        func draft(over stored: ItinerarySegment? = nil) -> SegmentDraft {
            func local(_ date: Date?) -> String? {
                guard let date, let stored else { return nil }
                return LocalDateTime.iso8601(date, in: stored.timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
            }
            return SegmentDraft(
                kind: kind ?? stored?.kind.rawValue, title: title ?? stored?.title, startsAt: startsAt ?? local(stored?.startsAt),
                endsAt: endsAt ?? local(stored?.endsAt), timeZone: timeZone ?? stored?.timeZone, location: location ?? stored?.location,
                supplier: supplier ?? stored?.supplier, confirmation: confirmation ?? stored?.confirmation, details: details ?? stored?.details)
        }
    }

    struct SegmentOutput: Content {
        var id: UUID
        var tripID: UUID
        var kind: String
        var title: String
        /// ISO 8601 in the segment's own zone (its local time, with that zone's offset).
        var startsAt: String?
        var endsAt: String?
        var timeZone: String?
        var location: String?
        var supplier: String?
        var confirmation: String?
        var details: String?
        /// `manual` (portal or API) or `extracted` (accepted from a pasted document).
        var source: String
        var documentID: UUID?
        var createdAt: String
    }

    struct ListOutput: Content { var items: [SegmentOutput] }

    static func output(_ s: ItinerarySegment) -> SegmentOutput {
        let zone = s.timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt
        return SegmentOutput(
            id: s.id ?? UUID(), tripID: s.$trip.id, kind: s.kind.rawValue, title: s.title,
            startsAt: s.startsAt.map { LocalDateTime.iso8601($0, in: zone) }, endsAt: s.endsAt.map { LocalDateTime.iso8601($0, in: zone) },
            timeZone: s.timeZone, location: s.location, supplier: s.supplier, confirmation: s.confirmation, details: s.details,
            source: s.source.rawValue, documentID: s.pastedDocumentID, createdAt: LocalDateTime.iso8601(s.createdAt, in: .gmt))
    }

    /// A strong validator of what the segment says: any change of any field changes it.
    static func etag(_ output: SegmentOutput) throws -> String {
        "\"" + String(Tokens.sha256Hex(String(decoding: try JSONEncoder.sorted.encode(output), as: UTF8.self)).prefix(32)) + "\""
    }

    static func respond(_ output: SegmentOutput, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status, body: .init(data: try JSONEncoder.sorted.encode(output)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .eTag, value: try etag(output))
        return response
    }

    /// The trip of the path, the agency's own; a change needs it not cancelled.
    static func requireTrip(_ req: Request, changing: Bool) async throws -> (Trip, Agency) {
        let (trip, agency) = try await ApiTripsController.requireTrip(req)
        if changing, trip.status == .cancelled {
            throw Problem(.conflict, "conflict", "Trip cancelled", detail: "The itinerary of a cancelled trip cannot be changed.")
        }
        return (trip, agency)
    }

    /// The segment of the path, on the trip of the path (a segment of another trip, even the agency's own, is not found).
    static func requireSegment(_ req: Request, changing: Bool) async throws -> (ItinerarySegment, Trip, Agency) {
        let (trip, agency) = try await requireTrip(req, changing: changing)
        guard let id = req.parameters.get("segmentID", as: UUID.self),
            let segment = try await ItinerarySegment.query(on: req.db).filter(\.$id == id).filter(\.$trip.$id == trip.requireID()).first()
        else { throw Problem(.notFound, "not-found", "Segment not found") }
        return (segment, trip, agency)
    }

    /// `If-Match`, when sent, must name the segment as it is now (or be `*`); 412 otherwise.
    static func checkPrecondition(_ req: Request, _ segment: ItinerarySegment) throws {
        guard let expected = req.headers.first(name: .ifMatch) else { return }
        guard expected.count <= 1000 else {
            throw Problem(
                .badRequest, "malformed", "Invalid If-Match", detail: "If-Match is at most 1000 characters: the ETag read with the segment.")
        }
        let current = try etag(output(segment))
        let listed = expected.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard listed.contains("*") || listed.contains(current) else {
            throw Problem(
                .preconditionFailed, "precondition-failed", "Segment changed",
                detail: "The segment changed since the ETag sent in If-Match: read it again, then apply the change.")
        }
    }

    static func validated(_ draft: SegmentDraft, trip: Trip, agency: Agency, req: Request) throws -> ValidSegment {
        let (valid, errors) = SegmentValidation.validate(draft, defaultZone: TripService.finalDestination(trip)?.zone ?? agency.zone)
        guard let valid else {
            let lang = ApiTripsController.messageLanguage(req, agency)
            throw ApiTripsController.validationProblem(errors.map { FieldError(field: $0.field, message: L10n.t($0.message, lang)) })
        }
        return valid
    }

    // MARK: Handlers

    @Sendable static func list(req: Request) async throws -> ListOutput {
        let (trip, _) = try await requireTrip(req, changing: false)
        let segments = try await ItinerarySegment.query(on: req.db).filter(\.$trip.$id == trip.requireID()).all()
        return ListOutput(items: TripService.itineraryOrder(segments).map(output))
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (segment, _, _) = try await requireSegment(req, changing: false)
        return try respond(output(segment))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let (trip, agency) = try await requireTrip(req, changing: true)
        let agencyID = try agency.requireID()
        let tripID = try trip.requireID()
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let scope = "POST /trips/\(tripID)/segments"
        let key = try ApiIdempotency.key(req)
        if let replayed = try await ApiIdempotency.replay(key: key, agencyID: agencyID, body: body, scope: scope, on: req.db) { return replayed }
        let input = try req.content.decode(SegmentInput.self)
        let valid = try validated(input.draft(), trip: trip, agency: agency, req: req)
        let segment = ItinerarySegment(tripID: tripID, valid)
        try await segment.create(on: req.db)
        let out = output(segment)
        if let replayed = try await ApiIdempotency.remember(
            key: key, agencyID: agencyID, body: body, scope: scope, status: .created, response: try JSONEncoder.sorted.encode(out),
            now: req.now, on: req.db, undo: { try await segment.delete(on: req.db) })
        {
            return replayed
        }
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: tripID.uuidString,
            detail: ["via": "api", "segment": out.id.uuidString, "change": "added"])
        let response = try respond(out, status: .created)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/trips/\(tripID)/segments/\(out.id)")
        return response
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (segment, trip, agency) = try await requireSegment(req, changing: true)
        // A malformed or invalid change is refused as such, whatever the ETag; a valid one only on the segment as read.
        let input = try req.content.decode(SegmentInput.self)
        let valid = try validated(input.draft(over: segment), trip: trip, agency: agency, req: req)
        try checkPrecondition(req, segment)
        segment.apply(valid)
        try await segment.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: trip.id?.uuidString,
            detail: ["via": "api", "segment": segment.id?.uuidString ?? "", "change": "updated"])
        return try respond(output(segment))
    }

    @Sendable static func delete(req: Request) async throws -> Response {
        let (segment, trip, agency) = try await requireSegment(req, changing: true)
        try checkPrecondition(req, segment)
        try await segment.delete(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: trip.id?.uuidString,
            detail: ["via": "api", "segment": segment.id?.uuidString ?? "", "change": "deleted"])
        return Response(status: .noContent)
    }
}
