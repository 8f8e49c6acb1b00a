import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// What a cancellation within the notice gives back (article 5): card refunds on LIGHT, credit notes on PLUS.
enum Cancellations {
    /// After a cancellation within the notice: LIGHT card payments go back through the gateway; on PLUS the invoiced
    /// line gets a credit note, and a line not yet invoiced simply never will be.
    static func settleCancellation(_ trip: Trip, app: Application, db: any Database) async throws {
        guard trip.refundState == .pending else { return }
        let tripID = try trip.requireID()
        if trip.planCode == .light {
            let paid = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status == .succeeded).filter(\.$kind == .card)
                .all()
            var allDone = true
            for payment in paid {
                let paymentID = try payment.requireID()
                let earlier = try await RefundRecord.query(on: db).filter(\.$paymentID == paymentID).all()
                // A cancellation refund that failed is tried again (same row, same idempotency key); one that went
                // through or is pending is not.
                let previous = earlier.first { $0.cause == RefundRecord.cancellation }
                if let previous, previous.status != .failed { continue }
                // What a shortening already gave back stays given; the rest of the payment goes back now.
                let left = payment.amountMinor - earlier.filter { $0.status != .failed }.reduce(0) { $0 + $1.amountMinor }
                guard left > 0 else { continue }
                guard let reference = payment.providerReference else { allDone = false; continue }
                let refund = previous ?? RefundRecord()
                refund.paymentID = paymentID
                refund.agencyID = payment.agencyID
                refund.amountMinor = left
                refund.currency = payment.currency
                refund.status = .pending
                refund.createdAt = AppClock.now
                try await refund.save(on: db)
                do {
                    let outcome = try await app.payments.refund(
                        paymentReference: reference, amountMinor: left,
                        idempotencyKey: "refund-\(paymentID.uuidString.lowercased())",
                        metadata: ["trip_id": tripID.uuidString.lowercased()])
                    refund.providerReference = outcome.reference
                    refund.status = outcome.status
                } catch {
                    refund.status = .failed
                    allDone = false
                }
                try await refund.save(on: db)
            }
            // Credits spent on the service go back to the agency's balance.
            let spent = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status == .succeeded).filter(\.$kind == .credits)
                .all()
            for payment in spent {
                let earlier = try await RefundRecord.query(on: db).filter(\.$paymentID == payment.requireID()).all()
                if earlier.contains(where: { $0.cause == RefundRecord.cancellation }) { continue }
                let left = payment.amountMinor - earlier.filter { $0.status != .failed }.reduce(0) { $0 + $1.amountMinor }
                guard left > 0 else { continue }
                try await db.transaction { db in
                    let original = Ledger.redeemed(payment.agencyID, left, currency: payment.money.currency, memo: "")
                    try await CreditsService.append(
                        Ledger.reversal(of: original, memo: "cancellation of \(trip.reference ?? tripID.uuidString)"),
                        agencyID: payment.agencyID, on: db)
                    let refund = RefundRecord()
                    refund.paymentID = try payment.requireID()
                    refund.agencyID = payment.agencyID
                    refund.providerReference = "credits"
                    refund.amountMinor = left
                    refund.currency = payment.currency
                    refund.status = .succeeded
                    refund.createdAt = AppClock.now
                    try await refund.create(on: db)
                }
            }
            // Nothing paid, nothing to give back: the state stays "refundable".
            if allDone, !(paid.isEmpty && spent.isEmpty) {
                trip.refundState = RefundState.refunded
                try await trip.save(on: db)
            }
        } else {
            let lines = try await InvoiceLineRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status ~~ [.open, .paid]).all()
            for line in lines { try await creditNote(for: line, reason: "cancellation", on: db) }
            // A line not yet invoiced never will be; only an invoiced one needs its credit note.
            if !lines.isEmpty {
                trip.refundState = RefundState.refunded
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

        let planned = try await db.transaction { db -> (refunded: Int64, card: [(RefundRecord, PaymentRecord, UUID)]) in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "trip-refunds:" + tripID.uuidString)))").run()
            }
            let account = try await CardPayments.account(tripID: tripID, on: db)
            guard let quote = account.quote, let quoteID = quote.id else { return (0, []) }
            var over = account.paidMinor - account.refundedMinor - quote.amountMinor
            let cause = RefundRecord.shortened(to: quoteID)
            var refunded: Int64 = 0
            var card: [(RefundRecord, PaymentRecord, UUID)] = []
            for payment in account.payments.filter({ $0.status == .succeeded }).reversed() where over > 0 {
                let paymentID = try payment.requireID()
                let earlier = account.refunds.filter { $0.paymentID == paymentID }
                let previous = earlier.first { $0.cause == cause }
                if let previous, previous.status != .failed { continue }
                let amount = min(over, payment.amountMinor - earlier.filter { $0.status != .failed }.reduce(0) { $0 + $1.amountMinor })
                guard amount > 0 else { continue }
                let refund = previous ?? RefundRecord()
                refund.paymentID = paymentID
                refund.agencyID = payment.agencyID
                refund.amountMinor = amount
                refund.currency = payment.currency
                refund.cause = cause
                refund.status = .pending
                refund.createdAt = AppClock.now
                if payment.kind == .credits {
                    let original = Ledger.redeemed(payment.agencyID, amount, currency: payment.money.currency, memo: "")
                    try await CreditsService.append(
                        Ledger.reversal(of: original, memo: "shortened \(trip.reference ?? tripID.uuidString)"), agencyID: payment.agencyID, on: db)
                    refund.providerReference = "credits"
                    refund.status = .succeeded
                    refunded += amount
                } else if payment.providerReference == nil {
                    refund.status = .failed
                }
                try await refund.save(on: db)
                if refund.status == .pending { card.append((refund, payment, quoteID)) }
                if refund.status != .failed { over -= amount }
            }
            return (refunded, card)
        }
        var refunded = planned.refunded
        for (refund, payment, quoteID) in planned.card {
            guard let reference = payment.providerReference, let paymentID = payment.id else { continue }
            do {
                let outcome = try await app.payments.refund(
                    paymentReference: reference, amountMinor: refund.amountMinor,
                    idempotencyKey: "refund-\(paymentID.uuidString.lowercased())-\(quoteID.uuidString.lowercased())",
                    metadata: ["trip_id": tripID.uuidString.lowercased(), "quote_id": quoteID.uuidString.lowercased()])
                refund.providerReference = outcome.reference
                refund.status = outcome.status
            } catch {
                refund.status = .failed
            }
            try await refund.save(on: db)
            if refund.status != .failed { refunded += refund.amountMinor }
        }
        return refunded
    }

    /// A credit note for what is left on a line: the line is credited whole.
    static func creditNote(for line: InvoiceLineRecord, reason: String, on db: any Database) async throws {
        try await db.transaction { db in
            try await creditNote(for: line, amountMinor: line.amountMinor, quoteID: nil, reason: reason, on: db)
        }
        try await Invoicing.markInvoicePaidIfSettled(line.invoiceID, on: db)
    }

    /// A credit note of at most `amountMinor` against a line, inside the caller's transaction, never more than is left
    /// on the line; a line left with nothing to bill is credited. What is left is read after the numbering's lock
    /// (PostgreSQL) or under SQLite's single writer, so two cancellations at once cannot both credit the same cents.
    static func creditNote(for line: InvoiceLineRecord, amountMinor: Int64, quoteID: UUID?, reason: String, on db: any Database) async throws {
        guard let invoice = try await InvoiceRecord.find(line.invoiceID, on: db) else { return }
        let sequence = try await Invoicing.nextSequence(CreditNoteRecord.schema, on: db)
        guard let current = try await InvoiceLineRecord.find(line.requireID(), on: db), current.status == .open || current.status == .paid else {
            return
        }
        let before = try await Invoicing.creditedByLine([current.requireID()], on: db).values.first ?? 0
        let amount = min(amountMinor, current.amountMinor - before)
        guard amount > 0 else { return }
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
    }

}
