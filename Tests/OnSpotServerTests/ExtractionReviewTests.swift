import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// The trip page's paste box: a pasted confirmation is kept verbatim, its segments are shown for review, and the ones
/// ticked join the itinerary, with local times in their own zones.
final class ExtractionReviewTests: ServerTestCase {
    static let carnet = """
        CARNET DE VOYAGE - Dossier EV-77
        Client : Mme Isabelle ROY

        VOS VOLS (réf. compagnie : TSX4M2)
        02/10/2026  TS 111  Paris CDG 13:10 -> Montréal YUL 14:50
        10/10/2026  TS 110  Montréal YUL 21:25 -> Paris CDG 10:05 +1

        VOTRE VOITURE
        Loueur : Enterprise - réservation 1188734520
        Prise en charge : 06/10/2026 à 09:00 - Québec, gare du Palais
        Restitution : 10/10/2026 à 16:00 - Aéroport Montréal-Trudeau (YUL)
        """

    func pasteCarnet() async throws -> (TestBrowser, String, Trip, String) {
        let agency = try await makeAgency("Evasion")
        try await makeUser("agent@evasion.example", role: .agencyAgent, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(20 * 86400), destination: "ca-yul", reference: "ROY")
        let browser = try await signedIn("agent@evasion.example")
        let path = "/trips/\(trip.id!)"
        let pasted = try await browser.post("\(path)/documents", form: ["title": "Carnet", "text": Self.carnet])
        XCTAssertEqual(pasted.status, .seeOther)
        let review = try XCTUnwrap(pasted.location)
        XCTAssertTrue(review.hasSuffix("/review"), review)
        return (browser, path, trip, review)
    }

    func testPastedSegmentsAreReviewedAndTheTickedOnesJoinTheItinerary() async throws {
        let (browser, path, trip, review) = try await pasteCarnet()
        let page = try await browser.get(review)
        XCTAssertEqual(page.status, .ok)
        let html = page.body.string
        XCTAssertEqual(html.components(separatedBy: "class=\"proposal\"").count - 1, 3, "two flights and a car")
        XCTAssertTrue(html.contains("TS 111 CDG → YUL"))
        XCTAssertTrue(html.contains("Enterprise"))
        XCTAssertTrue(html.contains("id=\"pasted\""), "the document is shown as pasted")

        // The outbound flight and the car; not the return.
        let accepted = try await browser.post(
            review.replacingOccurrences(of: "/review", with: "/accept"), form: [:],
            multiValue: [("segment[]", "0"), ("segment[]", "2")])
        XCTAssertEqual(accepted.status, .seeOther, accepted.body.string)
        let segments = try await ItinerarySegment.query(on: app.db).filter(\.$trip.$id == trip.requireID()).all()
            .sorted { ($0.startsAt ?? .distantFuture) < ($1.startsAt ?? .distantFuture) }
        XCTAssertEqual(segments.map(\.title), ["TS 111 CDG → YUL", "Enterprise"])
        XCTAssertEqual(segments.map(\.source), [.extracted, .extracted])
        let document = try await PastedDocument.query(on: app.db).first()
        XCTAssertEqual(document?.text, Self.carnet, "kept verbatim")
        XCTAssertEqual(segments.compactMap(\.pastedDocumentID), [document!.id!, document!.id!])
        // 13:10 in Paris on 2 October 2026 is 11:10 UTC; the car leaves Québec at 09:00 EDT, 13:00 UTC.
        XCTAssertEqual(segments[0].startsAt, ISO8601DateFormatter().date(from: "2026-10-02T11:10:00Z"))
        XCTAssertEqual(segments[0].timeZone, "Europe/Paris")
        XCTAssertEqual(segments[1].startsAt, ISO8601DateFormatter().date(from: "2026-10-06T13:00:00Z"))
        XCTAssertEqual(segments[1].confirmation, "1188734520")
        let detail = try await browser.get(path)
        XCTAssertTrue(detail.body.string.contains("TS 111 CDG → YUL"))

        // Accepting again (a second tab) adds nothing twice; the review marks what is already in.
        let again = try await browser.post(review.replacingOccurrences(of: "/review", with: "/accept"), form: [:], multiValue: [("segment[]", "0")])
        XCTAssertEqual(again.status, .seeOther)
        let count = try await ItinerarySegment.query(on: app.db).filter(\.$trip.$id == trip.requireID()).count()
        XCTAssertEqual(count, 2)
        let marked = try await browser.get(review)
        XCTAssertEqual(marked.body.string.components(separatedBy: "disabled").count - 1, 2, "the two accepted rows")
    }

    func testBadSelectionsAreRefusedAndNothingIsAdded() async throws {
        let (browser, _, trip, review) = try await pasteCarnet()
        let accept = review.replacingOccurrences(of: "/review", with: "/accept")
        let none = try await browser.post(accept, form: [:])
        XCTAssertEqual(none.status, .unprocessableEntity)
        XCTAssertTrue(none.body.string.contains("Cochez au moins une étape"))
        let unknown = try await browser.post(accept, form: [:], multiValue: [("segment[]", "7")])
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        let garbage = try await browser.post(accept, form: [:], multiValue: [("segment[]", "zéro")])
        XCTAssertEqual(garbage.status, .unprocessableEntity)
        let forged = try await browser.post(accept, form: [:], csrf: "forged", multiValue: [("segment[]", "0")])
        XCTAssertEqual(forged.status, .forbidden)
        let count = try await ItinerarySegment.query(on: app.db).filter(\.$trip.$id == trip.requireID()).count()
        XCTAssertEqual(count, 0)
        let missing = try await browser.get("/trips/\(trip.id!)/documents/\(UUID())/review")
        XCTAssertEqual(missing.status, .notFound)
        // A paste with nothing recognisable is kept and goes back to the trip.
        let plain = try await browser.post("/trips/\(trip.id!)/documents", form: ["text": "Le client préfère une chambre calme."])
        XCTAssertEqual(plain.location, "/trips/\(trip.id!)#documents")
    }

    func testAnotherAgencyCannotReviewOrAcceptAndACancelledTripTakesNothing() async throws {
        let (_, path, trip, review) = try await pasteCarnet()
        let other = try await makeAgency("Autre")
        try await makeUser("admin@autre.example", role: .agencyAdmin, agency: other)
        let intruder = try await signedIn("admin@autre.example")
        let read = try await intruder.get(review)
        XCTAssertEqual(read.status, .notFound)
        XCTAssertFalse(read.body.string.contains("TSX4M2"))
        let write = try await intruder.post(review.replacingOccurrences(of: "/review", with: "/accept"), form: [:], multiValue: [("segment[]", "0")])
        XCTAssertEqual(write.status, .notFound)
        // The document of one trip is not reachable through another trip of the same agency.
        let owner = try await Agency.query(on: app.db).filter(\.$name == "Evasion").first()!
        let second = try await makeTrip(for: owner, departure: Date().addingTimeInterval(30 * 86400), destination: "ca-yul", reference: "OTHER")
        let documentID = try await PastedDocument.query(on: app.db).first()!.requireID()
        let agent = try await signedIn("agent@evasion.example")
        let crossed = try await agent.get("/trips/\(second.id!)/documents/\(documentID)/review")
        XCTAssertEqual(crossed.status, .notFound)
        let cancelled = try await agent.post("\(path)/cancel", form: ["reason": "client malade"])
        XCTAssertEqual(cancelled.status, .seeOther)
        let late = try await agent.post(review.replacingOccurrences(of: "/review", with: "/accept"), form: [:], multiValue: [("segment[]", "0")])
        XCTAssertEqual(late.status, .conflict)
        let count = try await ItinerarySegment.query(on: app.db).filter(\.$trip.$id == trip.requireID()).count()
        XCTAssertEqual(count, 0)
    }
}
