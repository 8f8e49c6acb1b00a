import Fluent
import Foundation
import OnSpotCore
import Vapor
import ZIPFoundation

/// Everything OnSpot holds on one traveller for their agency (GDPR articles 15 and 20), as a zip: `export.json`
/// (machine-readable, documented by its `format` and `version`) and the attachments they sent, under `attachments/`.
///
/// A person is registered once per trip (one `travellers` row each), so the export gathers every row of the same agency
/// with the traveller's phone number or email address. Then, all scoped to that agency: their trips (itinerary,
/// pasted documents), their conversations on every channel and every message in them (calls and voicemails are
/// messages of the voice channel, their transcripts in the text; recordings stay with Twilio, referenced by their URL),
/// the cases about them (by traveller, or through their conversations) with notes, costs, approvals and the attempts
/// to reach the agency, the activities booked and recommended, their consents, and the log of who read their data.
enum PersonalDataExport {
    static let format = "onspot-personal-data-export"
    static let version = 1

    struct Bundle {
        var json: Data
        var attachments: [(path: String, data: Data)]
        /// What the export holds, for the audit entry.
        var counts: [String: Int]
        var zip: Data {
            get throws {
                let archive = try Archive(accessMode: .create)
                for (path, data) in [("export.json", json)] + attachments {
                    try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                        position, size in
                        let start = Int(clamping: position)
                        guard start < data.count else { return Data() }
                        return data.subdata(in: start..<min(data.count, start + size))
                    }
                }
                guard let zip = archive.data, !zip.isEmpty else { throw Abort(.internalServerError, reason: "the export zip is empty") }
                return zip
            }
        }
    }

    // MARK: the document

    struct Document: Encodable {
        var format = PersonalDataExport.format
        var version = PersonalDataExport.version
        var generatedAt: Date
        var agency: String
        /// How the traveller's registrations were recognised as one person.
        var matchedBy: [String]
        var travellers: [TravellerOut]
        var trips: [TripOut]
        var conversations: [ConversationOut]
        var cases: [CaseOut]
        var activities: [ActivityOut]
        var recommendations: [RecommendationOut]
        /// Flight and weather alerts that concerned them, told or not (and why).
        var alerts: [AlertOut]
        var consentHistory: [ConsentOut]
        var accessLog: [AccessOut]
        var notes: [String]
    }

    struct TravellerOut: Encodable {
        var id: UUID?; var firstName: String; var lastName: String; var dateOfBirth: String?; var phone: String?; var email: String?
        var language: String; var consents: Consents; var flaggedAbusive: Bool; var registeredAt: Date; var updatedAt: Date
        struct Consents: Encodable { var callRecording: Bool; var recommendations: Bool; var alerts: Bool }
    }
    struct TripOut: Encodable {
        var id: UUID?; var reference: String?; var status: String; var departure: Date; var arrival: Date; var returnDate: Date
        var notes: String?; var cancelledAt: Date?; var itinerary: [SegmentOut]; var documents: [DocumentOut]
    }
    struct SegmentOut: Encodable {
        var kind: String; var title: String; var startsAt: Date?; var endsAt: Date?; var timeZone: String?; var location: String?
        var supplier: String?; var confirmation: String?; var details: String?; var source: String
    }
    struct DocumentOut: Encodable {
        var title: String?; var text: String; var pastedAt: Date
        /// Posted as a file: its kind, its name, and its path in the archive (`documents/`).
        var fileKind: String?; var fileName: String?; var file: String?
    }
    struct ConversationOut: Encodable {
        var id: UUID?; var channel: String; var externalUserID: String; var startedAt: Date; var messages: [MessageOut]
    }
    struct MessageOut: Encodable {
        var id: UUID?; var direction: String; var channel: String; var kind: String; var text: String?; var media: String?
        var status: String; var failedReason: String?; var at: Date; var sentAt: Date?; var deliveredAt: Date?; var readAt: Date?
        var attachments: [AttachmentOut]
    }
    struct AttachmentOut: Encodable { var file: String?; var mimeType: String?; var size: Int?; var status: String }
    struct CaseOut: Encodable {
        var id: UUID?; var category: String; var priority: String; var status: String; var openedAt: Date; var resolvedAt: Date?
        var resolutionSummary: String?; var safetyFlag: Bool; var refusedCallRecording: Bool; var notes: [NoteOut]; var costs: [CostOut]
        var agencyContactAttempts: [ContactOut]
        var satisfactionRating: Int?; var satisfactionComment: String?; var satisfactionAnsweredAt: Date?
    }
    struct NoteOut: Encodable { var text: String; var at: Date }
    struct CostOut: Encodable {
        var supplier: String; var purpose: String; var amount: String; var currency: String; var decision: String; var reason: String?
        var emergencyJustification: String?; var at: Date; var approvals: [ApprovalOut]
    }
    struct ApprovalOut: Encodable { var status: String; var shownText: String; var decidedAt: Date?; var comment: String?; var at: Date }
    struct ContactOut: Encodable { var channel: String; var result: String; var note: String?; var at: Date }
    struct ActivityOut: Encodable {
        var name: String; var supplier: String; var amountBilled: String; var currency: String; var status: String; var requestedAt: Date
        var cancellationReason: String?
    }
    struct RecommendationOut: Encodable { var activity: String?; var sentAt: Date }
    struct AlertOut: Encodable { var kind: String; var event: String; var headline: String; var told: Bool; var notTold: String?; var at: Date }
    struct ConsentOut: Encodable { var traveller: UUID; var kind: String; var granted: Bool; var how: String; var at: Date }
    struct AccessOut: Encodable { var at: Date; var action: String; var by: String; var via: String? }

    // MARK: gathering

    /// The traveller's export, or nil when the traveller is not the agency's. Set-based: a fixed number of queries
    /// whatever the number of trips, conversations or messages.
    static func build(travellerID: UUID, agencyID: UUID, on db: any Database) async throws -> Bundle? {
        guard let person = try await person(travellerID: travellerID, agencyID: agencyID, on: db),
            let agency = try await Agency.find(agencyID, on: db)
        else { return nil }
        let (people, matchedBy) = (person.registrations, person.matchedBy)
        let personIDs = people.compactMap(\.id)

        let links = try await TripTraveller.query(on: db).filter(\.$traveller.$id ~~ personIDs).all()
        let trips = try await Trip.query(on: db).filter(\.$id ~~ links.map(\.$trip.id)).filter(\.$agency.$id == agencyID).sort(\.$departureAt).all()
        let tripIDs = trips.compactMap(\.id)
        let segments = try await ItinerarySegment.query(on: db).filter(\.$trip.$id ~~ tripIDs).sort(\.$startsAt).all()
        let documents = try await PastedDocument.query(on: db).filter(\.$trip.$id ~~ tripIDs).sort(\.$createdAt).all()

        let conversations = try await conversations(of: personIDs, agencyID: agencyID, on: db)
        let conversationIDs = conversations.compactMap(\.id)
        let messages = try await MessageRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).sort(\.$createdAt).all()
        let attachments = try await Attachment.query(on: db).filter(\.$messageID ~~ messages.compactMap(\.id)).sort(\.$createdAt).all()

        let cases = try await cases(of: personIDs, conversationIDs: conversationIDs, agencyID: agencyID, on: db)
        let caseIDs = cases.compactMap(\.id)
        let notes = try await CaseNote.query(on: db).filter(\.$caseID ~~ caseIDs).sort(\.$createdAt).all()
        let costs = try await CostAction.query(on: db).filter(\.$caseID ~~ caseIDs).filter(\.$agencyID == agencyID).sort(\.$createdAt).all()
        let approvals = try await Approval.query(on: db).filter(\.$costActionID ~~ costs.compactMap(\.id)).sort(\.$createdAt).all()
        let contacts = try await AgencyContactAttempt.query(on: db).filter(\.$caseID ~~ caseIDs).sort(\.$attemptedAt).all()

        let bookings = try await ActivityBookingRecord.query(on: db).filter(\.$travellerID ~~ personIDs).filter(\.$agencyID == agencyID)
            .sort(\.$requestedAt).all()
        let recommendations = try await RecommendationRecord.query(on: db).filter(\.$travellerID ~~ personIDs)
            .filter(\.$agencyID == agencyID).sort(\.$sentAt).all()
        let activityNames = Dictionary(
            try await ActivityRecord.query(on: db).filter(\.$id ~~ recommendations.map(\.activityID)).all().compactMap { a in
                a.id.map { ($0, a.name) }
            }
        ) { a, _ in a }

        let alerts = try await TravellerAlert.query(on: db).filter(\.$travellerID ~~ personIDs).filter(\.$agencyID == agencyID)
            .sort(\.$createdAt).all()
        let consents = try await ConsentEvent.query(on: db).filter(\.$travellerID ~~ personIDs).filter(\.$agencyID == agencyID)
            .sort(\.$createdAt).all()

        // Who read their data: reads of any of their registrations or trips, and the exports themselves.
        let subjects = personIDs.map(\.uuidString) + tripIDs.map(\.uuidString)
        let reads = try await AuditEntry.query(on: db).filter(\.$agencyID == agencyID)
            .filter(\.$action ~~ [AuditAction.travellerDataRead.rawValue, AuditAction.travellerDataExported.rawValue])
            .filter(\.$subjectID ~~ subjects).sort(\.$sequence).all()
        let readers = try await User.query(on: db).filter(\.$id ~~ reads.compactMap(\.actorUserID)).all()
        let readerNames = Dictionary(readers.compactMap { u in u.id.map { ($0, "\(u.name) (\(u.role.rawValue))") } }) { a, _ in a }

        var files: [(path: String, data: Data)] = []
        var fileByAttachment: [UUID: String] = [:]
        for attachment in attachments where attachment.status == .stored {
            guard let id = attachment.id, let data = attachment.data else { continue }
            let path = "attachments/\(id.uuidString.lowercased()).\(fileExtension(attachment.mimeType))"
            files.append((path, data))
            fileByAttachment[id] = path
        }

        var fileByDocument: [UUID: String] = [:]
        let postedFiles = try await DocumentFileData.query(on: db).filter(\.$id ~~ documents.filter { $0.fileKind != nil }.compactMap(\.id)).all()
        for posted in postedFiles {
            guard let id = posted.id, let document = documents.first(where: { $0.id == id }) else { continue }
            let path = "documents/\(id.uuidString.lowercased()).\(fileExtension(document.mediaType, kind: document.fileKind))"
            files.append((path, posted.data))
            fileByDocument[id] = path
        }

        func money(_ minor: Int64, _ currency: CurrencyCode) -> String { Money(minorUnits: minor, currency: currency).plainMajorUnits }
        let document = Document(
            generatedAt: AppClock.now, agency: agency.name, matchedBy: matchedBy,
            travellers: people.map { t in
                TravellerOut(
                    id: t.id, firstName: t.firstName, lastName: t.lastName, dateOfBirth: t.dateOfBirth, phone: t.phone, email: t.email,
                    language: t.language.rawValue,
                    consents: .init(callRecording: t.consentCallRecording, recommendations: t.consentRecommendations, alerts: t.consentAlerts),
                    flaggedAbusive: t.abusive, registeredAt: t.createdAt, updatedAt: t.updatedAt)
            },
            trips: trips.map { trip in
                TripOut(
                    id: trip.id, reference: trip.reference, status: trip.status.rawValue, departure: trip.departureAt, arrival: trip.arrivalAt,
                    returnDate: trip.returnAt, notes: trip.notes, cancelledAt: trip.cancelledAt,
                    itinerary: segments.filter { $0.$trip.id == trip.id }.map { s in
                        SegmentOut(
                            kind: s.kind.rawValue, title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, timeZone: s.timeZone,
                            location: s.location, supplier: s.supplier, confirmation: s.confirmation, details: s.details, source: s.source.rawValue)
                    },
                    documents: documents.filter { $0.$trip.id == trip.id }.map { d in
                        DocumentOut(
                            title: d.title, text: d.text, pastedAt: d.createdAt, fileKind: d.fileKind?.rawValue, fileName: d.fileName,
                            file: d.id.flatMap { fileByDocument[$0] })
                    }
                )
            },
            conversations: conversations.map { c in
                ConversationOut(
                    id: c.id, channel: c.channel.rawValue, externalUserID: c.externalUserID, startedAt: c.createdAt,
                    messages: messages.filter { $0.conversationID == c.id }.map { m in
                        MessageOut(
                            id: m.id, direction: m.direction.rawValue, channel: m.channel.rawValue, kind: m.kind, text: m.body, media: m.media,
                            status: m.status.rawValue, failedReason: m.failedReason, at: m.createdAt, sentAt: m.sentAt,
                            deliveredAt: m.deliveredAt, readAt: m.readAt,
                            attachments: attachments.filter { $0.messageID == m.id }.map { a in
                                AttachmentOut(
                                    file: a.id.flatMap { fileByAttachment[$0] }, mimeType: a.mimeType, size: a.size, status: a.status.rawValue)
                            })
                    })
            },
            cases: cases.map { r in
                CaseOut(
                    id: r.id, category: r.category.rawValue, priority: r.priority.rawValue, status: r.status.rawValue, openedAt: r.openedAt,
                    resolvedAt: r.resolvedAt, resolutionSummary: r.resolutionSummary, safetyFlag: r.safetyFlag,
                    refusedCallRecording: r.recordingRefused,
                    notes: notes.filter { $0.caseID == r.id }.map { NoteOut(text: $0.body, at: $0.createdAt) },
                    costs: costs.filter { $0.caseID == r.id }.map { c in
                        CostOut(
                            supplier: c.supplier, purpose: c.purpose, amount: money(c.amountMinor, c.currency), currency: c.currency.rawValue,
                            decision: c.decision.rawValue, reason: c.reason, emergencyJustification: c.emergencyJustification, at: c.createdAt,
                            approvals: approvals.filter { $0.costActionID == c.id }.map { a in
                                ApprovalOut(
                                    status: a.status.rawValue, shownText: a.shownText, decidedAt: a.decidedAt, comment: a.comment, at: a.createdAt)
                            })
                    },
                    agencyContactAttempts: contacts.filter { $0.caseID == r.id }.map { a in
                        ContactOut(channel: a.channel.rawValue, result: a.result.rawValue, note: a.note, at: a.attemptedAt)
                    }, satisfactionRating: r.satisfactionRating, satisfactionComment: r.satisfactionComment,
                    satisfactionAnsweredAt: r.satisfactionAnsweredAt)
            },
            activities: bookings.map { b in
                ActivityOut(
                    name: b.activityName, supplier: b.supplier, amountBilled: money(b.amountBilledMinor, b.currency), currency: b.currency.rawValue,
                    status: b.status.rawValue, requestedAt: b.requestedAt, cancellationReason: b.cancellationReason)
            },
            recommendations: recommendations.map { RecommendationOut(activity: activityNames[$0.activityID], sentAt: $0.sentAt) },
            alerts: alerts.map {
                AlertOut(
                    kind: $0.kind.rawValue, event: $0.event, headline: $0.headline, told: $0.messageID != nil, notTold: $0.notTold?.rawValue,
                    at: $0.createdAt)
            },
            consentHistory: consents.map {
                ConsentOut(traveller: $0.travellerID, kind: $0.kind.rawValue, granted: $0.granted, how: $0.source.rawValue, at: $0.createdAt)
            },
            accessLog: reads.map { e in
                AccessOut(
                    at: e.createdAt, action: e.action, by: e.actorUserID.flatMap { readerNames[$0] } ?? (e.actorKind == "system" ? "system" : "api"),
                    via: (try? JSONDecoder().decode([String: String].self, from: Data(e.detail.utf8)))?["via"])
            },
            notes: [
                "Call recordings and voicemail audio are held by Twilio, OnSpot's telephony provider; the voice messages carry their reference (media).",
                "Trips, their itineraries and pasted documents are shared with the other travellers registered on the same trip."
            ])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let counts = [
            "travellers": people.count, "trips": trips.count, "conversations": conversations.count, "messages": messages.count,
            "attachments": files.count, "cases": cases.count
        ]
        return Bundle(json: try encoder.encode(document), attachments: files, counts: counts)
    }

    /// One person in one agency: the traveller's registrations (one per trip) with the same name (case and accents
    /// aside) and the same phone number or email. A name alone is not enough (homonyms), and neither is a phone or an
    /// email (a family shares one; an agency types its own for travellers who have none).
    struct Person {
        var registrations: [Traveller]
        var matchedBy: [String]
    }

    static func person(travellerID: UUID, agencyID: UUID, on db: any Database) async throws -> Person? {
        guard let traveller = try await Traveller.query(on: db).filter(\.$id == travellerID).filter(\.$agency.$id == agencyID).first()
        else { return nil }
        var matchedBy = ["id"]
        var people = [traveller]
        if let phone = traveller.phone, !phone.isEmpty {
            people += try await Traveller.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$phone == phone).all()
            matchedBy.append("phone")
        }
        // Emails are stored lowercased (`EmailAddress.normalised`).
        if let email = traveller.email?.lowercased(), !email.isEmpty {
            people += try await Traveller.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$email == email).all()
            matchedBy.append("email")
        }
        func folded(_ t: Traveller) -> String {
            "\(t.firstName) \(t.lastName)".folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let name = folded(traveller)
        var seen = Set<UUID>()
        people = people.filter { $0.id == traveller.id || folded($0) == name }
            .filter { $0.id.map { seen.insert($0).inserted } ?? false }.sorted { $0.createdAt < $1.createdAt }
        return Person(registrations: people, matchedBy: matchedBy)
    }

    /// The person's conversations in the agency, oldest first (the export and the erasure read the same ones).
    static func conversations(of personIDs: [UUID], agencyID: UUID, on db: any Database) async throws -> [Conversation] {
        try await Conversation.query(on: db).filter(\.$travellerID ~~ personIDs).filter(\.$agencyID == agencyID).sort(\.$createdAt).all()
    }

    /// The cases about them, once each, oldest first: by traveller, or opened in one of their conversations before it was
    /// linked to them (such a case may still have no agency).
    static func cases(of personIDs: [UUID], conversationIDs: [UUID], agencyID: UUID, on db: any Database) async throws -> [CaseRecord] {
        var cases = try await CaseRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$travellerID ~~ personIDs).all()
        if !conversationIDs.isEmpty {
            cases += try await CaseRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs)
                .group(.or) { $0.filter(\.$agencyID == agencyID).filter(\.$agencyID == nil) }.all()
        }
        var seen = Set<UUID>()
        return cases.filter { $0.id.map { seen.insert($0).inserted } ?? false }.sorted { $0.openedAt < $1.openedAt }
    }

    /// A file extension from the stored MIME type; unknown types are `bin`.
    static func fileExtension(_ mime: String?, kind: DocumentFileKind? = nil) -> String {
        switch kind {
        case .email: return "eml"
        case .walletPass: return "pkpass"
        default: break
        }
        return switch mime?.lowercased().split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespaces) }) {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/webp": "webp"
        case "image/gif": "gif"
        case "image/bmp": "bmp"
        case "application/pdf": "pdf"
        case "audio/ogg": "ogg"
        case "audio/mpeg": "mp3"
        case "audio/mp4", "audio/aac": "m4a"
        case "video/mp4": "mp4"
        case "text/plain": "txt"
        default: "bin"
        }
    }
}
