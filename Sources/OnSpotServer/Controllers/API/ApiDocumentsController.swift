import Crypto
import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1/trips/{tripID}/documents`: an agency's system posts a confirmation or voucher to a trip, as agents paste
/// them on the trip page; the answer carries the segments found in it as proposals, which it accepts all or some by
/// index, as the page's review does (`DocumentReview`, shared).
enum ApiDocumentsController {
    struct DocumentInput: Content {
        var title: String?
        var text: String?
    }

    /// `multipart/form-data`: a confirmation as a file (PDF, .eml, .pkpass, an image of a boarding pass, or text).
    struct FileInput: Content {
        var file: File?
        var title: String?
        var text: String?
    }

    struct AcceptInput: Content {
        var proposals: [Int]?
    }

    struct ProposalOutput: Content {
        /// What `accept` names it by.
        var index: Int
        var kind: String
        var title: String
        /// As the document gives them: with an offset, a local time, or a day.
        var startsAt: String?
        var endsAt: String?
        var timeZone: String?
        var location: String?
        var supplier: String?
        var confirmation: String?
        var details: String?
        /// The itinerary segment it became, once accepted.
        var segmentID: UUID?
        /// The layers that found it: `onspot`, `kitinerary`, or both.
        var foundBy: [String]
        /// Where KItinerary read another value than ours, by field path: shown to the reviewer, ours kept.
        var alternatives: [String: String]?
        /// The fields the document did not give (a partial proposal, to complete once accepted).
        var missing: [String]?
    }

    /// The file a document was read from.
    struct FileOutput: Content {
        var kind: String
        var name: String?
        var mediaType: String
        var size: Int
        /// Where the file is downloaded, verbatim.
        var url: String
    }

    struct DocumentOutput: Content {
        var id: UUID
        var tripID: UUID
        var title: String?
        var createdAt: String
        /// What extraction read: the pasted text, or the text read from the file.
        var text: String
        var file: FileOutput?
        var proposals: [ProposalOutput]
    }

    static func requireDocument(_ req: Request, changing: Bool) async throws -> (PastedDocument, Trip, Agency) {
        let (trip, agency) = try await ApiSegmentsController.requireTrip(req, changing: changing)
        guard let id = req.parameters.get("documentID", as: UUID.self),
            let document = try await PastedDocument.query(on: req.db).filter(\.$id == id).filter(\.$trip.$id == trip.requireID()).first()
        else { throw Problem(.notFound, "not-found", "Document not found") }
        return (document, trip, agency)
    }

    /// `proposals`: the document's, when the caller already extracted them (extraction reads the whole text).
    static func output(
        _ document: PastedDocument, proposals known: [SegmentProposal]? = nil, trip: Trip, agency: Agency, on db: any Database
    ) async throws -> DocumentOutput {
        let proposals = known ?? DocumentReview.proposals(of: document)
        let segments = try await DocumentReview.segments(
            for: proposals, of: document, fallbackZone: DocumentReview.fallbackZone(trip, agency: agency), on: db)
        let id = try document.requireID()
        return DocumentOutput(
            id: id, tripID: document.$trip.id, title: document.title, createdAt: LocalDateTime.iso8601(document.createdAt, in: .gmt),
            text: document.text,
            file: document.fileKind.map { kind in
                FileOutput(
                    kind: kind.rawValue, name: document.fileName, mediaType: document.mediaType ?? "application/octet-stream",
                    size: document.fileSize ?? 0, url: "/api/v1/trips/\(document.$trip.id)/documents/\(id)/file")
            },
            proposals: proposals.enumerated().map { i, p in
                ProposalOutput(
                    index: i, kind: p.kind.rawValue, title: p.title, startsAt: p.startsAt, endsAt: p.endsAt, timeZone: p.timeZone,
                    location: p.location, supplier: p.supplier, confirmation: p.confirmation, details: p.details, segmentID: segments[i]?.id,
                    foundBy: ExtractionLayer.allCases.filter(p.foundBy.contains).map(\.rawValue),
                    alternatives: p.alternatives.isEmpty ? nil : p.alternatives, missing: p.missing.isEmpty ? nil : p.missing)
            })
    }

    @Sendable static func create(req: Request) async throws -> Response {
        // A retry of a post that succeeded gets its first answer, even if the trip was cancelled since.
        let (trip, agency) = try await ApiSegmentsController.requireTrip(req, changing: false)
        let agencyID = try agency.requireID()
        let tripID = try trip.requireID()
        let scope = "POST /trips/\(tripID)/documents"
        let key = try ApiIdempotency.key(req)
        let lang = ApiTripsController.messageLanguage(req, agency)
        if req.headers.contentType?.type == "multipart", req.headers.contentType?.subType == "form-data" {
            return try await createFromFile(req, trip: trip, agency: agency, key: key, scope: scope, lang: lang)
        }
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        if let replayed = try await ApiIdempotency.replay(key: key, agencyID: agencyID, body: body, scope: scope, on: req.db) { return replayed }
        try ApiSegmentsController.refuseIfCancelled(trip)
        let input = try req.content.decode(DocumentInput.self)
        var errors: [FieldError] = []
        // Lengths count Unicode scalars, as the document's maxLength does.
        for (value, field, required, limit) in [(input.text, "text", true, DocumentReview.maximumCharacters), (input.title, "title", false, 200)] {
            if let value, value.unicodeScalars.count > limit {
                errors.append(FieldError(field: field, message: "error.too_long"))
            } else {
                errors.append(TextField.check(value, field: field, required: required, limit: limit))
            }
        }
        guard errors.isEmpty, let text = input.text else {
            throw ApiTripsController.validationProblem(errors.map { FieldError(field: $0.field, message: L10n.t($0.message, lang)) })
        }
        let document = try await DocumentReview.keep(text: text, title: input.title, trip: trip, by: nil, req: req)
        return try await created(document, trip: trip, agency: agency, key: key, scope: scope, req: req)
    }

    /// The 201 of a document kept: its answer remembered under the key, the addition audited on the trip.
    static func created(
        _ document: PastedDocument, trip: Trip, agency: Agency, key: String?, scope: String, fingerprint: Data? = nil, req: Request
    ) async throws -> Response {
        let tripID = try trip.requireID()
        let out = try await output(document, trip: trip, agency: agency, on: req.db)
        var audit = ["document": out.id.uuidString, "change": "document_added"]
        if let kind = document.fileKind { audit["file"] = kind.rawValue }
        return try await ApiIdempotency.created(
            try JSONEncoder.sorted.encode(out), location: "/api/v1/trips/\(tripID)/documents/\(out.id)", key: key, scope: scope, trip: tripID,
            agencyID: try agency.requireID(), audit: audit, req: req, fingerprint: fingerprint, undo: { try await document.delete(on: req.db) })
    }

    /// A confirmation posted as a file: its kind told from its content, its text read (`DocumentFiles`), the file kept
    /// verbatim beside it. The idempotency fingerprint is the title and the file, not the multipart bytes, whose boundary
    /// each retry draws anew.
    static func createFromFile(_ req: Request, trip: Trip, agency: Agency, key: String?, scope: String, lang: Language) async throws -> Response {
        let agencyID = try agency.requireID()
        let input: FileInput
        do { input = try req.content.decode(FileInput.self) } catch {
            throw ApiTripsController.validationProblem(
                [FieldError(field: "file", message: L10n.t("document.file.unreadable", lang))],
                detail: "The multipart body could not be read: send a part named \"file\" with a filename.")
        }
        let fileData = input.file.map { Data($0.data.readableBytesView) }
        if [input.title, input.text, input.file?.filename].contains(where: { $0?.contains("\u{0}") == true }) {
            throw Problem(.badRequest, "malformed", "NUL character", detail: L10n.t("error.nul", lang))
        }
        // What the request says, not how it was framed: title, text, file name and the file's digest.
        let digest: String = fileData.map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() } ?? ""
        let parts: [String] = [input.title ?? "", input.text ?? "", input.file?.filename ?? "", digest]
        let fingerprint = Data(parts.joined(separator: "\u{1F}").utf8)
        if let replayed = try await ApiIdempotency.replay(key: key, agencyID: agencyID, body: fingerprint, scope: scope, on: req.db) {
            return replayed
        }
        try ApiSegmentsController.refuseIfCancelled(trip)
        var errors = TextField.check([(input.title, "title", false, 200)])
        if input.title.map({ $0.unicodeScalars.count > 200 }) == true { errors = [FieldError(field: "title", message: "error.too_long")] }
        if fileData != nil, input.text?.isEmpty == false {
            errors.append(FieldError(field: "file", message: "document.file.text_or_file"))
        } else if fileData == nil {
            errors.append(FieldError(field: "file", message: "error.required"))
        }
        guard errors.isEmpty, let fileData else {
            throw ApiTripsController.validationProblem(errors.map { FieldError(field: $0.field, message: L10n.t($0.message, lang)) })
        }
        let read: ReadDocumentFile
        do {
            read = try await DocumentFiles.read(fileData, fileName: input.file?.filename, tools: req.application.documentFileTools)
        } catch {
            let message = L10n.t(error.messageKey, lang)
            switch error {
            case .tooLarge: throw Problem(.payloadTooLarge, "too-large", "File too large", detail: message)
            case .readerMissing:
                req.logger.error("document file reader missing", metadata: ["kind": "\(DocumentFile.kind(of: fileData)?.rawValue ?? "?")"])
                throw Problem(.serviceUnavailable, "reader-unavailable", "File reader unavailable", detail: message)
            default: throw ApiTripsController.validationProblem([FieldError(field: "file", message: message)])
            }
        }
        let document = try await DocumentReview.keep(file: read, title: input.title, trip: trip, by: nil, req: req)
        return try await created(document, trip: trip, agency: agency, key: key, scope: scope, fingerprint: fingerprint, req: req)
    }

    /// The file a document was read from, verbatim, as an attachment (never shown inline: a user's file is not our page).
    @Sendable static func file(req: Request) async throws -> Response {
        let (document, trip, agency) = try await requireDocument(req, changing: false)
        guard let (data, mediaType) = try await DocumentReview.file(of: document, on: req.db) else {
            throw Problem(.notFound, "not-found", "No file", detail: "This document was pasted as text; it has no file.")
        }
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .travellerDataRead, subjectType: "document",
            subjectID: document.id?.uuidString, detail: ["via": "api", "trip": trip.id?.uuidString ?? ""])
        return DocumentDownload.response(data, mediaType: mediaType, fileName: document.fileName, kind: document.fileKind)
    }

    @Sendable static func show(req: Request) async throws -> DocumentOutput {
        let (document, trip, agency) = try await requireDocument(req, changing: false)
        return try await output(document, trip: trip, agency: agency, on: req.db)
    }

    /// Adds the chosen proposals to the itinerary; accepting one already there changes nothing (a retry is safe).
    @Sendable static func accept(req: Request) async throws -> DocumentOutput {
        let (document, trip, agency) = try await requireDocument(req, changing: true)
        let chosen = try req.content.decode(AcceptInput.self).proposals ?? []
        let proposals = DocumentReview.proposals(of: document)
        let lang = ApiTripsController.messageLanguage(req, agency)
        if chosen.isEmpty {
            throw ApiTripsController.validationProblem([FieldError(field: "proposals", message: L10n.t("extraction.error.none_chosen", lang))])
        }
        if let unknown = chosen.first(where: { !proposals.indices.contains($0) }) {
            throw ApiTripsController.validationProblem(
                [FieldError(field: "proposals", message: L10n.t("extraction.error.unknown", lang))],
                detail: "This document has no proposal \(unknown).")
        }
        let fallbackZone = DocumentReview.fallbackZone(trip, agency: agency)
        let already = try await DocumentReview.segments(for: proposals, of: document, fallbackZone: fallbackZone, on: req.db)
        let adding = Set(chosen).filter { already[$0] == nil }.count
        let held = try await ItinerarySegment.query(on: req.db).filter(\.$trip.$id == trip.requireID()).count()
        guard held + adding <= ApiSegmentsController.maximumSegments else {
            throw Problem(
                .unprocessableEntity, "too-many", "Itinerary full",
                detail: "A trip's itinerary holds at most \(ApiSegmentsController.maximumSegments) segments.")
        }
        try await DocumentReview.accept(Set(chosen), of: proposals, from: document, fallbackZone: fallbackZone, on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: trip.id?.uuidString,
            detail: ["via": "api", "document": document.id?.uuidString ?? "", "change": "proposals_accepted"])
        return try await output(document, proposals: proposals, trip: trip, agency: agency, on: req.db)
    }
}
