import Foundation

/// A JSON value, for schema.org JSON-LD read from a paste and written back out.
public enum JSONValue: Codable, Hashable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
}

/// Extraction of itineraries from pasted confirmations. Deterministic decoders first: schema.org JSON-LD blocks and IATA
/// boarding passes anywhere in the paste. Text extraction for flights, stays, cars, transfers, trains and activities in
/// French, English and Portuguese is the next layer (issue 7).
public enum Extraction {
    public static let maximumInputCharacters = 2_000_000
    public static let reservationTypes: Set<String> = ["FlightReservation", "LodgingReservation", "RentalCarReservation", "TrainReservation",
                                                       "BusReservation", "TaxiReservation", "EventReservation", "FoodEstablishmentReservation"]

    public enum Failure: Error, Equatable, Sendable { case tooLarge(Int) }

    /// "2018-11-01" → noon UTC that day: the day a document was received, from which years are inferred.
    public static func contextDate(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: y, month: m, day: d, hour: 12)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    public static func extract(_ text: String, contextDate: Date = Date()) throws -> [JSONValue] {
        guard text.utf8.count <= maximumInputCharacters else { throw Failure.tooLarge(maximumInputCharacters) }
        var results = jsonLD(in: text)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for pass in BoardingPass.find(in: text) {
            for leg in pass.legs {
                results.append(flightReservation(pass, leg, context: contextDate, calendar: calendar))
            }
        }
        return dedupe(results)
    }

    /// Reservations in `<script type="application/ld+json">` blocks, or a bare JSON paste; graphs and arrays flattened.
    static func jsonLD(in text: String) -> [JSONValue] {
        var blocks: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "application/ld+json", options: .caseInsensitive),
              let tagEnd = rest[open.upperBound...].firstIndex(of: ">"),
              let close = rest[tagEnd...].range(of: "</script>", options: .caseInsensitive) {
            blocks.append(String(rest[rest.index(after: tagEnd)..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if blocks.isEmpty, trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { blocks.append(trimmed) }
        var found: [JSONValue] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(visit)
            case .object(let o):
                if let graph = o["@graph"] { visit(graph) }
                if let type = o["@type"]?.string, reservationTypes.contains(type) { found.append(value) }
            default: break
            }
        }
        for block in blocks {
            // Some pages ship a trailing comma or HTML comments: try as is, then without them.
            let cleaned = block.replacingOccurrences(of: "<!--", with: "").replacingOccurrences(of: "-->", with: "")
            for candidate in [block, cleaned, cleaned.replacingOccurrences(of: #",\s*([}\]])"#, with: "$1", options: .regularExpression)] {
                if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(candidate.utf8)) { visit(value); break }
            }
        }
        return found
    }

    static func flightReservation(_ pass: BoardingPass, _ leg: BoardingPass.Leg, context: Date, calendar: Calendar) -> JSONValue {
        let day = pass.date(of: leg, context: context, calendar: calendar)
        let dayText = String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
        func airport(_ code: String) -> JSONValue {
            var o: [String: JSONValue] = ["@type": .string("Airport"), "iataCode": .string(code)]
            if let a = ReferenceData.airports[code] { o["name"] = .string(a.name) }
            return .object(o)
        }
        var reservation: [String: JSONValue] = [
            "@context": .string("http://schema.org"), "@type": .string("FlightReservation"),
            "reservationNumber": .string(leg.pnr),
            "underName": .object(["@type": .string("Person"), "familyName": .string(pass.names.family), "givenName": .string(pass.names.given)]),
            "reservationFor": .object([
                "@type": .string("Flight"), "flightNumber": .string(leg.flightNumber),
                "airline": .object(["@type": .string("Airline"), "iataCode": .string(leg.carrier)]),
                "departureAirport": airport(leg.from), "arrivalAirport": airport(leg.to), "departureDay": .string(dayText),
            ]),
            "reservedTicket": .object(["@type": .string("Ticket"), "ticketToken": .string("aztecCode:" + pass.raw)]),
        ]
        if !leg.seat.isEmpty { reservation["airplaneSeat"] = .string(leg.seat) }
        if !leg.sequence.isEmpty { reservation["passengerSequenceNumber"] = .string(leg.sequence) }
        return .object(reservation)
    }

    /// The same reservation found twice (a JSON-LD block and the boarding pass it describes) is kept once.
    static func dedupe(_ items: [JSONValue]) -> [JSONValue] {
        var seen = Set<String>()
        return items.filter { item in
            let key = [item["@type"]?.string, item["reservationNumber"]?.string, item["reservationFor"]?["flightNumber"]?.string,
                       item["reservationFor"]?["departureDay"]?.string].map { $0 ?? "" }.joined(separator: "|")
            return key == "|||" || seen.insert(key).inserted
        }
    }
}
