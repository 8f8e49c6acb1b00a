import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 20, item 4 (part): `/metrics` in Prometheus's text format, for loopback or a bearer of the configured token:
/// request latency by route pattern, and the background backlog read from the tables when scraped.
final class MetricsTests: ServerTestCase {
    func scrape(token: String? = nil) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        return try await app.testable(method: .running(hostname: "127.0.0.1", port: 0)).sendRequest(.GET, "/metrics", headers: headers)
    }

    func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    func testRequestsAreTimedByRoutePatternAndTheBacklogIsReadWhenScraped() async throws {
        let agency = try await makeAgency("Alpha")
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@alpha.example")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400))
        for _ in 0..<3 { _ = try await browser.get("/trips/\(try trip.requireID())") }
        _ = try await browser.get("/no/such/page")
        for verb in ["BREW", "WHEN", "PROPFIND"] {
            _ = try await app.sendRequest(HTTPMethod(rawValue: verb), "/no/such/\(verb)")
        }

        // A raw webhook waiting two minutes, a failed reply, an open case past its first-response deadline.
        let event = InboundEvent()
        event.id = UUID(); event.channel = .whatsapp; event.body = Data("{}".utf8); event.receivedAt = Date().addingTimeInterval(-120)
        event.attempts = 0
        try await event.create(on: app.db)
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()
        nyc?.setHours(OpeningHours.everyDay(OpeningHours.parseSlots("00:00-24:00")!))
        try await nyc?.save(on: app.db)
        let late = CaseRecord()
        late.agencyID = agency.id; late.tripID = trip.id; late.destinationID = nyc?.id; late.category = .information; late.priority = .normal
        late.status = .new; late.safetyFlag = false; late.recordingRefused = false; late.openedAt = Date().addingTimeInterval(-6 * 3600)
        try await late.create(on: app.db)

        let res = try await scrape()
        XCTAssertEqual(res.status, .ok)
        XCTAssertEqual(res.headers.contentType?.description.hasPrefix("text/plain"), true)
        let text = res.body.string
        XCTAssertEqual(
            value(text, #"onspot_http_request_duration_seconds_count{route="/trips/:tripID",method="GET",status="2xx"}"#), 3, text)
        XCTAssertEqual(value(text, #"onspot_http_request_duration_seconds_count{route="unmatched",method="GET",status="4xx"}"#), 1)
        XCTAssertEqual(
            value(text, #"onspot_http_request_duration_seconds_count{route="unmatched",method="OTHER",status="4xx"}"#), 3,
            "invented methods share one series")
        XCTAssertFalse(text.contains("BREW"))
        XCTAssertFalse(text.contains(try trip.requireID().uuidString), "routes by pattern, never by path")
        XCTAssertEqual(value(text, "onspot_inbound_pending"), 1)
        let lag = try XCTUnwrap(value(text, "onspot_inbound_lag_seconds"))
        XCTAssertTrue((110...200).contains(lag), "\(lag)")
        XCTAssertEqual(value(text, "onspot_cases_open"), 1)
        XCTAssertEqual(value(text, "onspot_cases_sla_breached"), 1, "six hours without a first response")
        XCTAssertEqual(value(text, #"onspot_outbox_messages{status="failed"}"#), 0)

        // Processed, the backlog empties on the next scrape.
        event.processedAt = Date()
        try await event.save(on: app.db)
        let after = try await scrape().body.string
        XCTAssertEqual(value(after, "onspot_inbound_pending"), 0)
        XCTAssertEqual(value(after, "onspot_inbound_lag_seconds"), 0)
    }

    func testOnlyLoopbackOrTheTokensBearerReadsThem() async throws {
        // Through the in-memory test client there is no loopback peer: not found, as for anyone outside.
        let outside = try await app.sendRequest(.GET, "/metrics")
        XCTAssertEqual(outside.status, .notFound)
        let local = try await scrape()
        XCTAssertEqual(local.status, .ok)

        app.onspot.metricsToken = "a-long-metrics-token-0123456789"
        let missing = try await scrape()
        XCTAssertEqual(missing.status, .unauthorized, "with a token configured, loopback alone is not enough")
        let wrong = try await scrape(token: "a-long-metrics-token-9876543210")
        XCTAssertEqual(wrong.status, .unauthorized)
        let right = try await scrape(token: "a-long-metrics-token-0123456789")
        XCTAssertEqual(right.status, .ok)

        let production = [
            "ONSPOT_MODE": "production", "ONSPOT_SECRET_KEY": String(repeating: "k", count: 40),
            "ONSPOT_PUBLIC_URL": "https://connect.example", "ONSPOT_STRIPE_SECRET_KEY": "sk_live_x",
            "ONSPOT_STRIPE_WEBHOOK_SECRET": "whsec_x", "ONSPOT_MAIL": "off"
        ]
        XCTAssertThrowsError(
            try AppConfiguration.load(environment: production.merging(["ONSPOT_METRICS_TOKEN": "short"]) { $1 }, flags: .init())
        ) { error in
            XCTAssertTrue(String(describing: error).contains("ONSPOT_METRICS_TOKEN"))
        }
        let accepted = try AppConfiguration.load(
            environment: production.merging(["ONSPOT_METRICS_TOKEN": "a-long-metrics-token-0123456789"]) { $1 }, flags: .init())
        XCTAssertEqual(accepted.metricsToken, "a-long-metrics-token-0123456789")
    }
}
