import Foundation

/// Twilio Programmable Voice callbacks (form parameters) read as inbound messages, and the TwiML we answer with.
public enum TwilioVoice {
    /// "+14155550100" → "14155550100": senders are kept as digits, as WhatsApp's wa_id.
    public static func digits(_ phone: String) -> String { String(phone.filter(\.isNumber).prefix(20)) }

    /// A call (keyed by CallSid) or a voicemail (keyed by RecordingSid) as a message of the caller's conversation.
    public static func message(_ params: [(String, String)], now: Date) -> InboundMessage? {
        func value(_ name: String) -> String? { params.first { $0.0 == name }?.1 }
        guard let callSid = value("CallSid"), !callSid.isEmpty, let from = value("From"), let to = value("To") else { return nil }
        let caller = digits(from)
        guard !caller.isEmpty else { return nil }
        if let recording = value("RecordingSid"), !recording.isEmpty {
            let seconds = value("RecordingDuration").flatMap(Int.init) ?? 0
            return InboundMessage(
                channel: .voice, endpointID: to, senderID: caller, providerMessageID: recording, timestamp: now, kind: "voicemail",
                text: "Voicemail (\(seconds) s). Call back: \(from)", mediaID: recording, mediaURL: value("RecordingUrl"),
                mimeType: "audio/wav", contactName: from)
        }
        return InboundMessage(
            channel: .voice, endpointID: to, senderID: caller, providerMessageID: callSid, timestamp: now, kind: "call",
            text: "Call from \(from)", contactName: from)
    }

    /// A recording Twilio holds, named by its account and its own id: what its REST API needs to delete it.
    public struct RecordingReference: Hashable, Sendable {
        public let accountSID: String
        public let recordingSID: String
    }

    /// The reference inside a `RecordingUrl` (`…/2010-04-01/Accounts/AC…/Recordings/RE…`), both ids checked (two letters
    /// and 32 hexadecimal digits) so nothing else is ever put into a request path.
    public static func recordingReference(url: String) -> RecordingReference? {
        func sid(_ text: Substring, prefix: String) -> String? {
            let bare = text.hasSuffix(".json") || text.hasSuffix(".wav") || text.hasSuffix(".mp3") ? text.prefix { $0 != "." } : text
            guard bare.count == 34, bare.hasPrefix(prefix), bare.dropFirst(2).allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
            return String(bare)
        }
        let parts = url.split(separator: "/")
        guard let accounts = parts.firstIndex(of: "Accounts"), accounts + 3 < parts.count, parts[accounts + 2] == "Recordings",
            let account = sid(parts[accounts + 1], prefix: "AC"), let recording = sid(parts[accounts + 3], prefix: "RE")
        else { return nil }
        return RecordingReference(accountSID: account, recordingSID: recording)
    }

    /// Stored callback bodies are form-encoded like Twilio's own (`FormURLEncoding`), so they read back exactly.
    public static func body(_ params: [(String, String)]) -> Data {
        Data(FormURLEncoding.encode(params).utf8)
    }

    /// Parameters of a stored body; a body that no longer decodes gives none rather than a guess.
    public static func decodedParameters(_ body: Data) -> [(String, String)] {
        (try? FormURLEncoding.decode(body)) ?? []
    }
}

/// TwiML documents, escaped.
public enum TwiML {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func voice(_ language: Language) -> String {
        switch language {
        case .fr: "fr-FR"
        case .en: "en-US"
        case .pt: "pt-BR"
        }
    }

    static func document(_ body: String) -> String { #"<?xml version="1.0" encoding="UTF-8"?><Response>"# + body + "</Response>" }

    /// The recording notice inside a one-key Gather; without a key press Twilio goes on to the Redirect.
    public static func notice(say: String, language: Language, base: String) -> String {
        document(
            #"<Gather numDigits="1" timeout="5" action="\#(escape(base))/webhooks/twilio/voice/consent" method="POST">"#
                + #"<Say language="\#(voice(language))">\#(escape(say))</Say></Gather>"#
                + #"<Redirect method="POST">\#(escape(base))/webhooks/twilio/voice/consent</Redirect>"#)
    }

    /// A recorded call tells `recordingCallback` (when given) the recording's id once it is complete, so its retention
    /// can end at Twilio too.
    public static func dial(_ numbers: [String], record: Bool, recordingCallback: String? = nil) -> String {
        let callback =
            record
            ? recordingCallback.map { #" recordingStatusCallback="\#(escape($0))" recordingStatusCallbackMethod="POST""# } ?? "" : ""
        return document(
            #"<Dial record="\#(record ? "record-from-answer" : "do-not-record")" timeout="25"\#(callback)>"#
                + numbers.map { "<Number>\(escape($0))</Number>" }.joined() + "</Dial>")
    }

    public static func voicemail(say: String, language: Language, base: String) -> String {
        document(
            #"<Say language="\#(voice(language))">\#(escape(say))</Say>"#
                + #"<Record maxLength="180" playBeep="true" action="\#(escape(base))/webhooks/twilio/voice/voicemail" method="POST" "#
                + #"transcribe="true" transcribeCallback="\#(escape(base))/webhooks/twilio/voice/transcription"/>"#)
    }

    public static func hangUp(_ say: String) -> String {
        document(#"<Say language="en-US">\#(escape(say))</Say><Hangup/>"#)
    }
}
