import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// An agency never sees another agency's data, and each role reaches only its own pages.
final class IsolationTests: ServerTestCase {
    func testAnotherAgencysTripIsNotFoundOnEveryPortalRoute() async throws {
        // setup
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        try await makeUser("admin@b.example", role: .agencyAdmin, agency: b)
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(10 * 86400), reference: "SECRET-A")
        let traveller = trip.travellerLinks[0].$traveller.id
        let browser = try await signedIn("admin@b.example")
        let base = "/trips/\(trip.id!)"
        // MUT + validate: reads
        for path in [base, "\(base)/edit", "\(base)/travellers/\(traveller)/edit"] {
            let res = try await browser.get(path)
            XCTAssertEqual(res.status, .notFound, path)
            XCTAssertFalse(res.body.string.contains("SECRET-A"), path)
        }
        // writes
        let writes: [(String, [String: String])] = [
            ("\(base)/edit", ["reference": "HACKED", "destinations[]": "us-nyc", "departure": "2030-01-01T10:00", "returnAt": "2030-01-10T10:00"]),
            ("\(base)/cancel", ["reason": "x"]),
            ("\(base)/segments", ["kind": "other", "title": "x"]),
            ("\(base)/documents", ["text": "x"]),
            ("\(base)/travellers/\(traveller)/edit", ["firstName": "H", "lastName": "H"])
        ]
        for (path, form) in writes {
            let res = try await browser.post(path, form: form)
            XCTAssertEqual(res.status, .notFound, path)
        }
        let untouched = try await TripService.find(trip.requireID(), agencyID: a.requireID(), on: app.db)!
        XCTAssertEqual(untouched.reference, "SECRET-A")
        XCTAssertEqual(untouched.status, .booked)
        XCTAssertTrue(untouched.segments.isEmpty && untouched.documents.isEmpty)
        XCTAssertEqual(untouched.travellerLinks[0].traveller.firstName, "Zoé")
        // lists, search and dashboard
        for path in ["/trips", "/trips?q=SECRET", "/", "/trips?phase=upcoming"] {
            let res = try await browser.get(path)
            XCTAssertFalse(res.body.string.contains("SECRET-A"), path)
        }
    }

    func testAnotherAgencysUsersAndKeysCannotBeTouched() async throws {
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        let victim = try await makeUser("agent@a.example", role: .agencyAgent, agency: a)
        try await makeUser("admin@b.example", role: .agencyAdmin, agency: b)
        let key = ApiKey()
        key.$agency.id = try a.requireID()
        key.name = "A's CRM"
        key.prefix = "osk_abc"
        key.keyHash = "x"
        key.createdAt = Date()
        key.access = .readWrite
        try await key.create(on: app.db)
        let browser = try await signedIn("admin@b.example")
        let users = try await browser.get("/users")
        XCTAssertFalse(users.body.string.contains("agent@a.example"))
        let keys = try await browser.get("/api-keys")
        XCTAssertFalse(keys.body.string.contains("A&#39;s CRM"))
        let deactivate = try await browser.post("/users/\(victim.id!)/deactivate", form: [:])
        XCTAssertEqual(deactivate.status, .notFound)
        let revoke = try await browser.post("/api-keys/\(key.id!)/revoke", form: [:])
        XCTAssertEqual(revoke.status, .notFound)
        let stillActive = try await User.find(victim.id, on: app.db)!
        XCTAssertTrue(stillActive.active)
        let stillValid = try await ApiKey.find(key.id, on: app.db)!
        XCTAssertNil(stillValid.revokedAt)
    }

    func testEachRoleReachesOnlyItsPages() async throws {
        let a = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: a)
        try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let adminOnly = ["/branding", "/users", "/api-keys", "/account"]
        let onspotAdminOnly = ["/admin/destinations", "/admin/plans"]
        let agencyPages = ["/trips", "/trips/new", "/scope", "/conditions"]

        let agent = try await signedIn("agent@a.example")
        for path in adminOnly + onspotAdminOnly {
            let status = try await agent.get(path).status
            XCTAssertEqual(status, .notFound, "agent on \(path)")
        }
        for path in agencyPages {
            let status = try await agent.get(path).status
            XCTAssertEqual(status, .ok, "agent on \(path)")
        }
        let expert = try await signedIn("expert@onspot.example")
        for path in adminOnly + onspotAdminOnly + agencyPages {
            let status = try await expert.get(path).status
            XCTAssertEqual(status, .notFound, "expert on \(path)")
        }
        let expertHome = try await expert.get("/")
        XCTAssertEqual(expertHome.status, .ok)
        let admin = try await signedIn("admin@onspot.example")
        for path in onspotAdminOnly {
            let status = try await admin.get(path).status
            XCTAssertEqual(status, .ok, "OnSpot admin on \(path)")
        }
        for path in agencyPages + adminOnly {
            let status = try await admin.get(path).status
            XCTAssertEqual(status, .notFound, "OnSpot admin on \(path)")
        }
        let anonymous = TestBrowser(app: app)
        for path in ["/", "/trips", "/admin/plans", "/scope"] {
            let res = try await anonymous.get(path)
            XCTAssertEqual(res.status, .seeOther, path)
            XCTAssertTrue(res.location?.hasPrefix("/login?next=") == true, path)
        }
    }

    func testAnotherAgencysTripIsNotFoundOnEveryApiRoute() async throws {
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(10 * 86400), reference: "SECRET-A")
        let traveller = trip.travellerLinks[0].$traveller.id
        let keyB = try await makeApiKey(for: b)
        let requests: [(HTTPMethod, String, Any?)] = [
            (.GET, "/api/v1/trips/\(trip.id!)", nil),
            (.PATCH, "/api/v1/trips/\(trip.id!)", ["reference": "HACKED"]),
            (.POST, "/api/v1/trips/\(trip.id!)/cancel", ["reason": "x"]),
            (.GET, "/api/v1/travellers/\(traveller)", nil),
            (.PATCH, "/api/v1/travellers/\(traveller)", ["firstName": "H"])
        ]
        for (method, path, body) in requests {
            let res = try await app.sendRequest(method, path, headers: apiHeaders(keyB), body: body.map(jsonBody))
            XCTAssertEqual(res.status, .notFound, "\(method) \(path)")
            XCTAssertEqual(res.headers.contentType?.subType, "problem+json")
        }
        for path in ["/api/v1/trips", "/api/v1/trips?q=SECRET", "/api/v1/travellers"] {
            let res = try await app.sendRequest(.GET, path, headers: apiHeaders(keyB))
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(jsonObject(res)["total"] as? Int, 0, path)
        }
        let untouched = try await TripService.find(trip.requireID(), agencyID: a.requireID(), on: app.db)!
        XCTAssertEqual(untouched.reference, "SECRET-A")
        XCTAssertEqual(untouched.status, .booked)
        XCTAssertEqual(untouched.travellerLinks[0].traveller.firstName, "Zoé")
    }
}
