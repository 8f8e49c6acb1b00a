import Fluent
import Foundation
import OnSpotCore

/// A consent given or withdrawn, kept: the current value lives on the traveller, its history here.
final class ConsentEvent: Model, @unchecked Sendable {
    static let schema = "consent_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "traveller_id") var travellerID: UUID
    @Field(key: "kind") var kind: ConsentKind
    @Field(key: "granted") var granted: Bool
    @Field(key: "source") var source: ConsentSource
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
