import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1/invoices`, `/api/v1/credits` and `/api/v1/reports/monthly` (issue 16), read-only: what the portal's
/// invoices, credits and report pages show, for the agency's accounting and reporting tools. Amounts are in minor units
/// of the currency named beside them.
enum ApiBillingController {
    struct InvoiceLineOutput: Content {
        var id: UUID
        var tripID: UUID?
        var description: String
        var amountMinor: Int64
        /// The amount less the credit notes on this line.
        var netMinor: Int64
        var dueAt: String
        /// open, paid, credited or cancelled.
        var status: String
    }

    struct CreditNoteOutput: Content {
        var id: UUID
        var number: String
        var invoiceLineID: UUID?
        var amountMinor: Int64
        var currency: String
        var reason: String
        var issuedAt: String
    }

    struct InvoiceOutput: Content {
        var id: UUID
        var number: String
        /// monthly or supplementary.
        var kind: String
        /// The billed month, YYYY-MM.
        var period: String
        /// issued, paid or cancelled.
        var status: String
        var currency: String
        var totalMinor: Int64
        var billedMinor: Int64
        var paidMinor: Int64
        var refundedMinor: Int64
        var dueMinor: Int64
        var issuedAt: String
        var dueAt: String
        /// Only on one invoice read by its id.
        var lines: [InvoiceLineOutput]?
        var creditNotes: [CreditNoteOutput]?
    }

    struct InvoicePageOutput: Content {
        var items: [InvoiceOutput]
        var next: String?
    }

    struct CreditMovementOutput: Content {
        var id: UUID
        var transactionID: UUID
        /// earned, redeemed, exported, expired, reversed, refunded or commission_reversed.
        var kind: String
        /// Positive: credits gained; negative: credits spent or lost.
        var amountMinor: Int64
        var currency: String
        var memo: String?
        var createdAt: String
    }

    struct CreditsOutput: Content {
        var balanceMinor: Int64
        var currency: String
        var movements: [CreditMovementOutput]
        var next: String?
    }

    struct ApprovalCountsOutput: Content {
        var pending: Int
        var approved: Int
        var denied: Int
        var expired: Int
    }

    struct SatisfactionRowOutput: Content {
        var destination: String
        var cases: Int
        var answers: Int
        var satisfiedShare: Double?
        var averageRating: Double?
        var firstResponseMetShare: Double?
        var resolutionMetShare: Double?
    }

    struct MonthlyReportOutput: Content {
        var month: String
        var timeZone: String
        var currency: String
        var casesOpened: Int
        var casesResolved: Int
        var committedByDomain: [String: Int64]
        var committedTotalMinor: Int64
        var approvals: ApprovalCountsOutput
        var medianMinutesToDecision: Int?
        var meanMinutesToDecision: Int?
        var overrides: Int
        var overrideTotalMinor: Int64
        var satisfaction: [SatisfactionRowOutput]
    }

    static let pageSizes = 1...100

    // MARK: Invoices

    @Sendable static func listInvoices(req: Request) async throws -> InvoicePageOutput {
        let agencyID = try req.apiAgency.requireID()
        let query = InvoiceRecord.query(on: req.db).filter(\.$agencyID == agencyID)
        var errors: [FieldError] = []
        if let text = req.query[String.self, at: "status"] {
            if let status = InvoiceStatus(rawValue: text) {
                query.filter(\.$status == status)
            } else {
                errors.append(FieldError(field: "status", message: "One of issued, paid, cancelled."))
            }
        }
        let limit = try ApiTripsController.pageParameter(req, "limit", default: 25, range: pageSizes)
        let (page, next) = try await ApiCursor.page(
            query, owned: InvoiceRecord.query(on: req.db).filter(\.$agencyID == agencyID), newestBy: \.$issuedAt, limit: limit,
            errors: errors, path: "/api/v1/invoices", filterNames: ["status", "limit"], req: req)
        let accounts = try await Invoicing.invoiceAccounts(page, on: req.db)
        return InvoicePageOutput(items: accounts.map { output($0, detailed: false) }, next: next)
    }

    @Sendable static func showInvoice(req: Request) async throws -> InvoiceOutput {
        let agencyID = try req.apiAgency.requireID()
        guard let id = req.parameters.get("invoiceID", as: UUID.self),
            let invoice = try await InvoiceRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == agencyID).first()
        else { throw Problem(.notFound, "not-found", "Invoice not found") }
        return output(try await Invoicing.invoiceAccount(invoice, on: req.db), detailed: true)
    }

    static func output(_ account: Invoicing.InvoiceAccount, detailed: Bool) -> InvoiceOutput {
        let utc = TimeZone.gmt
        let invoice = account.invoice
        return InvoiceOutput(
            id: invoice.id ?? UUID(), number: invoice.number, kind: invoice.kind.rawValue, period: invoice.billingPeriod,
            status: invoice.status.rawValue, currency: invoice.currency.rawValue, totalMinor: invoice.totalMinor,
            billedMinor: account.billedMinor, paidMinor: account.paidMinor, refundedMinor: account.refundedMinor, dueMinor: account.dueMinor,
            issuedAt: LocalDateTime.iso8601(invoice.issuedAt, in: utc), dueAt: LocalDateTime.iso8601(invoice.dueAt, in: utc),
            lines: detailed
                ? account.lines.map { line in
                    InvoiceLineOutput(
                        id: line.id ?? UUID(), tripID: line.tripID, description: line.description, amountMinor: line.amountMinor,
                        netMinor: account.netMinor(line), dueAt: LocalDateTime.iso8601(line.dueAt, in: utc), status: line.status.rawValue)
                } : nil,
            creditNotes: detailed
                ? account.creditNotes.map { note in
                    CreditNoteOutput(
                        id: note.id ?? UUID(), number: note.number, invoiceLineID: note.invoiceLineID, amountMinor: note.amountMinor,
                        currency: note.currency.rawValue, reason: note.reason, issuedAt: LocalDateTime.iso8601(note.issuedAt, in: utc))
                } : nil)
    }

    // MARK: Credits

    /// The balance, in the agency's currency (commissions are credited in it), and the movements, newest first, paged by
    /// cursor.
    @Sendable static func credits(req: Request) async throws -> CreditsOutput {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        // Both sides of a transaction carry the agency's id: the agency's movements are those of its credits account.
        let account = Ledger.Account.agencyCredits(agencyID).description
        let query = LedgerEntryRecord.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$account == account)
        let limit = try ApiTripsController.pageParameter(req, "limit", default: 25, range: pageSizes)
        let (page, next) = try await ApiCursor.page(
            query, owned: LedgerEntryRecord.query(on: req.db).filter(\.$agencyID == agencyID).filter(\.$account == account), newestBy: \.$createdAt,
            limit: limit,
            errors: [], path: "/api/v1/credits", filterNames: ["limit"], req: req)
        let utc = TimeZone.gmt
        return CreditsOutput(
            balanceMinor: try await CreditsService.balance(agencyID: agencyID, on: req.db), currency: agency.currency.rawValue,
            movements: page.map { e in
                CreditMovementOutput(
                    id: e.id ?? UUID(), transactionID: e.transactionID, kind: e.kind.rawValue, amountMinor: e.amountMinor,
                    currency: e.currency.rawValue, memo: e.memo, createdAt: LocalDateTime.iso8601(e.createdAt, in: utc))
            }, next: next)
    }

    // MARK: Reports

    /// The portal's monthly report; `month` (YYYY-MM) in the agency's calendar, this month when left out.
    @Sendable static func monthlyReport(req: Request) async throws -> MonthlyReportOutput {
        let agency = try req.apiAgency
        let month = req.query[String.self, at: "month"] ?? MonthlyReports.currentMonth(of: agency, now: req.now)
        guard month.count == 7, let built = try await MonthlyReports.build(agency: agency, month: month, on: req.db) else {
            throw ApiTripsController.validationProblem([FieldError(field: "month", message: "A month as YYYY-MM, from 2000-01 to 2100-12.")])
        }
        let report = built.report
        return MonthlyReportOutput(
            month: month, timeZone: agency.zone.identifier, currency: agency.currency.rawValue, casesOpened: report.casesOpened,
            casesResolved: report.casesResolved, committedByDomain: report.committedByDomain, committedTotalMinor: report.committedTotal,
            approvals: ApprovalCountsOutput(
                pending: report.approvalsByStatus[.pending] ?? 0, approved: report.approvalsByStatus[.approved] ?? 0,
                denied: report.approvalsByStatus[.denied] ?? 0, expired: report.approvalsByStatus[.expired] ?? 0),
            medianMinutesToDecision: report.medianMinutesToDecision, meanMinutesToDecision: report.meanMinutesToDecision,
            overrides: report.overrides, overrideTotalMinor: report.overrideTotal,
            satisfaction: built.satisfaction.rows.map { row in
                SatisfactionRowOutput(
                    destination: row.destination, cases: row.cases, answers: row.answers, satisfiedShare: row.satisfiedShare,
                    averageRating: row.averageRating, firstResponseMetShare: row.firstResponseMetShare, resolutionMetShare: row.resolutionMetShare)
            })
    }
}
