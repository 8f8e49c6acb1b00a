import Foundation
import XCTest
@testable import OnSpotCore

final class TripRulesTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let destinations: Set<String> = ["us-nyc", "ca-yul"]

    func draft(departureIn hours: Double, travellers: [TravellerDraft]? = nil) -> TripDraft {
        let departure = now.addingTimeInterval(hours * 3600)
        return TripDraft(
            reference: "R1", destinationCodes: ["us-nyc"], departure: departure, arrival: nil,
            returnDate: departure.addingTimeInterval(7 * 86400), notes: nil,
            travellers: travellers ?? [TravellerDraft(firstName: "Ana", lastName: "Costa", phone: "+351 912 345 678")])
    }

    func testRegistrationDeadlineIs72HoursBeforeDeparture() {
        // Marketing page step 1: "au plus tard 72 heures avant le départ".
        for (hours, accepted) in [(71.0, false), (71.99, false), (72.0, true), (73.0, true), (400.0, true), (-5.0, false)] {
            let result = TripValidation.validate(draft(departureIn: hours), knownDestinations: destinations, now: now, defaultLanguage: .fr)
            switch result {
            case .success: XCTAssertTrue(accepted, "departure in \(hours) h should be refused")
            case .failure(let f):
                XCTAssertFalse(accepted, "departure in \(hours) h should be accepted: \(f.errors)")
                XCTAssertEqual(f.errors.map(\.field), ["departure"])
                XCTAssertEqual(f.errors.first?.message, "trip.error.registration_deadline")
            }
        }
    }

    func testAnEditAfterTheDeadlineMayKeepOrDelayTheDepartureButNotBringItForward() {
        let registered = now.addingTimeInterval(10 * 3600)
        let edit = TripValidation.Purpose.edit(registeredDeparture: registered)
        let kept = TripValidation.validate(draft(departureIn: 10), knownDestinations: destinations, now: now, purpose: edit, defaultLanguage: .fr)
        guard case .success = kept else { return XCTFail("edits of registered trips are not held to the deadline") }
        let delayed = TripValidation.validate(draft(departureIn: 30), knownDestinations: destinations, now: now, purpose: edit, defaultLanguage: .fr)
        guard case .success = delayed else { return XCTFail("a later departure is always allowed") }
        let earlier = TripValidation.validate(draft(departureIn: 5), knownDestinations: destinations, now: now, purpose: edit, defaultLanguage: .fr)
        guard case .failure(let failure) = earlier else { return XCTFail("moving the departure earlier inside the deadline is refused") }
        XCTAssertEqual(failure.errors.map(\.message), ["trip.error.registration_deadline"])
        let noTravellers = TripValidation.validate(
            TripDraft(
                reference: nil, destinationCodes: ["us-nyc"], departure: registered, arrival: registered,
                returnDate: registered.addingTimeInterval(86400), notes: nil, travellers: []),
            knownDestinations: destinations, now: now, purpose: edit, defaultLanguage: .fr)
        guard case .success = noTravellers else { return XCTFail("an edit of the trip's own fields does not carry its travellers") }
    }

    func testSeedDataIsNotHeldToTheDeadline() {
        let result = TripValidation.validate(draft(departureIn: 10), knownDestinations: destinations, now: now, purpose: .seed, defaultLanguage: .fr)
        guard case .success = result else { return XCTFail("the seed writes trips dated as it needs") }
    }

    func testServiceWindowOpens72HoursBeforeArrivalAndClosesAtReturn() {
        // Clause 2.7.
        let arrival = now
        let back = now.addingTimeInterval(10 * 86400)
        let window = TripRules.serviceWindow(arrival: arrival, return: back)
        XCTAssertEqual(window.lowerBound, arrival.addingTimeInterval(-72 * 3600))
        XCTAssertEqual(window.upperBound, back)
        XCTAssertEqual(TripPhase.of(status: .booked, arrival: arrival, returnDate: back, now: arrival.addingTimeInterval(-72 * 3600 - 1)), .upcoming)
        XCTAssertEqual(TripPhase.of(status: .booked, arrival: arrival, returnDate: back, now: arrival.addingTimeInterval(-72 * 3600)), .inService)
        XCTAssertEqual(TripPhase.of(status: .booked, arrival: arrival, returnDate: back, now: back), .inService)
        XCTAssertEqual(TripPhase.of(status: .booked, arrival: arrival, returnDate: back, now: back.addingTimeInterval(1)), .ended)
        XCTAssertEqual(TripPhase.of(status: .cancelled, arrival: arrival, returnDate: back, now: arrival), .cancelled)
    }

    func testFieldErrorsNameEachBadField() {
        var d = draft(
            departureIn: 100,
            travellers: [
                TravellerDraft(
                    firstName: "", lastName: "Costa", dateOfBirth: "1990-02-30", phone: "0612345678", email: "not-an-email", language: "de")
            ])
        d.destinationCodes = ["us-nyc", "xx-nope", "us-nyc"]
        guard case .failure(let f) = TripValidation.validate(d, knownDestinations: destinations, now: now, defaultLanguage: .fr) else {
            return XCTFail("expected errors")
        }
        let fields = Set(f.errors.map(\.field))
        XCTAssertEqual(
            fields,
            [
                "destinations[1]", "destinations", "travellers[0].firstName", "travellers[0].dateOfBirth",
                "travellers[0].phone", "travellers[0].email", "travellers[0].language"
            ])
    }

    func testReturnMustFollowArrivalAndTravellersAreRequired() {
        var d = draft(departureIn: 100, travellers: [])
        d.returnDate = d.departure
        guard case .failure(let f) = TripValidation.validate(d, knownDestinations: destinations, now: now, defaultLanguage: .fr) else {
            return XCTFail("expected errors")
        }
        XCTAssertEqual(Set(f.errors.map(\.message)), ["trip.error.return_before_arrival", "trip.error.traveller_required"])
    }

    func testValidTripNormalisesTravellers() throws {
        let result = TripValidation.validate(
            draft(
                departureIn: 100,
                travellers: [
                    TravellerDraft(
                        firstName: " Ana ", lastName: "Costa", dateOfBirth: "1990-02-28", phone: "00351 912-345-678",
                        email: " Ana.Costa@Example.PT ", language: "PT")
                ]), knownDestinations: destinations, now: now, defaultLanguage: .fr)
        guard case .success(let trip) = result else { return XCTFail("\(result)") }
        let t = try XCTUnwrap(trip.travellers.first)
        XCTAssertEqual(t.firstName, "Ana")
        XCTAssertEqual(t.phone?.e164, "+351912345678")
        XCTAssertEqual(t.email, "ana.costa@example.pt")
        XCTAssertEqual(t.language, .pt)
        XCTAssertTrue(t.consentsToCallRecording)
        XCTAssertFalse(t.consentsToRecommendations)
        XCTAssertEqual(trip.arrival, trip.departure, "arrival defaults to departure")
    }

    func testRefundNoticeOfArticle5() {
        let departure = now.addingTimeInterval(30 * 86400)
        // LIGHT: up to 7 days before departure.
        XCTAssertEqual(CancellationRules.refundState(departure: departure, noticeHours: 168, now: departure.addingTimeInterval(-7 * 86400)), .pending)
        XCTAssertEqual(
            CancellationRules.refundState(departure: departure, noticeHours: 168, now: departure.addingTimeInterval(-7 * 86400 + 1)), .notRefundable)
        // PLUS: up to 24 hours before departure.
        XCTAssertEqual(CancellationRules.refundState(departure: departure, noticeHours: 24, now: departure.addingTimeInterval(-24 * 3600)), .pending)
        XCTAssertEqual(CancellationRules.refundState(departure: departure, noticeHours: 24, now: departure.addingTimeInterval(-3600)), .notRefundable)
    }
}

final class TextFieldTests: XCTestCase {
    func testRequiredAndLimitAreWordedOnce() {
        XCTAssertEqual(TextField.check(nil, field: "name", limit: 10), FieldError(field: "name", message: "error.required"))
        XCTAssertEqual(TextField.check(" \n\t", field: "name", limit: 10), FieldError(field: "name", message: "error.required"))
        XCTAssertNil(TextField.check(nil, field: "notes", required: false, limit: 10))
        XCTAssertNil(TextField.check("0123456789", field: "name", limit: 10))
        XCTAssertEqual(TextField.check("01234567890", field: "name", limit: 10), FieldError(field: "name", message: "error.too_long"))
        XCTAssertEqual(
            TextField.check([("", "a", true, 5), ("long text", "b", false, 5), ("ok", "c", true, 5)]).map(\.field), ["a", "b"])
        var errors: [FieldError] = []
        errors.append(TextField.check("fine", field: "d", limit: 5))
        XCTAssertTrue(errors.isEmpty)
    }

    func testAMinimumAndAllowedCharactersAreWordedOnce() {
        XCTAssertEqual(TextField.check("short", field: "secret", minimum: 8, limit: 256), FieldError(field: "secret", message: "error.too_short"))
        XCTAssertNil(TextField.check("", field: "secret", required: false, minimum: 8, limit: 256), "an optional field left empty is fine")
        XCTAssertNil(TextField.check("long enough", field: "secret", minimum: 8, limit: 256))
        let idCharacters: (Character) -> Bool = { $0.isLetter || $0.isNumber || "+_-".contains($0) }
        XCTAssertNil(TextField.check("+1_555-0100", field: "id", limit: 64, allowed: idCharacters))
        XCTAssertEqual(TextField.check("a b", field: "id", limit: 64, allowed: idCharacters), FieldError(field: "id", message: "error.characters"))
        XCTAssertEqual(
            TextField.check(String(repeating: " ", count: 70), field: "id", required: false, limit: 64),
            FieldError(field: "id", message: "error.too_long"), "blank but oversized is still too long")
    }
}
