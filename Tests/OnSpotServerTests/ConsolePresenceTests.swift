import Fluent
import NIOConcurrencyHelpers
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, item 4: two experts on one case know it. A page's presence reaches the other consoles of the case's
/// destination only; a reply on a case someone else holds asks first.
final class ConsolePresenceTests: GraphTestCase {
    func testPresenceNamesTheCaseAndStaysWithinItsDestination() async throws {
        let record = try await openCase()
        let nyc = try XCTUnwrap(record.destinationID)
        let me = UUID()
        func presence(_ text: String, covered: Set<UUID>?) async throws -> LiveEvent? {
            guard let message = ConsolePagesController.PresenceMessage(text) else { return nil }
            return try await ConsolePagesController.presence(message, userID: me, name: "Paul", covered: covered, on: app.db)
        }
        let viewing = try await presence(#"{"type":"viewing","caseID":"\#(record.id!.uuidString)"}"#, covered: [nyc])
        XCTAssertEqual(viewing?.type, .presence)
        XCTAssertEqual(viewing?.destinationID, nyc, "sent to the consoles of the case's destination")
        XCTAssertEqual(viewing?.from, "Paul")
        XCTAssertEqual(viewing?.decision, "viewing")
        XCTAssertEqual(viewing?.userID, me)
        let encoded = try XCTUnwrap(viewing.flatMap(LiveHub.encoded))
        XCTAssertTrue(encoded.contains(#""type":"presence""#) && encoded.contains(#""userID":"\#(me.uuidString)""#), encoded)
        let typing = try await presence(#"{"type":"typing","caseID":"\#(record.id!.uuidString)"}"#, covered: nil)
        XCTAssertEqual(typing?.decision, "typing", "an OnSpot admin covers every destination")
        for refused in [
            #"{"type":"viewing","caseID":"\#(record.id!.uuidString)"}"#,  // not covered (below)
            #"{"type":"shouting","caseID":"\#(record.id!.uuidString)"}"#, #"{"type":"viewing","caseID":"nope"}"#,
            #"{"type":"viewing","caseID":"\#(UUID().uuidString)"}"#, "not json", String(repeating: "x", count: 300)
        ] {
            let event = try await presence(refused, covered: [UUID()])
            XCTAssertNil(event, refused)
        }
    }

    /// A page says "viewing" as it opens and "typing" at the first key, often within the same tenth of a second: the
    /// second must not be lost to the first; a flood of either is cut to one a second.
    func testEachKindOfPresenceHasItsOwnPace() {
        let gate = ConsolePagesController.PresenceGate()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertTrue(gate.admits(.viewing, at: t))
        XCTAssertTrue(gate.admits(.typing, at: t.addingTimeInterval(0.01)), "typing right after viewing goes through")
        XCTAssertFalse(gate.admits(.typing, at: t.addingTimeInterval(0.5)))
        XCTAssertFalse(gate.admits(.viewing, at: t.addingTimeInterval(0.9)))
        XCTAssertTrue(gate.admits(.typing, at: t.addingTimeInterval(1.02)))
        XCTAssertTrue(gate.admits(.viewing, at: t.addingTimeInterval(1.0)))
    }

    func testAReplyOnACaseSomeoneElseHoldsAsksFirst() async throws {
        let record = try await openCase()
        let browser = try await expert(covering: ["us-nyc"])
        let paul = try await makeUser("paul@onspot.example", role: .expert, agency: nil, language: .en)
        record.assigneeID = paul.id
        try await record.save(on: app.db)
        let asked = try await reply(browser, record, ["text": "Je m'en occupe"])
        XCTAssertEqual(asked.status, .conflict)
        XCTAssertTrue((jsonObject(asked)["type"] as? String)?.hasSuffix("held-by-other") == true)
        XCTAssertEqual(jsonObject(asked)["detail"] as? String, "paul a pris ce dossier. Envoyer quand même votre réponse ?")
        XCTAssertTrue(graph.requests.isEmpty, "nothing sent before the expert confirms")
        let confirmed = try await reply(browser, record, ["text": "Je m'en occupe", "confirmHeld": true])
        XCTAssertEqual(confirmed.status, .accepted, confirmed.body.string)
        // The holder replies without being asked.
        let holder = try await signedIn("paul@onspot.example")
        let link = ExpertDestination()
        link.$user.id = try paul.requireID()
        link.$destination.id = try XCTUnwrap(record.destinationID)
        try await link.create(on: app.db)
        let own = try await reply(holder, record, ["text": "On it"])
        XCTAssertEqual(own.status, .accepted, own.body.string)
        try await sent()
        XCTAssertEqual(graph.requests.count, 2)
    }

    /// Over the real socket: an OnSpot admin's console goes live too (it covers every destination), and what its page
    /// says reaches the expert of the case's destination, named.
    func testAnAdminsPresenceReachesTheExpertOverTheLiveFeed() async throws {
        let record = try await openCase()
        let expertBrowser = try await expert(covering: ["us-nyc"])
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let adminBrowser = try await signedIn("admin@onspot.example")
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        let seen = NIOLockedValueBox<[String]>([])
        let said = NIOLockedValueBox<[String]>([])
        let expertSocket = try await connectLiveFeed(expertBrowser, origin: app.onspot.publicBaseURL, port: port, received: seen)
        let adminSocket = try await connectLiveFeed(adminBrowser, origin: app.onspot.publicBaseURL, port: port, received: said)
        XCTAssertEqual(adminSocket?.isClosed, false, "the admin's console is live")
        XCTAssertTrue(said.withLockedValue { $0 }.contains { $0.hasPrefix(#"{"type":"hello","me":""#) })
        try await adminSocket?.send(#"{"type":"typing","caseID":"\#(record.id!.uuidString)"}"#)
        for _ in 0..<250 where !seen.withLockedValue({ $0.contains { $0.contains(#""type":"presence""#) } }) {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let presence = seen.withLockedValue { $0 }.first { $0.contains(#""type":"presence""#) } ?? ""
        XCTAssertTrue(presence.contains(#""decision":"typing""#) && presence.contains(#""from":"admin""#), presence)
        try await expertSocket?.close().get()
        try await adminSocket?.close().get()
        await app.server.shutdown()
    }
}
