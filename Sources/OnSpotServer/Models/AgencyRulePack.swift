import Fluent
import Foundation
import OnSpotCore

final class AgencyRulePack: Model, @unchecked Sendable {
    static let schema = "agency_rule_packs"
    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "pack_id") var packID: String
    @Field(key: "title") var title: String
    /// Kept as uploaded, so the agency can read and fix what it sent.
    @Field(key: "yaml") var yaml: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    init() {}
}
