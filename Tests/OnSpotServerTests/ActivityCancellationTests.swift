import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, item 4: a commission on an activity cancelled later is reversed, once, even when its credits were spent.
final class ActivityCancellationTests: ServerTestCase {
    struct Setup {
        var agency: Agency
        var record: CaseRecord
        var activity: ActivityRecord
        var expert: TestBrowser
    }

    /// A PLUS agency's New York case, a commissionable catalogue activity in euros, and a New York expert.
    func setup() async throws -> Setup {
        let agency = try await makeAgency("Alpha", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "ACT-1")
        let nycFound = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()
        let nyc = try XCTUnwrap(nycFound)
        let activity = ActivityRecord()
        activity.destinationID = try nyc.requireID(); activity.name = "Harbor Cruise"; activity.activityType = "excursion"
        activity.nature = "boat tour"; activity.supplier = "Circle Line"; activity.priceMinor = 55_450; activity.currency = .EUR
        activity.commissionable = true; activity.active = true; activity.pitchFR = "x"; activity.pitchEN = "x"; activity.pitchPT = "x"
        activity.createdAt = Date()
        try await activity.create(on: app.db)
        let record = CaseRecord()
        record.agencyID = try agency.requireID(); record.tripID = trip.id; record.travellerID = trip.travellerLinks[0].$traveller.id
        record.destinationID = nyc.id; record.category = .other; record.priority = .normal; record.status = .inProgress
        record.safetyFlag = false; record.recordingRefused = false; record.openedAt = Date()
        try await record.create(on: app.db)
        let user = try await makeUser("nyc@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try user.requireID()
        link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        return Setup(agency: agency, record: record, activity: activity, expert: try await signedIn("nyc@onspot.example"))
    }

    func book(_ s: Setup) async throws -> ActivityBookingRecord {
        let res = try await s.expert.post(
            SiteURL.caseActivities(s.record.requireID()).path, form: ["activity": s.activity.id!.uuidString, "amount": "554.50"])
        XCTAssertEqual(res.status, .seeOther, res.body.string.prefix(300).description)
        let found = try await ActivityBookingRecord.query(on: app.db).sort(\.$requestedAt, .descending).first()
        return try XCTUnwrap(found)
    }

    func cancelPath(_ s: Setup, _ booking: ActivityBookingRecord) throws -> String {
        SiteURL.cancelActivityBooking(case: try s.record.requireID(), booking: try booking.requireID()).path
    }

    func testACancelledActivityTakesItsCreditedCommissionBackOnceEvenWhenTheCreditsWereSpent() async throws {
        let s = try await setup()
        let agencyID = try s.agency.requireID()
        let booking = try await book(s)
        let credited = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(credited, 4_436, "8 % of 554.50")
        // The agency spends 40.00 of it.
        _ = try await CreditsService.spend(4_000, agencyID: agencyID, currency: .EUR, memo: "invoice", on: app.db)

        // A reason is required; then the booking is cancelled and its commission taken back.
        let blank = try await s.expert.post(try cancelPath(s, booking), form: ["reason": "  "])
        XCTAssertEqual(blank.status, .unprocessableEntity)
        XCTAssertTrue(blank.body.string.contains(#"id="cancelReason-error""#))
        let done = try await s.expert.post(try cancelPath(s, booking), form: ["reason": "supplier cancelled: storm"])
        XCTAssertEqual(done.status, .seeOther, done.body.string.prefix(300).description)
        let reloaded = try await ActivityBookingRecord.find(booking.id, on: app.db)
        XCTAssertEqual(reloaded?.status, .cancelled)
        XCTAssertEqual(reloaded?.cancellationReason, "supplier cancelled: storm")
        let commission = try await CommissionRecord.query(on: app.db).filter(\.$activityBookingID == booking.requireID()).first()
        XCTAssertEqual(commission?.reversedMinor, 4_436)
        let owed = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(owed, 436 - 4_436, "fails on the old code: the commission stayed; the spent credits are now owed")
        let reversal = try await LedgerEntryRecord.query(on: app.db).filter(\.$account == Ledger.Account.agencyCredits(agencyID).description)
            .filter(\.$kind == .commissionReversed).all()
        XCTAssertEqual(reversal.map(\.amountMinor), [-4_436])

        // A second cancellation changes nothing.
        let twice = try await s.expert.post(try cancelPath(s, booking), form: ["reason": "again"])
        XCTAssertEqual(twice.status, .conflict)
        let still = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(still, -4_000)

        // Owing credits, the agency cannot spend any; the next commission repays the debt first.
        do {
            _ = try await CreditsService.spend(100, agencyID: agencyID, currency: .EUR, memo: "invoice", on: app.db)
            XCTFail("a negative balance cannot be spent")
        } catch CreditsService.Refusal.ledger(.insufficientCredits) {}
        _ = try await book(s)
        let repaid = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(repaid, -4_000 + 4_436)
        let entries = try await LedgerEntryRecord.query(on: app.db).all()
        XCTAssertEqual(entries.reduce(0) { $0 + $1.amountMinor }, 0, "the ledger balances")

        // The case page and the agency's commissions say it; the month's total leaves it out.
        let page = try await s.expert.get(SiteURL.consoleCase(s.record.requireID()).path)
        XCTAssertTrue(page.body.string.contains("supplier cancelled: storm"))
        let admin = try await signedIn("admin@alpha.example")
        let commissions = try await admin.get(SiteURL.commissions.path)
        XCTAssertTrue(commissions.body.string.contains(HTML.escape(L10n.t("credits.kind.commission_reversed", .fr))))
        XCTAssertTrue(commissions.body.string.contains(Money(minorUnits: 4_436, currency: .EUR).formatted(.fr)))
        let csv = try await admin.get(SiteURL.commissionsCSV.path)
        XCTAssertTrue(csv.body.string.contains(#""cancelled","44.36""#), csv.body.string)
        let statement = try await admin.get(SiteURL.credits.path)
        XCTAssertTrue(statement.body.string.contains(HTML.escape(L10n.t("credits.kind.commission_reversed", .fr))))
    }

    func testOnlyAnExpertOfTheCaseCanCancelItsBookings() async throws {
        let s = try await setup()
        let booking = try await book(s)
        let miamiUser = try await makeUser("miami@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try miamiUser.requireID()
        let miamiFound = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-mia").first()
        link.$destination.id = try XCTUnwrap(miamiFound).requireID()
        try await link.create(on: app.db)
        let miami = try await signedIn("miami@onspot.example")
        let v1 = try await miami.post(try cancelPath(s, booking), form: ["reason": "x"]).status
        XCTAssertEqual(v1, .notFound)
        // The booking of another case is not reachable through this one.
        let other = CaseRecord()
        other.agencyID = s.record.agencyID; other.destinationID = s.record.destinationID; other.category = .other; other.priority = .normal
        other.status = .inProgress; other.safetyFlag = false; other.recordingRefused = false; other.openedAt = Date()
        try await other.create(on: app.db)
        let v2 = try await s.expert.post(
            SiteURL.cancelActivityBooking(case: try other.requireID(), booking: try booking.requireID()).path, form: ["reason": "x"]
        ).status
        XCTAssertEqual(v2, .notFound)
        let admin = try await signedIn("admin@alpha.example")
        let v3 = try await admin.post(try cancelPath(s, booking), form: ["reason": "x"]).status
        XCTAssertNotEqual(v3, .seeOther)
        let status = try await ActivityBookingRecord.find(booking.id, on: app.db)?.status
        XCTAssertEqual(status, .booked)
    }

    func testACommissionStillWaitingForARateIsNeverCreditedOnceCancelled() async throws {
        let agency = try await makeAgency("Alpha", plan: .plus)
        let agencyID = try agency.requireID()
        try await ExchangeRateRecord.query(on: app.db).filter(\.$fromCurrency == .USD).filter(\.$toCurrency == .EUR).delete()
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), reference: "USD-1")
        let booking = ActivityBookingRecord()
        booking.agencyID = agencyID; booking.travellerID = trip.travellerLinks[0].$traveller.id; booking.tripID = trip.id
        booking.activityName = "Helicopter"; booking.activityType = "excursion"; booking.activityNature = "flight"; booking.supplier = "Liberty"
        booking.commissionable = true; booking.amountBilledMinor = 100_000; booking.cardFeesMinor = 0; booking.extraCostsMinor = 0
        booking.currency = .USD; booking.requestedAt = Date(); booking.status = .booked
        let booked = try await CreditsService.book(booking, plan: .plus, zone: agency.zone, on: app.db)
        let commission = try XCTUnwrap(booked)
        XCTAssertEqual(commission.amountMinor, 8_000)
        XCTAssertNil(commission.creditedAt)
        let outcome = try await CreditsService.cancelBooking(booking, by: nil, reason: "traveller ill", on: app.db)
        XCTAssertEqual(outcome, .cancelled(reversedMinor: 0, currency: nil))
        let reversed = try await CommissionRecord.find(commission.id, on: app.db)
        XCTAssertNotNil(reversed?.reversedAt, "reversed before it was ever credited")
        let rate = ExchangeRateRecord()
        rate.fromCurrency = .USD; rate.toCurrency = .EUR; rate.rate = "0.92"; rate.updatedAt = Date()
        try await rate.create(on: app.db)
        let credited = try await CreditsService.creditPendingCommissions(on: app.db)
        XCTAssertEqual(credited, 0)
        let balance = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(balance, 0)
        let second = try await CreditsService.cancelBooking(booking, by: nil, reason: "again", on: app.db)
        XCTAssertEqual(second, .alreadyCancelled)
    }
}
