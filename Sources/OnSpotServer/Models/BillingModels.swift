import Fluent
import Foundation
import OnSpotCore

/// The price of a trip's service when booked or re-quoted, with the grid version used (issue 5, item 1).
final class QuoteRecord: Model, @unchecked Sendable {
    static let schema = "quotes"
    @ID(key: .id) var id: UUID?
    @Field(key: "trip_id") var tripID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "plan_code") var planCode: PlanCode
    @Field(key: "grid_version") var gridVersion: Int
    @Field(key: "travellers") var travellers: Int
    @Field(key: "days") var days: Int
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "superseded_at") var supersededAt: Date?
    init() {}
    var money: Money { Money(minorUnits: amountMinor, currency: currency) }
}

/// A card payment (LIGHT booking, PLUS invoice) or a redemption of credits against an invoice.
final class PaymentRecord: Model, @unchecked Sendable {
    static let schema = "payments"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "invoice_id") var invoiceID: UUID?
    @OptionalField(key: "trip_id") var tripID: UUID?
    @OptionalField(key: "quote_id") var quoteID: UUID?
    @Field(key: "provider") var provider: PaymentProvider
    @OptionalField(key: "provider_reference") var providerReference: String?
    @Field(key: "kind") var kind: PaymentKind
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "status") var status: PaymentStatus
    @OptionalField(key: "idempotency_key") var idempotencyKey: String?
    @OptionalField(key: "failure_message") var failureMessage: String?
    @OptionalField(key: "receipt_sent_at") var receiptSentAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
    var money: Money { Money(minorUnits: amountMinor, currency: currency) }
}

final class RefundRecord: Model, @unchecked Sendable {
    static let schema = "refunds"
    @ID(key: .id) var id: UUID?
    @Field(key: "payment_id") var paymentID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "provider_reference") var providerReference: String?
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "status") var status: RefundStatus
    @Field(key: "created_at") var createdAt: Date
    /// Why: "cancellation", or "quote:<id>" for the difference after a trip was shortened to that quote. One refund
    /// per payment and cause, so a retry never refunds twice.
    @Field(key: "cause") var cause: String
    /// 0 for the first request; raised each time a refund the provider refused is tried again, so the retry carries a
    /// new idempotency key (the provider replays its answer to a key it has seen).
    @Field(key: "attempt") var attempt: Int
    init() {
        cause = Self.cancellation
        attempt = 0
    }

    /// Tries of one refund before it is left to an OnSpot admin, and the wait between two.
    static let maxAttempts = 3
    static let retryAfter: TimeInterval = 600

    /// Derived from the row alone, so a request sent again after no answer is the same request: "refund-<payment>"
    /// for a cancellation, "-<quote or credit note id>" after it for the other causes, "-retry<n>" after a refusal.
    var idempotencyKey: String {
        let suffix = cause == Self.cancellation ? "" : "-" + (cause.split(separator: ":", maxSplits: 1).last.map(String.init) ?? cause)
        return "refund-\(paymentID.uuidString.lowercased())\(suffix)\(attempt > 0 ? "-retry\(attempt)" : "")"
    }

    /// Written before the provider was called and never answered (it could not be reached): sent again as is.
    var unanswered: Bool { status == .pending && providerReference == nil }

    static let cancellation = "cancellation"
    static func shortened(to quoteID: UUID) -> String { "quote:\(quoteID.uuidString.lowercased())" }
    /// The overpayment a credit note left on a paid invoice.
    static func creditNote(_ noteID: UUID) -> String { "credit_note:\(noteID.uuidString.lowercased())" }
}

extension Sequence where Element == RefundRecord {
    /// What these refunds gave back, or have on its way back: a refused or cancelled one gave nothing.
    var givenBackMinor: Int64 { filter { !$0.status.gaveNothingBack }.reduce(0) { $0 + $1.amountMinor } }
}

final class InvoiceRecord: Model, @unchecked Sendable {
    static let schema = "invoices"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "number") var number: String
    @Field(key: "sequence") var sequence: Int
    /// The month of the departures it bills, "2027-01".
    @Field(key: "period") var period: String
    @Field(key: "status") var status: InvoiceStatus
    @Field(key: "kind") var kind: InvoiceKind
    /// The period its departures fall in, "2026-12". The schema keeps one row per agency and period for the monthly run,
    /// so a supplementary invoice stores its number after the period ("2026-12+000007").
    var billingPeriod: String { String(period.prefix(7)) }
    @Field(key: "total_minor") var totalMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "issued_at") var issuedAt: Date
    /// The earliest line's due date.
    @Field(key: "due_at") var dueAt: Date
    init() { kind = .monthly }
}

final class InvoiceLineRecord: Model, @unchecked Sendable {
    static let schema = "invoice_lines"
    @ID(key: .id) var id: UUID?
    @Field(key: "invoice_id") var invoiceID: UUID
    @OptionalField(key: "trip_id") var tripID: UUID?
    @OptionalField(key: "quote_id") var quoteID: UUID?
    @Field(key: "description") var description: String
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "status") var status: InvoiceLineStatus
    init() {}
}

final class CreditNoteRecord: Model, @unchecked Sendable {
    static let schema = "credit_notes"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @OptionalField(key: "invoice_id") var invoiceID: UUID?
    @OptionalField(key: "invoice_line_id") var invoiceLineID: UUID?
    @Field(key: "number") var number: String
    @Field(key: "sequence") var sequence: Int
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "reason") var reason: String
    /// The quote whose difference it credits (a shortened trip); nil for a line credited whole.
    @OptionalField(key: "quote_id") var quoteID: UUID?
    @Field(key: "issued_at") var issuedAt: Date
    init() {}
}

final class DunningNotice: Model, @unchecked Sendable {
    static let schema = "dunning_notices"
    @ID(key: .id) var id: UUID?
    @Field(key: "invoice_line_id") var invoiceLineID: UUID
    @Field(key: "stage") var stage: DunningPolicy.Stage
    @Field(key: "sent_at") var sentAt: Date
    init() {}
}

/// A scheduled run that happened: its key ("invoices:2027-01") is unique, so a rerun does nothing.
final class JobRun: Model, @unchecked Sendable {
    static let schema = "job_runs"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "summary") var summary: String?
    init() {}
}

final class StripeEventRecord: Model, @unchecked Sendable {
    static let schema = "stripe_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: String
    @Field(key: "type") var type: String
    @Field(key: "received_at") var receivedAt: Date
    /// The raw body as Stripe sent it, for replay.
    @Field(key: "payload") var payload: String
    @OptionalField(key: "processed_at") var processedAt: Date?
    init() {}
}

final class ActivityRecord: Model, @unchecked Sendable {
    static let schema = "activities"
    @ID(key: .id) var id: UUID?
    @Field(key: "destination_id") var destinationID: UUID
    @Field(key: "name") var name: String
    /// "excursion", "attraction", "show", "restaurant", "transport"…
    @Field(key: "activity_type") var activityType: String
    /// What it is, in a few words: "boat tour", "theme park ticket".
    @Field(key: "nature") var nature: String
    @Field(key: "supplier") var supplier: String
    @Field(key: "price_minor") var priceMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "commissionable") var commissionable: Bool
    @Field(key: "active") var active: Bool
    @Field(key: "pitch_fr") var pitchFR: String
    @Field(key: "pitch_en") var pitchEN: String
    @Field(key: "pitch_pt") var pitchPT: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
    func pitch(_ language: Language) -> String { language == .pt ? pitchPT : language == .en ? pitchEN : pitchFR }
    var price: Money { Money(minorUnits: priceMinor, currency: currency) }
}

final class ActivityBookingRecord: Model, @unchecked Sendable {
    static let schema = "activity_bookings"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "traveller_id") var travellerID: UUID
    @OptionalField(key: "trip_id") var tripID: UUID?
    @OptionalField(key: "destination_id") var destinationID: UUID?
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "activity_id") var activityID: UUID?
    @Field(key: "activity_name") var activityName: String
    @Field(key: "activity_type") var activityType: String
    @Field(key: "activity_nature") var activityNature: String
    @Field(key: "supplier") var supplier: String
    @Field(key: "commissionable") var commissionable: Bool
    @Field(key: "amount_billed_minor") var amountBilledMinor: Int64
    @Field(key: "card_fees_minor") var cardFeesMinor: Int64
    @Field(key: "extra_costs_minor") var extraCostsMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "booked_by") var bookedBy: UUID?
    @Field(key: "status") var status: ActivityBookingStatus
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancelled_by") var cancelledBy: UUID?
    @OptionalField(key: "cancellation_reason") var cancellationReason: String?
    init() {}

    /// A booking of a catalogue activity: name, type, nature, supplier and commissionability are the catalogue's.
    convenience init(
        activity: ActivityRecord, agencyID: UUID, travellerID: UUID, tripID: UUID?, caseID: UUID?, billedMinor: Int64,
        cardFeesMinor: Int64, extraCostsMinor: Int64, currency: CurrencyCode, requestedAt: Date, bookedBy: UUID?, status: ActivityBookingStatus
    ) {
        self.init()
        self.agencyID = agencyID
        self.travellerID = travellerID
        self.tripID = tripID
        self.destinationID = activity.destinationID
        self.caseID = caseID
        self.activityID = activity.id
        self.activityName = activity.name
        self.activityType = activity.activityType
        self.activityNature = activity.nature
        self.supplier = activity.supplier
        self.commissionable = activity.commissionable
        self.amountBilledMinor = billedMinor
        self.cardFeesMinor = cardFeesMinor
        self.extraCostsMinor = extraCostsMinor
        self.currency = currency
        self.requestedAt = requestedAt
        self.bookedBy = bookedBy
        self.status = status
    }
}

final class CommissionRecord: Model, @unchecked Sendable {
    static let schema = "commissions"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_booking_id") var activityBookingID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "rate_basis_points") var rateBasisPoints: Int
    @Field(key: "base_minor") var baseMinor: Int64
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "created_at") var createdAt: Date
    /// The credits it became, in the agency's currency, at `exchangeRate` (units of that currency per unit of
    /// `currency`, as the admin typed it); nil while no rate exists for the pair.
    @OptionalField(key: "credited_minor") var creditedMinor: Int64?
    @OptionalField(key: "credit_currency") var creditCurrency: CurrencyCode?
    @OptionalField(key: "exchange_rate") var exchangeRate: String?
    @OptionalField(key: "credited_at") var creditedAt: Date?
    /// Taken back when the activity was cancelled: the credits it had given (0 when it had not been credited yet).
    @OptionalField(key: "reversed_at") var reversedAt: Date?
    @OptionalField(key: "reversed_minor") var reversedMinor: Int64?
    init() {}
}

final class LedgerEntryRecord: Model, @unchecked Sendable {
    static let schema = "credit_ledger_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "transaction_id") var transactionID: UUID
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "account") var account: String
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    @Field(key: "kind") var kind: Ledger.Kind
    @OptionalField(key: "memo") var memo: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class RecommendationRecord: Model, @unchecked Sendable {
    static let schema = "recommendations"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "traveller_id") var travellerID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "sent_at") var sentAt: Date
    init() {}
}

final class MilesExportRecord: Model, @unchecked Sendable {
    static let schema = "miles_exports"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "ledger_transaction_id") var ledgerTransactionID: UUID
    @Field(key: "amount_minor") var amountMinor: Int64
    @Field(key: "miles") var miles: Int64
    @Field(key: "member_number") var memberNumber: String
    @OptionalField(key: "partner_reference") var partnerReference: String?
    @Field(key: "status") var status: MilesExportStatus
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class CommissionClaim: Model, @unchecked Sendable {
    static let schema = "commission_claims"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "trip_id") var tripID: UUID
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "activity_date") var activityDate: Date
    @Field(key: "amount_billed_minor") var amountBilledMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    /// The supplier's voucher or booking number: one claim per reference.
    @Field(key: "supplier_reference") var supplierReference: String
    @Field(key: "status") var status: CommissionClaimStatus
    @Field(key: "submitted_at") var submittedAt: Date
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decision_note") var decisionNote: String?
    @OptionalField(key: "activity_booking_id") var activityBookingID: UUID?
    init() {}
}
