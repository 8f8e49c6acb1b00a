import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, item 3 on PLUS: a trip cancelled or shortened within the notice on an invoice already paid gets its money
/// back, to the card or as credits as the agency chose, exactly once; the credit note is a document of its own.
final class RefundChoiceTests: StripeServerTestCase {
    func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) -> Date { app.billingCalendar.date(year: y, month: m, day: d, hour: h)! }

    struct Setup {
        var agency: Agency
        /// Signed in before the clock moves to the cancellation: sign in again (`signedIn`) after it.
        var browser: TestBrowser
        var cancelled: Trip
        var kept: Trip
        var invoice: InvoiceRecord
        var payment: PaymentRecord
    }

    /// A PLUS agency with two February trips on January's invoice, paid in full by card.
    func paidInvoice(preference: RefundPreference? = nil, days: Int = 7) async throws -> Setup {
        let agency = try await makeAgency("Alpha", plan: .plus)
        agency.refundPreference = preference
        try await agency.save(on: app.db)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let cancelled = try await makeTrip(for: agency, departure: paris(2027, 2, 15, 10), reference: "P-CANCEL")
        if days != 7 { try await reschedule(cancelled, days: days) }
        let kept = try await makeTrip(for: agency, departure: paris(2027, 2, 20, 10), reference: "P-KEEP")
        _ = try await Invoicing.runInvoices(on: paris(2027, 1, 1, 6), app: app, db: app.db)
        let found = try await InvoiceRecord.query(on: app.db).first()
        let invoice = try XCTUnwrap(found)
        app.clock.set(paris(2027, 1, 5))
        let browser = try await signedIn("admin@alpha.example")
        let paid = try await browser.post(SiteURL.payInvoice(invoice.requireID()).path, form: ["paymentMethod": "pm_card_visa"])
        XCTAssertEqual(paid.status, .seeOther, paid.body.string.prefix(300).description)
        let succeeded = try await PaymentRecord.query(on: app.db).filter(\.$invoiceID == invoice.requireID()).filter(\.$status == .succeeded).first()
        let payment = try XCTUnwrap(succeeded)
        let refreshed = try await InvoiceRecord.find(invoice.id, on: app.db)
        XCTAssertEqual(refreshed?.status, .paid)
        return Setup(agency: agency, browser: browser, cancelled: cancelled, kept: kept, invoice: invoice, payment: payment)
    }

    func reschedule(_ trip: Trip, days: Int) async throws {
        trip.returnAt = trip.departureAt.addingTimeInterval(Double(days) * 86400)
        try await trip.save(on: app.db)
        try await Quotes.requote(trip: trip, travellers: 1, zone: TimeZone(identifier: "America/New_York")!, on: app.db)
    }

    /// The scheduled work at `when`, the server's clock set there.
    func runJobs(at when: Date) async throws -> [String] {
        app.clock.set(when)
        return try await ScheduledWork.run("invoices", at: when, app: app)
    }

    func lineAmount(_ trip: Trip) async throws -> Int64 {
        let line = try await InvoiceLineRecord.query(on: app.db).filter(\.$tripID == trip.requireID()).first()
        return try XCTUnwrap(line).amountMinor
    }

    func cancel(_ trip: Trip, at when: Date? = nil) async throws {
        let when = when ?? paris(2027, 2, 10)
        app.clock.set(when)
        try await TripService.cancel(trip, reason: "client malade", userID: nil, now: when, on: app.db)
        try await Cancellations.settleCancellation(trip, app: app, db: app.db)
    }

    func testACancelledTripOnAPaidInvoiceIsRefundedToTheCardOnceAndItsCreditNoteSaysSo() async throws {
        var s = try await paidInvoice()
        let amount = try await lineAmount(s.cancelled)
        try await cancel(s.cancelled)

        let noteFound = try await CreditNoteRecord.query(on: app.db).first()
        let note = try XCTUnwrap(noteFound)
        XCTAssertEqual(note.amountMinor, amount)
        let refunds = try await RefundRecord.query(on: app.db).all()
        XCTAssertEqual(refunds.count, 1, "fails on the old code: a credit note and no money back")
        XCTAssertEqual(refunds.first?.amountMinor, amount, "only the cancelled trip's line, not the kept one")
        XCTAssertEqual(refunds.first?.status, .succeeded)
        XCTAssertEqual(refunds.first?.cause, RefundRecord.creditNote(try note.requireID()))
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(amount))
        let trip = try await Trip.find(s.cancelled.id, on: app.db)
        XCTAssertEqual(trip?.refundState, .refunded)
        let account = try await Invoicing.invoiceAccount(s.invoice, on: app.db)
        XCTAssertEqual(account.refundedMinor, amount)
        XCTAssertEqual(account.dueMinor, 0)
        XCTAssertEqual(account.overpaidMinor, 0)
        let keptAmount = try await lineAmount(s.kept)
        XCTAssertEqual(account.paidMinor - account.refundedMinor, keptAmount, "what stays paid is what is still billed")

        // Settled again (a retry, a second click, the scheduled work): nothing more goes back.
        trip?.refundState = .pending
        try await trip?.save(on: app.db)
        if let trip { try await Cancellations.settleCancellation(trip, app: app, db: app.db) }
        let twice = try await Cancellations.settleOverpayment(after: note, app: app, db: app.db)
        XCTAssertEqual(twice.givenMinor, amount)
        XCTAssertFalse(twice.unsettled)
        _ = try await runJobs(at: paris(2027, 2, 10, 13))
        let again = try await RefundRecord.query(on: app.db).count()
        XCTAssertEqual(again, 1)
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(amount))
        let keys = stripe.requests.filter { $0.path == "/v1/refunds" }.compactMap(\.idempotencyKey)
        XCTAssertEqual(Set(keys).count, 1)

        // The credit note is a page of its own, linked from the invoice and the trip, and says where the money went.
        s.browser = try await signedIn("admin@alpha.example")
        let notePath = SiteURL.creditNote(try note.requireID()).path
        let invoicePage = try await s.browser.get(SiteURL.invoice(s.invoice.requireID()).path)
        XCTAssertTrue(invoicePage.body.string.contains(notePath) && invoicePage.body.string.contains(#"id="invoice-refunded""#))
        let tripPage = try await s.browser.get("/trips/\(s.cancelled.id!)")
        XCTAssertTrue(tripPage.body.string.contains(notePath))
        let page = try await s.browser.get(notePath)
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains(note.number) && page.body.string.contains(s.invoice.number))
        XCTAssertTrue(page.body.string.contains(HTML.escape(L10n.t("credit_note.to_card", .fr))))
        XCTAssertTrue(page.body.string.contains("283-2"), "the VAT treatment")
        XCTAssertFalse(page.body.string.contains("L441-10"), "no late-payment penalties: a credit note asks for no payment")

        // Another agency sees neither the credit note nor its PDF.
        let beta = try await makeAgency("Beta", plan: .plus)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: beta)
        let other = try await signedIn("admin@beta.example")
        let v1 = try await other.get(notePath).status
        XCTAssertEqual(v1, .notFound)
        let v2 = try await other.get(SiteURL.creditNotePDF(try note.requireID()).path).status
        XCTAssertEqual(v2, .notFound)

        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            throw XCTSkip("Chromium is not installed here; the browser suite (e2e/run.sh installs it) downloads the PDF")
        }
        let pdfPath = SiteURL.creditNotePDF(try note.requireID()).path
        let first = try await s.browser.get(pdfPath)
        XCTAssertEqual(first.status, .ok)
        XCTAssertEqual(first.headers.contentType?.description, "application/pdf")
        XCTAssertTrue(first.body.string.hasPrefix("%PDF"))
        let second = try await s.browser.get(pdfPath)
        XCTAssertEqual(Data(second.body.readableBytesView), Data(first.body.readableBytesView), "archived: the same bytes")
        let archived = try await CreditNoteDocument.query(on: app.db).count()
        XCTAssertEqual(archived, 1)
    }

    func testAnAgencyThatPrefersCreditsGetsTheOverpaymentAsCredits() async throws {
        let s = try await paidInvoice()
        // The agency states its billing details and its choice on its account page.
        let invalid = try await s.browser.post(
            SiteURL.accountBilling.path, form: ["vatNumber": "12345678", "refundPreference": "credits", "legalName": "Alpha SAS"])
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertTrue(invalid.body.string.contains(HTML.escape(L10n.t("account.error.vat_number", .fr))))
        let unknown = try await s.browser.post(SiteURL.accountBilling.path, form: ["refundPreference": "cash"])
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        let saved = try await s.browser.post(
            SiteURL.accountBilling.path,
            form: ["vatNumber": "fr 12 345 678 901", "refundPreference": "credits", "legalName": "Alpha SAS", "address": "1 rue de Rivoli, Paris"])
        XCTAssertEqual(saved.status, .seeOther, saved.body.string.prefix(300).description)
        let stored = try await Agency.find(s.agency.id, on: app.db)
        XCTAssertEqual(stored?.vatNumber, "FR12345678901")
        XCTAssertEqual(stored?.refundPreference, .credits)
        let invoicePage = try await s.browser.get(SiteURL.invoice(s.invoice.requireID()).path)
        XCTAssertTrue(invoicePage.body.string.contains("FR12345678901"), "the buyer's VAT number is on the invoice")
        // An agent cannot change them.
        try await makeUser("agent@alpha.example", role: .agencyAgent, agency: s.agency)
        let agent = try await signedIn("agent@alpha.example")
        let refused = try await agent.post(SiteURL.accountBilling.path, form: ["refundPreference": "original_payment"])
        XCTAssertNotEqual(refused.status, .seeOther)
        let unchanged = try await Agency.find(s.agency.id, on: app.db)
        XCTAssertEqual(unchanged?.refundPreference, .credits)

        let amount = try await lineAmount(s.cancelled)
        let agencyID = try s.agency.requireID()
        let before = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        try await cancel(s.cancelled)
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), 0, "nothing back on the card")
        let after = try await CreditsService.balance(agencyID: agencyID, on: app.db)
        XCTAssertEqual(after - before, amount)
        let entry = try await LedgerEntryRecord.query(on: app.db).filter(\.$account == Ledger.Account.agencyCredits(agencyID).description)
            .filter(\.$kind == .refunded).first()
        XCTAssertEqual(entry?.amountMinor, amount)
        let entries = try await LedgerEntryRecord.query(on: app.db).all()
        XCTAssertEqual(entries.reduce(0) { $0 + $1.amountMinor }, 0, "the ledger balances")
        let refund = try await RefundRecord.query(on: app.db).first()
        XCTAssertEqual(refund?.providerReference, "credits")
        let trip = try await Trip.find(s.cancelled.id, on: app.db)
        XCTAssertEqual(trip?.refundState, .refunded)
        let credits = try await signedIn("admin@alpha.example").get(SiteURL.credits.path)
        XCTAssertTrue(credits.body.string.contains(HTML.escape(L10n.t("credits.kind.refunded", .fr))))
    }

    func testARefundStripeNeverAnsweredIsSentAgainAsItWasAndCountsAsOnItsWay() async throws {
        let s = try await paidInvoice()
        let amount = try await lineAmount(s.cancelled)
        stripe.outage(1)
        try await cancel(s.cancelled)
        let unansweredFound = try await RefundRecord.query(on: app.db).first()
        let unanswered = try XCTUnwrap(unansweredFound)
        XCTAssertTrue(unanswered.unanswered, "a 500 says nothing of what happened: pending, no reference")
        let pending = try await Trip.find(s.cancelled.id, on: app.db)
        XCTAssertEqual(pending?.refundState, .pending, "not refunded while the money has not gone back")
        // Meanwhile nothing else refunds the same money: the unanswered refund counts as on its way.
        let account = try await Invoicing.invoiceAccount(s.invoice, on: app.db)
        XCTAssertEqual(account.overpaidMinor, 0)
        let noteFound = try await CreditNoteRecord.query(on: app.db).first()
        let again = try await Cancellations.settleOverpayment(after: try XCTUnwrap(noteFound), app: app, db: app.db)
        XCTAssertTrue(again.unsettled)
        let stillOne = try await RefundRecord.query(on: app.db).count()
        XCTAssertEqual(stillOne, 1)

        let lines = try await runJobs(at: paris(2027, 2, 10, 13))
        XCTAssertTrue(lines.contains("refunds: 1 unanswered sent again, 0 refused tried again"), "\(lines)")
        let refunds = try await RefundRecord.query(on: app.db).all()
        XCTAssertEqual(refunds.map(\.status), [.succeeded], "the same row, sent again")
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(amount))
        let requests = stripe.requests.filter { $0.path == "/v1/refunds" }
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(Set(requests.compactMap(\.idempotencyKey)).count, 1, "the same idempotency key")
        XCTAssertEqual(requests[0].form, requests[1].form, "and the same parameters, as Stripe requires for a key")
        let trip = try await Trip.find(s.cancelled.id, on: app.db)
        XCTAssertEqual(trip?.refundState, .refunded)
        let idle = try await runJobs(at: paris(2027, 2, 10, 14))
        XCTAssertFalse(idle.contains { $0.hasPrefix("refunds") }, "\(idle)")
    }

    func testARefundStripeRefusedIsTriedAgainUnderANewKeyAFewTimesOnly() async throws {
        let s = try await paidInvoice()
        let amount = try await lineAmount(s.cancelled)
        stripe.refuseRefunds(1)
        try await cancel(s.cancelled)
        let refused = try await RefundRecord.query(on: app.db).first()
        XCTAssertEqual(refused?.status, .failed)
        let account = try await Invoicing.invoiceAccount(s.invoice, on: app.db)
        XCTAssertEqual(account.overpaidMinor, amount, "a refusal gave nothing back: still owed")

        // Stripe replays a refusal to the same key: the retry carries the next attempt's key, and goes through.
        let lines = try await runJobs(at: paris(2027, 2, 10, 13))
        XCTAssertTrue(lines.contains("refunds: 0 unanswered sent again, 1 refused tried again"), "\(lines)")
        let keys = stripe.requests.filter { $0.path == "/v1/refunds" }.compactMap(\.idempotencyKey)
        XCTAssertEqual(keys.count, 2)
        XCTAssertTrue(keys[1].hasSuffix("-retry1") && keys[0] != keys[1], "\(keys)")
        let refunds = try await RefundRecord.query(on: app.db).all()
        XCTAssertEqual(refunds.map(\.status), [.succeeded])
        XCTAssertEqual(refunds.map(\.attempt), [1])
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(amount))
        let trip = try await Trip.find(s.cancelled.id, on: app.db)
        XCTAssertEqual(trip?.refundState, .refunded)

        // Refused every time, a refund is tried three times in all, then left to an OnSpot admin.
        stripe.refuseRefunds(10)
        try await cancel(s.kept, at: paris(2027, 2, 11, 12))
        for hour in 13...18 { _ = try await runJobs(at: paris(2027, 2, 11, hour)) }
        let keptAttempts = stripe.requests.filter { $0.path == "/v1/refunds" }.count - 2
        XCTAssertEqual(keptAttempts, RefundRecord.maxAttempts)
        let kept = try await Trip.find(s.kept.id, on: app.db)
        XCTAssertEqual(kept?.refundState, .pending)
    }

    func testAShortenedTripOnAPaidInvoiceGetsTheDifferenceBack() async throws {
        let s = try await paidInvoice(days: 20)
        let before = try await lineAmount(s.cancelled)
        let trip = s.cancelled
        try await reschedule(trip, days: 10)
        let quote = try await Quotes.currentQuote(tripID: trip.requireID(), on: app.db)
        let shorter = try XCTUnwrap(quote).amountMinor
        XCTAssertLessThan(shorter, before)
        let summary = try await Invoicing.runCatchUp(at: paris(2027, 2, 1), app: app, db: app.db)
        XCTAssertEqual(summary.creditNotes, 1)
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(before - shorter), "fails on the old code: kept")
        let again = try await Invoicing.runCatchUp(at: paris(2027, 2, 2), app: app, db: app.db)
        XCTAssertEqual(again, Invoicing.CatchUpSummary())
        XCTAssertEqual(stripe.refunded(s.payment.providerReference ?? ""), Int(before - shorter))
    }

    func testTheVATMentionFollowsTheBuyersCountry() async throws {
        let s = try await paidInvoice()
        let invoicePath = SiteURL.invoice(try s.invoice.requireID()).path
        let french = try await s.browser.get(invoicePath)
        XCTAssertTrue(french.body.string.contains(#"data-vat="reverse_charge""#), "no country given: taken as French")
        let wrong = try await s.browser.post(SiteURL.accountBilling.path, form: ["countryCode": "USA", "refundPreference": "original_payment"])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.string.contains(#"value="USA""#), "what was typed is shown again")
        let swiss = try await s.browser.post(SiteURL.accountBilling.path, form: ["countryCode": "ch", "refundPreference": "original_payment"])
        XCTAssertEqual(swiss.status, .seeOther)
        let outside = try await s.browser.get(invoicePath)
        XCTAssertTrue(outside.body.string.contains(#"data-vat="out_of_scope""#))
        XCTAssertTrue(outside.body.string.contains(HTML.escape(L10n.t("invoice.mention.vat_out_of_scope", .fr))))
        let belgian = try await s.browser.post(SiteURL.accountBilling.path, form: ["countryCode": "BE", "refundPreference": "original_payment"])
        XCTAssertEqual(belgian.status, .seeOther)
        let inside = try await s.browser.get(invoicePath)
        XCTAssertTrue(inside.body.string.contains(#"data-vat="reverse_charge""#))
    }

    func testACancellationBeforeAnythingWasPaidIsCreditedNotRefunded() async throws {
        let agency = try await makeAgency("Alpha", plan: .plus)
        let trip = try await makeTrip(for: agency, departure: paris(2027, 2, 15, 10), reference: "P-UNPAID")
        _ = try await Invoicing.runInvoices(on: paris(2027, 1, 1, 6), app: app, db: app.db)
        try await cancel(trip)
        let refunds = try await RefundRecord.query(on: app.db).count()
        XCTAssertEqual(refunds, 0)
        let state = try await Trip.find(trip.id, on: app.db)?.refundState
        XCTAssertEqual(state, .credited, "fails on the old code: labelled refunded with no money moved")
    }
}
