import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The satisfaction question at resolution and the traveller's answer (issue 13, item 7).
///
/// Asked once per case, in the traveller's language, with one-tap buttons: WhatsApp reply buttons inside the 24-hour
/// window, the approved `onspot_satisfaction` template with quick-reply payloads outside it, Messenger quick replies
/// inside its 24 hours (never under the human-agent tag, which is for a person's replies). Not asked on phone cases,
/// of travellers reported as abusive, nor of unidentified senders.
///
/// The answer is a button's payload naming its case; the traveller's next text within half an hour of it is the
/// comment, kept on the case (and opening a new one unless it is a happy traveller's short remark).
enum SatisfactionSurvey {
    /// Queues the question for a case just resolved; returns its outbox entry, nil when the case is not asked.
    static func ask(_ record: CaseRecord, now: Date, on db: any Database) async throws -> OutboxEntry? {
        guard record.status == .resolved, record.satisfactionRequestedAt == nil, let caseID = record.id,
            let conversationID = record.conversationID, let conversation = try await Conversation.find(conversationID, on: db),
            conversation.identified, let travellerID = record.travellerID ?? conversation.travellerID,
            let traveller = try await Traveller.find(travellerID, on: db), !traveller.abusive, conversation.channel != .voice,
            let endpoint = try await ChannelEndpoint.active(conversation.channel, destination: conversation.destinationID, on: db)
        else { return nil }
        let destination = try await record.destinationID.asyncMap { try await DestinationRecord.find($0, on: db) } ?? nil
        let language = traveller.language
        // Meta refuses a parameter with a line break or a run of spaces: names are cleaned rather than the question lost.
        let parameters = [traveller.firstName, destination?.name ?? "OnSpot"].map { TemplateParameterCheck.fitted($0, whenEmpty: "OnSpot") }
        let text = MessageTemplate.satisfaction.render(language, parameters: parameters)
        let to = conversation.externalUserID
        let payload: [String: Any]
        switch (conversation.channel, MessagingWindow.allowed(channel: conversation.channel, lastInbound: conversation.lastInboundAt, now: now)) {
        case (.whatsapp, .freeText): payload = SatisfactionRequest.whatsappButtons(to: to, body: text, caseID: caseID, language: language)
        case (.whatsapp, _): payload = SatisfactionRequest.whatsappTemplate(to: to, parameters: parameters, caseID: caseID, language: language)
        case (.messenger, .freeText): payload = SatisfactionRequest.messengerQuickReplies(psid: to, text: text, caseID: caseID, language: language)
        default: return nil
        }
        let (_, entry) = try await OutboxSender.enqueue(
            conversationID: conversationID, channel: conversation.channel, endpoint: endpoint, kind: .satisfactionRequest, body: text,
            payload: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), on: db)
        record.satisfactionRequestedAt = now
        try await record.save(on: db)
        return entry
    }

    /// The answers and comments among a batch's new messages: recorded on their cases, thanked once, and kept out of
    /// the case opening. Returns, by message id, the case each of those messages belongs to (nil: a rating tap that
    /// names no case it may answer, stored in the thread and opening nothing).
    ///
    /// A comment never hides a request: it is kept on the rated case, and it still opens a case unless the traveller
    /// was happy and wrote a short remark without a question.
    static func receive(
        _ incoming: [InboundMessage], records: [MessageRecord], endpoint: (InboundMessage) -> ChannelEndpoint?, on db: any Database
    ) async throws -> [UUID: CaseRecord?] {
        let answered = incoming.contains { SatisfactionPayload.parse($0.payload) != nil }
        let conversationIDs = Set(records.map(\.conversationID))
        let since = AppClock.now.addingTimeInterval(-SatisfactionPayload.answerWindow)
        let asked = try await CaseRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs)
            .filter(\.$satisfactionRequestedAt >= since).all()
        // A comment needs an answer already given, or one in this batch.
        guard answered || asked.contains(where: { $0.satisfactionAnsweredAt != nil && $0.satisfactionComment == nil }) else { return [:] }
        let busy = Set(
            try await CaseRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).filter(\.$status ~~ CaseStatus.open)
                .all(\.$conversationID).compactMap { $0 })
        let byID = Dictionary(asked.compactMap { c in c.id.map { ($0, c) } }) { a, _ in a }
        var handled: [UUID: CaseRecord?] = [:]
        var changed: [UUID: CaseRecord] = [:]
        for (m, message) in zip(incoming, records) {
            guard let messageID = message.id else { continue }
            if let (caseID, rating) = SatisfactionPayload.parse(m.payload) {
                guard let record = byID[caseID], record.conversationID == message.conversationID, !record.status.isOpen else {
                    // A late, foreign or forged tap: it joins the open case of its conversation if there is one, and
                    // opens none ("😀 Very happy" is no request).
                    if !busy.contains(message.conversationID) { handled[messageID] = .some(nil) }
                    continue
                }
                let first = record.satisfactionAnsweredAt == nil
                record.satisfactionRating = rating.rawValue
                // The comment window runs from the first answer; a change of mind updates the rating only.
                if first { record.satisfactionAnsweredAt = m.timestamp }
                changed[caseID] = record
                handled[messageID] = record
                if first, let e = endpoint(m) {
                    let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: db) } ?? nil
                    try await AutoReplies.queue(
                        L10n.t("csat.thanks", traveller?.language ?? .fr), kind: .autoSatisfactionThanks, marker: nil, to: m, endpoint: e,
                        conversationID: message.conversationID, on: db)
                }
            } else if m.payload == nil, m.kind == "text", let text = m.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty,
                !busy.contains(message.conversationID),
                let record = asked.filter({ $0.conversationID == message.conversationID && $0.satisfactionComment == nil })
                    .compactMap({ c in c.satisfactionAnsweredAt.map { (c, $0) } }).max(by: { $0.1 < $1.1 })?.0,
                let answeredAt = record.satisfactionAnsweredAt, m.timestamp >= answeredAt,
                m.timestamp.timeIntervalSince(answeredAt) <= SatisfactionPayload.commentWindow, let caseID = record.id
            {
                record.satisfactionComment = String(text.prefix(2000))
                changed[caseID] = record
                if SatisfactionPayload.isRemark(text, rating: record.satisfaction) { handled[messageID] = record }
            }
        }
        for record in changed.values { try await record.save(on: db) }
        return handled
    }
}
