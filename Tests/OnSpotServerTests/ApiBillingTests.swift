import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 16, reports, invoices and credits read through the API: the figures the portal shows, only the agency's own.
final class ApiBillingTests: ServerTestCase {
    func get(_ path: String, _ key: String) async throws -> XCTHTTPResponse {
        try await app.sendRequest(.GET, path, headers: apiHeaders(key))
    }

    @discardableResult
    func makeInvoice(_ agency: Agency, number: String, sequence: Int, issuedAt: Date, lines: [Int64]) async throws -> InvoiceRecord {
        let invoice = InvoiceRecord()
        invoice.agencyID = try agency.requireID()
        invoice.number = number
        invoice.sequence = sequence
        invoice.period = "2027-\(String(format: "%02d", sequence))"
        invoice.status = .issued
        invoice.totalMinor = lines.reduce(0, +)
        invoice.currency = .EUR
        invoice.issuedAt = issuedAt
        invoice.dueAt = issuedAt.addingTimeInterval(15 * 86400)
        try await invoice.create(on: app.db)
        for (n, amount) in lines.enumerated() {
            let line = InvoiceLineRecord()
            line.invoiceID = try invoice.requireID()
            line.description = "Trip \(number)-\(n)"
            line.amountMinor = amount
            line.dueAt = invoice.dueAt
            line.status = .open
            try await line.create(on: app.db)
        }
        return invoice
    }

    func testInvoicesWithTheirLinesCreditNotesAndPaymentsPageByPageOnlyTheAgencys() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency, access: .readOnly)
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 1...3 {
            try await makeInvoice(
                agency, number: "OSC-A-\(n)", sequence: n, issuedAt: base.addingTimeInterval(Double(n) * 86400), lines: [10_000, 5_000])
        }
        // The newest: part credited, part paid.
        let newestFound = try await InvoiceRecord.query(on: app.db).filter(\.$sequence == 3).first()
        let newest = try XCTUnwrap(newestFound)
        let lineFound = try await InvoiceLineRecord.query(on: app.db).filter(\.$invoiceID == newest.requireID()).sort(\.$amountMinor).first()
        let line = try XCTUnwrap(lineFound)
        let note = CreditNoteRecord()
        note.agencyID = try agency.requireID(); note.invoiceID = newest.id; note.invoiceLineID = line.id; note.number = "AV-1"; note.sequence = 1
        note.amountMinor = 2_000; note.currency = .EUR; note.reason = "Trip shortened"; note.issuedAt = base.addingTimeInterval(5 * 86400)
        try await note.create(on: app.db)
        let payment = PaymentRecord()
        payment.agencyID = try agency.requireID(); payment.invoiceID = newest.id; payment.provider = .development; payment.kind = .card
        payment.amountMinor = 4_000; payment.currency = .EUR; payment.status = .succeeded; payment.createdAt = base; payment.updatedAt = base
        try await payment.create(on: app.db)
        // Another agency's invoice, issued last of all.
        let other = try await makeAgency("B")
        let otherInvoice = try await makeInvoice(other, number: "OSC-B-1", sequence: 9, issuedAt: base.addingTimeInterval(10 * 86400), lines: [1])

        var numbers: [String] = []
        var path: String? = "/api/v1/invoices?limit=2"
        while let next = path {
            let res = try await get(next, key)
            XCTAssertEqual(res.status, .ok, res.body.string)
            let page = jsonObject(res)
            let items = try XCTUnwrap(page["items"] as? [[String: Any]])
            numbers += items.compactMap { $0["number"] as? String }
            XCTAssertTrue(items.allSatisfy { $0["lines"] == nil }, "lines only on one invoice")
            path = page["next"] as? String
        }
        XCTAssertEqual(numbers, ["OSC-A-3", "OSC-A-2", "OSC-A-1"])

        let one = try await get("/api/v1/invoices/\(newest.requireID())", key)
        XCTAssertEqual(one.status, .ok)
        let invoice = jsonObject(one)
        XCTAssertEqual(invoice["totalMinor"] as? Int, 15_000)
        XCTAssertEqual(invoice["billedMinor"] as? Int, 13_000, "less the credit note")
        XCTAssertEqual(invoice["paidMinor"] as? Int, 4_000)
        XCTAssertEqual(invoice["dueMinor"] as? Int, 9_000)
        let lines = try XCTUnwrap(invoice["lines"] as? [[String: Any]])
        XCTAssertEqual(lines.compactMap { $0["netMinor"] as? Int }.sorted(), [3_000, 10_000])
        XCTAssertEqual((invoice["creditNotes"] as? [[String: Any]])?.first?["number"] as? String, "AV-1")

        let paid = try await get("/api/v1/invoices?status=paid", key)
        XCTAssertEqual((jsonObject(paid)["items"] as? [Any])?.count, 0)
        for query in ["status=void", "limit=101", "cursor=zz", "cursor=\(ApiCursor(id: try otherInvoice.requireID()).text)"] {
            let res = try await get("/api/v1/invoices?\(query)", key)
            XCTAssertEqual(res.status, .unprocessableEntity, query)
        }
        let foreign = try await get("/api/v1/invoices/\(otherInvoice.requireID())", key)
        XCTAssertEqual(foreign.status, .notFound)
        let otherKey = try await makeApiKey(for: other)
        let theirs = try await get("/api/v1/invoices", otherKey)
        XCTAssertEqual((jsonObject(theirs)["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String }, ["OSC-B-1"])
    }

    func testCreditsShowTheBalanceAndEachMovementOfTheAgencyOnly() async throws {
        let agency = try await makeAgency("A")
        let agencyID = try agency.requireID()
        let key = try await makeApiKey(for: agency)
        for n in 1...3 {
            try await CreditsService.append(
                Ledger.earned(agencyID, 1_000 * Int64(n), currency: .EUR, memo: "commission \(n)"), agencyID: agencyID, on: app.db)
        }
        try await CreditsService.append(Ledger.redeemed(agencyID, 1_500, currency: .EUR, memo: "invoice OSC-1"), agencyID: agencyID, on: app.db)
        let other = try await makeAgency("B")
        try await CreditsService.append(
            Ledger.earned(other.requireID(), 99_000, currency: .EUR, memo: "theirs"), agencyID: other.requireID(), on: app.db)

        var movements: [[String: Any]] = []
        var path: String? = "/api/v1/credits?limit=3"
        while let next = path {
            let res = try await get(next, key)
            XCTAssertEqual(res.status, .ok, res.body.string)
            let page = jsonObject(res)
            XCTAssertEqual(page["balanceMinor"] as? Int, 4_500)
            XCTAssertEqual(page["currency"] as? String, agency.currency.rawValue, "the agency's currency, in which commissions are credited")
            movements += try XCTUnwrap(page["movements"] as? [[String: Any]])
            path = page["next"] as? String
        }
        XCTAssertEqual(movements.count, 4, "one movement per transaction: the agency's side only")
        XCTAssertEqual(movements.compactMap { $0["amountMinor"] as? Int }.reduce(0, +), 4_500)
        XCTAssertEqual(Set(movements.compactMap { $0["kind"] as? String }), ["earned", "redeemed"])
        XCTAssertFalse(movements.contains { $0["memo"] as? String == "theirs" })
        let theirAccount = Ledger.Account.agencyCredits(try other.requireID()).description
        let theirEntry = try await LedgerEntryRecord.query(on: app.db).filter(\.$account == theirAccount).first()
        let theirCursor = try XCTUnwrap(theirEntry?.id)
        let refused = try await get("/api/v1/credits?cursor=\(ApiCursor(id: theirCursor).text)", key)
        XCTAssertEqual(refused.status, .unprocessableEntity)
    }

    func testTheMonthlyReportCountsTheAgencysMonthInItsOwnZone() async throws {
        let agency = try await makeAgency("A", timeZone: "America/Montreal")
        let key = try await makeApiKey(for: agency, access: .readOnly)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400))
        // 1 March 2027 at 03:00 UTC is still February in Montreal.
        let lateFebruary = Date(timeIntervalSince1970: 1_803_870_000)
        for openedAt in [lateFebruary, lateFebruary.addingTimeInterval(6 * 3600)] {
            let c = CaseRecord()
            c.agencyID = agency.id; c.tripID = trip.id; c.category = .carRental; c.priority = .normal; c.status = .new
            c.safetyFlag = false; c.recordingRefused = false; c.openedAt = openedAt
            try await c.create(on: app.db)
        }
        let february = try await get("/api/v1/reports/monthly?month=2027-02", key)
        XCTAssertEqual(february.status, .ok, february.body.string)
        XCTAssertEqual(jsonObject(february)["casesOpened"] as? Int, 1)
        XCTAssertEqual(jsonObject(february)["timeZone"] as? String, "America/Montreal")
        let march = try await get("/api/v1/reports/monthly?month=2027-03", key)
        XCTAssertEqual(jsonObject(march)["casesOpened"] as? Int, 1)
        XCTAssertNotNil(jsonObject(march)["approvals"] as? [String: Any])
        let now = try await get("/api/v1/reports/monthly", key)
        XCTAssertEqual(now.status, .ok)
        for month in ["2027-13", "1999-12", "2027-3", "march", "2027-03-01"] {
            let res = try await get("/api/v1/reports/monthly?month=\(month)", key)
            XCTAssertEqual(res.status, .unprocessableEntity, month)
            XCTAssertEqual((jsonObject(res)["errors"] as? [[String: Any]])?.first?["field"] as? String, "month")
        }
        // Another agency's report has none of these cases.
        let otherKey = try await makeApiKey(for: try await makeAgency("B"))
        let theirs = try await get("/api/v1/reports/monthly?month=2027-02", otherKey)
        XCTAssertEqual(jsonObject(theirs)["casesOpened"] as? Int, 0)
    }
}
