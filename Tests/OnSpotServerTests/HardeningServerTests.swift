import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
@testable import OnSpotServer
import Vapor
import WebSocketKit
import XCTest
import XCTVapor

/// Each finding of issue 12, as a test that failed on the code before the fix.
final class HardeningServerTests: ServerTestCase {
    // MARK: Traps reachable from input

    func testMalformedTwilioBodiesAreRefusedWithoutStoppingTheProcess() async throws {
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let e = ChannelEndpoint()
        e.$destination.id = try nyc.requireID()
        e.channel = .voice; e.externalID = "+18005550199"; e.appSecret = "twilio-auth-token"; e.active = true; e.createdAt = Date()
        try await e.create(on: app.db)
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let server = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
        for path in [
            "/webhooks/twilio/voice", "/webhooks/twilio/voice/consent", "/webhooks/twilio/voice/voicemail",
            "/webhooks/twilio/voice/transcription"
        ] {
            for body in ["a=%zz", "a b#c", "%", "{", "To=%2B18005550199&From=%zz"] {
                let res = try await server.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
                XCTAssertTrue(res.status == .badRequest || res.status == .unauthorized, "\(path) \(body): \(res.status)")
            }
            let bad = try await server.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "a=%zz"))
            XCTAssertEqual(bad.status, .badRequest)
            XCTAssertTrue(bad.body.string.contains("malformed percent escape"), bad.body.string)
        }
        let health = try await app.sendRequest(.GET, "/health")
        XCTAssertEqual(health.status, .ok)
        let storedEvents = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(storedEvents, 0, "nothing stored from unreadable bodies")
    }

    func testHugePageNumbersShowTheLastPossiblePageInsteadOfOverflowing() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        for page in ["9223372036854775807", "-9223372036854775808", "0", "99999999999999999999", "%zz"] {
            let res = try await agent.get("/trips?page=\(page)")
            XCTAssertEqual(res.status, .ok, page)
        }
        let key = try await makeApiKey(for: agency)
        for path in ["/api/v1/trips?page=9223372036854775807", "/api/v1/travellers?page=9223372036854775807", "/api/v1/approvals?perPage=-1"] {
            let res = try await app.sendRequest(.GET, path, headers: apiHeaders(key, json: false))
            XCTAssertEqual(res.status, .unprocessableEntity, path)
        }
    }

    func testAPastedLineOfArabicDigitsIsReadNotATrap() async throws {
        let agency = try await makeAgency("A")
        let key = try await makeApiKey(for: agency)
        for text in ["AF ١٢٣", "Départ ١٢:٣٠ le ٢٠٢٦-٠١-٠١", "１２:３０"] {
            let res = try await app.sendRequest(.POST, "/api/v1/extractions", headers: apiHeaders(key), body: jsonBody(["text": text]))
            XCTAssertEqual(res.status, .ok, text)
        }
    }

    func testNULCharactersAreRefusedInFormsJSONAndQueries() async throws {
        // PostgreSQL cannot store U+0000 in text: without the guard, a sign-in with one was a 500 there.
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let browser = TestBrowser(app: app)
        let form = try await browser.post("/login", form: ["email": "a\u{0}@a.example", "password": "x"])
        XCTAssertEqual(form.status, .badRequest)
        let key = try await makeApiKey(for: agency)
        let json = try await app.sendRequest(
            .POST, "/api/v1/extractions", headers: apiHeaders(key),
            body: ByteBuffer(string: #"{"text":"AF 123\u0000"}"#))
        XCTAssertEqual(json.status, .badRequest)
        XCTAssertEqual(json.headers.contentType?.subType, "problem+json")
        let signedIn = try await self.signedIn("a@a.example")
        let query = try await signedIn.get("/audit?action=a%00b")
        XCTAssertNotEqual(query.status.code / 100, 5)
        let attempts = try await LoginAttempt.query(on: app.db).all()
        XCTAssertFalse(attempts.contains { $0.email.contains("\u{0}") }, "nothing with a NUL was written")
    }

    // MARK: Phone numbers across agencies

    func whatsapp(from: String, id: String, text: String) async throws {
        let body = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"NYC1"},"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"text","text":{"body":"\#(text)"}}]}}]}]}"#
                .utf8)
        var h = HTTPHeaders()
        h.contentType = .json
        h.replaceOrAdd(name: "X-Hub-Signature-256", value: WebhookSignatures.metaSignature(secret: "appsecret", body: body))
        let res = try await app.sendRequest(.POST, "/webhooks/whatsapp", headers: h, body: ByteBuffer(data: body))
        XCTAssertEqual(res.status, .ok)
        // The processing loop the webhook woke does the work; wait for it rather than racing it.
        for _ in 0..<500 {
            if try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count() == 0 { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    func nycEndpoint() async throws {
        let d = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let e = ChannelEndpoint()
        e.$destination.id = try d.requireID()
        e.channel = .whatsapp; e.externalID = "NYC1"; e.appSecret = "appsecret"; e.accessToken = "T"; e.active = true; e.createdAt = Date()
        try await e.create(on: app.db)
    }

    func testANumberTwoAgenciesRegisteredIdentifiesNobody() async throws {
        try await nycEndpoint()
        let a = try await makeAgency("A"), b = try await makeAgency("B")
        // makeTrip registers the same traveller phone (+33612345678) for both agencies.
        _ = try await makeTrip(for: a, departure: Date().addingTimeInterval(-86400), reference: "A-1")
        _ = try await makeTrip(for: b, departure: Date().addingTimeInterval(-86400), reference: "B-1")
        try await whatsapp(from: "33612345678", id: "wamid.shared", text: "Hello")
        let sharedConversation = try await Conversation.query(on: app.db).first()
        let conversation = try XCTUnwrap(sharedConversation)
        XCTAssertFalse(conversation.identified, "agency B typing A's traveller's number must not read A's conversation")
        XCTAssertNil(conversation.agencyID)
        let unlinkedCase = try await CaseRecord.query(on: app.db).first()
        let record = try XCTUnwrap(unlinkedCase)
        XCTAssertNil(record.agencyID, "the expert links the case")
    }

    func testANumberAnotherAgencyHasOnAnyTripIdentifiesNobody() async throws {
        try await nycEndpoint()
        let a = try await makeAgency("A"), b = try await makeAgency("B")
        // A's traveller travels next year; B types the same number on a trip open today.
        _ = try await makeTrip(for: a, departure: Date().addingTimeInterval(300 * 86400), reference: "A-LATER")
        _ = try await makeTrip(for: b, departure: Date().addingTimeInterval(-86400), reference: "B-NOW")
        try await whatsapp(from: "33612345678", id: "wamid.later", text: "About my trip next year")
        let laterConversation = try await Conversation.query(on: app.db).first()
        let conversation = try XCTUnwrap(laterConversation)
        XCTAssertFalse(conversation.identified)
        XCTAssertNil(conversation.agencyID)
    }

    func testAnEstablishedConversationStaysWithItsAgencyWhenAnotherRegistersTheNumber() async throws {
        try await nycEndpoint()
        let a = try await makeAgency("A"), b = try await makeAgency("B")
        _ = try await makeTrip(for: a, departure: Date().addingTimeInterval(-86400), reference: "A-1")
        try await whatsapp(from: "33612345678", id: "wamid.first", text: "Hello")
        _ = try await makeTrip(for: b, departure: Date().addingTimeInterval(-3600), reference: "B-1")
        try await whatsapp(from: "33612345678", id: "wamid.second", text: "Again")
        let conversations = try await Conversation.query(on: app.db).all()
        XCTAssertEqual(conversations.count, 1)
        XCTAssertEqual(conversations.first?.agencyID, a.id)
    }

    // MARK: Sign-in

    func testParallelGuessesAllCountBeforeAnyPasswordIsChecked() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/login")
        let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for i in 0..<20 {
                group.addTask { try await browser.post("/login", form: ["email": "a@a.example", "password": "guess number \(i)"]).status }
            }
            return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == .unauthorized }.count, 5, "only the allowed number of guesses reach bcrypt: \(statuses)")
        XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 15)
    }

    func testForwardedForCountsOnlyBehindATrustedProxy() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        // Over a real socket, so the peer is 127.0.0.1, as a reverse proxy on the same machine would be.
        let server = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
        func attempt(from forwarded: String) async throws -> String? {
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.replaceOrAdd(name: .xForwardedFor, value: forwarded)
            let page = try await server.sendRequest(.GET, "/login", headers: headers)
            let cookie = page.headers.setCookie?["onspot_session"]?.string ?? ""
            let csrf = page.body.string.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) } ?? ""
            headers.replaceOrAdd(name: .cookie, value: "onspot_session=\(cookie)")
            _ = try await server.sendRequest(
                .POST, "/login", headers: headers,
                body: ByteBuffer(string: "email=a%40a.example&password=wrong+password&_csrf=\(csrf)"))
            let attempts = try await LoginAttempt.query(on: app.db).sort(\.$createdAt, .descending).first()
            return attempts?.ip
        }
        let direct = try await attempt(from: "198.51.100.7")
        XCTAssertEqual(direct, "127.0.0.1", "a client talking directly cannot choose the address it is counted under")
        app.onspot.trustedProxies = [CIDR("127.0.0.1")!]
        let proxied = try await attempt(from: "203.0.113.50, 198.51.100.7")
        XCTAssertEqual(proxied, "198.51.100.7", "behind a trusted proxy, the address the proxy saw")
    }

    func testATabInTheNextPathDoesNotLeaveTheSite() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        for next in ["/\t/evil.example", "/%09/evil.example", "/\\evil.example", "/\n/evil.example"] {
            let res = try await TestBrowser(app: app).post("/login", form: ["email": "a@a.example", "password": Self.password, "next": next])
            XCTAssertEqual(res.location, "/", next.debugDescription)
        }
        let ok = try await TestBrowser(app: app).post("/login", form: ["email": "a@a.example", "password": Self.password, "next": "/trips?page=2"])
        XCTAssertEqual(ok.location, "/trips?page=2")
    }

    // MARK: Sessions

    func testSessionsExpireWhenIdleAndAfterTheirAbsoluteLifetime() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("a@a.example")
        let beforeExpiry = try await browser.get("/trips").status
        XCTAssertEqual(beforeExpiry, .ok)
        app.clock.advance(by: app.onspot.sessionIdleTimeout + 1)
        let idle = try await browser.get("/trips")
        XCTAssertEqual(idle.status, .seeOther)
        XCTAssertTrue(idle.location?.hasPrefix("/login") == true)
        // Active every few minutes, the session still ends at its absolute lifetime.
        let again = try await signedIn("a@a.example")
        var elapsed: TimeInterval = 0
        while elapsed + 1800 < app.onspot.sessionAbsoluteTimeout {
            app.clock.advance(by: 1800)
            elapsed += 1800
            let stillIn = try await again.get("/trips").status
            XCTAssertEqual(stillIn, .ok, "after \(elapsed) s")
        }
        app.clock.advance(by: app.onspot.sessionAbsoluteTimeout - elapsed + 1)
        let afterAbsoluteLifetime = try await again.get("/trips").status
        XCTAssertEqual(afterAbsoluteLifetime, .seeOther)
    }

    func testAPasswordResetEndsOtherSessionsAndOtherResetLinks() async throws {
        let agency = try await makeAgency("A")
        let user = try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let elsewhere = try await signedIn("a@a.example")
        let beforeReset = try await elsewhere.get("/trips").status
        XCTAssertEqual(beforeReset, .ok)
        func link() async throws -> String {
            let token = Tokens.random()
            let reset = PasswordReset()
            reset.$user.id = try user.requireID()
            reset.tokenHash = Tokens.sha256Hex(token)
            reset.expiresAt = Date().addingTimeInterval(3600)
            reset.createdAt = Date()
            try await reset.create(on: app.db)
            return token
        }
        let older = try await link(), newer = try await link()
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/password/reset?token=\(newer)")
        let done = try await browser.post("/password/reset", form: ["token": newer, "password": "a brand new password"])
        XCTAssertEqual(done.status, .seeOther)
        let kicked = try await elsewhere.get("/trips")
        XCTAssertEqual(kicked.status, .seeOther, "the session opened before the reset is over")
        let stale = try await TestBrowser(app: app).get("/password/reset?token=\(older)")
        XCTAssertEqual(stale.status, .badRequest, "the other outstanding reset link is void")
        let fresh = try await TestBrowser(app: app).post("/login", form: ["email": "a@a.example", "password": "a brand new password"])
        XCTAssertEqual(fresh.status, .seeOther)
    }

    // MARK: Console socket

    func testTheLiveFeedRefusesOtherSitesAndDropsADeactivatedExpert() async throws {
        let expert = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let link = ExpertDestination()
        link.$user.id = try expert.requireID()
        link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        let browser = try await signedIn("expert@onspot.example")
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)

        let foreign = NIOLockedValueBox<[String]>([])
        let evil = try await connectLiveFeed(browser, origin: "https://evil.example", port: port, received: foreign)
        XCTAssertFalse(foreign.withLockedValue { $0 }.contains { $0.hasPrefix(#"{"type":"hello""#) }, "a page of another site gets no feed")
        XCTAssertEqual(app.liveHub.count, 0)
        try? await evil?.close().get()

        let received = NIOLockedValueBox<[String]>([])
        let socket = try await connectLiveFeed(browser, origin: app.onspot.publicBaseURL, port: port, received: received)
        XCTAssertEqual(app.liveHub.count, 1)
        app.liveHub.publish(destinationID: nyc.id, LiveEvent(type: .message, text: "before"))
        // Signing out in another tab of the same session closes the feed at once.
        let second = NIOLockedValueBox<[String]>([])
        let other = try await signedIn("expert@onspot.example")
        let otherSocket = try await connectLiveFeed(other, origin: app.onspot.publicBaseURL, port: port, received: second)
        XCTAssertEqual(app.liveHub.count, 2)
        _ = try await other.post("/logout", form: [:])
        XCTAssertEqual(app.liveHub.count, 1, "the signed-out session's socket is closed")
        try? await otherSocket?.close().get()
        // Taken off New York: no more New York events.
        try await link.delete(on: app.db)
        try await app.liveHub.recheck(on: app.db, absoluteLifetime: app.onspot.sessionAbsoluteTimeout, now: app.clock.now())
        app.liveHub.publish(destinationID: nyc.id, LiveEvent(type: .message, text: "after the move"))
        // Deactivated: the socket is closed.
        expert.active = false
        try await expert.save(on: app.db)
        try await app.liveHub.recheck(on: app.db, absoluteLifetime: app.onspot.sessionAbsoluteTimeout, now: app.clock.now())
        XCTAssertEqual(app.liveHub.count, 0)
        app.liveHub.publish(destinationID: nil, LiveEvent(type: .message, text: "after deactivation"))
        try await Task.sleep(nanoseconds: 200_000_000)
        let texts = received.withLockedValue { $0 }
        XCTAssertTrue(texts.contains { $0.contains("before") })
        XCTAssertFalse(texts.contains { $0.contains("after") }, "\(texts)")
        try? await socket?.close().get()
        await app.server.shutdown()
    }

    // MARK: Roles

    func testOnlyTheAgencyAdminChangesTheScopeOfAction() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let page = try await agent.get("/scope")
        XCTAssertEqual(page.status, .ok, "agents read the scope")
        XCTAssertTrue(page.body.string.contains(#"id="scope-read-only""#))
        XCTAssertFalse(page.body.string.contains(#"id="save-scope""#))
        var form: [String: String] = [:]
        for d in ScopeDomain.allCases { form["level[\(d.rawValue)]"] = "act_within_cap"; form["cap[\(d.rawValue)]"] = "5000" }
        let scopeEdit = try await agent.post("/scope", form: form).status
        XCTAssertEqual(scopeEdit, .notFound)
        let approvalSettingsEdit = try await agent.post("/scope/approvals", form: ["escalationContact": "x@a.example", "delayMinutes": "60"]).status
        XCTAssertEqual(approvalSettingsEdit, .notFound)
        let scopeVersion = try await ScopeService.current(agencyID: agency.requireID(), on: app.db)?.version
        XCTAssertEqual(scopeVersion, 1)
    }

    // MARK: Secrets at rest

    func testResetAndApprovalLinksAreNotKeptInNotifications() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        _ = try await TestBrowser(app: app).post("/password/forgot", form: ["email": "a@a.example"])
        let resetNotification = try await NotificationRecord.query(on: app.db).filter(\.$kind == .passwordReset).first()
        let stored = try XCTUnwrap(resetNotification)
        XCTAssertTrue(stored.body.contains("token=[redacted-1]"), stored.body)
        XCTAssertNotNil(stored.sealedSecrets)
        // A retry puts the link back for delivery only.
        let secrets = MailSecrets.open(stored.sealedSecrets, serverSecret: app.onspot.secretKey)
        XCTAssertEqual(secrets.count, 1)
        XCTAssertTrue(MailSecrets.restore(stored.body, secrets: secrets).contains("token=\(secrets[0])"))
        XCTAssertEqual(MailSecrets.open(stored.sealedSecrets, serverSecret: "another-server-secret-entirely-0000"), [])
        let mail = OutgoingMail(to: "x@y", subject: "s", body: "go to /reset?token=abc123", secrets: ["abc123"])
        XCTAssertFalse(mail.redactedBody.contains("abc123"), "what the log transport prints")
    }

    // MARK: Audit

    func testAnAgencysTrailIsItsOwnChainAndAnotherAgencysTamperingDoesNotTouchIt() async throws {
        let a = try await makeAgency("A"), b = try await makeAgency("B")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: a)
        for i in 0..<3 {
            try await AuditLog.record(on: app.db, agencyID: a.id, actor: nil, action: .channelEndpointSaved, subjectType: "t", subjectID: "\(i)")
            try await AuditLog.record(on: app.db, agencyID: b.id, actor: nil, action: .destinationUpdated, subjectType: "t", subjectID: "\(i)")
        }
        let admin = try await signedIn("admin@a.example")
        let csv = try await admin.get("/audit.csv")
        let rows = csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        let sequences = rows.map { $0.components(separatedBy: ",")[0] }
        XCTAssertEqual(Array(sequences), (1...sequences.count).map { "\"\($0)\"" }, "no gaps revealing other agencies' activity")
        XCTAssertFalse(csv.body.string.contains(AuditAction.destinationUpdated.rawValue))
        XCTAssertTrue(rows.allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") }, "every cell quoted")
        let first = try await admin.get("/audit")
        XCTAssertFalse(first.body.string.contains("flash bad"))
        let checkpoint = try await AuditCheckpoint.query(on: app.db).filter(\.$chain == AuditLog.chain(of: a.id)).first()
        XCTAssertNotNil(checkpoint)
        // Agency B's entry is tampered with: A's trail is still intact, and A's view did not read B's entries.
        let otherAgencysEntry = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.destinationUpdated.rawValue).first()
        let theirs = try XCTUnwrap(otherAgencysEntry)
        theirs.detail = #"{"changed":"yes"}"#
        try await theirs.save(on: app.db)
        let second = try await admin.get("/audit")
        XCTAssertFalse(second.body.string.contains("flash bad"), "another agency's log is not A's concern")
        // An entry edited with its hash recomputed breaks only its successor's link: shown alone, it still shows.
        let entryToRewrite = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.channelEndpointSaved.rawValue).filter(
            \.$subjectID == "1"
        ).first()
        let edited = try XCTUnwrap(entryToRewrite)
        edited.detail = #"{"rewritten":"yes"}"#
        edited.chainHash = AuditLog.chainHash(of: edited)
        try await edited.save(on: app.db)
        let filtered = try await admin.get("/audit?action=channel_endpoint.saved")
        XCTAssertTrue(filtered.body.string.contains("flash bad"), "a rewritten entry is caught by the link of the entry after it")
        // Tampering with A's own entry, past the checkpoint or not, shows.
        let ownEntry = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.channelEndpointSaved.rawValue).first()
        let mine = try XCTUnwrap(ownEntry)
        mine.detail = #"{"changed":"yes"}"#
        try await mine.save(on: app.db)
        let tamperedShows = try await admin.get("/audit").body.string.contains("flash bad")
        XCTAssertTrue(tamperedShows)
    }

    // MARK: Outgoing HTTP to addresses others choose

    func testWebhookEndpointsOnPrivateAddressesAreRefused() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let admin = try await signedIn("admin@a.example")
        _ = try await admin.get("/agency-webhooks")
        for url in ["http://169.254.169.254/latest/meta-data", "http://10.0.0.7/hook", "http://[fd00::1]/hook", "http://0.0.0.0/hook"] {
            let res = try await admin.post("/agency-webhooks/endpoints", form: ["url": url])
            XCTAssertEqual(res.status, .unprocessableEntity, url)
        }
        let endpointCount = try await WebhookEndpointRecord.query(on: app.db).count()
        XCTAssertEqual(endpointCount, 0)
    }

    func testDeliveriesCheckEveryHopAndNeverReachPrivateAddresses() async throws {
        let agency = try await makeAgency("A")
        let standIn = try await RedirectingStandIn()
        defer { Task { try? await standIn.stop() } }
        func endpoint(_ url: String, active: Bool = true) async throws -> WebhookEndpointRecord {
            let e = WebhookEndpointRecord()
            e.agencyID = try agency.requireID(); e.url = url; e.secret = "whs_test"; e.active = active; e.createdAt = Date()
            try await e.create(on: app.db)
            return e
        }
        // A name resolving to loopback, when loopback is not allowed (production): refused after resolution.
        app.onspot.allowLoopbackOutgoing = false
        _ = try await endpoint("http://localhost:\(standIn.port)/ok")
        // Loopback allowed (the stand-in lives there), but its redirect to the metadata address is refused at the hop.
        try await AgencyWebhooks.enqueue(agencyID: agency.requireID(), WebhookEvent(type: .caseResolved, data: ["caseID": "C1"]), on: app.db)
        _ = try await AgencyWebhooks.runDue(app: app)
        let firstDelivery = try await WebhookDelivery.query(on: app.db).first()
        let refused = try XCTUnwrap(firstDelivery)
        XCTAssertEqual(refused.status, .pending)
        XCTAssertTrue(refused.lastError?.contains("private or reserved") == true, refused.lastError ?? "")
        XCTAssertEqual(standIn.hits, 0, "nothing was sent")
        try await WebhookDelivery.query(on: app.db).delete()
        try await WebhookEndpointRecord.query(on: app.db).delete()

        app.onspot.allowLoopbackOutgoing = true
        _ = try await endpoint("http://127.0.0.1:\(standIn.port)/to-metadata")
        _ = try await endpoint("http://127.0.0.1:\(standIn.port)/huge")
        _ = try await endpoint("http://127.0.0.1:\(standIn.port)/ok", active: false)
        try await AgencyWebhooks.enqueue(agencyID: agency.requireID(), WebhookEvent(type: .caseResolved, data: ["caseID": "C2"]), on: app.db)
        // The deactivated endpoint gets nothing even for what was queued before it was switched off.
        let queuedBefore = WebhookDelivery()
        queuedBefore.id = UUID(); queuedBefore.agencyID = try agency.requireID()
        queuedBefore.endpointID = try await WebhookEndpointRecord.query(on: app.db).filter(\.$active == false).first()?.requireID()
        queuedBefore.eventType = "case.resolved"; queuedBefore.payload = "{}"; queuedBefore.status = .pending; queuedBefore.attempts = 0
        queuedBefore.nextAttemptAt = Date(); queuedBefore.createdAt = Date()
        try await queuedBefore.create(on: app.db)
        _ = try await AgencyWebhooks.runDue(app: app)
        let deliveries = try await WebhookDelivery.query(on: app.db).all()
        let byPath = Dictionary(uniqueKeysWithValues: try await WebhookEndpointRecord.query(on: app.db).all().map { ($0.id!, $0.url) })
        func delivery(_ suffix: String) -> WebhookDelivery? { deliveries.first { (byPath[$0.endpointID ?? UUID()] ?? "").hasSuffix(suffix) } }
        XCTAssertEqual(deliveries.count, 3)
        XCTAssertTrue(delivery("/to-metadata")?.lastError?.contains("169.254.169.254") == true, delivery("/to-metadata")?.lastError ?? "none")
        XCTAssertEqual(delivery("/to-metadata")?.status, .pending, "retried later, never delivered")
        XCTAssertTrue(delivery("/huge")?.lastError?.contains("larger than") == true, delivery("/huge")?.lastError ?? "none")
        XCTAssertEqual(delivery("/ok")?.status, .failed)
        XCTAssertEqual(delivery("/ok")?.lastError, "endpoint deactivated")
        XCTAssertEqual(standIn.okHits, 0, "the deactivated endpoint received nothing")
    }

    func testASlowAgencyDoesNotDelayAnother() async throws {
        let slow = try await makeAgency("Slow"), quick = try await makeAgency("Quick")
        let standIn = try await RedirectingStandIn()
        defer { Task { try? await standIn.stop() } }
        for (agency, path) in [(slow, "slow"), (quick, "ok")] {
            let e = WebhookEndpointRecord()
            e.agencyID = try agency.requireID(); e.url = "http://127.0.0.1:\(standIn.port)/\(path)"; e.secret = "whs"; e.active = true;
            e.createdAt = Date()
            try await e.create(on: app.db)
        }
        for _ in 0..<3 { try await AgencyWebhooks.enqueue(agencyID: slow.requireID(), WebhookEvent(type: .caseResolved, data: [:]), on: app.db) }
        try await AgencyWebhooks.enqueue(agencyID: quick.requireID(), WebhookEvent(type: .caseResolved, data: [:]), on: app.db)
        let application: Application = app
        let run = Task { try await AgencyWebhooks.runDue(app: application) }
        // The quick agency's delivery lands while the slow one is still on its first of three (1 s each).
        var deliveredEarly = false
        for _ in 0..<80 {
            if standIn.okHits == 1 { deliveredEarly = standIn.slowFinished == 0; break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        XCTAssertTrue(deliveredEarly, "the quick agency waited for the slow one")
        _ = try await run.value
    }
}

/// A receiver that misbehaves on purpose: redirects to the metadata address, answers slowly or with too much.
final class RedirectingStandIn: @unchecked Sendable {
    let app: Application
    private let counts = NIOLockedValueBox<(hits: Int, ok: Int, slowDone: Int)>((0, 0, 0))
    private(set) var port = 0
    var hits: Int { counts.withLockedValue { $0.hits } }
    var okHits: Int { counts.withLockedValue { $0.ok } }
    var slowFinished: Int { counts.withLockedValue { $0.slowDone } }

    init() async throws {
        app = try await Application.make(.testing)
        app.routes.defaultMaxBodySize = "1mb"
        let counts = counts
        app.post("to-metadata") { _ -> Response in
            counts.withLockedValue { $0.hits += 1 }
            return Response(status: .temporaryRedirect, headers: ["Location": "http://169.254.169.254/latest/meta-data/"])
        }
        app.post("huge") { _ -> Response in
            counts.withLockedValue { $0.hits += 1 }
            return Response(status: .ok, body: .init(string: String(repeating: "x", count: 200_000)))
        }
        app.post("slow") { _ async throws -> HTTPStatus in
            counts.withLockedValue { $0.hits += 1 }
            try await Task.sleep(nanoseconds: 1_000_000_000)
            counts.withLockedValue { $0.slowDone += 1 }
            return .ok
        }
        app.post("ok") { _ -> HTTPStatus in
            counts.withLockedValue {
                $0.hits += 1; $0.ok += 1
            }
            return .ok
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
