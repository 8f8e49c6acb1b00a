import Foundation
import XCTest
@testable import OnSpotCore

final class OpeningHoursTests: XCTestCase {
    let newYork = TimeZone(identifier: "America/New_York")!
    let sydney = TimeZone(identifier: "Australia/Sydney")!
    let paris = TimeZone(identifier: "Europe/Paris")!

    func at(_ text: String, _ zone: TimeZone) -> Date { LocalDateTime.parse(text, in: zone)! }

    func testSlotsParseAndRejectOverlaps() {
        XCTAssertEqual(OpeningHours.parseSlots("08:00-12:00, 14:00-20:00")?.count, 2)
        XCTAssertEqual(OpeningHours.parseSlots("")?.count, 0)
        XCTAssertNil(OpeningHours.parseSlots("08:00-12:00,11:00-13:00"))
        XCTAssertNil(OpeningHours.parseSlots("12:00-08:00"))
        XCTAssertNil(OpeningHours.parseSlots("8h-12h"))
        XCTAssertNil(OpeningHours.parseSlots("08:00-24:01"))
        XCTAssertEqual(OpeningHours.parseSlots("00:00-24:00")?.first?.end.minutes, 1440)
    }

    func testOpenInLocalTimeWithSplitSlots() {
        let hours = OpeningHours.everyDay(OpeningHours.parseSlots("08:00-12:00,13:00-20:00")!)
        XCTAssertFalse(hours.isOpen(at: at("2026-06-10T07:59", newYork), in: newYork))
        XCTAssertTrue(hours.isOpen(at: at("2026-06-10T08:00", newYork), in: newYork))
        XCTAssertFalse(hours.isOpen(at: at("2026-06-10T12:30", newYork), in: newYork))
        XCTAssertFalse(hours.isOpen(at: at("2026-06-10T20:00", newYork), in: newYork), "the end of a slot is closed")
        // 15:00 in Paris is 09:00 in New York: open there, whatever the office clock says.
        XCTAssertTrue(hours.isOpen(at: at("2026-06-10T15:00", paris), in: newYork))
    }

    func testClosedOn25DecemberAnd1JanuaryInTheDestinationsOwnDay() {
        // Clause 2.2.
        let hours = OpeningHours.everyDay(OpeningHours.parseSlots("00:00-24:00")!)
        XCTAssertFalse(hours.isOpen(at: at("2026-12-25T10:00", sydney), in: sydney))
        XCTAssertFalse(hours.isOpen(at: at("2027-01-01T23:00", sydney), in: sydney))
        // 25 December 10:00 in Sydney is still 24 December in New York: open in New York.
        XCTAssertTrue(hours.isOpen(at: at("2026-12-25T10:00", sydney), in: newYork))
        XCTAssertTrue(hours.isOpen(at: at("2026-12-26T00:00", newYork), in: newYork))
    }

    func testNextOpeningSkipsClosureDaysAndKnowsDaylightSaving() {
        let hours = OpeningHours.everyDay(OpeningHours.parseSlots("08:00-20:00")!)
        // Evening of 24 December: next opening is 26 December at 08:00 local.
        let next = hours.nextOpening(after: at("2026-12-24T21:00", newYork), in: newYork)
        XCTAssertEqual(next, at("2026-12-26T08:00", newYork))
        // The night US clocks go forward (8 March 2026): 08:00 EDT is 12:00 UTC, not 13:00.
        let spring = hours.nextOpening(after: at("2026-03-07T21:00", newYork), in: newYork)!
        XCTAssertEqual(LocalDateTime.iso8601(spring, in: TimeZone(identifier: "UTC")!), "2026-03-08T12:00:00+00:00")
        XCTAssertEqual(hours.nextOpening(after: at("2026-06-10T10:00", newYork), in: newYork), at("2026-06-10T10:00", newYork))
    }

    func testLocalDateTimesRefuseTimesThatDoNotExist() {
        XCTAssertNil(LocalDateTime.parse("2026-03-08T02:30", in: newYork), "skipped by the spring-forward jump")
        XCTAssertNil(LocalDateTime.parse("2026-02-30T10:00", in: newYork))
        XCTAssertNil(LocalDateTime.parse("2026-06-10 10:00", in: newYork))
        XCTAssertEqual(LocalDateTime.iso8601(at("2026-06-10T10:00", newYork), in: newYork), "2026-06-10T10:00:00-04:00")
        XCTAssertEqual(LocalDateTime.iso8601(at("2026-12-10T10:00", newYork), in: newYork), "2026-12-10T10:00:00-05:00")
        XCTAssertEqual(LocalDateTime.inputValue(at("2026-12-10T10:05", sydney), in: sydney), "2026-12-10T10:05")
    }

    func testDeadlineAcrossDaylightSavingIsSeventyTwoRealHours() {
        // Departure Tuesday 31 March 2026 10:00 Paris (after the 29 March change): deadline is Saturday 28 March 09:00 Paris.
        let departure = at("2026-03-31T10:00", paris)
        let deadline = TripRules.registrationDeadline(departure: departure)
        XCTAssertEqual(LocalDateTime.inputValue(deadline, in: paris), "2026-03-28T09:00")
    }

    /// The queue shares one schedule between the cases of a destination: the days it keeps must give the deadlines a
    /// fresh computation gives, in any order of asking, across a closure day, a daylight-saving change and slots ending
    /// at midnight.
    func testASharedScheduleGivesTheSameDeadlinesAsAFreshOne() {
        var hours = OpeningHours.everyDay(OpeningHours.parseSlots("08:00-12:00,14:00-24:00")!)
        hours.weekly[.sunday] = []
        hours.closures = [ClosureDay(month: 3, day: 10)]
        let schedule = OpeningSchedule(hours: hours, zone: newYork)
        var generator = SeededGenerator(seed: 20)
        let origin = at("2026-03-05T00:00", newYork)
        for _ in 0..<400 {
            let start = origin.addingTimeInterval(Double(Int.random(in: 0..<(14 * 86_400), using: &generator)))
            let minutes = [0, 15, 60, 240, 600, 3000].randomElement(using: &generator)!
            XCTAssertEqual(
                schedule.deadline(after: start, openMinutes: minutes), hours.deadline(after: start, openMinutes: minutes, in: newYork),
                "\(start) + \(minutes) min")
        }
        let sundayNight = at("2026-03-08T23:00", newYork)
        XCTAssertEqual(LocalDateTime.inputValue(schedule.deadline(after: sundayNight, openMinutes: 15)!, in: newYork), "2026-03-09T08:15")
    }
}
