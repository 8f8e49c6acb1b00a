import Fluent
import FluentSQL
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Rate limits per API key (issue 16): a quota a minute per key, shared by every server of the database, told in every
/// answer and refused with 429 beyond it.
final class ApiRateLimitServerTests: ServerTestCase {
    func testAKeyBeyondItsQuotaIsRefusedUntilTheNextMinuteAndOtherKeysAreNot() async throws {
        app.onspot.apiRequestsPerMinute = 10
        app.clock.set(Date(timeIntervalSince1970: 1_800_000_030))
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        for n in 1...10 {
            // Answers of every kind count and say where the key stands: a list, and a 404.
            let res = try await app.sendRequest(.GET, n % 2 == 0 ? "/api/v1/trips" : "/api/v1/trips/\(UUID())", headers: apiHeaders(key))
            XCTAssertEqual(res.status, n % 2 == 0 ? .ok : .notFound)
            XCTAssertEqual(res.headers.first(name: "RateLimit-Policy"), "\"per-key\";q=10;w=60")
            XCTAssertEqual(res.headers.first(name: "RateLimit"), "\"per-key\";r=\(10 - n);t=30")
        }
        let refused = try await app.sendRequest(
            .POST, "/api/v1/trips", headers: apiHeaders(key), body: jsonBody(["reference": "X", "destinations": ["us-nyc"]]))
        XCTAssertEqual(refused.status, .tooManyRequests)
        XCTAssertEqual(refused.headers.first(name: "Retry-After"), "30")
        XCTAssertEqual(refused.headers.first(name: "RateLimit"), "\"per-key\";r=0;t=30")
        XCTAssertEqual(jsonObject(refused)["type"] as? String, "https://onspot.example/problems/rate-limited")
        XCTAssertEqual(refused.headers.contentType?.subType, "problem+json")
        let trips = try await Trip.query(on: app.db).count()
        XCTAssertEqual(trips, 0, "a refused request does nothing")

        // Another key, even of the same agency, has its own quota.
        let other = try await makeApiKey(for: agency)
        let fresh = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(other))
        XCTAssertEqual(fresh.status, .ok)
        XCTAssertEqual(fresh.headers.first(name: "RateLimit"), "\"per-key\";r=9;t=30")

        // The next minute starts afresh; on PostgreSQL the finished minute's counters are cleared.
        app.clock.advance(by: 30)
        let next = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(key))
        XCTAssertEqual(next.status, .ok)
        XCTAssertEqual(next.headers.first(name: "RateLimit"), "\"per-key\";r=9;t=60")
        if onPostgres {
            let windows = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM api_rate_windows").first()?
                .decode(column: "n", as: Int.self)
            XCTAssertEqual(windows, 1, "the finished minute's rows are gone")
        }
        // Unauthenticated requests are refused before any counting.
        let anonymous = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(nil))
        XCTAssertEqual(anonymous.status, .unauthorized)
        XCTAssertNil(anonymous.headers.first(name: "RateLimit"))
    }

    /// Two servers on one PostgreSQL database count into the same quota.
    func testServersShareOneQuotaPerKey() async throws {
        try XCTSkipUnless(onPostgres, "several processes need PostgreSQL")
        app.onspot.apiRequestsPerMinute = 10
        let second = try await makeSecondProcess()
        second.onspot.apiRequestsPerMinute = 10
        // One minute for both, whatever the wall clock does meanwhile.
        app.clock.set(Date(timeIntervalSince1970: 1_800_000_000))
        second.clock.set(Date(timeIntervalSince1970: 1_800_000_000))
        let key = try await makeApiKey(for: try await makeAgency("A"))
        var statuses: [HTTPStatus] = []
        for n in 0..<12 {
            let server = n % 2 == 0 ? app! : second
            let res = try await server.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(key))
            statuses.append(res.status)
        }
        XCTAssertEqual(statuses.filter { $0 == .ok }.count, 10)
        XCTAssertEqual(Array(statuses.suffix(2)), [.tooManyRequests, .tooManyRequests])
        second.clock.release()
        try await second.asyncShutdown()
    }
}
