import Foundation

/// Article 5: a cancellation is refunded when made at least the plan's notice before departure
/// (LIGHT 7 days, PLUS 24 hours); later cancellations are accepted without refund.
public enum CancellationRules {
    public static func refundState(departure: Date, noticeHours: Int, now: Date) -> RefundState {
        now <= departure.addingTimeInterval(-Double(noticeHours) * 3600) ? .pending : .notRefundable
    }
}
