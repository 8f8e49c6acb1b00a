import Foundation

/// What the providers let us send now (channels.md): WhatsApp free text within 24 h of the traveller's last message,
/// otherwise only an approved template; Messenger a normal reply within 24 h, a human agent's reply with the
/// HUMAN_AGENT tag within 7 days, nothing after.
public enum MessagingWindow {
    public enum Allowed: Equatable, Sendable {
        case freeText
        case humanAgentTag
        case templateOnly
        case closed
    }

    public static func allowed(channel: MessagingChannel, lastInbound: Date?, now: Date) -> Allowed {
        guard let last = lastInbound else { return channel == .whatsapp ? .templateOnly : .closed }
        let elapsed = now.timeIntervalSince(last)
        switch channel {
        case .whatsapp: return elapsed <= 24 * 3600 ? .freeText : .templateOnly
        case .messenger: return elapsed <= 24 * 3600 ? .freeText : (elapsed <= 7 * 86400 ? .humanAgentTag : .closed)
        case .voice: return .closed
        }
    }

    public static func maximumTextLength(_ channel: MessagingChannel) -> Int { channel == .whatsapp ? 4096 : 1999 }
}

/// The Graph API request bodies, as the providers document them.
public enum GraphRequests {
    public static func whatsappText(to: String, body: String) -> [String: Any] {
        [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
            "text": ["preview_url": false, "body": body]
        ]
    }

    public static func whatsappTemplate(to: String, name: String, language: String, parameters: [String]) -> [String: Any] {
        var template: [String: Any] = ["name": name, "language": ["code": language]]
        if !parameters.isEmpty {
            template["components"] = [["type": "body", "parameters": parameters.map { ["type": "text", "text": $0] }]]
        }
        return ["messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template", "template": template]
    }

    /// A message OnSpot sends on its own (an alert), not in answer to one: Messenger's `UPDATE`, allowed only inside
    /// the 24-hour window (no tag covers automated alerts after it).
    public static func messengerUpdate(psid: String, text: String) -> [String: Any] {
        ["recipient": ["id": psid], "messaging_type": "UPDATE", "message": ["text": text]]
    }

    public static func messengerText(psid: String, text: String, humanAgent: Bool) -> [String: Any] {
        var body: [String: Any] = ["recipient": ["id": psid], "message": ["text": text]]
        body["messaging_type"] = humanAgent ? "MESSAGE_TAG" : "RESPONSE"
        if humanAgent { body["tag"] = "HUMAN_AGENT" }
        return body
    }
}

/// What to do after a Graph API answer.
public enum GraphOutcome: Equatable, Sendable {
    case accepted(messageID: String)
    /// 130429 throughput, 131056 pair rate limit, 429 and 5xx: try again later.
    case retryLater(code: Int?)
    /// 131026: the number cannot receive the message.
    case undeliverable(code: Int)
    /// 131047 (WhatsApp) or error 10 (Messenger): outside the messaging window.
    case windowClosed(code: Int)
    /// 190 or HTTP 401: the access token expired; an admin must renew it.
    case tokenExpired
    case rejected(code: Int?, message: String)

    public static func classify(status: Int, body: Data) -> GraphOutcome {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        if (200..<300).contains(status) {
            if let messages = object?["messages"] as? [[String: Any]], let id = messages.first?["id"] as? String { return .accepted(messageID: id) }
            if let id = object?["message_id"] as? String { return .accepted(messageID: id) }
            return .rejected(code: nil, message: "2xx without a message id")
        }
        let error = object?["error"] as? [String: Any]
        let code = error?["code"] as? Int
        let message = (error?["message"] as? String) ?? "HTTP \(status)"
        switch code {
        case 190: return .tokenExpired
        case 130429, 131056, 80007, 4, 613: return .retryLater(code: code)
        case 131026: return .undeliverable(code: 131026)
        case 131047, 10: return .windowClosed(code: code!)
        default:
            if status == 401 { return .tokenExpired }
            if status == 429 || status >= 500 { return .retryLater(code: code) }
            return .rejected(code: code, message: String(message.prefix(300)))
        }
    }

    /// Exponential backoff with a ceiling: 2, 4, 8 … seconds, at most 10 minutes.
    public static func backoff(attempt: Int) -> TimeInterval { min(600, pow(2, Double(max(1, min(attempt, 10))))) }
}
