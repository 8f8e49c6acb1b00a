import Foundation

/// Why a trip or an invoice cannot be paid now: the rule, decided once, for the service that charges and the page
/// that offers the payment; each reason carries the message the user reads.
public enum PaymentRefusal: String, StoredCode, Error {
    /// Only LIGHT trips are paid one by one (clause 4.1); PLUS trips are invoiced monthly.
    case notLight = "not_light"
    case nothingDue = "nothing_due"
    /// A payment is already with the provider: a second one would charge twice.
    case alreadyProcessing = "already_processing"
    case cancelled
    /// Credits are kept in the agency's currency: they pay only amounts in that currency.
    case otherCurrency = "other_currency"

    public var messageKey: String {
        switch self {
        case .notLight: "billing.error.not_light"
        case .nothingDue: "billing.error.nothing_due"
        case .alreadyProcessing: "billing.error.processing"
        case .cancelled: "trip.error.cancelled"
        case .otherCurrency: "billing.error.credits_currency"
        }
    }

    /// Whether a trip's service can be paid now, and if not why: the first reason that applies.
    public static func forTrip(status: TripStatus, plan: PlanCode, dueMinor: Int64, processing: Bool) -> PaymentRefusal? {
        if status == .cancelled { return .cancelled }
        if plan != .light { return .notLight }
        if processing { return .alreadyProcessing }
        if dueMinor <= 0 { return .nothingDue }
        return nil
    }

    /// Whether an invoice can be paid now.
    public static func forInvoice(dueMinor: Int64, processing: Bool) -> PaymentRefusal? {
        if processing { return .alreadyProcessing }
        if dueMinor <= 0 { return .nothingDue }
        return nil
    }
}
