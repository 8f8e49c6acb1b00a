import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Issue 5 on the server: quotes, LIGHT card payments with receipts, refunds and credit notes on cancellation, PLUS
/// invoices with gapless numbers and dunning, and the scheduled runs keyed so that a rerun never bills twice.
enum BillingService {
    // MARK: quotes

    /// Prices a trip from its plan's current grid and keeps the quote with the grid version. A previous quote is
    /// superseded only when the price inputs changed (an edit that moves dates or travellers re-quotes).
    @discardableResult
    static func requote(trip: Trip, travellers: Int, zone: TimeZone, on db: any Database) async throws -> QuoteRecord {
        let tripID = try trip.requireID()
        let plan = try await PlanRecord.query(on: db).filter(\.$code == trip.planCode).first()
        let defaults = PlanTerms.defaults.first { $0.code == trip.planCode } ?? PlanTerms.defaults[0]
        var terms = defaults
        if let plan {
            terms.pricePerTravellerPerDayMinorUnits = plan.pricePerTravellerDayMinor
            terms.minimumPerTripMinorUnits = plan.minimumPerTripMinor
            terms.currency = plan.currency
        }
        let quote = Quote.make(terms: terms, gridVersion: plan?.gridVersion ?? 1, travellers: travellers, arrival: trip.arrivalAt,
                               returnDate: trip.returnAt, zone: zone)
        if let current = try await currentQuote(tripID: tripID, on: db), current.amountMinor == quote.amount.minorUnits,
           current.gridVersion == quote.gridVersion, current.travellers == quote.travellers, current.days == quote.days {
            return current
        }
        try await QuoteRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$supersededAt == nil).set(\.$supersededAt, to: AppClock.now).update()
        let record = QuoteRecord()
        record.tripID = tripID
        record.agencyID = trip.$agency.id
        record.planCode = quote.planCode
        record.gridVersion = quote.gridVersion
        record.travellers = quote.travellers
        record.days = quote.days
        record.amountMinor = quote.amount.minorUnits
        record.currency = quote.amount.currency
        record.createdAt = AppClock.now
        try await record.create(on: db)
        return record
    }

    static func currentQuote(tripID: UUID, on db: any Database) async throws -> QuoteRecord? {
        try await QuoteRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$supersededAt == nil).sort(\.$createdAt, .descending).first()
    }

    // MARK: LIGHT: card payment at booking (clause 4.1)

    struct TripAccount {
        var quote: QuoteRecord?
        var paidMinor: Int64
        var refundedMinor: Int64
        var payments: [PaymentRecord]
        var dueMinor: Int64 { max(0, (quote?.amountMinor ?? 0) - paidMinor) }
        var processing: Bool { payments.contains { $0.status == .processing } }
    }

    static func account(tripID: UUID, on db: any Database) async throws -> TripAccount {
        let quote = try await currentQuote(tripID: tripID, on: db)
        let payments = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).sort(\.$createdAt).all()
        let paid = payments.filter { $0.status == .succeeded }.reduce(Int64(0)) { $0 + $1.amountMinor }
        let refunds = try await RefundRecord.query(on: db).filter(\.$paymentID ~~ payments.compactMap(\.id)).all()
        return TripAccount(quote: quote, paidMinor: paid, refundedMinor: refunds.filter { $0.status != .failed }.reduce(0) { $0 + $1.amountMinor },
                           payments: payments)
    }

    enum PaymentRefusal: Error, Equatable { case notLight, nothingDue, alreadyProcessing, cancelled }

    /// Charges what a LIGHT trip still owes.
    static func payTrip(_ trip: Trip, paymentMethod: String, app: Application, db: any Database) async throws -> PaymentRecord {
        guard trip.status != .cancelled else { throw PaymentRefusal.cancelled }
        guard trip.planCode == .light else { throw PaymentRefusal.notLight }
        let tripID = try trip.requireID()
        let account = try await account(tripID: tripID, on: db)
        guard !account.processing else { throw PaymentRefusal.alreadyProcessing }
        guard let quote = account.quote, account.dueMinor > 0 else { throw PaymentRefusal.nothingDue }
        return try await chargeCard(agencyID: trip.$agency.id, tripID: tripID, invoiceID: nil, quoteID: quote.id,
                                    amount: Money(minorUnits: account.dueMinor, currency: quote.money.currency),
                                    description: "OnSpot Connect \(trip.reference ?? tripID.uuidString)", paymentMethod: paymentMethod, app: app, db: db)
    }

    /// Charges what a PLUS invoice still owes (its lines not covered by earlier payments or credits).
    static func payInvoice(_ invoice: InvoiceRecord, paymentMethod: String, app: Application, db: any Database) async throws -> PaymentRecord {
        let account = try await invoiceAccount(invoice, on: db)
        guard !account.payments.contains(where: { $0.status == .processing }) else { throw PaymentRefusal.alreadyProcessing }
        guard account.dueMinor > 0 else { throw PaymentRefusal.nothingDue }
        return try await chargeCard(agencyID: invoice.agencyID, tripID: nil, invoiceID: try invoice.requireID(), quoteID: nil,
                                    amount: Money(minorUnits: account.dueMinor, currency: invoice.currency),
                                    description: "OnSpot Connect \(invoice.number)", paymentMethod: paymentMethod, app: app, db: db)
    }

    /// One card payment. The row exists before the provider is called, its id is the idempotency key and travels in the
    /// metadata, so a webhook that outruns the answer still finds it.
    static func chargeCard(agencyID: UUID, tripID: UUID?, invoiceID: UUID?, quoteID: UUID?, amount: Money, description: String,
                           paymentMethod: String, app: Application, db: any Database) async throws -> PaymentRecord {
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
        if let tripID { stillDue = try await account(tripID: tripID, on: db).dueMinor }
        else if let invoiceID, let invoice = try await InvoiceRecord.find(invoiceID, on: db) { stillDue = try await invoiceAccount(invoice, on: db).dueMinor }
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
            outcome = try await app.payments.charge(ChargeRequest(amount: amount, description: description, paymentMethod: paymentMethod,
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
        guard trip.status != .cancelled else { throw PaymentRefusal.cancelled }
        guard trip.planCode == .light else { throw PaymentRefusal.notLight }
        let tripID = try trip.requireID()
        let account = try await account(tripID: tripID, on: db)
        guard let quote = account.quote, account.dueMinor > 0 else { throw PaymentRefusal.nothingDue }
        guard amountMinor > 0, amountMinor <= account.dueMinor else { throw PaymentRefusal.nothingDue }
        return try await CreditsService.spend(amountMinor, agencyID: trip.$agency.id, currency: quote.money.currency,
                                              memo: "trip \(trip.reference ?? tripID.uuidString)", tripID: tripID, quoteID: quote.id, on: db)
    }

    /// Moves a payment to its final state once: a success is never undone by a late failure event, and the receipt
    /// leaves once whichever of the answer and the webhook comes first.
    static func settle(paymentID: UUID, succeeded: Bool, message: String?, app: Application, db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let now = AppClock.now
        if succeeded {
            try await sql.update(PaymentRecord.schema).set("status", to: "succeeded").set("updated_at", to: now)
                .where("id", .equal, paymentID).where("status", .notEqual, "succeeded").run()
        } else {
            try await sql.update(PaymentRecord.schema).set("status", to: "failed").set("failure_message", to: message ?? "declined")
                .set("updated_at", to: now).where("id", .equal, paymentID).where("status", .equal, "processing").run()
        }
        guard succeeded else { return }
        // Claim the receipt: only the caller whose update changes the row sends it.
        let claimed = try await sql.update(PaymentRecord.schema).set("receipt_sent_at", to: now)
            .where("id", .equal, paymentID).where("receipt_sent_at", .is, SQLLiteral.null).returning("id").all()
        guard !claimed.isEmpty, let payment = try await PaymentRecord.find(paymentID, on: db) else { return }
        try await sendReceipt(payment, app: app, db: db)
        if let invoiceID = payment.invoiceID { try await markInvoicePaidIfSettled(invoiceID, on: db) }
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
        let link = "\(app.onspot.publicBaseURL)/payments/\(try payment.requireID())/receipt"
        for to in recipients {
            try await Mailer.send(OutgoingMail(
                to: to, subject: L10n.t("billing.receipt.subject", lang, ["what": what]),
                body: L10n.t("billing.receipt.body", lang, ["amount": payment.money.formatted(lang), "what": what, "link": link,
                                                             "reference": payment.providerReference ?? "—"])),
                kind: "payment.receipt", agencyID: payment.agencyID, userID: nil, db: db, app: app)
        }
    }

    // MARK: Stripe events

    enum EventOutcome: Equatable { case processed, duplicate, ignored(String) }

    /// A verified Stripe event, stored once by its id (a replay or a retry is acknowledged and changes nothing), then
    /// applied: payment successes and failures, refunds' final states.
    static func receive(event body: Data, app: Application, db: any Database) async throws -> EventOutcome {
        guard let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], let id = json["id"] as? String,
              let type = json["type"] as? String, let object = (json["data"] as? [String: Any])?["object"] as? [String: Any] else {
            throw Abort(.badRequest, reason: "not a Stripe event: id, type and data.object are required")
        }
        let record = StripeEventRecord()
        record.eventID = id
        record.type = type
        record.receivedAt = AppClock.now
        record.payload = String(decoding: body, as: UTF8.self)
        do { try await record.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return .duplicate }
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        switch type {
        case "payment_intent.succeeded", "payment_intent.payment_failed":
            let reference = object["id"] as? String
            var payment: PaymentRecord?
            if let key = metadata["payment_id"] as? String, let uuid = UUID(uuidString: key) { payment = try await PaymentRecord.find(uuid, on: db) }
            if payment == nil, let reference {
                payment = try await PaymentRecord.query(on: db).filter(\.$providerReference == reference).first()
            }
            guard let payment else { return .ignored("no payment for \(reference ?? "?")") }
            if payment.providerReference == nil, let reference {
                payment.providerReference = reference
                try await payment.save(on: db)
            }
            let message = (object["last_payment_error"] as? [String: Any])?["message"] as? String
            try await settle(paymentID: payment.requireID(), succeeded: type == "payment_intent.succeeded", message: message, app: app, db: db)
        case "refund.updated", "charge.refund.updated", "refund.created":
            guard let reference = object["id"] as? String, let status = (object["status"] as? String).flatMap(RefundStatus.init(rawValue:)),
                  let refund = try await RefundRecord.query(on: db).filter(\.$providerReference == reference).first() else { return .ignored(type) }
            refund.status = status
            try await refund.save(on: db)
        default:
            return .ignored(type)
        }
        record.processedAt = AppClock.now
        try await record.save(on: db)
        return .processed
    }

    // MARK: cancellations: refunds (LIGHT) and credit notes (PLUS), article 5

    /// After a cancellation within the notice: LIGHT card payments go back through the gateway; on PLUS the invoiced
    /// line gets a credit note, and a line not yet invoiced simply never will be.
    static func settleCancellation(_ trip: Trip, app: Application, db: any Database) async throws {
        guard trip.refundState == .pending else { return }
        let tripID = try trip.requireID()
        if trip.planCode == .light {
            let paid = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status == .succeeded).filter(\.$kind == .card).all()
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
                    let outcome = try await app.payments.refund(paymentReference: reference, amountMinor: payment.amountMinor,
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
            let spent = try await PaymentRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$status == .succeeded).filter(\.$kind == .credits).all()
            for payment in spent where try await RefundRecord.query(on: db).filter(\.$paymentID == payment.requireID()).first() == nil {
                try await db.transaction { db in
                    let original = Ledger.redeemed(payment.agencyID, payment.amountMinor, currency: payment.money.currency, memo: "")
                    try await CreditsService.append(Ledger.reversal(of: original, memo: "cancellation of \(trip.reference ?? tripID.uuidString)"),
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

    static func creditNote(for line: InvoiceLineRecord, reason: String, on db: any Database) async throws {
        guard let invoice = try await InvoiceRecord.find(line.invoiceID, on: db) else { return }
        try await db.transaction { db in
            let sequence = try await nextSequence(CreditNoteRecord.schema, on: db)
            let note = CreditNoteRecord()
            note.agencyID = invoice.agencyID
            note.invoiceID = invoice.id
            note.invoiceLineID = line.id
            note.sequence = sequence
            note.number = String(format: "AV-%06d", sequence)
            note.amountMinor = line.amountMinor
            note.currency = invoice.currency
            note.reason = reason
            note.issuedAt = AppClock.now
            try await note.create(on: db)
            line.status = .credited
            try await line.save(on: db)
        }
        try await markInvoicePaidIfSettled(line.invoiceID, on: db)
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

    // MARK: PLUS: the monthly invoice (clause 4.1)

    struct InvoiceRunSummary: Equatable { var period: String; var invoices: Int; var lines: Int; var alreadyRun: Bool }

    /// On the 1st of a month in OnSpot's zone: one invoice per PLUS agency for the next month's departures, each line due
    /// 15 days before its departure. Keyed by the period: a second run (or a second worker) issues nothing.
    static func runInvoices(on runDate: Date, app: Application, db: any Database) async throws -> InvoiceRunSummary? {
        let calendar = app.billingCalendar
        guard let run = calendar.invoicePeriod(runningOn: runDate) else { return nil }
        guard try await claimJob("invoices:\(run.period)", on: db) else { return InvoiceRunSummary(period: run.period, invoices: 0, lines: 0, alreadyRun: true) }
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

    // MARK: dunning (clause 4.2)

    struct DunningSummary: Equatable { var reminders = 0, finalReminders = 0, cancellations = 0 }

    /// Unpaid lines: reminders, a final email reminder, then the service cancelled (without refund) and the agency told.
    /// Each stage is marked per line, so a rerun sends nothing twice.
    static func runDunning(on now: Date, policy: DunningPolicy = BillingPolicy.bundled.dunning, app: Application, db: any Database) async throws -> DunningSummary {
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
        var accounts: [UUID: InvoiceAccount] = [:]
        for line in lines {
            guard let invoice = invoiceByID[line.invoiceID] else { continue }
            // Payments settle an invoice's lines in the order they fall due: a line they cover is not chased.
            if accounts[line.invoiceID] == nil { accounts[line.invoiceID] = try await invoiceAccount(invoice, on: db) }
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
                        try await TripService.cancel(trip, reason: "unpaid invoice \(invoice.number)", userID: nil, now: now, on: db)
                        trip.refundState = RefundState.notRefundable
                        try await trip.save(on: db)
                    }
                }
                try await mailDunning(stage, line: line, invoice: invoice, app: app, db: db)
            }
        }
        return summary
    }

    static func mailDunning(_ stage: DunningPolicy.Stage, line: InvoiceLineRecord, invoice: InvoiceRecord, app: Application, db: any Database) async throws {
        guard let agency = try await Agency.find(invoice.agencyID, on: db) else { return }
        let lang = agency.language
        let admins = try await activeAdmins(of: invoice.agencyID, on: db)
        let due = LocalDateTime.display(line.dueAt, in: agency.zone, language: lang)
        let amount = Money(minorUnits: line.amountMinor, currency: invoice.currency).formatted(lang)
        let link = "\(app.onspot.publicBaseURL)/invoices/\(invoice.id!)"
        for admin in admins {
            try await Mailer.send(OutgoingMail(
                to: admin.email, subject: L10n.t("billing.dunning.\(stage.rawValue).subject", lang, ["number": invoice.number]),
                body: L10n.t("billing.dunning.\(stage.rawValue).body", lang, ["number": invoice.number, "line": line.description,
                                                                             "amount": amount, "due": due, "link": link])),
                kind: "billing.dunning.\(stage.rawValue)", agencyID: invoice.agencyID, userID: admin.id, db: db, app: app)
        }
    }
}
