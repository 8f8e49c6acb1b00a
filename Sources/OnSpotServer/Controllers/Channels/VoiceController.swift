import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// The destination's toll-free line through Twilio. Every callback is checked with `X-Twilio-Signature` against the
/// auth token of the number called, stored with its CallSid or RecordingSid as dedupe key and processed like a
/// message (conversation, case), then answered with TwiML. In hours: the recording notice, a key to refuse recording,
/// then the on-duty experts of the destination. Out of hours, or nobody on duty: a voicemail with transcription.
enum VoiceController {
    static let maximumBody: ByteCount = "64kb"

    struct Call {
        let params: [(String, String)]
        let endpoint: ChannelEndpoint
        let destination: DestinationRecord
        func value(_ name: String) -> String? { params.first { $0.0 == name }?.1 }
    }

    /// Signature first, over the public URL Twilio called and the form parameters; 401 and nothing stored otherwise.
    static func verified(_ req: Request) async throws -> Call {
        let params: [(String, String)]
        do {
            params = try FormURLEncoding.decode(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        } catch {
            req.logger.warning("twilio voice: unreadable form body (\(error)), nothing stored")
            throw Abort(.badRequest, reason: "The form body is not valid application/x-www-form-urlencoded: \(error).")
        }
        let to = params.first { $0.0 == "To" }?.1 ?? ""
        guard
            let endpoint = try await ChannelEndpoint.query(on: req.db).filter(\.$channel == MessagingChannel.voice)
                .filter(\.$externalID == to).filter(\.$active == true).first(),
            WebhookSignatures.isValidTwilio(
                header: req.headers.first(name: "X-Twilio-Signature"), authToken: endpoint.appSecret,
                url: req.application.onspot.publicBaseURL + req.url.string, parameters: params),
            let destination = try await DestinationRecord.find(endpoint.$destination.id, on: req.db)
        else {
            req.logger.warning("twilio voice: signature missing or invalid, nothing stored")
            throw Abort(.unauthorized, reason: "invalid signature")
        }
        guard let sid = params.first(where: { $0.0 == "CallSid" })?.1, !sid.isEmpty, sid.count <= 64,
            let from = params.first(where: { $0.0 == "From" })?.1, !from.isEmpty
        else {
            throw Abort(.badRequest, reason: "CallSid and From are required")
        }
        return Call(params: params, endpoint: endpoint, destination: destination)
    }

    /// Stores the callback (deduplicated on its CallSid, or RecordingSid for a voicemail) and processes it in the same transaction, so the TwiML can rely on
    /// the case; a retried callback finds the same rows.
    static func record(_ call: Call, on req: Request) async throws -> CaseRecord? {
        let body = TwilioVoice.body(call.params)
        let item = TwilioVoice.message(call.params, now: req.now)
        try await req.db.transaction { db in
            let id = UUID()
            try await InboundIntake.insert([(id, .voice, body, item.map { [.message($0)] } ?? [])], on: db)
            _ = try await InboundBatch.process([id], on: db)
        }
        let sender = TwilioVoice.digits(call.value("From") ?? "")
        guard
            let conversation = try await Conversation.query(on: req.db).filter(\.$channel == MessagingChannel.voice)
                .filter(\.$externalUserID == sender).filter(\.$destinationID == call.destination.id).sort(\.$createdAt, .descending).first()
        else { return nil }
        return try await CaseRecord.query(on: req.db).filter(\.$conversationID == conversation.requireID())
            .sort(\.$openedAt, .descending).first()
    }

    static func language(for record: CaseRecord?, on db: any Database) async throws -> Language {
        guard let id = record?.travellerID, let traveller = try await Traveller.find(id, on: db) else { return .en }
        return traveller.language
    }

    @Sendable static func incoming(req: Request) async throws -> Response {
        let call = try await verified(req)
        let record = try await record(call, on: req)
        let lang = try await language(for: record, on: req.db)
        let base = req.application.onspot.publicBaseURL
        let now = req.now
        guard call.destination.hours.isOpen(at: now, in: call.destination.zone) else {
            return twiml(TwiML.voicemail(say: closedNotice(call.destination, lang: lang, now: now), language: lang, base: base))
        }
        return twiml(TwiML.notice(say: L10n.t("voice.notice", lang, ["destination": call.destination.name]), language: lang, base: base))
    }

    /// After the notice: 9 refuses recording (kept on the case); then the on-duty experts, or a voicemail if none.
    @Sendable static func consent(req: Request) async throws -> Response {
        let call = try await verified(req)
        let record = try await record(call, on: req)
        let refused = call.value("Digits") == "9"
        if refused, let record, !record.recordingRefused {
            record.recordingRefused = true
            try await record.save(on: req.db)
            // Kept in the traveller's consent history: refused on this call, by the key 9.
            if let travellerID = record.travellerID, let traveller = try await Traveller.find(travellerID, on: req.db) {
                try await ConsentService.record(
                    traveller, kind: .callRecording, granted: false, source: .keypress, actor: nil, caseID: record.id, on: req.db)
            }
        }
        let lang = try await language(for: record, on: req.db)
        let experts = try await onDuty(call.destination, on: req.db)
        guard !experts.isEmpty else {
            return twiml(TwiML.voicemail(say: L10n.t("voice.nobody", lang), language: lang, base: req.application.onspot.publicBaseURL))
        }
        let number = call.endpoint.externalID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return twiml(
            TwiML.dial(
                experts, record: !(refused || (record?.recordingRefused ?? false)),
                recordingCallback: req.application.onspot.publicBaseURL + "/webhooks/twilio/voice/recording?to=" + number))
    }

    /// A dialled call's recording is complete: its reference joins the call's message, where the retention purge and
    /// the erasure find it to delete the audio at Twilio. Twilio's recording callbacks carry no `To`, so the number
    /// called is in the callback URL, which the signature covers.
    @Sendable static func recording(req: Request) async throws -> Response {
        let params: [(String, String)]
        do {
            params = try FormURLEncoding.decode(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        } catch {
            throw Abort(.badRequest, reason: "The form body is not valid application/x-www-form-urlencoded: \(error).")
        }
        func value(_ name: String) -> String? { params.first { $0.0 == name }?.1 }
        let to = (try? req.query.get(String.self, at: "to")) ?? ""
        guard !to.isEmpty,
            let endpoint = try await ChannelEndpoint.query(on: req.db).filter(\.$channel == MessagingChannel.voice)
                .filter(\.$externalID == to).first(),
            WebhookSignatures.isValidTwilio(
                header: req.headers.first(name: "X-Twilio-Signature"), authToken: endpoint.appSecret,
                url: req.application.onspot.publicBaseURL + req.url.string, parameters: params)
        else {
            req.logger.warning("twilio voice: recording callback with a missing or invalid signature, nothing stored")
            throw Abort(.unauthorized, reason: "invalid signature")
        }
        guard let callSid = value("CallSid"), !callSid.isEmpty, callSid.count <= 64, let url = value("RecordingUrl"),
            let reference = TwilioVoice.recordingReference(url: url)
        else {
            throw Abort(.badRequest, reason: "CallSid and a RecordingUrl naming an account and a recording are required")
        }
        // The call of this line's destination, never another's.
        guard
            let message = try await MessageRecord.query(on: req.db).filter(\.$channel == MessagingChannel.voice)
                .filter(\.$providerMessageID == callSid).first(),
            let conversation = try await Conversation.find(message.conversationID, on: req.db),
            conversation.destinationID == endpoint.$destination.id
        else { throw Abort(.notFound, reason: "No call \(callSid) is known on this line") }
        if message.media == nil {
            let media = ["id": reference.recordingSID, "url": url, "mime": "audio/wav"]
            message.media = (try? JSONEncoder.sorted.encode(media)).map { String(decoding: $0, as: UTF8.self) }
            try await message.save(on: req.db)
        }
        return Response(status: .noContent)
    }

    @Sendable static func voicemail(req: Request) async throws -> Response {
        let call = try await verified(req)
        guard let sid = call.value("RecordingSid"), !sid.isEmpty else { throw Abort(.badRequest, reason: "RecordingSid is required") }
        _ = try await record(call, on: req)
        return twiml(TwiML.hangUp(L10n.t("voice.thanks", .en)))
    }

    /// The transcription arrives later: it completes the voicemail's text, once.
    @Sendable static func transcription(req: Request) async throws -> Response {
        let call = try await verified(req)
        guard let sid = call.value("RecordingSid"), !sid.isEmpty else { throw Abort(.badRequest, reason: "RecordingSid is required") }
        let text = String((call.value("TranscriptionText") ?? "").prefix(4000))
        // Not onto a voicemail whose conversation was erased or purged: its words are gone for good.
        if let message = try await MessageRecord.query(on: req.db).filter(\.$channel == MessagingChannel.voice)
            .filter(\.$providerMessageID == sid).first(), !text.isEmpty, !(message.body ?? "").contains(text),
            message.media != nil, try await Conversation.find(message.conversationID, on: req.db)?.purgedAt == nil
        {
            message.body = (message.body ?? "") + "\n« \(text) »"
            try await message.save(on: req.db)
        }
        return Response(status: .ok)
    }

    static func onDuty(_ destination: DestinationRecord, on db: any Database) async throws -> [String] {
        let ids = try await ExpertDestination.query(on: db).filter(\.$destination.$id == destination.requireID()).all(\.$user.$id)
        return try await User.query(on: db).filter(\.$id ~~ ids).filter(\.$onDuty == true).filter(\.$active == true).sort(\.$phone).all()
            .compactMap(\.phone)
    }

    static func closedNotice(_ d: DestinationRecord, lang: Language, now: Date) -> String {
        let back = d.hours.nextOpening(after: now, in: d.zone).map { LocalDateTime.display($0, in: d.zone, language: lang, withZone: false) } ?? "—"
        return L10n.t("voice.closed", lang, ["destination": d.name, "back": back, "emergency": d.emergencyNumber])
    }

    static func twiml(_ xml: String) -> Response {
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "text/xml; charset=utf-8")
        return response
    }
}
