import Foundation

/// What a template's variable is filled with. Every variable but the free text is read from the case, so the expert
/// on a night shift only picks the template and, where there is one, types the update.
public enum TemplateVariable: String, Sendable, CaseIterable, Codable {
    case travellerFirstName = "traveller_first_name"
    case expertFirstName = "expert_first_name"
    case destinationName = "destination_name"
    /// Today's opening hours of the destination's lines, in its own time, with the zone named.
    case destinationHours = "destination_hours"
    case emergencyNumber = "emergency_number"
    case tollFreeNumber = "toll_free_number"
    case tripReference = "trip_reference"
    /// What the expert writes: the one variable not read from the case.
    case freeText = "free_text"
}

/// A WhatsApp message template as approved in Meta's Business Manager: its name, its body in each language with
/// `{{1}}`, `{{2}}`… placeholders, and what fills them. The bodies here are the texts submitted for approval
/// (docs/channels-templates.md), so the thread shows what the traveller reads.
public struct MessageTemplate: Sendable, Equatable {
    public let name: String
    public let variables: [TemplateVariable]

    /// Templates an expert may pick in the console when the 24-hour window is closed.
    public static let expertPicks: [MessageTemplate] = [followUp, caseUpdate, callBack]

    public static let followUp = MessageTemplate(
        name: "onspot_follow_up", variables: [.travellerFirstName, .expertFirstName, .destinationName])
    public static let caseUpdate = MessageTemplate(name: "onspot_case_update", variables: [.travellerFirstName, .freeText])
    public static let callBack = MessageTemplate(
        name: "onspot_call_back", variables: [.travellerFirstName, .tollFreeNumber, .destinationHours, .emergencyNumber])
    /// Sent at resolution outside the window: the satisfaction question with three quick-reply buttons.
    public static let satisfaction = MessageTemplate(name: "onspot_satisfaction", variables: [.travellerFirstName, .destinationName])

    /// Sent by the alerts (issue 14) outside the window: an official weather warning where the traveller is, with
    /// the official instruction and the emergency number.
    public static let weatherAlert = MessageTemplate(
        name: "onspot_weather_alert", variables: [.travellerFirstName, .freeText, .freeText, .emergencyNumber])
    /// A disruption of the traveller's flight: the flight, what changed and the new times, and what OnSpot does now.
    public static let flightDisruption = MessageTemplate(
        name: "onspot_flight_disruption", variables: [.travellerFirstName, .freeText, .freeText])

    public static func named(_ name: String) -> MessageTemplate? {
        (expertPicks + [satisfaction, weatherAlert, flightDisruption]).first { $0.name == name }
    }

    /// The template's language code at Meta: Brazilian Portuguese is registered as `pt_BR`.
    public static func languageCode(_ language: Language) -> String {
        switch language {
        case .fr: "fr"
        case .en: "en"
        case .pt: "pt_BR"
        }
    }

    public func title(_ language: Language) -> String { L10n.t("template.\(name).title", language) }

    /// The approved body with its placeholders.
    public func body(_ language: Language) -> String { L10n.t("template.\(name).body", language) }

    /// The body as the traveller reads it once its parameters, in order, are put in.
    /// One pass over the body, as Meta fills it: a value that itself holds "{{2}}" stays as typed.
    public func render(_ language: Language, parameters: [String]) -> String {
        let body = Array(body(language))
        var text = ""
        var i = 0
        while i < body.count {
            if body[i] == "{", i + 1 < body.count, body[i + 1] == "{", let close = (i + 2..<body.count).first(where: { body[$0] == "}" }),
                close + 1 < body.count, body[close + 1] == "}", let n = Int(String(body[(i + 2)..<close])), n >= 1, n <= parameters.count
            {
                text += parameters[n - 1]
                i = close + 2
            } else {
                text.append(body[i])
                i += 1
            }
        }
        return text
    }

    /// The parameters in the template's order, from the values read from the case and the expert's text.
    public func parameters(from values: [TemplateVariable: String]) -> [String] { variables.map { values[$0] ?? "" } }
}

/// Meta refuses a template parameter that is empty, holds a new line or a tab, or more than four consecutive spaces
/// (error 132018), and limits its length; checked before the send so the expert reads why, not a later failure.
public enum TemplateParameterCheck {
    public static let maximumLength = 1024

    public enum Problem: String, Sendable, Equatable {
        case empty, tooLong = "too_long", lineBreak = "line_break", spaces
    }

    /// A value read from the case or an official text made acceptable rather than the message lost: folded onto one
    /// line (runs of spaces too), `whenEmpty` for nothing, and shortened with an ellipsis past `limit`.
    public static func fitted(_ value: String, limit: Int = maximumLength, whenEmpty: String) -> String {
        let clean = value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !clean.isEmpty else { return whenEmpty }
        return clean.count > limit ? String(clean.prefix(max(0, limit - 1))) + "…" : clean
    }

    public static func problem(_ value: String) -> Problem? {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return .empty }
        if value.count > maximumLength { return .tooLong }
        if value.unicodeScalars.contains(where: { "\n\r\t\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) }) { return .lineBreak }
        if value.contains("     ") { return .spaces }
        return nil
    }
}

extension MessagingWindow {
    /// When the current window closes: 24 h after the traveller's last message for free text, 7 days for
    /// Messenger's human-agent tag; nil when no window is open.
    public static func closes(channel: MessagingChannel, lastInbound: Date?, now: Date) -> Date? {
        guard let last = lastInbound else { return nil }
        switch allowed(channel: channel, lastInbound: last, now: now) {
        case .freeText: return last.addingTimeInterval(24 * 3600)
        case .humanAgentTag: return last.addingTimeInterval(7 * 86400)
        case .templateOnly, .closed: return nil
        }
    }
}

extension OpeningHours {
    /// The day's opening slots at `instant` in the destination's zone, "08:00–12:00, 14:00–20:00"; nil when the lines
    /// are closed all day (a closure day or a day without slots).
    public func slotsText(on instant: Date, in zone: TimeZone) -> String? {
        if isClosureDay(instant, in: zone) { return nil }
        let slots = weekly[Weekday(gregorianWeekday: calendar(zone).component(.weekday, from: instant))] ?? []
        guard !slots.isEmpty else { return nil }
        return slots.map { "\($0.start)–\($0.end)" }.joined(separator: ", ")
    }
}
