import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
import SQLKit
@testable import OnSpotServer
import WebSocketKit
import XCTest
import XCTVapor

final class ConsolePageTests: ServerTestCase {
    func endpoint(_ code: String, id: String) async throws {
        let d = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!
        let e = ChannelEndpoint()
        e.$destination.id = try d.requireID()
        e.channel = .whatsapp; e.externalID = id; e.appSecret = "appsecret"; e.accessToken = "T"; e.active = true; e.createdAt = Date()
        try await e.create(on: app.db)
    }

    func payload(from: String, id: String, endpoint: String, text: String) -> Data {
        Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"\#(endpoint)"},"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"text","text":{"body":"\#(text)"}}]}}]}]}"#
                .utf8)
    }

    /// A WhatsApp text posted to the webhook as Meta signs it.
    func postSigned(_ id: String, _ endpoint: String, _ text: String) async throws {
        let body = payload(from: "4915110000009", id: id, endpoint: endpoint, text: text)
        var h = HTTPHeaders()
        h.contentType = .json
        h.replaceOrAdd(name: "X-Hub-Signature-256", value: WebhookSignatures.metaSignature(secret: "appsecret", body: body))
        let res = try await app.sendRequest(.POST, "/webhooks/whatsapp", headers: h, body: ByteBuffer(data: body))
        XCTAssertEqual(res.status, .ok)
    }

    func expert(_ codes: [String]) async throws -> TestBrowser {
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        for code in codes {
            let link = ExpertDestination()
            link.$user.id = try user.requireID()
            link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!.requireID()
            try await link.create(on: app.db)
        }
        return try await signedIn("expert@onspot.example")
    }

    func testTheQueueShowsOnlyTheExpertsDestinationsAndCasesResolve() async throws {
        try await endpoint("us-nyc", id: "NYC1")
        try await endpoint("br-rio", id: "RIO1")
        for (from, id, ep, text) in [("4915110000001", "w1", "NYC1", "Pneu crevé à Newark"), ("4915110000002", "w2", "RIO1", "Onde fica o hotel?")] {
            let body = payload(from: from, id: id, endpoint: ep, text: text)
            _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        }
        _ = try await InboundProcessor.sweep(on: app.db)
        let browser = try await expert(["us-nyc"])
        let queue = try await browser.get("/console")
        XCTAssertEqual(queue.status, .ok)
        XCTAssertTrue(queue.body.string.contains("Pneu crevé à Newark"))
        XCTAssertFalse(queue.body.string.contains("Onde fica o hotel?"), "Rio is not this expert's")
        let rio = try await CaseRecord.query(on: app.db).all().first { c in
            c.destinationID != nil
        }
        let cases = try await CaseRecord.query(on: app.db).all()
        let rioDestination = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!.id
        let rioCase = cases.first { $0.destinationID == rioDestination }!
        let nycCase = cases.first { $0.destinationID != rioDestination }!
        XCTAssertNotNil(rio)
        let hidden = try await browser.get("/console/cases/\(rioCase.id!)")
        XCTAssertEqual(hidden.status, .notFound)
        let view = try await browser.get("/console/cases/\(nycCase.id!)")
        XCTAssertEqual(view.status, .ok)
        XCTAssertTrue(view.body.string.contains("Pneu crevé à Newark"))
        let take = try await browser.post("/console/cases/\(nycCase.id!)/take", form: [:])
        XCTAssertEqual(take.status, .seeOther)
        _ = try await browser.get("/console/cases/\(nycCase.id!)")
        let empty = try await browser.post("/console/cases/\(nycCase.id!)/resolve", form: ["summary": " "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        let resolved = try await browser.post("/console/cases/\(nycCase.id!)/resolve", form: ["summary": "Tyre changed by Hertz at Newark."])
        XCTAssertEqual(resolved.status, .seeOther)
        let saved = try await CaseRecord.find(nycCase.id, on: app.db)!
        XCTAssertEqual(saved.status, .resolved)
        XCTAssertEqual(saved.resolutionSummary, "Tyre changed by Hertz at Newark.")
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let agentConsole = try await agent.get("/console")
        XCTAssertEqual(agentConsole.status, .notFound)
    }

    func testTheQueueShowsFiftyCasesAPageOldestFirstAndFiltersByLanguageAcrossPages() async throws {
        let agency = try await makeAgency("Horizon")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let rio = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!
        let start = Date().addingTimeInterval(-86_400)
        var ids: [UUID] = []
        for n in 0..<56 {
            let traveller = Traveller()
            traveller.$agency.id = try agency.requireID()
            traveller.firstName = "T\(n)"; traveller.lastName = "Queue"; traveller.language = n % 2 == 0 ? .fr : .pt
            traveller.consentCallRecording = false; traveller.consentRecommendations = false; traveller.consentAlerts = false
            traveller.abusive = false
            traveller.createdAt = start; traveller.updatedAt = start
            try await traveller.create(on: app.db)
            let record = CaseRecord()
            record.agencyID = agency.id; record.travellerID = traveller.id
            record.destinationID = n == 55 ? rio.id : nyc.id
            record.category = .other; record.priority = .normal; record.status = n % 3 == 0 ? .inProgress : .new
            record.safetyFlag = false; record.recordingRefused = false; record.openedAt = start.addingTimeInterval(Double(n) * 60)
            try await record.create(on: app.db)
            if n < 55 { ids.append(try record.requireID()) }
        }
        let browser = try await expert(["us-nyc"])
        func shown(_ path: String) async throws -> [String] {
            let res = try await browser.get(path)
            XCTAssertEqual(res.status, .ok, path)
            return res.body.string.components(separatedBy: "data-case=\"").dropFirst().map { String($0.prefix(36)) }
        }
        let first = try await shown("/console")
        XCTAssertEqual(first, ids.prefix(50).map(\.uuidString), "the 50 oldest of the expert's 55, in order")
        let second = try await shown("/console?page=2")
        XCTAssertEqual(second, ids.suffix(5).map(\.uuidString))
        let pageOne = try await browser.get("/console")
        XCTAssertTrue(pageOne.body.string.contains("/console?page=2"), "a link to the second page")
        let portuguese = try await shown("/console?language=pt")
        XCTAssertEqual(portuguese.count, 27, "every Portuguese speaker's case on one page, not only those of the first 50")
        let pagedPortuguese = try await shown("/console?language=pt&status=new")
        XCTAssertTrue(pagedPortuguese.allSatisfy { id in portuguese.contains(id) })
        for hostile in ["/console?page=-3", "/console?page=abc", "/console?page=99999999999999999999", "/console?page=0"] {
            let rows = try await shown(hostile)
            XCTAssertEqual(rows, ids.prefix(50).map(\.uuidString), hostile)
        }
        let beyond = try await shown("/console?page=9")
        XCTAssertEqual(beyond, [], "past the last page: an empty queue, not an error")
    }

    /// Issue 13, item 2: the nearest deadline first (breached cases on top), each row with its channel, language, holder
    /// and a mark when the traveller wrote since the last reply; filters for mine, unassigned, channel and category.
    func testTheQueueSortsByDeadlineAndShowsHolderChannelAndUnansweredTravellers() async throws {
        try await endpoint("us-nyc", id: "NYC1")
        for (from, id, text) in [
            ("4915110000011", "q1", "Breached case"), ("4915110000012", "q2", "Fresh case"), ("4915110000013", "q3", "Held case")
        ] {
            let body = payload(from: from, id: id, endpoint: "NYC1", text: text)
            _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        }
        _ = try await InboundProcessor.sweep(on: app.db)
        let browser = try await expert(["us-nyc"])
        let me = try await User.query(on: app.db).filter(\.$email == "expert@onspot.example").first()!
        func record(_ from: String) async throws -> CaseRecord {
            let conversation = try await Conversation.query(on: app.db).filter(\.$externalUserID == from).first()!
            return try await CaseRecord.query(on: app.db).filter(\.$conversationID == conversation.id).first()!
        }
        let breached = try await record("4915110000011")
        breached.openedAt = Date().addingTimeInterval(-3 * 86_400)
        breached.category = .carRental
        try await breached.save(on: app.db)
        let fresh = try await record("4915110000012")
        fresh.openedAt = Date().addingTimeInterval(60)
        try await fresh.save(on: app.db)
        let held = try await record("4915110000013")
        held.assigneeID = me.id
        held.status = .inProgress
        try await held.save(on: app.db)
        // The held case was answered by the expert after the traveller's message: no mark on it. The others only had the
        // automatic acknowledgement, which is no answer.
        let answer = MessageRecord()
        answer.conversationID = held.conversationID!; answer.direction = .outbound; answer.channel = .whatsapp; answer.kind = "text"
        answer.body = "On it."; answer.status = .sent; answer.authorID = me.id; answer.createdAt = Date().addingTimeInterval(5)
        try await answer.create(on: app.db)

        func rows(_ path: String) async throws -> [String] {
            let res = try await browser.get(path)
            XCTAssertEqual(res.status, .ok, path)
            return res.body.string.components(separatedBy: "<tr data-case=\"").dropFirst().map { String($0.prefix(while: { $0 != "<" })) }
        }
        let all = try await rows("/console")
        XCTAssertEqual(all.count, 3)
        XCTAssertTrue(all.first?.hasPrefix(breached.id!.uuidString) == true, "the breached case leads: \(all)")
        XCTAssertTrue(all.last?.hasPrefix(fresh.id!.uuidString) == true, "the latest deadline comes last: \(all)")
        let page = try await browser.get("/console").body.string
        XCTAssertTrue(page.contains(#"<tr data-case="\#(breached.id!.uuidString)" class="late">"#), "a breached row is marked late")
        XCTAssertTrue(page.contains("en retard de"), "how late, in the expert's language")
        XCTAssertTrue(page.contains(#"<td class="holder">expert</td>"#), "the holder's name")
        XCTAssertTrue(page.contains(#"<td class="channel">WhatsApp</td>"#))
        XCTAssertEqual(page.components(separatedBy: #"class="unanswered""#).count - 1, 2, "two travellers wrote since the last reply")
        let mine = try await rows("/console?holder=mine")
        XCTAssertEqual(mine.map { String($0.prefix(36)) }, [held.id!.uuidString])
        let unassigned = try await rows("/console?holder=unassigned")
        XCTAssertEqual(Set(unassigned.map { String($0.prefix(36)) }), [breached.id!.uuidString, fresh.id!.uuidString])
        let messenger = try await rows("/console?channel=messenger")
        XCTAssertEqual(messenger, [])
        let whatsapp = try await rows("/console?channel=whatsapp&holder=unassigned")
        XCTAssertEqual(whatsapp.count, 2)
        let cars = try await rows("/console?category=car_rental")
        XCTAssertEqual(cars.map { String($0.prefix(36)) }, [breached.id!.uuidString])
        let pages = try await browser.get("/console?category=car_rental&holder=mine&channel=whatsapp&status=in_progress")
        XCTAssertEqual(pages.status, .ok)
        for hostile in [
            "/console?holder=everyone", "/console?channel=fax", "/console?category=fly", "/console?holder=" + String(repeating: "m", count: 5000)
        ] {
            let rows = try await rows(hostile)
            XCTAssertEqual(rows.count, 3, "an unknown filter value filters nothing: \(hostile)")
        }
    }

    func testAWebhookMessageIsPushedToTheOpenConsoleOverWebSocket() async throws {
        try await endpoint("us-nyc", id: "NYC1")
        try await endpoint("br-rio", id: "RIO1")
        let browser = try await expert(["us-nyc"])
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        let received = NIOLockedValueBox<[String]>([])
        let socket = try await connectLiveFeed(browser, origin: app.onspot.publicBaseURL, port: port, received: received)
        XCTAssertEqual(app.liveHub.count, 1)
        for (id, ep, text) in [("w1", "RIO1", "Not for this expert"), ("w2", "NYC1", "Is my shuttle running?")] {
            try await postSigned(id, ep, text)
        }
        for _ in 0..<250 {
            let pending = try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count()
            if pending == 0 && received.withLockedValue({ $0.contains { $0.contains("Is my shuttle running?") } }) { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let texts = received.withLockedValue { $0 }
        XCTAssertTrue(texts.contains { $0.contains("\"type\":\"message\"") && $0.contains("Is my shuttle running?") }, "\(texts)")
        XCTAssertFalse(texts.contains { $0.contains("Not for this expert") })
        try await socket?.close().get()
        await app.server.shutdown()
    }
}

extension ConsolePageTests {
    /// Two processes on one PostgreSQL database: a webhook taken and processed by the first reaches a console
    /// connected to the second through LISTEN/NOTIFY; after the listening connections are cut (as by a database
    /// restart), the relays reconnect, tell their consoles to read again, and carry the next message.
    func testOnPostgresAMessageProcessedByOneProcessReachesAConsoleConnectedToAnother() async throws {
        guard onPostgres else { throw XCTSkip("LISTEN/NOTIFY relays between processes on PostgreSQL only") }
        try await endpoint("us-nyc", id: "NYC1")
        try await endpoint("br-rio", id: "RIO1")
        let browser = try await expert(["us-nyc"])
        let other = try await makeSecondProcess()
        try await other.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(other.http.server.shared.localAddress?.port)
        try startLiveRelay(app)
        try startLiveRelay(other)
        let relays = [app.liveHub.relay.withLockedValue { $0 }, other.liveHub.relay.withLockedValue { $0 }].compactMap { $0 }
        XCTAssertEqual(relays.count, 2)
        for _ in 0..<500 where !relays.allSatisfy(\.isListening) { try await Task.sleep(nanoseconds: 20_000_000) }
        let received = NIOLockedValueBox<[String]>([])
        let socket = try await connectLiveFeed(browser, origin: other.onspot.publicBaseURL, port: port, received: received)
        XCTAssertEqual(other.liveHub.count, 1)
        XCTAssertEqual(app.liveHub.count, 0)

        func waitFor(_ text: String) async throws {
            for _ in 0..<500 where !received.withLockedValue({ $0.contains { $0.contains(text) } }) {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
        }
        try await postSigned("w1", "RIO1", "Not for this expert")
        try await postSigned("w2", "NYC1", "Is my shuttle running?")
        try await waitFor("Is my shuttle running?")
        var texts = received.withLockedValue { $0 }
        XCTAssertTrue(texts.contains { $0.contains("\"type\":\"message\"") && $0.contains("Is my shuttle running?") }, "\(texts)")
        XCTAssertFalse(texts.contains { $0.contains("Not for this expert") }, "another destination's message crossed over")

        // Cut both listening connections, as a database restart would.
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        struct Killed: Decodable { let killed: Bool }
        let killed = try await sql.raw(
            "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        ).all(decoding: Killed.self)
        XCTAssertEqual(killed.count, 2, "one listening connection per process")
        for _ in 0..<500 where !relays.allSatisfy({ $0.reconnections == 1 && $0.isListening }) {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertEqual(relays.map(\.reconnections), [1, 1])
        try await waitFor("resync")
        try await postSigned("w3", "NYC1", "Still there after the restart?")
        try await waitFor("Still there after the restart?")
        texts = received.withLockedValue { $0 }
        XCTAssertTrue(texts.contains(#"{"type":"resync"}"#), "\(texts)")
        XCTAssertTrue(texts.contains { $0.contains("Still there after the restart?") }, "\(texts)")
        XCTAssertEqual(texts.filter { $0.contains("Is my shuttle running?") }.count, 1, "each event reaches a console once")
        try await socket?.close().get()
        await other.server.shutdown()
        try await other.asyncShutdown()
    }
}

final class LiveRelayPayloadTests: XCTestCase {
    func testALongMessageIsShortenedBelowPostgreSQLsLimitAndForeignPayloadsAreIgnored() throws {
        let destination = UUID()
        let event = LiveEvent(type: .message, caseID: UUID(), destinationID: destination, text: String(repeating: "é", count: 4_096), from: "Ana")
        let text = try XCTUnwrap(LiveHub.encoded(event))
        XCTAssertGreaterThan(text.utf8.count, 8_000)
        let payload = LiveRelay.payload(text, destinationID: destination, event: event)
        XCTAssertLessThan(payload.utf8.count, LiveRelay.maximumPayloadBytes)
        let parsed = try XCTUnwrap(LiveRelay.parse(payload))
        XCTAssertEqual(parsed.destinationID, destination)
        XCTAssertTrue(parsed.text.contains("\"from\":\"Ana\""))
        XCTAssertTrue(parsed.text.contains("…"))
        let short = LiveEvent(type: .caseResolved, caseID: UUID())
        let shortText = try XCTUnwrap(LiveHub.encoded(short))
        let admins = try XCTUnwrap(LiveRelay.parse(LiveRelay.payload(shortText, destinationID: nil, event: short)))
        XCTAssertNil(admins.destinationID)
        XCTAssertEqual(admins.text, shortText)
        for foreign in ["", "hello", "not-a-uuid {}", "- not json", "\(UUID()) "] { XCTAssertNil(LiveRelay.parse(foreign), foreign) }
    }
}

final class ResolutionMailTests: ServerTestCase {
    func testTheAgencyGetsAnEmailThroughSMTPAtEachResolution() async throws {
        // setup: a real SMTP conversation with a local server
        let smtp = try SMTPStandIn()
        defer { smtp.stop() }
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        let agency = try await makeAgency("Horizon", timeZone: "Europe/Paris", language: .fr)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-2604")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let record = CaseRecord()
        record.agencyID = agency.id; record.tripID = trip.id; record.travellerID = trip.travellerLinks[0].$traveller.id
        record.destinationID = nyc.id; record.category = .carRental; record.priority = .normal; record.status = .inProgress
        record.safetyFlag = false; record.recordingRefused = false; record.openedAt = Date()
        try await record.create(on: app.db)
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try user.requireID(); link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        let browser = try await signedIn("expert@onspot.example")
        _ = try await browser.get("/console/cases/\(record.id!)")
        // MUT
        let res = try await browser.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Véhicule remplacé à l'agence Hertz de JFK."])
        XCTAssertEqual(res.status, .seeOther)
        // validate
        let message = try XCTUnwrap(smtp.messages.first)
        XCTAssertEqual(message.to, ["<contact@horizon.example>"])
        XCTAssertEqual(message.from, "<no-reply@onspot.example>")
        let (subject, body) = SMTPStandIn.decode(message.data)
        XCTAssertEqual(subject, "Dossier résolu : Zoé Traveller – HZ-2604")
        XCTAssertTrue(body.contains("Véhicule remplacé à l'agence Hertz de JFK."))
        XCTAssertTrue(body.contains("(Europe/Paris)"), "in the agency's time zone")
        let recorded = try await NotificationRecord.query(on: app.db).filter(\.$kind == .caseResolved).first()
        XCTAssertEqual(recorded?.status, .sent)
    }

    func testAnUnreachableRelayLeavesTheMailRecordedAsFailed() async throws {
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: 9, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        try await makeUser("u@x.example", role: .expert, agency: nil)
        let res = try await TestBrowser(app: app).post("/password/forgot", form: ["email": "u@x.example"])
        XCTAssertEqual(res.status, .ok, "the person is answered; the mail is kept to retry")
        let n = try await NotificationRecord.query(on: app.db).first()
        XCTAssertEqual(n?.status, .failed)
    }
}
