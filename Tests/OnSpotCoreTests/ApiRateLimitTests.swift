import Foundation
import OnSpotCore
import XCTest

final class ApiRateLimitTests: XCTestCase {
    func testWindowsAreCountedFromTheEpochSoEveryServerAgrees() {
        let limit = ApiRateLimit(limit: 600)
        let start = Date(timeIntervalSince1970: 1_800_000_000)  // a whole minute
        XCTAssertEqual(limit.window(at: start).number, 30_000_000)
        XCTAssertEqual(limit.window(at: start).secondsLeft, 60)
        XCTAssertEqual(limit.window(at: start.addingTimeInterval(59.2)).number, 30_000_000)
        XCTAssertEqual(limit.window(at: start.addingTimeInterval(59.2)).secondsLeft, 1)
        XCTAssertEqual(limit.window(at: start.addingTimeInterval(60)).number, 30_000_001)
        XCTAssertEqual(limit.window(at: start.addingTimeInterval(12.5)).secondsLeft, 48)
        // Clocks that cannot be real never trap.
        XCTAssertEqual(ApiRateLimit(limit: 10).window(at: .distantPast).secondsLeft, 60)
        XCTAssertEqual(ApiRateLimit(limit: 10).window(at: Date(timeIntervalSince1970: .infinity)).number, 0)
    }

    func testHeadersSayWhatIsLeftAndWhenToRetry() {
        let limit = ApiRateLimit(limit: 3)
        let now = Date(timeIntervalSince1970: 1_800_000_020)
        func values(_ count: Int) -> [String: String] {
            Dictionary(limit.headers(count: count, at: now).map { ($0.name, $0.value) }) { a, _ in a }
        }
        XCTAssertEqual(values(1), ["RateLimit-Policy": "\"per-key\";q=3;w=60", "RateLimit": "\"per-key\";r=2;t=40"])
        XCTAssertTrue(limit.allows(count: 3))
        XCTAssertEqual(values(3)["RateLimit"], "\"per-key\";r=0;t=40")
        XCTAssertNil(values(3)["Retry-After"])
        XCTAssertFalse(limit.allows(count: 4))
        XCTAssertEqual(values(4), ["RateLimit-Policy": "\"per-key\";q=3;w=60", "RateLimit": "\"per-key\";r=0;t=40", "Retry-After": "40"])
    }
}
