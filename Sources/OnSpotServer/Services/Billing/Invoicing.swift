import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// PLUS invoices (clause 4.1): the monthly run with gapless numbers, keyed so that a rerun issues nothing.
enum Invoicing {
    struct InvoiceRunSummary: Equatable { var period: String; var invoices: Int; var lines: Int; var alreadyRun: Bool }

    /// On the 1st of a month in OnSpot's zone: one invoice per PLUS agency for the next month's departures, each line due
    /// 15 days before its departure. Keyed by the period: a second run (or a second worker) issues nothing. A trip that
    /// an earlier supplementary invoice already billed is billed only what its quote adds since.
    static func runInvoices(on runDate: Date, app: Application, db: any Database) async throws -> InvoiceRunSummary? {
        let calendar = app.billingCalendar
        guard let run = calendar.invoicePeriod(runningOn: runDate) else { return nil }
        guard try await claimJob("invoices:\(run.period)", on: db) else {
            return InvoiceRunSummary(period: run.period, invoices: 0, lines: 0, alreadyRun: true)
        }
        let trips = try await Trip.query(on: db).filter(\.$planCode == PlanCode.plus).filter(\.$status == .booked)
            .filter(\.$departureAt >= run.departures.lowerBound).filter(\.$departureAt < run.departures.upperBound)
            .sort(\.$departureAt).all()
        let owed = try await owedByTrip(trips, on: db).filter { $0.amountMinor > 0 }
        var invoices = 0, lineCount = 0
        for (agencyID, agencyOwed) in Dictionary(grouping: owed, by: { $0.trip.$agency.id }).sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            do {
                try await issue(.monthly, period: run.period, agencyID: agencyID, owed: agencyOwed, at: runDate, calendar: calendar, on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue  // A catch-up in another worker billed these quotes first.
            }
            invoices += 1
            lineCount += agencyOwed.count
        }
        try await finishJob("invoices:\(run.period)", summary: "\(invoices) invoice(s), \(lineCount) line(s)", on: db)
        return InvoiceRunSummary(period: run.period, invoices: invoices, lines: lineCount, alreadyRun: false)
    }

    struct CatchUpSummary: Equatable { var invoices = 0; var lines = 0; var creditNotes = 0 }

    /// After a period's run, every PLUS trip departing in it whose invoices no longer say what its quote says: one
    /// registered late or moved into the period is billed on a supplementary invoice (same numbering, due 15 days before
    /// departure or at once when that has passed); one lengthened is billed the difference; one shortened is credited
    /// it. Runs with the scheduled work; what it issued leaves nothing to issue on the next run, and the unique quote on
    /// lines and credit notes keeps two workers from issuing it twice.
    static func runCatchUp(at now: Date, app: Application, db: any Database) async throws -> CatchUpSummary {
        let calendar = app.billingCalendar
        // The periods already invoiced: their run finished, or started long enough ago to have died.
        let stale = now.addingTimeInterval(-3600)
        let runs = try await JobRun.query(on: db).filter(\.$key =~ "invoices:").all()
        let periods = runs.filter { $0.summary != nil || $0.startedAt < stale }.map { String($0.key.dropFirst("invoices:".count)) }
        // Recent periods only: a trip is registered at the latest 72 hours before departure, so older ones are settled.
        let horizon = now.addingTimeInterval(-62 * 86400)
        let windows = periods.compactMap { p in calendar.departures(inPeriod: p).map { (p, $0) } }.filter { $0.1.upperBound > horizon }
        guard let earliest = windows.map(\.1.lowerBound).min(), let latest = windows.map(\.1.upperBound).max() else { return CatchUpSummary() }
        let trips = try await Trip.query(on: db).filter(\.$planCode == PlanCode.plus).filter(\.$status == .booked)
            .filter(\.$departureAt >= earliest).filter(\.$departureAt < latest).all()
            .filter { trip in windows.contains { $0.1.contains(trip.departureAt) } }
        var summary = CatchUpSummary()
        let owed = try await owedByTrip(trips, on: db)
        // Fewer days are credited within article 5's notice only (PLUS: 24 hours), as a cancellation would be.
        let notice = try await TripService.refundNoticeHours(.plus, on: db)
        for entry in owed where entry.amountMinor < 0 {
            let zone = try await Agency.find(entry.trip.$agency.id, on: db)?.zone ?? calendar.zone
            guard now <= CancellationRules.refundDeadline(departure: entry.trip.departureAt, noticeHours: notice, zone: zone) else { continue }
            summary.creditNotes += try await creditDifference(entry, app: app, on: db)
        }
        let toBill = owed.filter { $0.amountMinor > 0 }
        let groups = Dictionary(grouping: toBill) { "\($0.trip.$agency.id.uuidString)|\(calendar.period(of: $0.trip.departureAt))" }
        for (_, group) in groups.sorted(by: { $0.key < $1.key }) {
            guard let first = group.first else { continue }
            do {
                try await issue(
                    .supplementary, period: calendar.period(of: first.trip.departureAt), agencyID: first.trip.$agency.id, owed: group,
                    at: now, calendar: calendar, on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue  // Another worker billed these quotes first.
            }
            summary.invoices += 1
            summary.lines += group.count
        }
        return summary
    }

    /// A trip, its current quote and what its invoices still owe on it: positive to bill, negative to credit.
    struct Owed {
        var trip: Trip
        var quote: QuoteRecord
        var lines: [TripBilling.BilledLine]
        var adjustment: TripBilling.Adjustment
        var amountMinor: Int64 {
            switch adjustment {
            case .none: 0
            case .bill(let amount): amount
            case .credit(let notes): -notes.reduce(0) { $0 + $1.amountMinor }
            }
        }
    }

    /// Set-based: the trips' current quotes, their active lines and the credit notes on them, in three queries.
    static func owedByTrip(_ trips: [Trip], on db: any Database) async throws -> [Owed] {
        let tripIDs = trips.compactMap(\.id)
        guard !tripIDs.isEmpty else { return [] }
        let quotes = try await QuoteRecord.query(on: db).filter(\.$tripID ~~ tripIDs).filter(\.$supersededAt == nil).all()
        let quoteByTrip = Dictionary(quotes.map { ($0.tripID, $0) }, uniquingKeysWith: { a, b in a.createdAt >= b.createdAt ? a : b })
        let lines = try await billedLines(tripIDs: tripIDs, on: db)
        return trips.compactMap { trip in
            guard let id = trip.id, let quote = quoteByTrip[id] else { return nil }
            let tripLines = lines[id] ?? []
            return Owed(
                trip: trip, quote: quote, lines: tripLines, adjustment: TripBilling.adjustment(quoteMinor: quote.amountMinor, lines: tripLines))
        }
    }

    /// The trips' lines that still bill something (open or paid), with what credit notes already took off each.
    static func billedLines(tripIDs: [UUID], on db: any Database) async throws -> [UUID: [TripBilling.BilledLine]] {
        let lines = try await InvoiceLineRecord.query(on: db).filter(\.$tripID ~~ tripIDs).filter(\.$status ~~ [.open, .paid]).all()
        let credited = try await creditedByLine(lines.compactMap(\.id), on: db)
        let invoices = lines.isEmpty ? [] : try await InvoiceRecord.query(on: db).filter(\.$id ~~ Set(lines.map(\.invoiceID))).all()
        let sequence = Dictionary(invoices.compactMap { i in i.id.map { ($0, i.sequence) } }) { a, _ in a }
        var result: [UUID: [TripBilling.BilledLine]] = [:]
        for line in lines {
            guard let id = line.id, let tripID = line.tripID else { continue }
            result[tripID, default: []].append(
                TripBilling.BilledLine(
                    id: id, amountMinor: line.amountMinor, creditedMinor: credited[id] ?? 0, dueAt: line.dueAt,
                    invoiceSequence: sequence[line.invoiceID] ?? 0))
        }
        return result
    }

    /// What credit notes took off each of these lines.
    static func creditedByLine(_ lineIDs: [UUID], on db: any Database) async throws -> [UUID: Int64] {
        guard !lineIDs.isEmpty else { return [:] }
        var result: [UUID: Int64] = [:]
        for note in try await CreditNoteRecord.query(on: db).filter(\.$invoiceLineID ~~ lineIDs).all() {
            if let line = note.invoiceLineID { result[line, default: 0] += note.amountMinor }
        }
        return result
    }

    /// One invoice for an agency's trips: a line per trip for what it owes, in one transaction with its gapless number.
    private static func issue(
        _ kind: InvoiceKind, period: String, agencyID: UUID, owed: [Owed], at date: Date, calendar: BillingCalendar, on db: any Database
    ) async throws {
        guard let first = owed.first else { return }
        try await db.transaction { db in
            let sequence = try await nextSequence(InvoiceRecord.schema, on: db)
            let invoice = InvoiceRecord()
            invoice.id = UUID()
            invoice.agencyID = agencyID
            invoice.sequence = sequence
            // The year of issue, not of the billing period: December's run for January is an invoice of December.
            invoice.number = String(format: "OSC-%@-%06d", String(calendar.period(of: date).prefix(4)), sequence)
            invoice.period = kind == .monthly ? period : String(format: "%@+%06d", period, sequence)
            invoice.kind = kind
            invoice.status = .issued
            invoice.totalMinor = owed.reduce(0) { $0 + $1.amountMinor }
            invoice.currency = first.quote.currency
            invoice.issuedAt = date
            // Due 15 days before departure; a line whose date has passed is due at once.
            let dues = owed.map { max(date, calendar.dueDate(departure: $0.trip.departureAt)) }
            invoice.dueAt = dues.min() ?? date
            try await invoice.create(on: db)
            for (entry, due) in zip(owed, dues) {
                let line = InvoiceLineRecord()
                line.invoiceID = try invoice.requireID()
                line.tripID = entry.trip.id
                line.quoteID = entry.quote.id
                let supplement = entry.lines.isEmpty ? "" : " (+)"
                line.description = "\(entry.trip.reference ?? "—") · \(entry.quote.travellers) × \(entry.quote.days)\(supplement)"
                line.amountMinor = entry.amountMinor
                line.dueAt = due
                line.status = .open
                try await line.create(on: db)
            }
        }
    }

    /// A shortened trip: credit notes for the difference against the lines that billed it. Returns how many were issued.
    /// What was already paid on a credited line goes back as the agency chose.
    private static func creditDifference(_ entry: Owed, app: Application, on db: any Database) async throws -> Int {
        guard case .credit(let notes) = entry.adjustment, let quoteID = entry.quote.id else { return 0 }
        let issued: [CreditNoteRecord]
        do {
            issued = try await db.transaction { db -> [CreditNoteRecord] in
                var issued: [CreditNoteRecord] = []
                for (index, note) in notes.enumerated() {
                    guard let line = try await InvoiceLineRecord.find(note.lineID, on: db) else { continue }
                    // The first note carries the quote it answers: the unique index makes a second worker's attempt fail whole.
                    if let credit = try await Cancellations.creditNote(
                        for: line, amountMinor: note.amountMinor, quoteID: index == 0 ? quoteID : nil, reason: "shortened", on: db)
                    {
                        issued.append(credit)
                    }
                }
                return issued
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return 0
        }
        for lineID in Set(notes.map(\.lineID)) {
            if let line = try await InvoiceLineRecord.find(lineID, on: db) { try await markInvoicePaidIfSettled(line.invoiceID, on: db) }
        }
        for note in issued { try await Cancellations.settleOverpayment(after: note, app: app, db: db) }
        return issued.count
    }

    /// A run's key, taken once: the unique index decides between two workers.
    static func claimJob(_ key: String, on db: any Database) async throws -> Bool {
        let run = JobRun()
        run.key = key
        run.startedAt = AppClock.now
        do { try await run.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return false }
        return true
    }

    /// Marks a run finished with what it did: the catch-up waits for it before billing the same period.
    static func finishJob(_ key: String, summary: String, on db: any Database) async throws {
        try await JobRun.query(on: db).filter(\.$key == key).set(\.$summary, to: summary).update()
    }

    struct InvoiceAccount {
        var invoice: InvoiceRecord
        var lines: [InvoiceLineRecord]
        var payments: [PaymentRecord]
        var creditNotes: [CreditNoteRecord]
        /// Refunds of these payments (credit notes on a paid invoice), whatever their state.
        var refunds: [RefundRecord] = []
        /// What credit notes took off each line that still bills (a line credited whole is `credited` instead).
        var creditedByLine: [UUID: Int64] {
            var result: [UUID: Int64] = [:]
            for note in creditNotes { if let line = note.invoiceLineID { result[line, default: 0] += note.amountMinor } }
            return result
        }
        /// A line's amount less the credit notes on it.
        func netMinor(_ line: InvoiceLineRecord) -> Int64 { max(0, line.amountMinor - (line.id.flatMap { creditedByLine[$0] } ?? 0)) }
        var billedMinor: Int64 { lines.filter { $0.status != .credited && $0.status != .cancelled }.reduce(0) { $0 + netMinor($1) } }
        var paidMinor: Int64 { payments.filter { $0.status == .succeeded }.reduce(0) { $0 + $1.amountMinor } }
        /// What went back (or is on its way back): a failed refund gave nothing back.
        var refundedMinor: Int64 { refunds.givenBackMinor }
        var dueMinor: Int64 { max(0, billedMinor - (paidMinor - refundedMinor)) }
        /// Paid beyond what the invoice now bills and not yet given back.
        var overpaidMinor: Int64 { max(0, paidMinor - refundedMinor - billedMinor) }
        /// The lines the payments cover, allocated in due-date order.
        var settledLineIDs: Set<UUID> {
            var left = paidMinor - refundedMinor
            var settled: Set<UUID> = []
            for line in lines.filter({ $0.status == .open || $0.status == .paid }).sorted(by: { $0.dueAt < $1.dueAt }) {
                let net = netMinor(line)
                guard left >= net, let id = line.id else { break }
                left -= net
                settled.insert(id)
            }
            return settled
        }
    }

    static func invoiceAccount(_ invoice: InvoiceRecord, on db: any Database) async throws -> InvoiceAccount {
        _ = try invoice.requireID()
        guard let account = try await invoiceAccounts([invoice], on: db).first else { throw Abort(.internalServerError) }
        return account
    }

    /// The accounts of several invoices (a page of the API's list) in four queries, whatever their number.
    static func invoiceAccounts(_ invoices: [InvoiceRecord], on db: any Database) async throws -> [InvoiceAccount] {
        let ids = invoices.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        async let lines = InvoiceLineRecord.query(on: db).filter(\.$invoiceID ~~ ids).sort(\.$dueAt).all()
        async let payments = PaymentRecord.query(on: db).filter(\.$invoiceID ~~ ids).sort(\.$createdAt).all()
        async let notes = CreditNoteRecord.query(on: db).filter(\.$invoiceID ~~ ids).sort(\.$sequence).all()
        let (allLines, allPayments, allNotes) = try await (lines, payments, notes)
        let allRefunds = try await RefundRecord.query(on: db).filter(\.$paymentID ~~ allPayments.compactMap(\.id)).sort(\.$createdAt).all()
        let linesByInvoice = Dictionary(grouping: allLines, by: \.invoiceID)
        let paymentsByInvoice = Dictionary(grouping: allPayments, by: { $0.invoiceID ?? UUID() })
        let notesByInvoice = Dictionary(grouping: allNotes, by: { $0.invoiceID ?? UUID() })
        return invoices.map { invoice in
            let id = invoice.id ?? UUID()
            let paid = paymentsByInvoice[id] ?? []
            return InvoiceAccount(
                invoice: invoice, lines: linesByInvoice[id] ?? [], payments: paid, creditNotes: notesByInvoice[id] ?? [],
                refunds: allRefunds.filter { refund in paid.contains { $0.id == refund.paymentID } })
        }
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
