import Foundation

/// A JSON value, for schema.org JSON-LD read from a paste and written back out.
public enum JSONValue: Codable, Hashable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
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

/// Extraction of itineraries from pasted confirmations. Deterministic decoders first (schema.org JSON-LD and microdata,
/// IATA boarding passes anywhere in the paste), then the text layer (`TextExtraction`) for flights, stays, cars, transfers,
/// trains, buses and activities in French, English and Portuguese. What two layers find twice is merged.
public enum Extraction {
    public static let maximumInputCharacters = 2_000_000
    public static let maximumReservations = 1_000
    public static let reservationTypes: Set<String> = [
        "FlightReservation", "LodgingReservation", "RentalCarReservation", "TrainReservation",
        "BusReservation", "TaxiReservation", "EventReservation", "FoodEstablishmentReservation"
    ]

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

    public static func extract(_ text: String, contextDate: Date) throws -> [JSONValue] {
        guard text.utf8.count <= maximumInputCharacters else { throw Failure.tooLarge(maximumInputCharacters) }
        var results = jsonLD(in: text) + Microdata.items(in: text)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for pass in BoardingPass.find(in: text) {
            for leg in pass.legs {
                results.append(flightReservation(pass, leg, context: contextDate, calendar: calendar))
            }
        }
        results += TextExtraction.extract(text, context: contextDate)
        // A bounded number: merging is quadratic, and no itinerary holds a thousand reservations.
        let modern = results.prefix(maximumReservations).map(Microdata.modernised)
        let complete = merged(modern.filter(isComplete))
        // Partial reservations (the text layer's, marked `onspotMissing`) when they add a kind the complete ones lack:
        // the agent completes them rather than retyping the document.
        let kinds = Set(complete.compactMap { $0["@type"]?.string })
        let partial = modern.filter { item in item["onspotMissing"] != nil && !kinds.contains(item["@type"]?.string ?? "") }
        return complete + partial
    }

    /// The fields a partial reservation lacks, as the text layer marked them.
    public static func missingFields(of item: JSONValue) -> [String] {
        guard case .array(let names)? = item["onspotMissing"] else { return [] }
        return names.compactMap(\.string)
    }

    /// Reservations in `<script type="application/ld+json">` blocks, or a bare JSON paste; graphs and arrays flattened.
    static func jsonLD(in text: String) -> [JSONValue] {
        var blocks: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "application/ld+json", options: .caseInsensitive),
            let tagEnd = rest[open.upperBound...].firstIndex(of: ">"),
            let close = rest[tagEnd...].range(of: "</script>", options: .caseInsensitive)
        {
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
                "departureAirport": airport(leg.from), "arrivalAirport": airport(leg.to), "departureDay": .string(dayText)
            ]),
            "reservedTicket": .object(["@type": .string("Ticket"), "ticketToken": .string("aztecCode:" + pass.raw)])
        ]
        if !leg.seat.isEmpty { reservation["airplaneSeat"] = .string(leg.seat) }
        if !leg.sequence.isEmpty { reservation["passengerSequenceNumber"] = .string(leg.sequence) }
        return .object(reservation)
    }

    /// A reservation a traveller can use: what it is for, and when.
    static func isComplete(_ item: JSONValue) -> Bool {
        guard let type = item["@type"]?.string, let target = item["reservationFor"] else { return false }
        switch type {
        case "FlightReservation":
            return target["departureAirport"] != nil && target["arrivalAirport"] != nil
                && (target["departureDay"] ?? target["departureTime"]) != nil
        case "LodgingReservation": return item["checkinTime"] != nil && item["checkoutTime"] != nil
        case "RentalCarReservation": return item["pickupTime"] != nil
        case "TaxiReservation": return item["pickupTime"] != nil
        case "TrainReservation", "BusReservation": return target["departureTime"] != nil
        case "EventReservation": return target["startDate"] != nil && target["name"] != nil
        default: return true
        }
    }

    /// The day a reservation starts, for recognising it twice.
    static func startDay(_ item: JSONValue) -> String {
        let target = item["reservationFor"]
        let candidates = [target?["departureDay"], target?["departureTime"], item["checkinTime"], item["pickupTime"], target?["startDate"]]
        for candidate in candidates {
            if let s = candidate?.string { return String(s.prefix(10)) }
            if let s = candidate?["@value"]?.string { return String(s.prefix(10)) }
        }
        return ""
    }

    /// The same reservation found twice (a JSON-LD block and the text or boarding pass it describes) is kept once, the
    /// first finding completed by the later one. Two travellers on one flight stay two reservations.
    static func merged(_ items: [JSONValue]) -> [JSONValue] {
        var kept: [JSONValue] = []
        func key(_ item: JSONValue) -> String {
            [item["@type"]?.string, item["reservationFor"]?["flightNumber"]?.string, item["reservationFor"]?["trainNumber"]?.string].map { $0 ?? "" }
                .joined(separator: "|") + "|" + startDay(item)
        }
        func compatible(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b else { return true }
            return TextScanner.fold(a) == TextScanner.fold(b)
        }
        for item in items {
            if let index = kept.firstIndex(where: { k in
                key(k) == key(item) && compatible(k["reservationNumber"]?.string, item["reservationNumber"]?.string)
                    && compatible(k["underName"]?.personName, item["underName"]?.personName)
                    && (k["reservationFor"]?["flightNumber"] != nil || k["reservationNumber"] != nil || item["reservationNumber"] != nil)
            }) {
                kept[index] = kept[index].completed(by: item)
            } else {
                kept.append(item)
            }
        }
        return kept
    }
}

extension JSONValue {
    /// Missing keys filled from `other`, recursively.
    func completed(by other: JSONValue) -> JSONValue {
        guard case .object(var mine) = self, case .object(let theirs) = other else { return self }
        for (key, value) in theirs {
            if let existing = mine[key] { mine[key] = existing.completed(by: value) } else { mine[key] = value }
        }
        return .object(mine)
    }

    /// A Person's name, or its given and family names joined.
    var personName: String? {
        if let name = self["name"]?.string { return name }
        let parts = [self["givenName"]?.string, self["familyName"]?.string].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
