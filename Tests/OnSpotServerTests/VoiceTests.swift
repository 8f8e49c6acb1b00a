import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// The toll-free line through Twilio: signed webhooks only; in hours the recording notice, the key to refuse recording
/// and the on-duty experts dialled; out of hours a voicemail with transcription that opens a case.
final class VoiceTests: ServerTestCase {
    let toll = "+18005550199"
    let token = "twilio-auth-token"
    var nyc: DestinationRecord!

    override func setUp() async throws {
        try await super.setUp()
        nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let e = ChannelEndpoint()
        e.$destination.id = try nyc.requireID()
        e.channel = .voice; e.externalID = toll; e.appSecret = token; e.active = true; e.createdAt = Date()
        try await e.create(on: app.db)
    }

    func setHours(_ slots: String) async throws {
        nyc.setHours(slots.isEmpty ? OpeningHours(weekly: [:]) : OpeningHours.everyDay(OpeningHours.parseSlots(slots)!))
        try await nyc.save(on: app.db)
    }

    func onDutyExpert(_ phone: String) async throws {
        let user = try await makeUser("expert-\(phone.suffix(4))@onspot.example", role: .expert, agency: nil)
        user.phone = phone
        user.onDuty = true
        try await user.save(on: app.db)
        let link = ExpertDestination()
        link.$user.id = try user.requireID()
        link.$destination.id = try nyc.requireID()
        try await link.create(on: app.db)
    }

    /// Posts form parameters as Twilio does, signed over the public URL unless told otherwise.
    func post(_ path: String, _ params: [(String, String)], signature: String? = nil, overHTTP: Bool = true) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let sig = signature ?? WebhookSignatures.twilioSignature(authToken: token, url: app.onspot.publicBaseURL + path, parameters: params)
        headers.replaceOrAdd(name: "X-Twilio-Signature", value: sig)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = params.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        // As Twilio does: over a real socket (the body limit is the HTTP server's).
        if overHTTP {
            return try await app.testable(method: .running(hostname: "127.0.0.1", port: 0)).sendRequest(
                .POST, path, headers: headers, body: ByteBuffer(string: body))
        }
        return try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func call(_ sid: String, from: String) -> [(String, String)] {
        [
            ("AccountSid", "AC123"), ("ApiVersion", "2010-04-01"), ("CallSid", sid), ("CallStatus", "ringing"), ("Direction", "inbound"),
            ("From", from), ("To", toll)
        ]
    }

    func testUnsignedOrBadlySignedCallsAreRefusedAndNothingIsStored() async throws {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let unsigned = try await app.sendRequest(
            .POST, "/webhooks/twilio/voice", headers: headers,
            body: ByteBuffer(string: "CallSid=CA1&From=%2B33612345678&To=%2B18005550199"))
        XCTAssertEqual(unsigned.status, .unauthorized)
        let forged = try await post("/webhooks/twilio/voice", call("CA2", from: "+33612345678"), signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        XCTAssertEqual(forged.status, .unauthorized)
        let unknownLine = try await post("/webhooks/twilio/voice", [("CallSid", "CA3"), ("From", "+33612345678"), ("To", "+18005550000")])
        XCTAssertEqual(unknownLine.status, .unauthorized, "no endpoint, no secret to check against")
        let missing = try await post("/webhooks/twilio/voice", [("From", "+33612345678"), ("To", toll)])
        XCTAssertEqual(missing.status, .badRequest)
        let huge = try await post("/webhooks/twilio/voice", call("CA4", from: "+33612345678") + [("Junk", String(repeating: "x", count: 70_000))])
        XCTAssertEqual(huge.status, .payloadTooLarge)
        let events = try await InboundEvent.query(on: app.db).count()
        XCTAssertEqual(events, 0)
    }

    func testInHoursTheNoticeThenTheOnDutyExpertsAreDialledAndRefusalIsKept() async throws {
        try await setHours("00:00-24:00")
        try await onDutyExpert("+12125550142")
        try await onDutyExpert("+12125550143")
        let agency = try await makeAgency("Horizon")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-1")
        let phone = try XCTUnwrap(trip.travellerLinks[0].traveller.phone)
        let answer = try await post("/webhooks/twilio/voice", call("CA100", from: phone))
        XCTAssertEqual(answer.status, .ok)
        XCTAssertEqual(answer.headers.contentType?.description.hasPrefix("text/xml"), true)
        let twiml = answer.body.string
        XCTAssertTrue(
            twiml.contains(#"<Gather numDigits="1" timeout="5" action="\#(app.onspot.publicBaseURL)/webhooks/twilio/voice/consent" method="POST">"#),
            twiml)
        XCTAssertTrue(twiml.contains("language=\"fr-FR\""), "the matched traveller speaks French")
        // Twilio retries: the same CallSid gives the same answer and stores nothing twice.
        let retry = try await post("/webhooks/twilio/voice", call("CA100", from: phone))
        XCTAssertEqual(retry.body.string, twiml)
        let calls = try await MessageRecord.query(on: app.db).filter(\.$kind == "call").all()
        XCTAssertEqual(calls.count, 1)
        let record = try await CaseRecord.query(on: app.db).first()!
        XCTAssertEqual(record.tripID, trip.id, "matched by phone")
        XCTAssertFalse(record.recordingRefused)
        let refused = try await post("/webhooks/twilio/voice/consent", call("CA100", from: phone) + [("Digits", "9")])
        XCTAssertEqual(refused.status, .ok)
        XCTAssertTrue(
            refused.body.string.contains(
                #"<Dial record="do-not-record" timeout="25"><Number>+12125550142</Number><Number>+12125550143</Number></Dial>"#),
            refused.body.string)
        let kept = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertTrue(kept.recordingRefused, "the choice is kept on the case")
        // And in the traveller's consent history: refused on this call, by the key 9.
        let history = try await ConsentEvent.query(on: app.db).filter(\.$source == .keypress).all()
        XCTAssertEqual(history.map(\.kind), [.callRecording])
        XCTAssertEqual(history.first?.granted, false)
        XCTAssertEqual(history.first?.caseID, record.id)
        XCTAssertEqual(history.first?.travellerID, trip.travellerLinks.first?.$traveller.id)
        let accepted = try await post("/webhooks/twilio/voice/consent", call("CA101", from: "+14155550100"))
        XCTAssertTrue(accepted.body.string.contains(#"<Dial record="record-from-answer""#), accepted.body.string)
    }

    func testOutOfHoursAVoicemailWithTranscriptionOpensACase() async throws {
        try await setHours("")
        try await onDutyExpert("+12125550142")
        let answer = try await post("/webhooks/twilio/voice", call("CA200", from: "+14155550100"))
        let twiml = answer.body.string
        XCTAssertTrue(twiml.contains("<Record "), twiml)
        XCTAssertTrue(twiml.contains(#"action="\#(app.onspot.publicBaseURL)/webhooks/twilio/voice/voicemail""#))
        XCTAssertTrue(twiml.contains(#"transcribe="true""#))
        XCTAssertFalse(twiml.contains("<Dial"), "nobody is dialled out of hours")
        let recording: [(String, String)] =
            call("CA200", from: "+14155550100") + [
                ("RecordingSid", "RE1"), ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE1"),
                ("RecordingDuration", "14")
            ]
        let saved = try await post("/webhooks/twilio/voice/voicemail", recording)
        XCTAssertEqual(saved.status, .ok)
        let again = try await post("/webhooks/twilio/voice/voicemail", recording)
        XCTAssertEqual(again.status, .ok)
        let voicemails = try await MessageRecord.query(on: app.db).filter(\.$kind == "voicemail").all()
        XCTAssertEqual(voicemails.count, 1, "a retried callback stores nothing twice")
        XCTAssertTrue(voicemails[0].body?.contains("+14155550100") == true, "the call-back number is on the message")
        XCTAssertTrue(voicemails[0].media?.contains("RE1") == true)
        let transcript = try await post(
            "/webhooks/twilio/voice/transcription",
            [
                ("CallSid", "CA200"), ("RecordingSid", "RE1"), ("TranscriptionStatus", "completed"),
                ("TranscriptionText", "My car broke down on the Brooklyn bridge"), ("From", "+14155550100"), ("To", toll)
            ])
        XCTAssertEqual(transcript.status, .ok)
        let updated = try await MessageRecord.find(voicemails[0].id, on: app.db)!
        XCTAssertTrue(updated.body?.contains("My car broke down on the Brooklyn bridge") == true, updated.body ?? "")
        let cases = try await CaseRecord.query(on: app.db).filter(\.$destinationID == nyc.id).count()
        XCTAssertEqual(cases, 1)
        // Once the conversation is erased or purged, a late transcription writes nothing back.
        let conversation = try await Conversation.find(updated.conversationID, on: app.db)
        conversation?.purgedAt = Date()
        try await conversation?.save(on: app.db)
        try await MessageRecord.query(on: app.db).filter(\.$id == updated.requireID()).set(\.$body, to: nil).update()
        let late = try await post(
            "/webhooks/twilio/voice/transcription",
            [("CallSid", "CA200"), ("RecordingSid", "RE1"), ("TranscriptionText", "Second transcript"), ("From", "+14155550100"), ("To", toll)])
        XCTAssertEqual(late.status, .ok)
        let after = try await MessageRecord.find(voicemails[0].id, on: app.db)
        XCTAssertNil(after?.body)
    }

    /// A recorded call names its recording callback; the callback, signed over its URL (which carries the number called,
    /// as Twilio's recording callbacks have no To), attaches the recording to the call's message once.
    func testADialledCallsRecordingIsAttachedToTheCallForItsRetention() async throws {
        try await setHours("00:00-24:00")
        try await onDutyExpert("+12125550142")
        _ = try await post("/webhooks/twilio/voice", call("CA300", from: "+14155550100"))
        let dial = try await post("/webhooks/twilio/voice/consent", call("CA300", from: "+14155550100"))
        let callback = "/webhooks/twilio/voice/recording?to=%2B18005550199"
        XCTAssertTrue(
            dial.body.string.contains(
                #"recordingStatusCallback="\#(app.onspot.publicBaseURL)\#(callback)" recordingStatusCallbackMethod="POST""#),
            dial.body.string)
        let account = "AC" + String(repeating: "0", count: 32)
        let recording = "RE" + String(repeating: "1", count: 32)
        let params: [(String, String)] = [
            ("AccountSid", account), ("CallSid", "CA300"), ("RecordingSid", recording),
            ("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/\(account)/Recordings/\(recording)"),
            ("RecordingStatus", "completed"), ("RecordingDuration", "42")
        ]
        let unsigned = try await post(callback, params, signature: "forged")
        XCTAssertEqual(unsigned.status, .unauthorized)
        let otherLine = try await post("/webhooks/twilio/voice/recording?to=%2B18005550000", params)
        XCTAssertEqual(otherLine.status, .unauthorized, "no such line, no token to check against")
        let unknownCall = try await post(callback, params.map { $0.0 == "CallSid" ? ($0.0, "CA999") : $0 })
        XCTAssertEqual(unknownCall.status, .notFound)
        let badURL = try await post(callback, params.map { $0.0 == "RecordingUrl" ? ($0.0, "https://evil.example/x/../Recordings") : $0 })
        XCTAssertEqual(badURL.status, .badRequest)
        let attached = try await post(callback, params)
        XCTAssertEqual(attached.status, .noContent)
        let retried = try await post(callback, params)
        XCTAssertEqual(retried.status, .noContent)
        let message = try await MessageRecord.query(on: app.db).filter(\.$providerMessageID == "CA300").first()
        XCTAssertEqual(RetentionPurge.mediaURL(message?.media).flatMap(TwilioVoice.recordingReference(url:))?.recordingSID, recording)
    }

    func testInHoursWithNobodyOnDutyTheCallerLeavesAVoicemail() async throws {
        try await setHours("00:00-24:00")
        let answer = try await post("/webhooks/twilio/voice/consent", call("CA300", from: "+14155550100"))
        XCTAssertTrue(answer.body.string.contains("<Record "), answer.body.string)
    }
}
