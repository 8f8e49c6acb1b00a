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

    public static func dial(_ numbers: [String], record: Bool) -> String {
        document(
            #"<Dial record="\#(record ? "record-from-answer" : "do-not-record")" timeout="25">"#
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
