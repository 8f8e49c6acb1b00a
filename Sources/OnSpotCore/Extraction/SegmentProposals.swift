import Foundation

/// An extracted reservation as the trip page proposes it for the itinerary: one row per flight however many travellers
/// it carries, with its kind, a readable title, its times as written (offsets kept) and where it happens.
public struct SegmentProposal: Equatable, Sendable {
    public var kind: SegmentKind
    public var title: String
    /// ISO date-times as extracted: with an offset, a local time, or a day.
    public var startsAt: String?
    public var endsAt: String?
    /// The zone of the start when the extraction knows it (a flight's departure airport).
    public var timeZone: String?
    public var location: String?
    public var supplier: String?
    public var confirmation: String?
    public var details: String?
    /// The layers that found it (ours, KItinerary's, or both), and where KItinerary read another value than ours.
    public var foundBy: Set<ExtractionLayer> = [.onspot]
    public var alternatives: [String: String] = [:]
    /// What the document did not give (a partial reservation): the agent completes it after accepting.
    public var missing: [String] = []

    public static func from(_ reservations: [JSONValue]) -> [SegmentProposal] {
        from(findings: reservations.map { LayeredExtraction.Finding(reservation: $0, foundBy: [.onspot], alternatives: [:]) })
    }

    public static func from(findings: [LayeredExtraction.Finding]) -> [SegmentProposal] {
        var proposals: [SegmentProposal] = []
        var travellers: [[String]] = []
        for finding in findings {
            let item = finding.reservation
            guard var proposal = proposal(item) else { continue }
            proposal.foundBy = finding.foundBy
            proposal.alternatives = finding.alternatives
            proposal.missing = Extraction.missingFields(of: item)
            let name = item["underName"]?.personName
            // Travellers of one flight share one row.
            if let same = proposals.firstIndex(where: { $0.kind == proposal.kind && $0.title == proposal.title && $0.startsAt == proposal.startsAt })
            {
                if let name, !travellers[same].contains(name) { travellers[same].append(name) }
                proposals[same].foundBy.formUnion(finding.foundBy)
                proposals[same].alternatives.merge(finding.alternatives) { mine, _ in mine }
                continue
            }
            proposals.append(proposal)
            travellers.append(name.map { [$0] } ?? [])
        }
        for i in proposals.indices where !travellers[i].isEmpty { proposals[i].details = travellers[i].joined(separator: ", ") }
        return proposals
    }

    static func proposal(_ item: JSONValue) -> SegmentProposal? {
        guard var proposal = described(item) else { return nil }
        // Places other than airports: the zone their words name, else the fixed offset the times carry.
        if proposal.timeZone == nil {
            let target = item["reservationFor"]
            let places = [
                item["pickupLocation"], target?["location"], target?["departureStation"], target?["departureBusStop"], target,
                target?["address"]
            ].compactMap { $0 }
            let texts = places.flatMap {
                [
                    $0["name"]?.string, $0["address"]?["streetAddress"]?.string, $0["streetAddress"]?.string,
                    $0["addressLocality"]?.string, $0["address"]?["addressLocality"]?.string
                ]
            }.compactMap { $0 }
            proposal.timeZone =
                TextExtraction.zone(of: texts)?.identifier
                ?? proposal.startsAt.flatMap(offsetZone)?.identifier
        }
        return proposal
    }

    /// "+02:00" at the end of an ISO date-time as a fixed-offset zone.
    static func offsetZone(_ text: String) -> TimeZone? {
        guard text.count > 19 else { return nil }
        let tail = String(text.suffix(6))
        guard let sign = tail.first, sign == "+" || sign == "-", let h = Int(tail.dropFirst().prefix(2)), let m = Int(tail.suffix(2)) else {
            return nil
        }
        return TimeZone(secondsFromGMT: (sign == "-" ? -1 : 1) * (h * 3600 + m * 60))
    }

    static func described(_ item: JSONValue) -> SegmentProposal? {
        guard let type = item["@type"]?.string, let target = item["reservationFor"] else { return nil }
        func text(_ value: JSONValue?) -> String? { value?.string ?? value?["@value"]?.string ?? value?["name"]?.string }
        let reference = item["reservationNumber"]?.string
        switch type {
        case "FlightReservation":
            let carrier = target["airline"]?["iataCode"]?.string ?? ""
            let from = target["departureAirport"]?["iataCode"]?.string ?? text(target["departureAirport"]) ?? "?"
            let to = target["arrivalAirport"]?["iataCode"]?.string ?? text(target["arrivalAirport"]) ?? "?"
            let zone = target["departureAirport"]?["iataCode"]?.string.flatMap { ReferenceData.airports[$0]?.timeZone }
            return SegmentProposal(
                kind: .flight, title: "\(carrier) \(target["flightNumber"]?.string ?? "") \(from) → \(to)".trimmingCharacters(in: .whitespaces),
                startsAt: text(target["departureTime"]) ?? target["departureDay"]?.string, endsAt: text(target["arrivalTime"]),
                timeZone: zone, location: "\(from) → \(to)", supplier: target["airline"]?["name"]?.string ?? carrier, confirmation: reference)
        case "LodgingReservation":
            let address = [target["address"]?["streetAddress"]?.string, target["address"]?["addressLocality"]?.string].compactMap { $0 }
            return SegmentProposal(
                kind: .stay, title: text(target) ?? "—", startsAt: text(item["checkinTime"]), endsAt: text(item["checkoutTime"]),
                location: address.isEmpty ? nil : address.joined(separator: ", "), supplier: text(target), confirmation: reference)
        case "RentalCarReservation":
            let company = text(target["rentalCompany"]) ?? text(item["provider"])
            return SegmentProposal(
                kind: .carRental, title: company ?? "—", startsAt: text(item["pickupTime"]), endsAt: text(item["dropoffTime"]),
                location: [text(item["pickupLocation"]), text(item["dropoffLocation"])].compactMap { $0 }.joined(separator: " → "),
                supplier: company, confirmation: reference)
        case "TaxiReservation":
            let route = [text(item["pickupLocation"]), text(item["dropoffLocation"])].compactMap { $0 }
            return SegmentProposal(
                kind: .transfer, title: route.joined(separator: " → "), startsAt: text(item["pickupTime"]),
                location: route.first, supplier: text(item["provider"]), confirmation: reference)
        case "TrainReservation", "BusReservation":
            let isTrain = type == "TrainReservation"
            let from = text(target[isTrain ? "departureStation" : "departureBusStop"]) ?? "?"
            let to = text(target[isTrain ? "arrivalStation" : "arrivalBusStop"]) ?? "?"
            let number = target[isTrain ? "trainNumber" : "busNumber"]?.string.map { " \($0)" } ?? ""
            return SegmentProposal(
                kind: .transfer, title: "\(isTrain ? "Train" : "Bus")\(number) \(from) → \(to)",
                startsAt: text(target["departureTime"]), endsAt: text(target["arrivalTime"]), location: from,
                supplier: text(target["provider"]), confirmation: reference)
        case "EventReservation":
            return SegmentProposal(
                kind: .activity, title: text(target) ?? "—", startsAt: text(target["startDate"]), endsAt: text(target["endDate"]),
                location: text(target["location"]), supplier: text(item["provider"]), confirmation: reference)
        default:
            return nil
        }
    }

    /// An extracted date-time as an instant: its own offset when it has one, else read in `zone` (a day alone: its midnight).
    public static func instant(_ text: String, zone: TimeZone) -> Date? {
        let internet = ISO8601DateFormatter()
        internet.formatOptions = [.withInternetDateTime]
        if let date = internet.date(from: text) { return LocalDateTime.plausible(date) ? date : nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        // A year a trip can have: far-off years overflow the databases' time types (PostgreSQL's microseconds).
        guard digits.count >= 3, (1900...2200).contains(digits[0]) else { return nil }
        let c = DateComponents(
            year: digits[0], month: digits[1], day: digits[2], hour: digits.count > 3 ? digits[3] : 0,
            minute: digits.count > 4 ? digits[4] : 0)
        guard c.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: c)
    }
}
