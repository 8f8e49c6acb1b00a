import Foundation
import XCTest

@testable import OnSpotCore

/// Retention cut-offs, bounds, article 12(3) deadlines and Twilio recording references (issue 15).
final class RetentionTests: XCTestCase {
    var utc: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    func day(_ y: Int, _ m: Int, _ d: Int, hour: Int = 12) -> Date { utc.date(from: DateComponents(year: y, month: m, day: d, hour: hour))! }

    func testACutoffIsCalendarMonthsBackInUTC() {
        XCTAssertEqual(RetentionClock.cutoff(months: 1, before: day(2027, 3, 31)), day(2027, 2, 28), "no 31 February")
        XCTAssertEqual(RetentionClock.cutoff(months: 1, before: day(2028, 3, 31)), day(2028, 2, 29), "leap year")
        XCTAssertEqual(RetentionClock.cutoff(months: 36, before: day(2026, 11, 29)), day(2023, 11, 29))
        XCTAssertEqual(RetentionClock.cutoff(months: 0, before: day(2026, 11, 29)), day(2026, 11, 29))
        XCTAssertEqual(RetentionClock.cutoff(months: -5, before: day(2026, 11, 29)), day(2026, 11, 29), "never in the future")
        XCTAssertEqual(RetentionClock.cutoff(months: Int.max, before: day(2026, 11, 29)), day(1926, 11, 29), "bounded, no overflow")
        XCTAssertEqual(RetentionClock.closureErasure(closedAt: day(2026, 11, 1)), day(2026, 12, 1))
    }

    func testDefaultsAndBounds() {
        XCTAssertEqual(RetentionCategory.conversations.defaultMonths, 36)
        XCTAssertEqual(RetentionCategory.recordings.defaultMonths, 6, "the French regulator's guidance")
        for c in RetentionCategory.allCases {
            let b = RetentionBounds.standard(c)
            XCTAssertTrue(b.minimum <= b.defaultMonths && b.defaultMonths <= b.maximum, c.rawValue)
        }
        let b = RetentionBounds(minimum: 12, maximum: 48, defaultMonths: 36)
        XCTAssertEqual(b.effective(nil), 36)
        XCTAssertEqual(b.effective(6), 12, "held within the bounds narrowed after the choice")
        XCTAssertEqual(b.effective(60), 48)
        XCTAssertEqual(b.effective(24), 24)
        XCTAssertEqual(
            try RetentionBounds.check(minimum: 1, maximum: 24, defaultMonths: 6, category: .logs).get(),
            RetentionBounds(minimum: 1, maximum: 24, defaultMonths: 6))
        func fields(_ r: Result<RetentionBounds, ValidationFailure>) -> [String] {
            if case .failure(let f) = r { return f.errors.map(\.field) }
            return []
        }
        XCTAssertEqual(fields(RetentionBounds.check(minimum: 13, maximum: 24, defaultMonths: 12, category: .logs)), ["default.logs"])
        XCTAssertEqual(
            fields(RetentionBounds.check(minimum: 0, maximum: 121, defaultMonths: nil, category: .logs)),
            ["minimum.logs", "maximum.logs", "default.logs"])
    }

    func testArticle12Deadlines() {
        XCTAssertEqual(DataSubjectDeadline.text(DataSubjectDeadline.due(received: day(2027, 1, 31))), "2027-02-28")
        XCTAssertEqual(DataSubjectDeadline.text(DataSubjectDeadline.due(received: day(2026, 11, 29))), "2026-12-29")
        XCTAssertEqual(DataSubjectDeadline.text(DataSubjectDeadline.extended(due: day(2026, 12, 29))), "2027-02-28")
        let today = day(2026, 11, 29)
        XCTAssertEqual(DataSubjectDeadline.day("2026-11-02", today: today).map(DataSubjectDeadline.text), "2026-11-02")
        for bad in ["2026-02-30", "2026-13-01", "26-11-02", "2026-11-2", "2026/11/02", "", "9999-01-01", "２０２６-11-02", "2026-11-02x"] {
            XCTAssertNil(DataSubjectDeadline.day(bad, today: today), bad)
        }
        XCTAssertEqual(DataSubjectDeadline.daysLeft(until: day(2026, 12, 29, hour: 1), today: day(2026, 11, 29, hour: 23)), 30)
        XCTAssertEqual(DataSubjectDeadline.daysLeft(until: day(2026, 11, 28), today: today), -1)
        XCTAssertEqual(DataSubjectRequestKind.erasure.article, "17")
        XCTAssertTrue(DataSubjectRequestStatus.refused.isClosed)
        XCTAssertFalse(DataSubjectRequestStatus.extended.isClosed)
    }

    func testARecordingReferenceIsReadFromTwiliosURLAndNothingElse() {
        let account = "AC" + String(repeating: "a1", count: 16)
        let recording = "RE" + String(repeating: "b2", count: 16)
        let url = "https://api.twilio.com/2010-04-01/Accounts/\(account)/Recordings/\(recording)"
        XCTAssertEqual(TwilioVoice.recordingReference(url: url), .init(accountSID: account, recordingSID: recording))
        XCTAssertEqual(TwilioVoice.recordingReference(url: url + ".json")?.recordingSID, recording)
        XCTAssertEqual(TwilioVoice.recordingReference(url: url + ".mp3")?.recordingSID, recording)
        for bad in [
            "https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE1",
            "https://api.twilio.com/2010-04-01/Accounts/\(account)/Recordings/../../Calls",
            "https://api.twilio.com/2010-04-01/Accounts/\(account)/Calls/\(recording)",
            "https://api.twilio.com/2010-04-01/Accounts/\(recording)/Recordings/\(account)",
            "https://api.twilio.com/2010-04-01/Accounts/\(account)/Recordings/RE" + String(repeating: "ｂ", count: 32),
            "", "Accounts"
        ] {
            XCTAssertNil(TwilioVoice.recordingReference(url: bad), bad)
        }
        XCTAssertTrue(
            TwiML.dial(["+1"], record: true, recordingCallback: "https://x.example/r?to=%2B1&a=b").contains(
                #"recordingStatusCallback="https://x.example/r?to=%2B1&amp;a=b""#))
        XCTAssertFalse(TwiML.dial(["+1"], record: false, recordingCallback: "https://x.example/r").contains("recordingStatusCallback"))
    }
}
