import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Payments of a trip's service or an invoice: by card through the gateway, or with credits; receipts (clause 4.1).
enum CardPayments {
    struct TripAccount {
        var quote: QuoteRecord?
        var paidMinor: Int64
        var refundedMinor: Int64
        var payments: [PaymentRecord]
        var refunds: [RefundRecord] = []
        /// What the quote still asks once refunds are taken off what was paid.
        var dueMinor: Int64 { max(0, (quote?.amountMinor ?? 0) - (paidMinor - refundedMinor)) }
        /// Every refund went through (none pending at the provider or failed).
        var refundsSettled: Bool { refunds.allSatisfy { $0.status == .succeeded } }
        var processing: Bool { payments.contains { $0.status == .processing } }

        /// Why this trip cannot be paid now, if it cannot.
        func refusal(for trip: Trip) -> PaymentRefusal? {
            PaymentRefusal.forTrip(status: trip.status, plan: trip.planCode, dueMinor: dueMinor, processing: processing)
                ?? (quote == nil ? .nothingDue : nil)
        }
    }

    static func account(tripID: UUID, on db: any Database) async throws -> TripAccount {
        let quote = try await Quotes.currentQuote(tripID: tripID, on: db)
        let payments = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).sort(\.$createdAt).all()
        let paid = payments.filter { $0.status == .succeeded }.reduce(Int64(0)) { $0 + $1.amountMinor }
        let refunds = try await RefundRecord.query(on: db).filter(\.$paymentID ~~ payments.compactMap(\.id)).all()
        return TripAccount(
            quote: quote, paidMinor: paid, refundedMinor: refunds.givenBackMinor, payments: payments, refunds: refunds)
    }

    /// Charges what a LIGHT trip still owes.
    static func payTrip(_ trip: Trip, paymentMethod: String, app: Application, db: any Database) async throws -> PaymentRecord {
        let tripID = try trip.requireID()
        let account = try await account(tripID: tripID, on: db)
        if let refusal = account.refusal(for: trip) { throw refusal }
        guard let quote = account.quote else { throw PaymentRefusal.nothingDue }
        return try await chargeCard(
            agencyID: trip.$agency.id, tripID: tripID, invoiceID: nil, quoteID: quote.id,
            amount: Money(minorUnits: account.dueMinor, currency: quote.money.currency),
            description: "OnSpot Connect \(trip.reference ?? tripID.uuidString)", paymentMethod: paymentMethod, app: app, db: db)
    }

    /// Charges what a PLUS invoice still owes (its lines not covered by earlier payments or credits).
    static func payInvoice(_ invoice: InvoiceRecord, paymentMethod: String, app: Application, db: any Database) async throws -> PaymentRecord {
        let account = try await Invoicing.invoiceAccount(invoice, on: db)
        if let refusal = PaymentRefusal.forInvoice(dueMinor: account.dueMinor, processing: account.payments.contains { $0.status == .processing }) {
            throw refusal
        }
        return try await chargeCard(
            agencyID: invoice.agencyID, tripID: nil, invoiceID: try invoice.requireID(), quoteID: nil,
            amount: Money(minorUnits: account.dueMinor, currency: invoice.currency),
            description: "OnSpot Connect \(invoice.number)", paymentMethod: paymentMethod, app: app, db: db)
    }

    /// One card payment. The row exists before the provider is called, its id is the idempotency key and travels in the
    /// metadata, so a webhook that outruns the answer still finds it.
    static func chargeCard(
        agencyID: UUID, tripID: UUID?, invoiceID: UUID?, quoteID: UUID?, amount: Money, description: String,
        paymentMethod: String, app: Application, db: any Database
    ) async throws -> PaymentRecord {
        let payment = PaymentRecord()
        payment.id = UUID()
        payment.agencyID = agencyID
        payment.tripID = tripID
        payment.invoiceID = invoiceID
        payment.quoteID = quoteID
        payment.provider = app.payments.provider
        payment.kind = .card
        payment.amountMinor = amount.minorUnits
        payment.currency = amount.currency
        payment.status = .processing
        payment.idempotencyKey = payment.id!.uuidString.lowercased()
        payment.createdAt = AppClock.now
        payment.updatedAt = AppClock.now
        // One payment in progress per trip or invoice (partial unique index): a double submission is refused, not charged.
        do { try await payment.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure {
            throw PaymentRefusal.alreadyProcessing
        }
        // Read again once the row holds the slot: a payment that succeeded between the caller's check and now leaves
        // less (or nothing) to pay, and this attempt stands down rather than charge twice.
        var stillDue = amount.minorUnits
        if let tripID {
            stillDue = try await account(tripID: tripID, on: db).dueMinor
        } else if let invoiceID, let invoice = try await InvoiceRecord.find(invoiceID, on: db) {
            stillDue = try await Invoicing.invoiceAccount(invoice, on: db).dueMinor
        }
        guard stillDue >= amount.minorUnits else {
            payment.status = .failed
            payment.failureMessage = "superseded by a payment made meanwhile"
            try await payment.save(on: db)
            throw PaymentRefusal.nothingDue
        }
        var metadata = ["payment_id": payment.idempotencyKey!]
        if let tripID { metadata["trip_id"] = tripID.uuidString.lowercased() }
        if let invoiceID { metadata["invoice_id"] = invoiceID.uuidString.lowercased() }
        let outcome: ChargeOutcome
        do {
            outcome = try await app.payments.charge(
                ChargeRequest(
                    amount: amount, description: description, paymentMethod: paymentMethod,
                    idempotencyKey: payment.idempotencyKey!, metadata: metadata))
        } catch {
            // Nothing is known to have been charged: the attempt is closed; a later webhook for it would still settle it.
            payment.status = .failed
            payment.failureMessage = String(describing: error)
            payment.updatedAt = AppClock.now
            try await payment.save(on: db)
            throw error
        }
        switch outcome {
        case .succeeded(let reference):
            payment.providerReference = reference
            try await payment.save(on: db)
            try await settle(paymentID: payment.requireID(), succeeded: true, message: nil, app: app, db: db)
        case .processing(let reference):
            payment.providerReference = reference
            try await payment.save(on: db)
        case .declined(let reference, let message):
            payment.providerReference = reference
            try await payment.save(on: db)
            try await settle(paymentID: payment.requireID(), succeeded: false, message: message, app: app, db: db)
        }
        return try await PaymentRecord.find(payment.id, on: db) ?? payment
    }

    /// Credits spent on a LIGHT trip's service (clause 2.4: redeemable on the portal).
    static func payTripWithCredits(_ trip: Trip, amountMinor: Int64, app: Application, db: any Database) async throws -> PaymentRecord {
        let tripID = try trip.requireID()
        let account = try await account(tripID: tripID, on: db)
        if let refusal = PaymentRefusal.forTrip(status: trip.status, plan: trip.planCode, dueMinor: account.dueMinor, processing: account.processing)
        {
            throw refusal
        }
        guard let quote = account.quote else { throw PaymentRefusal.nothingDue }
        guard amountMinor > 0, amountMinor <= account.dueMinor else { throw PaymentRefusal.nothingDue }
        let payment = try await CreditsService.spend(
            amountMinor, agencyID: trip.$agency.id, currency: quote.money.currency,
            memo: "trip \(trip.reference ?? tripID.uuidString)", tripID: tripID, quoteID: quote.id, on: db)
        try await LightPayments.markPaidIfSettled(tripID: tripID, app: app, db: db)
        return payment
    }

    /// Moves a payment to its final state once: a success is never undone by a late failure event, and the receipt
    /// leaves once whichever of the answer and the webhook comes first.
    static func settle(paymentID: UUID, succeeded: Bool, message: String?, app: Application, db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let now = AppClock.now
        if succeeded {
            try await sql.update(PaymentRecord.schema).set("status", to: PaymentStatus.succeeded.rawValue).set("updated_at", to: now)
                .where("id", .equal, paymentID).where("status", .notEqual, PaymentStatus.succeeded.rawValue).run()
        } else {
            try await sql.update(PaymentRecord.schema).set("status", to: PaymentStatus.failed.rawValue).set(
                "failure_message", to: message ?? "declined"
            )
            .set("updated_at", to: now).where("id", .equal, paymentID).where("status", .equal, PaymentStatus.processing.rawValue).run()
        }
        guard succeeded else { return }
        // Claim the receipt: only the caller whose update changes the row sends it.
        let claimed = try await sql.update(PaymentRecord.schema).set("receipt_sent_at", to: now)
            .where("id", .equal, paymentID).where("receipt_sent_at", .is, SQLLiteral.null).returning("id").all()
        guard !claimed.isEmpty, let payment = try await PaymentRecord.find(paymentID, on: db) else { return }
        try await sendReceipt(payment, app: app, db: db)
        if let invoiceID = payment.invoiceID {
            try await Invoicing.markInvoicePaidIfSettled(invoiceID, on: db)
            // Confirmed after a credit note landed on its invoice: what it overpays goes back now.
            try await Cancellations.settleInvoice(invoiceID, app: app, db: db)
        }
        if let tripID = payment.tripID { try await LightPayments.markPaidIfSettled(tripID: tripID, app: app, db: db) }
    }

    /// Billing mail goes to the agency's active administrators.
    static func activeAdmins(of agencyID: UUID, on db: any Database) async throws -> [User] {
        try await User.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$role == Role.agencyAdmin).filter(\.$active == true).all()
    }

    static func sendReceipt(_ payment: PaymentRecord, app: Application, db: any Database) async throws {
        guard let agency = try await Agency.find(payment.agencyID, on: db) else { return }
        let lang = agency.language
        let recipients = try await activeAdmins(of: payment.agencyID, on: db).map(\.email)
        var what = ""
        if let tripID = payment.tripID, let trip = try await Trip.find(tripID, on: db) { what = trip.reference ?? tripID.uuidString }
        if let invoiceID = payment.invoiceID, let invoice = try await InvoiceRecord.find(invoiceID, on: db) { what = invoice.number }
        let link = app.onspot.publicBaseURL + SiteURL.receipt(try payment.requireID()).path
        for to in recipients {
            try await Mailer.send(
                OutgoingMail(
                    to: to, subject: L10n.t("billing.receipt.subject", lang, ["what": what]),
                    body: L10n.t(
                        "billing.receipt.body", lang,
                        [
                            "amount": payment.money.formatted(lang), "what": what, "link": link,
                            "reference": payment.providerReference ?? "—"
                        ])),
                kind: .paymentReceipt, agencyID: payment.agencyID, userID: nil, db: db, app: app)
        }
    }
}
