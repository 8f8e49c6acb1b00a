import Crypto
import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 5 on the server: LIGHT payment through a Stripe stand-in over HTTP with signed webhooks, refunds on
/// cancellation, PLUS invoices issued once with gapless numbers, dunning to cancellation, commissions and credits.
final class BillingServerTests: StripeServerTestCase {

    func receipts() async throws -> [NotificationRecord] {
        try await NotificationRecord.query(on: app.db).filter(\.$kind == .paymentReceipt).all()
    }

    func postEvent(_ body: Data, signature: String?) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let signature { headers.replaceOrAdd(name: "Stripe-Signature", value: signature) }
        return try await app.sendRequest(.POST, "/webhooks/stripe", headers: headers, body: ByteBuffer(data: body))
    }

    func testLightTripIsQuotedPaidThroughStripeAndReceiptedOnce() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "us-nyc", reference: "L-1")
        let currentQuote = try await Quotes.currentQuote(tripID: trip.requireID(), on: app.db)
        let quote = try XCTUnwrap(currentQuote)
        // LIGHT grid: 3.00 per traveller per day; one traveller, arrival to return eight days in New York's calendar.
        XCTAssertEqual(quote.planCode, .light)
        XCTAssertEqual(quote.amountMinor, max(300 * Int64(quote.days), 2_500), "the plan's minimum per trip when higher")
        XCTAssertEqual(quote.gridVersion, 1)
        let browser = try await signedIn("admin@lumiere.example")
        let page = try await browser.get("/trips/\(trip.id!)")
        XCTAssertTrue(page.body.string.contains("id=\"pay-link\""))

        // A declined card: 402 with Stripe's message, nothing paid, the form still there.
        let declined = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_chargeDeclined"])
        XCTAssertEqual(declined.status, .paymentRequired)
        XCTAssertTrue(declined.body.string.contains("Your card was declined."))
        // Not a payment method token at all.
        let garbage = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "4242424242424242"])
        XCTAssertEqual(garbage.status, .unprocessableEntity)

        let paid = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(paid.status, .seeOther, paid.body.string)
        let receiptPath = try XCTUnwrap(paid.location)
        XCTAssertTrue(receiptPath.hasSuffix("/receipt"))
        let request = try XCTUnwrap(stripe.requests.last { $0.path == "/v1/payment_intents" })
        XCTAssertEqual(request.authorization, "Bearer \(StripeStandIn.secretKey)")
        XCTAssertEqual(request.form["amount"], String(quote.amountMinor))
        XCTAssertEqual(request.form["currency"], "eur")
        XCTAssertEqual(request.form["confirm"], "true")
        XCTAssertEqual(request.form["payment_method"], "pm_card_visa")
        let succeeded = try await PaymentRecord.query(on: app.db).filter(\.$status == .succeeded).first()
        let payment = try XCTUnwrap(succeeded)
        XCTAssertEqual(request.idempotencyKey, payment.idempotencyKey)
        XCTAssertEqual(request.form["metadata[payment_id]"], payment.idempotencyKey)
        let receipt = try await browser.get(receiptPath)
        XCTAssertEqual(receipt.status, .ok)
        XCTAssertTrue(receipt.body.string.contains(payment.providerReference!))
        let firstReceipts = try await receipts()
        XCTAssertEqual(firstReceipts.map(\.recipient), ["admin@lumiere.example"], "emailed at once")

        // Stripe's own event for the same payment: applied, no second receipt; the same event again: a duplicate.
        let (body, signature) = StripeStandIn.event(
            id: "evt_1", type: "payment_intent.succeeded",
            object: [
                "id": payment.providerReference!, "object": "payment_intent", "status": "succeeded",
                "metadata": ["payment_id": payment.idempotencyKey!]
            ], secret: Self.webhookSecret)
        let delivered = try await postEvent(body, signature: signature)
        XCTAssertEqual(delivered.status, .ok)
        let replayed = try await postEvent(body, signature: signature)
        XCTAssertEqual(replayed.status, .ok)
        XCTAssertTrue(replayed.body.string.contains("duplicate"))
        let afterWebhook = try await receipts()
        XCTAssertEqual(afterWebhook.count, 1)
        // A late failure event cannot undo the success.
        let (late, lateSignature) = StripeStandIn.event(
            id: "evt_2", type: "payment_intent.payment_failed",
            object: ["id": payment.providerReference!, "metadata": ["payment_id": payment.idempotencyKey!]],
            secret: Self.webhookSecret)
        _ = try await postEvent(late, signature: lateSignature)
        let still = try await PaymentRecord.find(payment.id, on: app.db)
        XCTAssertEqual(still?.status, .succeeded)
        // Nothing left to pay.
        let again = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(again.status, .conflict)

        // Another agency sees neither the payment page nor the receipt.
        let other = try await makeAgency("Autre", plan: .light)
        try await makeUser("admin@autre.example", role: .agencyAdmin, agency: other)
        let intruder = try await signedIn("admin@autre.example")
        let forbiddenPage = try await intruder.get("/trips/\(trip.id!)/payment")
        XCTAssertEqual(forbiddenPage.status, .notFound)
        let forbiddenReceipt = try await intruder.get(receiptPath)
        XCTAssertEqual(forbiddenReceipt.status, .notFound)
        let forbiddenPay = try await intruder.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(forbiddenPay.status, .notFound)
    }

    func testStripeWebhooksAreVerifiedAndRefusedPrecisely() async throws {
        let (body, signature) = StripeStandIn.event(
            id: "evt_x", type: "payment_intent.succeeded", object: ["id": "pi_unknown"], secret: Self.webhookSecret)
        let unsigned = try await postEvent(body, signature: nil)
        XCTAssertEqual(unsigned.status, .unauthorized)
        let forged = try await postEvent(body, signature: signature.replacingOccurrences(of: "v1=", with: "v1=00"))
        XCTAssertEqual(forged.status, .unauthorized)
        let (old, oldSignature) = StripeStandIn.event(
            id: "evt_old", type: "payment_intent.succeeded", object: ["id": "pi_1"], secret: Self.webhookSecret,
            at: Date().addingTimeInterval(-600))
        let replayedLater = try await postEvent(old, signature: oldSignature)
        XCTAssertEqual(replayedLater.status, .unauthorized, "outside the 300-second tolerance")
        // Signed but not an event: a precise 400, nothing stored.
        let junk = Data(#"{"hello":"world"}"#.utf8)
        let t = Int(Date().timeIntervalSince1970)
        let mac = HMACHex.sha256(secret: Self.webhookSecret, message: Data("\(t).".utf8) + junk)
        let malformed = try await postEvent(junk, signature: "t=\(t),v1=\(mac)")
        XCTAssertEqual(malformed.status, .badRequest)
        // A genuine event about a payment we do not know: acknowledged and kept for the record.
        let unknown = try await postEvent(body, signature: signature)
        XCTAssertEqual(unknown.status, .ok)
        let stored = try await StripeEventRecord.query(on: app.db).all()
        XCTAssertEqual(stored.map(\.eventID), ["evt_x"])
        // Oversized: refused before anything is read.
        var big = HTTPHeaders()
        big.contentType = .json
        try await app.testable(method: .running(port: 0)).test(
            .POST, "/webhooks/stripe", headers: big,
            body: ByteBuffer(repeating: 0x20, count: 600_000)
        ) { res async in
            XCTAssertEqual(res.status, .payloadTooLarge)
        }
    }

    func testCancellationRefundsLightWithinSevenDaysOnlyAndAnOutageChargesNothing() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@lumiere.example")
        let early = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400), destination: "us-nyc", reference: "EARLY")
        let late = try await makeTrip(for: agency, departure: Date().addingTimeInterval(5 * 86400), destination: "us-nyc", reference: "LATE")

        // The provider is down: a precise 502, the attempt closed, nothing charged.
        stripe.outage(1)
        let down = try await browser.post("/trips/\(early.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(down.status, .badGateway)
        let failedAttempts = try await PaymentRecord.query(on: app.db).filter(\.$status == .failed).count()
        XCTAssertEqual(failedAttempts, 1)

        for trip in [early, late] {
            let paid = try await browser.post("/trips/\(trip.id!)/payment", form: ["paymentMethod": "pm_card_visa"])
            XCTAssertEqual(paid.status, .seeOther)
        }
        _ = try await browser.post("/trips/\(early.id!)/cancel", form: ["reason": "client malade"])
        _ = try await browser.post("/trips/\(late.id!)/cancel", form: ["reason": "client malade"])
        let refunds = stripe.requests.filter { $0.path == "/v1/refunds" }
        XCTAssertEqual(refunds.count, 1, "only the cancellation 7 days or more before departure is refunded")
        let earlyPayment = try await PaymentRecord.query(on: app.db).filter(\.$tripID == early.id!).filter(\.$status == .succeeded).first()
        XCTAssertEqual(refunds.first?.form["payment_intent"], earlyPayment?.providerReference)
        XCTAssertEqual(refunds.first?.form["amount"], earlyPayment.map { String($0.amountMinor) })
        let earlyAfter = try await Trip.find(early.id, on: app.db)
        let lateAfter = try await Trip.find(late.id, on: app.db)
        XCTAssertEqual(earlyAfter?.refundState, .refunded)
        XCTAssertEqual(lateAfter?.refundState, .notRefundable)
    }

    func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) -> Date { app.billingCalendar.date(year: y, month: m, day: d, hour: h)! }

    func testAnInvoiceIssuedInDecemberForJanuaryIsNumberedWithTheYearOfIssue() async throws {
        let a = try await makeAgency("Alpha", plan: .plus)
        _ = try await makeTrip(for: a, departure: paris(2027, 1, 20, 9), reference: "A-JAN")
        let run = try await Invoicing.runInvoices(on: paris(2026, 12, 1, 6), app: app, db: app.db)
        XCTAssertEqual(run?.period, "2027-01")
        let invoice = try await InvoiceRecord.query(on: app.db).first()
        XCTAssertEqual(invoice?.number, "OSC-2026-000001", "issue 18, item 6: the issue date's year")
    }

    func testPlusInvoicesIssueOnceWithGaplessNumbersAndDunningEndsInCancellation() async throws {
        let a = try await makeAgency("Alpha", plan: .plus)
        let b = try await makeAgency("Beta", plan: .plus)
        let light = try await makeAgency("Gamma", plan: .light)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: a)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: b)
        let a1 = try await makeTrip(for: a, departure: paris(2027, 2, 10, 9), reference: "A-FEB-1")
        _ = try await makeTrip(for: a, departure: paris(2027, 2, 1, 0), reference: "A-FEB-FIRST")
        _ = try await makeTrip(for: a, departure: paris(2027, 3, 1, 0), reference: "A-MARCH")
        let cancelled = try await makeTrip(for: a, departure: paris(2027, 2, 20), reference: "A-CANCELLED")
        try await TripService.cancel(cancelled, reason: "x", userID: nil, now: Date(), on: app.db)
        _ = try await makeTrip(for: b, departure: paris(2027, 2, 28, 23), reference: "B-FEB")
        _ = try await makeTrip(for: light, departure: paris(2027, 2, 12), reference: "G-LIGHT")

        let secondOfJanuary = try await Invoicing.runInvoices(on: paris(2027, 1, 2), app: app, db: app.db)
        XCTAssertNil(secondOfJanuary, "only on the 1st")
        // Two workers at once, then a rerun: one invoice per agency.
        let application: Application = app
        let (early, later) = (paris(2027, 1, 1, 0), paris(2027, 1, 1, 6))
        let runs = try await withThrowingTaskGroup(of: Invoicing.InvoiceRunSummary?.self) { group in
            for when in [early, later] { group.addTask { try await Invoicing.runInvoices(on: when, app: application, db: application.db) } }
            var all: [Invoicing.InvoiceRunSummary] = []
            for try await run in group { if let run { all.append(run) } }
            return all
        }
        XCTAssertEqual(runs.filter { !$0.alreadyRun }.count, 1)
        let rerun = try await Invoicing.runInvoices(on: paris(2027, 1, 1, 23), app: app, db: app.db)
        XCTAssertEqual(rerun?.alreadyRun, true)
        let invoices = try await InvoiceRecord.query(on: app.db).sort(\.$sequence).all()
        XCTAssertEqual(invoices.count, 2)
        XCTAssertEqual(invoices.map(\.sequence), [1, 2])
        XCTAssertEqual(invoices.map(\.number), ["OSC-2027-000001", "OSC-2027-000002"])
        XCTAssertTrue(invoices.allSatisfy { $0.period == "2027-02" })
        let alphaInvoice = try XCTUnwrap(invoices.first { $0.agencyID == a.id })
        let lines = try await InvoiceLineRecord.query(on: app.db).filter(\.$invoiceID == alphaInvoice.id!).sort(\.$dueAt).all()
        XCTAssertEqual(lines.count, 2, "February's departures only; March's and the cancelled trip wait or never come")
        // Due 15 days before departure: 10 February 09:00 → 26 January 09:00 Paris.
        let a1Line = try XCTUnwrap(lines.first { $0.tripID == a1.id })
        XCTAssertEqual(a1Line.dueAt, paris(2027, 1, 26, 9))
        // The command does the same for a date, and says so.
        let summary = try await ScheduledWork.run("invoices", at: paris(2027, 1, 1), app: app)
        XCTAssertEqual(summary, ["invoices 2027-02: already issued, nothing done"])

        // Beta cannot open Alpha's invoice; Alpha's admin sees it, print-ready.
        let beta = try await signedIn("admin@beta.example")
        let hidden = try await beta.get("/invoices/\(alphaInvoice.id!)")
        XCTAssertEqual(hidden.status, .notFound)
        let alpha = try await signedIn("admin@alpha.example")
        let page = try await alpha.get("/invoices/\(alphaInvoice.id!)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains(alphaInvoice.number) && page.body.string.contains("A-FEB-1"))
        XCTAssertTrue(page.body.string.contains("window.print()"))

        // Dunning for the line due 26 January: a reminder 5 days before, the final reminder on the day, the service
        // cancelled 3 days after; reruns send nothing twice. The line due 17 January (departure 1 February at midnight),
        // first seen on the 21st, gets its final reminder then and is cancelled three days later, not an hour later.
        let d1 = try await Dunning.runDunning(on: paris(2027, 1, 21, 10), app: app, db: app.db)
        XCTAssertEqual(d1, Dunning.DunningSummary(reminders: 1, finalReminders: 1, cancellations: 0))
        let d1again = try await Dunning.runDunning(on: paris(2027, 1, 21, 11), app: app, db: app.db)
        XCTAssertEqual(d1again, Dunning.DunningSummary())
        let d2 = try await Dunning.runDunning(on: paris(2027, 1, 26, 10), app: app, db: app.db)
        XCTAssertEqual(d2, Dunning.DunningSummary(reminders: 0, finalReminders: 1, cancellations: 1))
        let d3 = try await Dunning.runDunning(on: paris(2027, 1, 29, 10), app: app, db: app.db)
        XCTAssertEqual(d3.cancellations, 1)
        let cancelledTrip = try await Trip.find(a1.id, on: app.db)
        XCTAssertEqual(cancelledTrip?.status, .cancelled)
        XCTAssertEqual(cancelledTrip?.refundState, .notRefundable)
        let cancelledLine = try await InvoiceLineRecord.find(a1Line.id, on: app.db)
        XCTAssertEqual(cancelledLine?.status, .cancelled)
        let mails = try await NotificationRecord.query(on: app.db).filter(
            \.$kind ~~ [NotificationKind.dunningReminder, .dunningFinalReminder, .dunningCancellation]
        ).sort(\.$createdAt).all()
        XCTAssertEqual(
            Dictionary(grouping: mails.filter { $0.recipient == "admin@alpha.example" }, by: \.kind).mapValues(\.count),
            [.dunningReminder: 1, .dunningFinalReminder: 2, .dunningCancellation: 2])
        XCTAssertFalse(mails.contains { $0.recipient == "admin@beta.example" }, "Beta's line is not due yet")
        let d4 = try await Dunning.runDunning(on: paris(2027, 2, 5, 10), app: app, db: app.db)
        XCTAssertEqual(d4.cancellations, 0)
    }

    func testCommissionsBecomeCreditsRedeemedOnAnInvoiceAndTheLedgerBalances() async throws {
        let agency = try await makeAgency("Alpha", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(40 * 86400), reference: "A-1")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let activity = ActivityRecord()
        activity.destinationID = nyc.id!
        activity.name = "Circle Line Harbor Cruise"; activity.activityType = "excursion"; activity.nature = "boat tour"
        activity.supplier = "Circle Line"; activity.priceMinor = 18_000; activity.currency = .EUR; activity.commissionable = true;
        activity.active = true
        activity.pitchFR = "Croisière"; activity.pitchEN = "Cruise"; activity.pitchPT = "Cruzeiro"; activity.createdAt = Date()
        try await activity.create(on: app.db)
        let record = CaseRecord()
        record.agencyID = agency.id; record.tripID = trip.id; record.travellerID = trip.travellerLinks[0].$traveller.id; record.destinationID = nyc.id
        record.category = .other; record.priority = .normal; record.status = .inProgress
        record.safetyFlag = false; record.recordingRefused = false; record.openedAt = Date()
        try await record.create(on: app.db)
        let expertUser = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try expertUser.requireID()
        link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        let expert = try await signedIn("expert@onspot.example")

        // 180.00 billed, 3.60 card fees, 10.00 referral: base 166.40, 8 % (PLUS, first tier): 13.31.
        let booked = try await expert.post(
            "/console/cases/\(record.id!)/activities",
            form: [
                "activity": activity.id!.uuidString, "amount": "180", "cardFees": "3,60", "extraCosts": "10"
            ])
        XCTAssertEqual(booked.status, .seeOther, booked.body.string)
        let firstCommission = try await CommissionRecord.query(on: app.db).first()
        let commission = try XCTUnwrap(firstCommission)
        XCTAssertEqual(commission.baseMinor, 16_640)
        XCTAssertEqual(commission.rateBasisPoints, 800)
        XCTAssertEqual(commission.amountMinor, 1_331)
        // Credits at the cent (issue 18, item 4): 13.31, not the 10.00 of the former 5.00 tranches.
        let balance = try await CreditsService.balance(agencyID: agency.requireID(), on: app.db)
        XCTAssertEqual(balance, 1_331)
        let badFees = try await expert.post(
            "/console/cases/\(record.id!)/activities",
            form: [
                "activity": activity.id!.uuidString, "amount": "10", "cardFees": "30", "extraCosts": "0"
            ])
        XCTAssertEqual(badFees.status, .unprocessableEntity)
        let unknown = try await expert.post("/console/cases/\(record.id!)/activities", form: ["activity": UUID().uuidString, "amount": "10"])
        XCTAssertEqual(unknown.status, .unprocessableEntity)

        let admin = try await signedIn("admin@alpha.example")
        let report = try await admin.get("/commissions")
        XCTAssertTrue(report.body.string.contains("Circle Line Harbor Cruise") && report.body.string.contains("Zoé Traveller"))
        let csv = try await admin.get("/commissions.csv")
        XCTAssertEqual(csv.headers.contentType?.description, "text/csv; charset=utf-8")
        XCTAssertTrue(
            csv.body.string.contains(
                #""Circle Line Harbor Cruise","excursion","boat tour","Circle Line","EUR","180.00","3.60","10.00","yes","8.00","13.31""#),
            csv.body.string)
        let credits = try await admin.get("/credits")
        XCTAssertTrue(credits.body.string.contains("id=\"credit-balance\""))

        // Redeemed on an invoice: more than the balance is refused, the balance is accepted.
        let now = Date()
        let invoice = InvoiceRecord()
        invoice.agencyID = agency.id!; invoice.number = "OSC-TEST-1"; invoice.sequence = 1; invoice.period = "2027-02"; invoice.status = .issued
        invoice.totalMinor = 5_000; invoice.currency = .EUR; invoice.issuedAt = now; invoice.dueAt = now.addingTimeInterval(86400)
        try await invoice.create(on: app.db)
        let line = InvoiceLineRecord()
        line.invoiceID = invoice.id!; line.tripID = trip.id; line.description = "A-1"; line.amountMinor = 5_000; line.dueAt = invoice.dueAt;
        line.status = .open
        try await line.create(on: app.db)
        let tooMuch = try await admin.post("/invoices/\(invoice.id!)/redeem", form: ["amount": "13,32"])
        XCTAssertEqual(tooMuch.status, .unprocessableEntity)
        let aboveDue = try await admin.post("/invoices/\(invoice.id!)/redeem", form: ["amount": "60"])
        XCTAssertEqual(aboveDue.status, .unprocessableEntity)
        let redeemed = try await admin.post("/invoices/\(invoice.id!)/redeem", form: ["amount": "10"])
        XCTAssertEqual(redeemed.status, .seeOther)
        let account = try await Invoicing.invoiceAccount(invoice, on: app.db)
        XCTAssertEqual(account.dueMinor, 4_000)
        let after = try await CreditsService.balance(agencyID: agency.requireID(), on: app.db)
        XCTAssertEqual(after, 331)
        // An agent cannot spend credits.
        try await makeUser("agent@alpha.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@alpha.example")
        let agentRedeem = try await agent.post("/invoices/\(invoice.id!)/redeem", form: ["amount": "1"])
        XCTAssertEqual(agentRedeem.status, .notFound, "admin-only routes do not exist for agents")
        // OnSpot's terms set no expiry: nothing lapses by default. If OnSpot's policy sets 18 months, credits of an agency
        // without activity lapse then, once; a rerun the same day does nothing.
        var eighteenMonths = CreditsService.policy
        eighteenMonths.expiryMonthsWithoutActivity = 18
        let expiryAgency = try await makeAgency("Dormant", plan: .plus)
        let dormantID = try expiryAgency.requireID()
        try await CreditsService.append(Ledger.earned(dormantID, 2_500, currency: .EUR, memo: "old commissions"), agencyID: dormantID, on: app.db)
        try await LedgerEntryRecord.query(on: app.db).filter(\.$agencyID == dormantID).set(
            \.$createdAt, to: Date().addingTimeInterval(-19 * 31 * 86400)
        ).update()
        let byDefault = try await CreditsService.runExpiry(on: Date(), app: app, db: app.db)
        XCTAssertEqual(byDefault, CreditsService.ExpirySummary())
        let expired = try await CreditsService.runExpiry(on: Date(), app: app, db: app.db, policy: eighteenMonths)
        XCTAssertEqual(expired.expired, 1, "Alpha used its credits today; only the dormant agency lapses")
        let dormantBalance = try await CreditsService.balance(agencyID: dormantID, on: app.db)
        XCTAssertEqual(dormantBalance, 0)
        let rerun = try await CreditsService.runExpiry(on: Date(), app: app, db: app.db, policy: eighteenMonths)
        XCTAssertEqual(rerun.expired, 0)
        // Every transaction balances; the whole ledger sums to zero.
        let entries = try await LedgerEntryRecord.query(on: app.db).all()
        for (_, rows) in Dictionary(grouping: entries, by: \.transactionID) { XCTAssertEqual(rows.reduce(0) { $0 + $1.amountMinor }, 0) }
        XCTAssertEqual(entries.reduce(0) { $0 + $1.amountMinor }, 0)
    }

    func testInvoicesPaidByCardAndLightTripsPaidWithCreditsThatComeBackOnCancellation() async throws {
        let plus = try await makeAgency("Alpha", plan: .plus)
        try await makeUser("agent@alpha.example", role: .agencyAgent, agency: plus)
        _ = try await makeTrip(for: plus, departure: paris(2027, 2, 10, 9), reference: "A-1")
        _ = try await Invoicing.runInvoices(on: paris(2027, 1, 1, 6), app: app, db: app.db)
        let invoice = try await InvoiceRecord.query(on: app.db).first()!
        let agent = try await signedIn("agent@alpha.example")
        let declined = try await agent.post("/invoices/\(invoice.id!)/pay", form: ["paymentMethod": "pm_card_chargeDeclined"])
        XCTAssertEqual(declined.status, .paymentRequired)
        XCTAssertTrue(declined.body.string.contains("Your card was declined."))
        let paid = try await agent.post("/invoices/\(invoice.id!)/pay", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(paid.status, .seeOther)
        let request = try XCTUnwrap(stripe.requests.last { $0.path == "/v1/payment_intents" })
        XCTAssertEqual(request.form["amount"], String(invoice.totalMinor))
        XCTAssertEqual(request.form["metadata[invoice_id]"], invoice.id!.uuidString.lowercased())
        let settled = try await InvoiceRecord.find(invoice.id, on: app.db)
        XCTAssertEqual(settled?.status, .paid)
        let again = try await agent.post("/invoices/\(invoice.id!)/pay", form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(again.status, .conflict)

        // A LIGHT agency pays part of a trip with its credits; cancelled in time, the credits come back.
        let light = try await makeAgency("Lumiere", plan: .light)
        try await makeUser("admin@lumiere.example", role: .agencyAdmin, agency: light)
        let lightID = try light.requireID()
        try await CreditsService.append(Ledger.earned(lightID, 1_000, currency: .EUR, memo: "commissions"), agencyID: lightID, on: app.db)
        let trip = try await makeTrip(for: light, departure: Date().addingTimeInterval(20 * 86400), reference: "L-CREDITS")
        let admin = try await signedIn("admin@lumiere.example")
        let page = try await admin.get("/trips/\(trip.id!)/payment")
        XCTAssertTrue(page.body.string.contains("id=\"credits-form\""))
        let tooMuch = try await admin.post("/trips/\(trip.id!)/payment/credits", form: ["amount": "10,01"])
        XCTAssertEqual(tooMuch.status, .unprocessableEntity)
        let used = try await admin.post("/trips/\(trip.id!)/payment/credits", form: ["amount": "10"])
        XCTAssertEqual(used.status, .seeOther)
        let account = try await CardPayments.account(tripID: trip.requireID(), on: app.db)
        XCTAssertEqual(account.paidMinor, 1_000)
        let spent = try await CreditsService.balance(agencyID: lightID, on: app.db)
        XCTAssertEqual(spent, 0)
        _ = try await admin.post("/trips/\(trip.id!)/cancel", form: ["reason": "report"])
        let restored = try await CreditsService.balance(agencyID: lightID, on: app.db)
        XCTAssertEqual(restored, 1_000)
        XCTAssertFalse(stripe.requests.contains { $0.path == "/v1/refunds" }, "credits go back to the ledger, not through the card")
    }

    func testTheCatalogueIsKeptByOnSpotAdminsOnly() async throws {
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let agency = try await makeAgency("Alpha")
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let admin = try await signedIn("admin@onspot.example")
        let form = [
            "destination": nyc.id!.uuidString, "name": "Top of the Rock", "activityType": "attraction", "nature": "observation deck",
            "supplier": "Tishman Speyer", "price": "40", "currency": "USD", "commissionable": "on",
            "pitchFR": "Vue sur Manhattan", "pitchEN": "Manhattan views", "pitchPT": "Vista de Manhattan"
        ]
        var missing = form
        missing["name"] = ""
        missing["price"] = "quarante"
        let refused = try await admin.post("/admin/activities", form: missing)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let added = try await admin.post("/admin/activities", form: form)
        XCTAssertEqual(added.status, .seeOther)
        let stored = try await ActivityRecord.query(on: app.db).all()
        XCTAssertEqual(stored.map(\.name), ["Top of the Rock"])
        XCTAssertEqual(stored.first?.priceMinor, 4_000)
        XCTAssertEqual(stored.first?.commissionable, true)
        let agencyAdmin = try await signedIn("admin@alpha.example")
        let hidden = try await agencyAdmin.get("/admin/activities")
        XCTAssertEqual(hidden.status, .notFound)
        let write = try await agencyAdmin.post("/admin/activities", form: form)
        XCTAssertEqual(write.status, .notFound)
        let count = try await ActivityRecord.query(on: app.db).count()
        XCTAssertEqual(count, 1)
    }

    func testTwoSubmissionsAtOnceChargeOnce() async throws {
        let agency = try await makeAgency("Lumiere", plan: .light)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), reference: "L-TWICE")
        let application: Application = app
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        return try await CardPayments.payTrip(trip, paymentMethod: "pm_card_visa", app: application, db: application.db).status
                            .rawValue
                    } catch { return "refused" }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        XCTAssertEqual(outcomes.filter { $0 == "succeeded" }.count, 1, "\(outcomes)")
        XCTAssertEqual(stripe.requests.filter { $0.path == "/v1/payment_intents" }.count, 1)
        let paid = try await PaymentRecord.query(on: app.db).filter(\.$status == .succeeded).count()
        XCTAssertEqual(paid, 1)
    }
}

enum HMACHex {
    static func sha256(secret: String, message: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }
}
