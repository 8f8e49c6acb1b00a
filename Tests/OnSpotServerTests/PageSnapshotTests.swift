import Foundation
import OnSpotCore
import SnapshotTesting
import XCTest

@testable import OnSpotServer

/// The HTML of a few key pages, kept in `__Snapshots__/`: a change of layout or wording shows as a diff in review.
/// The clock is stopped and what varies between runs (ids, tokens) is replaced before comparing.
/// `SNAPSHOT_TESTING_RECORD=all swift test --filter PageSnapshotTests` records them anew after an intended change.
final class PageSnapshotTests: ServerTestCase {
    static let instant = Date(timeIntervalSince1970: 1_798_800_000)  // 2027-01-01, a fixed day for every run

    override func setUp() async throws {
        try await super.setUp()
        app.clock.set(Self.instant)
    }

    /// Ids, session-bound tokens and card links differ on every run: each is named by what it is.
    static func stable(_ html: String) -> String {
        var text = html
        let replacements: [(String, String)] = [
            (#"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"#, "<uuid>"),
            (#"name="_csrf" value="[^"]*""#, #"name="_csrf" value="<csrf>""#),
            (#"<meta name="csrf-token" content="[^"]*""#, #"<meta name="csrf-token" content="<csrf>""#),
            (#"/card/[A-Za-z0-9_-]{16,}"#, "/card/<token>")
        ]
        for (pattern, replacement) in replacements {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text.replacingOccurrences(of: "><", with: ">\n<")
    }

    func testTheSignInPage() async throws {
        let page = try await TestBrowser(app: app).get("/login?lang=en")
        XCTAssertEqual(page.status, .ok)
        assertSnapshot(of: Self.stable(page.body.string), as: .lines)
    }

    func testATripPage() async throws {
        let agency = try await makeAgency("Horizon")
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Self.instant.addingTimeInterval(30 * 86400), reference: "SNAP-1")
        let browser = try await signedIn("admin@horizon.example")
        let page = try await browser.get("/trips/\(try trip.requireID())")
        XCTAssertEqual(page.status, .ok)
        assertSnapshot(of: Self.stable(page.body.string), as: .lines)
    }

    func testTheTripsList() async throws {
        let agency = try await makeAgency("Horizon")
        try await makeUser("agent@horizon.example", role: .agencyAgent, agency: agency)
        for i in 1...3 {
            _ = try await makeTrip(for: agency, departure: Self.instant.addingTimeInterval(Double(i) * 10 * 86400), reference: "SNAP-\(i)")
        }
        let browser = try await signedIn("agent@horizon.example")
        let page = try await browser.get("/trips")
        XCTAssertEqual(page.status, .ok)
        assertSnapshot(of: Self.stable(page.body.string), as: .lines)
    }
}
