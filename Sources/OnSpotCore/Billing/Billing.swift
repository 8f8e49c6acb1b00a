import Foundation

/// Clause 4.1 priced: a quote for a trip from the plan's grid, kept with the grid version it used.
public struct Quote: Hashable, Codable, Sendable {
    public var planCode: PlanCode
    public var gridVersion: Int
    public var travellers: Int
    public var days: Int
    public var amount: Money

    /// Price per traveller per day of service, never under the plan's minimum per trip. Days are counted in the final
    /// destination's calendar from arrival to return, both included (a trip of one night is two days of service).
    public static func make(terms: PlanTerms, gridVersion: Int, travellers: Int, arrival: Date, returnDate: Date, zone: TimeZone) -> Quote {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let first = calendar.startOfDay(for: arrival)
        let last = calendar.startOfDay(for: max(arrival, returnDate))
        let days = (calendar.dateComponents([.day], from: first, to: last).day ?? 0) + 1
        let perDay = terms.pricePerTravellerPerDayMinorUnits.saturatingMultiplied(by: Int64(max(1, travellers)))
            .saturatingMultiplied(by: Int64(max(1, days)))
        return Quote(
            planCode: terms.code, gridVersion: gridVersion, travellers: travellers, days: days,
            amount: Money(minorUnits: max(perDay, terms.minimumPerTripMinorUnits), currency: terms.currency))
    }
}

/// The dates of billing, all computed in OnSpot's billing zone (the 1st of the month is OnSpot's 1st).
public struct BillingCalendar: Sendable {
    public var zone: TimeZone
    public init(zone: TimeZone) { self.zone = zone }

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }

    /// "2026-12" for a day in December 2026, in the billing zone.
    public func period(of date: Date) -> String {
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
    }

    /// "2026-12-01" for a day, in the billing zone.
    public func day(of date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The invoice a PLUS run on `runDate` issues (clause 4.1): on the 1st of month M, for the departures of month M+1.
    /// Nil on any other day.
    public func invoicePeriod(runningOn runDate: Date) -> (period: String, departures: Range<Date>)? {
        let c = calendar.dateComponents([.year, .month, .day], from: runDate)
        guard c.day == 1, let thisMonth = calendar.date(from: DateComponents(year: c.year, month: c.month, day: 1)),
            let next = calendar.date(byAdding: .month, value: 1, to: thisMonth),
            let after = calendar.date(byAdding: .month, value: 2, to: thisMonth)
        else { return nil }
        return (period(of: next), next..<after)
    }

    /// The departures a period's invoice covers: "2026-12" is December 2026 in the billing zone.
    public func departures(inPeriod period: String) -> Range<Date>? {
        let parts = period.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]), (1970...9999).contains(parts[0]),
            let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: 1)),
            let end = calendar.date(byAdding: .month, value: 1, to: start)
        else { return nil }
        return start..<end
    }

    /// Clause 4.1: a line is due at the latest 15 days before its departure: the same wall-clock time 15 calendar days
    /// earlier in the billing zone (a daylight-saving change in between moves the instant, not the day).
    public func dueDate(departure: Date, daysBefore: Int = 15) -> Date {
        calendar.date(byAdding: .day, value: -daysBefore, to: departure) ?? departure.addingTimeInterval(Double(-daysBefore) * 86400)
    }

    /// The start of a day, in the billing zone.
    public func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    public func date(year: Int, month: Int, day: Int, hour: Int = 0) -> Date? {
        calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))
    }
}

/// Clause 4.2 as data: reminders before and on the due date, a final email reminder, then the unpaid services are
/// cancelled and the agency told.
public struct DunningPolicy: Hashable, Codable, Sendable {
    public enum Stage: String, StoredCode, Comparable {
        case reminder, finalReminder = "final_reminder", cancellation
        public static func < (a: Stage, b: Stage) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }
    /// Days relative to the due date (negative: before).
    public var reminderDay: Int
    public var finalReminderDay: Int
    public var cancellationDay: Int

    public static let standard = DunningPolicy(reminderDay: -5, finalReminderDay: 0, cancellationDay: 3)

    /// The stages due on `now` for a line due at `due` that is still unpaid, in order (`sent` holds the stages already
    /// sent and when). The cancellation comes only after a final reminder sent by an earlier run, and never sooner after
    /// it than the policy's own gap: a run that catches up late still leaves the agency its days to pay.
    public func stagesDue(due: Date, now: Date, sent: [Stage: Date], calendar: BillingCalendar) -> [Stage] {
        func day(_ offset: Int, from date: Date = due) -> Date { calendar.calendar.date(byAdding: .day, value: offset, to: date) ?? date }
        var result: [Stage] = []
        if now >= day(reminderDay), sent[.reminder] == nil, now < day(finalReminderDay) { result.append(.reminder) }
        if now >= day(finalReminderDay), sent[.finalReminder] == nil { result.append(.finalReminder) }
        if let final = sent[.finalReminder], sent[.cancellation] == nil,
            now >= max(day(cancellationDay), day(cancellationDay - finalReminderDay, from: final))
        {
            result.append(.cancellation)
        }
        return result
    }
}

/// Clause 2.4: commission on commissionable activities, at a rate by plan and by the agency's monthly volume (data),
/// on the amount billed minus card fees and extra costs (referral, introduction fees).
public struct CommissionPolicy: Hashable, Codable, Sendable {
    public struct Tier: Hashable, Codable, Sendable {
        /// The tier applies from this monthly volume billed (minor units, inclusive).
        public var fromVolumeMinor: Int64
        public var rateBasisPoints: Int
    }
    public var tiers: [PlanCode: [Tier]]

    public static let standard = CommissionPolicy(tiers: [
        .light: [Tier(fromVolumeMinor: 0, rateBasisPoints: 500), Tier(fromVolumeMinor: 200_000, rateBasisPoints: 700)],
        .plus: [
            Tier(fromVolumeMinor: 0, rateBasisPoints: 800), Tier(fromVolumeMinor: 200_000, rateBasisPoints: 1_000),
            Tier(fromVolumeMinor: 1_000_000, rateBasisPoints: 1_200)
        ]
    ])

    /// The rate for a plan once `monthVolumeMinor` has been billed in the month (this booking included).
    public func rate(plan: PlanCode, monthVolumeMinor: Int64) -> Int {
        (tiers[plan] ?? []).sorted { $0.fromVolumeMinor < $1.fromVolumeMinor }.last { $0.fromVolumeMinor <= monthVolumeMinor }?.rateBasisPoints ?? 0
    }

    public static func base(billed: Int64, cardFees: Int64, extraCosts: Int64) -> Int64 { max(0, billed - cardFees - extraCosts) }

    /// Half-up to the minor unit.
    public static func amount(base: Int64, rateBasisPoints: Int) -> Int64 {
        base.saturatingMultiplied(by: Int64(rateBasisPoints)).saturatingAdding(5_000) / 10_000
    }
}

/// Credits as data. Clause 2.4 pays commission "sous forme de crédits OnSpot": each commission becomes credits at the
/// cent, in the agency's currency. OnSpot's terms set no expiry; one applies only if OnSpot's own policy sets it
/// (`expiryMonthsWithoutActivity`), announced `expiryNoticeDays` before. A missing commission may be claimed within a delay.
public struct CreditPolicy: Hashable, Codable, Sendable {
    /// Months without ledger activity after which a balance lapses; nil: credits do not expire.
    public var expiryMonthsWithoutActivity: Int?
    /// How long before a lapse the agency is told.
    public var expiryNoticeDays: Int
    public var lateClaimMonths: Int
    /// Minor units of credit per mile when exported to the miles partner.
    public var minorPerMile: Int64

    public static let standard = CreditPolicy(expiryMonthsWithoutActivity: nil, expiryNoticeDays: 30, lateClaimMonths: 4, minorPerMile: 1)

    /// When a balance last moved at `lastActivity` lapses, if the policy sets an expiry.
    public func expiryDate(lastActivity: Date, calendar: Calendar) -> Date? {
        guard let months = expiryMonthsWithoutActivity else { return nil }
        return calendar.date(byAdding: .month, value: months, to: lastActivity)
    }

    public func expires(lastActivity: Date, now: Date, calendar: Calendar) -> Bool {
        guard let limit = expiryDate(lastActivity: lastActivity, calendar: calendar) else { return false }
        return now >= limit
    }

    /// The agency is told from `expiryNoticeDays` before the lapse until it happens.
    public func noticeDue(lastActivity: Date, now: Date, calendar: Calendar) -> Date? {
        guard let limit = expiryDate(lastActivity: lastActivity, calendar: calendar),
            let from = calendar.date(byAdding: .day, value: -expiryNoticeDays, to: limit), now >= from, now < limit
        else { return nil }
        return limit
    }

    public func claimAccepted(activityDate: Date, claimedAt: Date, calendar: Calendar) -> Bool {
        guard let limit = calendar.date(byAdding: .month, value: lateClaimMonths, to: activityDate) else { return false }
        return claimedAt <= limit
    }
}

/// The credits ledger: double entry, append only, in minor units. Every transaction sums to zero; an agency's credit
/// account never goes below zero by spending. Only a commission reversed after the credits were spent can take it
/// below zero: the agency then owes those credits, and the next commissions pay them back before anything is spent.
public enum Ledger {
    public enum Account: Hashable, Sendable, CustomStringConvertible {
        /// What OnSpot owes the agency in credits (a liability: credited when earned, debited when spent).
        case agencyCredits(UUID)
        /// Commission expense: the counterpart of credits earned.
        case commissionExpense
        /// Credits spent on invoices or bookings.
        case redemptions
        /// Credits handed to the miles partner.
        case milesPartner
        /// Credits lapsed after inactivity.
        case expired
        /// What a credit note gave back as credits rather than money (the agency's choice, article 5).
        case creditNoteRefunds

        public var description: String {
            switch self {
            case .agencyCredits(let id): "agency:\(id.uuidString.lowercased()):credits"
            case .commissionExpense: "onspot:commission_expense"
            case .redemptions: "onspot:redemptions"
            case .milesPartner: "onspot:miles_partner"
            case .expired: "onspot:expired"
            case .creditNoteRefunds: "onspot:credit_note_refunds"
            }
        }

        public init?(_ text: String) {
            switch text {
            case "onspot:commission_expense": self = .commissionExpense
            case "onspot:redemptions": self = .redemptions
            case "onspot:miles_partner": self = .milesPartner
            case "onspot:expired": self = .expired
            case "onspot:credit_note_refunds": self = .creditNoteRefunds
            default:
                let parts = text.split(separator: ":")
                guard parts.count == 3, parts[0] == "agency", parts[2] == "credits", let id = UUID(uuidString: String(parts[1])) else { return nil }
                self = .agencyCredits(id)
            }
        }

        public var agencyID: UUID? { if case .agencyCredits(let id) = self { id } else { nil } }
    }

    public struct Entry: Hashable, Sendable {
        public var account: Account
        /// Credit-normal for the agency account: positive increases what the agency holds.
        public var amountMinor: Int64
        public init(_ account: Account, _ amountMinor: Int64) { self.account = account; self.amountMinor = amountMinor }
    }

    public enum Kind: String, StoredCode {
        case earned, redeemed, exported, expired, reversed
        /// An overpaid invoice's money given back as credits.
        case refunded
        /// The commission of an activity cancelled after it was credited, taken back.
        case commissionReversed = "commission_reversed"
    }

    public struct Transaction: Hashable, Sendable {
        public var kind: Kind
        public var entries: [Entry]
        public var currency: CurrencyCode
        public var memo: String
    }

    public enum Refusal: Error, Equatable, Sendable {
        case unbalanced(Int64)
        case nonPositive
        case insufficientCredits(available: Int64, requested: Int64)
        case empty
    }

    public static func earned(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(
            kind: .earned, entries: [Entry(.agencyCredits(agency), amount), Entry(.commissionExpense, -amount)], currency: currency, memo: memo)
    }

    public static func redeemed(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(kind: .redeemed, entries: [Entry(.agencyCredits(agency), -amount), Entry(.redemptions, amount)], currency: currency, memo: memo)
    }

    public static func exported(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(kind: .exported, entries: [Entry(.agencyCredits(agency), -amount), Entry(.milesPartner, amount)], currency: currency, memo: memo)
    }

    public static func expired(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(kind: .expired, entries: [Entry(.agencyCredits(agency), -amount), Entry(.expired, amount)], currency: currency, memo: memo)
    }

    /// An overpayment given back as credits (a credit note on a paid invoice, when the agency prefers credits).
    public static func refundedAsCredits(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(
            kind: .refunded, entries: [Entry(.agencyCredits(agency), amount), Entry(.creditNoteRefunds, -amount)], currency: currency, memo: memo)
    }

    /// A commission taken back (its activity was cancelled): the credits it gave, even if already spent.
    public static func commissionReversed(_ agency: UUID, _ amount: Int64, currency: CurrencyCode, memo: String) -> Transaction {
        Transaction(
            kind: .commissionReversed, entries: [Entry(.agencyCredits(agency), -amount), Entry(.commissionExpense, amount)], currency: currency,
            memo: memo)
    }

    /// The opposite of a transaction (a hand-off that failed): the ledger is never edited, only added to.
    public static func reversal(of t: Transaction, memo: String) -> Transaction {
        Transaction(kind: .reversed, entries: t.entries.map { Entry($0.account, -$0.amountMinor) }, currency: t.currency, memo: memo)
    }

    /// Whether a transaction may be appended to a ledger whose agency balances are `balances`.
    public static func check(_ t: Transaction, balances: [UUID: Int64]) -> Refusal? {
        guard !t.entries.isEmpty else { return .empty }
        let sum = t.entries.reduce(Int64(0)) { $0 + $1.amountMinor }
        guard sum == 0 else { return .unbalanced(sum) }
        guard t.entries.allSatisfy({ $0.amountMinor != 0 }), t.entries.contains(where: { $0.amountMinor > 0 }) else { return .nonPositive }
        // A reversed commission is owed whatever the balance: refusing it would leave credits nobody earned.
        for entry in t.entries where entry.amountMinor < 0 && t.kind != .commissionReversed {
            guard let agency = entry.account.agencyID else { continue }
            let available = balances[agency] ?? 0
            if available + entry.amountMinor < 0 { return .insufficientCredits(available: available, requested: -entry.amountMinor) }
        }
        return nil
    }

    /// Balances of every account after `transactions`.
    public static func balances(_ transactions: [Transaction]) -> [Account: Int64] {
        var result: [Account: Int64] = [:]
        for t in transactions { for e in t.entries { result[e.account, default: 0] += e.amountMinor } }
        return result
    }
}

/// The billing rules shipped as data (Resources/billing-policy.json): commission tiers, credits, dunning.
public struct BillingPolicy: Sendable {
    public var commission: CommissionPolicy
    public var credits: CreditPolicy
    public var dunning: DunningPolicy

    struct File: Decodable {
        struct Commission: Decodable { var tiers: [String: [CommissionPolicy.Tier]] }
        var commission: Commission
        var credits: CreditPolicy
        var dunning: DunningPolicy
    }

    public enum Failure: Error, Equatable { case unreadable(String), invalid(String) }

    /// Reads and checks the policy: every plan has tiers starting at zero volume with rates between 0 and 100 %,
    /// an expiry positive or none, and dunning days in order.
    public static func parse(_ data: Data) throws -> BillingPolicy {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch { throw Failure.unreadable(String(describing: error)) }
        var tiers: [PlanCode: [CommissionPolicy.Tier]] = [:]
        for (code, list) in file.commission.tiers {
            guard let plan = PlanCode(rawValue: code) else { throw Failure.invalid("commission.tiers: unknown plan \(code)") }
            guard list.contains(where: { $0.fromVolumeMinor == 0 }),
                list.allSatisfy({ (0...10_000).contains($0.rateBasisPoints) && $0.fromVolumeMinor >= 0 })
            else { throw Failure.invalid("commission.tiers.\(code): a tier from 0 and rates between 0 and 10000 basis points") }
            tiers[plan] = list.sorted { $0.fromVolumeMinor < $1.fromVolumeMinor }
        }
        guard tiers.count == PlanCode.allCases.count else { throw Failure.invalid("commission.tiers: every plan needs its tiers") }
        guard (file.credits.expiryMonthsWithoutActivity ?? 1) > 0, (0...365).contains(file.credits.expiryNoticeDays),
            file.credits.lateClaimMonths >= 0, file.credits.minorPerMile > 0
        else { throw Failure.invalid("credits: expiry (or null) and miles rate must be positive, the notice 0 to 365 days") }
        let d = file.dunning
        guard d.reminderDay < d.finalReminderDay, d.finalReminderDay < d.cancellationDay else {
            throw Failure.invalid("dunning: reminder, final reminder and cancellation days must be in that order")
        }
        return BillingPolicy(commission: CommissionPolicy(tiers: tiers), credits: file.credits, dunning: d)
    }

    /// The policy shipped with the build; the standard one if the resource is missing.
    public static let bundled: BillingPolicy = {
        guard let url = Bundle.module.url(forResource: "billing-policy", withExtension: "json"), let data = try? Data(contentsOf: url),
            let policy = try? parse(data)
        else { return BillingPolicy(commission: .standard, credits: .standard, dunning: .standard) }
        return policy
    }()
}
