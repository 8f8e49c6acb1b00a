import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 5 in the core: quotes, the billing calendar (clause 4.1), dunning (4.2), refund deadlines (article 5),
/// commissions (2.4) and the credits ledger.
final class BillingTests: XCTestCase {
    let paris = TimeZone(identifier: "Europe/Paris")!
    let newYork = TimeZone(identifier: "America/New_York")!
    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testQuotesFollowTheGridAndKeepItsVersion() {
        let light = PlanTerms.defaults[0]
        // Arrival 10 July evening, return 17 July morning, in Miami: eight days of service for two travellers.
        let q = Quote.make(
            terms: light, gridVersion: 3, travellers: 2, arrival: at("2026-07-10T23:30:00Z"), returnDate: at("2026-07-17T14:00:00Z"),
            zone: newYork)
        XCTAssertEqual(q.days, 8)
        XCTAssertEqual(q.amount, Money(minorUnits: 300 * 2 * 8, currency: .EUR))
        XCTAssertEqual(q.gridVersion, 3)
        // A short trip pays the plan's minimum.
        let short = Quote.make(
            terms: light, gridVersion: 3, travellers: 1, arrival: at("2026-07-10T12:00:00Z"), returnDate: at("2026-07-11T12:00:00Z"), zone: newYork)
        XCTAssertEqual(short.amount.minorUnits, light.minimumPerTripMinorUnits)
    }

    func testTheInvoiceRunsOnTheFirstInOnSpotsZoneForTheNextMonthsDepartures() throws {
        let calendar = BillingCalendar(zone: paris)
        // 30 November 23:30 UTC is already 1 December in Paris.
        let run = try XCTUnwrap(calendar.invoicePeriod(runningOn: at("2026-11-30T23:30:00Z")))
        XCTAssertEqual(run.period, "2027-01")
        XCTAssertEqual(run.departures.lowerBound, at("2026-12-31T23:00:00Z"))
        XCTAssertEqual(run.departures.upperBound, at("2027-01-31T23:00:00Z"))
        XCTAssertNil(calendar.invoicePeriod(runningOn: at("2026-11-30T22:30:00Z")), "still 30 November in Paris")
        XCTAssertNil(calendar.invoicePeriod(runningOn: at("2026-12-02T10:00:00Z")))
    }

    func testLinesAreDueFifteenDaysBeforeDepartureOnTheWallClockAcrossDaylightSaving() {
        let calendar = BillingCalendar(zone: paris)
        // Departure 10 April 2027 10:00 CEST; Europe changes clocks on 28 March: due 26 March 10:00 CET.
        let due = calendar.dueDate(departure: at("2027-04-10T08:00:00Z"))
        XCTAssertEqual(due, at("2027-03-26T09:00:00Z"))
        XCTAssertEqual(due.distance(to: at("2027-04-10T08:00:00Z")), 15 * 86400 - 3600, "one real hour short of 15 × 24 h")
        // Without a change in between: exactly 15 × 24 h.
        XCTAssertEqual(calendar.dueDate(departure: at("2027-06-20T08:00:00Z")), at("2027-06-05T08:00:00Z"))
    }

    func testRefundDeadlinesSevenDaysAndTwentyFourHoursAcrossZonesAndClockChanges() {
        // LIGHT, 7 days, a New York agency: departure Saturday 20 March 2027 10:00 EDT; US clocks change on 14 March.
        let departure = at("2027-03-20T14:00:00Z")
        let lightDeadline = CancellationRules.refundDeadline(departure: departure, noticeHours: 168, zone: newYork)
        XCTAssertEqual(lightDeadline, at("2027-03-13T15:00:00Z"), "Saturday 13 March 10:00 EST")
        XCTAssertEqual(CancellationRules.refundState(departure: departure, noticeHours: 168, now: lightDeadline, zone: newYork), .pending)
        XCTAssertEqual(
            CancellationRules.refundState(departure: departure, noticeHours: 168, now: lightDeadline.addingTimeInterval(1), zone: newYork),
            .notRefundable)
        // The same departure read from Paris (no change in that week there): 7 × 24 h.
        XCTAssertEqual(CancellationRules.refundDeadline(departure: departure, noticeHours: 168, zone: paris), at("2027-03-13T14:00:00Z"))
        // PLUS, 24 hours, Paris: departure Monday 29 March 2027 10:00 CEST, the night after the change. 24 real hours
        // before is Sunday 28 March 09:00 CEST: the wall clock shows 25 hours.
        let plusDeparture = at("2027-03-29T08:00:00Z")
        let plusDeadline = CancellationRules.refundDeadline(departure: plusDeparture, noticeHours: 24, zone: paris)
        XCTAssertEqual(plusDeadline, at("2027-03-28T08:00:00Z"))
        XCTAssertEqual(CancellationRules.refundState(departure: plusDeparture, noticeHours: 24, now: plusDeadline, zone: paris), .pending)
        XCTAssertEqual(
            CancellationRules.refundState(departure: plusDeparture, noticeHours: 24, now: plusDeadline.addingTimeInterval(1), zone: paris),
            .notRefundable)
    }

    func testDunningRemindsThenWarnsFinallyThenCancelsOnlyAfterTheFinalReminder() {
        let calendar = BillingCalendar(zone: paris)
        let due = at("2027-03-26T09:00:00Z")
        let policy = DunningPolicy.standard
        let sentBefore = at("2027-03-21T09:00:00Z")
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-03-20T09:00:00Z"), sent: [:], calendar: calendar), [])
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-03-21T09:00:00Z"), sent: [:], calendar: calendar), [.reminder])
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-03-22T09:00:00Z"), sent: [.reminder: sentBefore], calendar: calendar), [])
        XCTAssertEqual(policy.stagesDue(due: due, now: due, sent: [.reminder: sentBefore], calendar: calendar), [.finalReminder])
        // A run that missed everything sends the final reminder, never the cancellation in the same breath…
        let late = at("2027-04-01T09:00:00Z")
        XCTAssertEqual(policy.stagesDue(due: due, now: late, sent: [:], calendar: calendar), [.finalReminder])
        // …nor an hour later: the agency keeps the policy's three days after the final reminder.
        XCTAssertEqual(policy.stagesDue(due: due, now: late.addingTimeInterval(3600), sent: [.finalReminder: late], calendar: calendar), [])
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-04-04T09:00:00Z"), sent: [.finalReminder: late], calendar: calendar), [.cancellation])
        // On time: three days after 26 March 10:00 CET is 29 March 10:00 CEST (clocks changed on the 28th): 08:00 UTC.
        let sent: [DunningPolicy.Stage: Date] = [.reminder: sentBefore, .finalReminder: due]
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-03-29T07:59:59Z"), sent: sent, calendar: calendar), [])
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-03-29T08:00:00Z"), sent: sent, calendar: calendar), [.cancellation])
        var all = sent
        all[.cancellation] = at("2027-03-29T08:00:00Z")
        XCTAssertEqual(policy.stagesDue(due: due, now: at("2027-04-05T09:00:00Z"), sent: all, calendar: calendar), [])
    }

    func testCommissionRatesByPlanAndVolumeOnTheBaseWithoutFees() {
        let policy = CommissionPolicy.standard
        XCTAssertEqual(policy.rate(plan: .plus, monthVolumeMinor: 0), 800)
        XCTAssertEqual(policy.rate(plan: .plus, monthVolumeMinor: 199_999), 800)
        XCTAssertEqual(policy.rate(plan: .plus, monthVolumeMinor: 200_000), 1_000)
        XCTAssertEqual(policy.rate(plan: .plus, monthVolumeMinor: 5_000_000), 1_200)
        XCTAssertEqual(policy.rate(plan: .light, monthVolumeMinor: 250_000), 700)
        // Clause 2.4: 180.00 billed, 3.60 card fees, 10.00 referral fee: the base is 166.40; 8% of it is 13.312 → 13.31.
        let base = CommissionPolicy.base(billed: 18_000, cardFees: 360, extraCosts: 1_000)
        XCTAssertEqual(base, 16_640)
        XCTAssertEqual(CommissionPolicy.amount(base: base, rateBasisPoints: 800), 1_331)
        XCTAssertEqual(CommissionPolicy.amount(base: 16_250, rateBasisPoints: 1_000), 1_625)
        XCTAssertEqual(CommissionPolicy.amount(base: 5, rateBasisPoints: 1_000), 1, "half up: 0.5 cent becomes 1")
        XCTAssertEqual(CommissionPolicy.base(billed: 1_000, cardFees: 800, extraCosts: 500), 0, "never negative")
    }

    func testCreditPolicyExpiryOnlyWhenSetAnnouncedBeforeAndLateClaims() {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        XCTAssertNil(CreditPolicy.standard.expiryMonthsWithoutActivity, "OnSpot's terms set no expiry")
        XCTAssertFalse(CreditPolicy.standard.expires(lastActivity: at("2020-01-01T00:00:00Z"), now: at("2026-11-30T12:00:00Z"), calendar: utc))
        var policy = CreditPolicy.standard
        policy.expiryMonthsWithoutActivity = 18
        XCTAssertNil(policy.noticeDue(lastActivity: at("2025-05-31T12:00:00Z"), now: at("2026-10-31T11:59:59Z"), calendar: utc))
        XCTAssertEqual(
            policy.noticeDue(lastActivity: at("2025-05-31T12:00:00Z"), now: at("2026-10-31T12:00:00Z"), calendar: utc), at("2026-11-30T12:00:00Z"),
            "told 30 days before")
        XCTAssertFalse(policy.expires(lastActivity: at("2025-05-31T12:00:00Z"), now: at("2026-11-30T11:59:59Z"), calendar: utc))
        XCTAssertTrue(policy.expires(lastActivity: at("2025-05-31T12:00:00Z"), now: at("2026-11-30T12:00:00Z"), calendar: utc))
        XCTAssertTrue(policy.claimAccepted(activityDate: at("2026-07-31T10:00:00Z"), claimedAt: at("2026-11-30T10:00:00Z"), calendar: utc))
        XCTAssertFalse(policy.claimAccepted(activityDate: at("2026-07-31T10:00:00Z"), claimedAt: at("2026-11-30T10:00:01Z"), calendar: utc))
    }

    /// Property: whatever the sequence of earnings, redemptions, exports and expiries, every accepted transaction sums to
    /// zero, no agency balance goes below zero, all accounts together sum to zero, and a refusal happens exactly when the
    /// agency lacks the credits.
    func testLedgerInvariantsHoldForRandomSequences() {
        var generator = SeededGenerator(seed: 20261121)
        let agencies = (0..<4).map { _ in UUID() }
        for _ in 0..<200 {
            var accepted: [Ledger.Transaction] = []
            var balances: [UUID: Int64] = [:]
            for _ in 0..<60 {
                let agency = agencies.randomElement(using: &generator)!
                let amount = Int64.random(in: 1...50_000, using: &generator)
                let t: Ledger.Transaction
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: t = Ledger.earned(agency, amount, currency: .EUR, memo: "commission")
                case 1: t = Ledger.redeemed(agency, amount, currency: .EUR, memo: "invoice")
                case 2: t = Ledger.exported(agency, amount, currency: .EUR, memo: "miles")
                default: t = Ledger.expired(agency, amount, currency: .EUR, memo: "inactivity")
                }
                let refusal = Ledger.check(t, balances: balances)
                let spends = t.entries.contains { $0.account == .agencyCredits(agency) && $0.amountMinor < 0 }
                XCTAssertEqual(refusal != nil, spends && (balances[agency] ?? 0) < amount)
                guard refusal == nil else { continue }
                XCTAssertEqual(t.entries.reduce(0) { $0 + $1.amountMinor }, 0)
                accepted.append(t)
                for e in t.entries { if let id = e.account.agencyID { balances[id, default: 0] += e.amountMinor } }
                XCTAssertTrue(balances.values.allSatisfy { $0 >= 0 })
            }
            let all = Ledger.balances(accepted)
            XCTAssertEqual(all.values.reduce(0, +), 0)
            for agency in agencies { XCTAssertEqual(all[.agencyCredits(agency)] ?? 0, balances[agency] ?? 0) }
        }
        // Hand-made transactions that break the rules are refused.
        let a = agencies[0]
        XCTAssertEqual(
            Ledger.check(
                Ledger.Transaction(kind: .earned, entries: [Ledger.Entry(.agencyCredits(a), 100)], currency: .EUR, memo: ""),
                balances: [:]), .unbalanced(100))
        XCTAssertEqual(Ledger.check(Ledger.Transaction(kind: .earned, entries: [], currency: .EUR, memo: ""), balances: [:]), .empty)
        XCTAssertEqual(
            Ledger.check(Ledger.redeemed(a, 10, currency: .EUR, memo: ""), balances: [a: 9]), .insufficientCredits(available: 9, requested: 10))
        XCTAssertEqual(Ledger.Account("agency:\(a.uuidString.lowercased()):credits"), .agencyCredits(a))
        XCTAssertNil(Ledger.Account("agency:nope:credits"))
    }

    func testThePolicyShipsAsDataAndBadPoliciesAreRefusedWithTheirField() throws {
        let shipped = BillingPolicy.bundled
        XCTAssertEqual(shipped.commission, .standard)
        XCTAssertEqual(shipped.credits, .standard)
        XCTAssertEqual(shipped.dunning, .standard)
        let bad =
            #"{"commission":{"tiers":{"LIGHT":[{"fromVolumeMinor":100,"rateBasisPoints":500}],"PLUS":[{"fromVolumeMinor":0,"rateBasisPoints":800}]}},"#
            + #""credits":{"expiryMonthsWithoutActivity":null,"expiryNoticeDays":30,"lateClaimMonths":4,"minorPerMile":1},"#
            + #""dunning":{"reminderDay":-5,"finalReminderDay":0,"cancellationDay":3}}"#
        XCTAssertThrowsError(try BillingPolicy.parse(Data(bad.utf8))) { error in
            guard case BillingPolicy.Failure.invalid(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.hasPrefix("commission.tiers.LIGHT"), message)
        }
        let disordered = bad.replacingOccurrences(of: #""fromVolumeMinor":100"#, with: #""fromVolumeMinor":0"#)
            .replacingOccurrences(of: #""cancellationDay":3"#, with: #""cancellationDay":-1"#)
        XCTAssertThrowsError(try BillingPolicy.parse(Data(disordered.utf8))) { error in
            XCTAssertEqual(error as? BillingPolicy.Failure, .invalid("dunning: reminder, final reminder and cancellation days must be in that order"))
        }
        XCTAssertThrowsError(try BillingPolicy.parse(Data("{".utf8)))
    }

    func testTheVATTreatmentFollowsTheBuyersCountryUnlessForced() {
        XCTAssertEqual(VATTreatment.of(buyerCountry: "FR", setting: nil), .reverseCharge)
        XCTAssertEqual(VATTreatment.of(buyerCountry: " pt", setting: nil), .reverseCharge)
        XCTAssertEqual(VATTreatment.of(buyerCountry: "CH", setting: nil), .outOfScope)
        XCTAssertEqual(VATTreatment.of(buyerCountry: "US", setting: nil), .outOfScope)
        XCTAssertEqual(VATTreatment.of(buyerCountry: nil, setting: nil), .reverseCharge, "most agencies are French")
        XCTAssertEqual(VATTreatment.of(buyerCountry: "US", setting: "reverse_charge"), .reverseCharge)
        XCTAssertEqual(VATTreatment.of(buyerCountry: "FR", setting: "nonsense"), .reverseCharge, "an unknown setting is ignored")
        XCTAssertEqual(VATTreatment.euCountries.count, 27)
        for treatment in [VATTreatment.reverseCharge, .outOfScope] {
            for language in Language.allCases { XCTAssertNotEqual(L10n.t(treatment.mentionKey, language), treatment.mentionKey) }
        }
    }
}
