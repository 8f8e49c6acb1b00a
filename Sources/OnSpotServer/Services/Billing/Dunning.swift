import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Unpaid invoice lines (clause 4.2): reminders, the final reminder, then the service cancelled and the agency told.
enum Dunning {
    struct DunningSummary: Equatable { var reminders = 0, finalReminders = 0, cancellations = 0 }

    /// Unpaid lines: reminders, a final email reminder, then the service cancelled (without refund) and the agency told.
    /// Each stage is marked per line, so a rerun sends nothing twice.
    static func runDunning(on now: Date, policy: DunningPolicy = BillingPolicy.bundled.dunning, app: Application, db: any Database) async throws
        -> DunningSummary
    {
        var summary = DunningSummary()
        let calendar = app.billingCalendar
        let horizon = calendar.startOfDay(now).addingTimeInterval(Double(-policy.reminderDay + 1) * 86400)
        let lines = try await InvoiceLineRecord.query(on: db).filter(\.$status == .open).filter(\.$dueAt <= horizon).all()
        guard !lines.isEmpty else { return summary }
        let notices = try await DunningNotice.query(on: db).filter(\.$invoiceLineID ~~ lines.compactMap(\.id)).all()
        let sentByLine = Dictionary(grouping: notices, by: \.invoiceLineID).mapValues { rows in
            Dictionary(rows.map { n in (n.stage, n.sentAt) }, uniquingKeysWith: { a, _ in a })
        }
        let invoices = try await InvoiceRecord.query(on: db).filter(\.$id ~~ Set(lines.map(\.invoiceID))).all()
        let invoiceByID = Dictionary(invoices.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var accounts: [UUID: Invoicing.InvoiceAccount] = [:]
        for line in lines {
            guard let invoice = invoiceByID[line.invoiceID] else { continue }
            // Payments settle an invoice's lines in the order they fall due: a line they cover is not chased.
            if accounts[line.invoiceID] == nil { accounts[line.invoiceID] = try await Invoicing.invoiceAccount(invoice, on: db) }
            guard let account = accounts[line.invoiceID], !account.settledLineIDs.contains(line.id!) else { continue }
            for stage in policy.stagesDue(due: line.dueAt, now: now, sent: sentByLine[line.id!] ?? [:], calendar: calendar) {
                let notice = DunningNotice()
                notice.invoiceLineID = line.id!
                notice.stage = stage
                notice.sentAt = now
                do { try await notice.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { continue }
                switch stage {
                case .reminder: summary.reminders += 1
                case .finalReminder: summary.finalReminders += 1
                case .cancellation:
                    summary.cancellations += 1
                    line.status = .cancelled
                    try await line.save(on: db)
                    if let tripID = line.tripID, let trip = try await Trip.find(tripID, on: db), trip.status != .cancelled {
                        try await TripService.cancel(
                            trip, reason: SystemCancellation.unpaidInvoice(number: invoice.number).stored, userID: nil, now: now, on: db)
                        trip.refundState = RefundState.notRefundable
                        try await trip.save(on: db)
                    }
                }
                try await mailDunning(stage, line: line, invoice: invoice, app: app, db: db)
            }
        }
        return summary
    }

    static func mailDunning(_ stage: DunningPolicy.Stage, line: InvoiceLineRecord, invoice: InvoiceRecord, app: Application, db: any Database)
        async throws
    {
        guard let agency = try await Agency.find(invoice.agencyID, on: db) else { return }
        let lang = agency.language
        let admins = try await CardPayments.activeAdmins(of: invoice.agencyID, on: db)
        let due = LocalDateTime.display(line.dueAt, in: agency.zone, language: lang)
        let amount = Money(minorUnits: line.amountMinor, currency: invoice.currency).formatted(lang)
        let link = app.onspot.publicBaseURL + SiteURL.invoice(try invoice.requireID()).path
        for admin in admins {
            try await Mailer.send(
                OutgoingMail(
                    to: admin.email, subject: L10n.t("billing.dunning.\(stage.rawValue).subject", lang, ["number": invoice.number]),
                    body: L10n.t(
                        "billing.dunning.\(stage.rawValue).body", lang,
                        [
                            "number": invoice.number, "line": line.description,
                            "amount": amount, "due": due, "link": link
                        ])),
                kind: .dunning(stage), agencyID: invoice.agencyID, userID: admin.id, db: db, app: app)
        }
    }
}
