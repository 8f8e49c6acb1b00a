import Foundation
import XCTest
@testable import OnSpotCore

/// Zone names from outside reach Foundation only in shapes it parses without trapping, and every zone the product
/// ships resolves (ICU's list leaves out Asia/Kolkata, Etc/UTC and others Foundation still knows).
final class TimeZonesTests: XCTestCase {
    func testMalformedOffsetNamesAreRefusedWithoutReachingFoundation() {
        for name in ["GMT+01:/0", "GMT+01:a0", "GMT+01:é0", "UTC+01:/0", "UT+1:/0", "GMT+1:00:00", "GMT0", "../etc/passwd", "", " Europe/Paris"] {
            XCTAssertNil(TimeZones.named(name), name)
        }
        XCTAssertNil(TimeZones.named(String(repeating: "A", count: 65)))
    }

    func testNamesFoundationKnowsResolve() {
        for name in ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Etc/UTC", "US/Eastern", "America/Argentina/Buenos_Aires", "UTC", "GMT"] {
            XCTAssertNotNil(TimeZones.named(name), name)
        }
        XCTAssertEqual(TimeZones.named("GMT+0200")?.secondsFromGMT(), 7200)
        XCTAssertEqual(TimeZones.named("GMT-03:00")?.secondsFromGMT(), -10800)
        XCTAssertEqual(TimeZones.named("Asia/Kolkata")?.secondsFromGMT(for: Date(timeIntervalSince1970: 1_800_000_000)), 19_800)
    }

    func testEveryShippedAirportZoneResolves() {
        let zones = Set(ReferenceData.airports.values.map(\.timeZone))
        XCTAssertGreaterThan(zones.count, 300)
        XCTAssertEqual(zones.filter { TimeZones.named($0) == nil }.sorted(), [])
        XCTAssertEqual(ReferenceData.airports["DEL"]?.zone.identifier, "Asia/Kolkata", "not UTC")
    }
}

/// A read-only key's rule reads paths as the router does.
final class ApiKeyAccessRuleTests: XCTestCase {
    func testReadOnlyAllowsReadsAndComputingOnlyHoweverThePathIsWritten() {
        let reader = ApiKeyAccess.readOnly
        XCTAssertTrue(reader.allows(method: "GET", path: "/api/v1/trips"))
        XCTAssertTrue(reader.allows(method: "POST", path: "/api/v1/extractions"))
        XCTAssertTrue(reader.allows(method: "POST", path: "/api/v1//extractions/"), "the router drops empty components")
        XCTAssertFalse(reader.allows(method: "POST", path: "/api/v1/trips"))
        XCTAssertFalse(reader.allows(method: "PUT", path: "/api/v1/extractions"))
        XCTAssertFalse(reader.allows(method: "DELETE", path: "/api/v1/trips/x/segments/y"))
        XCTAssertTrue(ApiKeyAccess.readWrite.allows(method: "DELETE", path: "/api/v1/trips/x/segments/y"))
    }
}
