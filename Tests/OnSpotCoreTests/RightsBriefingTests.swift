import Foundation
import XCTest
@testable import OnSpotCore

final class RightsBriefingTests: XCTestCase {
    func testAFlightSegmentGivesTheJourneyCarrierAndLocalTimes() throws {
        let departure = try XCTUnwrap(isoFormatter.date(from: "2026-07-01T10:30:00+02:00"))
        let arrival = try XCTUnwrap(isoFormatter.date(from: "2026-07-01T13:05:00-07:00"))
        let flight = try XCTUnwrap(RightsBriefing.flight(text: "AF 066 Paris CDG → Los Angeles LAX", departure: departure, arrival: arrival))
        XCTAssertEqual(flight.journey, ["CDG", "LAX"])
        XCTAssertEqual(flight.operatingCarrier, "AF")
        XCTAssertEqual(flight.scheduledDeparture, "2026-07-01T10:30:00+02:00")
        XCTAssertEqual(flight.scheduledArrival, "2026-07-01T13:05:00-07:00")
    }

    func testConnectionsJoinedFlightNumbersAndMissingAirports() throws {
        let connecting = try XCTUnwrap(RightsBriefing.flight(text: "LH1035 CDG-FRA / LH400 FRA-JFK", departure: nil, arrival: nil))
        XCTAssertEqual(connecting.journey, ["CDG", "FRA", "JFK"], "the repeated FRA counts once")
        XCTAssertEqual(connecting.operatingCarrier, "LH")
        XCTAssertEqual(connecting.scheduledDeparture, "")
        XCTAssertNil(RightsBriefing.flight(text: "Vol Air France pour Montréal", departure: nil, arrival: nil), "no IATA codes, nothing to prefill")
        XCTAssertNil(RightsBriefing.flight(text: "Paris CDG", departure: nil, arrival: nil))
        let lowercase = RightsBriefing.flight(text: "the cdg lax flight", departure: nil, arrival: nil)
        XCTAssertNil(lowercase, "only upper-case codes are read, so ordinary words are not taken for airports")
        XCTAssertNil(RightsBriefing.flight(text: "CDG JFK", departure: nil, arrival: nil)?.operatingCarrier)
    }

    func testThePackIsFoundByTheSuppliersNameNotByGenericWords() throws {
        let packs = Array(try ConditionsEngine.bundled().packs.values)
        XCTAssertEqual(RightsBriefing.pack(in: ["Votre séjour réservé sur lastminute.com, dossier 12345"], among: packs), "lastminute-sejour")
        XCTAssertEqual(RightsBriefing.pack(in: ["Billets WeOpera – La Traviata"], among: packs), "mnk-weopera")
        XCTAssertNil(RightsBriefing.pack(in: ["Séjour à New York, voir nos CGV. Sejour confirmé."], among: packs))
        XCTAssertNil(RightsBriefing.pack(in: [], among: packs))
    }

    func assessment(_ journey: [String], delayHours: Double) throws -> RightsAssessment {
        var c = DisruptionCase(
            journey: journey, event: .delay, scheduledDeparture: "2026-07-01T10:30:00+02:00",
            scheduledArrival: "2026-07-01T13:05:00-07:00")
        c.operatingCarrier = "AF"
        c.actualArrival = LocalDateTime.iso8601(
            isoFormatter.date(from: c.scheduledArrival)!.addingTimeInterval(delayHours * 3600),
            in: TimeZone(identifier: "America/Los_Angeles")!)
        return try RightsCalculator.assess(c)
    }

    func testTheSummarySpeaksTheTravellersLanguageAndCitesItsSources() throws {
        let rights = try assessment(["CDG", "LAX"], delayHours: 5)
        let eu = try XCTUnwrap(rights.regime("EU261"))
        XCTAssertEqual(eu.compensation, Amount(600, "EUR"))
        let fr = RightsBriefing.summary(journey: ["CDG", "LAX"], event: .delay, rights: rights, conditions: nil, language: .fr)
        XCTAssertTrue(fr.contains("Vos droits pour le vol CDG → LAX (retard)"), fr)
        XCTAssertTrue(fr.contains("Règlement (CE) 261/2004 (\(eu.basis.joined(separator: ", "))): indemnisation de 600,00 EUR"), fr)
        XCTAssertFalse(fr.contains("UK261"), "regimes that do not apply are left out")
        let pt = RightsBriefing.summary(journey: ["CDG", "LAX"], event: .delay, rights: rights, conditions: nil, language: .pt)
        XCTAssertTrue(pt.contains("indenização de"), pt)
        let en = RightsBriefing.summary(
            journey: ["CDG", "LAX"], event: .delay, rights: try assessment(["CDG", "LAX"], delayHours: 1),
            conditions: nil, language: .en)
        XCTAssertFalse(en.contains("compensation of"), "an hour late gives no compensation: \(en)")
        XCTAssertTrue(en.hasSuffix(L10n.t("rights.disclaimer", .en)))
    }

    func testTheSummaryStatesTheBookingConditions() throws {
        var request = ConditionsRequest(pack: "mnk-weopera", event: "traveller_cancellation")
        request.eventDate = "2026-06-20"
        request.departure = "2026-07-01"
        request.price = Amount(2000, "EUR")
        let conditions = try ConditionsEngine.bundled().assess(request)
        let en = RightsBriefing.summary(journey: [], event: .delay, rights: nil, conditions: conditions, language: .en)
        XCTAssertTrue(en.contains("Your booking conditions (mnk-weopera):"), en)
        XCTAssertTrue(en.contains("charges of EUR 2,000.00"), en)
        XCTAssertTrue(en.contains("13.1.b"), en)
        XCTAssertFalse(en.contains("Your rights for flight"))
        let pack = try XCTUnwrap(try ConditionsEngine.bundled().packs["mnk-weopera"])
        let fr = RightsBriefing.summary(journey: [], event: .delay, rights: nil, conditions: conditions, pack: pack, language: .fr)
        XCTAssertTrue(fr.contains("Conditions de votre réservation (\(pack.title(in: .fr))) :"), "named by its French title: \(fr)")
    }

    func testEverySummaryKeyIsTranslated() {
        for key in L10n.keys where key.hasPrefix("rights.") || key.hasPrefix("conditions.") {
            for language in Language.allCases { XCTAssertFalse(L10n.t(key, language).isEmpty, key) }
        }
        for regime in ["EU261", "UK261", "APPR", "US_DOT", "BR_ANAC400", "MX", "AU", "NZ"] {
            XCTAssertNotEqual(L10n.t("rights.regime.\(regime)", .fr), "rights.regime.\(regime)")
        }
        for option in ["accept", "cancel_free", "refund", "reroute", "alternative_trip"] {
            XCTAssertNotEqual(L10n.t("conditions.option.\(option)", .pt), "conditions.option.\(option)")
        }
    }
}
