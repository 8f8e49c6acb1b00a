import Foundation

/// The alerts in force, kept the way CAP means them: an Update replaces the messages it references, a Cancel removes
/// them, a message past its `expires` is gone. Pure: the server keeps the book's entries in its database and applies
/// each new message through here, so SQLite and PostgreSQL servers agree.
public struct AlertBook: Sendable {
    /// A message is named by its sender and identifier (CAP's `references` use both).
    public struct Key: Hashable, Sendable {
        public let sender: String
        public let identifier: String

        public init(sender: String, identifier: String) {
            self.sender = sender
            self.identifier = identifier
        }
    }

    /// What applying a message did.
    public enum Change: Equatable, Sendable {
        /// A new alert: tell whom it concerns.
        case added(Key)
        /// An alert replaced by its update: tell again only with what changed.
        case updated(Key, replacing: [Key], changes: [Field])
        /// Alerts withdrawn: their banners go.
        case cancelled([Key])
        /// Already known, expired on arrival, a test or exercise, or an update of nothing held: nothing to do.
        case ignored(Key, reason: String)
    }

    /// What an update may change that a traveller is told about.
    public enum Field: String, Equatable, Sendable, CaseIterable {
        case severity, urgency, event, headline, instruction, expires, area
    }

    public private(set) var alerts: [Key: CAPAlert]

    public init(alerts: [Key: CAPAlert] = [:]) { self.alerts = alerts }

    public static func key(_ alert: CAPAlert) -> Key { Key(sender: alert.sender, identifier: alert.identifier) }

    /// Applies one message received at `now`.
    public mutating func apply(_ alert: CAPAlert, now: Date) -> Change {
        let key = Self.key(alert)
        guard alert.status == "Actual" else { return .ignored(key, reason: "status \(alert.status)") }
        guard alerts[key] == nil else { return .ignored(key, reason: "already known") }
        let referenced = alert.references.map { Key(sender: $0.sender, identifier: $0.identifier) }
        switch alert.messageType {
        case .cancel:
            let held = referenced.filter { alerts[$0] != nil }
            for old in held { alerts[old] = nil }
            return held.isEmpty ? .ignored(key, reason: "cancels nothing held") : .cancelled(held)
        case .ack, .error:
            return .ignored(key, reason: alert.messageType.rawValue)
        case .alert, .update:
            if let expires = alert.expires, expires <= now { return .ignored(key, reason: "expired") }
            let held = referenced.filter { alerts[$0] != nil }
            let previous = held.compactMap { alerts[$0] }
            for old in held { alerts[old] = nil }
            alerts[key] = alert
            guard alert.messageType == .update, let before = previous.last else { return .added(key) }
            return .updated(key, replacing: held, changes: Self.changes(from: before, to: alert))
        }
    }

    /// Drops what has expired by `now`; returns what was dropped.
    public mutating func expire(now: Date) -> [Key] {
        let gone = alerts.filter { _, alert in alert.expires.map { $0 <= now } ?? false }.map(\.key)
        for key in gone { alerts[key] = nil }
        return gone
    }

    public static func changes(from before: CAPAlert, to after: CAPAlert) -> [Field] {
        let (a, b) = (before.infos.first, after.infos.first)
        var fields: [Field] = []
        if a?.severity != b?.severity { fields.append(.severity) }
        if a?.urgency != b?.urgency { fields.append(.urgency) }
        if a?.event != b?.event { fields.append(.event) }
        if a?.headline != b?.headline { fields.append(.headline) }
        if a?.instruction != b?.instruction { fields.append(.instruction) }
        if before.expires != after.expires { fields.append(.expires) }
        if a?.areas != b?.areas { fields.append(.area) }
        return fields
    }
}

extension CAPAlert {
    /// Worth telling a traveller and bannering in the console (issue 14): severe or extreme, or moderate and immediate,
    /// and not merely unlikely.
    public var warrantsNotice: Bool {
        infos.contains { info in
            info.certainty != .unlikely && (info.severity >= .severe || (info.severity == .moderate && info.urgency == .immediate))
        }
    }

    /// Whether any of its areas covers the point.
    public func covers(_ point: GeoPoint) -> Bool {
        infos.contains { $0.areas.contains { $0.contains(point) } }
    }
}
