import Foundation

/// The traveller's answer to "are you happy with our help?", asked once at resolution with three one-tap buttons
/// (WhatsApp allows three reply buttons in a message; the same three everywhere keep the figures comparable).
public enum SatisfactionRating: Int, CaseIterable, Sendable, Codable, Comparable {
    case poor = 1, fair = 2, good = 3

    public static func < (a: SatisfactionRating, b: SatisfactionRating) -> Bool { a.rawValue < b.rawValue }

    /// The button's title in the traveller's language: at most 20 characters (WhatsApp and Messenger both cut there).
    public func title(_ language: Language) -> String { L10n.t("csat.button.\(rawValue)", language) }
}

/// What the buttons carry back: `csat:<case id>:<rating>`, so an answer names its case whatever else the traveller
/// wrote since, and a payload we did not make is recognised as not ours.
public enum SatisfactionPayload {
    public static func make(caseID: UUID, rating: SatisfactionRating) -> String { "csat:\(caseID.uuidString.lowercased()):\(rating.rawValue)" }

    public static func parse(_ payload: String?) -> (caseID: UUID, rating: SatisfactionRating)? {
        guard let payload, payload.utf8.count <= 64, payload.hasPrefix("csat:") else { return nil }
        let parts = payload.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let id = UUID(uuidString: String(parts[1])), let n = Int(parts[2]), let rating = SatisfactionRating(rawValue: n)
        else { return nil }
        return (id, rating)
    }

    /// How long after the question an answer still counts, and after an answer how long the traveller's next text is
    /// taken as its comment.
    public static let answerWindow: TimeInterval = 7 * 86400
    public static let commentWindow: TimeInterval = 30 * 60

    /// A comment that is only a remark ("Merci, super !"): a happy traveller's short text without a question. Anything
    /// else after a rating may be a new request, and opens a case as well.
    public static func isRemark(_ text: String, rating: SatisfactionRating?) -> Bool {
        rating == .good && text.count <= 160 && !text.contains("?") && !text.contains("？") && !text.contains("¿")
    }
}

/// The request's Graph bodies: reply buttons inside WhatsApp's window, the approved template with quick-reply
/// payloads outside it, quick replies on Messenger (inside its 24 hours only: the human-agent tag is for a person's
/// replies, not a survey).
public enum SatisfactionRequest {
    public static func whatsappButtons(to: String, body: String, caseID: UUID, language: Language) -> [String: Any] {
        [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "interactive",
            "interactive": [
                "type": "button", "body": ["text": body],
                "action": [
                    "buttons": SatisfactionRating.allCases.reversed().map { rating in
                        ["type": "reply", "reply": ["id": SatisfactionPayload.make(caseID: caseID, rating: rating), "title": rating.title(language)]]
                    }
                ]
            ]
        ]
    }

    public static func whatsappTemplate(to: String, parameters: [String], caseID: UUID, language: Language) -> [String: Any] {
        var request = GraphRequests.whatsappTemplate(
            to: to, name: MessageTemplate.satisfaction.name, language: MessageTemplate.languageCode(language), parameters: parameters)
        guard var template = request["template"] as? [String: Any] else { return request }
        var components = (template["components"] as? [[String: Any]]) ?? []
        for (index, rating) in SatisfactionRating.allCases.reversed().enumerated() {
            components.append([
                "type": "button", "sub_type": "quick_reply", "index": String(index),
                "parameters": [["type": "payload", "payload": SatisfactionPayload.make(caseID: caseID, rating: rating)]]
            ])
        }
        template["components"] = components
        request["template"] = template
        return request
    }

    public static func messengerQuickReplies(psid: String, text: String, caseID: UUID, language: Language) -> [String: Any] {
        [
            "recipient": ["id": psid], "messaging_type": "RESPONSE",
            "message": [
                "text": text,
                "quick_replies": SatisfactionRating.allCases.reversed().map { rating in
                    ["content_type": "text", "title": rating.title(language), "payload": SatisfactionPayload.make(caseID: caseID, rating: rating)]
                }
            ]
        ]
    }
}

/// Satisfaction and SLA outcomes per destination and month, for the agency's report and the OnSpot admin area.
public struct SatisfactionSummary: Equatable, Sendable {
    public struct Case: Sendable {
        public var destination: String
        /// "2026-11", in the reader's zone.
        public var month: String
        public var rating: SatisfactionRating?
        public var firstResponseMet: Bool?
        public var resolutionMet: Bool?
        public init(destination: String, month: String, rating: SatisfactionRating?, firstResponseMet: Bool?, resolutionMet: Bool?) {
            self.destination = destination
            self.month = month
            self.rating = rating
            self.firstResponseMet = firstResponseMet
            self.resolutionMet = resolutionMet
        }
    }

    public struct Row: Equatable, Sendable {
        public var destination: String
        public var month: String
        public var cases: Int
        public var answers: Int
        /// Share of answers that are "good", the usual CSAT figure; nil without answers.
        public var satisfiedShare: Double?
        public var averageRating: Double?
        /// Share of the cases with a known outcome that met their first-response and resolution deadlines.
        public var firstResponseMetShare: Double?
        public var resolutionMetShare: Double?
    }

    public var rows: [Row]

    public init(_ cases: [Case]) {
        func share(_ values: [Bool]) -> Double? { values.isEmpty ? nil : Double(values.filter { $0 }.count) / Double(values.count) }
        rows = Dictionary(grouping: cases, by: { "\($0.month)|\($0.destination)" }).values.compactMap { group in
            guard let first = group.first else { return nil }
            let ratings = group.compactMap(\.rating)
            return Row(
                destination: first.destination, month: first.month, cases: group.count, answers: ratings.count,
                satisfiedShare: share(ratings.map { $0 == .good }),
                averageRating: ratings.isEmpty ? nil : Double(ratings.map(\.rawValue).reduce(0, +)) / Double(ratings.count),
                firstResponseMetShare: share(group.compactMap(\.firstResponseMet)), resolutionMetShare: share(group.compactMap(\.resolutionMet)))
        }.sorted { $0.month != $1.month ? $0.month > $1.month : $0.destination < $1.destination }
    }
}
