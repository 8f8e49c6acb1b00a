import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

extension PastedDocument {
    /// Keeps what KItinerary found, reduced to the reservations a traveller can use (not its whole output: barcodes,
    /// frequent-flyer numbers and prices are not kept), at most `LayeredExtraction.maximumReservations`.
    func keep(_ reading: KItineraryReading?) {
        guard let reading else { return }
        let reservations = LayeredExtraction.reservations(fromKItinerary: reading.output)
        kitineraryOutput = (try? JSONEncoder.sorted.encode(reservations)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        kitineraryExtractors = reading.extractors.joined(separator: ";")
    }
}

/// A pasted confirmation's segments, proposed for the itinerary and added once chosen — by an agent on the trip page
/// or by an agency's system through the API, under the same rules: extraction is deterministic, so the proposals are
/// read again from the stored text each time and named by their index; a proposal accepted twice is stored once.
enum DocumentReview {
    /// The most text one document may hold.
    static let maximumCharacters = 200_000
    /// The largest request that posts a document: a file of `DocumentFile.maximumBytes` and its multipart framing.
    /// A little more, so that a file just over the limit is answered by the handler, in the user's language.
    static let maximumFileRequestBytes = DocumentFile.maximumBytes + 1_024 * 1_024

    /// Keeps a pasted confirmation on the trip, verbatim (checked by the caller: text required, at most
    /// `maximumCharacters`; a title of at most 200), with what the KItinerary layer found in it when the layer is on.
    static func keep(text: String, title: String?, trip: Trip, by userID: UUID?, req: Request) async throws -> PastedDocument {
        let document = try await newDocument(text: text, title: title, file: nil, trip: trip, by: userID, req: req)
        try await document.create(on: req.db)
        return document
    }

    /// Keeps a file posted to the trip: the text read from it as the document's text, the file verbatim beside it. The
    /// title is the file's name when none is given.
    static func keep(file: ReadDocumentFile, title: String?, trip: Trip, by userID: UUID?, req: Request) async throws -> PastedDocument {
        let document = try await newDocument(text: file.text, title: title, file: file, trip: trip, by: userID, req: req)
        document.fileKind = file.kind
        document.fileName = file.fileName
        document.mediaType = file.mediaType
        document.fileSize = file.data.count
        try await req.db.transaction { db in
            try await document.create(on: db)
            try await DocumentFileData(documentID: try document.requireID(), data: file.data).create(on: db)
        }
        return document
    }

    /// A document about to be kept, KItinerary's reading of it included (the layer runs once, here).
    private static func newDocument(
        text: String, title: String?, file: ReadDocumentFile?, trip: Trip, by userID: UUID?, req: Request
    ) async throws -> PastedDocument {
        let document = PastedDocument()
        document.$trip.id = try trip.requireID()
        document.title = title?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? file?.fileName
        document.text = text
        document.createdAt = req.now
        document.createdBy = userID
        document.keep(await kitinerary(text: text, file: file, req: req))
        return document
    }

    /// The file a document was read from, with its media type; nil for a pasted text.
    static func file(of document: PastedDocument, on db: any Database) async throws -> (data: Data, mediaType: String)? {
        guard document.fileKind != nil, let id = document.id, let stored = try await DocumentFileData.find(id, on: db) else { return nil }
        return (stored.data, document.mediaType ?? "application/octet-stream")
    }

    /// Our layer's reservations read again from the text, merged with what KItinerary found when the document was kept.
    static func proposals(of document: PastedDocument) -> [SegmentProposal] {
        let ours = (try? Extraction.extract(document.text, contextDate: document.createdAt)) ?? []
        let theirs = document.kitineraryOutput.map { LayeredExtraction.reservations(fromKItinerary: Data($0.utf8)) } ?? []
        return SegmentProposal.from(findings: LayeredExtraction.merge(ours: ours, theirs: theirs))
    }

    /// Runs the KItinerary layer, when on, on what is about to be kept.
    private static func kitinerary(text: String, file: ReadDocumentFile?, req: Request) async -> KItineraryReading? {
        guard let reader = req.application.kitinerary else { return nil }
        let reading = await reader.read(text: text, file: file, sender: file?.sender, contextDate: req.now)
        if reading == nil { req.logger.warning("kitinerary layer gave no answer", metadata: ["file": "\(file?.kind.rawValue ?? "text")"]) }
        return reading
    }

    /// The zone of a proposal's times when the extraction did not name one: the trip's final destination's.
    static func fallbackZone(_ trip: Trip, agency: Agency) -> TimeZone { TripService.finalDestination(trip)?.zone ?? agency.zone }

    /// What a proposal becomes in the itinerary: its title as stored and its start instant (how a stored one is matched).
    static func identity(_ p: SegmentProposal, fallbackZone: TimeZone) -> (title: String, start: Date?, zone: TimeZone) {
        let zone = p.timeZone.flatMap(TimeZones.named) ?? fallbackZone
        let limits = SegmentValidation.limits
        return (p.title.prefix(scalars: limits.title), p.startsAt.flatMap { SegmentProposal.instant($0, zone: zone) }, zone)
    }

    /// For each proposal, the segment of the itinerary that came from it, if it was accepted.
    static func segments(
        for proposals: [SegmentProposal], of document: PastedDocument, fallbackZone: TimeZone, on db: any Database
    ) async throws -> [ItinerarySegment?] {
        let stored = try await ItinerarySegment.query(on: db).filter(\.$trip.$id == document.$trip.id)
            .filter(\.$pastedDocumentID == document.requireID()).all()
        return proposals.map { p in
            let (title, start, _) = identity(p, fallbackZone: fallbackZone)
            return stored.first { $0.title == title && $0.startsAt == start }
        }
    }

    /// Adds the chosen proposals to the itinerary (source "extracted", linked to the document); those already there stay
    /// as they are. `chosen` must be indices of `proposals`.
    static func accept(
        _ chosen: Set<Int>, of proposals: [SegmentProposal], from document: PastedDocument, fallbackZone: TimeZone, on db: any Database
    ) async throws {
        let documentID = try document.requireID()
        try await db.transaction { db in
            // One acceptance of a document at a time (two tabs, a retry racing the first try): the second reads what the
            // first stored and adds nothing twice.
            if let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" {
                try await sql.raw("SELECT id FROM pasted_documents WHERE id = \(bind: documentID) FOR UPDATE").run()
            } else {
                try await takeSQLiteWriteLock(on: db)
            }
            let existing = try await segments(for: proposals, of: document, fallbackZone: fallbackZone, on: db)
            for index in chosen.sorted() where proposals.indices.contains(index) && existing[index] == nil {
                let p = proposals[index]
                let (title, start, zone) = identity(p, fallbackZone: fallbackZone)
                let segment = ItinerarySegment(
                    tripID: document.$trip.id, kind: p.kind, title: title, startsAt: start,
                    endsAt: p.endsAt.flatMap { SegmentProposal.instant($0, zone: zone) }, timeZone: zone.identifier,
                    // Within the limits of a segment entered by hand, so that a later change through the API validates.
                    location: p.location?.prefix(scalars: SegmentValidation.limits.location),
                    supplier: p.supplier?.prefix(scalars: SegmentValidation.limits.supplier),
                    confirmation: p.confirmation?.prefix(scalars: SegmentValidation.limits.confirmation),
                    details: p.details?.prefix(scalars: SegmentValidation.limits.details), source: .extracted)
                segment.pastedDocumentID = documentID
                try await segment.create(on: db)
            }
        }
    }
}
