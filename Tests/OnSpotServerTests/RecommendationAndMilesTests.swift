import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor

/// Recommendations pushed over WhatsApp through the Graph stand-in, the miles partner hand-off through its own
/// stand-in, PLUS credit notes on cancellation, and re-quotes on modification.
final class RecommendationAndMilesTests: GraphTestCase {
    func activity(at code: String, name: String = "Circle Line Harbor Cruise") async throws -> ActivityRecord {
        let destination = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!
        let a = ActivityRecord()
        a.destinationID = destination.id!
        a.name = name; a.activityType = "excursion"; a.nature = "boat tour"; a.supplier = "Circle Line"; a.priceMinor = 4_200; a.currency = .EUR
        a.commissionable = true; a.active = true; a.pitchFR = "Croisière de 2 h 30"; a.pitchEN = "A 2.5-hour cruise"; a.pitchPT = "Cruzeiro de 2h30"
        a.createdAt = Date()
        try await a.create(on: app.db)
        return a
    }

    func traveller(_ agency: Agency, phone: String, language: Language, consent: Bool, lastInbound: TimeInterval) async throws {
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-2 * 86400), reference: "R-\(phone.suffix(3))")
        let t = trip.travellerLinks[0].traveller
        t.consentRecommendations = consent
        t.language = language
        try await t.save(on: app.db)
        let c = Conversation()
        c.channel = .whatsapp; c.externalUserID = phone; c.destinationID = nyc.id; c.agencyID = agency.id; c.travellerID = t.id; c.tripID = trip.id
        c.identified = true; c.lastInboundAt = Date().addingTimeInterval(-lastInbound); c.createdAt = Date()
        try await c.create(on: app.db)
    }

    func testRecommendationsGoToConsentingTravellersInTheirLanguageOncePerDay() async throws {
        let record = try await openCase()
        let agency = try await makeAgency("Alpha")
        try await traveller(agency, phone: "15550000001", language: .pt, consent: true, lastInbound: 3600)
        try await traveller(agency, phone: "15550000002", language: .en, consent: true, lastInbound: 2 * 86400)
        try await traveller(agency, phone: "15550000003", language: .fr, consent: false, lastInbound: 600)
        let cruise = try await activity(at: "us-nyc")
        let expert = try await expert(covering: ["us-nyc"])
        let pushed = try await expert.post("/console/cases/\(record.id!)/recommendations", form: ["activity": cruise.id!.uuidString])
        XCTAssertEqual(pushed.status, .seeOther, pushed.body.string)
        try await sent()
        let messages = graph.requests.map(\.json)
        XCTAssertEqual(messages.count, 2, "the traveller without consent gets nothing")
        let text = try XCTUnwrap(messages.first { $0["type"] as? String == "text" })
        XCTAssertEqual(text["to"] as? String, "15550000001")
        XCTAssertTrue(
            ((text["text"] as? [String: Any])?["body"] as? String ?? "").hasPrefix("Sugestão do seu especialista OnSpot: Circle Line Harbor Cruise"))
        let template = try XCTUnwrap(messages.first { $0["type"] as? String == "template" })
        XCTAssertEqual(template["to"] as? String, "15550000002", "outside the 24-hour window: the approved template")
        XCTAssertEqual((template["template"] as? [String: Any])?["name"] as? String, RecommendationService.template)
        // Again at once, or another activity the same day: nobody is pushed twice.
        let second = try await activity(at: "us-nyc", name: "Top of the Rock")
        let outcome = try await RecommendationService.push(second, by: nil, now: app.clock.now(), app: app, db: app.db)
        XCTAssertEqual(outcome.sent, 0)
        XCTAssertEqual(outcome.skippedRecent, 2)
        // An activity of another destination cannot be pushed from this case.
        let elsewhere = try await activity(at: "us-mia", name: "Everglades")
        let refused = try await expert.post("/console/cases/\(record.id!)/recommendations", form: ["activity": elsewhere.id!.uuidString])
        XCTAssertEqual(refused.status, .unprocessableEntity)
    }

    func testMilesHandOffSucceedsOrIsReversedAndNothingIsLost() async throws {
        let partner = try await MilesPartnerStandIn()
        app.onspot.milesPartnerURL = partner.baseURL
        let agency = try await makeAgency("Alpha")
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let agencyID = try agency.requireID()
        try await CreditsService.append(Ledger.earned(agencyID, 3_000, currency: .EUR, memo: "commissions"), agencyID: agencyID, on: app.db)
        let admin = try await signedIn("admin@alpha.example")
        let badMember = try await admin.post("/credits/export", form: ["member": "12", "amount": "10"])
        XCTAssertEqual(badMember.status, .unprocessableEntity)
        let tooMuch = try await admin.post("/credits/export", form: ["member": "MA123456", "amount": "31"])
        XCTAssertEqual(tooMuch.status, .unprocessableEntity)
        let ok = try await admin.post("/credits/export", form: ["member": "MA123456", "amount": "10"])
        XCTAssertEqual(ok.status, .seeOther, ok.body.string)
        let request = try XCTUnwrap(partner.requests.first)
        XCTAssertEqual(request.json["member_number"] as? String, "MA123456")
        XCTAssertEqual(request.json["miles"] as? Int, 1_000)
        XCTAssertEqual(request.idempotencyKey, request.json["reference"] as? String)
        let afterExport = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(afterExport, 2_000)
        // The partner fails: a precise 502, the debit reversed, the balance intact.
        partner.failNext()
        let failed = try await admin.post("/credits/export", form: ["member": "MA123456", "amount": "5"])
        XCTAssertEqual(failed.status, .badGateway)
        let afterFailure = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(afterFailure, 2_000)
        let exports = try await MilesExportRecord.query(on: app.db).sort(\.$createdAt).all()
        XCTAssertEqual(exports.map(\.status), [.succeeded, .failed])
        let kinds = try await LedgerEntryRecord.query(on: app.db).filter(\.$agencyID == agencyID).all().map(\.kind)
        XCTAssertEqual(kinds.filter { $0 == .reversed }.count, 2, "the reversal is a balanced transaction of its own")
        try await partner.stop()
    }

    func testPlusCancellationCreditsTheInvoicedLineAndModificationsRequote() async throws {
        let agency = try await makeAgency("Alpha", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let calendar = app.billingCalendar
        let departure = calendar.date(year: 2027, month: 2, day: 15, hour: 10)!
        let trip = try await makeTrip(for: agency, departure: departure, reference: "P-1")
        _ = try await Invoicing.runInvoices(on: calendar.date(year: 2027, month: 1, day: 1, hour: 6)!, app: app, db: app.db)
        let line = try await InvoiceLineRecord.query(on: app.db).filter(\.$tripID == trip.id!).first()
        XCTAssertNotNil(line)
        // Cancelled more than 24 hours before departure: refundable, so the invoiced line gets a credit note.
        try await TripService.cancel(trip, reason: "client malade", userID: nil, now: calendar.date(year: 2027, month: 2, day: 10)!, on: app.db)
        try await Cancellations.settleCancellation(trip, app: app, db: app.db)
        let note = try await CreditNoteRecord.query(on: app.db).first()
        XCTAssertEqual(note?.amountMinor, line?.amountMinor)
        XCTAssertEqual(note?.number, "AV-000001")
        let credited = try await InvoiceLineRecord.find(line?.id, on: app.db)
        XCTAssertEqual(credited?.status, .credited)
        let invoice = try await InvoiceRecord.find(line?.invoiceID, on: app.db)
        XCTAssertEqual(invoice?.status, .paid, "nothing left to pay once its only line is credited")

        // A LIGHT trip edited to twice the length is re-quoted; the grid version travels with the quote.
        let light = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: light)
        let lightTrip = try await makeTrip(for: light, departure: Date().addingTimeInterval(30 * 86400), reference: "L-EDIT")
        let before = try await Quotes.currentQuote(tripID: lightTrip.requireID(), on: app.db)
        let browser = try await signedIn("admin@lumiere.example")
        let zone = TimeZone(identifier: "Europe/Paris")!
        let edited = try await browser.post(
            "/trips/\(lightTrip.id!)/edit",
            form: [
                "reference": "L-EDIT", "destinations[]": "us-nyc",
                "departure": LocalDateTime.inputValue(lightTrip.departureAt, in: zone),
                "returnAt": LocalDateTime.inputValue(lightTrip.departureAt.addingTimeInterval(20 * 86400), in: zone)
            ])
        XCTAssertEqual(edited.status, .seeOther, edited.body.string)
        let after = try await Quotes.currentQuote(tripID: lightTrip.requireID(), on: app.db)
        XCTAssertGreaterThan(after?.days ?? 0, before?.days ?? 0)
        XCTAssertNotEqual(after?.id, before?.id)
        let superseded = try await QuoteRecord.find(before?.id, on: app.db)
        XCTAssertNotNil(superseded?.supersededAt)
    }
}

/// The miles partner's hand-off API on loopback: JSON credits with an Idempotency-Key, 201 with its reference.
final class MilesPartnerStandIn: @unchecked Sendable {
    struct Recorded: Sendable {
        let idempotencyKey: String?
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }
    let app: Application
    private let state = NIOLockedValueBox<(requests: [Recorded], failures: Int)>(([], 0))
    private(set) var port = 0
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [Recorded] { state.withLockedValue { $0.requests } }

    init() async throws {
        app = try await Application.make(.testing)
        app.on(.POST, "v1", "credits") { [state] req -> Response in
            let recorded = Recorded(
                idempotencyKey: req.headers.first(name: "Idempotency-Key"), body: req.body.data.map { Data($0.readableBytesView) } ?? Data())
            let fail = state.withLockedValue { s -> Bool in
                s.requests.append(recorded)
                if s.failures > 0 { s.failures -= 1; return true }
                return false
            }
            if fail { return Response(status: .serviceUnavailable, body: .init(string: #"{"error":"maintenance"}"#)) }
            let response = Response(
                status: .created, body: .init(string: #"{"id":"MA-\#(recorded.idempotencyKey?.prefix(8) ?? "x")","status":"credited"}"#))
            response.headers.contentType = .json
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    func failNext() { state.withLockedValue { $0.failures = 1 } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// Billing pages and actions of one agency stay out of another's reach; experts reach only their destinations' cases.
final class BillingIsolationTests: ServerTestCase {
    func testAnotherAgencySeesNoneOfTheBillingDataAndExpertsStayInTheirDestinations() async throws {
        let a = try await makeAgency("Alpha")
        let b = try await makeAgency("Beta")
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: b)
        let aID = try a.requireID()
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(-86400), reference: "SECRET-A")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let activity = ActivityRecord()
        activity.destinationID = nyc.id!; activity.name = "Secret Cruise"; activity.activityType = "excursion"; activity.nature = "boat"
        activity.supplier = "X"; activity.priceMinor = 10_000; activity.currency = .EUR; activity.commissionable = true; activity.active = true
        activity.pitchFR = "x"; activity.pitchEN = "x"; activity.pitchPT = "x"; activity.createdAt = Date()
        try await activity.create(on: app.db)
        let booking = ActivityBookingRecord()
        booking.agencyID = aID; booking.travellerID = trip.travellerLinks[0].$traveller.id; booking.tripID = trip.id; booking.activityID = activity.id
        // The catalogue is shared; the booking is Alpha's own data.
        booking.activityName = "Secret Cruise for Alpha"; booking.activityType = "excursion"; booking.activityNature = "boat"; booking.supplier = "X"
        booking.commissionable = true; booking.amountBilledMinor = 10_000; booking.cardFeesMinor = 0; booking.extraCostsMinor = 0;
        booking.currency = .EUR
        booking.requestedAt = Date(); booking.status = .booked
        _ = try await CreditsService.book(booking, plan: .plus, zone: a.zone, on: app.db)
        let beta = try await signedIn("admin@beta.example")
        for path in ["/commissions", "/commissions.csv", "/credits", "/invoices"] {
            let res = try await beta.get(path)
            XCTAssertEqual(res.status, .ok, path)
            XCTAssertFalse(res.body.string.contains("Secret Cruise for Alpha") || res.body.string.contains("SECRET-A"), path)
        }
        let betaBalance = try await CreditsService.balance(agencyID: b.requireID(), on: app.db)
        XCTAssertEqual(betaBalance, 0)
        // An expert of Miami cannot book or push on a New York case.
        let record = CaseRecord()
        record.agencyID = aID; record.tripID = trip.id; record.travellerID = booking.travellerID; record.destinationID = nyc.id
        record.category = .other; record.priority = .normal; record.status = .inProgress; record.safetyFlag = false
        record.recordingRefused = false; record.openedAt = Date()
        try await record.create(on: app.db)
        let expertUser = try await makeUser("miami@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try expertUser.requireID()
        link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-mia").first()!.requireID()
        try await link.create(on: app.db)
        let miami = try await signedIn("miami@onspot.example")
        let book = try await miami.post("/console/cases/\(record.id!)/activities", form: ["activity": activity.id!.uuidString, "amount": "100"])
        XCTAssertEqual(book.status, .notFound)
        let push = try await miami.post("/console/cases/\(record.id!)/recommendations", form: ["activity": activity.id!.uuidString])
        XCTAssertEqual(push.status, .notFound)
        let bookings = try await ActivityBookingRecord.query(on: app.db).count()
        XCTAssertEqual(bookings, 1)
    }
}

/// Late commission claims: within four months of the activity, once per voucher, decided by OnSpot.
final class CommissionClaimTests: ServerTestCase {
    func testClaimsWithinTheDelayAreReviewedAndApprovedOnesEarnCredits() async throws {
        let a = try await makeAgency("Alpha")
        let b = try await makeAgency("Beta")
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: a)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: b)
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        _ = try await makeTrip(for: a, departure: Date().addingTimeInterval(-30 * 86400), reference: "A-PAST")
        _ = try await makeTrip(for: b, departure: Date().addingTimeInterval(-30 * 86400), reference: "B-PAST")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let activity = ActivityRecord()
        activity.destinationID = nyc.id!; activity.name = "Circle Line"; activity.activityType = "excursion"; activity.nature = "boat"
        activity.supplier = "Circle Line"; activity.priceMinor = 10_000; activity.currency = .EUR; activity.commissionable = true;
        activity.active = true
        activity.pitchFR = "x"; activity.pitchEN = "x"; activity.pitchPT = "x"; activity.createdAt = Date()
        try await activity.create(on: app.db)
        let zone = TimeZone(identifier: "Europe/Paris")!
        func day(_ daysAgo: Double) -> String { String(LocalDateTime.inputValue(Date().addingTimeInterval(-daysAgo * 86400), in: zone).prefix(10)) }
        let alpha = try await signedIn("admin@alpha.example")
        let base = ["trip": "A-PAST", "activity": activity.id!.uuidString, "activityDate": day(20), "amount": "250", "reference": "CL-123456"]
        var late = base
        late["activityDate"] = day(5 * 31)
        let tooLate = try await alpha.post("/commissions/claims", form: late)
        XCTAssertEqual(tooLate.status, .unprocessableEntity)
        XCTAssertTrue(tooLate.body.string.contains("4 mois"))
        var foreign = base
        foreign["trip"] = "B-PAST"
        let otherTrip = try await alpha.post("/commissions/claims", form: foreign)
        XCTAssertEqual(otherTrip.status, .unprocessableEntity, "another agency's trip is not found")
        let submitted = try await alpha.post("/commissions/claims", form: base)
        XCTAssertEqual(submitted.status, .seeOther, submitted.body.string)
        let duplicate = try await alpha.post("/commissions/claims", form: base)
        XCTAssertEqual(duplicate.status, .conflict)
        let beta = try await signedIn("admin@beta.example")
        let betaPage = try await beta.get("/commissions")
        XCTAssertFalse(betaPage.body.string.contains("CL-123456"))
        let betaDecides = try await beta.post("/admin/claims/\(UUID())/decide", form: ["decision": "approve"])
        XCTAssertEqual(betaDecides.status, .notFound)

        let claim = try await CommissionClaim.query(on: app.db).first()!
        let admin = try await signedIn("admin@onspot.example")
        let list = try await admin.get("/admin/claims")
        XCTAssertTrue(list.body.string.contains("CL-123456"))
        let rejectWithoutReason = try await admin.post("/admin/claims/\(claim.id!)/decide", form: ["decision": "reject"])
        XCTAssertEqual(rejectWithoutReason.status, .unprocessableEntity)
        let approved = try await admin.post("/admin/claims/\(claim.id!)/decide", form: ["decision": "approve"])
        XCTAssertEqual(approved.status, .seeOther)
        let twice = try await admin.post("/admin/claims/\(claim.id!)/decide", form: ["decision": "approve"])
        XCTAssertEqual(twice.status, .conflict)
        let booking = try await ActivityBookingRecord.query(on: app.db).first()
        XCTAssertEqual(booking?.status, .claimed)
        XCTAssertEqual(booking?.amountBilledMinor, 25_000)
        // 8 % of 250.00 is 20.00 of credits.
        let balance = try await CreditsService.balance(agencyID: a.requireID(), on: app.db)
        XCTAssertEqual(balance, 2_000)
    }
}
