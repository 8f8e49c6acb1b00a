import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 21, the KItinerary layer: providers named from a paste, and the two layers merged field by field.
final class LayeredExtractionTests: XCTestCase {
    func bases(_ text: String, sender: String? = nil) -> Set<String> {
        Set(KItineraryHints.extractors(for: text, sender: sender).map { String($0.split(separator: ":")[0]) })
    }

    func testProvidersAreNamedByTheirNameAddressCarrierOrLayout() {
        XCTAssertEqual(bases("Gracias por volar con Iberia. Localizador: 4XK2LM"), ["iberia"])
        XCTAssertEqual(bases("Your Brussels Airlines booking"), ["brusselsairlines"], "two words written as the extractor's name")
        XCTAssertEqual(bases("Flight LX 1234 ZRH-JFK"), ["swiss"], "a carrier code of its flights")
        XCTAssertEqual(bases("Confirmation", sender: "noreply@booking.eurowings.com"), ["eurowings"], "the sender's address")
        XCTAssertEqual(bases("TKTG-TAU/SU20DEC\n1. DL   38 Y  20JAN HKGSEA HS3"), ["travelport-galileo"], "a GDS layout's mark")
        // Common words are not providers: "booking" and "hotels" name one only in an address.
        XCTAssertEqual(bases("Your booking reference at our hotels: ABC123"), [])
        XCTAssertEqual(bases("See https://www.booking.com/confirmation"), ["booking"])
        XCTAssertEqual(bases("Vol AF 090 Paris → Miami").sorted(), ["airfrance"])
        // Only extractors of the inputs a document can be: no internal or ticket-barcode-only scripts.
        XCTAssertTrue(KItineraryHints.extractors(for: "Amadeus checkmytrip").allSatisfy { !$0.hasSuffix(":1") }, "amadeus:1 reads events")
        XCTAssertEqual(KItineraryHints.extractors(for: ""), [])
    }

    static let ours: JSONValue = .object([
        "@type": .string("FlightReservation"), "reservationNumber": .string("QZ7K4L"),
        "reservationFor": .object([
            "@type": .string("Flight"), "flightNumber": .string("090"), "departureDay": .string("2026-07-14"),
            "departureTime": .string("2026-07-14T10:35:00+02:00"),
            "departureAirport": .object(["iataCode": .string("CDG")]), "arrivalAirport": .object(["iataCode": .string("MIA")])
        ])
    ])

    func testAgreementConfirmsMissingFieldsAreFilledAndConflictsAreKeptAsAlternatives() throws {
        let theirs = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(
                """
                [{"@type": "FlightReservation", "reservationNumber": "QZ7K4L",
                  "reservationFor": {"@type": "Flight", "flightNumber": "90", "departureDay": "2026-07-14",
                    "departureTime": {"@type": "QDateTime", "@value": "2026-07-14T10:40:00+02:00", "timezone": "Europe/Paris"},
                    "arrivalTime": {"@type": "QDateTime", "@value": "2026-07-14T14:50:00-04:00", "timezone": "America/New_York"},
                    "departureAirport": {"iataCode": "CDG"}, "arrivalAirport": {"iataCode": "MIA"}}},
                 {"@type": "LodgingReservation", "reservationFor": {"@type": "LodgingBusiness", "name": "Hostel"},
                  "checkinTime": {"@type": "QDateTime", "@value": "2026-07-14T15:00:00"}, "checkoutTime": "2026-07-16T11:00:00"},
                 {"@type": "LodgingReservation", "reservationFor": {"name": "No dates"}},
                 {"@type": "Person", "name": "not a reservation"}]
                """.utf8))
        let read = LayeredExtraction.reservations(fromKItinerary: try JSONEncoder().encode(theirs))
        XCTAssertEqual(read.count, 2, "only reservations a traveller can use")
        let merged = LayeredExtraction.merge(ours: [Self.ours], theirs: read)
        XCTAssertEqual(merged.map(\.foundBy), [[.onspot, .kitinerary], [.kitinerary]])
        // Flight number 090 and 90 agree; the departure does not (ours kept, theirs shown); the arrival is filled.
        XCTAssertEqual(merged[0].alternatives, ["reservationFor.departureTime": "2026-07-14T10:40:00+02:00"])
        XCTAssertEqual(merged[0].reservation["reservationFor"]?["departureTime"]?.string, "2026-07-14T10:35:00+02:00")
        XCTAssertEqual(merged[0].reservation["reservationFor"]?["arrivalTime"]?["@value"]?.string, "2026-07-14T14:50:00-04:00")
        let proposals = SegmentProposal.from(findings: merged)
        XCTAssertEqual(proposals.map(\.title), ["AF 090 CDG → MIA".replacingOccurrences(of: "AF ", with: ""), "Hostel"])
        XCTAssertEqual(proposals[0].endsAt, "2026-07-14T14:50:00-04:00")
        XCTAssertEqual(proposals[1].foundBy, [.kitinerary])
        // Another flight the same day is another reservation, not a conflict.
        var other = Self.ours
        if case .object(var o) = other, case .object(var target)? = o["reservationFor"] {
            target["flightNumber"] = .string("091")
            o["reservationFor"] = .object(target)
            other = .object(o)
        }
        XCTAssertEqual(LayeredExtraction.merge(ours: [Self.ours], theirs: [other]).count, 2)
        XCTAssertEqual(LayeredExtraction.reservations(fromKItinerary: Data("not json".utf8)), [])
        XCTAssertEqual(LayeredExtraction.merge(ours: [Self.ours], theirs: []).map(\.foundBy), [[.onspot]])
    }
}
