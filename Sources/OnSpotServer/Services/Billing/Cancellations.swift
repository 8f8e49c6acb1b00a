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
                if try await RefundRecord.query(on: db).filter(\.$paymentID == paymentID).first() != nil { continue }
                guard let reference = payment.providerReference else { allDone = false; continue }
                let refund = RefundRecord()
                refund.paymentID = paymentID
                refund.agencyID = payment.agencyID
                refund.amountMinor = payment.amountMinor
                refund.currency = payment.currency
                refund.status = .pending
                refund.createdAt = AppClock.now
                try await refund.create(on: db)
                do {
                    let outcome = try await app.payments.refund(
                        paymentReference: reference, amountMinor: payment.amountMinor,
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
            for payment in spent where try await RefundRecord.query(on: db).filter(\.$paymentID == payment.requireID()).first() == nil {
                try await db.transaction { db in
                    let original = Ledger.redeemed(payment.agencyID, payment.amountMinor, currency: payment.money.currency, memo: "")
                    try await CreditsService.append(
                        Ledger.reversal(of: original, memo: "cancellation of \(trip.reference ?? tripID.uuidString)"),
                        agencyID: payment.agencyID, on: db)
                    let refund = RefundRecord()
                    refund.paymentID = try payment.requireID()
                    refund.agencyID = payment.agencyID
                    refund.providerReference = "credits"
                    refund.amountMinor = payment.amountMinor
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

    /// A credit note for what is left on a line: the line is credited whole.
    static func creditNote(for line: InvoiceLineRecord, reason: String, on db: any Database) async throws {
        let left = line.amountMinor - (try await Invoicing.creditedByLine([line.requireID()], on: db).values.first ?? 0)
        try await db.transaction { db in
            try await creditNote(for: line, amountMinor: max(0, left), quoteID: nil, reason: reason, on: db)
        }
        try await Invoicing.markInvoicePaidIfSettled(line.invoiceID, on: db)
    }

    /// A credit note of `amountMinor` against a line, inside the caller's transaction; a line left with nothing to bill
    /// is credited.
    static func creditNote(for line: InvoiceLineRecord, amountMinor: Int64, quoteID: UUID?, reason: String, on db: any Database) async throws {
        guard let invoice = try await InvoiceRecord.find(line.invoiceID, on: db) else { return }
        let before = try await Invoicing.creditedByLine([line.requireID()], on: db).values.first ?? 0
        do {
            let sequence = try await Invoicing.nextSequence(CreditNoteRecord.schema, on: db)
            let note = CreditNoteRecord()
            note.agencyID = invoice.agencyID
            note.invoiceID = invoice.id
            note.invoiceLineID = line.id
            note.sequence = sequence
            note.number = String(format: "AV-%06d", sequence)
            note.amountMinor = amountMinor
            note.currency = invoice.currency
            note.reason = reason
            note.quoteID = quoteID
            note.issuedAt = AppClock.now
            try await note.create(on: db)
            if before + amountMinor >= line.amountMinor {
                line.status = .credited
                try await line.save(on: db)
            }
        }
    }

}
