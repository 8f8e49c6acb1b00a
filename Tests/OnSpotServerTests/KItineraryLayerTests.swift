import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 21, the second layer: the real kitinerary-extractor (Debian's libkpimitinerary-bin, which scripts/test.sh
/// installs), given the provider the paste names, finds what our layer does not; the page and the API say which layer
/// found what; a layer that fails leaves the document and our proposals as they were.
final class KItineraryLayerTests: ServerTestCase {
    /// An A&O hostel confirmation from KItinerary's CC0 samples: our layer finds no stay in it, KItinerary's script does.
    static func hostel() throws -> String {
        try String(contentsOf: DocumentFilesTests.fixtures.appendingPathComponent("aohostels-kitinerary-cc0.txt"), encoding: .utf8)
    }

    func testKItinerarysFindingsAreProposedWithTheirLayerAndKeptWithTheDocument() async throws {
        let reader = try XCTUnwrap(CommandLineKItinerary.configured(), "kitinerary-extractor is installed by scripts/test.sh")
        app.kitinerary = reader
        let agency = try await makeAgency("Evasion")
        try await makeUser("agent@evasion.example", role: .agencyAgent, agency: agency)
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul")
        XCTAssertEqual(try Extraction.extract(try Self.hostel(), contextDate: Date()).count, 0, "our layer alone finds nothing")

        let browser = try await signedIn("agent@evasion.example")
        let pasted = try await browser.postMultipart(
            "/trips/\(trip.id!)/documents", fields: [("text", try Self.hostel()), ("documentTitle", "A&O")], files: [])
        XCTAssertEqual(pasted.status, .seeOther, pasted.body.string.prefix(300).description)
        let review = try await browser.get(try XCTUnwrap(pasted.location)).body.string
        XCTAssertTrue(review.contains("class=\"proposal\" data-kind=\"stay\""), "the hostel is proposed")
        XCTAssertTrue(review.contains(">KItinerary</span>"), "found by KItinerary, and said so")
        let document = try await PastedDocument.query(on: app.db).first()
        XCTAssertEqual(document?.kitineraryExtractors, "aohostels")
        // Kept with the document: the proposals read the same when the layer is off later.
        app.kitinerary = nil
        let read = try await app.sendRequest(.GET, "/api/v1/trips/\(trip.id!)/documents/\(document!.id!)", headers: apiHeaders(key))
        let proposals = jsonObject(read)["proposals"] as? [[String: Any]] ?? []
        XCTAssertEqual(proposals.count, 1)
        XCTAssertEqual(proposals.first?["foundBy"] as? [String], ["kitinerary"])
        XCTAssertEqual(proposals.first?["startsAt"] as? String, "2018-08-10T15:00:00+02:00")

        // Through the API, a paste both layers read: the flight is found by both.
        app.kitinerary = reader
        let both = try await app.sendRequest(
            .POST, "/api/v1/trips/\(trip.id!)/documents", headers: apiHeaders(key),
            body: jsonBody(["text": try String(contentsOf: ExtractionTestsFixtures.eurowings, encoding: .utf8)]))
        XCTAssertEqual(both.status, .created, both.body.string)
        let found = (jsonObject(both)["proposals"] as? [[String: Any]] ?? []).compactMap { $0["foundBy"] as? [String] }
        XCTAssertFalse(found.isEmpty)
        XCTAssertTrue(found.allSatisfy { $0 == ["onspot", "kitinerary"] }, "\(found)")
    }

    func testALayerThatFailsLeavesTheDocumentAndOurProposals() async throws {
        app.kitinerary = CommandLineKItinerary(executable: "/bin/false")
        let agency = try await makeAgency("Evasion")
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul")
        let posted = try await app.sendRequest(
            .POST, "/api/v1/trips/\(trip.id!)/documents", headers: apiHeaders(key), body: jsonBody(["text": ExtractionReviewTests.carnet]))
        XCTAssertEqual(posted.status, .created)
        let proposals = jsonObject(posted)["proposals"] as? [[String: Any]] ?? []
        XCTAssertEqual(proposals.count, 3)
        XCTAssertTrue(proposals.allSatisfy { ($0["foundBy"] as? [String]) == ["onspot"] })
        let document = try await PastedDocument.query(on: app.db).first()
        XCTAssertNil(document?.kitineraryOutput)
    }
}

/// The eurowings sample of KItinerary's CC0 data (a booking confirmation both layers read).
enum ExtractionTestsFixtures {
    static let eurowings = DocumentFilesTests.fixtures.appendingPathComponent("eurowings-kitinerary-cc0.txt")
}
