import Foundation

/// What OnSpot keeps, and for how long, on behalf of an agency (GDPR article 5(1)(e); the terms' data clauses 2.6 and 6).
/// Each category has a duration in months; an OnSpot admin sets the bounds an agency chooses within.
public enum RetentionCategory: String, StoredCode {
    /// A traveller's identity and trips' personal details, counted from the return of their latest trip.
    case travellers
    /// Messages, case notes and case free texts, counted from the return of the trip they were about (or from when they
    /// were written, for a conversation about no trip).
    case conversations
    /// Call recordings and voicemails (audio and transcripts), counted from the call: 6 months by default, the French
    /// regulator's guidance for recordings.
    case recordings
    /// Photos and documents travellers sent, counted from their receipt.
    case attachments
    /// Emails and notices sent to the agency, counted from their sending.
    case notifications
    /// Technical logs that carry personal data: raw webhook bodies, outgoing payloads, agency webhook deliveries,
    /// cached API answers, sign-in attempts.
    case logs

    /// The duration when neither the agency nor an OnSpot admin chose one.
    public var defaultMonths: Int {
        switch self {
        case .travellers, .conversations: 36
        case .recordings, .logs: 6
        case .attachments, .notifications: 12
        }
    }

    /// The widest bounds an OnSpot admin may set: never zero (the day's work must be done), at most ten years.
    public static let hardLimits = 1...120
}

/// The bounds an OnSpot admin set for one category, and the default agencies get.
public struct RetentionBounds: Hashable, Sendable, Codable {
    public var minimum: Int
    public var maximum: Int
    public var defaultMonths: Int

    public init(minimum: Int, maximum: Int, defaultMonths: Int) {
        self.minimum = minimum
        self.maximum = maximum
        self.defaultMonths = defaultMonths
    }

    public static func standard(_ category: RetentionCategory) -> RetentionBounds {
        RetentionBounds(minimum: 1, maximum: category == .recordings ? 24 : 120, defaultMonths: category.defaultMonths)
    }

    /// Field errors for bounds typed by an admin (keys are the form's field names with the category).
    public static func check(minimum: Int?, maximum: Int?, defaultMonths: Int?, category: RetentionCategory) -> Result<
        RetentionBounds, ValidationFailure
    > {
        var errors: [FieldError] = []
        let limits = RetentionCategory.hardLimits
        for (value, name) in [(minimum, "minimum"), (maximum, "maximum"), (defaultMonths, "default")] {
            guard let value else {
                errors.append(FieldError(field: "\(name).\(category.rawValue)", message: "retention.error.months"))
                continue
            }
            if !limits.contains(value) { errors.append(FieldError(field: "\(name).\(category.rawValue)", message: "retention.error.months")) }
        }
        guard errors.isEmpty, let minimum, let maximum, let defaultMonths else { return .failure(ValidationFailure(errors)) }
        guard minimum <= defaultMonths, defaultMonths <= maximum else {
            return .failure(ValidationFailure([FieldError(field: "default.\(category.rawValue)", message: "retention.error.order")]))
        }
        return .success(RetentionBounds(minimum: minimum, maximum: maximum, defaultMonths: defaultMonths))
    }

    /// The agency's choice held within the bounds (bounds narrowed after the agency chose win), or the default.
    public func effective(_ chosen: Int?) -> Int {
        guard let chosen else { return defaultMonths }
        return min(max(chosen, minimum), maximum)
    }
}

/// Cut-offs of a retention policy: everything older than `now` minus the months is due for the purge.
public enum RetentionClock {
    /// `months` calendar months before `now` in UTC (31 March minus one month is the last day of February).
    public static func cutoff(months: Int, before now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let bounded = min(max(months, 0), 1200)
        return calendar.date(byAdding: .month, value: -bounded, to: now) ?? now
    }

    /// Days an agency that closed its account keeps to export its travellers' data before everything is erased.
    public static let closureNoticeDays = 30

    public static func closureErasure(closedAt: Date) -> Date { closedAt.addingTimeInterval(Double(closureNoticeDays) * 86400) }
}
