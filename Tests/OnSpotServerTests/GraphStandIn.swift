import Fluent
import Foundation
import XCTVapor
import XCTest
import OnSpotCore
@testable import OnSpotServer
import NIOConcurrencyHelpers
import Vapor

/// A local HTTP server that speaks the Graph API's send endpoints: it records every request exactly as received
/// and answers with scripted responses (success by default, in Meta's format).
final class GraphStandIn: @unchecked Sendable {
    struct Recorded: Sendable {
        let path: String
        let authorization: String?
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    let app: Application
    private let state = NIOLockedValueBox<(requests: [Recorded], script: [(Int, String)], counter: Int)>(([], [], 0))
    private(set) var port = 0

    var baseURL: String { "http://127.0.0.1:\(port)/v21.0" }
    var requests: [Recorded] { state.withLockedValue { $0.requests } }

    init() async throws {
        app = try await Application.make(.testing)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        app.on(.POST, "v21.0", "**") { [state] req -> Response in
            let recorded = Recorded(
                path: req.url.path, authorization: req.headers.first(name: .authorization),
                body: req.body.data.map { Data($0.readableBytesView) } ?? Data())
            let (status, body) = state.withLockedValue { s -> (Int, String) in
                s.requests.append(recorded)
                s.counter += 1
                if !s.script.isEmpty { return s.script.removeFirst() }
                let id =
                    req.url.path.hasSuffix("/me/messages")
                    ? #"{"recipient_id":"P","message_id":"m_out\#(s.counter)"}"#
                    : #"{"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.OUT\#(s.counter)"}]}"#
                return (200, id)
            }
            let response = Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: body))
            response.headers.contentType = .json
            return response
        }
        // Graph media API: the media id gives a short-lived URL, downloaded with the same bearer token.
        app.on(.GET, "v21.0", ":mediaID") { [state] req -> Response in
            let recorded = Recorded(path: req.url.path, authorization: req.headers.first(name: .authorization), body: Data())
            let scripted = state.withLockedValue { s -> (Int, String)? in
                s.requests.append(recorded)
                return s.script.isEmpty ? nil : s.script.removeFirst()
            }
            guard req.headers.bearerAuthorization != nil else { return Response(status: .unauthorized) }
            if let (status, body) = scripted { return Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: body)) }
            let id = req.parameters.get("mediaID")!
            let port = req.application.http.server.shared.localAddress?.port ?? 0
            let json =
                #"{"messaging_product":"whatsapp","url":"http://127.0.0.1:\#(port)/media/\#(id)","mime_type":"image/jpeg","sha256":"x","file_size":\#(GraphStandIn.jpeg.count),"id":"\#(id)"}"#
            let response = Response(status: .ok, body: .init(string: json))
            response.headers.contentType = .json
            return response
        }
        app.on(.GET, "media", ":mediaID") { [state] req -> Response in
            state.withLockedValue {
                $0.requests.append(Recorded(path: req.url.path, authorization: req.headers.first(name: .authorization), body: Data()))
            }
            guard req.headers.bearerAuthorization != nil else { return Response(status: .unauthorized) }
            let response = Response(status: .ok, body: .init(data: GraphStandIn.jpeg))
            response.headers.contentType = .jpeg
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    /// A tiny JPEG (its magic bytes and some payload) as the media every lookup serves.
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: UInt8(0x42), count: 2048) + [0xFF, 0xD9])

    /// The next answers, in order: status and body.
    func script(_ answers: [(Int, String)]) { state.withLockedValue { $0.script += answers } }

    static func error(_ code: Int, status: Int = 400) -> (Int, String) {
        (status, #"{"error":{"message":"scripted","type":"OAuthException","code":\#(code),"error_data":{"details":"scripted"},"fbtrace_id":"AbC"}}"#)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// A server test with a Graph API stand-in, and the case, expert and delivery helpers the console tests share.
class GraphTestCase: ServerTestCase {
    var graph: GraphStandIn!

    override func setUp() async throws {
        try await super.setUp()
        graph = try await GraphStandIn()
        app.onspot.graphBaseURL = graph.baseURL
    }

    override func tearDown() async throws {
        try await graph.stop()
        try await super.tearDown()
    }

    /// A destination's WhatsApp line, by default New York's (phone_number_id 106540352242922) that `receiveWhatsApp`
    /// writes to.
    func makeWhatsAppEndpoint(_ code: String = "us-nyc", id: String = "106540352242922") async throws {
        let destination = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()
        let e = ChannelEndpoint()
        e.$destination.id = try XCTUnwrap(destination).requireID()
        e.channel = .whatsapp; e.externalID = id; e.appSecret = "appsecret"; e.accessToken = "T"; e.active = true
        e.createdAt = Date()
        try await e.create(on: app.db)
    }

    /// A WhatsApp text from `from`, as Meta posts it: stored by the intake, processed, its replies sent.
    func receiveWhatsApp(from: String, id: String, at time: Date = Date(), text: String) async throws {
        let body = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int(time.timeIntervalSince1970))","type":"text","text":{"body":"\#(text)"}}]}}]}]}"#
                .utf8)
        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        _ = try await InboundProcessor.sweep(on: app.db)
        _ = try await OutboxSender.runDue(app: app)
    }

    /// A WhatsApp delivery status for one of our messages, as Meta posts it: it names the recipient by phone only.
    func receiveWhatsAppStatus(to recipient: String, messageID: String, status: String, at time: Date = Date()) async throws {
        let body = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"statuses":[{"id":"\#(messageID)","status":"\#(status)","timestamp":"\#(Int(time.timeIntervalSince1970))","recipient_id":"\#(recipient)"}]}}]}]}"#
                .utf8)
        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        _ = try await InboundProcessor.sweep(on: app.db)
    }

    /// A WhatsApp conversation in New York whose traveller last wrote `ago` seconds ago, with its case.
    func openCase(channel: MessagingChannel = .whatsapp, ago: TimeInterval = 600) async throws -> CaseRecord {
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let e = ChannelEndpoint()
        e.$destination.id = try nyc.requireID()
        e.channel = channel
        e.externalID = channel == .whatsapp ? "106540352242922" : "PAGE1"
        e.appSecret = "appsecret"
        e.accessToken = "EAAG-token"
        e.active = true
        e.createdAt = Date()
        try await e.create(on: app.db)
        let c = Conversation()
        c.channel = channel
        c.externalUserID = channel == .whatsapp ? "16505551234" : "PSID77"
        c.destinationID = nyc.id
        c.identified = false
        c.lastInboundAt = Date().addingTimeInterval(-ago)
        c.createdAt = Date()
        try await c.create(on: app.db)
        let record = CaseRecord()
        record.conversationID = c.id
        record.destinationID = nyc.id
        record.category = .other; record.priority = .normal; record.status = .new
        record.safetyFlag = false; record.recordingRefused = false; record.openedAt = Date()
        try await record.create(on: app.db)
        return record
    }

    /// Zoé (Portuguese) of agency `name`, identified on her WhatsApp or Messenger conversation with New York.
    func travellerCase(agency name: String = "A", channel: MessagingChannel = .whatsapp, ago: TimeInterval = 600) async throws -> CaseRecord {
        let record = try await openCase(channel: channel, ago: ago)
        let agency = try await makeAgency(name)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-\(name)")
        let traveller = try await Traveller.query(on: app.db).filter(\.$agency.$id == agency.requireID()).first()!
        traveller.language = .pt
        try await traveller.save(on: app.db)
        let conversation = try await Conversation.find(record.conversationID, on: app.db)!
        conversation.identified = true
        conversation.travellerID = traveller.id
        conversation.agencyID = agency.id
        conversation.tripID = trip.id
        try await conversation.save(on: app.db)
        record.agencyID = agency.id
        record.tripID = trip.id
        record.travellerID = traveller.id
        try await record.save(on: app.db)
        return record
    }

    func expert(covering codes: [String]) async throws -> TestBrowser {
        let user = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        for code in codes {
            let d = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!
            let link = ExpertDestination()
            link.$user.id = try user.requireID()
            link.$destination.id = try d.requireID()
            try await link.create(on: app.db)
        }
        return try await signedIn("expert@onspot.example")
    }

    func reply(_ browser: TestBrowser, _ record: CaseRecord, _ json: [String: Any]) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cookie, value: browser.cookieHeader)
        headers.replaceOrAdd(name: "X-CSRF-Token", value: browser.csrf ?? "")
        return try await app.sendRequest(.POST, "/console/cases/\(record.id!)/messages", headers: headers, body: jsonBody(json))
    }

    func sent() async throws {
        for _ in 0..<500 {
            if try await OutboxEntry.query(on: app.db).filter(\.$attempts == 0).count() == 0 { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}
