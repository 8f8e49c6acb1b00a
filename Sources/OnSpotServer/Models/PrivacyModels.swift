import Fluent
import Foundation
import OnSpotCore

/// The bounds an OnSpot admin set for one retention category; a category without a row has the standard bounds.
final class RetentionBoundsRecord: Model, @unchecked Sendable {
    static let schema = "retention_bounds"
    @ID(key: .id) var id: UUID?
    @Field(key: "category") var category: RetentionCategory
    @Field(key: "minimum_months") var minimumMonths: Int
    @Field(key: "maximum_months") var maximumMonths: Int
    @Field(key: "default_months") var defaultMonths: Int
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    init() {}

    var bounds: RetentionBounds { RetentionBounds(minimum: minimumMonths, maximum: maximumMonths, defaultMonths: defaultMonths) }
}

/// An agency's chosen duration for one category, held within the bounds when read.
final class RetentionPolicyRecord: Model, @unchecked Sendable {
    static let schema = "retention_policies"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "category") var category: RetentionCategory
    @Field(key: "months") var months: Int
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    init() {}
}

/// A data subject's request to an agency, with its deadlines (article 12(3)) and its outcome. The subject is named by
/// a reference the agency chooses; the log is the agency's proof of having answered, so an erasure keeps it.
final class DataSubjectRequest: Model, @unchecked Sendable {
    static let schema = "data_subject_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "kind") var kind: DataSubjectRequestKind
    @Field(key: "subject_reference") var subjectReference: String
    @Field(key: "received_on") var receivedOn: Date
    @Field(key: "due_on") var dueOn: Date
    @OptionalField(key: "extended_until") var extendedUntil: Date?
    @OptionalField(key: "extension_reason") var extensionReason: String?
    @Field(key: "status") var status: DataSubjectRequestStatus
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_by") var closedBy: UUID?
    init() {}

    /// The deadline in force: the extended one once extended.
    var deadline: Date { extendedUntil ?? dueOn }
}
