import Fluent
import OnSpotCore
import SQLKit
import XCTest

@testable import OnSpotServer

final class StoredCodeTests: ServerTestCase {
    func testAnUnknownStoredValueIsAnErrorNotADefault() async throws {
        let agency = try await makeAgency("A")
        let trip = try await makeTrip(for: agency, departure: app.clock.now().addingTimeInterval(30 * 86400))
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        try await sql.update(Trip.schema).set("status", to: "archived").where("id", .equal, try trip.requireID()).run()
        do {
            _ = try await Trip.find(trip.id, on: app.db)
            XCTFail("a status the code does not know must not read as another one")
        } catch {}
        try await sql.update(Trip.schema).set("status", to: TripStatus.cancelled.rawValue).where("id", .equal, try trip.requireID()).run()
        let back = try await Trip.find(trip.id, on: app.db)
        XCTAssertEqual(back?.status, .cancelled, "the same strings as before the columns were typed")
    }
}

final class LiveEventTests: XCTestCase {
    func testEventsKeepTheShapeTheConsoleScriptReads() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let message = String(decoding: try encoder.encode(LiveEvent(type: .message, text: "hi")), as: UTF8.self)
        XCTAssertEqual(message, #"{"caseID":"","destinationID":"","text":"hi","type":"message"}"#)
        let id = UUID()
        let decided = String(
            decoding: try encoder.encode(LiveEvent(type: .approvalDecided, caseID: id, status: .inProgress, decision: "approved", comment: "")),
            as: UTF8.self)
        XCTAssertEqual(
            decided, #"{"caseID":"\#(id.uuidString)","comment":"","decision":"approved","status":"in_progress","type":"approval_decided"}"#)
    }
}
