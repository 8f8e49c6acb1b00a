import Foundation

public enum MessageDirection: String, StoredCode { case inbound, outbound }

/// A message's state on our side and then as the provider's receipts report it (`DeliveryStatus`).
public enum MessageStatus: String, StoredCode {
    /// An inbound message, stored.
    case received
    /// An outbound message waiting in the outbox.
    case queued
    /// The provider took it (it answered with its own message id).
    case accepted
    case sent, delivered, read, failed

    public init(_ receipt: DeliveryStatus) {
        switch receipt {
        case .sent: self = .sent
        case .delivered: self = .delivered
        case .read: self = .read
        case .failed: self = .failed
        }
    }

    /// The receipt state this status stands for, when it is one.
    public var deliveryStatus: DeliveryStatus? { DeliveryStatus(rawValue: rawValue) }
}
