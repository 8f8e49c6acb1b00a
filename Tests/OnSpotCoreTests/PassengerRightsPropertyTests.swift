import Foundation
import XCTest
@testable import OnSpotCore

final class PassengerRightsPropertyTests: XCTestCase {
    let journeys: [[String]] = [
        ["CDG", "YUL"], ["CDG", "JFK"], ["JFK", "CDG"], ["LHR", "JFK"], ["ORY", "RUN"], ["CDG", "LIS"],
        ["YUL", "YQB"], ["JFK", "LAX"], ["GRU", "GIG"], ["CDG", "GIG"], ["MEX", "CUN"], ["SYD", "MEL"],
        ["AKL", "ZQN"], ["LHR", "CDG"], ["CDG", "JFK", "LAX"], ["NAS", "MIA"]
    ]
    let carriers = ["AF", "AC", "DL", "BA", "SS", "G3", "Y4", "QF", "NZ", "XX", "UP"]

    /// The maximum each regime can ever give for one passenger, from the texts themselves.
    func ceiling(_ regime: String, fare: Amount?, loss: Amount?) -> Decimal {
        switch regime {
        case "EU261": 600
        case "UK261": 520
        case "APPR": 2400
        case "US_DOT": 2150
        case "BR_ANAC400": 500
        case "MX": (fare?.amount ?? 0) * Decimal(string: "0.25")!
        case "NZ": min(loss?.amount ?? 0, (fare?.amount ?? 0) * 10)
        default: 0
        }
    }

    func randomCase(_ g: inout SeededGenerator, delayMinutes: Double) -> DisruptionCase {
        let event = [DisruptionEvent.delay, .cancellation, .deniedBoarding].randomElement(using: &g)!
        let fare = Amount(Decimal(Int.random(in: 50...2000, using: &g)), ["USD", "MXN", "NZD"].randomElement(using: &g)!)
        return flightCase(
            journeys.randomElement(using: &g)!, carrier: carriers.randomElement(using: &g)!, event: event,
            flightHours: Double.random(in: 1...14, using: &g),
            delayMinutes: event == .delay ? delayMinutes : nil,
            rerouteLeavesMinutes: event == .delay ? nil : Double.random(in: -120...600, using: &g),
            rerouteLateMinutes: event == .delay ? nil : delayMinutes,
            noticeDays: Bool.random(using: &g) ? Int.random(in: 0...20, using: &g) : nil,
            cause: DisruptionCause.allCases.randomElement(using: &g)!, fare: fare,
            provenLoss: Amount(Decimal(Int.random(in: 0...5000, using: &g)), fare.currency),
            choice: Bool.random(using: &g) ? .reroute : nil, voluntary: Int.random(in: 0..<5, using: &g) == 0)
    }

    func testCompensationNeverDecreasesAsTheDelayGrows() throws {
        var g = SeededGenerator(seed: 0x0511_5907)
        for _ in 0..<150 {
            let seed = g.next()
            var previous: [String: Decimal] = [:]
            for minutes in stride(from: 0.0, through: 900, by: 15) {
                var local = SeededGenerator(seed: seed)
                let result = try RightsCalculator.assess(randomCase(&local, delayMinutes: minutes))
                for a in result.assessments {
                    let amount = a.compensation?.amount ?? 0
                    if let before = previous[a.regime] {
                        XCTAssertGreaterThanOrEqual(amount, before, "\(a.regime) went down at \(minutes) min (seed \(seed))")
                    }
                    previous[a.regime] = amount
                }
            }
        }
    }

    func testCompensationNeverExceedsTheRegimesCeilingAndEveryAnswerCitesItsBasis() throws {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let c = randomCase(&g, delayMinutes: Double.random(in: 0...1500, using: &g))
            let result = try RightsCalculator.assess(c)
            XCTAssertEqual(result.assessments.count, 8)
            for a in result.assessments {
                XCTAssertFalse(a.basis.isEmpty, "\(a.regime) answered without a citation")
                if !a.applies { XCTAssertNil(a.compensation, a.regime); XCTAssertFalse(a.notes.isEmpty, "\(a.regime) says why it does not apply") }
                if let amount = a.compensation?.amount {
                    XCTAssertGreaterThan(amount, 0, a.regime)
                    XCTAssertLessThanOrEqual(amount, ceiling(a.regime, fare: c.fare, loss: c.provenLoss), "\(a.regime) over its ceiling")
                }
                if let reduced = a.reducibleTo?.amount {
                    XCTAssertEqual(reduced * 2, a.compensation?.amount, "Art. 7(2) halves the amount")
                }
            }
        }
    }
}
