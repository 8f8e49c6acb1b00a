import Foundation

/// Stays, car rentals, transfers, trains, buses and activities: a section's labelled fields made into one reservation, or
/// nothing when the fields a traveller needs are missing.
extension TextExtraction {
    private static let trainNumber = Pattern(#"(?<![a-z])(?:train|trem|tren)\s*(?:n°|nº|no\.?|#)?\s*(\d{1,5})(?![\d])"#)
    private static let busNumber = Pattern(#"(?<![a-z])(?:bus|autocar|onibus|autobus|coach)\s*(?:n°|nº|no\.?|#)?\s*(\d{1,5})(?![\d])"#)

    /// A section of a document read as one reservation: its labelled fields and its lines.
    struct ReservationSection {
        let kind: Kind
        let range: Range<Int>
        let document: Document
        let fields: [Field: FieldValue]
        let text: [String]

        init(kind: Kind, range: Range<Int>, document: Document) {
            self.kind = kind
            self.range = range
            self.document = document
            fields = TextExtraction.fields(kind: kind, range: range, in: document)
            text = range.map { document.lines[$0].text }
        }

        func place(_ text: String) -> JSONValue {
            let (name, address) = TextExtraction.splitPlace(text)
            var o: [String: JSONValue] = ["@type": .string("Place"), "name": .string(name)]
            if let address { o["address"] = .object(["@type": .string("PostalAddress"), "streetAddress": .string(address)]) }
            return .object(o)
        }

        func organization(_ name: String) -> JSONValue { .object(["@type": .string("Organization"), "name": .string(name)]) }

        /// The brand of the list named first in the section.
        func brand(in brands: [String]) -> String? {
            let joined = text.joined(separator: "\n")
            return brands.compactMap { b -> (String, Int)? in
                guard
                    let r = joined.range(
                        of: #"(?<![A-Za-z])"# + NSRegularExpression.escapedPattern(for: b) + #"(?![A-Za-z])"#,
                        options: [.regularExpression, .caseInsensitive])
                else { return nil }
                return (b, joined.distance(from: joined.startIndex, to: r.lowerBound))
            }.min { $0.1 < $1.1 }?.0
        }

        /// The provider field's name, before any " - " detail.
        func provider() -> String? {
            guard let text = fields[.provider]?.text, !text.isEmpty else { return nil }
            return (text.components(separatedBy: " - ").first ?? text).trimmingCharacters(in: .whitespaces)
        }
    }

    static func reservation(kind: Kind, lines range: Range<Int>, in document: Document) -> JSONValue? {
        let section = ReservationSection(kind: kind, range: range, document: document)
        var reservation: [String: JSONValue] = ["@context": .string("http://schema.org")]
        if let ref = reference(for: range, in: document) { reservation["reservationNumber"] = .string(ref) }
        if let name = people(for: range, in: document).first {
            reservation["underName"] = .object(["@type": .string("Person"), "name": .string(name)])
        }
        let complete: Bool
        switch kind {
        case .lodging: complete = lodging(section, into: &reservation)
        case .car: complete = rentalCar(section, into: &reservation)
        case .taxi: complete = taxi(section, into: &reservation)
        case .train, .bus: complete = trainOrBus(section, into: &reservation)
        case .event: complete = event(section, into: &reservation)
        case .flight: complete = false
        }
        if complete { return .object(reservation) }
        return partial(section, reference: reservation["reservationNumber"], person: reservation["underName"])
    }

    /// "Never nothing": a section that is clearly a reservation (its kind's heading, and a date or a booking reference)
    /// whose fields are not all found is proposed with what was found, and `onspotMissing` names what the agent must add.
    static func partial(_ section: ReservationSection, reference: JSONValue?, person: JSONValue?) -> JSONValue? {
        let f = section.fields
        let context = section.document.context
        let zone = self.zone(of: section.text)
        func when(_ value: FieldValue?) -> JSONValue? {
            guard let value, let date = value.date else { return nil }
            return .string(iso(resolve(date, context: context), value.time, zone: zone))
        }
        let start = f[.start] ?? f[.date]
        guard start?.date != nil else { return nil }
        var o: [String: JSONValue] = ["@context": .string("http://schema.org")]
        if let reference { o["reservationNumber"] = reference }
        if let person { o["underName"] = person }
        var missing: [String] = []
        var present = 0
        func need(_ key: String, _ value: JSONValue?, into target: inout [String: JSONValue]) {
            if let value {
                target[key] = value
                present += 1
            } else {
                missing.append(key)
            }
        }
        switch section.kind {
        case .lodging:
            let (name, address) = lodgingNameAndAddress(f, range: section.range, in: section.document)
            var business: [String: JSONValue] = ["@type": .string("LodgingBusiness")]
            need("name", name.map(JSONValue.string), into: &business)
            if let address { business["address"] = .object(["@type": .string("PostalAddress"), "streetAddress": .string(address)]) }
            o["@type"] = .string("LodgingReservation")
            o["reservationFor"] = .object(business)
            need("checkinTime", when(f[.start]), into: &o)
            need("checkoutTime", when(f[.end]), into: &o)
        case .car:
            var car: [String: JSONValue] = ["@type": .string("RentalCar")]
            need("rentalCompany", (section.brand(in: TextLexicon.carBrands) ?? section.provider()).map(section.organization), into: &car)
            o["@type"] = .string("RentalCarReservation")
            o["reservationFor"] = .object(car)
            need("pickupTime", when(f[.start]), into: &o)
            if let text = f[.start]?.text, !text.isEmpty {
                o["pickupLocation"] = section.place(text)
                present += 1
            }
            need("dropoffTime", when(f[.end]), into: &o)
            if let text = f[.end]?.text, !text.isEmpty { o["dropoffLocation"] = section.place(text) }
        case .taxi:
            o["@type"] = .string("TaxiReservation")
            o["reservationFor"] = .object(["@type": .string("Taxi")])
            if let provider = section.provider() { o["provider"] = section.organization(provider) }
            need("pickupTime", when(start), into: &o)
            let place = (f[.start]?.text).flatMap { $0.isEmpty ? nil : $0 } ?? f[.place]?.text
            need("pickupLocation", place.flatMap { $0.isEmpty ? nil : section.place($0) }, into: &o)
        case .train, .bus:
            let isTrain = section.kind == .train
            var trip: [String: JSONValue] = ["@type": .string(isTrain ? "TrainTrip" : "BusTrip")]
            let stationType = isTrain ? "TrainStation" : "BusStation"
            func station(_ value: FieldValue?) -> JSONValue? {
                guard let text = value?.text, !text.isEmpty else { return nil }
                return .object(["@type": .string(stationType), "name": .string(text)])
            }
            need(isTrain ? "departureStation" : "departureBusStop", station(f[.start]), into: &trip)
            need(isTrain ? "arrivalStation" : "arrivalBusStop", station(f[.end]), into: &trip)
            need("departureTime", when(start), into: &trip)
            o["@type"] = .string(isTrain ? "TrainReservation" : "BusReservation")
            o["reservationFor"] = .object(trip)
        case .event:
            var event: [String: JSONValue] = ["@type": .string("Event")]
            need("name", f[.name].flatMap { $0.text.isEmpty ? nil : JSONValue.string($0.text) }, into: &event)
            need("startDate", when(f[.date] ?? f[.time] ?? f[.name]), into: &event)
            if let text = f[.place]?.text, !text.isEmpty {
                event["location"] = section.place(text)
                present += 1
            }
            o["@type"] = .string("EventReservation")
            o["reservationFor"] = .object(event)
        case .flight:
            return nil
        }
        guard !missing.isEmpty else { return .object(o) }
        // Clearly this service: when it starts, and one more thing of it (its name, company, place or end). A date
        // alone in a section is too little to propose (a train ticket's "Voiture 14" is no car rental).
        let starts = ["checkinTime", "pickupTime", "departureTime", "startDate"].contains { !missing.contains($0) }
        guard starts, present >= 2 else { return nil }
        o["onspotMissing"] = .array(missing.map(JSONValue.string))
        return .object(o)
    }

    private static func lodging(_ section: ReservationSection, into reservation: inout [String: JSONValue]) -> Bool {
        guard let start = section.fields[.start]?.date, let end = section.fields[.end]?.date else { return false }
        let (name, addressText) = lodgingNameAndAddress(section.fields, range: section.range, in: section.document)
        guard let name else { return false }
        let zone = self.zone(of: [name, addressText ?? ""] + section.text)
        let checkin = resolve(start, context: section.document.context)
        let checkout = resolve(end, context: section.document.context, notBefore: checkin)
        var business: [String: JSONValue] = ["@type": .string("LodgingBusiness"), "name": .string(name)]
        if let addressText {
            let (street, locality) = parseAddress(addressText)
            var address: [String: JSONValue] = ["@type": .string("PostalAddress")]
            if let street { address["streetAddress"] = .string(street) }
            if let locality { address["addressLocality"] = .string(locality) }
            business["address"] = .object(address)
        }
        reservation["@type"] = .string("LodgingReservation")
        reservation["reservationFor"] = .object(business)
        reservation["checkinTime"] = .string(iso(checkin, section.fields[.start]?.time, zone: zone))
        reservation["checkoutTime"] = .string(iso(checkout, section.fields[.end]?.time, zone: zone))
        return true
    }

    private static func rentalCar(_ section: ReservationSection, into reservation: inout [String: JSONValue]) -> Bool {
        guard let pickup = section.fields[.start], let pickupDate = pickup.date, let dropoff = section.fields[.end], let dropoffDate = dropoff.date,
            let company = section.brand(in: TextLexicon.carBrands) ?? section.provider()
        else { return false }
        let zone = self.zone(of: [pickup.text] + section.text)
        let dropZone = self.zone(of: [dropoff.text]) ?? zone
        let day = resolve(pickupDate, context: section.document.context)
        reservation["@type"] = .string("RentalCarReservation")
        reservation["reservationFor"] = .object(["@type": .string("RentalCar"), "rentalCompany": section.organization(company)])
        if !pickup.text.isEmpty { reservation["pickupLocation"] = section.place(pickup.text) }
        reservation["pickupTime"] = .string(iso(day, pickup.time, zone: zone))
        if !dropoff.text.isEmpty { reservation["dropoffLocation"] = section.place(dropoff.text) }
        reservation["dropoffTime"] = .string(
            iso(resolve(dropoffDate, context: section.document.context, notBefore: day), dropoff.time, zone: dropZone))
        return true
    }

    private static func taxi(_ section: ReservationSection, into reservation: inout [String: JSONValue]) -> Bool {
        guard var pickup = section.fields[.start] ?? section.fields[.place] else { return false }
        if pickup.date == nil { pickup.date = section.fields[.date]?.date }
        if pickup.time == nil { pickup.time = section.fields[.time]?.time }
        if pickup.text.isEmpty { pickup.text = section.fields[.place]?.text ?? "" }
        guard let date = pickup.date, !pickup.text.isEmpty else { return false }
        let zone = self.zone(of: [pickup.text, section.fields[.dropoffPlace]?.text ?? ""] + section.text)
        reservation["@type"] = .string("TaxiReservation")
        reservation["reservationFor"] = .object(["@type": .string("Taxi")])
        if let provider = section.provider() { reservation["provider"] = section.organization(provider) }
        reservation["pickupLocation"] = section.place(pickup.text)
        reservation["pickupTime"] = .string(iso(resolve(date, context: section.document.context), pickup.time, zone: zone))
        if let drop = section.fields[.dropoffPlace]?.text, !drop.isEmpty { reservation["dropoffLocation"] = section.place(drop) }
        return true
    }

    private static let fromLabel = Pattern(#"^\s*(de|from|origem|origen|origine|departure station|gare de depart)\b[^:]{0,16}:\s*\S"#)
    private static let toLabel = Pattern(#"^\s*(a|to|para|destination|destino|arrival station|gare d'arrivee)\b[^:]{0,16}:\s*\S"#)

    /// The value after the first colon of the section's first line that `label` opens ("De | From : Montréal").
    private static func labelled(_ label: Pattern, in section: ReservationSection) -> String? {
        for index in section.range where label.first(section.document.lines[index].folded) != nil {
            let text = section.document.lines[index].text
            guard let colon = text.firstIndex(of: ":") else { continue }
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { return String(value.prefix(120)) }
        }
        return nil
    }

    /// A ticket's day on a line of its own ("Jeudi 22 octobre 2026" above "Départ 07:56 Paris Gare de Lyon").
    private static func dayNear(_ section: ReservationSection) -> TextDate? {
        let lines = section.document.lines
        let from = max(0, section.range.lowerBound - 3)
        for index in from..<section.range.upperBound {
            if let date = TextScanner.dates(in: lines[index].folded).first?.value { return date }
        }
        return nil
    }

    private static func trainOrBus(_ section: ReservationSection, into reservation: inout [String: JSONValue]) -> Bool {
        guard var departure = section.fields[.start], var arrival = section.fields[.end] else { return false }
        // Stations given apart from the times ("De | From :", "À | To :"), a day given apart from them.
        if departure.text.isEmpty, let from = labelled(fromLabel, in: section) { departure.text = from }
        if arrival.text.isEmpty, let to = labelled(toLabel, in: section) { arrival.text = to }
        guard let date = departure.date ?? arrival.date ?? dayNear(section), !departure.text.isEmpty, !arrival.text.isEmpty else { return false }
        let isTrain = section.kind == .train
        let folded = section.range.map { section.document.lines[$0].folded }.joined(separator: "\n")
        let number = (isTrain ? trainNumber : busNumber).first(folded).flatMap { $0.group(1, in: folded) }
        let operatorName = section.brand(in: isTrain ? TextLexicon.trainBrands : TextLexicon.busBrands) ?? section.provider()
        let fromZone = zone(of: [departure.text]) ?? zone(of: section.text)
        let toZone = zone(of: [arrival.text]) ?? fromZone
        let day = resolve(date, context: section.document.context)
        let arrivalDay = arrival.date.map { resolve($0, context: section.document.context, notBefore: day) } ?? day
        let stationType = isTrain ? "TrainStation" : "BusStation"
        var trip: [String: JSONValue] = [
            "@type": .string(isTrain ? "TrainTrip" : "BusTrip"),
            isTrain ? "departureStation" : "departureBusStop": .object(["@type": .string(stationType), "name": .string(departure.text)]),
            isTrain ? "arrivalStation" : "arrivalBusStop": .object(["@type": .string(stationType), "name": .string(arrival.text)]),
            "departureTime": .string(iso(day, departure.time, zone: fromZone))
        ]
        if arrival.time != nil || arrival.date != nil {
            trip["arrivalTime"] = .string(iso(adding(days: arrival.time?.plusDays ?? 0, to: arrivalDay), arrival.time, zone: toZone))
        }
        if let number { trip[isTrain ? "trainNumber" : "busNumber"] = .string(number) }
        if let operatorName { trip["provider"] = section.organization(operatorName) }
        reservation["@type"] = .string(isTrain ? "TrainReservation" : "BusReservation")
        reservation["reservationFor"] = .object(trip)
        return true
    }

    private static func event(_ section: ReservationSection, into reservation: inout [String: JSONValue]) -> Bool {
        guard let name = section.fields[.name]?.text, !name.isEmpty,
            let date = section.fields[.date]?.date ?? section.fields[.name]?.date ?? section.fields[.time]?.date
        else { return false }
        let time = section.fields[.date]?.time ?? section.fields[.time]?.time ?? section.fields[.name]?.time
        let placeText = section.fields[.place]?.text ?? ""
        let zone = self.zone(of: [placeText] + section.text)
        var event: [String: JSONValue] = [
            "@type": .string("Event"), "name": .string(rawValue(of: .name, kind: section.kind, range: section.range, in: section.document) ?? name),
            "startDate": .string(iso(resolve(date, context: section.document.context), time, zone: zone))
        ]
        if !placeText.isEmpty { event["location"] = section.place(placeText) }
        reservation["@type"] = .string("EventReservation")
        reservation["reservationFor"] = .object(event)
        if let provider = section.provider() { reservation["provider"] = section.organization(provider) }
        return true
    }

    /// An activity's title as written, dates and all ("Cirque du Soleil - "O"" must not lose its quotes to the cleaner).
    static func rawValue(of field: Field, kind: Kind, range: Range<Int>, in document: Document) -> String? {
        for index in range {
            let line = document.lines[index]
            guard let m = labelMatches(line.folded, kind: kind, field: field).first,
                (line.folded as NSString).substring(to: m.location).trimmingCharacters(in: .whitespaces).isEmpty
            else { continue }
            let value = (line.text as NSString).substring(from: m.location + m.length).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, TextScanner.dates(in: TextScanner.fold(value)).isEmpty { return value }
        }
        return nil
    }

    private static let addressLike = Pattern(
        #"^\s*(\d+[a-z]?[ ,]|(rua|av\.|avenida|rue|avenue|street|st\.|road|boulevard|blvd)\b)|\b\d{4,5}(-\d{3})?\b"#)

    /// The hotel's name: labelled ("Hôtel :"), else a line naming a hotel, else the line above its address; and its address.
    static func lodgingNameAndAddress(_ fields: [Field: FieldValue], range: Range<Int>, in document: Document) -> (String?, String?) {
        var name: String?
        var address = fields[.address]?.text
        if let labelled = fields[.name], !labelled.text.isEmpty,
            (document.lines[labelled.line].folded as NSString).range(of: ":").location != NSNotFound
        {
            name = labelled.text
        }
        let lodgingWords = Pattern(#"(?<![a-z])(hotel|pousada|resort|hostel|auberge|motel|lodge|inn|suites)(?![a-z])"#)
        var nameLine: Int?
        if name == nil {
            for index in range {
                let line = document.lines[index]
                guard !line.isBlank, !line.folded.contains(":"), lodgingWords.first(line.folded) != nil,
                    TextScanner.dates(in: line.folded).isEmpty
                else { continue }
                // "Confirmation de séjour - Hôtel Le Germain Montréal": the part naming the hotel.
                let parts = line.text.components(separatedBy: " - ")
                name = parts.first { lodgingWords.first(TextScanner.fold($0)) != nil }?.trimmingCharacters(in: .whitespaces)
                nameLine = index
                break
            }
        }
        if name == nil {
            for index in range.dropFirst() where addressLike.first(document.lines[index].folded) != nil && !document.lines[index].folded.contains(":")
            {
                let above = document.lines[index - 1]
                if !above.isBlank, !above.folded.contains(":"), TextScanner.dates(in: above.folded).isEmpty {
                    name = above.text.trimmingCharacters(in: .whitespaces)
                    nameLine = index - 1
                }
                break
            }
        }
        // Unlabelled, the address is the first line after the name that reads like one.
        if address == nil {
            for index in (nameLine.map { $0 + 1 } ?? range.lowerBound)..<range.upperBound {
                let line = document.lines[index]
                if addressLike.first(line.folded) != nil, !line.folded.contains(":"), TextScanner.dates(in: line.folded).isEmpty {
                    address = line.text.trimmingCharacters(in: .whitespaces)
                    break
                }
            }
        }
        return (name, address)
    }
}
