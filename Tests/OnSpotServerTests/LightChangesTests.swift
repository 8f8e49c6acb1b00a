import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, item 3 on LIGHT: a paid trip shortened within the notice gets the difference back through Stripe (several
/// refunds per payment), a lengthened one owes a second payment, a cancellation refunds what is left, exactly once.
final class LightChangesTests: StripeServerTestCase {
    /// The portal's edit form, as the agency sends it: the same departure, a return `days` after it.
    func edit(_ browser: TestBrowser, _ trip: Trip, agency: Agency, days: Int) async throws -> XCTHTTPResponse {
        _ = try await browser.get("/trips/\(trip.id!)/edit")
        return try await browser.post(
            "/trips/\(trip.id!)/edit",
            form: [
                "reference": trip.reference ?? "", "destinations[]": "us-nyc",
                "departure": LocalDateTime.inputValue(trip.departureAt, in: agency.zone),
                "returnAt": LocalDateTime.inputValue(trip.departureAt.addingTimeInterval(Double(days) * 86400), in: agency.zone)
            ])
    }

    func account(_ trip: Trip) async throws -> CardPayments.TripAccount { try await CardPayments.account(tripID: trip.requireID(), on: app.db) }

    func testAShortenedTripIsRefundedTheDifferenceALongerOneOwesTheRestAndACancellationTheRemainder() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), reference: "L-CHANGES")
        let browser = try await signedIn("admin@lumiere.example")
        let value1 = try await edit(browser, trip, agency: agency, days: 15).status
        XCTAssertEqual(value1, .seeOther)
        let long = try await account(trip)
        let paid = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(paid.status, .seeOther, paid.body.string)
        let value2 = try await PaymentRecord.query(on: app.db).filter(\.$status == .succeeded).first()
        let first = try XCTUnwrap(value2)
        XCTAssertEqual(first.amountMinor, long.quote?.amountMinor)

        // Shortened 20 days before departure (LIGHT's notice is 7 days): the difference goes back through Stripe.
        let value3 = try await edit(browser, trip, agency: agency, days: 10).status
        XCTAssertEqual(value3, .seeOther)
        let short = try await account(trip)
        let difference = first.amountMinor - (short.quote?.amountMinor ?? 0)
        XCTAssertGreaterThan(difference, 0)
        let refund = try XCTUnwrap(short.refunds.first, "fails on the old code: the overpayment was kept")
        XCTAssertEqual(refund.amountMinor, difference)
        XCTAssertEqual(refund.status, .succeeded)
        XCTAssertEqual(refund.cause, RefundRecord.shortened(to: try XCTUnwrap(short.quote?.id)))
        XCTAssertEqual(stripe.refunded(first.providerReference ?? ""), Int(difference))
        XCTAssertEqual(short.dueMinor, 0)
        let page = try await browser.get("/trips/\(trip.id!)")
        XCTAssertTrue(page.body.string.contains(#"id="refunded""#))
        XCTAssertTrue(page.body.string.contains(HTML.escape(L10n.t("refund_state.refunded", agency.language))))
        // Saving the same dates again refunds nothing more.
        let value4 = try await edit(browser, trip, agency: agency, days: 10).status
        XCTAssertEqual(value4, .seeOther)
        let value5 = try await RefundRecord.query(on: app.db).count()
        XCTAssertEqual(value5, 1)

        // Lengthened: the extra days are a second payment.
        let value6 = try await edit(browser, trip, agency: agency, days: 12).status
        XCTAssertEqual(value6, .seeOther)
        let longer = try await account(trip)
        XCTAssertEqual(longer.dueMinor, (longer.quote?.amountMinor ?? 0) - (first.amountMinor - difference))
        // Unpaid extra days are chased once as departure nears; the service goes on.
        let chased = try await LightPayments.runDue(at: trip.departureAt.addingTimeInterval(-90 * 3600), app: app, db: app.db)
        XCTAssertEqual(chased, LightPayments.Summary(reminders: 0, released: 0, extraReminders: 1), "fails on the old code: never chased")
        let again = try await LightPayments.runDue(at: trip.departureAt.addingTimeInterval(-80 * 3600), app: app, db: app.db)
        XCTAssertEqual(again, LightPayments.Summary())
        let extraMail = try await NotificationRecord.query(on: app.db).filter(\.$kind == .lightPaymentReminder).all()
        XCTAssertEqual(extraMail.count, 1)
        XCTAssertTrue(extraMail.first?.subject.contains("L-CHANGES") == true)
        let second = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(second.status, .seeOther, second.body.string)
        let value7 = try await account(trip).dueMinor
        XCTAssertEqual(value7, 0)

        // Cancelled within the notice: what is left of each payment goes back, once; everything paid is refunded.
        let cancelled = try await browser.post("/trips/\(trip.id!)/cancel", form: ["reason": "change of plans"])
        XCTAssertEqual(cancelled.status, .seeOther)
        let settled = try await account(trip)
        XCTAssertEqual(settled.refundedMinor, settled.paidMinor, "every cent paid is refunded exactly once")
        XCTAssertEqual(settled.refunds.count, 3)
        let intents = settled.payments.compactMap(\.providerReference)
        XCTAssertEqual(intents.reduce(0) { $0 + stripe.refunded($1) }, Int(settled.paidMinor))
        let value8 = try await Trip.find(trip.id, on: app.db)?.refundState
        XCTAssertEqual(value8, .refunded)
    }

    func testAShorteningInsideTheNoticeKeepsThePaidDays() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), reference: "L-LATE")
        let browser = try await signedIn("admin@lumiere.example")
        let value9 = try await edit(browser, trip, agency: agency, days: 15).status
        XCTAssertEqual(value9, .seeOther)
        let value10 = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"]).status
        XCTAssertEqual(value10, .seeOther)
        // Three days before departure, inside LIGHT's 7 days: article 5 gives nothing back.
        app.clock.set(trip.departureAt.addingTimeInterval(-3 * 86400))
        let later = try await signedIn("admin@lumiere.example")  // the earlier session has lapsed by then
        let value11 = try await edit(later, trip, agency: agency, days: 10).status
        XCTAssertEqual(value11, .seeOther)
        let value12 = try await RefundRecord.query(on: app.db).count()
        XCTAssertEqual(value12, 0)
        XCTAssertTrue(stripe.requests.allSatisfy { $0.path != "/v1/refunds" })
    }
}
