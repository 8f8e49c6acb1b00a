import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 7: the deterministic layer against KItinerary's CC0 samples (Fixtures/kitinerary: boarding passes, JSON-LD and
/// microdata, with the output KItinerary gives as the expectation), and the text layer against our own corpus
/// (Fixtures/corpus: confirmations written as agents paste them, each with its expected JSON-LD).
final class ExtractionTests: XCTestCase {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/kitinerary")
    static let context = ISO8601DateFormatter().date(from: "2018-06-01T12:00:00Z")!

    func expected(_ path: String) throws -> [JSONValue] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(path))
        guard case .array(let items) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [] }
        return items
    }

    func testEveryBoardingPassSampleDecodesAsKItineraryDoes() throws {
        let names = [
            "easyjet", "iata-resolution792-example1", "iata-resolution792-example2", "iata-resolution792-example3", "minimal",
            "missing-eticket-indicator"
        ]
        for name in names {
            let want = try XCTUnwrap(expected("bcbpdata/\(name).json").first, name)
            let token = try XCTUnwrap(want["reservedTicket"]?["ticketToken"]?.string, name)
            // Pasted as an agent would: inside a sentence, after a label.
            let paste = "Voici la carte d'embarquement du client :\n" + token.replacingOccurrences(of: "aztecCode:", with: "BCBP ") + "\nMerci"
            let got = try XCTUnwrap(Extraction.extract(paste, contextDate: Self.context).first, name)
            for path in [
                ["reservationNumber"], ["reservationFor", "flightNumber"], ["reservationFor", "airline", "iataCode"],
                ["reservationFor", "departureAirport", "iataCode"], ["reservationFor", "arrivalAirport", "iataCode"],
                ["reservationFor", "departureDay"], ["underName", "familyName"], ["underName", "givenName"]
            ] {
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
        let withFrequentFlyer = try XCTUnwrap(
            BoardingPass.decode(
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

    func testMicrodataIsReadLikeJSONLD() throws {
        let html = try String(contentsOf: Self.fixtures.appendingPathComponent("structureddata/google-microdata.html"), encoding: .utf8)
        let got = try Extraction.extract(html, contextDate: Self.context)
        let want = try XCTUnwrap(expected("structureddata/google-microdata.json").first)
        XCTAssertEqual(got.count, 1, "the microdata and the text under it describe one reservation")
        let event = try XCTUnwrap(got.first)
        XCTAssertEqual(event["@type"], want["@type"])
        XCTAssertEqual(event["reservationNumber"], want["reservationNumber"])
        XCTAssertEqual(event["underName"]?["name"], want["underName"]?["name"])
        XCTAssertEqual(event["reservationFor"]?["name"], want["reservationFor"]?["name"])
        XCTAssertEqual(event["reservationFor"]?["startDate"], want["reservationFor"]?["startDate"])
        XCTAssertEqual(event["reservationFor"]?["location"]?["address"]?["addressLocality"], .string("San Francisco"))
        // Google's older property names become the current ones.
        let old =
            #"<div itemscope itemtype="http://schema.org/LodgingReservation"><meta itemprop="reservationNumber" content="H1"/>"#
            + #"<div itemprop="reservationFor" itemscope itemtype="http://schema.org/LodgingBusiness"><span itemprop="name">Hôtel &amp; Spa</span></div>"#
            + #"<meta itemprop="checkinDate" content="2026-07-16"/><meta itemprop="checkoutDate" content="2026-07-23"/></div>"#
        let lodging = try XCTUnwrap(Extraction.extract(old, contextDate: Self.context).first)
        XCTAssertEqual(lodging["checkinTime"], .string("2026-07-16"))
        XCTAssertEqual(lodging["reservationFor"]?["name"], .string("Hôtel & Spa"))
    }

    static let corpus = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/corpus")

    /// Every document of our corpus gives exactly its expected reservations: every value the expected JSON-LD holds, at the
    /// same place (names without case, titles or word order). scripts/extraction-eval.py prints the same comparison as
    /// per-field precision and recall, with KItinerary's samples and kitinerary-extractor beside it. The blind batches
    /// (b1-, b2-: issue 21) are measured by that script, not required here: they hold what the extractor does not do yet.
    func testOwnCorpusGivesTheExpectedReservations() throws {
        let index = try String(contentsOf: Self.corpus.appendingPathComponent("index.tsv"), encoding: .utf8)
        var documents = 0
        let blind = try NSRegularExpression(pattern: #"^b\d+-"#)
        for line in index.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("../") {
            let entry = String(line)
            if blind.firstMatch(in: entry, range: NSRange(location: 0, length: (entry as NSString).length)) != nil { continue }
            let fields = line.split(separator: "\t").map(String.init)
            let name = fields[0]
            let text = try String(contentsOf: Self.corpus.appendingPathComponent(name), encoding: .utf8)
            let context = try XCTUnwrap(Extraction.contextDate(fields[1]))
            let wantData = try Data(contentsOf: Self.corpus.appendingPathComponent(name.replacingOccurrences(of: ".txt", with: ".json")))
            guard case .array(let want) = try JSONDecoder().decode(JSONValue.self, from: wantData) else { return XCTFail(name) }
            var got = try Extraction.extract(text, contextDate: context)
            XCTAssertEqual(got.count, want.count, "\(name): number of reservations")
            for expectedReservation in want {
                let leaves = Self.leaves(expectedReservation)
                let match = got.firstIndex { candidate in leaves.allSatisfy { Self.same($0.path, $0.value, Self.value(at: $0.path, in: candidate)) } }
                if let match { got.remove(at: match); continue }
                let closest = got.filter { $0["@type"] == expectedReservation["@type"] }
                    .max { a, b in
                        leaves.filter { Self.same($0.path, $0.value, Self.value(at: $0.path, in: a)) }.count
                            < leaves.filter { Self.same($0.path, $0.value, Self.value(at: $0.path, in: b)) }.count
                    }
                let wrong = leaves.compactMap { leaf -> String? in
                    let got = closest.flatMap { Self.value(at: leaf.path, in: $0) }
                    return Self.same(leaf.path, leaf.value, got)
                        ? nil : "\(leaf.path.joined(separator: ".")): want \(leaf.value), got \(got ?? "nothing")"
                }
                XCTFail("\(name): \(wrong.joined(separator: "; "))")
            }
            documents += 1
        }
        XCTAssertGreaterThanOrEqual(documents, 20, "the issue asks for at least 20 confirmations of our own")
    }

    static func leaves(_ value: JSONValue, path: [String] = []) -> [(path: [String], value: String)] {
        switch value {
        case .object(let o): return o.filter { !$0.key.hasPrefix("@") }.flatMap { leaves($0.value, path: path + [$0.key]) }
        case .string(let s): return [(path, s)]
        default: return []
        }
    }

    static func value(at path: [String], in item: JSONValue) -> String? { path.reduce(Optional(item)) { $0?[$1] }?.string }

    static func same(_ path: [String], _ want: String, _ got: String?) -> Bool {
        guard let got else { return false }
        if path.last == "name", path.first == "underName" {
            func words(_ s: String) -> [String] {
                s.lowercased().split(separator: " ").map(String.init).filter { !["m.", "mme", "mr", "mrs", "ms", "sr.", "sra."].contains($0) }
                    .sorted()
            }
            return words(want) == words(got)
        }
        return want == got
    }

    func testOvernightFlightsLandOnTheRightDayAndYearsFollowTheContext() throws {
        let december = try XCTUnwrap(Extraction.contextDate("2026-12-20"))
        // No year: early January after a December context is next year's.
        let gds = "  1 AF 022 Y 05JAN 2 CDGJFK HK1  1030 1305\n  2 AF 023 Y 12JAN 2 JFKCDG HK1  1830 0745"
        let flights = try Extraction.extract(gds, contextDate: december)
        XCTAssertEqual(flights.map { $0["reservationFor"]?["departureTime"]?.string }, ["2027-01-05T10:30:00+01:00", "2027-01-12T18:30:00-05:00"])
        // Landing "before" take-off in local time: the next morning.
        XCTAssertEqual(flights[1]["reservationFor"]?["arrivalTime"]?.string, "2027-01-13T07:45:00+01:00")
        // Westbound across the date line the arrival is two days later, as the document says.
        let pacific = "Vol NZ 1 Los Angeles (LAX) -> Auckland (AKL)\nDépart le 3 mars 2027 à 21h30, arrivée le 5 mars 2027 à 07h35"
        let nz = try XCTUnwrap(Extraction.extract(pacific, contextDate: december).first)
        XCTAssertEqual(nz["reservationFor"]?["departureTime"]?.string, "2027-03-03T21:30:00-08:00")
        XCTAssertEqual(nz["reservationFor"]?["arrivalTime"]?.string, "2027-03-05T07:35:00+13:00")
    }

    func testIncompleteFindingsAreProposedOnlyWithWhatTheAgentMustAdd() throws {
        // A flight number with no airports and a hotel with no dates nor reference are dropped; a car with no return is
        // proposed (issue 21, never nothing) with its missing return marked for the agent.
        let paste = "Vol AF 090 confirmé.\nHôtel : Le Germain\nAdresse : 2050, rue Mansfield, Montréal\nHertz - prise en charge : 16/07/2026"
        let found = try Extraction.extract(paste, contextDate: Self.context)
        XCTAssertEqual(found.map { $0["@type"]?.string }, ["RentalCarReservation"])
        XCTAssertEqual(found.first.map(Extraction.missingFields), ["dropoffTime"])
        XCTAssertEqual(found.first?["reservationFor"]?["rentalCompany"]?["name"]?.string, "Hertz")
    }

    /// Random and mutated input: never a crash, never a runaway, and a clear refusal above the size limit.
    func testRandomAndMutatedInputNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        let seeds =
            [
                "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 167>5321WW1325BAC 0014123456002001412346700100141234789012A0141234567890 1AC AC 1234567890123    4PCYLX58Z^108ABCDEFGH",
                #"<script type="application/ld+json">{"@type":"FlightReservation","reservationNumber":"X","reservationFor":{"@type":"Flight"}}</script>"#,
                #"<div itemscope itemtype="http://schema.org/EventReservation"><meta itemprop="name" content="x"/><span itemprop="reservationFor" itemscope itemtype="http://schema.org/Event">y</span></div>"#
            ]
            + (try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".txt") }.sorted().prefix(12)
                .map { try String(contentsOf: Self.corpus.appendingPathComponent($0), encoding: .utf8) })
        let alphabet = Array("M1>/ ^{}[]\",:<>0123456789ABCDEFabcdef\n\té()-+h")
        for _ in 0..<2000 {
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
        // The text layer on a megabyte of near-confirmations: flight numbers, dates, labels and times on long lines.
        let noisy = String(repeating: "Vol AF 090 Départ : 14/07/2026 10:35 Paris (CDG) -> Miami (MIA) Arrivée 14:50 Hôtel : X ", count: 2_000)
        let textStart = Date()
        _ = try Extraction.extract(String(repeating: noisy + "\n", count: 5), contextDate: Self.context)
        XCTAssertLessThan(Date().timeIntervalSince(textStart), 30, "long lines of near-confirmations are not pathological")
        XCTAssertThrowsError(try Extraction.extract(String(repeating: "x", count: Extraction.maximumInputCharacters + 1), contextDate: Self.context))
        {
            XCTAssertEqual($0 as? Extraction.Failure, .tooLarge(Extraction.maximumInputCharacters))
        }
    }
}
