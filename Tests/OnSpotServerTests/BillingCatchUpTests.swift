import Fluent
import Foundation
import OnSpotCore
import SQLKit
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 18, items 1 and 3 on PLUS: what is registered, lengthened, shortened or moved after a period's invoice run is
/// billed or credited exactly once, on a supplementary invoice of the same numbering or a credit note.
final class BillingCatchUpTests: ServerTestCase {
    func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) -> Date { app.billingCalendar.date(year: y, month: m, day: d, hour: h)! }

    /// What a trip's active lines bill, credit notes deducted.
    func billed(_ trip: Trip) async throws -> Int64 {
        TripBilling.billedMinor(try await Invoicing.billedLines(tripIDs: [trip.requireID()], on: app.db)[trip.requireID()] ?? [])
    }

    func quote(_ trip: Trip) async throws -> QuoteRecord {
        let current = try await Quotes.currentQuote(tripID: trip.requireID(), on: app.db)
        return try XCTUnwrap(current)
    }

    /// Moves a trip's dates as an edit does, and re-quotes it.
    func reschedule(_ trip: Trip, departure: Date, days: Int) async throws {
        trip.departureAt = departure
        trip.arrivalAt = departure
        trip.returnAt = departure.addingTimeInterval(Double(days) * 86400)
        try await trip.save(on: app.db)
        try await Quotes.requote(trip: trip, travellers: 1, zone: TimeZone(identifier: "America/New_York")!, on: app.db)
    }

    func testATripRegisteredAfterTheRunIsBilledOnASupplementaryInvoiceShownOnItsPage() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let beta = try await makeAgency("Beta", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: alpha)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: beta)
        // December's invoice ran on 1 November, before these trips existed.
        let december = try await Invoicing.runInvoices(on: paris(2026, 11, 1, 6), app: app, db: app.db)
        XCTAssertEqual(december?.invoices, 0)

        // 29 November: registered for 2 and 20 December (allowed: the deadline is 72 hours).
        app.clock.set(paris(2026, 11, 29, 10))
        let browser = try await signedIn("admin@alpha.example")
        for (departure, reference) in [(paris(2026, 12, 2, 18), "LATE-2"), (paris(2026, 12, 20, 9), "LATE-20")] {
            let res = try await registerTrip(browser, departure: departure, reference: reference)
            XCTAssertEqual(res.status, .seeOther, res.body.string.prefix(300).description)
        }
        let v1 = try await InvoiceLineRecord.query(on: app.db).count(); XCTAssertEqual(v1, 0, "fails on the old code: nothing ever bills them")

        let lines = try await ScheduledWork.run("all", at: paris(2026, 11, 29, 10), app: app)
        XCTAssertTrue(lines.contains("supplementary invoices: 1 invoice(s), 2 line(s); 0 credit note(s)"), "\(lines)")
        let invoiceFound = try await InvoiceRecord.query(on: app.db).first()
        let invoice = try XCTUnwrap(invoiceFound)
        XCTAssertEqual(invoice.kind, .supplementary)
        XCTAssertEqual(invoice.billingPeriod, "2026-12")
        XCTAssertEqual(invoice.number, "OSC-2026-000001", "the same gapless series as the monthly invoices")
        let trips = try await Trip.query(on: app.db).filter(\.$agency.$id == alpha.requireID()).all()
        let byReference = Dictionary(uniqueKeysWithValues: trips.map { ($0.reference ?? "", $0) })
        let invoiceLines = try await InvoiceLineRecord.query(on: app.db).filter(\.$invoiceID == invoice.requireID()).all()
        let dueByTrip = Dictionary(uniqueKeysWithValues: invoiceLines.map { ($0.tripID, $0.dueAt) })
        // Due 15 days before departure, or at once when that has passed.
        XCTAssertEqual(dueByTrip[byReference["LATE-2"]?.id], paris(2026, 11, 29, 10))
        XCTAssertEqual(dueByTrip[byReference["LATE-20"]?.id], paris(2026, 12, 5, 9))
        for trip in trips { let v2 = try await billed(trip); let v3 = try await quote(trip).amountMinor; XCTAssertEqual(v2, v3) }

        // A rerun, or the next minute's run, issues nothing.
        let v4 = try await Invoicing.runCatchUp(at: paris(2026, 11, 29, 11), app: app, db: app.db); XCTAssertEqual(v4, Invoicing.CatchUpSummary())

        // The trip's page names the invoice and links to it; Beta sees neither the trip nor the invoice.
        let late20 = try XCTUnwrap(byReference["LATE-20"]?.id)
        let page = try await browser.get("/trips/\(late20)")
        let invoicePath = SiteURL.invoice(try invoice.requireID()).path
        XCTAssertTrue(page.body.string.contains(invoice.number) && page.body.string.contains(invoicePath))
        XCTAssertTrue(page.body.string.contains(L10n.t("invoice.kind.supplementary", .fr)))
        let invoicePage = try await browser.get(SiteURL.invoice(invoice.requireID()).path)
        XCTAssertTrue(invoicePage.body.string.contains(L10n.t("invoice.supplementary_note", .fr)))
        let other = try await signedIn("admin@beta.example")
        let v5 = try await other.get("/trips/\(late20)").status; XCTAssertEqual(v5, .notFound)
        let v6 = try await other.get(SiteURL.invoice(invoice.requireID()).path).status; XCTAssertEqual(v6, .notFound)
    }

    func testALengthenedTripIsBilledTheDifferenceAndAShortenedOneCreditedIt() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let trip = try await makeTrip(for: alpha, departure: paris(2027, 1, 20, 9), reference: "CHANGES")
        try await reschedule(trip, departure: trip.departureAt, days: 12)
        let first = try await quote(trip)
        _ = try await Invoicing.runInvoices(on: paris(2026, 12, 1, 6), app: app, db: app.db)
        let monthlyFound = try await InvoiceRecord.query(on: app.db).first()
        let monthly = try XCTUnwrap(monthlyFound)
        XCTAssertEqual(monthly.kind, .monthly)
        let v7 = try await billed(trip); XCTAssertEqual(v7, first.amountMinor)

        // Lengthened on 5 December: the difference on a supplementary invoice, due 15 days before departure.
        try await reschedule(trip, departure: trip.departureAt, days: 20)
        let longer = try await quote(trip)
        XCTAssertGreaterThan(longer.amountMinor, first.amountMinor)
        let added = try await Invoicing.runCatchUp(at: paris(2026, 12, 5), app: app, db: app.db)
        XCTAssertEqual(added, Invoicing.CatchUpSummary(invoices: 1, lines: 1, creditNotes: 0), "fails on the old code: the old line stays")
        let supplementFound = try await InvoiceLineRecord.query(on: app.db).filter(\.$quoteID == longer.id).first()
        let supplement = try XCTUnwrap(supplementFound)
        XCTAssertEqual(supplement.amountMinor, longer.amountMinor - first.amountMinor)
        XCTAssertEqual(supplement.dueAt, paris(2027, 1, 5, 9))
        let v8 = try await billed(trip); XCTAssertEqual(v8, longer.amountMinor)

        // Shortened below the first quote: credit notes for the difference, the supplement first, then the monthly line.
        try await reschedule(trip, departure: trip.departureAt, days: 3)
        let shorter = try await quote(trip)
        XCTAssertLessThan(shorter.amountMinor, first.amountMinor)
        let credited = try await Invoicing.runCatchUp(at: paris(2026, 12, 6), app: app, db: app.db)
        XCTAssertEqual(credited, Invoicing.CatchUpSummary(invoices: 0, lines: 0, creditNotes: 2))
        let v9 = try await billed(trip); XCTAssertEqual(v9, shorter.amountMinor)
        let notes = try await CreditNoteRecord.query(on: app.db).sort(\.$sequence).all()
        XCTAssertEqual(notes.map(\.amountMinor), [longer.amountMinor - first.amountMinor, first.amountMinor - shorter.amountMinor])
        XCTAssertEqual(notes.map(\.number), ["AV-000001", "AV-000002"])
        let v10 = try await InvoiceLineRecord.find(supplement.id, on: app.db)?.status; XCTAssertEqual(v10, .credited)
        let account = try await Invoicing.invoiceAccount(monthly, on: app.db)
        XCTAssertEqual(account.billedMinor, shorter.amountMinor, "the monthly invoice now bills the shorter trip")

        // Nothing moves on a rerun, and a cancellation credits only what is left.
        let v11 = try await Invoicing.runCatchUp(at: paris(2026, 12, 7), app: app, db: app.db); XCTAssertEqual(v11, Invoicing.CatchUpSummary())
        app.clock.set(paris(2026, 12, 8))
        try await TripService.cancel(trip, reason: "x", userID: nil, now: paris(2026, 12, 8), on: app.db)
        trip.refundState = .pending
        try await Cancellations.settleCancellation(trip, app: app, db: app.db)
        let all = try await CreditNoteRecord.query(on: app.db).all()
        XCTAssertEqual(all.reduce(0) { $0 + $1.amountMinor }, longer.amountMinor, "everything billed is credited exactly once")
        let v12 = try await billed(trip); XCTAssertEqual(v12, 0)
    }

    func testATripMovedIntoAnInvoicedMonthIsBilledThereAndNotAgainInItsNewMonth() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let trip = try await makeTrip(for: alpha, departure: paris(2027, 3, 10, 9), reference: "MOVED")
        _ = try await Invoicing.runInvoices(on: paris(2027, 1, 1, 6), app: app, db: app.db)
        let v13 = try await billed(trip); XCTAssertEqual(v13, 0, "March is not invoiced yet")

        // Moved to February, whose invoice ran on 1 January: billed on a supplementary invoice.
        try await reschedule(trip, departure: paris(2027, 2, 15, 9), days: 7)
        let moved = try await Invoicing.runCatchUp(at: paris(2027, 1, 10), app: app, db: app.db)
        XCTAssertEqual(moved.lines, 1, "fails on the old code: a trip moved into an invoiced month is never billed")
        let v14 = try await billed(trip); let v15 = try await quote(trip).amountMinor; XCTAssertEqual(v14, v15)

        // Moved back to March: March's monthly run bills nothing more for it.
        try await reschedule(trip, departure: paris(2027, 3, 10, 9), days: 7)
        let march = try await Invoicing.runInvoices(on: paris(2027, 2, 1, 6), app: app, db: app.db)
        XCTAssertEqual(march?.lines, 0)
        let v16 = try await Invoicing.runCatchUp(at: paris(2027, 2, 1, 7), app: app, db: app.db); XCTAssertEqual(v16, Invoicing.CatchUpSummary())
        let v17 = try await billed(trip); let v18 = try await quote(trip).amountMinor; XCTAssertEqual(v17, v18)
    }

    func testTheMigrationKeepsOneLinePerQuoteWhereTheFormerRunBilledAQuoteTwice() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let trip = try await makeTrip(for: alpha, departure: paris(2027, 1, 20, 9), reference: "TWICE")
        let quote = try await quote(trip)
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        // As a database from before M015 could hold it: the same quote on two lines (no unique index yet).
        try await sql.drop(index: "idx_invoice_lines_quote").run()
        _ = try await Invoicing.runInvoices(on: paris(2026, 12, 1, 6), app: app, db: app.db)
        let value1 = try await InvoiceLineRecord.query(on: app.db).first()
        let first = try XCTUnwrap(value1)
        let copy = InvoiceLineRecord()
        copy.invoiceID = first.invoiceID; copy.tripID = trip.id; copy.quoteID = quote.id; copy.description = "again"
        copy.amountMinor = quote.amountMinor; copy.dueAt = first.dueAt.addingTimeInterval(60); copy.status = .open
        try await copy.create(on: app.db)
        try await M015_SupplementaryInvoices.keepOneLinePerQuote(sql)
        try await sql.create(index: "idx_invoice_lines_quote").unique().on("invoice_lines").column("quote_id").run()
        let claimed = try await InvoiceLineRecord.query(on: app.db).filter(\.$quoteID == quote.id).all()
        XCTAssertEqual(claimed.map(\.id), [first.id], "the earlier line keeps the quote")
        // The catch-up then credits what was billed twice.
        let fixed = try await Invoicing.runCatchUp(at: paris(2026, 12, 2), app: app, db: app.db)
        XCTAssertEqual(fixed.creditNotes, 1)
        let value2 = try await billed(trip)
        XCTAssertEqual(value2, quote.amountMinor)
    }

    func testAnInvoiceDownloadsAsAnArchivedPDFWithItsLegalMentionsToItsAgencyOnly() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let beta = try await makeAgency("Beta", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: alpha)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: beta)
        _ = try await makeTrip(for: alpha, departure: paris(2027, 1, 20, 9), reference: "PDF-1")
        _ = try await Invoicing.runInvoices(on: paris(2026, 12, 1, 6), app: app, db: app.db)
        let value1 = try await InvoiceRecord.query(on: app.db).first()
        let invoice = try XCTUnwrap(value1)
        let path = SiteURL.invoicePDF(try invoice.requireID()).path
        let browser = try await signedIn("admin@alpha.example")
        let page = try await browser.get(SiteURL.invoice(try invoice.requireID()).path)
        XCTAssertTrue(page.body.string.contains("Onspot Travel Solutions, Inc.") && page.body.string.contains("L441-10"))
        XCTAssertTrue(page.body.string.contains(#"id="invoice-pdf""#))
        let value2 = try await signedIn("admin@beta.example").get(path).status
        XCTAssertEqual(value2, .notFound, "another agency's invoice does not exist")

        // Without the renderer: a clear 503, nothing archived.
        setenv("ONSPOT_CHROMIUM", "/nonexistent/chromium", 1)
        let missing = try await browser.get(path)
        unsetenv("ONSPOT_CHROMIUM")
        XCTAssertEqual(missing.status, .serviceUnavailable)
        XCTAssertTrue(missing.body.string.contains(HTML.escape(L10n.t("invoice.error.pdf_unavailable", .fr))))
        let value3 = try await InvoiceDocument.query(on: app.db).count()
        XCTAssertEqual(value3, 0)

        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            throw XCTSkip("Chromium is not installed here; the browser suite (e2e/run.sh installs it) downloads the PDF")
        }
        let first = try await browser.get(path)
        XCTAssertEqual(first.status, .ok)
        XCTAssertEqual(first.headers.contentType?.description, "application/pdf")
        XCTAssertTrue(first.body.string.hasPrefix("%PDF"))
        let second = try await browser.get(path)
        XCTAssertEqual(Data(second.body.readableBytesView), Data(first.body.readableBytesView), "archived: the same bytes")
        let value4 = try await InvoiceDocument.query(on: app.db).count()
        XCTAssertEqual(value4, 1)
    }
}
