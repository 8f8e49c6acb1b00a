import Foundation

/// The JSON contract of `onspot conditions assess` and `POST /api/v1/conditions/assessments`.
public struct ConditionsRequest: Codable, Sendable {
    public var pack: String
    public var event: String
    public var eventDate: String?
    public var bookingDate: String?
    public var departure: String?
    public var arrival: String?
    public var returnDate: String?
    public var travelDate: String?
    public var lastIncreaseDate: String?
    public var issueDate: String?
    public var price: Amount?
    public var plan: String?
    public var increasePercent: Decimal?
    public var supplierRefund: Amount?
    public var refundableTaxes: Amount?
    public var reason: String?
    public var newAccount: Bool?
    public var passengerAge: Int?
    public var amount: Decimal?

    public init(pack: String, event: String) {
        self.pack = pack
        self.event = event
    }

    /// The date fields by the names packs use for their references.
    func dateText(_ field: String) -> String? {
        switch field {
        case "eventDate": eventDate
        case "bookingDate": bookingDate
        case "departure": departure
        case "arrival": arrival
        case "returnDate": returnDate
        case "travelDate": travelDate
        case "lastIncreaseDate": lastIncreaseDate
        case "issueDate": issueDate
        default: nil
        }
    }

    static let dateFields: Set<String> = [
        "eventDate", "bookingDate", "departure", "arrival", "returnDate", "travelDate",
        "lastIncreaseDate", "issueDate"
    ]
}

public struct Charge: Codable, Hashable, Sendable {
    public var kind: String
    public var amount: Decimal
    public var currency: String
    public var atLeast: Bool
}

public struct Indemnity: Codable, Hashable, Sendable {
    public var amount: Decimal
    public var currency: String
    public var atLeast: Bool
}

public struct Installment: Codable, Hashable, Sendable {
    public var dueDate: String
    public var amount: Decimal
    public var currency: String
}

public struct Deadline: Codable, Hashable, Sendable {
    public var kind: String
    public var date: String
}

public struct ConditionsAssessment: Codable, Hashable, Sendable {
    public var pack: String
    public var version: String
    public var event: String
    public var allowed: Bool
    public var charges: [Charge] = []
    public var refund: Amount?
    public var indemnity: Indemnity?
    public var value: Amount?
    public var installments: [Installment] = []
    public var deadlines: [Deadline] = []
    public var options: [String] = []
    public var citations: [String] = []
    public var notes: [String] = []

    enum CodingKeys: String, CodingKey {
        case pack, version, event, allowed, charges, refund, indemnity, value, installments, deadlines, options, citations, notes
    }

    /// Every key is written, with null where nothing applies, so clients can rely on the shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pack, forKey: .pack)
        try c.encode(version, forKey: .version)
        try c.encode(event, forKey: .event)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(charges, forKey: .charges)
        try c.encode(refund, forKey: .refund)
        try c.encode(indemnity, forKey: .indemnity)
        try c.encode(value, forKey: .value)
        try c.encode(installments, forKey: .installments)
        try c.encode(deadlines, forKey: .deadlines)
        try c.encode(options, forKey: .options)
        try c.encode(citations, forKey: .citations)
        try c.encode(notes, forKey: .notes)
    }
}

public enum ConditionsError: Error, Sendable {
    case unknownPack(String)
    case unknownEvent(pack: String, event: String, known: [String])
    case noVersion(pack: String, date: String)
    case invalid([FieldError])
}
