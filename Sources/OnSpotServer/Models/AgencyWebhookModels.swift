import Fluent
import Foundation
import OnSpotCore

final class WebhookEndpointRecord: Model, @unchecked Sendable {
    static let schema = "webhook_endpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "url") var url: String
    /// Used to sign; shown to the agency once, when created.
    @Field(key: "secret") var secret: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    /// The secret before the last rotation, still signing beside the new one until `previousSecretExpiresAt`.
    @OptionalField(key: "previous_secret") var previousSecret: String?
    @OptionalField(key: "previous_secret_expires_at") var previousSecretExpiresAt: Date?
    @OptionalField(key: "secret_rotated_at") var secretRotatedAt: Date?
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?
    init() {}
}

final class WebhookDelivery: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "endpoint_id") var endpointID: UUID?
    @Field(key: "event_type") var eventType: String
    @Field(key: "payload") var payload: String
    @Field(key: "status") var status: WebhookDeliveryStatus
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "last_response_code") var lastResponseCode: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    init() {}
}
