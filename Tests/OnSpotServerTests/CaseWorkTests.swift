import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// The expert's work on a case: notes, assignment, transfer, linking an unknown sender to a trip, SLA clocks, duty.
final class CaseWorkTests: GraphTestCase {
    var record: CaseRecord!
    var browser: TestBrowser!

    override func setUp() async throws {
        try await super.setUp()
        record = try await openCase()
        browser = try await expert(covering: ["us-nyc"])
        _ = try await browser.get("/console/cases/\(record.id!)")
    }

    func testNotesStayInternalAndBadNotesAreRefused() async throws {
        let empty = try await browser.post("/console/cases/\(record.id!)/notes", form: ["body": "  "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        let long = try await browser.post("/console/cases/\(record.id!)/notes", form: ["body": String(repeating: "n", count: 4001)])
        XCTAssertEqual(long.status, .unprocessableEntity)
        let added = try await browser.post("/console/cases/\(record.id!)/notes", form: ["body": "Hertz JFK rappelle à 15 h, dossier 88412."])
        XCTAssertEqual(added.status, .seeOther)
        let page = try await browser.get("/console/cases/\(record.id!)")
        XCTAssertTrue(page.body.string.contains("Hertz JFK rappelle à 15 h, dossier 88412."))
        try await sent()
        XCTAssertTrue(graph.requests.isEmpty, "a note never reaches the traveller")
        let count = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).count()
        XCTAssertEqual(count, 0)
    }

    func testAssignOnlyToAnExpertCoveringTheDestinationAndTransfer() async throws {
        let colleague = try await makeUser("colleague@onspot.example", role: .expert, agency: nil)
        let outsider = try await makeUser("outsider@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try colleague.requireID()
        link.$destination.id = record.destinationID!
        try await link.create(on: app.db)
        let refused = try await browser.post("/console/cases/\(record.id!)/assign", form: ["assignee": outsider.id!.uuidString])
        XCTAssertEqual(refused.status, .unprocessableEntity, "the outsider does not cover New York")
        let garbage = try await browser.post("/console/cases/\(record.id!)/assign", form: ["assignee": "nobody"])
        XCTAssertEqual(garbage.status, .unprocessableEntity)
        let assigned = try await browser.post("/console/cases/\(record.id!)/assign", form: ["assignee": colleague.id!.uuidString])
        XCTAssertEqual(assigned.status, .seeOther)
        var saved = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(saved.assigneeID, colleague.id)
        XCTAssertEqual(saved.status, .inProgress)
        let unknown = try await browser.post("/console/cases/\(record.id!)/transfer", form: ["destination": "zz-nowhere"])
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        let moved = try await browser.post("/console/cases/\(record.id!)/transfer", form: ["destination": "us-bos"])
        XCTAssertEqual(moved.status, .seeOther)
        XCTAssertEqual(moved.headers.first(name: .location), "/console", "the case left this expert's cover")
        saved = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertNil(saved.assigneeID)
        let gone = try await browser.get("/console/cases/\(record.id!)")
        XCTAssertEqual(gone.status, .notFound)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "case.transferred").count()
        XCTAssertEqual(audit, 1)
    }

    func testAnUnknownSenderIsLinkedToTheirTripByReference() async throws {
        let agency = try await makeAgency("Horizon")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-7788")
        _ = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), destination: "br-rio", reference: "HZ-9999")
        let page = try await browser.get("/console/cases/\(record.id!)")
        XCTAssertTrue(page.body.string.contains(#"id="link-form""#), "offered while the sender is unknown")
        let wrong = try await browser.post("/console/cases/\(record.id!)/link", form: ["reference": "HZ-0000"])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        let elsewhere = try await browser.post("/console/cases/\(record.id!)/link", form: ["reference": "HZ-9999"])
        XCTAssertEqual(elsewhere.status, .unprocessableEntity, "a trip to Rio is not this New York case's")
        let otherName = try await browser.post("/console/cases/\(record.id!)/link", form: ["reference": "HZ-7788", "lastName": "Dupont"])
        XCTAssertEqual(otherName.status, .unprocessableEntity)
        let linked = try await browser.post("/console/cases/\(record.id!)/link", form: ["reference": "HZ-7788", "lastName": "traveller"])
        XCTAssertEqual(linked.status, .seeOther)
        let saved = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(saved.agencyID, agency.id)
        XCTAssertEqual(saved.tripID, trip.id)
        let conversation = try await Conversation.find(record.conversationID, on: app.db)!
        XCTAssertTrue(conversation.identified)
        XCTAssertEqual(conversation.travellerID, trip.travellerLinks[0].$traveller.id)
        let again = try await browser.post("/console/cases/\(record.id!)/link", form: ["reference": "HZ-7788"])
        XCTAssertEqual(again.status, .unprocessableEntity, "already linked")
        // The agency sees the case and its resolution on the trip's page.
        _ = try await browser.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Rebooked on the 18:00 flight."])
        try await makeUser("agent@horizon.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@horizon.example")
        let tripPage = try await agent.get("/trips/\(trip.id!)")
        XCTAssertTrue(tripPage.body.string.contains(#"data-case="\#(record.id!)""#))
        XCTAssertTrue(tripPage.body.string.contains("Rebooked on the 18:00 flight."))
    }

    func testExpertsOutsideTheDestinationCannotWorkTheCase() async throws {
        let rio = try await makeUser("rio@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try rio.requireID()
        link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!.requireID()
        try await link.create(on: app.db)
        let other = try await signedIn("rio@onspot.example")
        for (path, form) in [
            ("notes", ["body": "x"]), ("assign", ["assignee": rio.id!.uuidString]), ("transfer", ["destination": "br-rio"]),
            ("link", ["reference": "X"])
        ] {
            let res = try await other.post("/console/cases/\(record.id!)/\(path)", form: form)
            XCTAssertEqual(res.status, .notFound, path)
        }
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let res = try await agent.post("/console/cases/\(record.id!)/notes", form: ["body": "x"])
        XCTAssertEqual(res.status, .notFound)
        let notes = try await CaseNote.query(on: app.db).count()
        XCTAssertEqual(notes, 0)
    }

    func testSLAClocksRunOnlyInOpeningHours() throws {
        // New York open 08:00–20:00 every day; opened at 19:50 local with 15 minutes to answer: due 08:05 the next morning.
        let zone = TimeZone(identifier: "America/New_York")!
        let hours = OpeningHours.everyDay(OpeningHours.parseSlots("08:00-20:00")!)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let opened = cal.date(from: DateComponents(year: 2026, month: 7, day: 3, hour: 19, minute: 50))!
        let due = hours.deadline(after: opened, openMinutes: 15, in: zone)
        XCTAssertEqual(due, cal.date(from: DateComponents(year: 2026, month: 7, day: 4, hour: 8, minute: 5)))
        // Christmas is closed: opened on 24 December at 19:55, the clock resumes on the 26th.
        let christmasEve = cal.date(from: DateComponents(year: 2026, month: 12, day: 24, hour: 19, minute: 55))!
        XCTAssertEqual(
            hours.deadline(after: christmasEve, openMinutes: 10, in: zone),
            cal.date(from: DateComponents(year: 2026, month: 12, day: 26, hour: 8, minute: 5)))
        // Across the spring-forward night the wall clock still reads 08:05.
        let beforeDST = cal.date(from: DateComponents(year: 2026, month: 3, day: 7, hour: 19, minute: 55))!
        XCTAssertEqual(
            hours.deadline(after: beforeDST, openMinutes: 10, in: zone),
            cal.date(from: DateComponents(year: 2026, month: 3, day: 8, hour: 8, minute: 5)))
        XCTAssertEqual(hours.deadline(after: opened, openMinutes: 0, in: zone), opened)
        XCTAssertNil(OpeningHours(weekly: [:]).deadline(after: opened, openMinutes: 5, in: zone), "never open: no deadline rather than a wrong one")
    }

    func testOnDutyNeedsAValidPhone() async throws {
        let noPhone = try await browser.post("/console/duty", form: ["onDuty": "on"])
        XCTAssertEqual(noPhone.status, .unprocessableEntity)
        let badPhone = try await browser.post("/console/duty", form: ["phone": "call me", "onDuty": "on"])
        XCTAssertEqual(badPhone.status, .unprocessableEntity)
        let ok = try await browser.post("/console/duty", form: ["phone": "+1 212 555 0142", "onDuty": "on"])
        XCTAssertEqual(ok.status, .seeOther)
        let user = try await User.query(on: app.db).filter(\.$email == "expert@onspot.example").first()!
        XCTAssertEqual(user.phone, "+12125550142")
        XCTAssertTrue(user.onDuty)
    }

    func testTheExpertMovesTheCaseBetweenWorkingStates() async throws {
        let waiting = try await browser.post(
            "/console/cases/\(record.id!)/classify",
            form: ["category": "flight_disruption", "priority": "high", "status": "waiting_for_traveller"])
        XCTAssertEqual(waiting.status, .seeOther)
        var saved = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(saved.status, .waitingForTraveller)
        XCTAssertEqual(saved.category, .flightDisruption)
        let resolvedByTheBackDoor = try await browser.post(
            "/console/cases/\(record.id!)/classify",
            form: ["category": "other", "priority": "normal", "status": "resolved"])
        XCTAssertEqual(resolvedByTheBackDoor.status, .unprocessableEntity, "resolving needs its summary")
        saved = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(saved.status, .waitingForTraveller)
    }
}

final class MailRetryTests: ServerTestCase {
    func testAFailedMailIsRetriedWithBackoffUntilItGoesThrough() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        app.clock.set(start)
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: 9, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        try await makeUser("u@x.example", role: .expert, agency: nil)
        _ = try await TestBrowser(app: app).post("/password/forgot", form: ["email": "u@x.example"])
        var n = try await NotificationRecord.query(on: app.db).first()!
        XCTAssertEqual(n.status, .failed)
        XCTAssertEqual(n.attempts, 1)
        let due = try XCTUnwrap(n.nextAttemptAt)
        XCTAssertEqual(due, start.addingTimeInterval(60), "first retry a minute later")
        let early = try await Mailer.retryDue(app: app, now: app.clock.now())
        XCTAssertEqual(early, 0, "not before it is due")
        let smtp = try SMTPStandIn()
        defer { smtp.stop() }
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        let sent = try await Mailer.retryDue(app: app, now: due.addingTimeInterval(1))
        XCTAssertEqual(sent, 1)
        n = try await NotificationRecord.find(n.id, on: app.db)!
        XCTAssertEqual(n.status, .sent)
        XCTAssertEqual(n.attempts, 2)
        XCTAssertEqual(smtp.messages.first?.to, ["<u@x.example>"])
        let again = try await Mailer.retryDue(app: app, now: due.addingTimeInterval(3600))
        XCTAssertEqual(again, 0, "sent once")
    }
}
