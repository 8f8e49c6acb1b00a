import Foundation

/// A flight's status as FlightAware AeroAPI v4 gives it: in an alert's callback (`flight`), and in
/// `GET /flights/{ident}` (`flights[]`). Every field is optional: AeroAPI leaves out or nulls what it does not know yet
/// (no gate before it is assigned, no actual times before they happen), and a field we do not read never fails a
/// callback.
public struct FlightStatus: Codable, Equatable, Sendable {
    public struct Airport: Codable, Equatable, Sendable {
        public var code: String?
        public var codeIcao: String?
        public var codeIata: String?
        public var timezone: String?
        public var name: String?
        public var city: String?

        enum CodingKeys: String, CodingKey {
            case code, codeIcao = "code_icao", codeIata = "code_iata", timezone, name, city
        }

        /// A callback writes the airport as its code alone ("LFPG", with `origin_iata` beside it); `GET /flights` as an
        /// object with its zone and name. Both are read.
        public init(from decoder: any Decoder) throws {
            if let code = try? decoder.singleValueContainer().decode(String.self) {
                self.init(code: code)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                code: try c.decodeIfPresent(String.self, forKey: .code), codeIcao: try c.decodeIfPresent(String.self, forKey: .codeIcao),
                codeIata: try c.decodeIfPresent(String.self, forKey: .codeIata), timezone: try c.decodeIfPresent(String.self, forKey: .timezone))
            name = try c.decodeIfPresent(String.self, forKey: .name)
            city = try c.decodeIfPresent(String.self, forKey: .city)
        }

        public init(code: String? = nil, codeIcao: String? = nil, codeIata: String? = nil, timezone: String? = nil) {
            self.code = code
            self.codeIcao = codeIcao
            self.codeIata = codeIata
            self.timezone = timezone
        }

        /// The IATA code when AeroAPI gives one, else its own code (ICAO or an LID).
        public var shownCode: String { codeIata ?? code ?? codeIcao ?? "?" }
    }

    public var ident: String?
    public var identIcao: String?
    public var identIata: String?
    public var faFlightID: String?
    public var origin: Airport?
    public var destination: Airport?
    /// A callback's IATA codes, beside its plain `origin` / `destination` codes.
    public var originIata: String?
    public var destinationIata: String?
    public var cancelled: Bool?
    public var diverted: Bool?
    public var scheduledOut: Date?
    public var estimatedOut: Date?
    public var actualOut: Date?
    public var scheduledOff: Date?
    public var estimatedOff: Date?
    public var actualOff: Date?
    public var scheduledOn: Date?
    public var estimatedOn: Date?
    public var actualOn: Date?
    public var scheduledIn: Date?
    public var estimatedIn: Date?
    public var actualIn: Date?
    /// Seconds, as AeroAPI counts them (negative: early).
    public var departureDelay: Int?
    public var arrivalDelay: Int?
    public var gateOrigin: String?
    public var gateDestination: String?
    public var terminalOrigin: String?
    public var terminalDestination: String?
    public var baggageClaim: String?
    public var status: String?

    enum CodingKeys: String, CodingKey {
        case ident, identIcao = "ident_icao", identIata = "ident_iata", faFlightID = "fa_flight_id", origin, destination
        case originIata = "origin_iata", destinationIata = "destination_iata"
        case cancelled, diverted
        case scheduledOut = "scheduled_out", estimatedOut = "estimated_out", actualOut = "actual_out"
        case scheduledOff = "scheduled_off", estimatedOff = "estimated_off", actualOff = "actual_off"
        case scheduledOn = "scheduled_on", estimatedOn = "estimated_on", actualOn = "actual_on"
        case scheduledIn = "scheduled_in", estimatedIn = "estimated_in", actualIn = "actual_in"
        case departureDelay = "departure_delay", arrivalDelay = "arrival_delay"
        case gateOrigin = "gate_origin", gateDestination = "gate_destination", terminalOrigin = "terminal_origin"
        case terminalDestination = "terminal_destination", baggageClaim = "baggage_claim", status
    }

    public init() {}

    /// The airports' IATA codes when known (as segments name them), else AeroAPI's own codes.
    public var originCode: String? { origin?.codeIata ?? originIata ?? origin?.code }
    public var destinationCode: String? { destination?.codeIata ?? destinationIata ?? destination?.code }

    /// When it leaves the gate, best known: actual, else estimated, else scheduled.
    public var departure: Date? { actualOut ?? estimatedOut ?? actualOff ?? estimatedOff ?? scheduledOut ?? scheduledOff }
    /// When it reaches the gate, best known.
    public var arrival: Date? { actualIn ?? estimatedIn ?? actualOn ?? estimatedOn ?? scheduledIn ?? scheduledOn }
    public var scheduledDeparture: Date? { scheduledOut ?? scheduledOff }
    public var scheduledArrival: Date? { scheduledIn ?? scheduledOn }

    /// Minutes late leaving, from AeroAPI's own count or the times; nil when nothing is known.
    public var departureDelayMinutes: Int? {
        if let seconds = departureDelay { return seconds / 60 }
        guard let scheduled = scheduledDeparture, let best = departure else { return nil }
        return Int(best.timeIntervalSince(scheduled) / 60)
    }

    public var arrivalDelayMinutes: Int? {
        if let seconds = arrivalDelay { return seconds / 60 }
        guard let scheduled = scheduledArrival, let best = arrival else { return nil }
        return Int(best.timeIntervalSince(scheduled) / 60)
    }

    /// The flight as travellers write it, "AF66": the IATA ident when AeroAPI has one.
    public var shownIdent: String { identIata ?? ident ?? identIcao ?? "?" }

    /// AeroAPI writes instants as ISO 8601 in UTC ("2026-12-01T09:20:00Z"); fractions are tolerated.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = LocalDateTime.instant(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date-time: \(text.prefix(40))"))
            }
            return date
        }
        return decoder
    }
}

/// What FlightAware posts to the alerts endpoint when an alert fires (AeroAPI v4 "alert callback"). It carries no
/// signature: the server checks the unguessable token of its callback URL, and the flight against its own watch list.
public struct FlightAwareCallback: Decodable, Equatable, Sendable {
    public var longDescription: String?
    public var shortDescription: String?
    public var summary: String?
    /// "arrival", "cancelled", "departure", "diverted", "filed", "out", "off", "on", "in", "change", "minutes_out"…: an
    /// open set; what happened is read from the flight's fields, the code only names the trigger.
    public var eventCode: String?
    public var alertID: Int64?
    public var flight: FlightStatus

    enum CodingKeys: String, CodingKey {
        case longDescription = "long_description", shortDescription = "short_description", summary, eventCode = "event_code"
        case alertID = "alert_id", flight
    }

    public static let maximumBytes = 64 * 1024

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case tooLarge, notJSON(String)
        public var description: String {
            switch self {
            case .tooLarge: "A FlightAware callback is at most \(FlightAwareCallback.maximumBytes) bytes."
            case .notJSON(let reason): "Not a FlightAware alert callback: \(reason)"
            }
        }
    }

    public static func parse(_ data: Data) throws -> FlightAwareCallback {
        guard data.count <= maximumBytes else { throw ParseError.tooLarge }
        do {
            return try FlightStatus.decoder().decode(FlightAwareCallback.self, from: data)
        } catch let error as DecodingError {
            throw ParseError.notJSON(Self.describe(error))
        } catch {
            throw ParseError.notJSON("unreadable JSON")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "bad value at \(context.codingPath.map(\.stringValue).joined(separator: ".").prefix(80)): \(context.debugDescription.prefix(120))"
        @unknown default: "unreadable JSON"
        }
    }
}

/// `GET /flights/{ident}`: the flights of that ident around now, newest schedule first.
public struct FlightAwareFlights: Decodable, Sendable {
    public var flights: [FlightStatus]

    public static func parse(_ data: Data) throws -> [FlightStatus] {
        guard data.count <= 2_000_000 else { throw FlightAwareCallback.ParseError.tooLarge }
        do {
            return try FlightStatus.decoder().decode(FlightAwareFlights.self, from: data).flights
        } catch let error as DecodingError {
            throw FlightAwareCallback.ParseError.notJSON(FlightAwareCallback.describe(error))
        }
    }
}

/// The flight OnSpot watches for a segment: its ident as AeroAPI searches it, its airports and its scheduled departure.
public struct FlightWatchTarget: Equatable, Sendable {
    /// "AF66": carrier IATA code and number without leading zeros.
    public let ident: String
    public let origin: String
    public let destination: String
    public let departure: Date

    public init(ident: String, origin: String, destination: String, departure: Date) {
        self.ident = ident
        self.origin = origin
        self.destination = destination
        self.departure = departure
    }

    /// A segment's flight, read from its text ("AF 066 Paris CDG → Los Angeles LAX") and its start; nil without a
    /// carrier, a number, two known airports and a time.
    public static func read(text: String, departure: Date?) -> FlightWatchTarget? {
        guard let departure, let flight = RightsBriefing.flight(text: text, departure: departure, arrival: nil),
            let carrier = flight.operatingCarrier, let number = number(after: carrier, in: text),
            let origin = flight.journey.first, let destination = flight.journey.last
        else { return nil }
        return FlightWatchTarget(ident: carrier + number, origin: origin, destination: destination, departure: departure)
    }

    /// The flight number written after the carrier: "AF066", "AF 066", "AF-66" → "66".
    static func number(after carrier: String, in text: String) -> String? {
        let tokens = text.prefix(2_000).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        for (i, token) in tokens.enumerated() where token.uppercased().hasPrefix(carrier) {
            let rest = token.dropFirst(carrier.count)
            let digits = rest.isEmpty && i + 1 < tokens.count ? Substring(tokens[i + 1]) : rest
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let value = Int(digits), value > 0
            else { continue }
            return String(value)
        }
        return nil
    }
}

/// The delays past which a traveller is told, set by an OnSpot admin.
public struct FlightAlertThresholds: Equatable, Sendable {
    public var departureDelayMinutes: Int
    public var arrivalDelayMinutes: Int

    public init(departureDelayMinutes: Int = 60, arrivalDelayMinutes: Int = 60) {
        self.departureDelayMinutes = departureDelayMinutes
        self.arrivalDelayMinutes = arrivalDelayMinutes
    }

    public static let allowedMinutes = 15...720
}

/// A change to a watched flight worth telling the traveller about. Its `key` names it for "once per flight and
/// change": a second callback about the same cancellation, or a delay still within the same hour, has the same key.
public enum FlightDisruption: Equatable, Sendable {
    case cancelled
    case diverted(to: String)
    case departureDelay(minutes: Int)
    case arrivalDelay(minutes: Int)
    case gateChange(from: String, to: String)
    case terminalChange(from: String, to: String)

    public var key: String {
        switch self {
        case .cancelled: "cancelled"
        case .diverted(let to): "diverted:\(to)"
        // A delay growing within the same hour is the same news; crossing into the next hour is told again.
        case .departureDelay(let minutes): "departure_delay:\(minutes / 60)h"
        case .arrivalDelay(let minutes): "arrival_delay:\(minutes / 60)h"
        case .gateChange(_, let to): "gate:\(to)"
        case .terminalChange(_, let to): "terminal:\(to)"
        }
    }

    /// The stored kind (API `event`): cancelled, diverted, departure_delay, arrival_delay, gate_change, terminal_change.
    public var kind: String {
        switch self {
        case .cancelled: "cancelled"
        case .diverted: "diverted"
        case .departureDelay: "departure_delay"
        case .arrivalDelay: "arrival_delay"
        case .gateChange: "gate_change"
        case .terminalChange: "terminal_change"
        }
    }

    /// The passenger-rights event the case's panel opens on.
    public var rightsEvent: DisruptionEvent { self == .cancelled ? .cancellation : .delay }

    /// The same from a stored kind: cancellations and delays have rights; a gate change has none to assess.
    public static func rightsEvent(kind: String) -> DisruptionEvent? {
        switch kind {
        case "cancelled": .cancellation
        case "departure_delay", "arrival_delay", "diverted": .delay
        default: nil
        }
    }

    /// What the status shows against what OnSpot last knew of the flight (its gate and terminal). A gate or terminal is
    /// a change only when one was known before and the flight has not left; a cancelled flight is only cancelled.
    public static func detect(
        _ flight: FlightStatus, knownGate: String?, knownTerminal: String?, thresholds: FlightAlertThresholds
    ) -> [FlightDisruption] {
        if flight.cancelled == true { return [.cancelled] }
        var found: [FlightDisruption] = []
        if flight.diverted == true { found.append(.diverted(to: flight.destinationCode ?? "?")) }
        let departed = flight.actualOut != nil || flight.actualOff != nil
        if !departed, let minutes = flight.departureDelayMinutes, minutes >= thresholds.departureDelayMinutes {
            found.append(.departureDelay(minutes: minutes))
        }
        if flight.diverted != true, let minutes = flight.arrivalDelayMinutes, minutes >= thresholds.arrivalDelayMinutes {
            found.append(.arrivalDelay(minutes: minutes))
        }
        if !departed {
            if let known = clean(knownGate), let now = clean(flight.gateOrigin), known != now { found.append(.gateChange(from: known, to: now)) }
            if let known = clean(knownTerminal), let now = clean(flight.terminalOrigin), known != now {
                found.append(.terminalChange(from: known, to: now))
            }
        }
        return found
    }

    public static func clean(_ text: String?) -> String? {
        let value = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty || value.count > 16 ? nil : value
    }
}
