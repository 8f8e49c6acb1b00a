import Foundation
import OnSpotCore
import XCTest

/// Issue 14, first part: official alerts read from CAP 1.2 and from the NWS's GeoJSON, and their areas matched to
/// places, in OnSpotCore so that SQLite and PostgreSQL servers match alike.
final class AlertAreaTests: XCTestCase {
    func point(_ latitude: Double, _ longitude: Double) -> GeoPoint { GeoPoint(latitude: latitude, longitude: longitude)! }

    /// A hurricane warning over south Florida, in CAP's "lat,lon" order.
    static let hurricaneWarning = """
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>urn:oid:2.49.0.1.840.0.hurricane-warning-1</identifier>
          <sender>w-nws.webmaster@noaa.gov</sender>
          <sent>2026-09-01T11:00:00-04:00</sent>
          <status>Actual</status>
          <msgType>Alert</msgType>
          <scope>Public</scope>
          <info>
            <language>en-US</language>
            <category>Met</category>
            <event>Hurricane Warning</event>
            <urgency>Expected</urgency>
            <severity>Extreme</severity>
            <certainty>Likely</certainty>
            <effective>2026-09-01T11:00:00-04:00</effective>
            <expires>2026-09-02T11:00:00-04:00</expires>
            <headline>Hurricane Warning issued for Miami-Dade and Monroe</headline>
            <instruction><![CDATA[Complete preparations. Follow evacuation orders from local officials.]]></instruction>
            <area>
              <areaDesc>Miami-Dade; Monroe</areaDesc>
              <polygon>26.0,-80.9 26.0,-80.0 25.1,-80.0 24.5,-81.9 25.3,-81.4 26.0,-80.9</polygon>
            </area>
          </info>
        </alert>
        """

    func testACAPWarningIsReadWithItsAreaInLatitudeLongitudeOrder() throws {
        let alert = try CAPAlert.parse(Data(Self.hurricaneWarning.utf8))
        XCTAssertEqual(alert.identifier, "urn:oid:2.49.0.1.840.0.hurricane-warning-1")
        XCTAssertEqual(alert.messageType, .alert)
        XCTAssertEqual(alert.sent, ISO8601DateFormatter().date(from: "2026-09-01T15:00:00Z"))
        let info = try XCTUnwrap(alert.infos.first)
        XCTAssertEqual(info.event, "Hurricane Warning")
        XCTAssertEqual(info.severity, .extreme)
        XCTAssertEqual(info.urgency, .expected)
        XCTAssertEqual(info.certainty, .likely)
        XCTAssertEqual(info.instruction, "Complete preparations. Follow evacuation orders from local officials.")
        XCTAssertEqual(alert.expires, ISO8601DateFormatter().date(from: "2026-09-02T15:00:00Z"))
        let area = try XCTUnwrap(info.areas.first)
        XCTAssertTrue(area.contains(point(25.7617, -80.1918)), "Miami")
        XCTAssertFalse(area.contains(point(28.5383, -81.3792)), "Orlando")
        XCTAssertFalse(area.contains(point(-80.1918, 25.7617) ?? point(0, 0)), "the same numbers read in the other order are elsewhere")
    }

    func testAnUpdateAndACancelNameTheMessageTheyReplace() throws {
        let update = Self.hurricaneWarning.replacingOccurrences(
            of: "<msgType>Alert</msgType>",
            with: """
                <msgType>Update</msgType>
                <references>w-nws.webmaster@noaa.gov,urn:oid:2.49.0.1.840.0.hurricane-warning-1,2026-09-01T11:00:00-04:00</references>
                """
        ).replacingOccurrences(of: "hurricane-warning-1</identifier>", with: "hurricane-warning-2</identifier>")
        let updated = try CAPAlert.parse(Data(update.utf8))
        XCTAssertEqual(updated.messageType, .update)
        XCTAssertEqual(
            updated.references,
            [.init(sender: "w-nws.webmaster@noaa.gov", identifier: "urn:oid:2.49.0.1.840.0.hurricane-warning-1", sent: "2026-09-01T11:00:00-04:00")])
        let cancel = update.replacingOccurrences(of: "<msgType>Update</msgType>", with: "<msgType>Cancel</msgType>")
        XCTAssertEqual(try CAPAlert.parse(Data(cancel.utf8)).messageType, .cancel)
        // An update without what it updates is refused, as the standard requires.
        let orphan = Self.hurricaneWarning.replacingOccurrences(of: "<msgType>Alert</msgType>", with: "<msgType>Update</msgType>")
        XCTAssertThrowsError(try CAPAlert.parse(Data(orphan.utf8))) { XCTAssertEqual($0 as? CAPAlert.ParseError, .missing("references")) }
    }

    func testBrokenMessagesAreRefusedWithWhatIsWrongNeverAGuess() {
        func refusal(_ text: String) -> CAPAlert.ParseError? {
            do {
                _ = try CAPAlert.parse(Data(text.utf8))
                return nil
            } catch { return error as? CAPAlert.ParseError }
        }
        XCTAssertEqual(
            refusal(Self.hurricaneWarning.replacingOccurrences(of: "<severity>Extreme</severity>", with: "<severity>Bad</severity>")),
            .invalid(element: "severity", value: "Bad"))
        XCTAssertEqual(refusal(Self.hurricaneWarning.replacingOccurrences(of: "<sent>2026-09-01T11:00:00-04:00</sent>", with: "")), .missing("sent"))
        XCTAssertEqual(
            refusal(Self.hurricaneWarning.replacingOccurrences(of: "25.3,-81.4 26.0,-80.9", with: "25.3,-81.4 26.0,-80.8")),
            .invalid(element: "polygon", value: "26.0,-80.9 26.0,-80.0 25.1,-80.0 24.5,-81.9 25.3,-81.4 26.0,-80.8"), "a ring must close")
        XCTAssertEqual(
            refusal(Self.hurricaneWarning.replacingOccurrences(of: "26.0,-80.0 25.1", with: "96.0,-80.0 25.1")),
            .invalid(element: "polygon", value: "26.0,-80.9 96.0,-80.0 25.1,-80.0 24.5,-81.9 25.3,-81.4 26.0,-80.9"), "latitude beyond 90")
        XCTAssertNotNil(refusal("not xml at all"))
        XCTAssertEqual(refusal("<feed/>"), .missing("alert"))
        XCTAssertEqual(refusal(String(repeating: " ", count: CAPAlert.maximumBytes + 1)), .tooLarge)
        // An external entity is never fetched nor expanded.
        let entity = """
            <?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <alert><identifier>&x;</identifier></alert>
            """
        let withEntity = refusal(entity)
        XCTAssertNotNil(withEntity)
        if case .some(.missing(let element)) = withEntity { XCTAssertEqual(element, "identifier", "the entity's text was not read in") }
    }

    /// A tropical cyclone's area across the antimeridian near Fiji: 177°E to 178°W.
    func testAPolygonAcrossTheAntimeridianHoldsOnBothSides() throws {
        let polygon = try XCTUnwrap(GeoPolygon(capPolygon: "-15.0,177.0 -15.0,-178.0 -20.0,-178.0 -20.0,177.0 -15.0,177.0"))
        XCTAssertTrue(polygon.contains(point(-17.7, 178.4)), "Suva, east of 180° going west")
        XCTAssertTrue(polygon.contains(point(-18.0, -179.5)), "west longitudes just past the line")
        XCTAssertFalse(polygon.contains(point(-17.7, 0)), "the other side of the world")
        XCTAssertFalse(polygon.contains(point(-17.7, 176.0)))
        XCTAssertTrue(polygon.boundingBox.crossesAntimeridian)
        XCTAssertEqual(polygon.boundingBox.maxLongitude - polygon.boundingBox.minLongitude, 5, accuracy: 1e-9)
        // The same area in GeoJSON's [lon, lat] order.
        let geoJSON = try XCTUnwrap(GeoPolygon(geoJSONRing: [[177, -15], [-178, -15], [-178, -20], [177, -20], [177, -15]]))
        XCTAssertEqual(geoJSON, polygon)
        // A circle (CAP: "lat,lon radius-km") around Nuku'alofa.
        let circle = try XCTUnwrap(GeoCircle(capCircle: "-21.14,-175.2 50"))
        XCTAssertTrue(circle.contains(point(-21.3, -175.0)))
        XCTAssertFalse(circle.contains(point(-18.0, -175.2)))
        XCTAssertNil(GeoCircle(capCircle: "-21.14,-175.2 -3"))
        XCTAssertNil(GeoPolygon(capPolygon: "1,2 3,4 1,2"), "a ring needs three distinct vertices")
        XCTAssertNil(GeoPolygon(capPolygon: "nan,2 3,4 5,6 nan,2"))
    }

    func testNWSGeoJSONIsReadInLongitudeLatitudeOrderAndABadFeatureDoesNotHideTheOthers() throws {
        let collection = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[-80.9, 26.0], [-80.0, 26.0], [-80.0, 25.1], [-81.9, 24.5], [-81.4, 25.3], [-80.9, 26.0]]]},
               "properties": {"id": "urn:oid:2.49.0.1.840.0.nws-1", "areaDesc": "Miami-Dade; Monroe", "sent": "2026-09-01T11:00:00-04:00",
                 "effective": "2026-09-01T11:00:00-04:00", "expires": "2026-09-01T19:00:00-04:00", "ends": "2026-09-02T11:00:00-04:00",
                 "status": "Actual", "messageType": "Alert", "severity": "Extreme", "certainty": "Likely", "urgency": "Expected",
                 "event": "Hurricane Warning", "senderName": "NWS Miami FL", "headline": "Hurricane Warning", "instruction": "Evacuate if told to.",
                 "references": []}},
              {"type": "Feature", "geometry": null,
               "properties": {"id": "urn:oid:2.49.0.1.840.0.nws-2", "sent": "2026-09-01T12:00:00-04:00", "status": "Actual",
                 "messageType": "Update", "severity": "Severe", "certainty": "Observed", "urgency": "Immediate", "event": "Flood Warning",
                 "references": [{"@id": "x", "identifier": "urn:oid:2.49.0.1.840.0.nws-0", "sender": "w-nws.webmaster@noaa.gov", "sent": "2026-09-01T10:00:00-04:00"}]}},
              {"type": "Feature", "geometry": null,
               "properties": {"id": "bad", "sent": "yesterday", "status": "Actual", "messageType": "Alert", "severity": "Severe",
                 "certainty": "Observed", "urgency": "Immediate", "event": "Flood Warning"}}
            ]}
            """
        let reading = try NWSAlerts.parse(Data(collection.utf8))
        XCTAssertEqual(reading.alerts.map(\.identifier), ["urn:oid:2.49.0.1.840.0.nws-1", "urn:oid:2.49.0.1.840.0.nws-2"])
        XCTAssertEqual(reading.problems, ["feature 2: CAP <sent> has an invalid value: 'yesterday'."])
        let warning = reading.alerts[0]
        XCTAssertTrue(warning.infos[0].areas[0].contains(point(25.7617, -80.1918)), "Miami, from [lon, lat]")
        XCTAssertEqual(warning.expires, ISO8601DateFormatter().date(from: "2026-09-02T15:00:00Z"), "ends, when given, is when it is over")
        XCTAssertEqual(reading.alerts[1].references.map(\.identifier), ["urn:oid:2.49.0.1.840.0.nws-0"])
        XCTAssertTrue(reading.alerts[1].infos[0].areas[0].polygons.isEmpty, "zones only")
    }

    func alert(_ text: String) throws -> CAPAlert { try CAPAlert.parse(Data(text.utf8)) }

    func variant(_ id: Int, type: String, references: Int? = nil, replacing: [(String, String)] = []) -> String {
        var text = Self.hurricaneWarning.replacingOccurrences(of: "hurricane-warning-1</identifier>", with: "hurricane-warning-\(id)</identifier>")
        var header = "<msgType>\(type)</msgType>"
        if let references {
            header +=
                "<references>w-nws.webmaster@noaa.gov,urn:oid:2.49.0.1.840.0.hurricane-warning-\(references),2026-09-01T11:00:00-04:00</references>"
        }
        text = text.replacingOccurrences(of: "<msgType>Alert</msgType>", with: header)
        for (from, to) in replacing { text = text.replacingOccurrences(of: from, with: to) }
        return text
    }

    func testUpdatesReplaceCancelsRemoveAndExpiredAlertsGo() throws {
        let now = ISO8601DateFormatter().date(from: "2026-09-01T16:00:00Z")!
        var book = AlertBook()
        let first = try alert(variant(1, type: "Alert"))
        let key = AlertBook.key(first)
        XCTAssertEqual(book.apply(first, now: now), .added(key))
        XCTAssertEqual(book.apply(first, now: now), .ignored(key, reason: "already known"), "the same message polled again")
        XCTAssertTrue(first.warrantsNotice)
        XCTAssertTrue(first.covers(point(25.7617, -80.1918)))

        // The update moves the expiry and the instruction: the book holds it alone, and says what changed.
        let update = try alert(
            variant(
                2, type: "Update", references: 1,
                replacing: [
                    ("2026-09-02T11:00:00-04:00</expires>", "2026-09-03T11:00:00-04:00</expires>"),
                    ("Complete preparations.", "Shelter in place.")
                ]))
        let updateKey = AlertBook.key(update)
        XCTAssertEqual(book.apply(update, now: now), .updated(updateKey, replacing: [key], changes: [.instruction, .expires]))
        XCTAssertEqual(Set(book.alerts.keys), [updateKey])

        // A cancel of the update removes it; a cancel of something never held changes nothing.
        let cancel = try alert(variant(3, type: "Cancel", references: 2))
        XCTAssertEqual(book.apply(cancel, now: now), .cancelled([updateKey]))
        XCTAssertTrue(book.alerts.isEmpty)
        let stray = try alert(variant(4, type: "Cancel", references: 99))
        XCTAssertEqual(book.apply(stray, now: now), .ignored(AlertBook.key(stray), reason: "cancels nothing held"))

        // Expiry: an alert already over is not taken; one in force goes when its time comes.
        let late = ISO8601DateFormatter().date(from: "2026-09-05T00:00:00Z")!
        let fresh = try alert(variant(5, type: "Alert"))
        XCTAssertEqual(book.apply(fresh, now: late), .ignored(AlertBook.key(fresh), reason: "expired"))
        _ = book.apply(fresh, now: now)
        XCTAssertEqual(book.expire(now: now), [])
        XCTAssertEqual(book.expire(now: late), [AlertBook.key(fresh)])
        // Exercises and tests are never acted on.
        let exercise = try alert(variant(6, type: "Alert", replacing: [("<status>Actual</status>", "<status>Exercise</status>")]))
        XCTAssertEqual(book.apply(exercise, now: now), .ignored(AlertBook.key(exercise), reason: "status Exercise"))
    }

    func testOnlySevereOrImmediateModerateAlertsWarrantANotice() throws {
        func notice(_ severity: String, _ urgency: String, _ certainty: String = "Likely") throws -> Bool {
            try alert(
                variant(
                    1, type: "Alert",
                    replacing: [
                        ("<severity>Extreme</severity>", "<severity>\(severity)</severity>"),
                        ("<urgency>Expected</urgency>", "<urgency>\(urgency)</urgency>"),
                        ("<certainty>Likely</certainty>", "<certainty>\(certainty)</certainty>")
                    ])
            ).warrantsNotice
        }
        XCTAssertTrue(try notice("Severe", "Future"))
        XCTAssertTrue(try notice("Moderate", "Immediate"))
        XCTAssertFalse(try notice("Moderate", "Expected"))
        XCTAssertFalse(try notice("Minor", "Immediate"))
        XCTAssertFalse(try notice("Extreme", "Immediate", "Unlikely"))
    }
}
