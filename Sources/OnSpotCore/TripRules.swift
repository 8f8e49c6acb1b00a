import Foundation

/// The timing rules of registration and service (marketing page step 1 and clause 2.7).
public enum TripRules {
    /// "Inscrivez votre client sur la plateforme au plus tard 72 heures avant le départ."
    public static let registrationNotice: TimeInterval = 72 * 3600
    /// Clause 2.7: service starts 72 hours before arrival at the final destination.
    public static let serviceLead: TimeInterval = 72 * 3600

    public static func registrationDeadline(departure: Date) -> Date {
        departure.addingTimeInterval(-registrationNotice)
    }

    /// Registration is accepted up to and including the deadline instant.
    public static func isRegistrationOpen(departure: Date, now: Date) -> Bool {
        now <= registrationDeadline(departure: departure)
    }

    /// The service window runs from 72 hours before arrival at the final destination until return.
    public static func serviceWindow(arrival: Date, return returnDate: Date) -> ClosedRange<Date> {
        let start = arrival.addingTimeInterval(-serviceLead)
        return start...max(start, returnDate)
    }
}

public enum SegmentKind: String, StoredCode {
    case flight, stay, carRental = "car_rental", transfer, train, bus, activity, other
}

public enum TripStatus: String, StoredCode {
    /// Registered and the service booked: the assistance card exists.
    case booked
    /// Cancelled through the portal or the API (article 5); refund handling lives on the trip.
    case cancelled
}

/// Where a trip stands in time, derived from its dates, never stored.
public enum TripPhase: String, StoredCode {
    case upcoming, inService = "in_service", ended, cancelled

    public static func of(status: TripStatus, arrival: Date, returnDate: Date, now: Date) -> TripPhase {
        if status == .cancelled { return .cancelled }
        let window = TripRules.serviceWindow(arrival: arrival, return: returnDate)
        if now < window.lowerBound { return .upcoming }
        if now > window.upperBound { return .ended }
        return .inService
    }
}

/// Refund states exist from the start; the refund rules of article 5 arrive with the billing work.
public enum RefundState: String, StoredCode {
    case notApplicable = "not_applicable", pending, refunded, notRefundable = "not_refundable"
    /// A PLUS trip's invoice line cancelled by a credit note before anything was paid on it: nothing to give back.
    case credited
}
