import Fluent
import Foundation
import OnSpotCore

final class OutboxEntry: Model, @unchecked Sendable {
    static let schema = "outbox"
    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "endpoint_id") var endpointID: UUID
    @Field(key: "channel") var channel: MessagingChannel
    @Field(key: "payload") var payload: Data
    @Field(key: "status") var status: OutboxStatus
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
