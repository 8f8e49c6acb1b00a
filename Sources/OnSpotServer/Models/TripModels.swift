import Fluent
import SQLKit
import Foundation
import OnSpotCore

final class Traveller: Model, @unchecked Sendable {
    static let schema = "travellers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "first_name") var firstName: String
    @Field(key: "last_name") var lastName: String
    @OptionalField(key: "date_of_birth") var dateOfBirth: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?
    @Field(key: "language") var language: Language
    @Field(key: "consent_call_recording") var consentCallRecording: Bool
    @Field(key: "consent_recommendations") var consentRecommendations: Bool
    /// Alerts sent unasked (flight disruptions, severe weather): opt-in.
    @Field(key: "consent_alerts") var consentAlerts: Bool
    @Field(key: "abusive") var abusive: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Set when the person was erased (GDPR article 17): the row keeps the trip's facts, not the person.
    @OptionalField(key: "erased_at") var erasedAt: Date?
    /// Raised by every save (`VersionedModelMiddleware`): what the API's `If-Match` claims.
    @Field(key: "version") var version: Int
    init() {}

    var fullName: String { "\(firstName) \(lastName)" }

    func apply(_ valid: ValidTraveller) {
        firstName = valid.firstName
        lastName = valid.lastName
        dateOfBirth = valid.dateOfBirth
        phone = valid.phone?.e164
        email = valid.email
        language = valid.language
        consentCallRecording = valid.consentsToCallRecording
        consentRecommendations = valid.consentsToRecommendations
        consentAlerts = valid.consentsToAlerts
        updatedAt = AppClock.now
    }
}

final class Trip: Model, @unchecked Sendable {
    static let schema = "trips"
    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @OptionalField(key: "reference") var reference: String?
    @Field(key: "status") var status: TripStatus
    @Field(key: "departure_at") var departureAt: Date
    @Field(key: "arrival_at") var arrivalAt: Date
    @Field(key: "return_at") var returnAt: Date
    @OptionalField(key: "notes") var notes: String?
    /// The plan in force when the service was booked: refund notice and billing follow it.
    @Field(key: "plan_code") var planCode: PlanCode
    /// The scope-of-action version in force when the trip was booked.
    @OptionalField(key: "scope_version_id") var scopeVersionID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancelled_by") var cancelledBy: UUID?
    @OptionalField(key: "cancellation_reason") var cancellationReason: String?
    @Field(key: "refund_state") var refundState: RefundState
    /// Raised by every save (`VersionedModelMiddleware`): what the API's `If-Match` claims.
    @Field(key: "version") var version: Int
    /// When the service was paid for (LIGHT pays "au moment de la réservation"); nil while a LIGHT trip awaits payment.
    @OptionalField(key: "service_paid_at") var servicePaidAt: Date?
    @Children(for: \.$trip) var travellerLinks: [TripTraveller]
    @Children(for: \.$trip) var destinationLinks: [TripDestination]
    @Children(for: \.$trip) var segments: [ItinerarySegment]
    @Children(for: \.$trip) var documents: [PastedDocument]
    init() {}

    func phase(now: Date) -> TripPhase { TripPhase.of(status: status, arrival: arrivalAt, returnDate: returnAt, now: now) }
}

final class TripTraveller: Model, @unchecked Sendable {
    static let schema = "trip_travellers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "trip_id") var trip: Trip
    @Parent(key: "traveller_id") var traveller: Traveller
    @Field(key: "position") var position: Int
    /// Unguessable token of the traveller's assistance card link.
    @Field(key: "card_token") var cardToken: String
    init() {}
}

final class TripDestination: Model, @unchecked Sendable {
    static let schema = "trip_destinations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "trip_id") var trip: Trip
    @Parent(key: "destination_id") var destination: DestinationRecord
    @Field(key: "position") var position: Int
    init() {}
}

final class ItinerarySegment: Model, @unchecked Sendable {
    static let schema = "itinerary_segments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "trip_id") var trip: Trip
    @Field(key: "kind") var kind: SegmentKind
    @Field(key: "title") var title: String
    @OptionalField(key: "starts_at") var startsAt: Date?
    @OptionalField(key: "ends_at") var endsAt: Date?
    @OptionalField(key: "time_zone") var timeZone: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "supplier") var supplier: String?
    @OptionalField(key: "confirmation") var confirmation: String?
    @OptionalField(key: "details") var details: String?
    @Field(key: "source") var source: SegmentSource
    @OptionalField(key: "pasted_document_id") var pastedDocumentID: UUID?
    @Field(key: "created_at") var createdAt: Date
    /// Raised by each change through the API (`If-Match`).
    @Field(key: "version") var version: Int
    init() {}

    init(
        tripID: UUID, kind: SegmentKind, title: String, startsAt: Date?, endsAt: Date?, timeZone: String?, location: String? = nil,
        supplier: String?, confirmation: String?, details: String? = nil, source: SegmentSource = .manual
    ) {
        self.$trip.id = tripID
        self.kind = kind
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.location = location
        self.supplier = supplier
        self.confirmation = confirmation
        self.details = details
        self.source = source
        self.createdAt = AppClock.now
        self.version = 0
    }

    /// A segment entered by hand (portal or API) after `SegmentValidation`.
    convenience init(tripID: UUID, _ valid: ValidSegment) {
        self.init(
            tripID: tripID, kind: valid.kind, title: valid.title, startsAt: valid.startsAt, endsAt: valid.endsAt,
            timeZone: valid.zone.identifier, location: valid.location, supplier: valid.supplier, confirmation: valid.confirmation,
            details: valid.details)
    }

    /// Erases the details and confirmation of the trips' segments (erasure, retention), raising their versions so
    /// that a change read before cannot write the erased values back (`If-Match`, `ApiSegmentsController.claim`).
    static func erasePersonalFields(ofTrips tripIDs: [UUID], on db: any Database) async throws {
        guard !tripIDs.isEmpty else { return }
        try await ItinerarySegment.query(on: db).filter(\.$trip.$id ~~ tripIDs).set(\.$details, to: nil).set(\.$confirmation, to: nil).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update(schema).raisingVersion().where("trip_id", .in, tripIDs).run()
    }

    /// Replaces what an agency's system may change; the source and the pasted document it came from stay.
    func apply(_ valid: ValidSegment) {
        kind = valid.kind
        title = valid.title
        startsAt = valid.startsAt
        endsAt = valid.endsAt
        timeZone = valid.zone.identifier
        location = valid.location
        supplier = valid.supplier
        confirmation = valid.confirmation
        details = valid.details
    }
}

final class PastedDocument: Model, @unchecked Sendable {
    static let schema = "pasted_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "trip_id") var trip: Trip
    @OptionalField(key: "title") var title: String?
    /// Kept verbatim, as pasted.
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    /// Set when the document was posted as a file: what it was, as the user named it; the bytes are a `DocumentFileData`.
    @OptionalField(key: "file_kind") var fileKind: DocumentFileKind?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "media_type") var mediaType: String?
    @OptionalField(key: "file_size") var fileSize: Int?
    /// KItinerary's JSON-LD for the document (nil when the layer was off or failed) and the provider scripts it was given.
    @OptionalField(key: "kitinerary_output") var kitineraryOutput: String?
    @OptionalField(key: "kitinerary_extractors") var kitineraryExtractors: String?
    init() {}
}

extension PastedDocument {
    /// Erasure and retention: the documents of these trips keep only that they existed (kind, size, date), not what they
    /// said, nor the file, nor its name (which often carries the traveller's).
    static func eraseTexts(ofTrips tripIDs: [UUID], on db: any Database) async throws {
        guard !tripIDs.isEmpty else { return }
        let documentIDs = try await PastedDocument.query(on: db).filter(\.$trip.$id ~~ tripIDs).filter(\.$fileKind != nil).all(\.$id)
        if !documentIDs.isEmpty { try await DocumentFileData.query(on: db).filter(\.$id ~~ documentIDs).delete() }
        try await PastedDocument.query(on: db).filter(\.$trip.$id ~~ tripIDs).set(\.$text, to: "").set(\.$title, to: nil)
            .set(\.$fileName, to: nil).set(\.$kitineraryOutput, to: nil).update()
    }
}

/// A posted file, verbatim, beside the text read from it (its id is its document's).
final class DocumentFileData: Model, @unchecked Sendable {
    static let schema = "document_files"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "data") var data: Data
    init() {}
    init(documentID: UUID, data: Data) {
        self.id = documentID
        self.data = data
    }
}

extension Trip {
    /// A LIGHT trip not yet paid: no card, no service window, until it is (clause 4.1, LIGHT at booking).
    var awaitsPayment: Bool { neverPaid && status == .booked }
    /// A LIGHT trip whose service was never paid for, booked or since released: it never shows a card.
    var neverPaid: Bool { planCode == .light && servicePaidAt == nil }
}

extension Trip {
    /// Erases the trips' free texts (notes, cancellation reason) for erasure and retention, raising their versions so
    /// that a change read before cannot write them back (`If-Match`, `ApiPreconditions.claim`).
    static func eraseFreeTexts(ofTrips tripIDs: [UUID], agencyID: UUID?, on db: any Database) async throws {
        guard !tripIDs.isEmpty, let sql = db as? any SQLDatabase else { return }
        var update = sql.update(Trip.schema).set("notes", to: SQLLiteral.null).set("cancellation_reason", to: SQLLiteral.null)
            .raisingVersion().where("id", .in, tripIDs)
        if let agencyID { update = update.where("agency_id", .equal, agencyID) }
        try await update.run()
    }
}
