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

    func testAConfirmationWhoseFieldsAreNotAllFoundIsProposedWithWhatIsMissing() throws {
        let context = ISO8601DateFormatter().date(from: "2027-01-10T12:00:00Z")!
        let stay = try Extraction.extract(
            "Votre séjour\nHôtel Les Pins\nNuméro de réservation : HX-99812\nArrivée : 12/03/2027 à partir de 15h00\n", contextDate: context)
        XCTAssertEqual(stay.count, 1)
        XCTAssertEqual(Extraction.missingFields(of: stay[0]), ["checkoutTime"])
        let proposal = try XCTUnwrap(SegmentProposal.from(stay).first)
        XCTAssertEqual(proposal.kind, .stay)
        XCTAssertEqual(proposal.title, "Hôtel Les Pins")
        XCTAssertEqual(proposal.startsAt, "2027-03-12T15:00:00")
        XCTAssertEqual(proposal.missing, ["checkoutTime"])
        // A partial one must say when, and one more thing: a reference and a date alone are too little.
        let car = try Extraction.extract(
            "Location de voiture\nRéférence : LZ-5521\nRetirada: 05/02/2027 às 10h00 - Aeroporto de Salvador\n", contextDate: context)
        XCTAssertEqual(car.first.map(Extraction.missingFields), ["rentalCompany", "dropoffTime"])
        XCTAssertEqual(car.first?["pickupLocation"]?["name"]?.string, "Aeroporto de Salvador")
        XCTAssertEqual(try Extraction.extract("Location de voiture\nRéférence : LZ-5521\nVéhicule : catégorie C\n", contextDate: context), [])
        // Complete reservations carry no mark, and a text that is no confirmation still gives nothing.
        XCTAssertTrue(
            try Extraction.extract("Vol AF 090 le 14/07/2026 Paris CDG 10:35 -> Miami MIA 14:50", contextDate: context).allSatisfy {
                Extraction.missingFields(of: $0).isEmpty
            })
        XCTAssertEqual(try Extraction.extract("Bonjour, merci pour votre appel de ce matin.", contextDate: context).count, 0)
    }

    func testAPartialReservationOfOursIsCompletedByKItinerarysReading() throws {
        let ours: JSONValue = .object([
            "@type": .string("LodgingReservation"), "reservationNumber": .string("AOI-XX-1234567"),
            "reservationFor": .object(["@type": .string("LodgingBusiness"), "name": .string("adult ) you stay in a hotel")]),
            "checkoutTime": .string("2018-08-18"), "onspotMissing": .array([.string("checkinTime")])
        ])
        let theirs: JSONValue = .object([
            "@type": .string("LodgingReservation"), "reservationNumber": .string("AOI-XX-1234567"),
            "reservationFor": .object(["@type": .string("LodgingBusiness"), "name": .string("a&o Wien Hauptbahnhof")]),
            "checkinTime": .object(["@type": .string("QDateTime"), "@value": .string("2018-08-10T15:00:00+02:00")]),
            "checkoutTime": .object(["@type": .string("QDateTime"), "@value": .string("2018-08-18T10:00:00+02:00")])
        ])
        let merged = LayeredExtraction.merge(ours: [ours], theirs: [theirs])
        XCTAssertEqual(merged.count, 1)
        XCTAssertEqual(merged[0].foundBy, [.onspot, .kitinerary])
        XCTAssertEqual(merged[0].reservation["reservationFor"]?["name"]?.string, "a&o Wien Hauptbahnhof", "the complete reading wins")
        XCTAssertNil(merged[0].reservation["onspotMissing"])
        XCTAssertEqual(SegmentProposal.from(findings: merged).first?.missing, [])
    }

    /// Pastes built against the patterns (a run of "no." after a reference label, dotted runs, thousands of labelled
    /// names, unclosed markup): each is read in linear time. A regression here shows as a test that does not end.
    func testPastesBuiltAgainstThePatternsAreReadInLinearTime() throws {
        let context = ISO8601DateFormatter().date(from: "2027-01-10T12:00:00Z")!
        let hostile = [
            "Booking reference " + String(repeating: "no.", count: 60) + "!",
            String(repeating: "1.", count: 50_000),
            String(repeating: "  PASSENGER: AB CD\n", count: 20_000),
            "<html><body>" + String(repeating: "<svg>", count: 20_000) + String(repeating: "</title>", count: 20_000),
            "<p>" + String(repeating: "<b it's", count: 20_000),
            "<script>" + String(repeating: "x<", count: 200_000)
        ]
        for paste in hostile {
            _ = try Extraction.extract(paste, contextDate: context)
            _ = KItineraryHints.extractors(for: paste)
        }
        XCTAssertLessThanOrEqual(
            TextExtraction.people(
                in: TextExtraction.prepare(hostile[2]).map {
                    TextExtraction.Line(text: $0, folded: TextScanner.fold($0))
                }
            ).count, TextExtraction.maximumTravellers)
    }
}
