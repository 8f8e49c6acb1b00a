import Foundation
import XCTest
@testable import OnSpotCore

final class CostDecisionTests: XCTestCase {
    /// Car rental within a 300.00 cap, flights after approval, activities inform only.
    static let scope = ScopeOfAction(
        rules: ScopeDomain.allCases.map { domain in
            switch domain {
            case .carRental: ScopeRule(domain: domain, level: .actWithinCap, capMinorUnits: 30_000)
            case .activities: ScopeRule(domain: domain, level: .informOnly, capMinorUnits: 0)
            case .accommodation: ScopeRule(domain: domain, level: .actWithinCap, capMinorUnits: 15_000)
            default: ScopeRule(domain: domain, level: .actAfterApproval, capMinorUnits: 0)
            }
        })

    struct Row {
        let name: String
        let request: CostRequest
        let expected: CostOutcome?
        let errorFields: [String]
    }

    static func row(
        _ name: String, _ domain: ScopeDomain, amount: Int64, spent: Int64 = 0, booking: Bool = false, emergency: Bool = false,
        category: CaseCategory = .other, safety: Bool = false, justification: String? = nil, attempts: Int = 1,
        _ expected: CostOutcome?, errors: [String] = []
    ) -> Row {
        Row(
            name: name,
            request: CostRequest(
                domain: domain, agencyAmountMinor: amount, isBookingChange: booking, spentInDomainMinor: spent,
                emergency: emergency, caseCategory: category, safetyFlag: safety, justification: justification,
                agencyContactAttempts: attempts),
            expected: expected, errorFields: errors)
    }

    static let why = "Traveller injured at the airport, hospital transfer needed now."

    // domain × level × cap × cumulative spend × booking change × emergency
    static let rows: [Row] = [
        // act within cap: the cap is per case and domain, cumulative, inclusive
        row("within cap, nothing spent yet", .carRental, amount: 12_000, .allowed),
        row("exactly the cap", .carRental, amount: 30_000, .allowed),
        row("one cent over the cap", .carRental, amount: 30_001, .needsApproval),
        row("cumulative spend reaches the cap exactly", .carRental, amount: 10_000, spent: 20_000, .allowed),
        row("cumulative spend goes one cent over", .carRental, amount: 10_001, spent: 20_000, .needsApproval),
        row("cap already used up, any further cost", .carRental, amount: 1, spent: 30_000, .needsApproval),
        row("a zero-cost action within cap", .carRental, amount: 0, spent: 30_000, .allowed),
        row("another domain's cap is separate", .accommodation, amount: 15_000, spent: 0, .allowed),
        row("smaller cap of accommodation", .accommodation, amount: 15_001, .needsApproval),
        // booking made or changed: always written approval, even at no cost
        row("booking change within cap", .carRental, amount: 5_000, booking: true, .needsApproval),
        row("booking change at no cost", .carRental, amount: 0, booking: true, .needsApproval),
        row("booking change in an approval domain", .flights, amount: 20_000, booking: true, .needsApproval),
        // act after approval: every outlay asks
        row("approval domain, small amount", .flights, amount: 100, .needsApproval),
        row("approval domain, zero amount", .flights, amount: 0, .needsApproval),
        row("approval domain, large amount", .itineraryChanges, amount: 5_000_000, .needsApproval),
        // inform only: never spends, approval or not
        row("inform only", .activities, amount: 100, .notAllowed),
        row("inform only, booking change", .activities, amount: 100, booking: true, .notAllowed),
        row("inform only, zero amount", .activities, amount: 0, .notAllowed),
        // emergency exception: only on medical or emergency cases or a safety flag, with a written justification
        row(
            "override on a medical case", .transfers, amount: 40_000, emergency: true, category: .medicalEmergency, justification: why,
            .emergencyOverride),
        row(
            "override on an emergency case over the cap", .carRental, amount: 90_000, spent: 30_000, emergency: true, category: .medicalEmergency,
            justification: why, .emergencyOverride),
        row(
            "override of an inform-only domain when safety demands", .activities, amount: 1_000, emergency: true, safety: true,
            justification: why, .emergencyOverride),
        row(
            "override with a booking change", .flights, amount: 60_000, booking: true, emergency: true, category: .medicalEmergency,
            justification: why, .emergencyOverride),
        row(
            "override refused on an ordinary case", .carRental, amount: 40_000, emergency: true, category: .carRental, justification: why,
            nil, errors: ["emergency"]),
        row(
            "override refused without justification", .transfers, amount: 40_000, emergency: true, category: .medicalEmergency, nil,
            errors: ["justification"]),
        row(
            "override refused with a too short justification", .transfers, amount: 40_000, emergency: true, category: .medicalEmergency,
            justification: "urgent", nil, errors: ["justification"]),
        row(
            "override refused on both counts", .transfers, amount: 40_000, emergency: true, category: .information, justification: "  ",
            nil, errors: ["emergency", "justification"]),
        // the exception is for an agency that cannot be reached: an attempt first, unless life is at stake (safety flag)
        row(
            "override refused without an attempt to reach the agency", .transfers, amount: 40_000, emergency: true, category: .medicalEmergency,
            justification: why, attempts: 0, nil, errors: ["emergency"]),
        row(
            "override without an attempt when life is at stake", .transfers, amount: 40_000, emergency: true, category: .medicalEmergency,
            safety: true, justification: why, attempts: 0, .emergencyOverride),
        row("an emergency case without the override follows the scope", .flights, amount: 10_000, category: .medicalEmergency, .needsApproval),
        row("a safety flag without the override follows the scope", .carRental, amount: 10_000, safety: true, .allowed),
        // amounts out of range
        row("negative amount", .carRental, amount: -1, nil, errors: ["amount"]),
        row("absurd amount", .carRental, amount: 100_000_001, nil, errors: ["amount"])
    ]

    func testTheDecisionTable() {
        for row in Self.rows {
            switch CostRules.decide(row.request, scope: Self.scope) {
            case .success(let decision):
                XCTAssertEqual(decision.outcome, row.expected, row.name)
                XCTAssertTrue(row.errorFields.isEmpty, "\(row.name): expected errors \(row.errorFields)")
                XCTAssertEqual(decision.spentAfterMinor, row.request.spentInDomainMinor + row.request.agencyAmountMinor, row.name)
            case .failure(let failure):
                XCTAssertNil(row.expected, "\(row.name): refused with \(failure.errors)")
                XCTAssertEqual(failure.errors.map(\.field), row.errorFields, row.name)
            }
        }
    }

    /// Every domain at every level, over a sweep of amounts: the invariants hold whatever the numbers.
    func testInvariantsOverEveryDomainLevelAndAmount() {
        for domain in ScopeDomain.allCases {
            for level in InvolvementLevel.allCases {
                for cap: Int64 in [0, 1, 10_000, 99_999] {
                    let scope = ScopeOfAction(rules: ScopeDomain.allCases.map { ScopeRule(domain: $0, level: level, capMinorUnits: cap) })
                    for spent: Int64 in [0, 1, cap, cap + 1] {
                        for amount: Int64 in [0, 1, 5_000, 200_000] {
                            for booking in [false, true] {
                                let r = CostRequest(domain: domain, agencyAmountMinor: amount, isBookingChange: booking, spentInDomainMinor: spent)
                                guard case .success(let d) = CostRules.decide(r, scope: scope) else { return XCTFail("refused \(r)") }
                                switch level {
                                case .informOnly: XCTAssertEqual(d.outcome, .notAllowed)
                                case .actAfterApproval: XCTAssertEqual(d.outcome, .needsApproval)
                                case .actWithinCap:
                                    XCTAssertEqual(d.outcome == .allowed, !booking && spent + amount <= cap, "\(domain) \(cap) \(spent) \(amount)")
                                }
                                XCTAssertNotEqual(d.outcome, .emergencyOverride, "never without the expert invoking it")
                                XCTAssertFalse(booking && d.outcome == .allowed, "a booking change is never allowed without approval")
                            }
                        }
                    }
                }
            }
        }
    }

    func testExchangeRatesConvertToTheCentAndParseStrictly() throws {
        let mxn = ExchangeRate(from: .MXN, to: .EUR, rate: try XCTUnwrap(ExchangeRate.parse("0.0512")))
        XCTAssertEqual(mxn.convert(250_000), 12_800, "2,500.00 MXN → 128.00 EUR")
        XCTAssertEqual(mxn.convert(1), 0)
        XCTAssertEqual(ExchangeRate(from: .USD, to: .EUR, rate: Decimal(string: "0.925")!).convert(1), 1, "0.925 cent rounds half up")
        XCTAssertEqual(ExchangeRate(from: .USD, to: .EUR, rate: Decimal(string: "0.925")!).convert(10_001), 9_251)
        XCTAssertEqual(ExchangeRate.parse("1,0850"), Decimal(string: "1.085"))
        for bad in ["", "0", "-1", "abc", "1.2.3", "1e5", "1234567.1", "0.123456789", " . "] { XCTAssertNil(ExchangeRate.parse(bad), bad) }
    }
}
