import Foundation

/// Article 5: a cancellation is refunded when made at least the plan's notice before departure
/// (LIGHT 7 days, PLUS 24 hours); later cancellations are accepted without refund.
public enum CancellationRules {
    /// The last instant a cancellation is refunded. A notice in whole days ("7 jours") counts calendar days on the
    /// departure's wall clock in `zone` (a clock change in between does not move the hour); a notice in hours
    /// ("24 heures") counts elapsed hours.
    public static func refundDeadline(departure: Date, noticeHours: Int, zone: TimeZone) -> Date {
        if noticeHours >= 48, noticeHours % 24 == 0 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            if let date = calendar.date(byAdding: .day, value: -noticeHours / 24, to: departure) { return date }
        }
        return departure.addingTimeInterval(-Double(noticeHours) * 3600)
    }

    public static func refundState(departure: Date, noticeHours: Int, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!) -> RefundState {
        now <= refundDeadline(departure: departure, noticeHours: noticeHours, zone: zone) ? .pending : .notRefundable
    }
}

/// A cancellation the platform made itself (dunning, an unpaid LIGHT trip released). Stored as the English sentence the
/// API has always returned in `cancellationReason`; pages show it in the reader's language.
public enum SystemCancellation: Hashable, Sendable {
    case unpaidInvoice(number: String)
    case unpaidBeforeDeadline

    static let invoicePrefix = "unpaid invoice "
    static let deadlineText = "unpaid before the 72-hour deadline"

    public var stored: String {
        switch self {
        case .unpaidInvoice(let number): Self.invoicePrefix + number
        case .unpaidBeforeDeadline: Self.deadlineText
        }
    }

    public init?(stored: String) {
        if stored == Self.deadlineText {
            self = .unpaidBeforeDeadline
        } else if stored.hasPrefix(Self.invoicePrefix), stored.count > Self.invoicePrefix.count {
            self = .unpaidInvoice(number: String(stored.dropFirst(Self.invoicePrefix.count)))
        } else {
            return nil
        }
    }

    public func text(_ language: Language) -> String {
        switch self {
        case .unpaidInvoice(let number): L10n.t("trip.cancelled.unpaid_invoice", language, ["number": number])
        case .unpaidBeforeDeadline: L10n.t("trip.cancelled.unpaid_light", language)
        }
    }

    /// A stored reason as the reader reads it: the platform's own reasons translated, an agency's words as written.
    public static func display(_ stored: String?, _ language: Language) -> String {
        guard let stored else { return "" }
        return SystemCancellation(stored: stored)?.text(language) ?? stored
    }
}
