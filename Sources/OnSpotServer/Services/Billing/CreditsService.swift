import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// The credits ledger on the database, commissions on activity bookings (clause 2.4), redemptions on invoices, the
/// miles partner hand-off and expiry. Every change is a balanced transaction appended under the agency's lock.
enum CreditsService {
    static let policy = BillingPolicy.bundled.credits
    static let commissions = BillingPolicy.bundled.commission

    static func balance(agencyID: UUID, on db: any Database) async throws -> Int64 {
        try await total("credit_ledger_entries", where: [("account", Ledger.Account.agencyCredits(agencyID).description)], on: db)
    }

    /// SUM of a minor-units column as an integer on both databases (PostgreSQL sums BIGINT into NUMERIC), over the
    /// rows matching `conditions` and none of `excluding`.
    static func total(
        _ table: String, column: String = "amount_minor", where conditions: [(String, any Encodable & Sendable)],
        excluding: [(String, any Encodable & Sendable)] = [], since: (String, Date, Date)? = nil, on db: any Database
    ) async throws -> Int64 {
        guard let sql = db as? any SQLDatabase else { return 0 }
        var query = sql.select().column(SQLRaw("CAST(COALESCE(SUM(\(column)), 0) AS BIGINT)"), as: "total").from(table)
        for (name, value) in conditions { query = query.where(SQLIdentifier(name), .equal, SQLBind(value)) }
        for (name, value) in excluding { query = query.where(SQLIdentifier(name), .notEqual, SQLBind(value)) }
        if let (name, from, to) = since {
            query = query.where(SQLIdentifier(name), .greaterThanOrEqual, SQLBind(from)).where(SQLIdentifier(name), .lessThan, SQLBind(to))
        }
        return try await query.first()?.decode(column: "total", as: Int64.self) ?? 0
    }

    enum Refusal: Error, Equatable { case ledger(Ledger.Refusal) }

    /// Appends a transaction after checking it against the agency's balance, inside one database transaction that
    /// holds the agency's lock (PostgreSQL advisory lock; SQLite's single writer), so two spends cannot both pass.
    @discardableResult
    static func append(_ t: Ledger.Transaction, agencyID: UUID, on db: any Database) async throws -> UUID {
        let transactionID = UUID()
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "credits:" + agencyID.uuidString)))").run()
        }
        let current = try await balance(agencyID: agencyID, on: db)
        if let refusal = Ledger.check(t, balances: [agencyID: current]) { throw Refusal.ledger(refusal) }
        let now = AppClock.now
        for entry in t.entries {
            let record = LedgerEntryRecord()
            record.transactionID = transactionID
            record.agencyID = entry.account.agencyID ?? agencyID
            record.account = entry.account.description
            record.amountMinor = entry.amountMinor
            record.currency = t.currency
            record.kind = t.kind
            record.memo = String(t.memo.prefix(300))
            record.createdAt = now
            try await record.create(on: db)
        }
        return transactionID
    }

    // MARK: commissions

    /// Books an activity for a traveller and records its commission: the rate by plan and by the agency's volume this
    /// month (this booking included), on the amount billed minus card fees and extra costs; then it becomes credits at the
    /// cent in the agency's currency.
    static func book(_ booking: ActivityBookingRecord, plan: PlanCode, zone: TimeZone, on db: any Database) async throws -> CommissionRecord? {
        try await db.transaction { db in
            try await booking.create(on: db)
            guard booking.commissionable else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: booking.requestedAt))!
            let monthEnd = calendar.date(byAdding: .month, value: 1, to: monthStart)!
            // The month's volume counts what was booked and not cancelled since.
            let volume = try await total(
                "activity_bookings", column: "amount_billed_minor", where: [("agency_id", booking.agencyID), ("commissionable", true)],
                excluding: [("status", ActivityBookingStatus.cancelled.rawValue)], since: ("requested_at", monthStart, monthEnd), on: db)
            let rate = commissions.rate(plan: plan, monthVolumeMinor: volume)
            let base = CommissionPolicy.base(billed: booking.amountBilledMinor, cardFees: booking.cardFeesMinor, extraCosts: booking.extraCostsMinor)
            let commission = CommissionRecord()
            commission.activityBookingID = try booking.requireID()
            commission.agencyID = booking.agencyID
            commission.rateBasisPoints = rate
            commission.baseMinor = base
            commission.amountMinor = CommissionPolicy.amount(base: base, rateBasisPoints: rate)
            commission.currency = booking.currency
            commission.createdAt = booking.requestedAt
            try await commission.create(on: db)
            try await creditCommissions(agencyID: booking.agencyID, on: db)
            return try await CommissionRecord.find(commission.requireID(), on: db) ?? commission
        }
    }

    /// Each commission not yet credited becomes credits at the cent in the agency's currency: as is in the same
    /// currency, else at the admin's rate for the pair, recorded on the commission. Without a rate it waits (the
    /// scheduled work retries). Returns how many were credited.
    @discardableResult
    static func creditCommissions(agencyID: UUID, on db: any Database) async throws -> Int {
        guard let agency = try await Agency.find(agencyID, on: db) else { return 0 }
        let pending = try await CommissionRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$creditedAt == nil)
            .filter(\.$reversedAt == nil).all()
        guard !pending.isEmpty else { return 0 }
        let target = agency.currency
        let rates = try await ExchangeRateRecord.query(on: db).filter(\.$toCurrency == target).all()
        let rateByCurrency = Dictionary(rates.map { ($0.fromCurrency, $0.rate) }) { a, _ in a }
        var credited = 0
        for commission in pending {
            let rateText = commission.currency == target ? "1" : rateByCurrency[commission.currency]
            guard let rateText, let rate = ExchangeRate.parse(rateText) else { continue }
            let amount = ExchangeRate(from: commission.currency, to: target, rate: rate).convert(commission.amountMinor)
            let source = Money(minorUnits: commission.amountMinor, currency: commission.currency).majorUnitsText
            let memo = commission.currency == target ? "commission" : "commission \(source) \(commission.currency) × \(rateText)"
            // Claimed first: of two workers (or a booking and the scheduled retry) only one credits it.
            guard let sql = db as? any SQLDatabase, let commissionID = commission.id else { continue }
            let claimed = try await sql.update(CommissionRecord.schema).set("credited_at", to: SQLBind(AppClock.now))
                .set("credited_minor", to: SQLBind(amount)).set("credit_currency", to: SQLBind(target.rawValue))
                .set("exchange_rate", to: SQLBind(rateText))
                .where("id", .equal, SQLBind(commissionID)).where("credited_at", .is, SQLLiteral.null)
                .where("reversed_at", .is, SQLLiteral.null).returning("id").all()
            guard !claimed.isEmpty else { continue }
            if amount > 0 { try await append(Ledger.earned(agencyID, amount, currency: target, memo: memo), agencyID: agencyID, on: db) }
            credited += 1
        }
        return credited
    }

    /// The scheduled retry: commissions that waited for a rate, in every agency that has some.
    static func creditPendingCommissions(on db: any Database) async throws -> Int {
        let agencies = Set(try await CommissionRecord.query(on: db).filter(\.$creditedAt == nil).filter(\.$reversedAt == nil).all().map(\.agencyID))
        var credited = 0
        for agencyID in agencies.sorted(by: { $0.uuidString < $1.uuidString }) {
            credited += try await db.transaction { db in try await creditCommissions(agencyID: agencyID, on: db) }
        }
        return credited
    }

    // MARK: an activity cancelled

    enum BookingCancellation: Equatable {
        /// Cancelled now; its commission took back this many credits (0 when it had none or was not credited yet).
        case cancelled(reversedMinor: Int64, currency: CurrencyCode?)
        case alreadyCancelled
    }

    /// An activity booking that fell through: cancelled once, and its commission reversed (clause 2.4 pays commission on
    /// what was sold). Credits it gave are taken back even if the agency spent them: the balance then owes them and the
    /// next commissions repay it. A commission not credited yet (waiting for a rate) never will be. Both rows are claimed
    /// by a conditional UPDATE, so a double click, two experts or the scheduled crediting cannot reverse or credit twice.
    static func cancelBooking(_ booking: ActivityBookingRecord, by userID: UUID?, reason: String, on db: any Database) async throws
        -> BookingCancellation
    {
        let bookingID = try booking.requireID()
        return try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { return .alreadyCancelled }
            let now = AppClock.now
            let claimed = try await sql.update(ActivityBookingRecord.schema)
                .set("status", to: SQLBind(ActivityBookingStatus.cancelled.rawValue)).set("cancelled_at", to: SQLBind(now))
                .set("cancelled_by", to: SQLBind(userID)).set("cancellation_reason", to: SQLBind(reason))
                .where("id", .equal, SQLBind(bookingID)).where("status", .notEqual, SQLBind(ActivityBookingStatus.cancelled.rawValue))
                .returning("id").all()
            guard !claimed.isEmpty else { return .alreadyCancelled }
            let reversed = try await sql.update(CommissionRecord.schema).set("reversed_at", to: SQLBind(now))
                .set("reversed_minor", to: SQLRaw("COALESCE(credited_minor, 0)"))
                .where("activity_booking_id", .equal, SQLBind(bookingID)).where("reversed_at", .is, SQLLiteral.null)
                .returning("reversed_minor", "credit_currency").all()
            guard let row = reversed.first else { return .cancelled(reversedMinor: 0, currency: nil) }
            let amount = try row.decode(column: "reversed_minor", as: Int64?.self) ?? 0
            let currency = try row.decode(column: "credit_currency", as: String?.self).flatMap(CurrencyCode.init(rawValue:))
            if amount > 0, let currency {
                try await append(
                    Ledger.commissionReversed(booking.agencyID, amount, currency: currency, memo: "cancelled: \(booking.activityName)"),
                    agencyID: booking.agencyID, on: db)
            }
            return .cancelled(reversedMinor: amount, currency: currency)
        }
    }

    // MARK: redemption on an invoice

    static func redeem(_ amountMinor: Int64, on invoice: InvoiceRecord, app: Application, db: any Database) async throws -> PaymentRecord {
        let payment = try await spend(
            amountMinor, agencyID: invoice.agencyID, currency: invoice.currency,
            memo: "invoice \(invoice.number)", invoiceID: invoice.id, on: db)
        try await Invoicing.markInvoicePaidIfSettled(try invoice.requireID(), on: db)
        return payment
    }

    /// Credits spent on an invoice or a trip: the ledger's redemption and the payment it makes, in one transaction.
    static func spend(
        _ amountMinor: Int64, agencyID: UUID, currency: CurrencyCode, memo: String, invoiceID: UUID? = nil, tripID: UUID? = nil,
        quoteID: UUID? = nil, on db: any Database
    ) async throws -> PaymentRecord {
        guard try await Agency.find(agencyID, on: db)?.currency == currency else { throw PaymentRefusal.otherCurrency }
        return try await db.transaction { db -> PaymentRecord in
            let transactionID = try await append(Ledger.redeemed(agencyID, amountMinor, currency: currency, memo: memo), agencyID: agencyID, on: db)
            let payment = PaymentRecord()
            payment.agencyID = agencyID
            payment.invoiceID = invoiceID
            payment.tripID = tripID
            payment.quoteID = quoteID
            payment.provider = .credits
            payment.providerReference = transactionID.uuidString.lowercased()
            payment.kind = .credits
            payment.amountMinor = amountMinor
            payment.currency = currency
            payment.status = .succeeded
            payment.receiptSentAt = AppClock.now
            payment.createdAt = AppClock.now
            payment.updatedAt = AppClock.now
            try await payment.create(on: db)
            return payment
        }
    }

    // MARK: miles partner hand-off

    enum ExportFailure: Error { case partnerUnavailable }

    /// Debits the credits, hands them to the miles partner with the ledger transaction as idempotency key, and reverses
    /// the debit if the partner refuses or cannot be reached.
    static func exportMiles(agencyID: UUID, amountMinor: Int64, member: String, app: Application, db: any Database) async throws -> MilesExportRecord
    {
        let (export, transaction) = try await db.transaction { db -> (MilesExportRecord, Ledger.Transaction) in
            let t = Ledger.exported(agencyID, amountMinor, currency: .EUR, memo: "miles \(member)")
            let id = try await append(t, agencyID: agencyID, on: db)
            let export = MilesExportRecord()
            export.agencyID = agencyID
            export.ledgerTransactionID = id
            export.amountMinor = amountMinor
            export.miles = amountMinor / policy.minorPerMile
            export.memberNumber = member
            export.status = .pending
            export.createdAt = AppClock.now
            try await export.create(on: db)
            return (export, t)
        }
        do {
            guard let url = app.onspot.milesPartnerURL else { throw ExportFailure.partnerUnavailable }
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.replaceOrAdd(name: "Idempotency-Key", value: export.ledgerTransactionID.uuidString.lowercased())
            let body = try JSONSerialization.data(withJSONObject: [
                "member_number": member, "miles": export.miles,
                "reference": export.ledgerTransactionID.uuidString.lowercased()
            ])
            let response = try await app.client.post(URI(string: url + "/v1/credits"), headers: headers) { $0.body = ByteBuffer(data: body) }
            guard response.status == .ok || response.status == .created,
                let json = response.body.flatMap({ try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) }) as? [String: Any],
                let reference = json["id"] as? String
            else { throw ExportFailure.partnerUnavailable }
            export.partnerReference = reference
            export.status = .succeeded
            try await export.save(on: db)
            return export
        } catch {
            try await db.transaction { db in
                try await append(Ledger.reversal(of: transaction, memo: "miles hand-off failed"), agencyID: agencyID, on: db)
                export.status = .failed
                try await export.save(on: db)
            }
            throw ExportFailure.partnerUnavailable
        }
    }

    // MARK: expiry

    struct ExpirySummary: Equatable { var expired = 0; var notices = 0 }

    /// Only if OnSpot's policy sets an expiry: credits of agencies without ledger activity for its months lapse, keyed
    /// by the day so a rerun is a no-op; each agency is told once, `expiryNoticeDays` before its balance lapses.
    static func runExpiry(on now: Date, app: Application, db: any Database, policy: CreditPolicy = policy) async throws -> ExpirySummary {
        guard policy.expiryMonthsWithoutActivity != nil else { return ExpirySummary() }
        let day = app.billingCalendar.day(of: now)
        guard try await Invoicing.claimJob("credits-expiry:\(day)", on: db) else { return ExpirySummary() }
        guard let sql = db as? any SQLDatabase else { return ExpirySummary() }
        // One row per agency: its balance and its last movement, aggregated by the database.
        let rows = try await sql.raw(
            """
            SELECT agency_id, CAST(SUM(amount_minor) AS BIGINT) AS balance, MAX(created_at) AS last, MIN(currency) AS currency
            FROM credit_ledger_entries WHERE account LIKE 'agency:%' GROUP BY agency_id
            """
        ).all()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var summary = ExpirySummary()
        for row in rows {
            let agencyID = try row.decode(column: "agency_id", as: UUID.self)
            let balance = try row.decode(column: "balance", as: Int64.self)
            let last = try row.decode(column: "last", as: Date.self)
            let currency = try row.decode(column: "currency", as: CurrencyCode.self)
            guard balance > 0 else { continue }
            if let limit = policy.noticeDue(lastActivity: last, now: now, calendar: utc),
                try await Invoicing.claimJob("credits-expiry-notice:\(agencyID.uuidString.lowercased()):\(Int(last.timeIntervalSince1970))", on: db)
            {
                try await announceExpiry(agencyID: agencyID, balance: balance, currency: currency, on: limit, app: app, db: db)
                summary.notices += 1
            }
            guard policy.expires(lastActivity: last, now: now, calendar: utc) else { continue }
            try await db.transaction { db in
                try await append(
                    Ledger.expired(
                        agencyID, balance, currency: currency,
                        memo: "no activity since \(ISO8601DateFormatter().string(from: last))"), agencyID: agencyID, on: db)
            }
            summary.expired += 1
        }
        return summary
    }

    /// Tells the agency's admins what lapses and when, and that any movement of credits keeps them.
    static func announceExpiry(agencyID: UUID, balance: Int64, currency: CurrencyCode, on limit: Date, app: Application, db: any Database)
        async throws
    {
        guard let agency = try await Agency.find(agencyID, on: db) else { return }
        let lang = agency.language
        let values = [
            "amount": Money(minorUnits: balance, currency: currency).formatted(lang),
            "date": LocalDateTime.display(limit, in: agency.zone, language: lang, withZone: false)
        ]
        for admin in try await CardPayments.activeAdmins(of: agencyID, on: db) {
            try await Mailer.send(
                OutgoingMail(
                    to: admin.email, subject: L10n.t("credits.expiry_notice.subject", lang, values),
                    body: L10n.t("credits.expiry_notice.body", lang, values)),
                kind: .creditsExpiryNotice, agencyID: agencyID, userID: admin.id, db: db, app: app)
        }
    }
}
