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
