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
    /// went back, `credited` when the credit note only cancelled what was still owed; it stays `pending` while a refund
    /// is unanswered or refused, and the scheduled work (`runDue`) settles it again.
    static func settleCancellation(_ trip: Trip, app: Application, db: any Database) async throws {
        guard trip.refundState == .pending else { return }
        let tripID = try trip.requireID()
        if trip.planCode == .light {
            let reference = trip.reference ?? tripID.uuidString
            let planned = try await db.transaction { db -> Plan in
                try await lock("trip-refunds:" + tripID.uuidString, on: db)
                let account = try await CardPayments.account(tripID: tripID, on: db)
                // Everything not already given back by a shortening goes back now.
                return try await planRefunds(
                    Int64.max, payments: account.payments.filter { $0.status == .succeeded }, refunds: account.refunds,
                    cause: RefundRecord.cancellation, creditsCurrency: nil, memo: "cancellation of \(reference)", on: db)
            }
            try await send(planned, app: app, db: db)
            let account = try await CardPayments.account(tripID: tripID, on: db)
            if !account.payments.contains(where: { $0.status != .failed }) {
                // Never paid: nothing to give back.
                trip.refundState = RefundState.notApplicable
                try await trip.save(on: db)
                return
            }
            let refunds = account.refunds.filter { $0.cause == RefundRecord.cancellation }
            if !refunds.isEmpty, account.paidMinor == account.refundedMinor,
                !refunds.contains(where: { $0.unanswered || $0.status.gaveNothingBack })
            {
                trip.refundState = RefundState.refunded
                try await trip.save(on: db)
            }
        } else {
            let lines = try await InvoiceLineRecord.query(on: db).filter(\.$tripID == tripID).all()
            for line in lines where line.status == .open || line.status == .paid {
                try await creditNote(for: line, reason: "cancellation", on: db)
            }
            let notes = try await CreditNoteRecord.query(on: db).filter(\.$invoiceLineID ~~ lines.compactMap(\.id)).sort(\.$sequence).all()
            var given: Int64 = 0
            var unsettled = false
            for note in notes {
                let outcome = try await settleOverpayment(after: note, app: app, db: db)
                given += outcome.givenMinor
                unsettled = unsettled || outcome.unsettled
            }
            // A line not yet invoiced never will be: nothing billed, nothing to give back.
            if lines.isEmpty {
                trip.refundState = RefundState.notApplicable
                try await trip.save(on: db)
            } else if !unsettled {
                trip.refundState = given > 0 ? RefundState.refunded : .credited
                try await trip.save(on: db)
            }
        }
    }

    /// A LIGHT trip shortened after it was paid: the difference goes back (article 5: within the plan's notice before
    /// departure; later, the days stay paid), latest payment first, by card through the gateway or to the credits it
    /// was paid with. The refunds are decided under the trip's lock (two edits at once cannot both refund the same
    /// difference) and written before the gateway is called; one per payment and new quote. Returns what went back.
    @discardableResult
    static func refundShortening(_ trip: Trip, app: Application, db: any Database) async throws -> Int64 {
        guard trip.planCode == .light, trip.status == .booked else { return 0 }
        let tripID = try trip.requireID()
        let notice = try await TripService.refundNoticeHours(trip.planCode, on: db)
        let zone = try await Agency.find(trip.$agency.id, on: db)?.zone ?? TimeZone(identifier: "UTC") ?? .current
        guard AppClock.now <= CancellationRules.refundDeadline(departure: trip.departureAt, noticeHours: notice, zone: zone) else { return 0 }

        let reference = trip.reference ?? tripID.uuidString
        let planned = try await db.transaction { db -> Plan in
            try await lock("trip-refunds:" + tripID.uuidString, on: db)
            let account = try await CardPayments.account(tripID: tripID, on: db)
            guard let quote = account.quote, let quoteID = quote.id else { return Plan() }
            let over = account.paidMinor - account.refundedMinor - quote.amountMinor
            return try await planRefunds(
                over, payments: account.payments.filter { $0.status == .succeeded }, refunds: account.refunds,
                cause: RefundRecord.shortened(to: quoteID), creditsCurrency: nil, memo: "shortened \(reference)", on: db)
        }
        return planned.creditedMinor + (try await send(planned, app: app, db: db))
    }

    /// Once a credit note took a line of an invoice down, what was paid on the invoice beyond what it now bills goes
    /// back, up to the note's amount, as the agency chose (article 5): to the card or credits it came from, or all as
    /// OnSpot credits (in the agency's currency only; a payment in another currency goes back to its card). Decided
    /// under the invoice's lock, one refund per payment and note. Returns what this note gave back in all, and whether
    /// money is still owed back (a refund unanswered or refused).
    @discardableResult
    static func settleOverpayment(after note: CreditNoteRecord, app: Application, db: any Database) async throws -> (
        givenMinor: Int64, unsettled: Bool
    ) {
        guard let invoiceID = note.invoiceID, let noteID = note.id else { return (0, false) }
        let cause = RefundRecord.creditNote(noteID)
        let planned = try await db.transaction { db -> Plan in
            try await lock("invoice-refunds:" + invoiceID.uuidString, on: db)
            guard let invoice = try await InvoiceRecord.find(invoiceID, on: db) else { return Plan() }
            let account = try await Invoicing.invoiceAccount(invoice, on: db)
            let amount = min(account.overpaidMinor, note.amountMinor - account.refunds.filter { $0.cause == cause }.givenBackMinor)
            guard amount > 0 else { return Plan() }
            let agency = try await Agency.find(invoice.agencyID, on: db)
            return try await planRefunds(
                amount, payments: account.payments.filter { $0.status == .succeeded }, refunds: account.refunds, cause: cause,
                creditsCurrency: agency?.refundPreference == .credits ? agency?.currency : nil, memo: "credit note \(note.number)", on: db)
        }
        let moved = planned.creditedMinor + (try await send(planned, app: app, db: db))
        if moved > 0 { try await Invoicing.markInvoicePaidIfSettled(invoiceID, on: db) }
        guard let invoice = try await InvoiceRecord.find(invoiceID, on: db) else { return (0, false) }
        let account = try await Invoicing.invoiceAccount(invoice, on: db)
        let mine = account.refunds.filter { $0.cause == cause }
        return (mine.givenBackMinor, account.overpaidMinor > 0 || mine.contains { $0.unanswered })
    }

    /// Every credit note of an invoice settled again, in order (a payment confirmed after a note landed).
    static func settleInvoice(_ invoiceID: UUID, app: Application, db: any Database) async throws {
        for note in try await CreditNoteRecord.query(on: db).filter(\.$invoiceID == invoiceID).sort(\.$sequence).all() {
            try await settleOverpayment(after: note, app: app, db: db)
        }
    }

    struct Summary: Equatable { var resent = 0; var retried = 0; var settled = 0 }

    /// The scheduled safety net, every run: refunds never answered are sent again as they were (same key); refunds the
    /// provider refused are tried again under a new key, up to `RefundRecord.maxAttempts`; credit notes of the last two
    /// days are settled again (a crash between a note and its refund); cancelled trips still `pending` get their state.
    static func runDue(at now: Date, app: Application, db: any Database) async throws -> Summary {
        var summary = Summary()
        let unanswered = try await RefundRecord.query(on: db).filter(\.$status == .pending).filter(\.$providerReference == nil)
            .filter(\.$createdAt < now.addingTimeInterval(-60)).all()
        let payments = try await PaymentRecord.query(on: db).filter(\.$id ~~ unanswered.map(\.paymentID)).all()
        let byID = Dictionary(payments.compactMap { p in p.id.map { ($0, p) } }) { a, _ in a }
        try await send(Plan(card: unanswered.compactMap { r in byID[r.paymentID].map { (r, $0) } }), app: app, db: db)
        summary.resent = unanswered.count

        let refused = try await RefundRecord.query(on: db).filter(\.$status ~~ [.failed, .canceled])
            .filter(\.$attempt < RefundRecord.maxAttempts - 1).all()
        let refusedPayments = try await PaymentRecord.query(on: db).filter(\.$id ~~ refused.map(\.paymentID)).all()
        let refusedPayment = Dictionary(refusedPayments.compactMap { p in p.id.map { ($0, p) } }) { a, _ in a }
        var trips = Set(refused.filter { $0.cause == RefundRecord.cancellation }.compactMap { refusedPayment[$0.paymentID]?.tripID })
        var notes = Set(refused.compactMap { r in r.cause.hasPrefix("credit_note:") ? UUID(uuidString: String(r.cause.dropFirst(12))) : nil })
        summary.retried = refused.count
        // A shortening's refund was owed when it was decided: tried again even once the notice has passed.
        for refund in refused where refund.cause.hasPrefix("quote:") {
            guard let payment = refusedPayment[refund.paymentID] else { continue }
            try await retryShorteningRefund(refund, payment: payment, app: app, db: db)
        }
        notes.formUnion(try await CreditNoteRecord.query(on: db).filter(\.$issuedAt > now.addingTimeInterval(-2 * 86400)).all().compactMap(\.id))
        for noteID in notes.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let note = try await CreditNoteRecord.find(noteID, on: db) else { continue }
            if try await settleOverpayment(after: note, app: app, db: db).givenMinor > 0 { summary.settled += 1 }
            if let lineID = note.invoiceLineID, let tripID = try await InvoiceLineRecord.find(lineID, on: db)?.tripID { trips.insert(tripID) }
        }
        trips.formUnion(
            try await Trip.query(on: db).filter(\.$status == .cancelled).filter(\.$refundState == .pending).all().compactMap(\.id))
        for tripID in trips.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let trip = try await Trip.find(tripID, on: db) else { continue }
            if trip.status == .cancelled {
                try await settleCancellation(trip, app: app, db: db)
            } else {
                try await refundShortening(trip, app: app, db: db)
            }
        }
        return summary
    }

    /// A LIGHT shortening's refund the provider refused, tried again on its payment: no more than the trip still
    /// overpays (it may have been lengthened since); nothing overpaid any more, the row is closed.
    private static func retryShorteningRefund(_ refund: RefundRecord, payment: PaymentRecord, app: Application, db: any Database) async throws {
        guard let tripID = payment.tripID else { return }
        let planned = try await db.transaction { db -> Plan in
            try await lock("trip-refunds:" + tripID.uuidString, on: db)
            let account = try await CardPayments.account(tripID: tripID, on: db)
            let over = account.paidMinor - account.refundedMinor - (account.quote?.amountMinor ?? 0)
            guard over > 0 else {
                refund.attempt = RefundRecord.maxAttempts
                try await refund.save(on: db)
                return Plan()
            }
            return try await planRefunds(
                min(over, refund.amountMinor), payments: [payment], refunds: account.refunds, cause: refund.cause, creditsCurrency: nil,
                memo: "shortened", on: db)
        }
        try await send(planned, app: app, db: db)
    }

    // MARK: one refund planner for every cause

    /// Refunds decided inside a transaction: what already went back as credits, and the card refunds to send after it.
    struct Plan {
        var creditedMinor: Int64 = 0
        var card: [(refund: RefundRecord, payment: PaymentRecord)] = []
    }

    /// Spreads `amount` over `payments`, latest first, for one cause. A payment made with credits goes back to the
    /// credits at once, as does a card payment in `creditsCurrency` when the agency prefers credits; a card payment gets
    /// a pending refund row, sent by `send` after the transaction. A payment with a refund for this cause that gave
    /// something back (or may have) is passed over; one the provider refused is tried again on the same row under its
    /// next attempt, `RefundRecord.retryAfter` later, until `RefundRecord.maxAttempts`.
    static func planRefunds(
        _ amount: Int64, payments: [PaymentRecord], refunds: [RefundRecord], cause: String, creditsCurrency: CurrencyCode?, memo: String,
        on db: any Database
    ) async throws -> Plan {
        var plan = Plan()
        var over = amount
        for payment in payments.sorted(by: { $0.createdAt < $1.createdAt }).reversed() where over > 0 {
            let paymentID = try payment.requireID()
            let earlier = refunds.filter { $0.paymentID == paymentID }
            let previous = earlier.first { $0.cause == cause }
            if let previous, !previous.status.gaveNothingBack || previous.attempt + 1 >= RefundRecord.maxAttempts { continue }
            // A refusal is not retried at once: the next try waits `retryAfter` (the scheduled work comes back).
            if let previous, AppClock.now < previous.createdAt.addingTimeInterval(RefundRecord.retryAfter) { continue }
            let refundable = payment.amountMinor - earlier.givenBackMinor
            let share = min(over, refundable)
            guard share > 0 else { continue }
            let refund = previous ?? RefundRecord()
            if previous != nil { refund.attempt += 1 }
            refund.paymentID = paymentID
            refund.agencyID = payment.agencyID
            refund.amountMinor = share
            refund.currency = payment.currency
            refund.cause = cause
            refund.status = .pending
            refund.providerReference = nil
            refund.createdAt = AppClock.now
            if payment.kind == .credits || payment.currency == creditsCurrency {
                let back =
                    payment.kind == .credits
                    ? Ledger.reversal(of: Ledger.redeemed(payment.agencyID, share, currency: payment.currency, memo: ""), memo: memo)
                    : Ledger.refundedAsCredits(payment.agencyID, share, currency: payment.currency, memo: memo)
                try await CreditsService.append(back, agencyID: payment.agencyID, on: db)
                refund.providerReference = "credits"
                refund.status = .succeeded
                plan.creditedMinor += share
            } else if payment.providerReference == nil {
                // Nothing to refund against at the provider: left to an OnSpot admin.
                refund.status = .failed
                refund.attempt = RefundRecord.maxAttempts
            }
            try await refund.save(on: db)
            if refund.status == .pending { plan.card.append((refund, payment)) }
            if !refund.status.gaveNothingBack { over -= share }
        }
        return plan
    }

    /// Sends a plan's card refunds through the gateway and records each answer. A refusal frees the amount (tried again
    /// later under a new key); no answer leaves the row pending without a reference, counted as on its way back, and
    /// `runDue` sends the very same request again. Returns what the provider accepted.
    @discardableResult
    static func send(_ plan: Plan, app: Application, db: any Database) async throws -> Int64 {
        var accepted: Int64 = 0
        for (refund, payment) in plan.card {
            guard let reference = payment.providerReference, let refundID = refund.id else { continue }
            // Derived from the rows alone, so a request sent again is byte for byte the first one.
            var metadata = ["refund_id": refundID.uuidString.lowercased(), "cause": refund.cause]
            if let trip = payment.tripID { metadata["trip_id"] = trip.uuidString.lowercased() }
            if let invoice = payment.invoiceID { metadata["invoice_id"] = invoice.uuidString.lowercased() }
            do {
                let outcome = try await app.payments.refund(
                    paymentReference: reference, amountMinor: refund.amountMinor, idempotencyKey: refund.idempotencyKey, metadata: metadata)
                refund.providerReference = outcome.reference
                refund.status = outcome.status
            } catch GatewayError.refused(let message) {
                app.logger.warning("refund \(refundID) refused: \(message)")
                refund.status = .failed
            } catch {
                app.logger.warning("refund \(refundID) unanswered, to be sent again: \(String(reflecting: error))")
            }
            try await refund.save(on: db)
            if !refund.status.gaveNothingBack, refund.providerReference != nil { accepted += refund.amountMinor }
        }
        return accepted
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
