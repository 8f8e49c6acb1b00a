import Fluent
import Foundation
@testable import OnSpotServer
import XCTest
import XCTVapor

/// `onspot demo --scale N`: the sizes it promises, pages that work on what it seeds, and a refusal to seed twice.
final class DemoScaleTests: ServerTestCase {
    func testOneScaledAgencyHasTheSizeItPromisesAndItsPagesWork() async throws {
        let summary = try await DemoScale.run(agencies: 1, app: app, now: Date())
        XCTAssertEqual(summary.trips, DemoScale.tripsPerAgency)
        XCTAssertEqual(summary.messages, DemoScale.tripsPerAgency * DemoScale.messagesPerConversation)
        XCTAssertEqual(summary.openCases, DemoScale.openCasesPerAgency)
        let found = try await Agency.query(on: app.db).filter(\.$contactEmail == "contact@scale-1.example").first()
        let agency = try XCTUnwrap(found)
        let trips = try await Trip.query(on: app.db).filter(\.$agency.$id == agency.requireID()).count()
        XCTAssertEqual(trips, 1_000)
        let messages = try await MessageRecord.query(on: app.db).count()
        XCTAssertGreaterThanOrEqual(messages, 10_000, "the demo's own messages come on top")
        let links = try await TripTraveller.query(on: app.db).join(Trip.self, on: \TripTraveller.$trip.$id == \Trip.$id)
            .filter(Trip.self, \.$agency.$id == agency.requireID()).count()
        XCTAssertEqual(links, summary.travellers)

        // The tests' own password, so that the usual sign-in helper works.
        for user in try await User.query(on: app.db).filter(\.$email ~~ [DemoScale.adminEmail(1), "expert@onspot-demo.example"]).all() {
            user.passwordHash = try Bcrypt.hash(Self.password, cost: 4)
            try await user.save(on: app.db)
        }
        let admin = try await signedIn(DemoScale.adminEmail(1))
        let dashboard = try await admin.get("/")
        XCTAssertEqual(dashboard.status, .ok)
        let search = try await admin.get("/trips?q=Durand")
        XCTAssertEqual(search.status, .ok)
        XCTAssertTrue(search.body.string.contains("Durand"))
        XCTAssertFalse(search.body.string.contains("Voyages Horizon"), "another agency's trips never show")
        let expert = try await signedIn("expert@onspot-demo.example")
        let queue = try await expert.get("/console")
        XCTAssertEqual(queue.status, .ok)
        let open = try await CaseRecord.query(on: app.db).filter(\.$agencyID == agency.requireID()).filter(\.$status != .resolved).all()
        XCTAssertEqual(open.count, 2)
        for record in open { XCTAssertTrue(queue.body.string.contains(try record.requireID().uuidString), "open case in the queue") }
        let casePage = try await expert.get("/console/cases/\(try open[0].requireID())")
        XCTAssertEqual(casePage.status, .ok)

        do {
            _ = try await DemoScale.run(agencies: 1, app: app, now: Date())
            XCTFail("a second run into the same database is refused")
        } catch let error as AbortError {
            XCTAssertEqual(error.status, .conflict)
        }
    }
}
