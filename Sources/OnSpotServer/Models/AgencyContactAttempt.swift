import Fluent
import Foundation
import OnSpotCore

/// An expert's attempt to reach the agency on a case: what the emergency exception rests on (clause 2.10).
final class AgencyContactAttempt: Model, @unchecked Sendable {
    static let schema = "agency_contact_attempts"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "channel") var channel: AgencyContactChannel
    @Field(key: "result") var result: AgencyContactResult
    @OptionalField(key: "note") var note: String?
    @Field(key: "attempted_at") var attemptedAt: Date
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    init() {}

    /// Attempts that still count: the agency may be reachable again after a day.
    static let validity: TimeInterval = 24 * 3600
}
