import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class TripsPortalTests: ServerTestCase {
    func testTripDeparting71HoursFromNowIsRefusedWithTheDeadlineInTheAgencysZone() async throws {
        // setup
        let agency = try await makeAgency("A", timeZone: "America/Montreal")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let browser = try await signedIn("agent@a.example")
        let departure = Date().addingTimeInterval(71 * 3600)
        // MUT
        let res = try await registerTrip(browser, departure: departure, zone: "America/Montreal")
        // validate
        XCTAssertEqual(res.status, .unprocessableEntity)
        let deadline = LocalDateTime.display(
            TripRules.registrationDeadline(departure: departure.roundedDownToMinute()),
            in: TimeZone(identifier: "America/Montreal")!, language: .fr)
        let expected = L10n.t("trip.error.registration_deadline", .fr, ["deadline": deadline])
        XCTAssertTrue(res.body.string.contains(HTML.escape(expected)), "missing: \(expected)")
        XCTAssertTrue(deadline.contains("America/Montreal"))
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testTripDeparting73HoursFromNowIsRegisteredWithItsCards() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let browser = try await signedIn("agent@a.example")
        let res = try await registerTrip(browser, departure: Date().addingTimeInterval(73 * 3600))
        XCTAssertEqual(res.status, .seeOther)
        let trip = try await Trip.query(on: app.db).with(\.$travellerLinks) { $0.with(\.$traveller) }.first()
        let link = try XCTUnwrap(trip?.travellerLinks.first)
        XCTAssertEqual(link.traveller.phone, "+351912345678")
        XCTAssertEqual(link.traveller.language, .pt)
        XCTAssertGreaterThanOrEqual(link.cardToken.count, 40)
        XCTAssertEqual(trip?.planCode, .plus)
        XCTAssertNotNil(trip?.scopeVersionID, "the scope version in force is kept on the trip")
        let detail = try await browser.get(res.location!)
        XCTAssertEqual(detail.status, .ok)
        XCTAssertTrue(detail.body.string.contains("/card/\(link.cardToken)"))
        XCTAssertTrue(detail.body.string.contains("Ana Costa"))
    }

    func testTravellerFieldErrorsAreShownAndNothingIsStored() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let browser = try await signedIn("agent@a.example")
        let departure = Date().addingTimeInterval(100 * 3600)
        let tz = TimeZone(identifier: "Europe/Paris")!
        let res = try await browser.post(
            "/trips",
            form: [
                "destinations[]": "us-nyc", "departure": LocalDateTime.inputValue(departure, in: tz),
                "returnAt": "not a date",
                "travellers[0][firstName]": "Ana", "travellers[0][lastName]": "", "travellers[0][phone]": "0612345678",
                "travellers[1][firstName]": "", "travellers[1][lastName]": ""
            ])
        XCTAssertEqual(res.status, .unprocessableEntity)
        let html = res.body.string
        XCTAssertTrue(html.contains("id=\"return-error\""))
        XCTAssertTrue(html.contains("id=\"travellers[0].lastName-error\""))
        XCTAssertTrue(html.contains("id=\"travellers[0].phone-error\""))
        XCTAssertTrue(html.contains("value=\"Ana\""), "what was typed is kept")
        let count = try await Trip.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testSeveralTravellersSegmentsDocumentsEditAndCancel() async throws {
        let agency = try await makeAgency("A", plan: .light)
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let browser = try await signedIn("agent@a.example")
        let departure = Date().addingTimeInterval(30 * 86400)
        let tz = TimeZone(identifier: "Europe/Paris")!
        let created = try await browser.post(
            "/trips",
            form: [
                "reference": "MULTI", "departure": LocalDateTime.inputValue(departure, in: tz),
                "returnAt": LocalDateTime.inputValue(departure.addingTimeInterval(9 * 86400), in: tz),
                "travellers[0][firstName]": "Ana", "travellers[0][lastName]": "Costa",
                "travellers[1][firstName]": "Rui", "travellers[1][lastName]": "Costa", "travellers[1][email]": "rui@example.pt"
            ], multiValue: [("destinations[]", "ca-yul"), ("destinations[]", "ca-yqb")])
        XCTAssertEqual(created.status, .seeOther, created.body.string)
        // A LIGHT agency goes straight to the card payment (clause 4.1).
        XCTAssertEqual(created.location?.hasSuffix("/payment"), true)
        let path = try XCTUnwrap(created.location?.replacingOccurrences(of: "/payment", with: ""))
        let trip = try await Trip.query(on: app.db).filter(\.$reference == "MULTI")
            .with(\.$travellerLinks).with(\.$destinationLinks) { $0.with(\.$destination) }.first()!
        XCTAssertEqual(trip.travellerLinks.count, 2)
        XCTAssertEqual(trip.destinationLinks.sorted { $0.position < $1.position }.map(\.destination.code), ["ca-yul", "ca-yqb"])

        let segment = try await browser.post(
            "\(path)/segments",
            form: [
                "kind": "car_rental", "title": "Hertz compact",
                "startsAt": "2026-12-20T10:00", "timeZone": "America/Toronto",
                "supplier": "Hertz", "confirmation": "H123"
            ])
        XCTAssertEqual(segment.status, .seeOther)
        let badSegment = try await browser.post("\(path)/segments", form: ["kind": "spaceship", "title": ""])
        XCTAssertEqual(badSegment.status, .unprocessableEntity)
        let pasted = "AIR CANADA  AC 871  CDG→YUL\r\n\tBooking ref: XJ7K2L <b>"
        let document = try await browser.post("\(path)/documents", form: ["title": "E-ticket", "text": pasted])
        XCTAssertEqual(document.status, .seeOther)
        let tooLong = try await browser.post("\(path)/documents", form: ["text": String(repeating: "x", count: 200_001)])
        XCTAssertEqual(tooLong.status, .unprocessableEntity)
        let stored = try await PastedDocument.query(on: app.db).all()
        XCTAssertEqual(stored.map(\.text), [pasted], "kept verbatim")
        let detail = try await browser.get(path)
        XCTAssertTrue(detail.body.string.contains("Hertz compact"))
        XCTAssertTrue(detail.body.string.contains("&lt;b&gt;"), "pasted text is escaped on the page")

        let edit = try await browser.post(
            "\(path)/edit",
            form: [
                "reference": "MULTI-2", "departure": LocalDateTime.inputValue(departure.addingTimeInterval(86400), in: tz),
                "returnAt": LocalDateTime.inputValue(departure.addingTimeInterval(12 * 86400), in: tz), "destinations[]": "ca-yul"
            ])
        XCTAssertEqual(edit.status, .seeOther, edit.body.string)
        let edited = try await Trip.find(trip.id, on: app.db)!
        XCTAssertEqual(edited.reference, "MULTI-2")

        let cancel = try await browser.post("\(path)/cancel", form: ["reason": "Client ill"])
        XCTAssertEqual(cancel.status, .seeOther)
        let cancelled = try await Trip.find(trip.id, on: app.db)!
        XCTAssertEqual(cancelled.status, .cancelled)
        // LIGHT, 30 days before departure, is refundable (article 5), but this trip was never paid: nothing to give back.
        XCTAssertEqual(cancelled.refundState, .notApplicable)
        let again = try await browser.post("\(path)/cancel", form: [:])
        XCTAssertEqual(again.status, .conflict)
    }

    func testEditingATravellerValidatesThePhone() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let travellerID = trip.travellerLinks[0].$traveller.id
        let browser = try await signedIn("agent@a.example")
        let path = "/trips/\(trip.id!)/travellers/\(travellerID)/edit"
        let page = try await browser.get(path)
        XCTAssertEqual(page.status, .ok)
        let bad = try await browser.post(path, form: ["firstName": "Zoé", "lastName": "T", "phone": "12"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let good = try await browser.post(path, form: ["firstName": "Zoé", "lastName": "T", "phone": "+1 415 555 0123", "language": "en"])
        XCTAssertEqual(good.status, .seeOther)
        let traveller = try await Traveller.find(travellerID, on: app.db)!
        XCTAssertEqual(traveller.phone, "+14155550123")
        XCTAssertFalse(traveller.consentCallRecording, "an unticked box is a refusal")
    }

    func testListSearchFilterAndPagination() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        for i in 0..<30 {
            _ = try await makeTrip(
                for: agency, departure: Date().addingTimeInterval(Double(5 + i) * 86400),
                destination: i % 2 == 0 ? "us-nyc" : "br-rio", reference: String(format: "LIST-%02d", i))
        }
        let inService = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "NOW-1")
        let browser = try await signedIn("agent@a.example")
        let first = try await browser.get("/trips")
        XCTAssertEqual(first.status, .ok)
        XCTAssertEqual(first.body.string.components(separatedBy: "<tr>").count - 2, 25, "25 trips a page")
        let second = try await browser.get("/trips?page=2")
        XCTAssertEqual(second.body.string.components(separatedBy: "<tr>").count - 2, 6)
        let search = try await browser.get("/trips?q=LIST-07")
        XCTAssertTrue(search.body.string.contains("LIST-07"))
        XCTAssertFalse(search.body.string.contains("LIST-08"))
        let rio = try await browser.get("/trips?destination=br-rio")
        XCTAssertTrue(rio.body.string.contains("LIST-01"))
        XCTAssertFalse(rio.body.string.contains("LIST-00"))
        let now = try await browser.get("/trips?phase=in_service")
        XCTAssertTrue(now.body.string.contains("NOW-1"))
        XCTAssertFalse(now.body.string.contains("LIST-20"))
        // Another agency's trip with the same traveller name and a matching reference stays out of every list.
        let other = try await makeAgency("B")
        _ = try await makeTrip(for: other, departure: Date().addingTimeInterval(-86400), reference: "LIST-07-B")
        let byName = try await browser.get("/trips?q=traveller")
        XCTAssertTrue(byName.body.string.contains(inService.reference!), "search matches traveller names")
        XCTAssertTrue(byName.body.string.contains("Zoé Traveller"), "rows show the travellers' names")
        XCTAssertFalse(byName.body.string.contains("LIST-07-B"))
        let lower = try await browser.get("/trips?q=list-07")
        XCTAssertTrue(lower.body.string.contains(">LIST-07<"), "search ignores case, on PostgreSQL too")
        XCTAssertFalse(lower.body.string.contains("LIST-07-B"))
        let wildcard = try await browser.get("/trips?q=%25")
        XCTAssertFalse(wildcard.body.string.contains("LIST-07"), "LIKE wildcards typed by the user match nothing special")
        let unknown = try await browser.get("/trips?destination=xx-nowhere")
        XCTAssertEqual(unknown.status, .ok)
        XCTAssertFalse(unknown.body.string.contains("LIST-"), "an unknown destination lists no trip")
        let dashboard = try await browser.get("/")
        XCTAssertTrue(dashboard.body.string.contains("NOW-1"), "travellers at destination now")
        XCTAssertTrue(dashboard.body.string.contains("LIST-00"), "upcoming departures")
        XCTAssertFalse(dashboard.body.string.contains("LIST-07-B"))
    }

    func testScopeOfActionSavesANewVersionEachTime() async throws {
        let agency = try await makeAgency("A")
        let admin = try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@a.example")
        _ = try await browser.get("/scope")
        var form: [String: String] = [:]
        for d in ScopeDomain.allCases { form["level[\(d.rawValue)]"] = "act_after_approval"; form["cap[\(d.rawValue)]"] = "0" }
        form["level[car_rental]"] = "act_within_cap"
        form["cap[car_rental]"] = "150,50"
        let saved = try await browser.post("/scope", form: form)
        XCTAssertEqual(saved.status, .seeOther)
        let latest = try await ScopeService.current(agencyID: agency.requireID(), on: app.db)!
        XCTAssertEqual(latest.version, 2)
        XCTAssertEqual(latest.createdBy, admin.id)
        XCTAssertEqual(latest.scope.rule(for: .carRental).capMinorUnits, 15_050)
        XCTAssertEqual(latest.scope.rule(for: .carRental).level, .actWithinCap)

        form["cap[car_rental]"] = "0"
        form["level[flights]"] = "spend everything"
        let bad = try await browser.post("/scope", form: form)
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let still = try await ScopeService.current(agencyID: agency.requireID(), on: app.db)!
        XCTAssertEqual(still.version, 2)
        let page = try await browser.get("/scope")
        XCTAssertTrue(page.body.string.contains("Version 2"))
    }
}

extension Date {
    func roundedDownToMinute() -> Date { Date(timeIntervalSince1970: (timeIntervalSince1970 / 60).rounded(.down) * 60) }
}
