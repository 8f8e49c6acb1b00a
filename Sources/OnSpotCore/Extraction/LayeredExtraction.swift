import Foundation

/// Which layer of extraction found a reservation: our own (`Extraction`), KDE's KItinerary, or both.
public enum ExtractionLayer: String, Codable, Sendable, CaseIterable {
    case onspot, kitinerary
}

/// KItinerary picks its provider scripts by the email's sender, which a paste does not have: the provider is inferred
/// from the paste instead (its name or a domain of it, a carrier code of its flights, the sender of a saved email),
/// and its scripts are named to `kitinerary-extractor -e`.
public enum KItineraryHints {
    public struct Extractor: Sendable {
        public var id: String
        public var base: String
        public var mediaType: String
        var carriers: [String]
        var words: [String]
        var domains: [String]
        /// A name that is also a common word ("booking"): it names the provider in an address only.
        var nameInAddressOnly: Bool
    }

    /// The extractors of KItinerary 22.12 (Debian 12's), with the signals that name each provider.
    public static let extractors: [Extractor] = ReferenceData.rows("kitinerary-extractors").compactMap { fields in
        guard fields.count >= 2 else { return nil }
        let signals = fields.count > 2 ? fields[2].split(separator: ",").map(String.init) : []
        func values(_ prefix: String) -> [String] { signals.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
        let base = String(fields[0].split(separator: ":").first ?? "")
        return Extractor(
            id: fields[0], base: base, mediaType: fields[1], carriers: values("iata:"),
            words: values("word:").map { fold($0) }, domains: values("domain:"), nameInAddressOnly: values("only:").contains("domain"))
    }

    /// Inputs a pasted or read text can feed: KItinerary's scripts for mail bodies and their documents.
    static let textTypes: Set<String> = ["text/plain", "text/html", "application/pdf", "application/vnd.apple.pkpass", "message/rfc822"]

    /// The ids of the extractors whose provider the text (or the sender's address) names, for `-e`; empty when none is.
    public static func extractors(for text: String, sender: String? = nil) -> [String] {
        let sample = String(text.prefix(200_000))
        let words = Set(tokens(sample))
        let joined = joinedWords(tokens(sample))
        var domainTokens = Set<String>()
        var domains = Set<String>()
        for address in addresses(in: sample) + (sender.map { [$0] } ?? []) {
            let host = address.split(separator: "@").last.map(String.init)?.lowercased() ?? address.lowercased()
            domains.insert(host)
            if let name = registeredName(host) { domainTokens.insert(name.replacingOccurrences(of: "-", with: "")) }
        }
        let carriers = carrierCodes(in: sample)
        var bases = Set<String>()
        for extractor in extractors where !bases.contains(extractor.base) {
            let name = extractor.base.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
            let named =
                domainTokens.contains(name)
                || (name.count >= 4 && !extractor.nameInAddressOnly && (words.contains(name) || joined.contains(name)))
                || extractor.words.contains { phrase in
                    phrase.contains(" ") ? joined.contains(phrase.replacingOccurrences(of: " ", with: "")) : words.contains(phrase)
                }
                || extractor.domains.contains { domain in domains.contains { $0 == domain || $0.hasSuffix("." + domain) } }
                || extractor.carriers.contains { carriers.contains($0) }
            if named { bases.insert(extractor.base) }
        }
        return extractors.filter { bases.contains($0.base) && textTypes.contains($0.mediaType) }.map(\.id)
    }

    /// The name a domain was registered under: "booking.eurowings.com" → "eurowings", "nationalrail.co.uk" → "nationalrail".
    static func registeredName(_ host: String) -> String? {
        var labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return nil }
        labels.removeLast()
        if labels.count >= 2, ["co", "com", "org", "net", "gov", "ac", "gob"].contains(labels[labels.count - 1]) { labels.removeLast() }
        return labels.last
    }

    /// Lower-case words without accents.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
    }

    static func tokens(_ text: String) -> [String] {
        fold(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// Two and three adjacent words written together ("Air France" → "airfrance"), as extractor names are.
    static func joinedWords(_ tokens: [String]) -> Set<String> {
        var joined = Set<String>()
        for i in tokens.indices {
            if i + 1 < tokens.count { joined.insert(tokens[i] + tokens[i + 1]) }
            if i + 2 < tokens.count { joined.insert(tokens[i] + tokens[i + 1] + tokens[i + 2]) }
        }
        return joined
    }

    /// Addresses and host names, bounded and possessive: no backtracking across labels on a long run of "1.1.1.".
    private static let addressPattern = Pattern(
        #"(?<![A-Za-z0-9._%+-])(?:[A-Za-z0-9._%+-]{1,64}@)?(?:[A-Za-z0-9-]{1,63}\.){1,10}+[A-Za-z]{2,6}\b"#)
    private static let flightPattern = Pattern(#"\b([A-Z][A-Z0-9]|[0-9][A-Z])\s?[0-9]{1,4}\b"#, caseInsensitive: false)

    static func addresses(in text: String) -> [String] {
        addressPattern.matches(text).prefix(200).compactMap { $0.group(0, in: text) }.filter { $0.contains(".") }
    }

    static func carrierCodes(in text: String) -> Set<String> {
        Set(flightPattern.matches(text).prefix(500).compactMap { $0.group(1, in: text) })
    }
}

/// Our layer and KItinerary's, merged reservation by reservation and field by field: what both found is confirmed, what
/// one missed the other fills, and where they disagree ours is kept and theirs shown beside it for the review.
public enum LayeredExtraction {
    public struct Finding: Sendable, Equatable {
        public var reservation: JSONValue
        public var foundBy: Set<ExtractionLayer>
        /// The fields where KItinerary read another value than ours ("reservationFor.departureTime": its value).
        public var alternatives: [String: String]
    }

    /// The fields compared, by reservation type (those the evaluation scores).
    public static let comparedFields: [String: [String]] = [
        "FlightReservation": [
            "reservationFor.flightNumber", "reservationFor.airline.iataCode", "reservationFor.departureAirport.iataCode",
            "reservationFor.arrivalAirport.iataCode", "reservationFor.departureTime", "reservationFor.arrivalTime", "reservationNumber"
        ],
        "LodgingReservation": ["reservationFor.name", "checkinTime", "checkoutTime", "reservationNumber"],
        "RentalCarReservation": ["pickupTime", "dropoffTime", "pickupLocation.name", "reservationNumber"],
        "TaxiReservation": ["pickupTime", "pickupLocation.name", "reservationNumber"],
        "TrainReservation": [
            "reservationFor.trainNumber", "reservationFor.departureStation.name", "reservationFor.arrivalStation.name",
            "reservationFor.departureTime", "reservationFor.arrivalTime", "reservationNumber"
        ],
        "BusReservation": [
            "reservationFor.busNumber", "reservationFor.departureBusStop.name", "reservationFor.arrivalBusStop.name",
            "reservationFor.departureTime", "reservationFor.arrivalTime", "reservationNumber"
        ],
        "EventReservation": ["reservationFor.name", "reservationFor.startDate", "reservationNumber"]
    ]

    /// KItinerary's output read as reservations of ours: dates in `@value` objects kept (the proposals read them), older
    /// Google names modernised, only reservations a traveller can use.
    public static func reservations(fromKItinerary data: Data) -> [JSONValue] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data), case .array(let items) = value else { return [] }
        return items.prefix(maximumReservations).filter { $0["@type"]?.string.map { Extraction.reservationTypes.contains($0) } == true }
            .map(Microdata.modernised).filter(Extraction.isComplete).map(withoutNUL).map(withoutExtras)
    }

    /// What the proposals do not read and is not kept: tickets' barcodes, loyalty numbers, prices, links.
    static let extras: Set<String> = [
        "reservedTicket", "programMembershipUsed", "totalPrice", "price", "priceCurrency", "potentialAction", "url", "modifiedTime",
        "modifyReservationUrl", "cancelReservationUrl", "checkinUrl"
    ]

    static func withoutExtras(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else { return value }
        for key in extras { o[key] = nil }
        return .object(o)
    }

    /// The most reservations kept from one document (a long itinerary has tens).
    public static let maximumReservations = 200

    /// A NUL in a value (an escaped "\u0000") would be refused by PostgreSQL once a proposal is accepted.
    static func withoutNUL(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): s.contains("\u{0}") ? .string(s.replacingOccurrences(of: "\u{0}", with: "")) : value
        case .array(let a): .array(a.map(withoutNUL))
        case .object(let o): .object(o.mapValues(withoutNUL))
        default: value
        }
    }

    public static func merge(ours: [JSONValue], theirs: [JSONValue]) -> [Finding] {
        var findings = ours.map { Finding(reservation: $0, foundBy: [.onspot], alternatives: [:]) }
        var paired = Set<Int>()
        for their in theirs {
            // Of ours that could be the same booking, the one agreeing on most fields (two transfers on one day pair by
            // their times and places, not by their order).
            let candidates = findings.indices.filter { i in
                !paired.contains(i) && findings[i].foundBy == [.onspot] && same(findings[i].reservation, their)
            }
            let match = candidates.max { a, b in agreements(findings[a].reservation, their) < agreements(findings[b].reservation, their) }
            guard let i = match else {
                findings.append(Finding(reservation: their, foundBy: [.kitinerary], alternatives: [:]))
                continue
            }
            paired.insert(i)
            let ours = findings[i].reservation
            // Ours partial, theirs complete: theirs is the reading, ours fills what it lacks.
            if ours["onspotMissing"] != nil, case .object(var mine) = ours {
                mine["onspotMissing"] = nil
                var reading = their.completed(by: .object(mine))
                // What neither layer found stays to complete.
                if !Extraction.isComplete(reading), case .object(var o) = reading {
                    o["onspotMissing"] = ours["onspotMissing"]
                    reading = .object(o)
                }
                findings[i] = Finding(reservation: reading, foundBy: [.onspot, .kitinerary], alternatives: [:])
                continue
            }
            var alternatives: [String: String] = [:]
            for field in comparedFields[ours["@type"]?.string ?? ""] ?? [] {
                guard let mine = value(ours, field), let other = value(their, field), !agree(mine, other, field: field) else { continue }
                alternatives[field] = other
            }
            findings[i] = Finding(reservation: ours.completed(by: their), foundBy: [.onspot, .kitinerary], alternatives: alternatives)
        }
        return findings
    }

    /// How many compared fields two readings give alike.
    static func agreements(_ a: JSONValue, _ b: JSONValue) -> Int {
        (comparedFields[a["@type"]?.string ?? ""] ?? []).filter { field in
            guard let x = value(a, field), let y = value(b, field) else { return false }
            return agree(x, y, field: field)
        }.count
    }

    /// The same reservation: same type, same first day, and the same flight or train when both name one.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard a["@type"]?.string == b["@type"]?.string else { return false }
        // A partial reservation of ours may lack its start: the same booking reference, or the same end, pairs it.
        if a["onspotMissing"] != nil, Extraction.startDay(a).isEmpty {
            if let x = value(a, "reservationNumber"), let y = value(b, "reservationNumber") { return agree(x, y, field: "reservationNumber") }
            let ends = ["checkoutTime", "dropoffTime", "reservationFor.arrivalTime"]
            return ends.contains { field in
                guard let x = value(a, field), let y = value(b, field) else { return false }
                return x.prefix(10) == y.prefix(10)
            }
        }
        guard Extraction.startDay(a) == Extraction.startDay(b) else { return false }
        for field in ["reservationFor.flightNumber", "reservationFor.trainNumber", "reservationFor.busNumber"] {
            if let x = value(a, field), let y = value(b, field), !agree(x, y, field: field) { return false }
        }
        return true
    }

    static func value(_ item: JSONValue, _ path: String) -> String? {
        var current: JSONValue? = item
        for key in path.split(separator: ".") {
            if case .array(let items)? = current { current = items.first }
            current = current?[String(key)]
        }
        if let s = current?.string { return s.isEmpty ? nil : s }
        if let s = current?["@value"]?.string { return s.isEmpty ? nil : s }
        if case .number(let n)? = current { return String(Int64(exactly: n.rounded()) ?? 0) }
        return nil
    }

    /// Equal as a reader means it: case, spaces and leading zeros of numbers aside; times to the minute.
    static func agree(_ a: String, _ b: String, field: String) -> Bool {
        func norm(_ s: String) -> String {
            var text = KItineraryHints.fold(s).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if field.hasSuffix("Number") { text = String(text.drop { $0 == "0" }) }
            if field.hasSuffix("Time") || field.hasSuffix("Date") { text = String(text.prefix(16)) }
            return text
        }
        return norm(a) == norm(b)
    }
}
