import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// `/api/v1/trips/{tripID}/segments`: an agency's system keeps a trip's itinerary (issue 16) as the portal does, under
/// the same rules (`SegmentValidation`). Updates and deletions honour `If-Match` with the segment's `ETag`, so two
/// systems editing the same segment do not overwrite each other unknowingly.
enum ApiSegmentsController {
    /// The fields of a segment as the API and the trip page's form send them.
    typealias SegmentInput = TripsController.SegmentForm

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
        let zone = s.timeZone.flatMap(TimeZones.named) ?? .gmt
        return SegmentOutput(
            id: s.id ?? UUID(), tripID: s.$trip.id, kind: s.kind.rawValue, title: s.title,
            startsAt: s.startsAt.map { LocalDateTime.iso8601($0, in: zone) }, endsAt: s.endsAt.map { LocalDateTime.iso8601($0, in: zone) },
            timeZone: s.timeZone, location: s.location, supplier: s.supplier, confirmation: s.confirmation, details: s.details,
            source: s.source.rawValue, documentID: s.pastedDocumentID, createdAt: LocalDateTime.iso8601(s.createdAt, in: .gmt))
    }

    static func etag(_ output: SegmentOutput, version: Int) throws -> String { try ApiPreconditions.etag(output, version: version) }

    static func respond(_ segment: ItinerarySegment, status: HTTPResponseStatus = .ok) throws -> Response {
        let out = output(segment)
        let response = Response(status: status, body: .init(data: try JSONEncoder.sorted.encode(out)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .eTag, value: try etag(out, version: segment.version))
        return response
    }

    /// The most segments one trip's itinerary holds.
    static let maximumSegments = 300

    /// The trip of the path, the agency's own, with its destinations only (for the default zone); a change needs it
    /// not cancelled.
    static func requireTrip(_ req: Request, changing: Bool) async throws -> (Trip, Agency) {
        let agency = try req.apiAgency
        guard let id = req.parameters.get("tripID", as: UUID.self),
            let trip = try await Trip.query(on: req.db).filter(\.$id == id).filter(\.$agency.$id == agency.requireID())
                .with(\.$destinationLinks, { $0.with(\.$destination) }).first()
        else { throw Problem(.notFound, "not-found", "Trip not found") }
        if changing { try refuseIfCancelled(trip) }
        return (trip, agency)
    }

    static func refuseIfCancelled(_ trip: Trip) throws {
        guard trip.status == .cancelled else { return }
        throw Problem(.conflict, "conflict", "Trip cancelled", detail: "The itinerary of a cancelled trip cannot be changed.")
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
        try ApiPreconditions.check(req, current: try etag(output(segment), version: segment.version), changed: changedMeanwhile)
    }

    static let changedMeanwhile = ApiPreconditions.changed("Segment")

    /// Raises the segment's version from the one read, in the database: nothing when another change came first.
    static func claim(_ segment: ItinerarySegment, on db: any Database) async throws -> Bool {
        guard let id = segment.id else { return false }
        return try await ApiPreconditions.claim(table: ItinerarySegment.schema, id: id, version: segment.version, on: db)
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
        return try respond(segment)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        // A retry of a creation that succeeded gets its first answer, even if the trip was cancelled since.
        let (trip, agency) = try await requireTrip(req, changing: false)
        let agencyID = try agency.requireID()
        let tripID = try trip.requireID()
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let scope = "POST /trips/\(tripID)/segments"
        let key = try ApiIdempotency.key(req)
        if let replayed = try await ApiIdempotency.replay(key: key, agencyID: agencyID, body: body, scope: scope, on: req.db) { return replayed }
        try refuseIfCancelled(trip)
        let input = try req.content.decode(SegmentInput.self)
        let valid = try validated(input.draft(), trip: trip, agency: agency, req: req)
        guard try await ItinerarySegment.query(on: req.db).filter(\.$trip.$id == tripID).count() < maximumSegments else {
            throw Problem(
                .unprocessableEntity, "too-many", "Itinerary full", detail: "A trip's itinerary holds at most \(maximumSegments) segments.")
        }
        let segment = ItinerarySegment(tripID: tripID, valid)
        try await segment.create(on: req.db)
        let out = output(segment)
        let response = try await ApiIdempotency.created(
            try JSONEncoder.sorted.encode(out), location: "/api/v1/trips/\(tripID)/segments/\(out.id)", key: key, scope: scope, trip: tripID,
            agencyID: agencyID, audit: ["segment": out.id.uuidString, "change": "added"], req: req, undo: { try await segment.delete(on: req.db) })
        if response.headers.first(name: "Idempotent-Replayed") == nil {
            response.headers.replaceOrAdd(name: .eTag, value: try etag(out, version: segment.version))
        }
        return response
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (segment, trip, agency) = try await requireSegment(req, changing: true)
        // A malformed or invalid change is refused as such (400, 422), whatever the ETag; a valid one applies only to the
        // segment as read (412), checked again in the database when it is written.
        let input = try req.content.decode(SegmentInput.self)
        let valid = try validated(input.draft(over: segment), trip: trip, agency: agency, req: req)
        try checkPrecondition(req, segment)
        // The claim and the write in one transaction: a change that reads between them waits for it (PostgreSQL's row
        // lock, SQLite's single writer), then finds the version raised.
        try await req.db.transaction { db in
            guard try await claim(segment, on: db) else { throw changedMeanwhile }
            segment.apply(valid)
            segment.version += 1
            try await segment.save(on: db)
        }
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: trip.id?.uuidString,
            detail: ["via": "api", "segment": segment.id?.uuidString ?? "", "change": "updated"])
        return try respond(segment)
    }

    @Sendable static func delete(req: Request) async throws -> Response {
        let (segment, trip, agency) = try await requireSegment(req, changing: true)
        try checkPrecondition(req, segment)
        guard let sql = req.db as? any SQLDatabase, let id = segment.id else { throw Abort(.internalServerError) }
        // Its flight watch goes with it (cascade): read first, so the provider's alert can be deleted too.
        let watch = try await FlightWatch.query(on: req.db).filter(\.$segmentID == id).first()
        let deleted = try await sql.delete(from: ItinerarySegment.schema).where("id", .equal, id).where("version", .equal, segment.version)
            .returning("id").all()
        guard !deleted.isEmpty else { throw changedMeanwhile }
        if let watch { FlightAlerts.forget(watch, app: req.application) }
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: trip.id?.uuidString,
            detail: ["via": "api", "segment": id.uuidString, "change": "deleted"])
        return Response(status: .noContent)
    }
}

extension TripsController.SegmentForm {
    /// On creation as sent; on an update over what is stored (a field left out keeps its value, "" clears it). Times
    /// left out keep their stored instants as they are (changing `timeZone` alone keeps the instants).
    func draft(over stored: ItinerarySegment? = nil) -> SegmentDraft {
        var draft = SegmentDraft(
            kind: kind ?? stored?.kind.rawValue, title: title ?? stored?.title, startsAt: startsAt, endsAt: endsAt,
            timeZone: timeZone ?? stored?.timeZone, location: location ?? stored?.location, supplier: supplier ?? stored?.supplier,
            confirmation: confirmation ?? stored?.confirmation, details: details ?? stored?.details)
        if startsAt == nil { draft.keptStart = stored?.startsAt }
        if endsAt == nil { draft.keptEnd = stored?.endsAt }
        return draft
    }
}
