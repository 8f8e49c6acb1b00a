import Foundation
import XCTest

@testable import OnSpotCore

/// Issue 18: whatever sequence of registrations, changes and runs, a trip's lines bill exactly its current quote, no
/// credit note takes more than is left on its line, and every cent billed is either still billed or credited once.
final class TripBillingTests: XCTestCase {
    func testTheLinesAlwaysBillTheCurrentQuoteAndTheLedgerBalances() {
        for seed in UInt64(1)...300 {
            var random = SeededGenerator(seed: seed)  // shared with PassengerRightsPropertyTests
            var lines: [TripBilling.BilledLine] = []
            var issuedMinor: Int64 = 0
            var creditedMinor: Int64 = 0
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for step in 0..<Int.random(in: 1...12, using: &random) {
                // A change of the trip (or none), then a run of the job; sometimes two runs in a row.
                let quote = Int64.random(in: 0...40, using: &random) * 450 + (Bool.random(using: &random) ? 4000 : 0)
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    switch TripBilling.adjustment(quoteMinor: quote, lines: lines) {
                    case .none: break
                    case .bill(let amount):
                        XCTAssertGreaterThan(amount, 0)
                        lines.append(
                            .init(
                                id: UUID(), amountMinor: amount, creditedMinor: 0, dueAt: start.addingTimeInterval(Double(step) * 60),
                                invoiceSequence: step))
                        issuedMinor += amount
                    case .credit(let notes):
                        for note in notes {
                            guard let index = lines.firstIndex(where: { $0.id == note.lineID }) else {
                                return XCTFail("seed \(seed): a credit note for a line that does not exist")
                            }
                            XCTAssertGreaterThan(note.amountMinor, 0, "seed \(seed)")
                            XCTAssertLessThanOrEqual(note.amountMinor, lines[index].netMinor, "seed \(seed): more than is left on the line")
                            lines[index].creditedMinor += note.amountMinor
                            creditedMinor += note.amountMinor
                        }
                    }
                    XCTAssertEqual(TripBilling.billedMinor(lines), quote, "seed \(seed), step \(step)")
                    XCTAssertEqual(TripBilling.adjustment(quoteMinor: quote, lines: lines), .none, "seed \(seed): a second run issues nothing")
                }
            }
            XCTAssertEqual(issuedMinor - creditedMinor, TripBilling.billedMinor(lines), "seed \(seed): the ledger balances")
        }
    }

    func testAShortenedTripIsCreditedOnItsLatestInvoiceFirst() {
        let due = Date(timeIntervalSince1970: 1_800_000_000)
        let monthly = TripBilling.BilledLine(id: UUID(), amountMinor: 5000, creditedMinor: 0, dueAt: due, invoiceSequence: 3)
        let supplement = TripBilling.BilledLine(id: UUID(), amountMinor: 2000, creditedMinor: 500, dueAt: due, invoiceSequence: 9)
        XCTAssertEqual(TripBilling.adjustment(quoteMinor: 6500, lines: [monthly, supplement]), .none)
        XCTAssertEqual(TripBilling.adjustment(quoteMinor: 7000, lines: [monthly, supplement]), .bill(500))
        XCTAssertEqual(
            TripBilling.adjustment(quoteMinor: 4000, lines: [monthly, supplement]),
            .credit([(supplement.id, Int64(1500)), (monthly.id, Int64(1000))]))
    }
}

final class SystemCancellationTests: XCTestCase {
    func testThePlatformsReasonsReadInTheReadersLanguageAndAnAgencysAsWritten() {
        for reason in [SystemCancellation.unpaidInvoice(number: "OSC-2026-000042"), .unpaidBeforeDeadline] {
            XCTAssertEqual(SystemCancellation(stored: reason.stored), reason, "stored as the API has always said it")
            for language in Language.allCases {
                XCTAssertNotEqual(reason.text(language), reason.stored)
                XCTAssertFalse(reason.text(language).contains("{"), "every placeholder filled")
            }
        }
        XCTAssertEqual(SystemCancellation.unpaidInvoice(number: "OSC-2026-000042").stored, "unpaid invoice OSC-2026-000042")
        XCTAssertTrue(SystemCancellation.display("unpaid invoice OSC-2026-000042", .fr).contains("OSC-2026-000042"))
        XCTAssertEqual(SystemCancellation.display("Le client a changé d'avis", .en), "Le client a changé d'avis")
        XCTAssertEqual(SystemCancellation.display(nil, .pt), "")
        XCTAssertNil(SystemCancellation(stored: "unpaid invoice "))
    }
}
