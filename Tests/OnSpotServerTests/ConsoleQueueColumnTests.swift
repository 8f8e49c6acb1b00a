import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, items 1 and 2: on a wide screen the workspace shows the queue beside the conversation; the column is a
/// fragment the page fetches and fetches again on live events, in deadline order, for the expert's destinations only.
final class ConsoleQueueColumnTests: GraphTestCase {
    func testTheColumnListsTheExpertsQueueInDeadlineOrderWithTheOpenCaseMarked() async throws {
        let late = try await openCase()
        late.openedAt = Date().addingTimeInterval(-3 * 86400)  // past every deadline
        try await late.save(on: app.db)
        let fresh = try await openCase(channel: .messenger)
        let browser = try await expert(covering: ["us-nyc"])
        let page = try await browser.get("/console/cases/\(fresh.id!)").body.string
        XCTAssertTrue(page.contains(#"data-src="/console/queue-list?current=\#(fresh.id!.uuidString)""#), "the case page names its column")

        let res = try await browser.get("/console/queue-list?current=\(fresh.id!)")
        XCTAssertEqual(res.status, .ok)
        XCTAssertEqual(res.headers.contentType, .html)
        let list = res.body.string
        XCTAssertTrue(list.hasPrefix(#"<ol id="queue-list""#), "a fragment, not a page")
        XCTAssertFalse(list.contains("<html"))
        let lateAt = try XCTUnwrap(list.range(of: late.id!.uuidString)?.lowerBound)
        let freshAt = try XCTUnwrap(list.range(of: fresh.id!.uuidString)?.lowerBound)
        XCTAssertLessThan(lateAt, freshAt, "the late case leads")
        XCTAssertTrue(list.contains(#"<li data-case="\#(late.id!.uuidString)" class="late">"#), list)
        XCTAssertTrue(list.contains(#"<li data-case="\#(fresh.id!.uuidString)" class="current">"#), list)
        XCTAssertTrue(list.contains("Messenger"))

        // Filters as on the queue page; taken by someone else, the holder shows.
        let mine = try await browser.get("/console/queue-list?holder=mine").body.string
        XCTAssertFalse(mine.contains("data-case="), "nothing held yet")
        try await makeUser("paul@onspot.example", role: .expert, agency: nil)
        late.assigneeID = try await User.query(on: app.db).filter(\.$email == "paul@onspot.example").first()!.id
        try await late.save(on: app.db)
        let taken = try await browser.get("/console/queue-list").body.string
        XCTAssertTrue(taken.contains("New York · WhatsApp · paul"), taken)
    }

    func testOnlyTheExpertsDestinationsAndNoOneElse() async throws {
        let record = try await openCase()
        let rio = try await expert(covering: ["br-rio"])
        let list = try await rio.get("/console/queue-list").body.string
        XCTAssertFalse(list.contains(record.id!.uuidString), "another destination's case stays out")
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let refused = try await agent.get("/console/queue-list")
        XCTAssertNotEqual(refused.status, .ok)
        XCTAssertFalse(refused.body.string.contains(record.id!.uuidString))
        let page = try await rio.get("/console/queue-list?page=-5&status=resolved&holder=everyone&channel=fax&current=nope")
        XCTAssertEqual(page.status, .ok, "odd filters are ignored, not a crash")
    }
}
