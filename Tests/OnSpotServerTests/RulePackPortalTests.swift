import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class RulePackPortalTests: ServerTestCase {
    static let supplierPack = """
        id: hotel-soleil
        title: Hôtel Soleil group bookings
        currency: EUR
        versions:
          - version: "2026"
            effectiveFrom: 2026-01-01
            source: contract 2026
            events:
              traveller_cancellation:
                rule: steps_on_price
                kind: cancellation_penalty
                clause: "Art. 6"
                steps:
                  - moreThan: {days: 14}
                    percent: 10
                    clause: "6.1"
                  - percent: 60
                    clause: "6.2"
        """

    func testAnAgencyUploadsItsSuppliersPackAndOnlyItUsesIt() async throws {
        // setup
        let a = try await makeAgency("A")
        let b = try await makeAgency("B")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: a)
        try await makeUser("admin@b.example", role: .agencyAdmin, agency: b)
        let browser = try await signedIn("admin@a.example")
        let page = try await browser.get("/conditions")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("mnk-weopera"), "shipped packs are listed")
        // MUT: a broken pack is refused with its line and field, and nothing is stored
        let broken = Self.supplierPack.replacingOccurrences(of: "percent: 60", with: "percent: sixty")
        let refused = try await browser.post("/conditions", form: ["yaml": broken])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("upload.yaml:17: versions[0].events.traveller_cancellation.steps[1].percent"), refused.body.string)
        XCTAssertTrue(refused.body.string.contains("percent: sixty"), "what was pasted is kept for correction")
        let none = try await AgencyRulePack.query(on: app.db).count()
        XCTAssertEqual(none, 0)
        let shadowing = try await browser.post(
            "/conditions", form: ["yaml": Self.supplierPack.replacingOccurrences(of: "id: hotel-soleil", with: "id: mnk-weopera")])
        XCTAssertEqual(shadowing.status, .unprocessableEntity)
        let saved = try await browser.post("/conditions", form: ["yaml": Self.supplierPack])
        XCTAssertEqual(saved.status, .seeOther)

        // validate: agency A's systems use it, agency B's do not see it
        let body: [String: Any] = [
            "pack": "hotel-soleil", "event": "traveller_cancellation", "eventDate": "2026-05-01",
            "departure": "2026-05-10", "price": ["amount": 1000, "currency": "EUR"]
        ]
        let keyA = try await makeApiKey(for: a)
        let resA = try await app.sendRequest(.POST, "/api/v1/conditions/assessments", headers: apiHeaders(keyA), body: jsonBody(body))
        XCTAssertEqual(resA.status, .ok, resA.body.string)
        XCTAssertEqual((jsonObject(resA)["charges"] as? [[String: Any]])?.first?["amount"] as? Int, 600)
        let keyB = try await makeApiKey(for: b)
        let resB = try await app.sendRequest(.POST, "/api/v1/conditions/assessments", headers: apiHeaders(keyB), body: jsonBody(body))
        XCTAssertEqual(resB.status, .unprocessableEntity)
        let other = try await signedIn("admin@b.example")
        let pageB = try await other.get("/conditions")
        XCTAssertFalse(pageB.body.string.contains("hotel-soleil"))
        let stored = try await AgencyRulePack.query(on: app.db).first()!
        let deleteByB = try await other.post("/conditions/\(stored.id!)/delete", form: [:])
        XCTAssertEqual(deleteByB.status, .notFound)
        _ = try await browser.get("/conditions")
        let deleted = try await browser.post("/conditions/\(stored.id!)/delete", form: [:])
        XCTAssertEqual(deleted.status, .seeOther)
        let left = try await AgencyRulePack.query(on: app.db).count()
        XCTAssertEqual(left, 0)
    }
}
