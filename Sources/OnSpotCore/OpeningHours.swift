import Foundation

/// A wall-clock time in a destination, minutes since local midnight.
public struct LocalTime: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let minutes: Int

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60 else { return nil }
        minutes = hour * 60 + minute
    }

    /// "08:30"; "24:00" is allowed as the end of a day.
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(hour: h, minute: m)
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutes < b.minutes }
    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}

public struct TimeSlot: Hashable, Codable, Sendable {
    public let start: LocalTime
    public let end: LocalTime

    public init?(start: LocalTime, end: LocalTime) {
        guard start < end else { return nil }
        self.start = start
        self.end = end
    }
}

/// ISO weekday: 1 = Monday … 7 = Sunday.
public enum Weekday: Int, CaseIterable, Codable, Sendable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Foundation's Calendar numbers Sunday as 1.
    init(gregorianWeekday: Int) { self = Weekday(rawValue: gregorianWeekday == 1 ? 7 : gregorianWeekday - 1)! }
}

/// A day of the year when lines are closed (clause 2.2: 25 December and 1 January).
public struct ClosureDay: Hashable, Codable, Sendable {
    public let month: Int
    public let day: Int
    public init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }
    public static let contractual: [ClosureDay] = [ClosureDay(month: 12, day: 25), ClosureDay(month: 1, day: 1)]
}

/// A destination's weekly opening hours in local time, with closure days.
public struct OpeningHours: Hashable, Codable, Sendable {
    public var weekly: [Weekday: [TimeSlot]]
    public var closures: [ClosureDay]

    public init(weekly: [Weekday: [TimeSlot]], closures: [ClosureDay] = ClosureDay.contractual) {
        self.weekly = weekly.mapValues { $0.sorted { $0.start < $1.start } }
        self.closures = closures
    }

    /// The same slots every day of the week (the service runs 7 days a week, clause 2.3).
    public static func everyDay(_ slots: [TimeSlot]) -> OpeningHours {
        OpeningHours(weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, slots) }))
    }

    /// Parses "08:00-12:00,14:00-20:00"; an empty string means closed that day.
    public static func parseSlots(_ text: String) -> [TimeSlot]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        var slots: [TimeSlot] = []
        for piece in trimmed.split(separator: ",") {
            let bounds = piece.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard bounds.count == 2, let s = LocalTime(String(bounds[0])), let e = LocalTime(String(bounds[1])),
                let slot = TimeSlot(start: s, end: e)
            else { return nil }
            slots.append(slot)
        }
        slots.sort { $0.start < $1.start }
        for (a, b) in zip(slots, slots.dropFirst()) where b.start < a.end { return nil }
        return slots
    }

    public static func formatSlots(_ slots: [TimeSlot]) -> String {
        slots.map { "\($0.start)-\($0.end)" }.joined(separator: ",")
    }

    func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    public func isClosureDay(_ instant: Date, in zone: TimeZone) -> Bool {
        let parts = calendar(zone).dateComponents([.month, .day], from: instant)
        return closures.contains { $0.month == parts.month && $0.day == parts.day }
    }

    public func isOpen(at instant: Date, in zone: TimeZone) -> Bool {
        let cal = calendar(zone)
        if isClosureDay(instant, in: zone) { return false }
        let parts = cal.dateComponents([.weekday, .hour, .minute], from: instant)
        let minutes = parts.hour! * 60 + parts.minute!
        let slots = weekly[Weekday(gregorianWeekday: parts.weekday!)] ?? []
        return slots.contains { $0.start.minutes <= minutes && minutes < $0.end.minutes }
    }

    /// The next instant the lines open at or after `instant`, searching up to 14 days ahead.
    public func nextOpening(after instant: Date, in zone: TimeZone) -> Date? {
        if isOpen(at: instant, in: zone) { return instant }
        let cal = calendar(zone)
        var day = cal.startOfDay(for: instant)
        for _ in 0..<15 {
            if !isClosureDay(day.addingTimeInterval(12 * 3600), in: zone) {
                let weekday = Weekday(gregorianWeekday: cal.component(.weekday, from: day))
                for slot in weekly[weekday] ?? [] {
                    // Build the wall-clock time; around a DST gap Calendar moves forward to a valid instant.
                    var parts = cal.dateComponents([.year, .month, .day], from: day)
                    parts.hour = slot.start.minutes / 60
                    parts.minute = slot.start.minutes % 60
                    if let opening = cal.date(from: parts), opening >= instant { return opening }
                }
            }
            guard let next = cal.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }
}

extension OpeningHours {
    /// The instant by which `minutes` of opening time have passed since `start`: SLA clocks run only while the
    /// destination's lines are open, in its own zone, closures included. Nil when the lines never open in 60 days.
    public func deadline(after start: Date, openMinutes minutes: Int, in zone: TimeZone) -> Date? {
        OpeningSchedule(hours: self, zone: zone).deadline(after: start, openMinutes: minutes)
    }
}

/// A destination's opening intervals day by day in its zone, each day worked out once: the console's queue asks for
/// the deadlines of hundreds of cases that fall in the same few days, and the calendar arithmetic of a day costs far
/// more than the sums over its intervals. One schedule serves one request; it is not shared between threads.
public final class OpeningSchedule {
    private let hours: OpeningHours
    private let zone: TimeZone
    private let cal: Calendar
    /// Per start of day: its open intervals, in order, and the start of the next day.
    private var days: [Date: (intervals: [(open: Date, close: Date)], next: Date?)] = [:]

    public init(hours: OpeningHours, zone: TimeZone) {
        self.hours = hours
        self.zone = zone
        self.cal = hours.calendar(zone)
    }

    private func day(_ start: Date) -> (intervals: [(open: Date, close: Date)], next: Date?) {
        if let known = days[start] { return known }
        var intervals: [(open: Date, close: Date)] = []
        if !hours.isClosureDay(start.addingTimeInterval(12 * 3600), in: zone) {
            let weekday = Weekday(gregorianWeekday: cal.component(.weekday, from: start))
            for slot in (hours.weekly[weekday] ?? []).sorted(by: { $0.start < $1.start }) {
                var parts = cal.dateComponents([.year, .month, .day], from: start)
                parts.hour = slot.start.minutes / 60
                parts.minute = slot.start.minutes % 60
                guard let open = cal.date(from: parts) else { continue }
                parts.hour = slot.end.minutes / 60
                parts.minute = slot.end.minutes % 60
                // A slot ending at 24:00 ends at the next midnight.
                let close = slot.end.minutes >= 24 * 60 ? cal.date(byAdding: .day, value: 1, to: start) : cal.date(from: parts)
                guard let close, close > open else { continue }
                intervals.append((open, close))
            }
        }
        let known = (intervals, cal.date(byAdding: .day, value: 1, to: start))
        days[start] = known
        return known
    }

    /// As `OpeningHours.deadline(after:openMinutes:in:)`, with the days kept for the next call.
    public func deadline(after start: Date, openMinutes minutes: Int) -> Date? {
        var left = TimeInterval(max(0, minutes) * 60)
        var current: Date? = cal.startOfDay(for: start)
        for _ in 0..<60 {
            guard let today = current else { return nil }
            let (intervals, next) = day(today)
            for (open, close) in intervals {
                let from = max(open, start)
                guard close > from else { continue }
                let available = close.timeIntervalSince(from)
                if available >= left { return from.addingTimeInterval(left) }
                left -= available
            }
            current = next
        }
        return nil
    }
}

/// First-response and resolution targets, in minutes of the destination's opening hours, per plan.
public struct ServiceLevel: Hashable, Sendable {
    public var firstResponseMinutes: Int
    public var resolutionMinutes: Int

    public init(firstResponseMinutes: Int, resolutionMinutes: Int) {
        self.firstResponseMinutes = firstResponseMinutes
        self.resolutionMinutes = resolutionMinutes
    }

    /// Cases not yet linked to an agency get the stricter targets: the traveller may be anyone's.
    public static let unidentified = ServiceLevel(firstResponseMinutes: 15, resolutionMinutes: 240)
}
