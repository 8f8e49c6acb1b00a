import Foundation
import XCTest
@testable import OnSpotCore

/// Builds a case from durations so each vector reads as the situation it describes.
func flightCase(
    _ journey: [String], carrier: String? = "AF", event: DisruptionEvent = .delay, departure: String = "2026-06-01T08:00:00Z",
    flightHours: Double = 8, delayMinutes: Double? = nil, rerouteLeavesMinutes: Double? = nil, rerouteLateMinutes: Double? = nil,
    noticeDays: Int? = nil, cause: DisruptionCause? = .technical, fare: Amount? = nil, provenLoss: Amount? = nil,
    choice: PassengerChoice? = nil, voluntary: Bool? = nil, carrierFacts: DisruptionCase.CarrierFacts? = nil
) -> DisruptionCase {
    let f = isoFormatter
    let dep = f.date(from: departure)!
    let arr = dep.addingTimeInterval(flightHours * 3600)
    let reroute: DisruptionCase.Reroute? = rerouteLateMinutes.map { late in
        DisruptionCase.Reroute(
            departure: f.string(from: dep.addingTimeInterval((rerouteLeavesMinutes ?? late) * 60)),
            arrival: f.string(from: arr.addingTimeInterval(late * 60)))
    }
    return DisruptionCase(
        journey: journey, operatingCarrier: carrier, carrier: carrierFacts, event: event, scheduledDeparture: f.string(from: dep),
        scheduledArrival: f.string(from: arr), actualArrival: delayMinutes.map { f.string(from: arr.addingTimeInterval($0 * 60)) },
        noticeDays: noticeDays, reroute: reroute, cause: cause, fare: fare, provenLoss: provenLoss, passengerChoice: choice,
        voluntary: voluntary)
}

struct RightsVector {
    let name: String
    /// The article or clause the expectation comes from.
    let source: String
    let input: DisruptionCase
    let regime: String
    let applies: Bool
    let compensation: Decimal?
    var currency: String? = nil
    var reducibleTo: Decimal? = nil
    var refund: Bool? = nil
    var care: [CareItem]? = nil
}

final class PassengerRightsTests: XCTestCase {
    static let vectors: [RightsVector] = [
        // EU261
        .init(
            name: "CDG-YUL 4h30 late, technical", source: "EU261 Art. 7(1)(c); C-402/07 Sturgeon",
            input: flightCase(["CDG", "YUL"], carrier: "AC", delayMinutes: 270), regime: "EU261", applies: true, compensation: 600, currency: "EUR",
            refund: false, care: [.meals, .communication]),
        .init(
            name: "CDG-YUL 3h30 late: may be halved", source: "EU261 Art. 7(2)(c); Sturgeon para. 63",
            input: flightCase(["CDG", "YUL"], delayMinutes: 210), regime: "EU261", applies: true, compensation: 600, reducibleTo: 300),
        .init(
            name: "exactly 3 hours late", source: "EU261 Art. 7(1); Sturgeon (3 hours or more)",
            input: flightCase(["CDG", "YUL"], delayMinutes: 180), regime: "EU261", applies: true, compensation: 600, reducibleTo: 300),
        .init(
            name: "2h59 late: nothing", source: "Sturgeon (under 3 hours)",
            input: flightCase(["CDG", "YUL"], delayMinutes: 179), regime: "EU261", applies: true, compensation: nil),
        .init(
            name: "5 hours late for weather: refund, no compensation", source: "EU261 Art. 5(3), Recital 14; Art. 6(1)(iii)",
            input: flightCase(["CDG", "JFK"], delayMinutes: 300, cause: .weather), regime: "EU261", applies: true, compensation: nil, refund: true),
        .init(
            name: "JFK-CDG on a US carrier: outside scope", source: "EU261 Art. 3(1)(b)",
            input: flightCase(["JFK", "CDG"], carrier: "DL", delayMinutes: 300), regime: "EU261", applies: false, compensation: nil),
        .init(
            name: "JFK-CDG on an EU carrier: covered", source: "EU261 Art. 3(1)(b)",
            input: flightCase(["JFK", "CDG"], carrier: "AF", delayMinutes: 300), regime: "EU261", applies: true, compensation: 600),
        .init(
            name: "Paris-Réunion is intra-Community: band (b)", source: "EU261 Art. 7(1)(b); Art. 349 TFEU",
            input: flightCase(["ORY", "RUN"], carrier: "SS", flightHours: 11, delayMinutes: 300), regime: "EU261", applies: true, compensation: 400),
        .init(
            name: "Paris-Lisbon is band (a)", source: "EU261 Art. 7(1)(a)",
            input: flightCase(["CDG", "LIS"], carrier: "TP", flightHours: 2.5, delayMinutes: 200), regime: "EU261", applies: true, compensation: 250),
        .init(
            name: "cancellation announced 14 days ahead", source: "EU261 Art. 5(1)(c)(i)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, noticeDays: 14), regime: "EU261", applies: true, compensation: nil, refund: true),
        .init(
            name: "13 days ahead, alternative 2h earlier and 3h59 later", source: "EU261 Art. 5(1)(c)(ii)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, rerouteLeavesMinutes: -120, rerouteLateMinutes: 239, noticeDays: 13),
            regime: "EU261", applies: true, compensation: nil),
        .init(
            name: "13 days ahead, alternative 4h later", source: "EU261 Art. 5(1)(c)(ii)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, rerouteLeavesMinutes: 0, rerouteLateMinutes: 240, noticeDays: 13),
            regime: "EU261", applies: true, compensation: 600, reducibleTo: 300),
        .init(
            name: "6 days ahead, alternative 1h earlier and 1h59 later", source: "EU261 Art. 5(1)(c)(iii)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, rerouteLeavesMinutes: -60, rerouteLateMinutes: 119, noticeDays: 6),
            regime: "EU261", applies: true, compensation: nil),
        .init(
            name: "6 days ahead, alternative 2h30 later: halved", source: "EU261 Art. 5(1)(c), 7(2)(c)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, rerouteLeavesMinutes: 0, rerouteLateMinutes: 150, noticeDays: 6),
            regime: "EU261", applies: true, compensation: 600, reducibleTo: 300),
        .init(
            name: "cancelled by an ATC strike", source: "EU261 Art. 5(3), Recital 14",
            input: flightCase(["CDG", "LIS"], event: .cancellation, cause: .atcStrike), regime: "EU261", applies: true, compensation: nil,
            refund: true),
        .init(
            name: "denied boarding, no alternative", source: "EU261 Art. 4(3), 7(1)(c)",
            input: flightCase(["CDG", "YUL"], event: .deniedBoarding, cause: .overbooking), regime: "EU261", applies: true, compensation: 600,
            care: [.meals, .communication]),
        .init(
            name: "volunteer gives up the seat", source: "EU261 Art. 4(1)",
            input: flightCase(["CDG", "YUL"], event: .deniedBoarding, cause: .overbooking, voluntary: true), regime: "EU261", applies: true,
            compensation: nil, refund: true),
        .init(
            name: "cancelled, alternative next day: hotel", source: "EU261 Art. 9(1)(b), 9(1)(c)",
            input: flightCase(["CDG", "YUL"], event: .cancellation, rerouteLeavesMinutes: 1440, rerouteLateMinutes: 1440), regime: "EU261",
            applies: true, compensation: 600, care: [.meals, .communication, .hotel, .transport]),
        .init(
            name: "crew shortage is not extraordinary", source: "C-156/22 TAP Portugal",
            input: flightCase(["CDG", "YUL"], delayMinutes: 360, cause: .crew), regime: "EU261", applies: true, compensation: 600, refund: true),
        .init(
            name: "own staff strike is not extraordinary", source: "C-195/17 Krüsemann; C-28/20 Airhelp",
            input: flightCase(["CDG", "YUL"], delayMinutes: 300, cause: .airlineStaffStrike), regime: "EU261", applies: true, compensation: 600),
        .init(
            name: "bird strike is extraordinary", source: "C-315/15 Pešková",
            input: flightCase(["CDG", "YUL"], delayMinutes: 300, cause: .birdStrike), regime: "EU261", applies: true, compensation: nil),
        // UK261
        .init(
            name: "LHR-JFK 4h30 late", source: "UK261 Art. 7(1)(c)",
            input: flightCase(["LHR", "JFK"], carrier: "BA", delayMinutes: 270), regime: "UK261", applies: true, compensation: 520, currency: "GBP"),
        .init(
            name: "LHR-CDG 3h late", source: "UK261 Art. 7(1)(a)",
            input: flightCase(["LHR", "CDG"], carrier: "BA", flightHours: 1.25, delayMinutes: 180), regime: "UK261", applies: true, compensation: 220),
        .init(
            name: "LHR-CDG on BA: EU261 does not apply", source: "EU261 Art. 3(1)",
            input: flightCase(["LHR", "CDG"], carrier: "BA", flightHours: 1.25, delayMinutes: 180), regime: "EU261", applies: false, compensation: nil
        ),
        .init(
            name: "JFK-LHR on an American carrier: outside UK261", source: "UK261 Art. 3(1)(b)",
            input: flightCase(["JFK", "LHR"], carrier: "AA", delayMinutes: 300), regime: "UK261", applies: false, compensation: nil),
        // APPR
        .init(
            name: "CDG-YUL on Air Canada 4h late, crew", source: "APPR s. 19(1)(a)(i)",
            input: flightCase(["CDG", "YUL"], carrier: "AC", delayMinutes: 240, cause: .crew), regime: "APPR", applies: true, compensation: 400,
            currency: "CAD"),
        .init(
            name: "exactly 6 hours late", source: "APPR s. 19(1)(a)(ii)",
            input: flightCase(["CDG", "YUL"], carrier: "AC", delayMinutes: 360, cause: .crew), regime: "APPR", applies: true, compensation: 700),
        .init(
            name: "exactly 9 hours late", source: "APPR s. 19(1)(a)(iii)",
            input: flightCase(["CDG", "YUL"], carrier: "AC", delayMinutes: 540, cause: .crew), regime: "APPR", applies: true, compensation: 1000),
        .init(
            name: "small carrier 3h late", source: "APPR s. 19(1)(b)(i)",
            input: flightCase(
                ["YUL", "YQB"], carrier: "XX", flightHours: 1, delayMinutes: 180, cause: .crew,
                carrierFacts: .init(country: "CA", canadaSize: .small)), regime: "APPR", applies: true, compensation: 125),
        .init(
            name: "refund chosen instead of travelling", source: "APPR s. 19(2)(a)",
            input: flightCase(["YUL", "CDG"], carrier: "AC", event: .cancellation, cause: .crew, choice: .refund), regime: "APPR", applies: true,
            compensation: 400, refund: true),
        .init(
            name: "weather delay: outside control", source: "APPR s. 10(1), s. 18",
            input: flightCase(["YUL", "CDG"], carrier: "AC", delayMinutes: 600, cause: .weather), regime: "APPR", applies: true, compensation: nil,
            refund: true),
        .init(
            name: "mechanical problem: required for safety", source: "APPR s. 11, s. 14",
            input: flightCase(["YUL", "CDG"], carrier: "AC", delayMinutes: 300, cause: .technical), regime: "APPR", applies: true, compensation: nil,
            care: [.meals, .communication]),
        .init(
            name: "denied boarding, 7 hours late", source: "APPR s. 20(1)(b)",
            input: flightCase(["YUL", "CDG"], carrier: "AC", event: .deniedBoarding, rerouteLateMinutes: 420, cause: .overbooking),
            regime: "APPR", applies: true, compensation: 1800),
        .init(
            name: "cancellation announced 14 days ahead", source: "APPR s. 12(2)(d)",
            input: flightCase(["YUL", "CDG"], carrier: "AC", event: .cancellation, rerouteLateMinutes: 600, noticeDays: 14, cause: .crew),
            regime: "APPR", applies: true, compensation: nil),
        // US DOT
        .init(
            name: "domestic bump, 1h30 later, $300 fare", source: "14 CFR 250.5(a)(2)",
            input: flightCase(
                ["JFK", "LAX"], carrier: "AA", event: .deniedBoarding, flightHours: 6, rerouteLateMinutes: 90, cause: .overbooking,
                fare: Amount(300, "USD")), regime: "US_DOT", applies: true, compensation: 600, currency: "USD"),
        .init(
            name: "domestic bump, exactly 2 hours later", source: "14 CFR 250.5(a)(3)",
            input: flightCase(
                ["JFK", "LAX"], carrier: "AA", event: .deniedBoarding, flightHours: 6, rerouteLateMinutes: 120, cause: .overbooking,
                fare: Amount(300, "USD")), regime: "US_DOT", applies: true, compensation: 1200),
        .init(
            name: "400% capped at $2,150 from 22 January 2025", source: "14 CFR 250.5(a)(3); 89 FR 84815",
            input: flightCase(
                ["JFK", "LAX"], carrier: "AA", event: .deniedBoarding, flightHours: 6, rerouteLateMinutes: 300, cause: .overbooking,
                fare: Amount(800, "USD")), regime: "US_DOT", applies: true, compensation: 2150),
        .init(
            name: "international bump 3h later, capped at $1,075", source: "14 CFR 250.5(b)(2)",
            input: flightCase(
                ["JFK", "CDG"], carrier: "DL", event: .deniedBoarding, rerouteLateMinutes: 180, cause: .overbooking,
                fare: Amount(700, "USD")), regime: "US_DOT", applies: true, compensation: 1075),
        .init(
            name: "2024 flight: earlier caps", source: "14 CFR 250.5(a)(3); 86 FR 2534",
            input: flightCase(
                ["JFK", "LAX"], carrier: "AA", event: .deniedBoarding, departure: "2024-06-01T08:00:00Z", flightHours: 6,
                rerouteLateMinutes: 300, cause: .overbooking, fare: Amount(800, "USD")), regime: "US_DOT", applies: true, compensation: 1550),
        .init(
            name: "arriving within the hour", source: "14 CFR 250.5(a)(1)",
            input: flightCase(
                ["JFK", "LAX"], carrier: "AA", event: .deniedBoarding, flightHours: 6, rerouteLateMinutes: 60, cause: .overbooking,
                fare: Amount(300, "USD")), regime: "US_DOT", applies: true, compensation: nil),
        .init(
            name: "domestic delay of 3 hours: refund", source: "14 CFR 260.2, 260.6",
            input: flightCase(["JFK", "LAX"], carrier: "AA", flightHours: 6, delayMinutes: 180), regime: "US_DOT", applies: true, compensation: nil,
            refund: true),
        .init(
            name: "domestic delay of 2h59: no refund", source: "14 CFR 260.2",
            input: flightCase(["JFK", "LAX"], carrier: "AA", flightHours: 6, delayMinutes: 179), regime: "US_DOT", applies: true, compensation: nil,
            refund: false),
        // Brazil
        .init(
            name: "domestic denied boarding", source: "ANAC Res. 400 art. 24 I",
            input: flightCase(["GRU", "GIG"], carrier: "G3", event: .deniedBoarding, flightHours: 1, cause: .overbooking), regime: "BR_ANAC400",
            applies: true, compensation: 250, currency: "XDR"),
        .init(
            name: "international denied boarding", source: "ANAC Res. 400 art. 24 II",
            input: flightCase(["CDG", "GIG"], event: .deniedBoarding, flightHours: 11, cause: .overbooking), regime: "BR_ANAC400",
            applies: true, compensation: 500),
        .init(
            name: "delay 4h30: choice of refund", source: "ANAC Res. 400 art. 21, 27",
            input: flightCase(["GRU", "GIG"], carrier: "G3", flightHours: 1, delayMinutes: 270), regime: "BR_ANAC400", applies: true,
            compensation: nil, refund: true, care: [.meals, .communication]),
        .init(
            name: "delay 1h30: communication only", source: "ANAC Res. 400 art. 27 I",
            input: flightCase(["GRU", "GIG"], carrier: "G3", flightHours: 1, delayMinutes: 90), regime: "BR_ANAC400", applies: true,
            compensation: nil, refund: false, care: [.communication]),
        // Mexico
        .init(
            name: "3-hour delay: 7.5% of the fare", source: "LAC art. 47 Bis fr. II",
            input: flightCase(["MEX", "CUN"], carrier: "Y4", flightHours: 2, delayMinutes: 180, fare: Amount(2000, "MXN")), regime: "MX",
            applies: true, compensation: 150, currency: "MXN"),
        .init(
            name: "4-hour delay: 25% and refund", source: "LAC art. 47 Bis fr. III",
            input: flightCase(["MEX", "CUN"], carrier: "Y4", flightHours: 2, delayMinutes: 240, fare: Amount(2000, "MXN")), regime: "MX",
            applies: true, compensation: 500, refund: true),
        .init(
            name: "weather: not the airline's fault", source: "LAC art. 47 Bis",
            input: flightCase(["MEX", "CUN"], carrier: "Y4", flightHours: 2, delayMinutes: 300, cause: .weather, fare: Amount(2000, "MXN")),
            regime: "MX", applies: true, compensation: nil),
        // Australia and New Zealand
        .init(
            name: "Australia: no statutory compensation", source: "ACL ss. 60–62, 267",
            input: flightCase(["SYD", "MEL"], carrier: "QF", event: .cancellation, flightHours: 1.5), regime: "AU", applies: true,
            compensation: nil, refund: true),
        .init(
            name: "NZ domestic: ten times the fare", source: "Civil Aviation Act 2023 s. 277",
            input: flightCase(
                ["AKL", "ZQN"], carrier: "NZ", flightHours: 2, delayMinutes: 600, fare: Amount(200, "NZD"),
                provenLoss: Amount(3000, "NZD")), regime: "NZ", applies: true, compensation: 2000, currency: "NZD"),
        .init(
            name: "NZ domestic: proven loss below the cap", source: "Civil Aviation Act 2023 s. 277",
            input: flightCase(
                ["AKL", "ZQN"], carrier: "NZ", flightHours: 2, delayMinutes: 600, fare: Amount(200, "NZD"),
                provenLoss: Amount(500, "NZD")), regime: "NZ", applies: true, compensation: 500),
        .init(
            name: "NZ 2024 flight under the 1990 Act", source: "Civil Aviation Act 1990 s. 91ZC",
            input: flightCase(
                ["AKL", "ZQN"], carrier: "NZ", departure: "2024-06-01T08:00:00Z", flightHours: 2, delayMinutes: 600,
                fare: Amount(200, "NZD"), provenLoss: Amount(500, "NZD")), regime: "NZ", applies: true, compensation: 500),
        .init(
            name: "NZ weather: no liability", source: "Civil Aviation Act 2023 s. 274",
            input: flightCase(
                ["AKL", "ZQN"], carrier: "NZ", flightHours: 2, delayMinutes: 600, cause: .weather, fare: Amount(200, "NZD"),
                provenLoss: Amount(500, "NZD")), regime: "NZ", applies: true, compensation: nil),
        .init(
            name: "AKL-SYD is not NZ domestic", source: "Civil Aviation Act 2023 s. 274",
            input: flightCase(["AKL", "SYD"], carrier: "NZ", flightHours: 3, delayMinutes: 600), regime: "NZ", applies: false, compensation: nil)
    ]

    func testVectors() throws {
        XCTAssertGreaterThanOrEqual(Self.vectors.count, 40)
        for v in Self.vectors {
            let result = try RightsCalculator.assess(v.input)
            let a = try XCTUnwrap(result.regime(v.regime), v.name)
            let label = "\(v.name) [\(v.source)]"
            XCTAssertEqual(a.applies, v.applies, label)
            XCTAssertEqual(a.compensation?.amount, v.compensation, label)
            if let currency = v.currency { XCTAssertEqual(a.compensation?.currency, currency, label) }
            if let r = v.reducibleTo {
                XCTAssertEqual(a.reducibleTo?.amount, r, label)
            } else if v.compensation != nil {
                if v.reducibleTo == nil && v.name.contains("halved") { XCTFail(label) }
            }
            if let refund = v.refund { XCTAssertEqual(a.refund, refund, label) }
            if let care = v.care { XCTAssertEqual(a.care, care, label) }
            XCTAssertFalse(a.basis.isEmpty, label)
        }
    }

    func testBandBoundariesAtExactly1500And3500Kilometres() {
        let eu = EU261.eu
        XCTAssertEqual(EU261.band(distanceKm: 1500, intraCommunity: false, variant: eu).letter, "a")
        XCTAssertEqual(EU261.band(distanceKm: 1500.001, intraCommunity: false, variant: eu).letter, "b")
        XCTAssertEqual(EU261.band(distanceKm: 3500, intraCommunity: false, variant: eu).letter, "b")
        XCTAssertEqual(EU261.band(distanceKm: 3500.001, intraCommunity: false, variant: eu).letter, "c")
        XCTAssertEqual(EU261.band(distanceKm: 9000, intraCommunity: true, variant: eu).letter, "b")
        XCTAssertEqual(EU261.band(distanceKm: 9000, intraCommunity: true, variant: EU261.uk).letter, "c", "UK261 has no intra-Community band")
    }

    func testDistanceIsGreatCircleFromFirstOriginToFinalDestination() throws {
        let direct = try RightsCalculator.assess(flightCase(["CDG", "YUL"], delayMinutes: 200))
        XCTAssertEqual(direct.distanceKm, 5524, accuracy: 10)
        let viaConnection = try RightsCalculator.assess(flightCase(["CDG", "JFK", "YUL"], delayMinutes: 200))
        XCTAssertEqual(viaConnection.distanceKm, direct.distanceKm, "the connection does not add distance (C-559/16 Bossen)")
    }

    func testDelayAcrossTheEndOfDaylightSavingIsCountedInRealTime() throws {
        // 01:30 EDT and 03:30 EST on 1 November 2026 are three hours apart although the clocks show two.
        var c = flightCase(["CDG", "JFK"], delayMinutes: 0)
        c.scheduledDeparture = "2026-10-31T21:00:00+01:00"
        c.scheduledArrival = "2026-11-01T01:30:00-04:00"
        c.actualArrival = "2026-11-01T03:30:00-05:00"
        let result = try RightsCalculator.assess(c)
        XCTAssertEqual(result.regime("EU261")?.compensation?.amount, 600)
    }

    func testInvalidInputNamesTheField() {
        var c = flightCase(["CDG", "ZZZ"], delayMinutes: 200)
        c.scheduledArrival = "tomorrow"
        XCTAssertThrowsError(try RightsCalculator.assess(c)) { error in
            guard case RightsError.invalid(let errors) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(Set(errors.map(\.field)), ["journey[1]", "scheduledArrival"])
        }
        var noActual = flightCase(["CDG", "YUL"], delayMinutes: nil)
        noActual.event = .delay
        XCTAssertThrowsError(try RightsCalculator.assess(noActual))
    }

    func testContractJSONRoundTrip() throws {
        let json = #"""
            {"journey":["CDG","YUL"],"operatingCarrier":"AC","carrier":{"country":"CA","canadaSize":"large"},"event":"delay",
             "scheduledDeparture":"2026-06-01T10:00:00+02:00","scheduledArrival":"2026-06-01T11:40:00-04:00",
             "actualArrival":"2026-06-01T16:10:00-04:00","cause":"technical"}
            """#
        let input = try JSONDecoder().decode(DisruptionCase.self, from: Data(json.utf8))
        let output = try RightsCalculator.assess(input)
        let data = try JSONEncoder().encode(output)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(object["distanceKm"] as? Int, output.distanceKm)
        let eu = (object["assessments"] as! [[String: Any]]).first { $0["regime"] as? String == "EU261" }!
        XCTAssertEqual((eu["compensation"] as? [String: Any])?["amount"] as? Int, 600)
        XCTAssertEqual((eu["compensation"] as? [String: Any])?["currency"] as? String, "EUR")
        let us = (object["assessments"] as! [[String: Any]]).first { $0["regime"] as? String == "US_DOT" }!
        XCTAssertTrue(us["compensation"] is NSNull, "compensation is written as null when none is due")
        XCTAssertNil(us["reducibleTo"])
        XCTAssertNil(output.regime("APPR")?.compensation, "a mechanical problem is required for safety (APPR s. 11): no compensation")
    }
}

final class RightsJSONTests: XCTestCase {
    func testSingleCaseAndArrayAndErrors() throws {
        let one =
            #"{"journey":["CDG","YUL"],"operatingCarrier":"AC","event":"cancellation","scheduledDeparture":"2026-06-01T10:00:00+02:00","scheduledArrival":"2026-06-01T11:40:00-04:00","noticeDays":3,"cause":"crew"}"#
        let (out, ok) = RightsJSON.process(Data(one.utf8))
        XCTAssertTrue(ok)
        let object = try JSONSerialization.jsonObject(with: out) as! [String: Any]
        XCTAssertEqual(Double(object["distanceKm"] as? Int ?? 0), 5524, accuracy: 10)
        let (many, allOK) = RightsJSON.process(
            Data("[\(one), {\"journey\":[\"CDG\"],\"event\":\"delay\",\"scheduledDeparture\":\"x\",\"scheduledArrival\":\"y\"}]".utf8))
        XCTAssertFalse(allOK)
        let array = try JSONSerialization.jsonObject(with: many) as! [[String: Any]]
        XCTAssertEqual(array.count, 2)
        XCTAssertNotNil(array[0]["assessments"])
        XCTAssertEqual(
            Set(((array[1]["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }),
            ["journey", "scheduledDeparture", "scheduledArrival", "actualArrival"])
        let (garbage, garbageOK) = RightsJSON.process(Data("{not json".utf8))
        XCTAssertFalse(garbageOK)
        XCTAssertTrue(String(decoding: garbage, as: UTF8.self).contains("not valid JSON"))
        let (huge, hugeOK) = RightsJSON.process(Data(count: RightsJSON.maximumInputBytes + 1))
        XCTAssertFalse(hugeOK)
        XCTAssertTrue(String(decoding: huge, as: UTF8.self).contains("larger than"))
    }
}
