import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, item 3: the thread shows each message's delivery state with the provider's reason in words, photos
/// inline, voicemails as a player with their transcript, locations as a map link, and the internal notes and the
/// case's events in the same timeline.
final class ConsoleThreadTests: GraphTestCase {
    func message(_ record: CaseRecord, _ kind: String, body: String?, direction: MessageDirection = .inbound, at: Date, media: String? = nil)
        async throws -> MessageRecord
    {
        let m = MessageRecord()
        m.conversationID = record.conversationID!
        m.direction = direction
        m.channel = .whatsapp
        m.providerMessageID = "wamid.\(UUID().uuidString)"
        m.kind = kind
        m.body = body
        m.media = media
        m.status = direction == .inbound ? .received : .accepted
        m.createdAt = at
        try await m.create(on: app.db)
        return m
    }

    func testTheTimelineHoldsMessagesNotesAndEventsInOrder() async throws {
        let record = try await openCase()
        let browser = try await expert(covering: ["us-nyc"])
        let start = Date().addingTimeInterval(-3000)
        record.openedAt = start
        try await record.save(on: app.db)
        _ = try await message(record, "text", body: "Ma voiture ne démarre pas", at: start.addingTimeInterval(10))
        let failed = try await message(record, "text", body: "Nous arrivons", direction: .outbound, at: start.addingTimeInterval(60))
        failed.status = .failed
        failed.failedReason = "131026 undeliverable"
        try await failed.save(on: app.db)
        let photo = try await message(
            record, "image", body: "La jauge", at: start.addingTimeInterval(120), media: #"{"id":"M1","mime":"image/jpeg"}"#)
        let attachment = Attachment()
        attachment.messageID = try photo.requireID()
        attachment.providerMediaID = "M1"; attachment.mimeType = "image/jpeg"; attachment.size = 3; attachment.data = Data([0xFF, 0xD8, 0xFF])
        attachment.status = .stored; attachment.attempts = 1; attachment.createdAt = Date()
        try await attachment.create(on: app.db)
        _ = try await message(
            record, "location", body: "Parking JFK", at: start.addingTimeInterval(180), media: #"{"lat":"40.64131","lon":"-73.77814"}"#)
        _ = try await message(record, "location", body: "Nowhere", at: start.addingTimeInterval(190), media: #"{"lat":"123","lon":"0"}"#)
        _ = try await browser.post("/console/cases/\(record.id!)/notes", form: ["body": "Appeler Hertz avant 18 h"])
        let me = try await User.query(on: app.db).filter(\.$email == "expert@onspot.example").first()!
        _ = try await browser.post("/console/cases/\(record.id!)/assign", form: ["assignee": me.id!.uuidString])

        let page = try await browser.get("/console/cases/\(record.id!)").body.string
        let thread = try XCTUnwrap(page.range(of: #"id="thread""#).map { String(page[$0.lowerBound...]) }).components(separatedBy: "</form>")[0]
        XCTAssertTrue(thread.contains("Ce numéro ne peut pas recevoir de message WhatsApp"), "the failure's reason in the expert's words")
        XCTAssertTrue(thread.contains(#"class="panel msg outbound failed""#))
        XCTAssertTrue(thread.contains(#"<img src="/console/attachments/\#(attachment.id!.uuidString)""#), "the photo inline")
        XCTAssertTrue(
            thread.contains("https://www.openstreetmap.org/?mlat=40.64131&amp;mlon=-73.77814#map=16/40.64131/-73.77814"), "the location on a map")
        XCTAssertFalse(thread.contains("mlat=123"), "coordinates off the globe are not linked")
        XCTAssertTrue(thread.contains(#"class="note""#) && thread.contains("Appeler Hertz avant 18 h"), "the note inline")
        XCTAssertTrue(thread.contains("Note interne, jamais envoyée"))
        XCTAssertTrue(thread.contains(#"data-event="opened""#))
        XCTAssertTrue(thread.contains(#"data-event="assigned""#) && thread.contains("a attribué le dossier à expert"), thread)
        // In time order: the opening, the messages, then the note and the assignment made just now.
        let order = [
            "data-event=\"opened\"", "Ma voiture ne démarre pas", "Nous arrivons", "La jauge", "Parking JFK", "Appeler Hertz",
            "data-event=\"assigned\""
        ]
        let positions = order.compactMap { thread.range(of: $0)?.lowerBound }
        XCTAssertEqual(positions.count, order.count, thread)
        XCTAssertEqual(positions, positions.sorted(), "the timeline is in time order")
    }

    func testAFailureWithoutAKnownCodeStillSaysWhy() {
        XCTAssertEqual(ThreadViews.failure("131047 outside the messaging window", .en), L10n.t("delivery.error.131047", .en))
        XCTAssertEqual(ThreadViews.failure("HTTP 400 bad thing", .en), "Failed: HTTP 400 bad thing")
        XCTAssertEqual(ThreadViews.failure(nil, .pt), "Falha: —")
    }

    func testVoicemailsParseTheirStoredText() {
        let voicemail = Voicemail("Voicemail (42 s). Call back: +16505550001\n« Mon vol est annulé »")
        XCTAssertEqual(voicemail?.seconds, 42)
        XCTAssertEqual(voicemail?.callBack, "+16505550001")
        XCTAssertEqual(voicemail?.transcript, "Mon vol est annulé")
        XCTAssertEqual(Voicemail("Voicemail (7 s). Call back: +1")?.transcript, nil)
        XCTAssertNil(Voicemail("Hello"))
        XCTAssertNil(Voicemail("Voicemail (x s). Call back: +1"))
        XCTAssertNil(Voicemail("Voicemail ("))
    }
}

/// A voicemail plays in the console: its audio is fetched from Twilio with the number's credentials, for the experts
/// who cover the destination only.
final class VoicemailPlayerTests: ServerTestCase {
    let token = "twilio-auth-token"
    let account = "AC" + String(repeating: "cd", count: 16)

    func testTheVoicemailPlaysForTheExpertsOfItsDestinationOnly() async throws {
        let twilio = try await TwilioStandIn()
        app.onspot.twilioBaseURL = twilio.baseURL
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let endpoint = ChannelEndpoint()
        endpoint.$destination.id = try nyc.requireID()
        endpoint.channel = .voice; endpoint.externalID = "+18005550199"; endpoint.appSecret = token; endpoint.active = true
        endpoint.createdAt = Date()
        try await endpoint.create(on: app.db)
        let c = Conversation()
        c.channel = .voice; c.externalUserID = "16505550001"; c.destinationID = nyc.id; c.identified = false; c.lastInboundAt = Date()
        c.createdAt = Date()
        try await c.create(on: app.db)
        let recording = "RE" + String(repeating: "1f", count: 16)
        twilio.hold(recording, token: token)
        let m = MessageRecord()
        m.conversationID = try c.requireID(); m.direction = .inbound; m.channel = .voice; m.providerMessageID = recording
        m.kind = "voicemail"; m.body = "Voicemail (42 s). Call back: +16505550001\n« Ma valise est perdue »"
        m.media = #"{"id":"\#(recording)","url":"https://api.twilio.com/2010-04-01/Accounts/\#(account)/Recordings/\#(recording)"}"#
        m.status = .received; m.createdAt = Date()
        try await m.create(on: app.db)
        let record = InboundProcessor.newCase(for: c, at: Date())
        try await record.create(on: app.db)

        let expert = try await makeUser("expert@onspot.example", role: .expert, agency: nil)
        let link = ExpertDestination()
        link.$user.id = try expert.requireID(); link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
        let browser = try await signedIn("expert@onspot.example")
        let page = try await browser.get("/console/cases/\(record.id!)").body.string
        XCTAssertTrue(page.contains(#"<audio controls="" preload="none" src="/console/recordings/\#(m.id!.uuidString)""#), page)
        XCTAssertTrue(page.contains("Message vocal de 42 s, rappeler le +16505550001"), "in the expert's language")
        XCTAssertTrue(page.contains(#"<blockquote class="transcript">Ma valise est perdue</blockquote>"#))

        let audio = try await browser.get("/console/recordings/\(m.id!)")
        XCTAssertEqual(audio.status, .ok)
        XCTAssertEqual(audio.headers.contentType?.description, "audio/mpeg")
        XCTAssertEqual(
            Data(audio.body.readableBytesView), TwilioStandIn.audio(recording), "the recording Twilio holds, fetched with the number's token")
        twilio.outage(1)
        let down = try await browser.get("/console/recordings/\(m.id!)")
        XCTAssertEqual(down.status, .badGateway)
        XCTAssertTrue(
            down.body.string.contains("L&#39;enregistrement n&#39;est pas joignable")
                || down.body.string.contains("L'enregistrement n'est pas joignable"))

        try await makeUser("rio@onspot.example", role: .expert, agency: nil)
        let elsewhere = try await signedIn("rio@onspot.example")
        let refused = try await elsewhere.get("/console/recordings/\(m.id!)")
        XCTAssertEqual(refused.status, .notFound, "an expert of another destination gets nothing")
        let agency = try await makeAgency("A")
        try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let agent = try await signedIn("agent@a.example")
        let agentTry = try await agent.get("/console/recordings/\(m.id!)")
        XCTAssertNotEqual(agentTry.status, .ok)
        let unknown = try await browser.get("/console/recordings/\(UUID())")
        XCTAssertEqual(unknown.status, .notFound)
        try await twilio.stop()
    }
}
