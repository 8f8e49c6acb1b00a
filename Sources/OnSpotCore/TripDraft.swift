import Foundation

/// What an agent (portal form) or an agency's system (API) submits to register a trip.
/// Both paths validate through here so the rules cannot drift apart.
public struct TravellerDraft: Hashable, Codable, Sendable {
    public var firstName: String
    public var lastName: String
    public var dateOfBirth: String?
    public var phone: String?
    public var email: String?
    public var language: String?
    public var consentsToCallRecording: Bool?
    public var consentsToRecommendations: Bool?
    /// Flight disruptions and severe weather sent unasked on WhatsApp: opt-in (WhatsApp's business policy requires it
    /// for messages the traveller did not ask for, and GDPR does not count a pre-ticked box), so nil means no.
    public var consentsToAlerts: Bool?

    public init(
        firstName: String, lastName: String, dateOfBirth: String? = nil, phone: String? = nil,
        email: String? = nil, language: String? = nil, consentsToCallRecording: Bool? = nil,
        consentsToRecommendations: Bool? = nil, consentsToAlerts: Bool? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.email = email
        self.language = language
        self.consentsToCallRecording = consentsToCallRecording
        self.consentsToRecommendations = consentsToRecommendations
        self.consentsToAlerts = consentsToAlerts
    }
}

public struct ValidTraveller: Hashable, Sendable {
    public var firstName: String
    public var lastName: String
    public var dateOfBirth: String?
    public var phone: PhoneNumber?
    public var email: String?
    public var language: Language
    public var consentsToCallRecording: Bool
    public var consentsToRecommendations: Bool
    public var consentsToAlerts: Bool
}

public struct TripDraft: Sendable {
    public var reference: String?
    public var destinationCodes: [String]
    public var departure: Date?
    public var arrival: Date?
    public var returnDate: Date?
    public var notes: String?
    public var travellers: [TravellerDraft]

    public init(
        reference: String?, destinationCodes: [String], departure: Date?, arrival: Date?, returnDate: Date?,
        notes: String?, travellers: [TravellerDraft]
    ) {
        self.reference = reference
        self.destinationCodes = destinationCodes
        self.departure = departure
        self.arrival = arrival
        self.returnDate = returnDate
        self.notes = notes
        self.travellers = travellers
    }
}

public struct ValidTrip: Sendable {
    public var reference: String?
    public var destinationCodes: [String]
    public var departure: Date
    /// Arrival at the final destination; the departure when not given (the window then opens earlier, never later).
    public var arrival: Date
    public var returnDate: Date
    public var notes: String?
    public var travellers: [ValidTraveller]
}

public enum TripValidation {
    public static let maximumTravellers = 20
    public static let maximumDestinations = 10

    /// Why a trip is validated, which decides what binds it.
    public enum Purpose: Sendable, Equatable {
        /// A new trip: the 72-hour registration deadline applies, and it needs its travellers.
        case registration
        /// A registered trip's own fields (travellers are edited one by one): it may be edited after the deadline, but
        /// never moved to depart earlier than the deadline allows.
        case edit(registeredDeparture: Date)
        /// Trips written by the demo seed or a test fixture, dated as they need: no deadline.
        case seed

        func deadlineApplies(to departure: Date) -> Bool {
            switch self {
            case .registration: true
            case .edit(let registered): departure < registered
            case .seed: false
            }
        }

        var validatesTravellers: Bool { if case .edit = self { false } else { true } }
    }

    public static func validate(
        _ draft: TripDraft, knownDestinations: Set<String>, now: Date,
        purpose: Purpose = .registration, defaultLanguage: Language
    ) -> Result<ValidTrip, ValidationFailure> {
        func travellerErrors(_ drafts: [TravellerDraft], _ language: Language) -> ([ValidTraveller], [FieldError]) {
            purpose.validatesTravellers ? Self.travellerErrors(drafts, language) : ([], [])
        }
        var errors: [FieldError] = []
        let reference = draft.reference?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let reference, reference.count > 64 {
            errors.append(FieldError(field: "reference", message: "error.too_long"))
        }
        let codes = draft.destinationCodes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if codes.isEmpty {
            errors.append(FieldError(field: "destinations", message: "trip.error.destination_required"))
        } else if codes.count > maximumDestinations {
            errors.append(FieldError(field: "destinations", message: "error.too_many"))
        }
        for (i, code) in codes.enumerated() where !knownDestinations.contains(code) {
            errors.append(FieldError(field: "destinations[\(i)]", message: "trip.error.unknown_destination"))
        }
        if Set(codes).count != codes.count {
            errors.append(FieldError(field: "destinations", message: "trip.error.duplicate_destination"))
        }
        guard let departure = draft.departure else {
            errors.append(FieldError(field: "departure", message: "error.required"))
            return .failure(ValidationFailure(errors + travellerErrors(draft.travellers, defaultLanguage).1))
        }
        let arrival = draft.arrival ?? departure
        if arrival < departure {
            errors.append(FieldError(field: "arrival", message: "trip.error.arrival_before_departure"))
        }
        guard let returnDate = draft.returnDate else {
            errors.append(FieldError(field: "return", message: "error.required"))
            return .failure(ValidationFailure(errors + travellerErrors(draft.travellers, defaultLanguage).1))
        }
        if returnDate <= arrival {
            errors.append(FieldError(field: "return", message: "trip.error.return_before_arrival"))
        } else if returnDate.timeIntervalSince(departure) > 400 * 86400 {
            errors.append(FieldError(field: "return", message: "trip.error.too_long"))
        }
        if purpose.deadlineApplies(to: departure) && !TripRules.isRegistrationOpen(departure: departure, now: now) {
            errors.append(FieldError(field: "departure", message: "trip.error.registration_deadline"))
        }
        if let notes = draft.notes, notes.count > 4000 {
            errors.append(FieldError(field: "notes", message: "error.too_long"))
        }
        let (travellers, tErrors) = travellerErrors(draft.travellers, defaultLanguage)
        errors += tErrors
        if !errors.isEmpty { return .failure(ValidationFailure(errors)) }
        return .success(
            ValidTrip(
                reference: reference, destinationCodes: codes, departure: departure, arrival: arrival,
                returnDate: returnDate, notes: draft.notes?.nilIfEmpty, travellers: travellers))
    }

    public static func validateTraveller(_ t: TravellerDraft, index: Int?, defaultLanguage: Language)
        -> (ValidTraveller?, [FieldError])
    {
        let prefix = index.map { "travellers[\($0)]." } ?? ""
        var errors: [FieldError] = []
        let first = t.firstName.trimmingCharacters(in: .whitespaces)
        let last = t.lastName.trimmingCharacters(in: .whitespaces)
        if first.isEmpty { errors.append(FieldError(field: prefix + "firstName", message: "error.required")) }
        if last.isEmpty { errors.append(FieldError(field: prefix + "lastName", message: "error.required")) }
        if first.count > 100 { errors.append(FieldError(field: prefix + "firstName", message: "error.too_long")) }
        if last.count > 100 { errors.append(FieldError(field: prefix + "lastName", message: "error.too_long")) }
        var phone: PhoneNumber?
        if let raw = t.phone?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            phone = PhoneNumber(raw)
            if phone == nil { errors.append(FieldError(field: prefix + "phone", message: "error.phone_e164")) }
        }
        var email: String?
        if let raw = t.email?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if EmailAddress.isValid(raw) {
                email = EmailAddress.normalised(raw)
            } else {
                errors.append(FieldError(field: prefix + "email", message: "error.email"))
            }
        }
        var birth: String?
        if let raw = t.dateOfBirth?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let date = CivilDate(raw), date.year >= 1900, date.year <= 2100 {
                birth = date.description
            } else {
                errors.append(FieldError(field: prefix + "dateOfBirth", message: "error.date"))
            }
        }
        var language = defaultLanguage
        if let raw = t.language?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let l = Language(rawValue: raw.lowercased()) {
                language = l
            } else {
                errors.append(FieldError(field: prefix + "language", message: "error.language"))
            }
        }
        guard errors.isEmpty else { return (nil, errors) }
        return (
            ValidTraveller(
                firstName: first, lastName: last, dateOfBirth: birth, phone: phone, email: email,
                language: language, consentsToCallRecording: t.consentsToCallRecording ?? true,
                consentsToRecommendations: t.consentsToRecommendations ?? false, consentsToAlerts: t.consentsToAlerts ?? false), []
        )
    }

    private static func travellerErrors(_ drafts: [TravellerDraft], _ language: Language) -> ([ValidTraveller], [FieldError]) {
        if drafts.isEmpty { return ([], [FieldError(field: "travellers", message: "trip.error.traveller_required")]) }
        if drafts.count > maximumTravellers { return ([], [FieldError(field: "travellers", message: "error.too_many")]) }
        var valid: [ValidTraveller] = []
        var errors: [FieldError] = []
        for (i, draft) in drafts.enumerated() {
            let (t, e) = validateTraveller(draft, index: i, defaultLanguage: language)
            if let t { valid.append(t) }
            errors += e
        }
        return (valid, errors)
    }
}

/// A calendar date without time or zone (dates of birth).
public struct CivilDate: Hashable, Codable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m)
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
            cal.component(.day, from: date) == d, cal.component(.month, from: date) == m
        else { return nil }
        year = y; month = m; day = d
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

extension String {
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
