import Fluent
import Foundation
import OnSpotCore

/// An outlay an expert records on a case, with the decision the scope of action gave and the rate used.
final class CostAction: Model, @unchecked Sendable {
    static let schema = "cost_actions"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "domain") var domain: ScopeDomain
    @Field(key: "supplier") var supplier: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "agency_amount_minor") var agencyAmountMinor: Int64
    @Field(key: "agency_currency") var agencyCurrency: CurrencyCode
    /// The rate used, as the admin typed it ("1" when no conversion was needed).
    @Field(key: "exchange_rate") var exchangeRate: String
    @Field(key: "is_booking_change") var isBookingChange: Bool
    @Field(key: "decision") var decision: CostOutcome
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "scope_version_id") var scopeVersionID: UUID
    @OptionalField(key: "emergency_justification") var emergencyJustification: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var agencyMoney: Money { Money(minorUnits: agencyAmountMinor, currency: agencyCurrency) }
    var localMoney: Money { Money(minorUnits: amountMinor, currency: currency) }
}

/// A request for the agency's written agreement. The decision, with who, when, through which channel and the exact
/// text and amount shown, is the written agreement of clause 2.10.
final class Approval: Model, @unchecked Sendable {
    static let schema = "approvals"
    @ID(key: .id) var id: UUID?
    @Field(key: "cost_action_id") var costActionID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "case_id") var caseID: UUID?
    @Field(key: "status") var status: ApprovalStatus
    @Field(key: "shown_text") var shownText: String
    @Field(key: "shown_amount_minor") var shownAmountMinor: Int64
    @Field(key: "shown_currency") var shownCurrency: CurrencyCode
    /// Keyed digest of the emailed link's token; the token itself is never stored.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "requested_by") var requestedBy: UUID?
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_by_email") var decidedByEmail: String?
    @OptionalField(key: "decided_via") var decidedVia: ApprovalChannel?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "escalated_at") var escalatedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    static let lifetime: TimeInterval = 48 * 3600
    static let defaultEscalationMinutes = 60
    var shownMoney: Money { Money(minorUnits: shownAmountMinor, currency: shownCurrency) }
}

final class ExchangeRateRecord: Model, @unchecked Sendable {
    static let schema = "exchange_rates"
    @ID(key: .id) var id: UUID?
    @Field(key: "from_currency") var fromCurrency: CurrencyCode
    @Field(key: "to_currency") var toCurrency: CurrencyCode
    @Field(key: "rate") var rate: String
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    init() {}
}
