import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// What a cancellation or a shortening within the notice gives back (article 5): LIGHT payments refunded, PLUS lines
/// credited and, when already paid, refunded or turned into credits as the agency chose.
enum Cancellations {
    /// After a cancellation within the notice: LIGHT payments go back, card ones through the gateway and credits to the
    /// balance; on PLUS the invoiced line gets a credit note (a line not yet invoiced simply never will be), and what was
    /// already paid on it goes back as the agency chose. The trip's state says which: `refunded` when money or credits
    /// went back, `credited` when the credit note only cancelled what was still owed.
    static func settleCancellation(_ trip: Trip, app: Application, db: any Database) async throws {
        guard trip.refundState == .pending else { return }
        let tripID = try trip.requireID()
        if trip.planCode == .light {
            let reference = trip.reference ?? tripID.uuidString
            let planned = try await db.transaction { db -> Plan in
                try await lock("trip-refunds:" + tripID.uuidString, on: db)
                let payments = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status == .succeeded).all()
                let refunds = try await RefundRecord.query(on: db).filter(\.$paymentID ~~ payments.compactMap(\.id)).all()
                // Everything not already given back by a shortening goes back now.
                return try await planRefunds(
                    Int64.max, payments: payments, refunds: refunds, cause: RefundRecord.cancellation, keySuffix: "", asCredits: false,
                    memo: "cancellation of \(reference)", on: db)
            }
            let sent = try await send(planned, metadata: ["trip_id": tripID.uuidString.lowercased()], app: app, db: db)
            // Nothing paid, nothing to give back: the state stays "refundable".
            if !planned.failed, !sent.failed, planned.refundedMinor + sent.refundedMinor > 0 {
                trip.refundState = RefundState.refunded
                try await trip.save(on: db)
            }
        } else {
            let lines = try await InvoiceLineRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status ~~ [.open, .paid]).all()
            var gaveBack: Int64 = 0
            var failed = false
            for line in lines {
                guard let note = try await creditNote(for: line, reason: "cancellation", on: db) else { continue }
                let outcome = try await settleOverpayment(after: note, app: app, db: db)
                gaveBack += outcome.refundedMinor
                failed = failed || outcome.failed
            }
            // A line not yet invoiced never will be; only an invoiced one needs its credit note. A refund that failed
            // keeps the state pending until the scheduled retry sends it.
            if !lines.isEmpty, !failed {
                trip.refundState = gaveBack > 0 ? RefundState.refunded : .credited
                try await trip.save(on: db)
            }
        }
    }

    /// A LIGHT trip shortened after it was paid: the difference goes back (article 5: within the plan's notice before
    /// departure; later, the days stay paid), latest payment first, by card through the gateway or to the credits it
    /// was paid with. The refunds are decided under the trip's lock (two edits at once cannot both refund the same
    /// difference) and written before the gateway is called; one per payment and new quote, a failed one tried again on
    /// the next edit with the same idempotency key. Returns what was refunded.
    @discardableResult
    static func refundShortening(_ trip: Trip, app: Application, db: any Database) async throws -> Int64 {
        guard trip.planCode == .light, trip.status == .booked else { return 0 }
        let tripID = try trip.requireID()
        let notice = try await TripService.refundNoticeHours(trip.planCode, on: db)
        let zone = try await Agency.find(trip.$agency.id, on: db)?.zone ?? TimeZone(identifier: "UTC") ?? .current
        guard AppClock.now <= CancellationRules.refundDeadline(departure: trip.departureAt, noticeHours: notice, zone: zone) else { return 0 }

        let reference = trip.reference ?? tripID.uuidString
        let (planned, quoteID) = try await db.transaction { db -> (Plan, UUID?) in
            try await lock("trip-refunds:" + tripID.uuidString, on: db)
            let account = try await CardPayments.account(tripID: tripID, on: db)
            guard let quote = account.quote, let quoteID = quote.id else { return (Plan(), nil) }
            let over = account.paidMinor - account.refundedMinor - quote.amountMinor
            let plan = try await planRefunds(
                over, payments: account.payments.filter { $0.status == .succeeded }, refunds: account.refunds,
                cause: RefundRecord.shortened(to: quoteID), keySuffix: "-" + quoteID.uuidString.lowercased(), asCredits: false,
                memo: "shortened \(reference)", on: db)
            return (plan, quoteID)
        }
        guard let quoteID else { return 0 }
        let sent = try await send(
            planned, metadata: ["trip_id": tripID.uuidString.lowercased(), "quote_id": quoteID.uuidString.lowercased()], app: app, db: db)
        return planned.refundedMinor + sent.refundedMinor
    }

    /// What was paid on an invoice beyond what it now bills, once a credit note took a line down, goes back as the
    /// agency chose (article 5): to the card or credits it came from, or all as OnSpot credits. Decided under the
    /// invoice's lock, one refund per payment and credit note; a card refund that fails is sent again by
    /// `retryCreditNoteRefunds` with the same idempotency key.
    @discardableResult
    static func settleOverpayment(after note: CreditNoteRecord, app: Application, db: any Database) async throws -> (
        refundedMinor: Int64, failed: Bool
    ) {
        guard let invoiceID = note.invoiceID, let noteID = note.id else { return (0, false) }
        let planned = try await db.transaction { db -> Plan in
            try await lock("invoice-refunds:" + invoiceID.uuidString, on: db)
            guard let invoice = try await InvoiceRecord.find(invoiceID, on: db) else { return Plan() }
            let account = try await Invoicing.invoiceAccount(invoice, on: db)
            let preference = try await Agency.find(invoice.agencyID, on: db)?.refundPreference ?? .originalPayment
            return try await planRefunds(
                account.overpaidMinor, payments: account.payments.filter { $0.status == .succeeded }, refunds: account.refunds,
                cause: RefundRecord.creditNote(noteID), keySuffix: "-" + noteID.uuidString.lowercased(),
                asCredits: preference == .credits, memo: "credit note \(note.number)", on: db)
        }
        let sent = try await send(
            planned, metadata: ["invoice_id": invoiceID.uuidString.lowercased(), "credit_note": note.number], app: app, db: db)
        if planned.refundedMinor + sent.refundedMinor > 0 { try await Invoicing.markInvoicePaidIfSettled(invoiceID, on: db) }
        return (planned.refundedMinor + sent.refundedMinor, planned.failed || sent.failed)
    }

    /// The scheduled retry of credit-note refunds the gateway refused or could not be reached for; a cancelled trip
    /// whose refunds all went through is then `refunded`. Returns how many were sent again.
    static func retryCreditNoteRefunds(app: Application, db: any Database) async throws -> Int {
        let failed = try await RefundRecord.query(on: db).filter(\.$status == .failed).filter(\.$cause =~ "credit_note:").all()
        var retried = 0
        for noteID in Set(failed.compactMap { UUID(uuidString: String($0.cause.dropFirst("credit_note:".count))) }) {
            guard let note = try await CreditNoteRecord.find(noteID, on: db) else { continue }
            let outcome = try await settleOverpayment(after: note, app: app, db: db)
            retried += 1
            guard !outcome.failed, let lineID = note.invoiceLineID, let line = try await InvoiceLineRecord.find(lineID, on: db),
                let tripID = line.tripID, let trip = try await Trip.find(tripID, on: db), trip.status == .cancelled, trip.refundState == .pending
            else { continue }
            trip.refundState = .refunded
            try await trip.save(on: db)
        }
        return retried
    }

    // MARK: one refund planner for every cause

    /// Refunds decided inside a transaction: what already went back as credits, and the card refunds to send after it.
    struct Plan {
        var refundedMinor: Int64 = 0
        var card: [(refund: RefundRecord, payment: PaymentRecord, idempotencyKey: String)] = []
        /// A card payment with no reference at the provider: it cannot be refunded automatically.
        var failed = false
    }

    /// Spreads `amount` over `payments`, latest first, for one cause. A payment made with credits goes back to the
    /// credits at once, as does every payment when the agency prefers credits (`asCredits`); a card payment gets a
    /// pending refund row, sent by `send` after the transaction. A payment that already has a refund for this cause
    /// that did not fail is passed over; a failed one is tried again on the same row and idempotency key.
    static func planRefunds(
        _ amount: Int64, payments: [PaymentRecord], refunds: [RefundRecord], cause: String, keySuffix: String, asCredits: Bool, memo: String,
        on db: any Database
    ) async throws -> Plan {
        var plan = Plan()
        var over = amount
        for payment in payments.sorted(by: { $0.createdAt < $1.createdAt }).reversed() where over > 0 {
            let paymentID = try payment.requireID()
            let earlier = refunds.filter { $0.paymentID == paymentID }
            let previous = earlier.first { $0.cause == cause }
            if let previous, previous.status != .failed { continue }
            let refundable = payment.amountMinor - earlier.filter { $0.status != .failed }.reduce(0) { $0 + $1.amountMinor }
            let share = min(over, refundable)
            guard share > 0 else { continue }
            let refund = previous ?? RefundRecord()
            refund.paymentID = paymentID
            refund.agencyID = payment.agencyID
            refund.amountMinor = share
            refund.currency = payment.currency
            refund.cause = cause
            refund.status = .pending
            refund.createdAt = AppClock.now
            if payment.kind == .credits || asCredits {
                let back =
                    payment.kind == .credits
                    ? Ledger.reversal(of: Ledger.redeemed(payment.agencyID, share, currency: payment.currency, memo: ""), memo: memo)
                    : Ledger.refundedAsCredits(payment.agencyID, share, currency: payment.currency, memo: memo)
                try await CreditsService.append(back, agencyID: payment.agencyID, on: db)
                refund.providerReference = "credits"
                refund.status = .succeeded
                plan.refundedMinor += share
            } else if payment.providerReference == nil {
                refund.status = .failed
                plan.failed = true
            }
            try await refund.save(on: db)
            if refund.status == .pending { plan.card.append((refund, payment, "refund-\(paymentID.uuidString.lowercased())\(keySuffix)")) }
            if refund.status != .failed { over -= share }
        }
        return plan
    }

    /// Sends a plan's card refunds through the gateway and records each outcome.
    static func send(_ plan: Plan, metadata: [String: String], app: Application, db: any Database) async throws -> (
        refundedMinor: Int64, failed: Bool
    ) {
        var refunded: Int64 = 0
        var failed = false
        for (refund, payment, key) in plan.card {
            guard let reference = payment.providerReference else { continue }
            do {
                let outcome = try await app.payments.refund(
                    paymentReference: reference, amountMinor: refund.amountMinor, idempotencyKey: key, metadata: metadata)
                refund.providerReference = outcome.reference
                refund.status = outcome.status
            } catch {
                refund.status = .failed
            }
            try await refund.save(on: db)
            if refund.status == .failed { failed = true } else { refunded += refund.amountMinor }
        }
        return (refunded, failed)
    }

    /// A transaction-scoped lock on PostgreSQL; SQLite's single writer serialises on its own.
    private static func lock(_ key: String, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run()
    }

    /// A credit note for what is left on a line: the line is credited whole. Nil when nothing was left.
    @discardableResult
    static func creditNote(for line: InvoiceLineRecord, reason: String, on db: any Database) async throws -> CreditNoteRecord? {
        let note = try await db.transaction { db in
            try await creditNote(for: line, amountMinor: line.amountMinor, quoteID: nil, reason: reason, on: db)
        }
        try await Invoicing.markInvoicePaidIfSettled(line.invoiceID, on: db)
        return note
    }

    /// A credit note of at most `amountMinor` against a line, inside the caller's transaction, never more than is left
    /// on the line; a line left with nothing to bill is credited. What is left is read after the numbering's lock
    /// (PostgreSQL) or under SQLite's single writer, so two cancellations at once cannot both credit the same cents.
    @discardableResult
    static func creditNote(
        for line: InvoiceLineRecord, amountMinor: Int64, quoteID: UUID?, reason: String, on db: any Database
    ) async throws -> CreditNoteRecord? {
        guard let invoice = try await InvoiceRecord.find(line.invoiceID, on: db) else { return nil }
        let sequence = try await Invoicing.nextSequence(CreditNoteRecord.schema, on: db)
        guard let current = try await InvoiceLineRecord.find(line.requireID(), on: db), current.status == .open || current.status == .paid else {
            return nil
        }
        let before = try await Invoicing.creditedByLine([current.requireID()], on: db).values.first ?? 0
        let amount = min(amountMinor, current.amountMinor - before)
        guard amount > 0 else { return nil }
        let note = CreditNoteRecord()
        note.agencyID = invoice.agencyID
        note.invoiceID = invoice.id
        note.invoiceLineID = current.id
        note.sequence = sequence
        note.number = String(format: "AV-%06d", sequence)
        note.amountMinor = amount
        note.currency = invoice.currency
        note.reason = reason
        note.quoteID = quoteID
        note.issuedAt = AppClock.now
        try await note.create(on: db)
        if before + amount >= current.amountMinor {
            current.status = .credited
            try await current.save(on: db)
            line.status = .credited
        }
        return note
    }

}
