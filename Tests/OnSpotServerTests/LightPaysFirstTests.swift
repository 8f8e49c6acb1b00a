import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, item 2: LIGHT pays at registration. Until paid, no card, no service window, the API says
/// payment_required with the page to pay; paid, the card works and the agency's system hears trip.paid; unpaid, the
/// agency is reminded a day before the 72-hour deadline and the trip is released at it.
final class LightPaysFirstTests: StripeServerTestCase {
    func testTheCardAndTheServiceStartOnlyOncePaid() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let endpoint = WebhookEndpointRecord()
        endpoint.agencyID = try agency.requireID(); endpoint.url = "http://127.0.0.1:9/hook"; endpoint.secret = "whsec_agency"
        endpoint.active = true; endpoint.createdAt = Date()
        try await endpoint.create(on: app.db)
        let browser = try await signedIn("admin@lumiere.example")
        let registered = try await registerTrip(browser, departure: Date().addingTimeInterval(20 * 86400), reference: "L-FIRST")
        XCTAssertEqual(registered.status, .seeOther)
        let value1 = try await Trip.query(on: app.db).filter(\.$reference == "L-FIRST").first()
        let trip = try XCTUnwrap(value1)
        let value2 = try await TripTraveller.query(on: app.db).filter(\.$trip.$id == trip.requireID()).first()
        let link = try XCTUnwrap(value2)

        // Unpaid: the portal asks for payment and shows no card; the card's link says the service has not started.
        let page = try await browser.get("/trips/\(trip.id!)")
        XCTAssertTrue(page.body.string.contains(#"id="payment-required""#), "fails on the old code: the trip was served unpaid")
        XCTAssertFalse(page.body.string.contains(#"class="card-link""#))
        let pending = try await app.sendRequest(.GET, SiteURL.card(link.cardToken).path)
        XCTAssertTrue(pending.body.string.contains(#"id="card-pending""#))
        XCTAssertFalse(pending.body.string.contains("+1"), "no number before the service is paid for")
        let value3 = try await app.sendRequest(.GET, SiteURL.cardVCard(link.cardToken).path).status
        XCTAssertEqual(value3, .notFound)
        // The traveller's number matches no trip yet, even inside the service window.
        let matched = try await InboundProcessor.matchByPhone([("351912345678", nil, trip.arrivalAt)], on: app.db)
        XCTAssertNil(matched.first ?? nil)
        // The API says so, with the page to pay.
        let key = try await makeApiKey(for: agency)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: key)
        let api = try await app.sendRequest(.GET, "/api/v1/trips/\(trip.id!)", headers: headers)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as? [String: Any])
        let payment = try XCTUnwrap(json["payment"] as? [String: Any])
        XCTAssertEqual(payment["state"] as? String, "payment_required")
        XCTAssertEqual(payment["paymentUrl"] as? String, app.onspot.publicBaseURL + SiteURL.tripPayment(try trip.requireID()).path)
        let traveller = try XCTUnwrap((json["travellers"] as? [[String: Any]])?.first)
        XCTAssertTrue(traveller["assistanceCardUrl"] == nil || traveller["assistanceCardUrl"] is NSNull, "no card before payment")

        // Paid: the card works, the number matches, the agency's system hears trip.paid once.
        let paid = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(paid.status, .seeOther, paid.body.string)
        let paidTrip = try await Trip.find(trip.id, on: app.db)
        XCTAssertNotNil(paidTrip?.servicePaidAt)
        let card = try await app.sendRequest(.GET, SiteURL.card(link.cardToken).path)
        XCTAssertFalse(card.body.string.contains(#"id="card-pending""#))
        let value4 = try await app.sendRequest(.GET, SiteURL.cardVCard(link.cardToken).path).status
        XCTAssertEqual(value4, .ok)
        let matchedAfter = try await InboundProcessor.matchByPhone([("351912345678", nil, trip.arrivalAt)], on: app.db)
        XCTAssertEqual(matchedAfter.first??.trip, trip.id)
        let hooks = try await WebhookDelivery.query(on: app.db).filter(\.$eventType == "trip.paid").all()
        XCTAssertEqual(hooks.count, 1)
        XCTAssertTrue(hooks.first?.payload.contains(try trip.requireID().uuidString) == true)
        let apiAfter = try await app.sendRequest(.GET, "/api/v1/trips/\(trip.id!)", headers: headers)
        XCTAssertTrue(apiAfter.body.string.contains(#""state":"paid""#), apiAfter.body.string)
    }

    func testAnUnpaidTripIsRemindedADayBeforeTheDeadlineThenReleasedAtIt() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let plus = try await makeAgency("Plus", plan: .plus)
        let departure = Date().addingTimeInterval(10 * 86400)
        let trip = try await makeTrip(for: agency, departure: departure, reference: "L-UNPAID")
        let invoiced = try await makeTrip(for: plus, departure: departure, reference: "P-INVOICED")
        XCTAssertTrue(trip.awaitsPayment)
        XCTAssertFalse(invoiced.awaitsPayment, "PLUS is invoiced, never held back")

        let early = try await LightPayments.runDue(at: departure.addingTimeInterval(-100 * 3600), app: app, db: app.db)
        XCTAssertEqual(early, LightPayments.Summary())
        let reminded = try await LightPayments.runDue(at: departure.addingTimeInterval(-95 * 3600), app: app, db: app.db)
        XCTAssertEqual(reminded, LightPayments.Summary(reminders: 1, released: 0))
        let again = try await LightPayments.runDue(at: departure.addingTimeInterval(-94 * 3600), app: app, db: app.db)
        XCTAssertEqual(again, LightPayments.Summary(), "reminded once")
        let released = try await LightPayments.runDue(at: departure.addingTimeInterval(-72 * 3600 + 1), app: app, db: app.db)
        XCTAssertEqual(released, LightPayments.Summary(reminders: 0, released: 1))
        let after = try await Trip.find(trip.id, on: app.db)
        XCTAssertEqual(after?.status, .cancelled)
        XCTAssertEqual(after?.refundState, .notApplicable)
        let value5 = try await Trip.find(invoiced.id, on: app.db)?.status
        XCTAssertEqual(value5, .booked)
        let mails = try await NotificationRecord.query(on: app.db).filter(\.$kind ~~ [NotificationKind.lightPaymentReminder, .lightTripReleased])
            .sort(\.$createdAt).all()
        XCTAssertEqual(mails.map(\.kind), [.lightPaymentReminder, .lightTripReleased])
        XCTAssertTrue(mails.allSatisfy { $0.recipient == "admin@lumiere.example" })
        // The trip page says why in the reader's language.
        let browser = try await signedIn("admin@lumiere.example")
        let page = try await browser.get("/trips/\(trip.id!)")
        XCTAssertTrue(page.body.string.contains(HTML.escape(L10n.t("trip.cancelled.unpaid_light", .fr))))
        let value6 = try await LightPayments.runDue(at: departure, app: app, db: app.db)
        XCTAssertEqual(value6, LightPayments.Summary())
    }

    func testAReleasedTripGivesBackWhatWasPaidTowardsItAndCreditsPayOnlyInTheirCurrency() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        let agencyID = try agency.requireID()
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        try await CreditsService.append(Ledger.earned(agencyID, 1_000, currency: .EUR, memo: "commission"), agencyID: agencyID, on: app.db)
        let departure = Date().addingTimeInterval(10 * 86400)
        let trip = try await makeTrip(for: agency, departure: departure, reference: "L-PART")
        // Part of the price in credits: the trip still awaits the rest.
        _ = try await CardPayments.payTripWithCredits(trip, amountMinor: 600, app: app, db: app.db)
        let partly = try await Trip.find(trip.id, on: app.db)
        XCTAssertEqual(partly?.awaitsPayment, true)
        let value1 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value1, 400)
        // Released at the deadline: the 6.00 of credits come back.
        let released = try await LightPayments.runDue(at: departure.addingTimeInterval(-72 * 3600 + 1), app: app, db: app.db)
        XCTAssertEqual(released.released, 1)
        let value2 = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(value2, 1_000, "nothing paid towards a released trip is kept")
        let value3 = try await Trip.find(trip.id, on: app.db)?.refundState
        XCTAssertEqual(value3, .refunded)
        // A released trip never shows a card.
        let value4 = try await TripTraveller.query(on: app.db).filter(\.$trip.$id == trip.requireID()).first()
        let link = try XCTUnwrap(value4)
        let card = try await app.sendRequest(.GET, SiteURL.card(link.cardToken).path)
        XCTAssertTrue(card.body.string.contains(#"id="card-pending""#))

        // Credits in dollars do not pay a trip priced in euros.
        agency.currency = .USD
        try await agency.save(on: app.db)
        let other = try await makeTrip(for: agency, departure: departure.addingTimeInterval(86400), reference: "L-EUR")
        do {
            _ = try await CardPayments.payTripWithCredits(other, amountMinor: 100, app: app, db: app.db)
            XCTFail("credits paid another currency")
        } catch let refusal as PaymentRefusal {
            XCTAssertEqual(refusal, .otherCurrency)
        }
    }
}
