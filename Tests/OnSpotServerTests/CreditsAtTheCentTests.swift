import Fluent
import Foundation
import OnSpotCore
import SQLKit
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, item 4: commissions become credits at the cent, in the agency's currency at the admin's rate (recorded),
/// and credits lapse only if OnSpot's policy sets an expiry, announced before.
final class CreditsAtTheCentTests: ServerTestCase {
    func book(_ agency: Agency, billedMinor: Int64, currency: CurrencyCode, at date: Date = Date()) async throws -> CommissionRecord? {
        let trip = try await makeTrip(for: agency, departure: date.addingTimeInterval(20 * 86400), reference: "C-\(billedMinor)")
        let booking = ActivityBookingRecord()
        booking.agencyID = try agency.requireID()
        booking.travellerID = trip.travellerLinks[0].$traveller.id
        booking.tripID = trip.id
        booking.activityName = "Harbor cruise"; booking.activityType = "excursion"; booking.activityNature = "boat tour"
        booking.supplier = "Circle Line"; booking.commissionable = true
        booking.amountBilledMinor = billedMinor; booking.cardFeesMinor = 0; booking.extraCostsMinor = 0
        booking.currency = currency; booking.requestedAt = date; booking.status = .booked
        return try await CreditsService.book(booking, plan: .plus, zone: TimeZone(identifier: "Europe/Paris")!, on: app.db)
    }

    func testACommissionInAnotherCurrencyIsConvertedAtTheRecordedRateOrWaitsForOne() async throws {
        let agency = try await makeAgency("Alpha", plan: .plus)
        let agencyID = try agency.requireID()
        // No USD→EUR rate yet (the seeded one removed).
        try await ExchangeRateRecord.query(on: app.db).filter(\.$fromCurrency == .USD).filter(\.$toCurrency == .EUR).delete()
        // 8 % of 554.50 EUR is 44.36: all of it, not 40.00.
        let euros = try await book(agency, billedMinor: 55_450, currency: .EUR)
        XCTAssertEqual(euros?.amountMinor, 4_436)
        XCTAssertEqual(euros?.creditedMinor, 4_436)
        let value1 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value1, 4_436, "fails on the old code: 4,000")

        // 80.00 USD of commission with no USD→EUR rate yet: nothing credited, nothing lost.
        let value2 = try await book(agency, billedMinor: 100_000, currency: .USD)
        let dollars = try XCTUnwrap(value2)
        XCTAssertEqual(dollars.amountMinor, 8_000)
        XCTAssertNil(dollars.creditedAt)
        let value3 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value3, 4_436, "fails on the old code: 80 USD added as 80 EUR")

        // The admin sets the rate; the scheduled work credits it at that rate and records it.
        let rate = ExchangeRateRecord()
        rate.fromCurrency = .USD; rate.toCurrency = .EUR; rate.rate = "0.9215"; rate.updatedAt = Date()
        try await rate.create(on: app.db)
        let lines = try await ScheduledWork.run("expiry", at: Date(), app: app)
        XCTAssertEqual(lines, ["credits: 1 commission(s) credited, 0 expiry notice(s), 0 agency balance(s) expired"])
        let credited = try await CommissionRecord.find(dollars.id, on: app.db)
        XCTAssertEqual(credited?.creditedMinor, 7_372, "80.00 × 0.9215 = 73.72")
        XCTAssertEqual(credited?.creditCurrency, .EUR)
        XCTAssertEqual(credited?.exchangeRate, "0.9215")
        let value4 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value4, 4_436 + 7_372)
        let memo = try await LedgerEntryRecord.query(on: app.db).filter(\.$agencyID == agencyID).sort(\.$createdAt, .descending).first()?.memo
        XCTAssertEqual(memo, "commission 80.00 USD × 0.9215")
        // Nothing is credited twice.
        let value5 = try await CreditsService.creditPendingCommissions(on: app.db)
        XCTAssertEqual(value5, 0)
        let entries = try await LedgerEntryRecord.query(on: app.db).all()
        XCTAssertEqual(entries.reduce(0) { $0 + $1.amountMinor }, 0, "the ledger balances")
    }

    func testCreditsLapseOnlyUnderAnExpiryPolicyAndTheAgencyIsToldOnceBefore() async throws {
        let agency = try await makeAgency("Dormant", plan: .plus)
        try await makeUser("admin@dormant.example", role: .agencyAdmin, agency: agency)
        let agencyID = try agency.requireID()
        try await CreditsService.append(Ledger.earned(agencyID, 2_500, currency: .EUR, memo: "commission"), agencyID: agencyID, on: app.db)
        let value6 = try await LedgerEntryRecord.query(on: app.db).filter(\.$agencyID == agencyID).first()?.createdAt
        let last = try XCTUnwrap(value6)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let twoYearsLater = try XCTUnwrap(utc.date(byAdding: .year, value: 2, to: last))
        // The shipped policy: no expiry, whatever the wait.
        let value7 = try await CreditsService.runExpiry(on: twoYearsLater, app: app, db: app.db)
        XCTAssertEqual(value7, CreditsService.ExpirySummary())

        var policy = CreditsService.policy
        policy.expiryMonthsWithoutActivity = 18
        let limit = try XCTUnwrap(utc.date(byAdding: .month, value: 18, to: last))
        let noticeDay = limit.addingTimeInterval(-20 * 86400)
        let told = try await CreditsService.runExpiry(on: noticeDay, app: app, db: app.db, policy: policy)
        XCTAssertEqual(told, CreditsService.ExpirySummary(expired: 0, notices: 1))
        let toldAgain = try await CreditsService.runExpiry(on: noticeDay.addingTimeInterval(86400), app: app, db: app.db, policy: policy)
        XCTAssertEqual(toldAgain, CreditsService.ExpirySummary(expired: 0, notices: 0), "told once")
        let mail = try await NotificationRecord.query(on: app.db).filter(\.$kind == .creditsExpiryNotice).all()
        XCTAssertEqual(mail.map(\.recipient), ["admin@dormant.example"])
        XCTAssertTrue(mail.first?.subject.contains("25,00") == true, mail.first?.subject ?? "")
        let value8 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value8, 2_500)

        let lapsed = try await CreditsService.runExpiry(on: limit.addingTimeInterval(3600), app: app, db: app.db, policy: policy)
        XCTAssertEqual(lapsed.expired, 1)
        let value9 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value9, 0)
    }

    func testTheMigrationGrantsWhatTheFormerTranchesHeldBackOnce() async throws {
        let agency = try await makeAgency("Former", plan: .plus)
        let agencyID = try agency.requireID()
        // As the former code left it: 44.36 of commission, 40.00 credited in tranches, the commission unmarked.
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), reference: "OLD")
        let booking = ActivityBookingRecord()
        booking.agencyID = agencyID; booking.travellerID = trip.travellerLinks[0].$traveller.id; booking.activityName = "Cruise"
        booking.activityType = "excursion"; booking.activityNature = "boat tour"; booking.supplier = "Circle Line"
        booking.commissionable = true; booking.amountBilledMinor = 55_450; booking.cardFeesMinor = 0; booking.extraCostsMinor = 0
        booking.currency = .EUR; booking.requestedAt = Date(); booking.status = .booked
        try await booking.create(on: app.db)
        let commission = CommissionRecord()
        commission.activityBookingID = try booking.requireID(); commission.agencyID = agencyID; commission.rateBasisPoints = 800
        commission.baseMinor = 55_450; commission.amountMinor = 4_436; commission.currency = .EUR; commission.createdAt = Date()
        try await commission.create(on: app.db)
        try await CreditsService.append(Ledger.earned(agencyID, 4_000, currency: .EUR, memo: "commissions"), agencyID: agencyID, on: app.db)

        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        try await M016_CommissionCredits.settleFormerTranches(sql)
        try await M016_CommissionCredits.settleFormerTranches(sql)
        let balance = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(balance, 4_436, "the 4.36 held back is granted, once")
        let marked = try await CommissionRecord.find(commission.id, on: app.db)
        XCTAssertEqual(marked?.creditedMinor, 4_436)
        let value1 = try await CreditsService.creditPendingCommissions(on: app.db)
        XCTAssertEqual(value1, 0, "and never credited again")
        let entries = try await LedgerEntryRecord.query(on: app.db).all()
        XCTAssertEqual(entries.reduce(0) { $0 + $1.amountMinor }, 0)
    }
}
