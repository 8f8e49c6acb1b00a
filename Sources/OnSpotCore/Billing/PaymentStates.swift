import Foundation

/// How a payment was made.
public enum PaymentKind: String, StoredCode { case card, credits }

/// Who took a payment: Stripe, the development gateway (no real money), or OnSpot credits.
public enum PaymentProvider: String, StoredCode { case stripe, development, credits }

public enum PaymentStatus: String, StoredCode { case processing, succeeded, failed }

/// Stripe's own refund states, kept as Stripe names them.
public enum RefundStatus: String, StoredCode {
    case pending, succeeded, failed, canceled
    case requiresAction = "requires_action"

    /// The money did not go back: the amount is still owed to the agency and may be tried again.
    public var gaveNothingBack: Bool { self == .failed || self == .canceled }
}

public enum InvoiceStatus: String, StoredCode { case issued, paid, cancelled }

/// The monthly invoice of a period (clause 4.1), or a supplementary one for what was registered or changed after it.
public enum InvoiceKind: String, StoredCode { case monthly, supplementary }

public enum InvoiceLineStatus: String, StoredCode {
    case open, paid
    /// A credit note cancels it.
    case credited
    /// Unpaid after the final reminder.
    case cancelled
}
