import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, item 8: the OnSpot admin sees open cases and breaches per destination, the traveller waiting longest,
/// the experts on duty and their load, and the month's satisfaction per destination.
final class SupervisionTests: ServerTestCase {
    func makeCase(_ code: String, openedAgo: TimeInterval, answered: Bool = false, assignee: User? = nil, status: CaseStatus = .new)
        async throws -> CaseRecord
    {
        let destination = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!
        let record = CaseRecord()
        record.destinationID = destination.id
        record.category = .other; record.priority = .normal; record.status = status
        record.safetyFlag = false; record.recordingRefused = false
        record.openedAt = Date().addingTimeInterval(-openedAgo)
        record.firstResponseAt = answered ? record.openedAt.addingTimeInterval(60) : nil
        record.assigneeID = assignee?.id
        try await record.create(on: app.db)
        return record
    }

    func testTheNightAtAGlance() async throws {
        let maria = try await makeUser("maria@onspot.example", role: .expert, agency: nil)
        maria.onDuty = true
        maria.phone = "+15550001111"
        try await maria.save(on: app.db)
        for code in ["us-nyc", "br-rio"] {
            let link = ExpertDestination()
            link.$user.id = try maria.requireID()
            link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!.requireID()
            try await link.create(on: app.db)
        }
        try await makeUser("paul@onspot.example", role: .expert, agency: nil)
        // New York: one case unanswered for three days (past any deadline), one answered and held by Maria.
        let late = try await makeCase("us-nyc", openedAgo: 3 * 86400)
        _ = try await makeCase("us-nyc", openedAgo: 600, answered: true, assignee: maria)
        _ = try await makeCase("br-rio", openedAgo: 60)
        let rated = try await makeCase("br-rio", openedAgo: 3600, answered: true, status: .resolved)
        rated.resolvedAt = Date()
        rated.satisfactionRating = 3
        try await rated.save(on: app.db)

        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil, language: .en)
        let admin = try await signedIn("admin@onspot.example")
        let res = try await admin.get("/admin/supervision")
        XCTAssertEqual(res.status, .ok)
        let page = res.body.string
        XCTAssertTrue(
            page.contains(
                #"<tr data-destination="us-nyc" class="breached"><td>New York</td><td class="num open">2</td><td class="num breached-count">1</td><td class="num">1</td>"#
            ), page)
        XCTAssertTrue(page.contains(#"href="/console/cases/\#(late.id!.uuidString)""#), "the longest wait links to its case")
        XCTAssertTrue(page.contains("The traveller waiting longest: New York, for 72 h"), "in the admin's language")
        XCTAssertTrue(
            page.contains(
                #"<tr data-expert="maria@onspot.example"><td>maria</td><td>on duty</td><td class="num holding">1</td><td>New York, Rio de Janeiro</td>"#
            ), page)
        XCTAssertTrue(page.contains(#"data-expert="paul@onspot.example""#))
        XCTAssertTrue(page.range(of: "maria@onspot.example")!.lowerBound < page.range(of: "paul@onspot.example")!.lowerBound, "on duty first")
        XCTAssertTrue(page.contains(#"<td class="num answers">1</td><td class="num satisfied">100 %</td>"#), page)
        let month = try await admin.get("/admin/supervision?month=2026-13")
        XCTAssertEqual(month.status, .unprocessableEntity)
    }

    func testOnlyOnSpotAdminsSupervise() async throws {
        _ = try await makeCase("us-nyc", openedAgo: 600)
        try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let agency = try await makeAgency("A")
        try await makeUser("manager@a.example", role: .agencyAdmin, agency: agency)
        for email in ["expert@onspot.example", "manager@a.example"] {
            let browser = try await signedIn(email)
            let res = try await browser.get("/admin/supervision")
            XCTAssertTrue([.forbidden, .notFound].contains(res.status), "\(email): \(res.status)")
            XCTAssertFalse(res.body.string.contains("supervision-destinations"))
        }
    }
}
