import Foundation

/// A segment of an itinerary as typed in the portal or sent by an agency's system: texts, not yet checked.
public struct SegmentDraft: Sendable {
    public var kind: String?
    public var title: String?
    /// Local date and time in `timeZone` ("2026-07-01T10:00", seconds optional); an explicit offset
    /// ("2026-07-01T10:00:00-04:00") is read as that instant.
    public var startsAt: String?
    public var endsAt: String?
    /// IANA zone of the times; nil: `defaultZone`.
    public var timeZone: String?
    public var location: String?
    public var supplier: String?
    public var confirmation: String?
    public var details: String?
    /// On an update, the stored instants of times the change leaves out: kept as they are, not re-read from text.
    public var keptStart: Date?
    public var keptEnd: Date?

    public init(
        kind: String? = nil, title: String? = nil, startsAt: String? = nil, endsAt: String? = nil, timeZone: String? = nil,
        location: String? = nil, supplier: String? = nil, confirmation: String? = nil, details: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.location = location
        self.supplier = supplier
        self.confirmation = confirmation
        self.details = details
    }
}

/// A segment that passed `SegmentValidation`: a known kind, a title, times that exist in their zone, in order.
public struct ValidSegment: Sendable, Equatable {
    public let kind: SegmentKind
    public let title: String
    public let startsAt: Date?
    public let endsAt: Date?
    public let zone: TimeZone
    public let location: String?
    public let supplier: String?
    public let confirmation: String?
    public let details: String?
}

/// The rules of an itinerary segment, the same for the portal's form and the API. Errors carry message keys.
public enum SegmentValidation {
    public static let limits = (title: 200, location: 300, supplier: 200, confirmation: 100, details: 4000, timeZone: 64)

    public static func validate(_ draft: SegmentDraft, defaultZone: TimeZone) -> (ValidSegment?, [FieldError]) {
        var errors: [FieldError] = []
        let kind = SegmentKind(rawValue: draft.kind ?? "")
        if kind == nil { errors.append(FieldError(field: "kind", message: "error.choice")) }
        // Lengths count Unicode scalars, as JSON Schema's maxLength does (never fewer than the characters).
        func check(_ value: String?, _ field: String, required: Bool, _ limit: Int) {
            if let value, value.unicodeScalars.count > limit {
                errors.append(FieldError(field: field, message: "error.too_long"))
            } else {
                errors.append(TextField.check(value, field: field, required: required, limit: limit))
            }
        }
        check(draft.title, "title", required: true, limits.title)
        let title = (draft.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var zone = defaultZone
        if let name = draft.timeZone?.nilIfBlank {
            if name.count <= limits.timeZone, let known = TimeZones.named(name) {
                zone = known
            } else {
                errors.append(FieldError(field: "timeZone", message: "error.timezone"))
            }
        }
        func instant(_ text: String?, _ field: String) -> Date? {
            guard let text = text?.nilIfBlank else { return nil }
            // Years 1900 to 2199 (`LocalDateTime.plausible`): what the output writes back must read again.
            guard text.count <= 40, let date = localOrOffset(text, in: zone), LocalDateTime.plausible(date) else {
                errors.append(FieldError(field: field, message: "error.datetime"))
                return nil
            }
            return date
        }
        let start = draft.startsAt == nil ? draft.keptStart : instant(draft.startsAt, "startsAt")
        let end = draft.endsAt == nil ? draft.keptEnd : instant(draft.endsAt, "endsAt")
        if let start, let end, end < start { errors.append(FieldError(field: "endsAt", message: "segment.error.end_before_start")) }
        check(draft.location, "location", required: false, limits.location)
        check(draft.supplier, "supplier", required: false, limits.supplier)
        check(draft.confirmation, "confirmation", required: false, limits.confirmation)
        check(draft.details, "details", required: false, limits.details)
        guard errors.isEmpty, let kind else { return (nil, errors) }
        return (
            ValidSegment(
                kind: kind, title: title, startsAt: start, endsAt: end, zone: zone, location: draft.location?.nilIfBlank,
                supplier: draft.supplier?.nilIfBlank, confirmation: draft.confirmation?.nilIfBlank, details: draft.details?.nilIfBlank),
            []
        )
    }

    /// The one shape a segment's time may take (ASCII digits only, nothing around it).
    static let timeShape = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?$"#

    /// "2026-07-01T10:00" in `zone`, or "2026-07-01T10:00:00-04:00" / "…Z" as that instant.
    static func localOrOffset(_ text: String, in zone: TimeZone) -> Date? {
        guard text.range(of: timeShape, options: .regularExpression) != nil else { return nil }
        guard let t = text.firstIndex(of: "T") else { return nil }
        let time = text[t...]
        if text.hasSuffix("Z") {
            return LocalDateTime.parse(String(text.dropLast()), in: TimeZone(identifier: "UTC") ?? zone)
        }
        if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = text[text.index(after: sign)...].split(separator: ":")
            guard offset.count == 2, offset.allSatisfy({ $0.count == 2 }), let h = Int(offset[0]), let m = Int(offset[1]), h <= 18, m < 60,
                let utc = TimeZone(identifier: "UTC"), let local = LocalDateTime.parse(String(text[..<sign]), in: utc)
            else { return nil }
            let seconds = TimeInterval((h * 60 + m) * 60) * (text[sign] == "-" ? -1 : 1)
            return local.addingTimeInterval(-seconds)
        }
        return LocalDateTime.parse(text, in: zone)
    }
}

extension String {
    /// At most `count` Unicode scalars (the unit JSON Schema's maxLength counts), cut at a scalar boundary.
    public func prefix(scalars count: Int) -> String {
        unicodeScalars.count <= count ? self : String(String.UnicodeScalarView(unicodeScalars.prefix(count)))
    }

    /// nil for an empty or blank text.
    var nilIfBlank: String? { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self }
}
