import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 16, cases read-only: a CRM reads what happened on the agency's trips — category, times, service-level
/// outcome, resolution summary, costs and approvals, satisfaction — page by page with a cursor, and never another
/// agency's cases.
final class ApiCasesTests: ServerTestCase {
    var smtp: SMTPStandIn!

    override func setUp() async throws {
        try await super.setUp()
        smtp = try SMTPStandIn()
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
    }

    override func tearDown() async throws {
        smtp.stop()
        try await super.tearDown()
    }

    func makeCase(_ agency: Agency, _ trip: Trip, destination: String = "us-nyc", status: CaseStatus, openedAt: Date) async throws -> CaseRecord {
        let place = try await DestinationRecord.query(on: app.db).filter(\.$code == destination).first()
        let c = CaseRecord()
        c.agencyID = agency.id; c.tripID = trip.id; c.travellerID = trip.travellerLinks.first?.$traveller.id
        c.destinationID = place?.id; c.category = .carRental; c.priority = .normal; c.status = status
        c.safetyFlag = false; c.recordingRefused = false; c.openedAt = openedAt
        try await c.create(on: app.db)
        return c
    }

    func get(_ path: String, _ key: String) async throws -> XCTHTTPResponse {
        try await app.sendRequest(.GET, path, headers: apiHeaders(key))
    }

    func ids(_ res: XCTHTTPResponse) -> [String] { (jsonObject(res)["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }

    func testACaseCarriesItsCostsApprovalsServiceLevelAndSatisfaction() async throws {
        let agency = try await makeAgency("Horizon")
        let key = try await makeApiKey(for: agency)
        let rules = ScopeDomain.allCases.map { d -> ScopeRule in
            d == .carRental
                ? ScopeRule(domain: d, level: .actWithinCap, capMinorUnits: 30_000) : ScopeRule(domain: d, level: .actAfterApproval, capMinorUnits: 0)
        }
        _ = try await ScopeService.saveVersion(ScopeOfAction(rules: rules), agencyID: agency.requireID(), by: nil, on: app.db)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-2604")
        let record = try await makeCase(agency, trip, status: .inProgress, openedAt: Date().addingTimeInterval(-3600))
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try user.requireID()
        link.$destination.id = record.destinationID!
        try await link.create(on: app.db)
        let expert = try await signedIn("expert@onspot.example")
        _ = try await expert.get("/console/cases/\(record.id!)")
        let base = ["domain": "car_rental", "supplier": "Hertz JFK", "purpose": "Replacement car", "currency": "EUR"]
        _ = try await expert.post("/console/cases/\(record.id!)/costs", form: base.merging(["amount": "120"]) { $1 })
        _ = try await expert.post(
            "/console/cases/\(record.id!)/costs", form: base.merging(["domain": "accommodation", "supplier": "Hilton", "amount": "90"]) { $1 })
        let resolved = try await expert.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Voiture remplacée chez Hertz JFK."])
        XCTAssertEqual(resolved.status, .seeOther, resolved.body.string)
        let stored = try await CaseRecord.find(record.id, on: app.db)
        stored?.satisfactionRating = 3; stored?.satisfactionComment = "Parfait"; stored?.satisfactionAnsweredAt = Date()
        try await stored?.save(on: app.db)

        let res = try await get("/api/v1/cases/\(record.id!)", key)
        XCTAssertEqual(res.status, .ok, res.body.string)
        let c = jsonObject(res)
        XCTAssertEqual(c["status"] as? String, "resolved")
        XCTAssertEqual(c["destination"] as? String, "us-nyc")
        XCTAssertEqual(c["tripID"] as? String, trip.id?.uuidString)
        XCTAssertEqual(c["resolutionSummary"] as? String, "Voiture remplacée chez Hertz JFK.")
        let costs = c["costs"] as? [[String: Any]] ?? []
        XCTAssertEqual(costs.map { $0["outcome"] as? String }, ["allowed", "needs_approval"])
        XCTAssertEqual(costs.first?["amountMinor"] as? Int, 12_000)
        let approvals = c["approvals"] as? [[String: Any]] ?? []
        XCTAssertEqual(approvals.count, 1)
        XCTAssertEqual(approvals.first?["status"] as? String, "pending")
        XCTAssertEqual(approvals.first?["supplier"] as? String, "Hilton")
        let sla = c["sla"] as? [String: Any] ?? [:]
        XCTAssertNotNil(sla["resolutionDue"], "the plan's target, in the destination's hours")
        XCTAssertNotNil(sla["resolutionMet"], "known once resolved")
        let satisfaction = c["satisfaction"] as? [String: Any] ?? [:]
        XCTAssertEqual(satisfaction["rating"] as? Int, 3)
        XCTAssertEqual(satisfaction["comment"] as? String, "Parfait")
        XCTAssertNil(c["messages"], "the conversation stays between the traveller and the expert")

        // Another agency sees none of it.
        let other = try await makeAgency("Other")
        let otherKey = try await makeApiKey(for: other)
        let hidden = try await get("/api/v1/cases/\(record.id!)", otherKey)
        XCTAssertEqual(hidden.status, .notFound)
        let read1 = ids(try await get("/api/v1/cases", otherKey))
        XCTAssertEqual(read1, [])
        let read2 = ids(try await get("/api/v1/cases?trip=\(trip.id!.uuidString)", otherKey))
        XCTAssertEqual(read2, [])
    }

    func testPagesFollowTheCursorWithoutRepeatOrGapAndFiltersHold() async throws {
        let agency = try await makeAgency("Horizon")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400))
        let second = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-2 * 86400), reference: "T-2")
        // Times to the microsecond, as cases really open: a cursor must not lose or repeat any of them.
        let now = Date().addingTimeInterval(-60)
        var made: [CaseRecord] = []
        for i in 0..<5 {
            // Two cases opened at the same instant: the id decides between them, and neither is skipped.
            let at = now.addingTimeInterval(-Double(i == 2 ? 1 : i) * 600)
            made.append(try await makeCase(agency, i == 4 ? second : trip, status: i == 0 ? .resolved : .new, openedAt: at))
        }
        let westCoast = try await makeCase(agency, trip, destination: "us-lax", status: .new, openedAt: now.addingTimeInterval(-7200))

        var seen: [String] = []
        var path: String? = "/api/v1/cases?limit=2"
        var pages = 0
        while let next = path {
            let res = try await get(next, key)
            XCTAssertEqual(res.status, .ok, res.body.string)
            seen += ids(res)
            path = jsonObject(res)["next"] as? String
            pages += 1
            XCTAssertLessThan(pages, 10)
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.count, 6)
        XCTAssertEqual(Set(seen).count, 6, "no case twice")
        XCTAssertEqual(seen.first, made[0].id!.uuidString, "newest first")

        let read3 = ids(try await get("/api/v1/cases?status=resolved", key))
        XCTAssertEqual(read3, [made[0].id!.uuidString])
        let read4 = ids(try await get("/api/v1/cases?trip=\(second.id!.uuidString)", key))
        XCTAssertEqual(read4, [made[4].id!.uuidString])
        let read5 = ids(try await get("/api/v1/cases?destination=us-lax", key))
        XCTAssertEqual(read5, [westCoast.id!.uuidString])
        let recent = ids(
            try await get(
                "/api/v1/cases?openedFrom=\(isoString(now.addingTimeInterval(-900)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                key))
        XCTAssertEqual(Set(recent), Set(made.prefix(3).map { $0.id!.uuidString }), "the two opened ten minutes ago included")
        // Filters carry on in the next link, an offset's "+" included.
        let since = isoString(now.addingTimeInterval(-86400), "Europe/Paris").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var filteredPath: String? = "/api/v1/cases?status=new&limit=1&openedFrom=\(since)"
        var filteredSeen: [String] = []
        while let next = filteredPath {
            let res = try await get(next, key)
            XCTAssertEqual(res.status, .ok, "\(next): \(res.body.string)")
            filteredSeen += ids(res)
            filteredPath = jsonObject(res)["next"] as? String
            if let following = filteredPath { XCTAssertTrue(following.contains("status=new") && following.contains("%2B"), following) }
            if filteredSeen.count > 10 { break }
        }
        XCTAssertEqual(Set(filteredSeen), Set((made.dropFirst() + [westCoast]).map { $0.id!.uuidString }))

        for bad in [
            "status=lost", "trip=HZ-2604", "destination=zz-nowhere", "limit=0", "limit=101", "cursor=bm90LWEtY3Vyc29y", "openedFrom=yesterday",
            "openedBefore=", "cursor="
        ] {
            let res = try await get("/api/v1/cases?\(bad)", key)
            XCTAssertEqual(res.status, .unprocessableEntity, bad)
            XCTAssertEqual(res.headers.contentType?.description.hasPrefix("application/problem+json"), true, bad)
        }
    }
}
