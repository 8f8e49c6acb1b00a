import Foundation
import XCTest

@testable import OnSpotCore

/// Issue 14: what FlightAware and the CAP feeds send, read into OnSpot's terms, and the places a trip is matched by.
final class AlertSourcesTests: XCTestCase {
    static let callback = """
        {"long_description":"…","short_description":"AFR66 LFPG-KLAX cancelled","summary":"AFR66 cancelled","event_code":"cancelled","alert_id":7845123,
         "flight":{"fa_flight_id":"AFR66-1795942800-airline-1042","ident":"AFR66","ident_icao":"AFR66","ident_iata":"AF66",
          "origin":"LFPG","origin_icao":"LFPG","origin_iata":"CDG","destination":"KLAX","destination_iata":"LAX","cancelled":true,"diverted":false,
          "scheduled_out":"2026-12-01T09:20:00Z","estimated_out":null,"actual_out":null,"scheduled_in":"2026-12-01T21:05:00Z",
          "gate_origin":"L45","terminal_origin":"2E"}}
        """

    func testACallbackWritesItsAirportsAsCodesAndTheFlightsListAsObjects() throws {
        let callback = try FlightAwareCallback.parse(Data(Self.callback.utf8))
        XCTAssertEqual(callback.eventCode, "cancelled")
        XCTAssertEqual(callback.alertID, 7_845_123)
        XCTAssertEqual(callback.flight.originCode, "CDG")
        XCTAssertEqual(callback.flight.destinationCode, "LAX")
        XCTAssertEqual(callback.flight.shownIdent, "AF66")
        let list = """
            {"flights":[{"ident":"AFR66","ident_iata":"AF66","origin":{"code":"LFPG","code_iata":"CDG","timezone":"Europe/Paris"},
             "destination":{"code":"KLAX","code_iata":"LAX","timezone":"America/Los_Angeles"},"scheduled_out":"2026-12-01T09:20:00Z",
             "actual_out":"2026-12-01T13:15:00Z","scheduled_in":"2026-12-01T21:05:00Z","estimated_in":"2026-12-02T01:05:00Z",
             "departure_delay":14100,"arrival_delay":14400,"cancelled":false,"diverted":false}],"links":null,"num_pages":1}
            """
        let flight = try XCTUnwrap(try FlightAwareFlights.parse(Data(list.utf8)).first)
        XCTAssertEqual(flight.origin?.timezone, "Europe/Paris")
        XCTAssertEqual(flight.arrivalDelayMinutes, 240)
        XCTAssertEqual(
            FlightDisruption.detect(flight, knownGate: nil, knownTerminal: nil, thresholds: FlightAlertThresholds()), [.arrivalDelay(minutes: 240)],
            "it has left: its late departure is no longer news")
    }

    func testBadCallbacksSayWhatIsWrong() {
        XCTAssertThrowsError(try FlightAwareCallback.parse(Data(#"{"event_code":"cancelled"}"#.utf8))) { error in
            XCTAssertTrue(String(describing: error).contains("flight"), String(describing: error))
        }
        XCTAssertThrowsError(try FlightAwareCallback.parse(Data(#"{"flight":{"scheduled_out":"yesterday"}}"#.utf8))) { error in
            XCTAssertTrue(String(describing: error).contains("scheduled_out"), String(describing: error))
        }
        XCTAssertThrowsError(try FlightAwareCallback.parse(Data(repeating: 32, count: 70_000))) { error in
            XCTAssertEqual(error as? FlightAwareCallback.ParseError, .tooLarge)
        }
    }

    func testDisruptionsAreNamedOncePerChange() throws {
        var flight = FlightStatus()
        flight.scheduledOut = Date(timeIntervalSince1970: 0)
        flight.estimatedOut = Date(timeIntervalSince1970: 150 * 60)
        flight.gateOrigin = "K42"
        flight.terminalOrigin = "2E"
        let thresholds = FlightAlertThresholds(departureDelayMinutes: 60, arrivalDelayMinutes: 60)
        let found = FlightDisruption.detect(flight, knownGate: "L45", knownTerminal: "2E", thresholds: thresholds)
        XCTAssertEqual(found, [.departureDelay(minutes: 150), .gateChange(from: "L45", to: "K42")])
        XCTAssertEqual(found.map(\.key), ["departure_delay:2h", "gate:K42"])
        flight.estimatedOut = Date(timeIntervalSince1970: 170 * 60)
        XCTAssertEqual(
            FlightDisruption.detect(flight, knownGate: "K42", knownTerminal: nil, thresholds: thresholds).map(\.key), ["departure_delay:2h"])
        flight.estimatedOut = Date(timeIntervalSince1970: 30 * 60)
        XCTAssertEqual(
            FlightDisruption.detect(flight, knownGate: nil, knownTerminal: nil, thresholds: thresholds), [], "under the threshold, first gate known")
        flight.cancelled = true
        XCTAssertEqual(FlightDisruption.detect(flight, knownGate: "A1", knownTerminal: nil, thresholds: thresholds), [.cancelled])
    }

    func testTheWatchedFlightIsReadFromTheSegment() {
        let departure = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(
            FlightWatchTarget.read(text: "AF 066 Paris CDG → Los Angeles LAX", departure: departure),
            FlightWatchTarget(ident: "AF66", origin: "CDG", destination: "LAX", departure: departure))
        XCTAssertEqual(FlightWatchTarget.read(text: "TS0110 YUL-CDG", departure: departure)?.ident, "TS110")
        XCTAssertNil(FlightWatchTarget.read(text: "Air France CDG → LAX", departure: departure), "no number, nothing to watch")
        XCTAssertNil(FlightWatchTarget.read(text: "AF 066 Paris CDG → Los Angeles LAX", departure: nil))
    }

    func testAFeedEmbedsAlertsOrLinksToThem() throws {
        let alert = """
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>GDACS_TC_1</identifier><sender>info-gdacs@gdacs.org</sender>
            <sent>2026-12-01T12:00:00-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
            <info><event>Tropical Cyclone</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Likely</certainty>
            <expires>2026-12-05T00:00:00-00:00</expires><area><areaDesc>Polygon</areaDesc><polygon>24,-78 26,-78 26,-76 24,-76 24,-78</polygon></area></info></alert>
            """
        let rss =
            "<rss version=\"2.0\"><channel><item><title>TC</title>\(alert)</item><item><link>https://example.org/cap/2.xml</link></item></channel></rss>"
        let reading = try CAPFeed.read(Data(rss.utf8))
        XCTAssertEqual(reading.alerts.map(\.identifier), ["GDACS_TC_1"])
        XCTAssertEqual(reading.links, ["https://example.org/cap/2.xml"])
        XCTAssertEqual(reading.alerts.first?.sent, ISO8601DateFormatter().date(from: "2026-12-01T12:00:00Z"), "CAP's -00:00 is UTC")
        XCTAssertTrue(reading.alerts.first?.covers(GeoPoint(latitude: 25.06, longitude: -77.35)!) == true)
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><link rel="alternate" type="text/html" href="https://example.org/1.html"/>
            <link rel="related" type="application/cap+xml" href="https://example.org/1.cap"/></entry>
            <entry><id>2</id><link href="javascript:alert(1)"/></entry></feed>
            """
        XCTAssertEqual(try CAPFeed.read(Data(atom.utf8)).links, ["https://example.org/1.cap"], "the CAP link first; no other scheme")
        XCTAssertThrowsError(try CAPFeed.read(Data("<html><body>maintenance</body></html>".utf8)))
        XCTAssertThrowsError(try CAPFeed.read(Data("not xml".utf8)))
    }

    func testAMessageNamedBeyondWhatIsKeptIsRefusedAndTheOthersRead() throws {
        let long = String(repeating: "x", count: CAPAlert.maximumNameLength + 1)
        let cap = """
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>\(long)</identifier><sender>s</sender>
            <sent>2026-12-01T12:00:00+00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope></alert>
            """
        XCTAssertThrowsError(try CAPAlert.parse(Data(cap.utf8))) { error in
            XCTAssertEqual((error as? CAPAlert.ParseError).map { if case .invalid(let element, _) = $0 { element } else { "" } }, "identifier")
        }
        func feature(_ id: String) -> String {
            #"{"geometry":null,"properties":{"id":"\#(id)","sent":"2026-12-01T10:00:00-05:00","status":"Actual","messageType":"Alert","severity":"Severe","certainty":"Likely","urgency":"Immediate","event":"Flood Warning","sender":"w-nws.webmaster@noaa.gov"}}"#
        }
        let reading = try NWSAlerts.parse(Data(#"{"features":[\#(feature(long)),\#(feature("urn:oid:1"))]}"#.utf8))
        XCTAssertEqual(reading.alerts.map(\.identifier), ["urn:oid:1"])
        XCTAssertEqual(reading.problems.count, 1)
        XCTAssertTrue(reading.problems.first?.hasPrefix("feature 0: CAP <identifier>") == true, String(describing: reading.problems))
    }

    func testStoredAreasReadBackTheSameAcrossTheAntimeridian() throws {
        // A Pacific cyclone's cone from 178°E to 176°W around Fiji and Tonga.
        let polygon = try XCTUnwrap(GeoPolygon(capPolygon: "-20,178 -20,-176 -14,-176 -14,178 -20,178"))
        let area = CAPAlert.Area(description: "Fiji", polygons: [polygon], circles: [GeoCircle(capCircle: "-17,179 50")!])
        let stored = StoredAlertAreas([area])
        let back = try JSONDecoder().decode(StoredAlertAreas.self, from: try JSONEncoder().encode(stored)).capAreas
        let inside = try XCTUnwrap(GeoPoint(latitude: -17, longitude: -179))
        let outside = try XCTUnwrap(GeoPoint(latitude: -17, longitude: 170))
        XCTAssertTrue(back[0].contains(inside))
        XCTAssertFalse(back[0].contains(outside))
        let box = try XCTUnwrap(StoredAlertAreas.boundingBox(back))
        XCTAssertTrue(box.contains(inside))
        XCTAssertTrue(box.crossesAntimeridian)
    }

    func testATripsPlacesAreItsAirportsAndCitiesInItsCountries() {
        let points = AlertPlaces.points(in: ["Hotel Ocean, 100 Collins Ave, Miami Beach", "AA 123 MIA → MCO"], countries: ["US"])
        XCTAssertFalse(points.isEmpty)
        let miami = GeoPoint(latitude: 25.79, longitude: -80.29)!
        XCTAssertTrue(points.contains { abs($0.latitude - miami.latitude) < 0.2 && abs($0.longitude - miami.longitude) < 0.2 })
        XCTAssertTrue(AlertPlaces.points(in: ["Hotel Ocean, Miami"], countries: ["BR"]).isEmpty, "a city of another country is no place of this trip")
        XCTAssertNotNil(DestinationCatalog.centres["bs-nas"])
        XCTAssertEqual(DestinationCatalog.centres.count, DestinationCatalog.all.count, "every shipped destination has a place")
    }
}

final class NWSZoneTests: XCTestCase {
    static let zoneOnly = Data(
        #"""
        {"type": "FeatureCollection", "features": [{"id": "x", "type": "Feature", "geometry": null, "properties": {
          "id": "urn:oid:2.49.0.1.840.0.zones.1", "areaDesc": "Coastal Miami-Dade", "sent": "2026-12-01T11:00:00-05:00",
          "expires": "2026-12-02T11:00:00-05:00", "status": "Actual", "messageType": "Alert", "severity": "Extreme",
          "certainty": "Likely", "urgency": "Immediate", "event": "Hurricane Warning", "sender": "w-nws.webmaster@noaa.gov",
          "affectedZones": ["https://api.weather.gov/zones/forecast/FLZ173", "ftp://elsewhere/zone", "https://api.weather.gov/zones/forecast/FLZ074"]}}]}
        """#.utf8)

    func testAZoneOnlyAlertWaitsForEveryZoneThenTakesTheirShapes() throws {
        let alert = try XCTUnwrap(NWSAlerts.parse(Self.zoneOnly).alerts.first)
        let area = try XCTUnwrap(alert.infos.first?.areas.first)
        XCTAssertTrue(area.awaitsZones)
        XCTAssertEqual(
            alert.awaitedZones, ["https://api.weather.gov/zones/forecast/FLZ173", "https://api.weather.gov/zones/forecast/FLZ074"],
            "only web addresses")
        let square = try XCTUnwrap(
            GeoPolygon(geoJSONRing: [[-80.3, 25.6], [-80.1, 25.6], [-80.1, 25.9], [-80.3, 25.9], [-80.3, 25.6]]))
        XCTAssertNil(alert.fillingZones(["https://api.weather.gov/zones/forecast/FLZ173": [square]]), "FLZ074 still missing")
        let filled = try XCTUnwrap(
            alert.fillingZones([
                "https://api.weather.gov/zones/forecast/FLZ173": [square], "https://api.weather.gov/zones/forecast/FLZ074": []
            ]))
        XCTAssertFalse(filled.awaitedZones.contains { _ in true })
        XCTAssertTrue(filled.covers(try XCTUnwrap(GeoPoint(latitude: 25.7617, longitude: -80.1918))), "downtown Miami")
        XCTAssertFalse(filled.covers(try XCTUnwrap(GeoPoint(latitude: 28.5, longitude: -81.4))), "Orlando")
    }

    func testADetailedZoneIsThinnedToItsBudgetAndStillCoversItsPlaces() throws {
        // A coastal zone drawn to the metre: a circle of 30,000 vertices around Miami, more than a polygon may hold.
        let ring = (0..<30_000).map { i -> [Double] in
            let angle = Double(i) / 30_000 * 2 * Double.pi
            return [-80.19 + 0.3 * cos(angle), 25.76 + 0.3 * sin(angle)]
        }
        let coordinates = (ring + [ring[0]]).map { "[\($0[0]), \($0[1])]" }.joined(separator: ",")
        let zone = Data(#"{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[\#(coordinates)]]}}"#.utf8)
        let polygons = try NWSAlerts.zonePolygons(zone)
        XCTAssertEqual(polygons.count, 1)
        XCTAssertLessThanOrEqual(polygons[0].vertices.count, NWSAlerts.zoneVertexBudget)
        XCTAssertGreaterThan(polygons[0].vertices.count, 1_000, "thinned, not reduced to a triangle")
        XCTAssertTrue(polygons[0].contains(try XCTUnwrap(GeoPoint(latitude: 25.7617, longitude: -80.1918))))
        XCTAssertFalse(polygons[0].contains(try XCTUnwrap(GeoPoint(latitude: 26.2, longitude: -80.19))))
        XCTAssertEqual(NWSAlerts.thinned([[0, 0], [1, 0], [1, 1], [0, 0]], to: 2), [[0, 0], [1, 0], [1, 1], [0, 0]], "never under four")
    }

    func testAZoneDocumentGivesItsOuterRingsAndAZoneWithoutShapeIsRefused() throws {
        let multi = Data(
            #"{"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[[[-80.3, 25.4], [-80.1, 25.4], [-80.1, 25.9], [-80.3, 25.4]], [[-80.2, 25.5], [-80.15, 25.5], [-80.15, 25.6], [-80.2, 25.5]]], [[[-80.2, 25.2], [-80.1, 25.2], [-80.1, 25.3], [-80.2, 25.2]]]]}, "properties": {"id": "FLZ173"}}"#
                .utf8)
        XCTAssertEqual(try NWSAlerts.zonePolygons(multi).count, 2, "outer rings of both parts; the hole is not a zone")
        XCTAssertThrowsError(try NWSAlerts.zonePolygons(Data(#"{"type": "Feature", "geometry": null, "properties": {}}"#.utf8))) {
            XCTAssertEqual($0 as? CAPAlert.ParseError, .invalid(element: "geometry", value: "null"))
        }
        XCTAssertThrowsError(try NWSAlerts.zonePolygons(Data("<html>".utf8)))
        XCTAssertThrowsError(
            try NWSAlerts.zonePolygons(Data(#"{"geometry": {"type": "Point", "coordinates": [-80.1, 25.7]}}"#.utf8)))
    }
}
