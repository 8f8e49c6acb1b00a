import Foundation

/// Case categories (channels issue, item 4). Medical or emergency cases, and cases flagged as a safety situation,
/// are the only ones where the expert may act alone (clause 2.10, emergency exception).
public enum CaseCategory: String, StoredCode {
    case carRental = "car_rental", flightDisruption = "flight_disruption", accommodation, itineraryChange = "itinerary_change"
    case lostItems = "lost_items", bookingError = "booking_error", paymentOnSite = "payment_on_site", information
    case activityBooking = "activity_booking", medicalEmergency = "medical_emergency", other

    public var allowsEmergencyOverride: Bool { self == .medicalEmergency }
}

public enum CasePriority: String, StoredCode { case low, normal, high, urgent }

/// What the scope of action says about one outlay (clause 2.10, article 8).
public enum CostOutcome: String, StoredCode {
    /// Within the cap of an "act within cap" domain: the expert goes ahead.
    case allowed
    /// Above the cap, in an "act after approval" domain, or a booking made or changed: wait for the agency in writing.
    case needsApproval = "needs_approval"
    /// The domain is "inform only": the expert informs the traveller and spends nothing.
    case notAllowed = "not_allowed"
    /// Emergency exception: the expert acted alone for the traveller's safety; the agency is told at once.
    case emergencyOverride = "emergency_override"
}

/// One outlay an expert wants to make, in the agency's currency once converted.
public struct CostRequest: Sendable {
    public var domain: ScopeDomain
    public var agencyAmountMinor: Int64
    /// Creating or modifying a booking always needs written agreement (clause 2.10), whatever its cost.
    public var isBookingChange: Bool
    /// What this case has already committed in this domain: allowed, approved and overridden outlays.
    public var spentInDomainMinor: Int64
    /// The expert invokes the emergency exception.
    public var emergency: Bool
    public var caseCategory: CaseCategory
    /// A life-threatening situation: the expert may act at once, even before trying to reach the agency.
    public var safetyFlag: Bool
    public var justification: String?
    /// Recent recorded attempts to reach the agency (clause 2.10's exception is for when it cannot be reached).
    public var agencyContactAttempts: Int

    public init(
        domain: ScopeDomain, agencyAmountMinor: Int64, isBookingChange: Bool = false, spentInDomainMinor: Int64 = 0,
        emergency: Bool = false, caseCategory: CaseCategory = .other, safetyFlag: Bool = false, justification: String? = nil,
        agencyContactAttempts: Int = 0
    ) {
        self.domain = domain
        self.agencyAmountMinor = agencyAmountMinor
        self.isBookingChange = isBookingChange
        self.spentInDomainMinor = spentInDomainMinor
        self.emergency = emergency
        self.caseCategory = caseCategory
        self.safetyFlag = safetyFlag
        self.justification = justification
        self.agencyContactAttempts = agencyContactAttempts
    }

    /// Whether the case is one where the emergency exception may be invoked.
    public var isEmergencyCase: Bool { caseCategory.allowsEmergencyOverride || safetyFlag }
}

public struct CostDecision: Equatable, Sendable {
    public var outcome: CostOutcome
    /// Why, as a message key: the portal and the console state it in the reader's language.
    public var reason: String
    public var capMinor: Int64
    /// What the case will have committed in the domain once this outlay is made.
    public var spentAfterMinor: Int64
}

public enum CostRules {
    public static let minimumJustificationLength = 20
    public static let maximumAmountMinor: Int64 = 100_000_000

    /// Checks the request, then decides. The errors name the form's fields.
    public static func decide(_ r: CostRequest, scope: ScopeOfAction) -> Result<CostDecision, ValidationFailure> {
        var errors: [FieldError] = []
        if r.agencyAmountMinor < 0 || r.agencyAmountMinor > maximumAmountMinor {
            errors.append(FieldError(field: "amount", message: "cost.error.amount"))
        }
        if r.emergency {
            if !r.isEmergencyCase {
                errors.append(FieldError(field: "emergency", message: "cost.error.not_emergency_case"))
            } else if !r.safetyFlag && r.agencyContactAttempts == 0 {
                // The exception is for an agency that cannot be reached: an attempt is recorded first, unless life is at stake.
                errors.append(FieldError(field: "emergency", message: "cost.error.no_contact_attempt"))
            }
            let length = r.justification?.trimmingCharacters(in: .whitespacesAndNewlines).count ?? 0
            if length < minimumJustificationLength { errors.append(FieldError(field: "justification", message: "cost.error.justification")) }
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        let rule = scope.rule(for: r.domain)
        let spentAfter = r.spentInDomainMinor + r.agencyAmountMinor
        func decision(_ outcome: CostOutcome, _ reason: String) -> Result<CostDecision, ValidationFailure> {
            .success(
                CostDecision(
                    outcome: outcome, reason: reason, capMinor: rule.level == .actWithinCap ? rule.capMinorUnits : 0,
                    spentAfterMinor: spentAfter))
        }
        // The emergency exception overrides every level: the traveller's safety comes first and the agency bears it.
        if r.emergency { return decision(.emergencyOverride, "cost.reason.emergency") }
        switch rule.level {
        case .informOnly:
            return decision(.notAllowed, "cost.reason.inform_only")
        case .actAfterApproval:
            return decision(.needsApproval, r.isBookingChange ? "cost.reason.booking_change" : "cost.reason.approval_level")
        case .actWithinCap:
            if r.isBookingChange { return decision(.needsApproval, "cost.reason.booking_change") }
            if spentAfter > rule.capMinorUnits { return decision(.needsApproval, "cost.reason.over_cap") }
            return decision(.allowed, "cost.reason.within_cap")
        }
    }
}

/// Exchange rates are data an OnSpot admin edits; a decision records the rate it used.
public struct ExchangeRate: Hashable, Sendable {
    public var from: CurrencyCode
    public var to: CurrencyCode
    /// Units of `to` for one unit of `from`, as typed (e.g. "0.0512").
    public var rate: Decimal

    public init(from: CurrencyCode, to: CurrencyCode, rate: Decimal) {
        self.from = from
        self.to = to
        self.rate = rate
    }

    /// Converts minor units, rounding half away from zero to the cent.
    public func convert(_ minor: Int64) -> Int64 {
        var exact = Decimal(minor) * rate
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// A rate typed by an admin: positive, at most 6 digits before and 8 after the point.
    public static func parse(_ text: String) -> Decimal? {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard !t.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
            parts[0].count <= 6, parts.count == 1 || parts[1].count <= 8,
            let value = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), value > 0
        else { return nil }
        return value
    }
}

/// How an expert tried to reach the agency before invoking the emergency exception (clause 2.10).
public enum AgencyContactChannel: String, StoredCode { case phone, email, whatsapp, portal }

/// What came of an attempt to reach the agency.
public enum AgencyContactResult: String, StoredCode {
    case noAnswer = "no_answer", voicemail, busy, unreachable
    case reachedWithoutDecision = "no_decision"
}

extension CostOutcome {
    /// Whether an outlay with this outcome commits the agency's money: at once when allowed or overridden in an
    /// emergency, once approved when it needed approval, never when the scope does not allow it.
    public func commits(approval: ApprovalStatus?) -> Bool {
        switch self {
        case .allowed, .emergencyOverride: true
        case .needsApproval: approval == .approved
        case .notAllowed: false
        }
    }
}
