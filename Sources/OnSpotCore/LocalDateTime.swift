import Foundation
import Synchronization

/// Converting between instants and a wall clock in an IANA zone, as forms and pages need.
public enum LocalDateTime {
    /// Instants between 1900 and 2200: what any trip, message or payment can carry. Anything else from input is refused
    /// before it reaches a database driver (PostgresNIO traps on dates past year ~292,000).
    public static let plausibleRange = Date(timeIntervalSince1970: -2_208_988_800)...Date(timeIntervalSince1970: 7_258_118_400)

    public static func plausible(_ date: Date) -> Bool { plausibleRange.contains(date) }

    /// Parses an HTML `datetime-local` value ("2026-12-01T10:00" or with seconds) in the given zone.
    /// A wall time skipped by a daylight-saving jump is refused rather than silently moved.
    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let halves = trimmed.split(separator: "T")
        guard halves.count == 2, let date = CivilDate(String(halves[0])) else { return nil }
        let time = halves[1].split(separator: ":")
        guard time.count == 2 || time.count == 3, time.allSatisfy({ $0.count == 2 }),
            let h = Int(time[0]), let m = Int(time[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        let s = time.count == 3 ? Int(time[2]) ?? -1 : 0
        guard (0..<60).contains(s) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let parts = DateComponents(year: date.year, month: date.month, day: date.day, hour: h, minute: m, second: s)
        guard let instant = cal.date(from: parts) else { return nil }
        let back = cal.dateComponents([.hour, .minute], from: instant)
        guard back.hour == h, back.minute == m else { return nil }
        return instant
    }

    /// The `datetime-local` value of an instant in a zone, for prefilling forms.
    public static func inputValue(_ instant: Date, in zone: TimeZone) -> String {
        let p = components(instant, zone)
        return String(format: "%04d-%02d-%02dT%02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!)
    }

    /// ISO8601DateFormatter is thread-safe and costly to build: one of each, shared.
    nonisolated(unsafe) static let isoPlain: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()
    nonisolated(unsafe) static let isoFractional: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()

    /// An instant written in ISO 8601 with an offset or Z ("2026-12-01T10:00:00-05:00", fractions allowed), as APIs and
    /// providers write them; nil for anything else, or longer than 40 characters.
    public static func instant(_ text: String) -> Date? {
        guard text.count <= 40 else { return nil }
        return isoPlain.date(from: text) ?? isoFractional.date(from: text)
    }

    /// An instant in UTC, "2026-12-01T09:20:00Z".
    public static func utc(_ instant: Date) -> String { isoPlain.string(from: instant) }

    /// ISO 8601 with the zone's offset, e.g. "2026-12-01T10:00:00-05:00".
    public static func iso8601(_ instant: Date, in zone: TimeZone) -> String {
        let p = components(instant, zone)
        let offset = zone.secondsFromGMT(for: instant)
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!,
            p.second!, sign, a / 3600, (a % 3600) / 60)
    }

    /// A readable date and time in the user's language: "lun. 1 déc. 2026, 10:00 (America/New_York)".
    public static func display(_ instant: Date, in zone: TimeZone, language: Language, withZone: Bool = true) -> String {
        let text = displayFormatter(zone: zone, language: language).string(from: instant)
        return withZone ? "\(text) (\(zone.identifier))" : text
    }

    /// One formatter per zone and language, kept: creating one opens an ICU formatter, which cost a page of 150
    /// trips an eighth of its time. Foundation's DateFormatter guards its state with a lock, so sharing is safe.
    /// Zones and languages are few (the destinations' and the agencies'), so the map stays small.
    private static let displayFormatters = Mutex<[String: DateFormatter]>([:])

    private static func displayFormatter(zone: TimeZone, language: Language) -> DateFormatter {
        let key = "\(language.rawValue) \(zone.identifier)"
        return displayFormatters.withLock { kept in
            if let formatter = kept[key] { return formatter }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: language.localeIdentifier)
            formatter.timeZone = zone
            formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
            kept[key] = formatter
            return formatter
        }
    }

    public static func displayTime(_ instant: Date, in zone: TimeZone) -> String {
        let p = components(instant, zone)
        return String(format: "%02d:%02d", p.hour!, p.minute!)
    }

    private static func components(_ instant: Date, _ zone: TimeZone) -> DateComponents {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
    }
}

extension Language {
    public var localeIdentifier: String {
        switch self {
        case .fr: "fr_FR"
        case .en: "en_GB"
        case .pt: "pt_BR"
        }
    }
}

/// Time zones by IANA name, checked before Foundation sees them: given a name that starts like "GMT+" or "UTC+",
/// Foundation parses the offset itself and traps on malformed ones ("GMT+01:/0"), which would stop the whole process.
/// Every zone name that comes from outside (a form, the API, a stored row, extracted text) goes through here. The
/// system's list (from ICU) leaves out names Foundation still resolves (Asia/Kolkata, Etc/UTC, US/Eastern), so names of
/// the Area/Location shape are accepted too; offset names only in their strict forms.
public enum TimeZones {
    static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC", "GMT"])
    static let offsetName = #"^(GMT|UTC)[+-][0-9]{2}(:?[0-9]{2})?$"#
    static let areaName = #"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$"#
    /// Names Foundation reads as an offset: only the strict `offsetName` forms of them reach it.
    static let offsetLike = #"^(GMT|UTC|UT)[^A-Za-z/]"#

    public static func named(_ identifier: String) -> TimeZone? {
        guard identifier.utf8.count <= 64 else { return nil }
        if known.contains(identifier) { return TimeZone(identifier: identifier) }
        if let cached = resolved.withLock({ $0[identifier] }) { return cached }
        let zone = checked(identifier)
        // The names met are few (the shipped tables' and the agencies'): kept, up to a bound, to skip the patterns.
        resolved.withLock { if $0.count < 2_000 { $0[identifier] = zone } }
        return zone
    }

    static let resolved = Mutex<[String: TimeZone?]>([:])

    static func checked(_ identifier: String) -> TimeZone? {
        if identifier.range(of: offsetName, options: .regularExpression) != nil { return TimeZone(identifier: identifier) }
        guard identifier.range(of: areaName, options: .regularExpression) != nil,
            identifier.range(of: offsetLike, options: .regularExpression) == nil
        else { return nil }
        return TimeZone(identifier: identifier)
    }
}
