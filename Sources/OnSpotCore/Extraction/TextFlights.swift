import Foundation

/// Flights in text: GDS segment lines ("3  AF 022 Y 15MAR 1 CDGJFK HK2  1030 1305"), and blocks opened by a flight number
/// whose departure and arrival are read from labels ("Départ", "Arrival", "Saída"), arrows, or their order.
extension TextExtraction {
    private static let flightNumber = Pattern(#"(?<![A-Za-z0-9/\-])([A-Z][A-Z0-9]|[0-9][A-Z])\s?(\d{1,4})(?![0-9A-Za-z])"#, caseInsensitive: false)
    private static let flightWord = Pattern(#"\b(vol|flight|voo|flug|flt)\b"#)
    private static let notAFlightLine = Pattern(
        #"\b(operated|operate|opere|operado|equipment|equipement|aircraft|appareil|aeronave|seat|siege|assento|billet|ticket|bilhete)\b"#)
    /// Sabre, Amadeus, Galileo and Worldspan segment lines: times in 24 hours or 12 (Worldspan's "1035A", "200P"), an
    /// arrival on a later day written "+1" or "#" (Galileo's next-day mark).
    private static let gdsSegment = Pattern(
        #"^\s*(?:\d{1,2}\.?\s+)?([A-Z0-9]{2})\s*(\d{1,4})\s*[A-Z]\s+(\d{1,2})([A-Z]{3})\s+(?:\d\s+|[A-Z]{2}\s+)?([A-Z]{3})\s?([A-Z]{3})\s+[A-Z]{2}\d{0,2}\s+(\d{3,4}[APN]?)\s+(#?\d{3,4}[APN]?)(?:\s*\+(\d))?(?:\s+(\d{1,2})([A-Z]{3}))?"#,
        caseInsensitive: false)
    private static let airlineLocator = Pattern(#"\b([A-Z0-9]{2})/([A-Z0-9]{6})\b"#, caseInsensitive: false)
    private static let bareCode = Pattern(#"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])"#, caseInsensitive: false)
    private static let departureLabel = Pattern(#"(?<![a-z])(departure|departs|depart|departing|dep|saida|partida|embarque|from)(?![a-z])\.?\s*:?"#)
    private static let arrivalLabel = Pattern(#"(?<![a-z])(arrival|arrives|arrive|arriving|arrivee|arr|chegada|desembarque)(?![a-z])\.?\s*:?"#)
    private static let arrow = Pattern(#"->|\sto\s|\s>\s"#)
    private static let duration = Pattern(#"\b(duration|duree|duracao|temps de vol|flight time)\b"#)
    private static let notAirports: Set<String> = [
        "THE", "AND", "FOR", "NON", "ONE", "TWO", "DAY", "VIA", "NOT", "ALL", "MRS", "PAX", "TAX",
        "FEE", "USD", "EUR", "CAD", "AUD", "BRL", "MXN", "NZD", "GBP", "REF", "PNR", "VOL", "SEG", "OUT", "RET",
        "AIR", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "JAN", "FEB", "MAR", "APR", "MAY",
        "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", "LIN", "BUS", "CAR", "ECO", "YES"
    ]

    struct FlightAnchor { let line: Int; let carrier: String; let number: String; let range: NSRange }

    static func flightAnchors(in document: Document) -> [FlightAnchor] {
        var anchors: [FlightAnchor] = []
        for (index, line) in document.lines.enumerated() where gdsSegment.first(line.text) == nil {
            for m in flightNumber.matches(line.text) {
                let carrier = m.group(1, in: line.text)!
                let from = max(0, m.range.location - 60)
                let before = (line.folded as NSString).substring(with: NSRange(location: from, length: m.range.location - from))
                guard notAFlightLine.first(before) == nil else { continue }
                let keyword = flightWord.first(String(before.suffix(14))) != nil
                guard ReferenceData.airlines[carrier] != nil || keyword, carrier.contains(where: \.isLetter) else { continue }
                guard let flight = asciiNumber(m.group(2, in: line.text)) else { continue }
                anchors.append(FlightAnchor(line: index, carrier: carrier, number: String(flight), range: m.range))
                break
            }
            // "DELTA 85", "Qantas 11" alone on a line: the airline's name for its code.
            if anchors.last?.line != index, let m = namedFlight.first(line.text), let name = m.group(1, in: line.text),
                let carrier = airlineCodes[TextScanner.fold(name)], let flight = asciiNumber(m.group(2, in: line.text))
            {
                anchors.append(FlightAnchor(line: index, carrier: carrier, number: String(flight), range: m.range(at: 2)))
            }
        }
        return anchors
    }

    private static let namedFlight = Pattern(#"^\s*(?:(?:vol|flight|voo)\s+)?([A-Za-z][A-Za-z ]{1,30}?)\s+(\d{1,4})\s*$"#)

    /// Airlines by their names as confirmations write them: the whole name, and its first word when that is distinctive
    /// ("Delta Air Lines" → "delta"; not "Air" or "American"). A first word two airlines share goes to the shorter name
    /// ("LATAM" is LATAM Airlines, not LATAM Airlines Brasil), in a fixed order: a dictionary's own order changes with
    /// every process.
    static let airlineCodes: [String: String] = {
        var codes: [String: String] = [:]
        let vague: Set<String> = ["air", "american", "united", "national", "royal", "the", "china", "south", "all", "aero"]
        let ordered = ReferenceData.airlines.sorted { ($0.value.name.count, $0.key) < ($1.value.name.count, $1.key) }
        for (code, airline) in ordered {
            let name = TextScanner.fold(airline.name)
            codes[name] = code
            if let first = name.split(separator: " ").first.map(String.init), first.count >= 4, !vague.contains(first), codes[first] == nil {
                codes[first] = code
            }
        }
        return codes
    }()

    struct FlightFacts {
        var carrier: String
        var number: String
        var from: String?
        var to: String?
        var fromPlace = ""
        var toPlace = ""
        var departureDate: TextDate?
        var arrivalDate: TextDate?
        var departureTime: TextTime?
        var arrivalTime: TextTime?
        var reference: String?
        var passengers: [String] = []
    }

    static func flights(in document: Document, headings: [Heading]) -> [JSONValue] {
        var facts: [FlightFacts] = []
        let lines = document.lines
        // GDS segments: everything on one line.
        for (index, line) in lines.enumerated() {
            guard let m = gdsSegment.first(line.text), let month = TextScanner.months[m.group(4, in: line.text)!.lowercased()] else { continue }
            func t(_ raw: String?) -> TextTime? {
                guard var s = raw else { return nil }
                var nextDay = false
                if s.hasPrefix("#") {
                    nextDay = true
                    s.removeFirst()
                }
                var half: Character?
                if let last = s.last, "APN".contains(last) {
                    half = last
                    s.removeLast()
                }
                guard s.count >= 3, var hour = asciiNumber(String(s.dropLast(2))), let minute = asciiNumber(String(s.suffix(2))), hour < 24,
                    minute < 60
                else { return nil }
                if half == "A" || half == "P" { guard (1...12).contains(hour) else { return nil } }
                switch half {
                case "A": hour = hour % 12
                case "P": hour = hour % 12 + 12
                case "N": hour = 12
                default: break
                }
                var time = TextTime(hour: hour, minute: minute)
                if nextDay { time.plusDays = 1 }
                return time
            }
            guard let carrier = m.group(1, in: line.text), let flight = asciiNumber(m.group(2, in: line.text)),
                let day = asciiNumber(m.group(3, in: line.text))
            else { continue }
            var f = FlightFacts(carrier: carrier, number: String(flight))
            f.departureDate = TextDate(year: nil, month: month, day: day)
            f.from = m.group(5, in: line.text)
            f.to = m.group(6, in: line.text)
            f.departureTime = t(m.group(7, in: line.text))
            f.arrivalTime = t(m.group(8, in: line.text))
            if let plus = asciiNumber(m.group(9, in: line.text)) { f.arrivalTime?.plusDays = plus }
            if let day = asciiNumber(m.group(10, in: line.text)),
                let mon = m.group(11, in: line.text).flatMap({ TextScanner.months[$0.lowercased()] })
            {
                f.arrivalDate = TextDate(year: nil, month: mon, day: day)
            }
            if let locator = airlineLocator.first(line.text) { f.reference = locator.group(2, in: line.text) }
            f.reference = f.reference ?? reference(for: index..<(index + 1), in: document)
            f.passengers = document.people.map(\.name)
            facts.append(f)
        }
        // Blocks opened by a flight number.
        let anchors = document.flightAnchors
        let otherHeadings = headings.filter { $0.kind != .flight }.map(\.line)
        var previousEnd = 0
        for (i, anchor) in anchors.enumerated() {
            var end = min(lines.count, anchor.line + 14)
            if i + 1 < anchors.count { end = min(end, anchors[i + 1].line) }
            if let heading = otherHeadings.first(where: { $0 > anchor.line }) { end = min(end, heading) }
            // Trailing lines with no time ("Retour", "Return: Sat, Jan 16, 2027") introduce the next flight.
            var bodyEnd = end
            if i + 1 < anchors.count, anchors[i + 1].line == end {
                while bodyEnd > anchor.line + 1, TextScanner.times(in: lines[bodyEnd - 1].folded).isEmpty { bodyEnd -= 1 }
            }
            // Lead-in lines above the flight number: the nearest date there is the departure day if the block has none.
            var leadDate: TextDate?
            var lead = anchor.line - 1
            var seen = 0
            while lead >= previousEnd, seen < 3 {
                if !lines[lead].isBlank {
                    seen += 1
                    if TextScanner.times(in: lines[lead].folded).isEmpty, let d = TextScanner.dates(in: lines[lead].folded).last?.value {
                        leadDate = d; break
                    }
                }
                lead -= 1
            }
            previousEnd = bodyEnd
            var f = read(block: anchor.line..<bodyEnd, anchor: anchor, leadDate: leadDate, in: document)
            f.reference = reference(for: anchor.line..<bodyEnd, in: document)
            f.passengers = document.people.map(\.name)
            facts.append(f)
        }
        return facts.flatMap { reservations(for: $0, in: document) }
    }

    private enum Role { case departure, arrival }

    private static func read(block: Range<Int>, anchor: FlightAnchor, leadDate: TextDate?, in document: Document) -> FlightFacts {
        var f = FlightFacts(carrier: anchor.carrier, number: anchor.number)
        // The day above the flight ("Thursday 10 December 2026") holds until the block names its own departure day.
        f.departureDate = leadDate
        var departureFromLead = leadDate != nil
        for index in block {
            let line = document.lines[index]
            let text = line.text, folded = line.folded
            if index > block.lowerBound, notAFlightLine.first(folded) != nil, departureLabel.first(folded) == nil, arrivalLabel.first(folded) == nil {
                continue
            }
            enum Event { case role(Role), airport(String), date(TextDate), time(TextTime), skipTime }
            var events: [(Int, Event)] = []
            let skip = index == anchor.line ? [anchor.range] : []
            for m in departureLabel.matches(folded) { events.append((m.range.location, .role(.departure))) }
            for m in arrivalLabel.matches(folded) { events.append((m.range.location, .role(.arrival))) }
            for m in arrow.matches(folded) { events.append((m.range.location, .role(.arrival))) }
            var codes = bracketedAirports(in: text).map { ($0.location, $0.airport.iata) }
            if codes.isEmpty, index == anchor.line || arrow.first(folded) != nil {
                codes = bareCode.matches(text).compactMap { m in
                    let code = m.group(1, in: text)!
                    guard !notAirports.contains(code), ReferenceData.airports[code] != nil,
                        !skip.contains(where: { NSIntersectionRange($0, m.range).length > 0 })
                    else { return nil }
                    return (m.range.location, code)
                }
            }
            for (location, code) in codes { events.append((location, .airport(code))) }
            let dates = TextScanner.dates(in: folded)
            for d in dates { events.append((d.range.location, .date(d.value))) }
            for t in TextScanner.times(in: folded, excluding: dates.map(\.range) + skip) {
                let from = max(0, t.range.location - 20)
                let before = (folded as NSString).substring(with: NSRange(location: from, length: t.range.location - from))
                events.append((t.range.location, duration.first(before) != nil ? .skipTime : .time(t.value)))
            }
            var role: Role?
            var roleText: Role?
            for (_, event) in events.sorted(by: { $0.0 < $1.0 }) {
                switch event {
                case .role(let r): role = r; roleText = r
                case .airport(let code):
                    if role == .departure || role == nil && f.from == nil {
                        if f.from == nil { f.from = code }
                    } else if f.to == nil, code != f.from {
                        f.to = code
                    }
                case .time(let time):
                    if role == .departure || role == nil && f.departureTime == nil {
                        if f.departureTime == nil { f.departureTime = time }
                    } else if f.arrivalTime == nil {
                        f.arrivalTime = time
                    }
                case .date(let date):
                    if role == .arrival, f.departureDate != nil {
                        if f.arrivalDate == nil { f.arrivalDate = date }
                    } else if f.departureDate == nil || departureFromLead {
                        f.departureDate = date; departureFromLead = false
                    }
                case .skipTime: break
                }
            }
            // A labelled line without a code names its airport in words: "DEPARTURE: BERLIN, DE (TEGEL)", "Arrival: 13:50 London Heathrow".
            if let roleText, codes.isEmpty {
                let labels = (roleText == .departure ? departureLabel : arrivalLabel).matches(folded)
                if let label = labels.first {
                    let start = label.range.location + label.range.length
                    let value = read(line, from: start, to: (text as NSString).length, index: index)
                    if roleText == .departure, f.fromPlace.isEmpty { f.fromPlace = value.text }
                    if roleText == .arrival, f.toPlace.isEmpty { f.toPlace = value.text }
                }
            }
        }
        if f.from == nil, !f.fromPlace.isEmpty { f.from = AirportNames.resolve(f.fromPlace) }
        if f.to == nil, !f.toPlace.isEmpty { f.to = AirportNames.resolve(f.toPlace) }
        return f
    }

    /// One reservation per passenger; times in each airport's zone, the arrival moved to the next day when it would land before it left.
    static func reservations(for f: FlightFacts, in document: Document) -> [JSONValue] {
        guard let from = f.from, let to = f.to, let fromAirport = ReferenceData.airports[from], let toAirport = ReferenceData.airports[to],
            let departureDate = f.departureDate, from != to
        else { return [] }
        let day = resolve(departureDate, context: document.context)
        var departure: [String: JSONValue] = [:]
        departure["departureDay"] = .string(iso(day, nil, zone: nil))
        if let t = f.departureTime { departure["departureTime"] = .string(iso(day, t, zone: fromAirport.zone)) }
        if let t = f.arrivalTime {
            var arrivalDay = f.arrivalDate.map { resolve($0, context: document.context, notBefore: day) } ?? adding(days: t.plusDays, to: day)
            if f.arrivalDate == nil, t.plusDays == 0, let dt = f.departureTime, let leaves = instant(day, dt, in: fromAirport.zone) {
                var tries = 0
                while tries < 2, let lands = instant(arrivalDay, t, in: toAirport.zone), lands <= leaves {
                    arrivalDay = adding(days: 1, to: arrivalDay)
                    tries += 1
                }
            }
            departure["arrivalTime"] = .string(iso(arrivalDay, t, zone: toAirport.zone))
        }
        func airport(_ a: Airport) -> JSONValue {
            .object(["@type": .string("Airport"), "iataCode": .string(a.iata), "name": .string(a.name)])
        }
        var airline: [String: JSONValue] = ["@type": .string("Airline"), "iataCode": .string(f.carrier)]
        if let name = ReferenceData.airlines[f.carrier]?.name { airline["name"] = .string(name) }
        var flight: [String: JSONValue] = [
            "@type": .string("Flight"), "flightNumber": .string(f.number), "airline": .object(airline),
            "departureAirport": airport(fromAirport), "arrivalAirport": airport(toAirport)
        ]
        flight.merge(departure) { a, _ in a }
        let passengers: [String?] = f.passengers.isEmpty ? [nil] : f.passengers
        return passengers.map { name in
            var reservation: [String: JSONValue] = [
                "@context": .string("http://schema.org"), "@type": .string("FlightReservation"),
                "reservationFor": .object(flight)
            ]
            if let ref = f.reference { reservation["reservationNumber"] = .string(ref) }
            if let name { reservation["underName"] = .object(["@type": .string("Person"), "name": .string(name)]) }
            return .object(reservation)
        }
    }
}

/// Airports named in words ("Berlin-Tegel", "PARIS, FR (CHARLES DE GAULLE)"), matched on the distinctive words of their names.
enum AirportNames {
    private static let generic: Set<String> = [
        "airport", "international", "intl", "aeroport", "aeroporto", "aeropuerto", "regional", "municipal",
        "field", "of", "de", "do", "da", "del", "the", "county", "airfield", "terminal", "city", "metro"
    ]

    static func words(_ text: String) -> [String] {
        TextScanner.fold(text).components(separatedBy: CharacterSet.alphanumerics.inverted).filter { $0.count > 1 }
    }

    private static let index: [String: [Airport]] = {
        var index: [String: [Airport]] = [:]
        for airport in ReferenceData.airports.values {
            for word in Set(words(airport.name + " " + airport.city)) where !generic.contains(word) { index[word, default: []].append(airport) }
        }
        return index
    }()

    /// The airport with the most distinctive name words in the text, its city named too (or its whole name there); nil
    /// when two tie ("London" alone names Heathrow and London, Ontario).
    static func resolve(_ text: String) -> String? {
        let present = Set(words(text))
        var scores: [String: (Int, Double)] = [:]
        for word in present {
            for airport in index[word] ?? [] where scores[airport.iata] == nil {
                let name = Set(words(airport.name)).subtracting(generic)
                let city = Set(words(airport.city))
                guard !name.isEmpty else { continue }
                let matched = name.intersection(present).count
                let cityHit = !city.isEmpty && city.isSubset(of: present)
                guard matched > 0, cityHit || matched == name.count else { continue }
                scores[airport.iata] = (matched + (cityHit ? 1 : 0), Double(matched) / Double(name.count))
            }
        }
        let ranked = scores.sorted { $0.value > $1.value }
        guard let best = ranked.first, best.value.0 >= 2 else { return nil }
        if ranked.count > 1, ranked[1].value == best.value { return nil }
        return best.key
    }
}
