import Foundation
import OnSpotCore

/// A traveller message waiting to go out through a channel provider.
enum OutboxStatus: String, StoredCode { case pending, sent, failed }

/// An email or portal notice to agency staff.
enum NotificationStatus: String, StoredCode { case pending, sent, failed }

/// Where a notification is shown: by email, or on the portal's dashboard only.
enum NotificationChannel: String, StoredCode { case email, portal }

/// A signed event sent to an agency's own system.
enum WebhookDeliveryStatus: String, StoredCode { case pending, delivered, failed }

/// A traveller's photo, document or recording fetched from the provider's media API.
/// `erased`: the bytes were deleted when the traveller was erased (GDPR article 17); `expired`: by the retention purge.
enum AttachmentStatus: String, StoredCode { case pending, stored, failed, erased, expired }

/// Where an itinerary segment came from: typed on the trip's page, or accepted from a pasted document.
enum SegmentSource: String, StoredCode { case manual, extracted }

/// Why a notification was sent: one per kind of email or portal notice.
enum NotificationKind: String, StoredCode {
    case passwordReset = "password_reset"
    case caseResolved = "case_resolved"
    case approvalRequested = "approval_requested"
    case approvalReminder = "approval_reminder"
    case approvalEscalation = "approval_escalation"
    case emergencyOverride = "emergency_override"
    case channelTokenExpired = "channel_token_expired"
    case abusiveTravellerContact = "abusive_traveller_contact"
    case paymentReceipt = "payment.receipt"
    case creditsExpiryNotice = "credits.expiry_notice"
    case lightPaymentReminder = "light.reminder"
    case lightTripReleased = "light.released"
    case dunningReminder = "billing.dunning.reminder"
    case dunningFinalReminder = "billing.dunning.final_reminder"
    case dunningCancellation = "billing.dunning.cancellation"
    case weatherAlert = "alert.weather"
    case flightDisrupted = "alert.flight"

    /// The notice of a dunning stage.
    static func dunning(_ stage: DunningPolicy.Stage) -> NotificationKind {
        switch stage {
        case .reminder: .dunningReminder
        case .finalReminder: .dunningFinalReminder
        case .cancellation: .dunningCancellation
        }
    }
}

/// The kind of a message OnSpot sends (stored in `messages.kind`, beside the providers' own inbound types).
enum OutboundMessageKind: String, StoredCode {
    case text, template
    case autoOutOfHours = "auto_out_of_hours"
    case autoAbusive = "auto_abusive"
    case autoUnknownSender = "auto_unknown_sender"
    case autoRecommendationsStopped = "auto_recommendations_stopped"
    /// The satisfaction question at resolution, and the thanks for an answer.
    case satisfactionRequest = "satisfaction_request"
    case autoSatisfactionThanks = "auto_satisfaction_thanks"
}
