/// The scope of action (champ d'action, clause 2.10 and article 8): for each domain, how far an expert
/// may go with the agency's money before asking for written approval.
public enum ScopeDomain: String, StoredCode {
    case carRental = "car_rental"
    case flights
    case accommodation
    case activities
    case transfers
    case lostItems = "lost_items"
    case itineraryChanges = "itinerary_changes"
    case medicalEmergency = "medical_emergency"
    case other
}

public enum InvolvementLevel: String, StoredCode {
    /// The expert informs the traveller; never spends.
    case informOnly = "inform_only"
    /// The expert may act once the agency has approved in writing.
    case actAfterApproval = "act_after_approval"
    /// The expert may spend up to the cap per case without asking.
    case actWithinCap = "act_within_cap"
}

public struct ScopeRule: Hashable, Codable, Sendable {
    public var domain: ScopeDomain
    public var level: InvolvementLevel
    /// Spending cap per case in the agency's currency, minor units. Meaningful for `actWithinCap`.
    public var capMinorUnits: Int64

    public init(domain: ScopeDomain, level: InvolvementLevel, capMinorUnits: Int64) {
        self.domain = domain
        self.level = level
        self.capMinorUnits = capMinorUnits
    }
}

public struct ScopeOfAction: Hashable, Codable, Sendable {
    public var rules: [ScopeRule]

    public init(rules: [ScopeRule]) { self.rules = rules }

    /// The cautious default offered at sign-up: every domain needs the agency's approval.
    public static let cautiousDefault = ScopeOfAction(
        rules: ScopeDomain.allCases.map {
            ScopeRule(domain: $0, level: .actAfterApproval, capMinorUnits: 0)
        })

    public func rule(for domain: ScopeDomain) -> ScopeRule {
        rules.first { $0.domain == domain } ?? ScopeRule(domain: domain, level: .actAfterApproval, capMinorUnits: 0)
    }

    /// Every domain answered exactly once; a cap above zero where the level relies on it.
    public func validate(maximumCapMinorUnits: Int64 = 100_000_000) -> [FieldError] {
        var errors: [FieldError] = []
        for domain in ScopeDomain.allCases {
            let matching = rules.filter { $0.domain == domain }
            if matching.count != 1 {
                errors.append(FieldError(field: "scope.\(domain.rawValue)", message: "scope.error.answer_once"))
                continue
            }
            let rule = matching[0]
            if rule.capMinorUnits < 0 || rule.capMinorUnits > maximumCapMinorUnits {
                errors.append(FieldError(field: "scope.\(domain.rawValue).cap", message: "scope.error.cap_range"))
            } else if rule.level == .actWithinCap && rule.capMinorUnits == 0 {
                errors.append(FieldError(field: "scope.\(domain.rawValue).cap", message: "scope.error.cap_required"))
            }
        }
        return errors
    }
}
