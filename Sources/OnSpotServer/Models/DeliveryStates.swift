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
enum AttachmentStatus: String, StoredCode { case pending, stored, failed }

/// Where an itinerary segment came from: typed on the trip's page, or accepted from a pasted document.
enum SegmentSource: String, StoredCode { case manual, extracted }
