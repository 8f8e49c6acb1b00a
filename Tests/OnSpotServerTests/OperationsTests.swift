import Foundation
import SQLKit
import Logging
import NIOConcurrencyHelpers
@testable import OnSpotServer
import XCTest
import XCTVapor

/// What an operator running several processes relies on: JSON log lines that name their request, the request id
/// echoed to the client and carried to the work it starts, `/ready` refusing traffic while a process stops, and the
/// settings refused when mistyped.
final class OperationsTests: ServerTestCase {
    func testAJSONLogLineIsOneObjectWithTheRequestIdOfTheWorkItBelongsTo() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "onspot.test") { label in
            JSONLogHandler(label: label, level: .info, metadataProvider: RequestContext.metadataProvider) { line in
                lines.withLockedValue { $0.append(line) }
            }
        }
        logger[metadataKey: "process"] = "web-1"
        logger.debug("below the level")
        logger.info("outside any request")
        let configured = logger
        await RequestContext.$requestID.withValue("req-42") {
            // Work started by the request in an unstructured task inherits its id.
            await Task { configured.error("delivery failed", metadata: ["attempt": "2", "text": "line\nbreak \"quoted\""]) }.value
        }
        let written = lines.withLockedValue { $0 }
        XCTAssertEqual(written.count, 2, "one line per message at or above the level")
        XCTAssertFalse(written.contains { $0.contains("\n") }, "a line break in a value stays escaped")
        let objects = try written.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
        XCTAssertEqual(objects[0]["message"], "outside any request")
        XCTAssertNil(objects[0]["request-id"])
        XCTAssertEqual(objects[1]["request-id"], "req-42")
        XCTAssertEqual(objects[1]["level"], "error")
        XCTAssertEqual(objects[1]["attempt"], "2")
        XCTAssertEqual(objects[1]["process"], "web-1")
        XCTAssertEqual(objects[1]["text"], "line\nbreak \"quoted\"")
        XCTAssertEqual(objects[1]["label"], "onspot.test")
        XCTAssertNotNil(objects[1]["time"].flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) })
    }

    func testTheRequestIdIsTheLoadBalancersWhenPlausibleAndAnsweredToTheClient() async throws {
        let given = try await app.sendRequest(.GET, "/ready", headers: ["X-Request-Id": "nginx-0af3c2"])
        XCTAssertEqual(given.headers.first(name: "X-Request-Id"), "nginx-0af3c2")
        let none = try await app.sendRequest(.GET, "/ready")
        XCTAssertEqual(none.headers.first(name: "X-Request-Id")?.count, 36, "a fresh id when none is given")
        for hostile in [String(repeating: "a", count: 300), "id with spaces", "evil\u{7}bell", "<script>"] {
            let res = try await app.sendRequest(.GET, "/ready", headers: ["X-Request-Id": hostile])
            XCTAssertEqual(res.status, .ok)
            let answered = try XCTUnwrap(res.headers.first(name: "X-Request-Id"))
            XCTAssertNotEqual(answered, hostile)
            XCTAssertNotNil(UUID(uuidString: answered), "replaced by a fresh id")
        }
    }

    func testAProcessThatIsStoppingIsNotReady() async throws {
        let before = try await app.sendRequest(.GET, "/ready")
        XCTAssertEqual(before.status, .ok)
        app.draining.withLockedValue { $0 = true }
        let during = try await app.sendRequest(.GET, "/ready")
        XCTAssertEqual(during.status, .serviceUnavailable)
        XCTAssertEqual(during.body.string, "stopping")
        let page = try await app.sendRequest(.GET, "/login")
        XCTAssertEqual(page.status, .ok, "requests still arriving are answered while it drains")
    }

    func testLogFormatAndDrainTimeAreRefusedWhenMistyped() throws {
        let base = ["ONSPOT_MODE": "development"]
        for (key, value) in [
            ("ONSPOT_LOG_FORMAT", "xml"), ("ONSPOT_LOG_FORMAT", "JSON "), ("ONSPOT_DRAIN_SECONDS", "-1"),
            ("ONSPOT_DRAIN_SECONDS", "61"), ("ONSPOT_DRAIN_SECONDS", "5s"), ("ONSPOT_PG_CONNECTIONS_PER_LOOP", "0"),
            ("ONSPOT_PG_CONNECTIONS_PER_LOOP", "33"), ("ONSPOT_PG_CONNECTIONS_PER_LOOP", "many")
        ] {
            XCTAssertThrowsError(try AppConfiguration.load(environment: base.merging([key: value]) { $1 }, flags: .init()), "\(key)=\(value)") {
                error in
                XCTAssertTrue(String(describing: error).contains(key), "\(error)")
            }
        }
        let json = try AppConfiguration.load(
            environment: base.merging(["ONSPOT_LOG_FORMAT": "json", "ONSPOT_DRAIN_SECONDS": "7", "ONSPOT_PG_CONNECTIONS_PER_LOOP": "8"]) { $1 },
            flags: .init())
        XCTAssertEqual(json.postgresConnectionsPerLoop, 8)
        XCTAssertEqual(json.logFormat, .json)
        XCTAssertEqual(json.drainSeconds, 7)
        let defaults = try AppConfiguration.load(environment: base, flags: .init())
        XCTAssertEqual(defaults.logFormat, .text)
        XCTAssertEqual(defaults.drainSeconds, 0, "a lone serve stops at once")
        XCTAssertEqual(defaults.postgresConnectionsPerLoop, 4)
    }
}

/// Sessions are written back only when a request changed them: opening pages costs no write.
final class SessionWriteTests: ServerTestCase {
    func testOpeningPagesDoesNotRewriteTheSessionAndSigningOutDoes() async throws {
        guard !onPostgres, let sql = app.db as? any SQLDatabase else { throw XCTSkip("counts writes with an SQLite trigger") }
        let agency = try await makeAgency("Horizon")
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@horizon.example")
        _ = try await browser.get("/trips")
        try await sql.raw("CREATE TABLE session_writes (n INTEGER)").run()
        try await sql.raw(
            "CREATE TRIGGER count_session_writes AFTER UPDATE ON _fluent_sessions BEGIN INSERT INTO session_writes VALUES (1); END"
        ).run()
        struct Count: Decodable { let n: Int }
        func writes() async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM session_writes").first(decoding: Count.self)?.n ?? -1
        }
        for path in ["/", "/trips", "/trips?q=x", "/"] {
            let page = try await browser.get(path)
            XCTAssertEqual(page.status, .ok)
        }
        let afterPages = try await writes()
        XCTAssertEqual(afterPages, 0, "four pages opened, the session unchanged, nothing written")
        let out = try await browser.post("/logout", form: [:])
        XCTAssertEqual(out.status, .seeOther)
        let signedOut = try await browser.get("/trips")
        XCTAssertEqual(signedOut.status, .seeOther, "signing out still ends the session")
    }
}
