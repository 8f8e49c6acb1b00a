import Foundation

/// A case's service-level targets (first response, resolution) counted in its destination's opening hours, and
/// whether each was met.
public struct SLAClocks: Sendable, Equatable {
    public let firstResponseDue: Date?
    public let resolutionDue: Date?
    public let firstResponseMet: Bool?
    public let resolutionMet: Bool?

    public init(
        openedAt: Date, firstResponseAt: Date?, resolvedAt: Date?, level: ServiceLevel, hours: OpeningHours, zone: TimeZone
    ) {
        self.init(
            openedAt: openedAt, firstResponseAt: firstResponseAt, resolvedAt: resolvedAt, level: level,
            schedule: OpeningSchedule(hours: hours, zone: zone))
    }

    /// The same on a schedule shared by the cases of a destination (reports compute thousands).
    public init(openedAt: Date, firstResponseAt: Date?, resolvedAt: Date?, level: ServiceLevel, schedule: OpeningSchedule) {
        let first = schedule.deadline(after: openedAt, openMinutes: level.firstResponseMinutes)
        let resolution = schedule.deadline(after: openedAt, openMinutes: level.resolutionMinutes)
        firstResponseDue = first
        resolutionDue = resolution
        firstResponseMet = firstResponseAt.flatMap { at in first.map { at <= $0 } }
        resolutionMet = resolvedAt.flatMap { at in resolution.map { at <= $0 } }
    }

    /// The target an open case is working toward: its first response until it has one, then its resolution. The queue
    /// sorts by it (the earliest first, so breached cases lead), computing one deadline per case instead of two, on a
    /// schedule shared by the cases of a destination.
    public static func nextDue(openedAt: Date, firstResponseAt: Date?, level: ServiceLevel, schedule: OpeningSchedule) -> Date? {
        schedule.deadline(after: openedAt, openMinutes: firstResponseAt == nil ? level.firstResponseMinutes : level.resolutionMinutes)
    }

    /// Overdue now: a target passed with nothing done.
    public func overdue(now: Date) -> Bool {
        (firstResponseMet == nil && (firstResponseDue.map { $0 < now } ?? false))
            || (resolutionMet == nil && (resolutionDue.map { $0 < now } ?? false))
    }
}
