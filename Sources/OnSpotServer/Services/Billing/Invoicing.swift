import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// PLUS invoices (clause 4.1): the monthly run with gapless numbers, keyed so that a rerun issues nothing.
enum Invoicing {
    struct InvoiceRunSummary: Equatable { var period: String; var invoices: Int; var lines: Int; var alreadyRun: Bool }

    /// On the 1st of a month in OnSpot's zone: one invoice per PLUS agency for the next month's departures, each line due
    /// 15 days before its departure. Keyed by the period: a second run (or a second worker) issues nothing.
    static func runInvoices(on runDate: Date, app: Application, db: any Database) async throws -> InvoiceRunSummary? {
        let calendar = app.billingCalendar
        guard let run = calendar.invoicePeriod(runningOn: runDate) else { return nil }
        guard try await claimJob("invoices:\(run.period)", on: db) else {
            return InvoiceRunSummary(period: run.period, invoices: 0, lines: 0, alreadyRun: true)
        }
        let trips = try await Trip.query(on: db).filter(\.$planCode == PlanCode.plus).filter(\.$status == .booked)
            .filter(\.$departureAt >= run.departures.lowerBound).filter(\.$departureAt < run.departures.upperBound)
            .sort(\.$departureAt).all()
        let quotes = try await QuoteRecord.query(on: db).filter(\.$tripID ~~ trips.compactMap(\.id)).filter(\.$supersededAt == nil).all()
        let quoteByTrip = Dictionary(quotes.map { ($0.tripID, $0) }, uniquingKeysWith: { a, _ in a })
        var invoices = 0, lineCount = 0
        for (agencyID, agencyTrips) in Dictionary(grouping: trips, by: { $0.$agency.id }).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let billable = agencyTrips.compactMap { trip in quoteByTrip[trip.id!].map { (trip, $0) } }
            guard !billable.isEmpty else { continue }
            try await db.transaction { db in
                let sequence = try await nextSequence(InvoiceRecord.schema, on: db)
                let invoice = InvoiceRecord()
                invoice.id = UUID()
                invoice.agencyID = agencyID
                invoice.sequence = sequence
                // The year of issue, not of the billing period: December's run for January is an invoice of December.
                invoice.number = String(format: "OSC-%@-%06d", String(calendar.period(of: runDate).prefix(4)), sequence)
                invoice.period = run.period
                invoice.status = .issued
                invoice.totalMinor = billable.reduce(0) { $0 + $1.1.amountMinor }
                invoice.currency = billable[0].1.currency
                invoice.issuedAt = runDate
                invoice.dueAt = billable.map { calendar.dueDate(departure: $0.0.departureAt) }.min()!
                try await invoice.create(on: db)
                for (trip, quote) in billable {
                    let line = InvoiceLineRecord()
                    line.invoiceID = invoice.id!
                    line.tripID = trip.id
                    line.quoteID = quote.id
                    line.description = "\(trip.reference ?? "—") · \(quote.travellers) × \(quote.days)"
                    line.amountMinor = quote.amountMinor
                    line.dueAt = calendar.dueDate(departure: trip.departureAt)
                    line.status = .open
                    try await line.create(on: db)
                }
            }
            invoices += 1
            lineCount += billable.count
        }
        return InvoiceRunSummary(period: run.period, invoices: invoices, lines: lineCount, alreadyRun: false)
    }

    /// A run's key, taken once: the unique index decides between two workers.
    static func claimJob(_ key: String, on db: any Database) async throws -> Bool {
        let run = JobRun()
        run.key = key
        run.startedAt = AppClock.now
        do { try await run.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return false }
        return true
    }

    struct InvoiceAccount {
        var invoice: InvoiceRecord
        var lines: [InvoiceLineRecord]
        var payments: [PaymentRecord]
        var creditNotes: [CreditNoteRecord]
        var billedMinor: Int64 { lines.filter { $0.status != .credited && $0.status != .cancelled }.reduce(0) { $0 + $1.amountMinor } }
        var paidMinor: Int64 { payments.filter { $0.status == .succeeded }.reduce(0) { $0 + $1.amountMinor } }
        var dueMinor: Int64 { max(0, billedMinor - paidMinor) }
        /// The lines the payments cover, allocated in due-date order.
        var settledLineIDs: Set<UUID> {
            var left = paidMinor
            var settled: Set<UUID> = []
            for line in lines.filter({ $0.status == .open || $0.status == .paid }).sorted(by: { $0.dueAt < $1.dueAt }) {
                guard left >= line.amountMinor else { break }
                left -= line.amountMinor
                settled.insert(line.id!)
            }
            return settled
        }
    }

    static func invoiceAccount(_ invoice: InvoiceRecord, on db: any Database) async throws -> InvoiceAccount {
        let id = try invoice.requireID()
        async let lines = InvoiceLineRecord.query(on: db).filter(\.$invoiceID == id).sort(\.$dueAt).all()
        async let payments = PaymentRecord.query(on: db).filter(\.$invoiceID == id).sort(\.$createdAt).all()
        async let notes = CreditNoteRecord.query(on: db).filter(\.$invoiceID == id).sort(\.$sequence).all()
        return try await InvoiceAccount(invoice: invoice, lines: lines, payments: payments, creditNotes: notes)
    }

    /// Once payments and credit notes cover what is billed, the invoice and its open lines are paid.
    static func markInvoicePaidIfSettled(_ invoiceID: UUID, on db: any Database) async throws {
        guard let invoice = try await InvoiceRecord.find(invoiceID, on: db) else { return }
        let account = try await invoiceAccount(invoice, on: db)
        guard account.dueMinor == 0, invoice.status == .issued else { return }
        invoice.status = .paid
        try await invoice.save(on: db)
        try await InvoiceLineRecord.query(on: db).filter(\.$invoiceID == invoiceID).filter(\.$status == .open).set(\.$status, to: .paid).update()
    }

    /// The next number of a gapless sequence, inside the caller's transaction: PostgreSQL serialises on an advisory
    /// lock, SQLite on its single writer; the unique index on `sequence` refuses any duplicate that slipped through.
    static func nextSequence(_ table: String, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 1 }
        if sql.dialect.name == "postgresql" {
            // A fixed key per numbering (Swift's hashValue differs between processes).
            let key = table == InvoiceRecord.schema ? 510_001 : 510_002
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: key))").run()
        }
        let row = try await sql.raw("SELECT COALESCE(MAX(sequence), 0) AS last FROM \(ident: table)").first()
        return (try row?.decode(column: "last", as: Int.self) ?? 0) + 1
    }
}
