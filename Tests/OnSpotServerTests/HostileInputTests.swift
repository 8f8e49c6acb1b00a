import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor

/// Every registered route, for every role, with hostile values in every path parameter, query parameter, form field
/// and JSON field. The route table is read from the application itself, so a route added tomorrow is covered
/// without being listed here. Field names come from the forms the pages render and from the OpenAPI document.
/// No answer may be a 5xx, the process must still answer `/health`, and nothing may be left half-written.
final class HostileInputTests: ServerTestCase {
    /// Values that have stopped servers: overflowing and negative integers, broken escapes, control characters,
    /// huge text, impossible dates, non-ASCII digits, markup and SQL.
    static let hostileText: [String] = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "-1", "1e309", "NaN",
        "%zz", "%", "a b#c", "{", "\u{0}", "\u{0}\u{1}\u{7F}", String(repeating: "\u{0}", count: 40), String(repeating: "A", count: 100_000),
        "2026-02-30", "2026-13-45T25:61:61+99:99", "0000-00-00", "300000-01-01T00:00:00Z",
        "١٢٣", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "😀\u{202E}"
    ]

    /// JSON values of every wrong shape: numbers beyond Int64 and Double, deep nesting, wrong types.
    static let hostileJSON: [String] = [
        "1e400", "-9223372036854775809", "18446744073709551616", "-1", "\"%zz\"", "\"\\u0000\"",
        "\"" + String(repeating: "B", count: 4_000) + "\"", String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
        "{\"nested\":{\"deeper\":[1,{\"a\":null}]}}", "[]", "true", "null", "\"2026-02-30T25:00:00+99:00\"", "\"١٢:٣٠\"", "12.5"
    ]

    struct Caller {
        let name: String
        let browser: TestBrowser?
        let apiKey: String?
    }

    func testEveryRouteForEveryRoleSurvivesHostileInput() async throws {
        // setup: one agency with a trip, a case and an approval-ready scope; every role signed in.
        let agency = try await makeAgency("Horizon")
        let other = try await makeAgency("Other", plan: .light)
        try await makeUser("agent@horizon.example", role: .agencyAgent, agency: agency)
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        try await makeUser("admin@other.example", role: .agencyAdmin, agency: other)
        let expert = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        try await makeUser("ops@onspot.example", role: .onspotAdmin, agency: nil)
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let link = ExpertDestination()
        link.$user.id = try expert.requireID()
        link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86_400), reference: "HZ-1")
        let record = InboundProcessor.newCase(
            for: {
                let c = Conversation()
                c.id = UUID(); c.channel = .whatsapp; c.externalUserID = "33612345678"; c.destinationID = nyc.id
                c.identified = true; c.agencyID = agency.id; c.tripID = trip.id; c.travellerID = trip.travellerLinks[0].$traveller.id
                c.createdAt = Date()
                return c
            }(), at: Date())
        record.conversationID = nil
        try await record.create(on: app.db)
        let key = try await makeApiKey(for: agency)

        let callers = [
            Caller(name: "anonymous", browser: TestBrowser(app: app), apiKey: nil),
            Caller(name: "agent", browser: try await signedIn("agent@horizon.example"), apiKey: nil),
            Caller(name: "agency admin", browser: try await signedIn("admin@horizon.example"), apiKey: nil),
            Caller(name: "expert", browser: try await signedIn("expert@onspot.example"), apiKey: nil),
            Caller(name: "OnSpot admin", browser: try await signedIn("ops@onspot.example"), apiKey: nil),
            Caller(name: "API key", browser: nil, apiKey: key)
        ]
        _ = try await callers[0].browser?.get("/login")
        let tripsBefore = try await Trip.query(on: app.db).count()

        // Real ids for path parameters, so the handlers' own validation runs, not only the 404 of an unknown id.
        let realIDs: [String: String] = [
            "tripID": trip.id!.uuidString, "travellerID": trip.travellerLinks[0].$traveller.id.uuidString,
            "caseID": record.id!.uuidString, "destinationID": nyc.id!.uuidString, "token": "not-a-card-token"
        ]
        let (formFields, queryFields) = try await harvestFieldNames(callers.compactMap(\.browser), realIDs: realIDs)
        let jsonFields = Self.openAPIFieldNames()
        XCTAssertGreaterThan(formFields.count, 40, "the pages' forms were read")
        XCTAssertGreaterThan(jsonFields.count, 20, "the API document was read")

        let routes = app.routes.all
        XCTAssertGreaterThan(routes.count, 100)
        var sent = 0
        var serverErrors: [String] = []
        for route in routes {
            for caller in callers {
                for (round, hostile) in Self.hostileText.enumerated() {
                    // Broken escapes go out as they are (never re-escaped), other values raw on every third round.
                    let raw = round % 3 == 0 || ["%zz", "%", "{"].contains(hostile)
                    // Path: the hostile value in every parameter on even rounds, real ids on odd ones (so bodies reach handlers).
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            switch component {
                            case .constant(let c): return c
                            case .parameter(let name): return round % 2 == 0 ? Self.pathEscaped(hostile) : (realIDs[name] ?? UUID().uuidString)
                            case .anything, .catchall: return Self.pathEscaped(hostile)
                            }
                        }.joined(separator: "/")
                    // Long values are cut per field so the whole request stays under the body and URL limits, and reaches handlers.
                    let value = String(hostile.prefix(5_000))
                    let query = queryFields.map { "\($0)=\(Self.queryEscaped(String(value.prefix(1_000)), raw: raw))" }.joined(separator: "&")
                    let url = path + "?" + query
                    var headers = HTTPHeaders()
                    if let cookies = caller.browser?.cookieHeader, !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies) }
                    if let key = caller.apiKey { headers.bearerAuthorization = BearerAuthorization(token: key) }
                    var body: ByteBuffer?
                    if [.POST, .PATCH, .PUT].contains(route.method) {
                        if path.hasPrefix("/api/") || caller.apiKey != nil {
                            headers.contentType = .json
                            let value = Self.hostileJSON[round % Self.hostileJSON.count]
                            let fields = jsonFields.map { "\"\($0)\":\(value)" }.joined(separator: ",")
                            let nested = "\"travellers\":[{\(fields)}],\"segments\":[{\(fields)}]"
                            body = ByteBuffer(string: round % 5 == 4 ? "{\"broken\": " : "{\(fields),\(nested)}")
                        } else {
                            headers.contentType = .urlEncodedForm
                            var text = formFields.map { "\(Self.queryEscaped($0, raw: false))=\(Self.queryEscaped(value, raw: raw))" }
                                .joined(separator: "&")
                            text += "&_csrf=" + Self.queryEscaped(caller.browser?.csrf ?? "", raw: false)
                            var buffer = ByteBuffer(string: text)
                            if round % 4 == 3 { buffer.writeBytes([0x26, 0x62, 0x3D, 0xFF, 0xFE, 0xC0]) }  // "&b=" then invalid UTF-8
                            body = buffer
                        }
                    }
                    let res = try await app.sendRequest(route.method, url, headers: headers, body: body)
                    sent += 1
                    if res.status.code >= 500 {
                        serverErrors.append(
                            "\(route.method) \(route.path.string) as \(caller.name), round \(round): \(res.status.code) \(res.body.string.prefix(200))"
                        )
                    }
                }
            }
        }
        print("hostile input: \(sent) requests over \(routes.count) routes and \(callers.count) callers, \(serverErrors.count) 5xx")
        XCTAssertEqual(serverErrors, [], "no hostile input may produce a 5xx")

        // validate: the process still answers, and nothing was left half-written.
        let health = try await app.sendRequest(.GET, "/health")
        XCTAssertEqual(health.status, .ok)
        let tripsAfter = try await Trip.query(on: app.db).with(\.$travellerLinks).with(\.$destinationLinks).all()
        XCTAssertEqual(tripsAfter.count, tripsBefore, "no trip was created from hostile values")
        for t in tripsAfter {
            XCTAssertFalse(t.travellerLinks.isEmpty, "trip \(t.reference ?? "") kept its travellers")
            XCTAssertFalse(t.destinationLinks.isEmpty, "trip \(t.reference ?? "") kept its destinations")
        }
        let brokenAudit = try await AuditLog.verify(on: app.db)
        XCTAssertNil(brokenAudit, "the audit chain is whole")
        let events = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(events, 0, "no unsigned webhook was stored")
    }

    /// Names of every field of every form the pages show to each role, and of every query parameter their links use.
    func harvestFieldNames(_ browsers: [TestBrowser], realIDs: [String: String]) async throws -> ([String], [String]) {
        var fields: Set<String> = []
        var queries: Set<String> = [
            "page", "perPage", "q", "phase", "destination", "month", "lang", "next", "token", "action", "assess",
            "status", "decision", "date", "hub.mode", "hub.verify_token", "hub.challenge"
        ]
        for route in app.routes.all where route.method == .GET {
            let path =
                "/"
                + route.path.map { component -> String in
                    if case .parameter(let name) = component { return realIDs[name] ?? UUID().uuidString }
                    if case .constant(let c) = component { return c }
                    return "x"
                }.joined(separator: "/")
            for browser in browsers {
                let html = try await browser.get(path).body.string
                for match in html.matches(of: /name="([^"]{1,80})"/) { fields.insert(String(match.1)) }
                for match in html.matches(of: /[?&]([A-Za-z_]{1,30})=/) { queries.insert(String(match.1)) }
            }
        }
        fields.remove("_csrf")
        // Fields no page shows but providers post (Twilio's callbacks): read before any signature is checked.
        fields.formUnion(["To", "From", "CallSid", "RecordingSid", "Digits", "TranscriptionText", "RecordingDuration"])
        return (fields.sorted(), queries.sorted())
    }

    /// Every property name the OpenAPI document declares.
    static func openAPIFieldNames() -> [String] {
        var names: Set<String> = []
        for match in OpenAPIDocument.yaml.matches(of: /\n\s+([A-Za-z][A-Za-z0-9_]*):\s*(\{\s*type|\{\s*\$ref|\n\s+type:|\{\s*oneOf)/) {
            names.insert(String(match.1))
        }
        return names.sorted()
    }

    static func pathEscaped(_ text: String) -> String {
        // Raw `%zz` and `%` stay raw: the URL parser must cope with broken escapes too.
        if text == "%zz" || text == "%" { return text }
        return String(text.prefix(2_000)).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
    }

    static func queryEscaped(_ text: String, raw: Bool) -> String {
        if raw, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "#") }) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
