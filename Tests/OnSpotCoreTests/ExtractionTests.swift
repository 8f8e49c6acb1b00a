import Foundation
import XCTest
@testable import OnSpotCore

/// The deterministic layer of issue 7 against KItinerary's CC0 samples (Fixtures/kitinerary): boarding passes and
/// schema.org JSON-LD, with the output KItinerary gives as the expectation.
final class ExtractionTests: XCTestCase {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/kitinerary")
    static let context = ISO8601DateFormatter().date(from: "2018-06-01T12:00:00Z")!

    func expected(_ path: String) throws -> [JSONValue] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(path))
        guard case .array(let items) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [] }
        return items
    }

    func testEveryBoardingPassSampleDecodesAsKItineraryDoes() throws {
        let names = ["easyjet", "iata-resolution792-example1", "iata-resolution792-example2", "iata-resolution792-example3", "minimal",
                     "missing-eticket-indicator"]
        for name in names {
            let want = try XCTUnwrap(expected("bcbpdata/\(name).json").first, name)
            let token = try XCTUnwrap(want["reservedTicket"]?["ticketToken"]?.string, name)
            // Pasted as an agent would: inside a sentence, after a label.
            let paste = "Voici la carte d'embarquement du client :\n" + token.replacingOccurrences(of: "aztecCode:", with: "BCBP ") + "\nMerci"
            let got = try XCTUnwrap(Extraction.extract(paste, contextDate: Self.context).first, name)
            for path in [["reservationNumber"], ["reservationFor", "flightNumber"], ["reservationFor", "airline", "iataCode"],
                         ["reservationFor", "departureAirport", "iataCode"], ["reservationFor", "arrivalAirport", "iataCode"],
                         ["reservationFor", "departureDay"], ["underName", "familyName"], ["underName", "givenName"]] {
                let w = path.reduce(Optional(want)) { $0?[$1] }
                let g = path.reduce(Optional(got)) { $0?[$1] }
                XCTAssertEqual(g, w, "\(name): \(path.joined(separator: "."))")
            }
            XCTAssertEqual(got["airplaneSeat"], want["airplaneSeat"], "\(name): seat")
        }
    }

    func testConditionalSectionsAndMultipleLegs() throws {
        let two = "M2DOE/JANE            EABC123 CDGJFKAF 0006 150Y012A0001 100DEF456 JFKLAXAA 0101 151Y023C0002 100"
        let pass = try XCTUnwrap(BoardingPass.decode(two))
        XCTAssertEqual(pass.legs.map(\.from), ["CDG", "JFK"])
        XCTAssertEqual(pass.legs.map(\.flightNumber), ["6", "101"])
        XCTAssertEqual(pass.legs[1].pnr, "DEF456")
        let found = try Extraction.extract(two, contextDate: Self.context)
        XCTAssertEqual(found.count, 2)
        XCTAssertEqual(found[1]["reservationFor"]?["departureDay"]?.string, "2018-05-31")
        let withFrequentFlyer = try XCTUnwrap(BoardingPass.decode(
            "M1GRANDMAIRE/MELANIE  EABC123 GVACDGAF 0123 339C002F0025 130>5002A0571234567890  AF AF 1234567890123456    Y^108ABCDEFGH"))
        XCTAssertEqual(withFrequentFlyer.legs[0].frequentFlyer, "1234567890123456")
        XCTAssertEqual(withFrequentFlyer.legs[0].marketingCarrier, "AF")
    }

    func testJSONLDBlocksAreFoundInPagesEvenWithBrokenJSON() throws {
        for name in ["google-flight-reservation-json-ld", "google-json-ld", "hotel-json-ld-fallback", "eventbrite-broken-json"] {
            let html = try String(contentsOf: Self.fixtures.appendingPathComponent("structureddata/\(name).html"), encoding: .utf8)
            let got = try Extraction.extract(html, contextDate: Self.context)
            let want = try expected("structureddata/\(name).json")
            XCTAssertEqual(got.map { $0["@type"]?.string }, want.map { $0["@type"]?.string }, name)
            XCTAssertEqual(got.first?["reservationNumber"], want.first?["reservationNumber"], name)
        }
    }

    /// Random and mutated input: never a crash, never a runaway, and a clear refusal above the size limit.
    func testRandomAndMutatedInputNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        let seeds = ["M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 167>5321WW1325BAC 0014123456002001412346700100141234789012A0141234567890 1AC AC 1234567890123    4PCYLX58Z^108ABCDEFGH",
                     #"<script type="application/ld+json">{"@type":"FlightReservation","reservationNumber":"X","reservationFor":{"@type":"Flight"}}</script>"#]
        let alphabet = Array("M1>/ ^{}[]\",:<>0123456789ABCDEFabcdef\n\té")
        for _ in 0..<3000 {
            var chars = Array(seeds.randomElement(using: &generator)!)
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let i = Int.random(in: 0..<chars.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: chars[i] = alphabet.randomElement(using: &generator)!
                case 1: chars.remove(at: i); if chars.isEmpty { chars = ["M"] }
                default: chars.insert(alphabet.randomElement(using: &generator)!, at: i)
                }
            }
            _ = try Extraction.extract(String(chars), contextDate: Self.context)
        }
        let long = String(repeating: "M1 /", count: 250_000)
        let start = Date()
        _ = try Extraction.extract(long, contextDate: Self.context)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "a megabyte of near-passes is not pathological")
        XCTAssertThrowsError(try Extraction.extract(String(repeating: "x", count: Extraction.maximumInputCharacters + 1))) {
            XCTAssertEqual($0 as? Extraction.Failure, .tooLarge(Extraction.maximumInputCharacters))
        }
    }
}
