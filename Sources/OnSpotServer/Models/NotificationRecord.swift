import Fluent
import Foundation
import OnSpotCore

final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "channel") var channel: NotificationChannel
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: NotificationStatus
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    /// The secrets cut out of `body`, sealed with the server's key, put back only for a delivery attempt.
    @OptionalField(key: "sealed_secrets") var sealedSecrets: String?
    init() {}
}
