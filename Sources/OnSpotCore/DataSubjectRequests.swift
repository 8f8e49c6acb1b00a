import Foundation

/// What a data subject asked their agency for (GDPR articles 15 to 21).
public enum DataSubjectRequestKind: String, StoredCode {
    case access, portability, rectification, erasure, restriction, objection

    public var article: String {
        switch self {
        case .access: "15"
        case .rectification: "16"
        case .erasure: "17"
        case .restriction: "18"
        case .portability: "20"
        case .objection: "21"
        }
    }
}

/// Where a request stands: answered within a month of receipt, or within two further months once extended (12(3)).
public enum DataSubjectRequestStatus: String, StoredCode {
    case open, extended, done, refused

    public var isClosed: Bool { self == .done || self == .refused }
}

/// Deadlines of article 12(3), on calendar days ("YYYY-MM-DD"): one month after receipt (the 31st of January gives the
/// last day of February), and two further months once extended.
public enum DataSubjectDeadline {
    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? c.timeZone
        return c
    }

    /// A calendar day typed in a form, checked: a real date within ten years of `today`.
    public static func day(_ text: String, today: Date) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d),
            let date = calendar.date(from: DateComponents(year: y, month: m, day: d, hour: 12)),
            calendar.component(.day, from: date) == d, abs(date.timeIntervalSince(today)) < 10 * 366 * 86400
        else { return nil }
        return date
    }

    public static func text(_ day: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    public static func due(received: Date) -> Date { calendar.date(byAdding: .month, value: 1, to: received) ?? received }

    public static func extended(due: Date) -> Date { calendar.date(byAdding: .month, value: 2, to: due) ?? due }

    /// The start of `date`'s calendar day in UTC: a deadline before it has passed.
    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// Whole days left until `deadline` (negative once passed), counted on calendar days in UTC.
    public static func daysLeft(until deadline: Date, today: Date) -> Int {
        let start = calendar.startOfDay(for: today)
        let end = calendar.startOfDay(for: deadline)
        return calendar.dateComponents([.day], from: start, to: end).day ?? 0
    }
}
