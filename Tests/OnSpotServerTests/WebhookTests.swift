import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class WebhookTests: ServerTestCase {
    let secret = "appsecret"
    /// 1749416383 in the recorded payloads is 8 June 2025.
    let messageTime = Date(timeIntervalSince1970: 1_749_416_383)

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)))
    }

    @discardableResult
    func endpoint(_ channel: MessagingChannel = .whatsapp, externalID: String = "106540352242922", destination: String = "us-nyc") async throws
        -> ChannelEndpoint
    {
        let d = try await DestinationRecord.query(on: app.db).filter(\.$code == destination).first()!
        let e = ChannelEndpoint()
        e.$destination.id = try d.requireID()
        e.channel = channel
        e.externalID = externalID
        e.appSecret = secret
        e.verifyToken = "verify-me"
        e.active = true
        e.createdAt = Date()
        try await e.create(on: app.db)
        return e
    }

    /// A traveller reachable on WhatsApp as 16505551234, in New York during the recorded messages.
    func travellerInNewYork() async throws -> (Agency, Trip) {
        let agency = try await makeAgency("A")
        let draft = TripDraft(
            reference: "NYC-1", destinationCodes: ["us-nyc"], departure: messageTime.addingTimeInterval(-2 * 86400),
            arrival: nil, returnDate: messageTime.addingTimeInterval(5 * 86400), notes: nil,
            travellers: [TravellerDraft(firstName: "Sheena", lastName: "Nelson", phone: "+1 650 555 1234")])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: ["us-nyc"], now: Date(), purpose: .seed,
                defaultLanguage: .en)
        else { throw Abort(.internalServerError) }
        let trip = try await TripService.create(valid, agency: agency, userID: nil, on: app.db)
        return (agency, trip)
    }

    func post(_ body: Data, channel: String = "whatsapp", signature: String?) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let signature { headers.replaceOrAdd(name: "X-Hub-Signature-256", value: signature) }
        var buffer = ByteBufferAllocator().buffer(capacity: body.count)
        buffer.writeBytes(body)
        return try await app.sendRequest(.POST, "/webhooks/\(channel)", headers: headers, body: buffer)
    }

    static func send(_ app: Application, _ body: Data, _ signature: String) async throws -> HTTPStatus {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "X-Hub-Signature-256", value: signature)
        var buffer = ByteBufferAllocator().buffer(capacity: body.count)
        buffer.writeBytes(body)
        return try await app.sendRequest(.POST, "/webhooks/whatsapp", headers: headers, body: buffer).status
    }

    func signed(_ body: Data, channel: String = "whatsapp") async throws -> XCTHTTPResponse {
        try await post(body, channel: channel, signature: WebhookSignatures.metaSignature(secret: secret, body: body))
    }

    /// Processing runs after the 200; wait for it as an operator would watch the queue drain.
    func drained() async throws {
        for _ in 0..<500 {
            let pending = try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count()
            if pending == 0 { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("events still pending")
    }

    func testVerificationHandshake() async throws {
        try await endpoint()
        let ok = try await app.sendRequest(.GET, "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me")
        XCTAssertEqual(ok.status, .ok)
        XCTAssertEqual(ok.body.string, "1158201444")
        let wrong = try await app.sendRequest(.GET, "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess")
        XCTAssertEqual(wrong.status, .forbidden)
        let unknown = try await app.sendRequest(.GET, "/webhooks/telegram?hub.mode=subscribe")
        XCTAssertEqual(unknown.status, .notFound)
    }

    func testUnsignedOrBadlySignedRequestsStoreNothing() async throws {
        try await endpoint()
        let body = try fixture("text.json")
        let unsigned = try await post(body, signature: nil)
        XCTAssertEqual(unsigned.status, .unauthorized)
        let forged = try await post(body, signature: WebhookSignatures.metaSignature(secret: "not-ours", body: body))
        XCTAssertEqual(forged.status, .unauthorized)
        let tampered = try await post(body + Data(" ".utf8), signature: WebhookSignatures.metaSignature(secret: secret, body: body))
        XCTAssertEqual(tampered.status, .unauthorized)
        let events = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(events, 0)
        let garbage = Data("not json".utf8)
        let unreadable = try await signed(garbage)
        XCTAssertEqual(unreadable.status, .badRequest)
        let stillNone = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(stillNone, 0)
    }

    func testAMessageFromATravellerInServiceOpensACaseForTheirAgency() async throws {
        try await endpoint()
        let (agency, trip) = try await travellerInNewYork()
        let res = try await signed(try fixture("text.json"))
        XCTAssertEqual(res.status, .ok)
        XCTAssertEqual(res.body.string, "EVENT_RECEIVED")
        try await drained()
        let foundConversation = try await Conversation.query(on: app.db).first()
        let conversation = try XCTUnwrap(foundConversation)
        XCTAssertTrue(conversation.identified)
        XCTAssertEqual(conversation.agencyID, agency.id)
        XCTAssertEqual(conversation.tripID, trip.id)
        let foundMessage = try await MessageRecord.query(on: app.db).first()
        let message = try XCTUnwrap(foundMessage)
        XCTAssertEqual(message.body, "Is my 8am shuttle still running?")
        XCTAssertEqual(message.direction, .inbound)
        let foundCase = try await CaseRecord.query(on: app.db).first()
        let record = try XCTUnwrap(foundCase)
        XCTAssertEqual(record.status, .new)
        XCTAssertEqual(record.agencyID, agency.id)
        XCTAssertNotNil(record.destinationID)
    }

    /// Issue 20, item 3: a web process started with `--no-background` stores and acknowledges, and processes nothing;
    /// the worker's work (here its processing loop, run once) finds the event in the table and does it.
    func testAWebProcessWithoutBackgroundWorkLeavesTheProcessingToTheWorker() async throws {
        try await endpoint()
        let (agency, _) = try await travellerInNewYork()
        disableBackgroundWork(app)
        let res = try await signed(try fixture("text.json"))
        XCTAssertEqual(res.status, .ok)
        try await Task.sleep(nanoseconds: 300_000_000)
        let pending = try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count()
        XCTAssertEqual(pending, 1, "stored durably, not processed here")
        let messages = try await MessageRecord.query(on: app.db).count()
        XCTAssertEqual(messages, 0)
        _ = try await InboundProcessor.sweep(on: app.db)
        let record = try await CaseRecord.query(on: app.db).first()
        XCTAssertEqual(record?.agencyID, agency.id, "the worker opened the case")
    }

    func testDuplicatesStoreExactlyOneMessageEvenWhenConcurrent() async throws {
        try await endpoint()
        _ = try await travellerInNewYork()
        let body = try fixture("text.json")
        let first = try await signed(body)
        let again = try await signed(body)
        XCTAssertEqual(first.status, .ok)
        XCTAssertEqual(again.status, .ok, "a duplicate is acknowledged so Meta stops retrying")
        let app: Application = self.app
        let signature = WebhookSignatures.metaSignature(secret: secret, body: body)
        try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for _ in 0..<8 { group.addTask { try await Self.send(app, body, signature) } }
            for try await status in group { XCTAssertEqual(status, .ok) }
        }
        try await drained()
        let messages = try await MessageRecord.query(on: app.db).count()
        XCTAssertEqual(messages, 1)
        let cases = try await CaseRecord.query(on: app.db).count()
        XCTAssertEqual(cases, 1)
        let dedupe = try await InboundDedupe.query(on: app.db).count()
        XCTAssertEqual(dedupe, 1)
    }

    func testBatchWithMediaUnknownSenderAndReceiptsInAnyOrder() async throws {
        try await endpoint()
        try await endpoint(externalID: "106540352242999", destination: "us-mia")
        // An outbound conversation with two sent messages whose receipts come in the batch.
        let c = Conversation()
        c.channel = .whatsapp; c.externalUserID = "351912345678"; c.identified = false; c.createdAt = Date()
        try await c.create(on: app.db)
        for id in ["wamid.OUT1", "wamid.OUT2"] {
            let m = MessageRecord()
            m.conversationID = try c.requireID(); m.direction = .outbound; m.channel = .whatsapp; m.providerMessageID = id
            m.kind = "text"; m.body = "Hello"; m.status = .sent; m.createdAt = Date()
            try await m.create(on: app.db)
        }
        let res = try await signed(try fixture("batch-mixed.json"))
        XCTAssertEqual(res.status, .ok)
        try await drained()
        let inbound = try await MessageRecord.query(on: app.db).filter(\.$direction == .inbound).sort(\.$createdAt).all()
        XCTAssertEqual(inbound.map(\.kind), ["image", "location", "interactive", "unknown"])
        XCTAssertTrue(inbound[0].media?.contains("1479537139650973") == true)
        let conversation = try await Conversation.find(c.id, on: app.db)!
        XCTAssertFalse(conversation.identified, "nobody registered this number: the expert links it later")
        let out1 = try await MessageRecord.query(on: app.db).filter(\.$providerMessageID == "wamid.OUT1").first()!
        XCTAssertEqual(out1.status, .read, "'delivered' arriving after 'read' does not move it back")
        let out2 = try await MessageRecord.query(on: app.db).filter(\.$providerMessageID == "wamid.OUT2").first()!
        XCTAssertEqual(out2.status, .failed)
        XCTAssertEqual(out2.failedReason, "131047 Re-engagement message")
        let receipts = try await app.db.query(MessageReceipt.self).count()
        XCTAssertEqual(receipts, 3)
    }

    func testMessengerBatchDropsEchoes() async throws {
        try await endpoint(.messenger, externalID: "PAGE1", destination: "br-rio")
        let res = try await signed(try fixture("batch.json"), channel: "messenger")
        XCTAssertEqual(res.status, .ok)
        try await drained()
        let messages = try await MessageRecord.query(on: app.db).sort(\.$createdAt).all()
        XCTAssertEqual(messages.compactMap(\.providerMessageID), ["m_1", "m_2", "m_3"])
    }

    func testOversizedBodiesAreRefusedOverRealHTTP() async throws {
        try await endpoint()
        let huge = Data(("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\"" + String(repeating: "x", count: 300_000) + "\"}").utf8)
        let tester = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "X-Hub-Signature-256", value: WebhookSignatures.metaSignature(secret: secret, body: huge))
        var buffer = ByteBufferAllocator().buffer(capacity: huge.count)
        buffer.writeBytes(huge)
        let res = try await tester.sendRequest(.POST, "/webhooks/whatsapp", headers: headers, body: buffer)
        XCTAssertEqual(res.status, .payloadTooLarge)
        let events = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(events, 0)
    }

    func testAStoredEventIsProcessedAfterACrash() async throws {
        try await endpoint()
        _ = try await travellerInNewYork()
        // The intake committed, then the process died before working on it.
        let body = try fixture("text.json")
        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        let processed = try await InboundProcessor.sweep(on: app.db)
        XCTAssertEqual(processed, 1)
        let again = try await InboundProcessor.sweep(on: app.db)
        XCTAssertEqual(again, 0)
        let messages = try await MessageRecord.query(on: app.db).count()
        XCTAssertEqual(messages, 1)
    }
}

final class MessageReceipt: Model, @unchecked Sendable {
    static let schema = "message_receipts"
    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: String
    init() {}
}
