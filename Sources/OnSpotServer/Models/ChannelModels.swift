import Fluent
import Foundation
import OnSpotCore

final class ChannelEndpoint: Model, @unchecked Sendable {
    static let schema = "channel_endpoints"
    @ID(key: .id) var id: UUID?
    @Parent(key: "destination_id") var destination: DestinationRecord
    @Field(key: "channel") var channel: MessagingChannel
    @Field(key: "external_id") var externalID: String
    /// Never shown on a page nor written to a log.
    @Field(key: "app_secret") var appSecret: String
    @OptionalField(key: "verify_token") var verifyToken: String?
    @OptionalField(key: "access_token") var accessToken: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class InboundEvent: Model, @unchecked Sendable {
    static let schema = "inbound_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "channel") var channel: MessagingChannel
    @Field(key: "body") var body: Data
    @Field(key: "received_at") var receivedAt: Date
    @OptionalField(key: "processed_at") var processedAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    init() {}
}

final class InboundDedupe: Model, @unchecked Sendable {
    static let schema = "inbound_dedupe"
    @ID(key: .id) var id: UUID?
    @Field(key: "channel") var channel: MessagingChannel
    @Field(key: "provider_id") var providerID: String
    @Field(key: "event_id") var eventID: UUID
    init() {}
}

final class Conversation: Model, @unchecked Sendable {
    static let schema = "conversations"
    @ID(key: .id) var id: UUID?
    @Field(key: "channel") var channel: MessagingChannel
    @Field(key: "external_user_id") var externalUserID: String
    @OptionalField(key: "destination_id") var destinationID: UUID?
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "traveller_id") var travellerID: UUID?
    @OptionalField(key: "trip_id") var tripID: UUID?
    @Field(key: "identified") var identified: Bool
    @OptionalField(key: "last_inbound_at") var lastInboundAt: Date?
    /// When the retention purge unlinked the conversation from the sender's id.
    @OptionalField(key: "purged_at") var purgedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class MessageRecord: Model, @unchecked Sendable {
    static let schema = "messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "direction") var direction: MessageDirection
    @Field(key: "channel") var channel: MessagingChannel
    @OptionalField(key: "provider_message_id") var providerMessageID: String?
    /// The provider's own message type ("text", "image", "sticker"…, an open set) or ours ("template", "auto_…").
    @Field(key: "kind") var kind: String
    @OptionalField(key: "body") var body: String?
    @OptionalField(key: "media") var media: String?
    @Field(key: "status") var status: MessageStatus
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "read_at") var readAt: Date?
    @OptionalField(key: "failed_reason") var failedReason: String?
    init() {}
}

final class CaseRecord: Model, @unchecked Sendable {
    static let schema = "cases"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "trip_id") var tripID: UUID?
    @OptionalField(key: "traveller_id") var travellerID: UUID?
    @OptionalField(key: "conversation_id") var conversationID: UUID?
    @OptionalField(key: "destination_id") var destinationID: UUID?
    @Field(key: "category") var category: CaseCategory
    @Field(key: "priority") var priority: CasePriority
    @Field(key: "status") var status: CaseStatus
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @Field(key: "safety_flag") var safetyFlag: Bool
    @Field(key: "recording_refused") var recordingRefused: Bool
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "first_response_at") var firstResponseAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @OptionalField(key: "resolution_summary") var resolutionSummary: String?
    /// When the case's free texts were cleared (retention purge or erasure); the case itself (times, category, costs) stays.
    @OptionalField(key: "purged_at") var purgedAt: Date?
    /// The satisfaction question (M027): when it went out, the traveller's answer and optional comment.
    @OptionalField(key: "satisfaction_requested_at") var satisfactionRequestedAt: Date?
    @OptionalField(key: "satisfaction_rating") var satisfactionRating: Int?
    @OptionalField(key: "satisfaction_comment") var satisfactionComment: String?
    @OptionalField(key: "satisfaction_answered_at") var satisfactionAnsweredAt: Date?
    init() {}

    var satisfaction: SatisfactionRating? { satisfactionRating.flatMap(SatisfactionRating.init(rawValue:)) }
}

/// An expert's note on a case: never sent to the traveller, visible to the experts covering the case.
final class CaseNote: Model, @unchecked Sendable {
    static let schema = "case_notes"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// A photo, document, audio or video a traveller sent, fetched through the provider's media API and kept.
final class Attachment: Model, @unchecked Sendable {
    static let schema = "attachments"
    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "provider_media_id") var providerMediaID: String
    @OptionalField(key: "mime_type") var mimeType: String?
    @OptionalField(key: "size") var size: Int?
    @OptionalField(key: "data") var data: Data?
    @Field(key: "status") var status: AttachmentStatus
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "fetched_at") var fetchedAt: Date?
    /// A download that failed is tried again from then on (M026); also the claiming worker's lease.
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    init() {}
}
