import Foundation

/// The JSON contract of `onspot rights` and `POST /api/v1/rights/assessments`.
public enum DisruptionEvent: String, Codable, Sendable { case delay, cancellation, deniedBoarding = "denied_boarding" }

public enum DisruptionCause: String, Codable, Sendable, CaseIterable {
    case technical, crew, airlineStaffStrike = "airline_staff_strike", overbooking, itFailure = "it_failure", atc
    case atcStrike = "atc_strike", weather, birdStrike = "bird_strike", security, airportClosure = "airport_closure", unknown
}

public enum PassengerChoice: String, Codable, Sendable { case reroute, refund }

public enum CareItem: String, Codable, Sendable, Comparable {
    case meals, communication, hotel, transport
    public static func < (a: CareItem, b: CareItem) -> Bool { order(a) < order(b) }
    private static func order(_ c: CareItem) -> Int { [.meals, .communication, .hotel, .transport].firstIndex(of: c)! }
}

public struct Amount: Codable, Hashable, Sendable {
    public var amount: Decimal
    public var currency: String
    public init(_ amount: Decimal, _ currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

public struct DisruptionCase: Codable, Sendable {
    public struct CarrierFacts: Codable, Sendable {
        public var country: String?
        public var canadaSize: CanadaCarrierSize?
    }
    public struct Reroute: Codable, Sendable {
        public var departure: String?
        public var arrival: String?
    }

    public var journey: [String]
    public var operatingCarrier: String?
    public var carrier: CarrierFacts?
    public var event: DisruptionEvent
    public var scheduledDeparture: String
    public var scheduledArrival: String
    public var actualArrival: String?
    public var noticeDays: Int?
    public var reroute: Reroute?
    public var cause: DisruptionCause?
    public var fare: Amount?
    public var provenLoss: Amount?
    public var passengerChoice: PassengerChoice?
    public var voluntary: Bool?
}

public struct RegimeAssessment: Codable, Hashable, Sendable {
    public var regime: String
    public var applies: Bool
    public var compensation: Amount?
    public var reducibleTo: Amount?
    public var refund: Bool
    public var care: [CareItem]
    public var basis: [String]
    public var notes: [String]

    enum CodingKeys: String, CodingKey { case regime, applies, compensation, reducibleTo, refund, care, basis, notes }

    public init(
        regime: String, applies: Bool, compensation: Amount? = nil, reducibleTo: Amount? = nil, refund: Bool = false,
        care: [CareItem] = [], basis: [String], notes: [String] = []
    ) {
        self.regime = regime
        self.applies = applies
        self.compensation = compensation
        self.reducibleTo = reducibleTo
        self.refund = refund
        self.care = Array(Set(care)).sorted()
        self.basis = basis
        self.notes = notes
    }

    /// `compensation` is always written, as null when none is due; `reducibleTo` only when the carrier may reduce.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(regime, forKey: .regime)
        try c.encode(applies, forKey: .applies)
        try c.encode(compensation, forKey: .compensation)
        try c.encodeIfPresent(reducibleTo, forKey: .reducibleTo)
        try c.encode(refund, forKey: .refund)
        try c.encode(care, forKey: .care)
        try c.encode(basis, forKey: .basis)
        try c.encode(notes, forKey: .notes)
    }
}

public struct RightsAssessment: Codable, Hashable, Sendable {
    public var distanceKm: Int
    public var assessments: [RegimeAssessment]

    public func regime(_ name: String) -> RegimeAssessment? { assessments.first { $0.regime == name } }
}

/// The facts every regime reads, resolved and validated once.
public struct DisruptionFacts: Sendable {
    public var origin: Airport
    public var destination: Airport
    public var distanceKm: Double
    public var carrierCode: String?
    public var carrierCountry: String?
    public var canadaSize: CanadaCarrierSize?
    public var event: DisruptionEvent
    public var scheduledDeparture: Date
    public var scheduledArrival: Date
    public var actualArrival: Date?
    public var rerouteDeparture: Date?
    public var rerouteArrival: Date?
    public var noticeDays: Int?
    public var cause: DisruptionCause
    public var fare: Amount?
    public var provenLoss: Amount?
    public var passengerChoice: PassengerChoice?
    public var voluntary: Bool

    /// How late the passenger reaches the final destination: the actual arrival for a delay, the alternative
    /// flight's arrival after a cancellation or a denied boarding; nil when not known.
    public var arrivalDelay: TimeInterval? {
        switch event {
        case .delay: actualArrival.map { $0.timeIntervalSince(scheduledArrival) }
        case .cancellation, .deniedBoarding: rerouteArrival.map { $0.timeIntervalSince(scheduledArrival) }
        }
    }

    /// The departure the passenger waits for: the delayed departure (taken as late as the arrival) or the alternative flight's.
    public var expectedDeparture: Date? {
        switch event {
        case .delay: arrivalDelay.map { scheduledDeparture.addingTimeInterval(max(0, $0)) }
        case .cancellation, .deniedBoarding: rerouteDeparture
        }
    }

    /// True when the wait runs into a later calendar day at the airport of departure: a night to spend.
    public var overnight: Bool {
        guard let expected = expectedDeparture else { return false }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = origin.zone
        return cal.startOfDay(for: expected) > cal.startOfDay(for: scheduledDeparture)
    }

    public var isDomestic: Bool { origin.country == destination.country }
}

public enum RightsError: Error, Sendable {
    case invalid([FieldError])
}

extension Decimal {
    func rounded(_ scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }
}
