import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Tells a traveller about an alert on WhatsApp, from the line of the destination concerned: as free text inside the
/// 24-hour window, else as an approved template. A traveller who never wrote has no conversation yet: one is opened
/// for their registered number, already identified, so their answer lands in the same thread as the alert.
enum AlertMessages {
    /// The active WhatsApp lines of destinations, in one query: an alert tells many travellers from few lines.
    static func lines(_ destinationIDs: [UUID], on db: any Database) async throws -> [UUID: ChannelEndpoint] {
        guard !destinationIDs.isEmpty else { return [:] }
        let endpoints = try await ChannelEndpoint.query(on: db).filter(\.$channel == .whatsapp).filter(\.$destination.$id ~~ destinationIDs)
            .filter(\.$active == true).all()
        return Dictionary(endpoints.map { ($0.$destination.id, $0) }) { a, _ in a }
    }

    enum Outcome {
        /// Queued in the outbox: deliver `entry` once the alert's rows are saved.
        case queued(MessageRecord, OutboxEntry)
        case notTold(AlertNotTold)
    }

    /// Why this traveller may not be told at all, nil when they may: no consent to alerts (opt-in, or withdrawn with
    /// STOP), erased, or reported as abusive.
    static func refusal(_ traveller: Traveller) -> AlertNotTold? {
        if !traveller.consentAlerts || traveller.erasedAt != nil { return .noConsent }
        return traveller.abusive ? .abusive : nil
    }

    /// The message queued, or why the traveller cannot be told. On the channel they use: Messenger when they wrote
    /// there within the day (an automated message is allowed only then), else WhatsApp from the destination's line
    /// (`endpoint`), which a template reaches outside the window.
    static func tell(
        _ traveller: Traveller, tripID: UUID, agencyID: UUID, endpoint: ChannelEndpoint?, text: String,
        template: MessageTemplate, parameters: [String], on db: any Database
    ) async throws -> Outcome {
        if let reason = refusal(traveller) { return .notTold(reason) }
        if let (conversation, page) = try await messengerThread(traveller, now: AppClock.now, on: db) {
            let payload = GraphRequests.messengerUpdate(
                psid: conversation.externalUserID, text: String(text.prefix(MessagingWindow.maximumTextLength(.messenger))))
            let (message, entry) = try await OutboxSender.enqueue(
                conversationID: try conversation.requireID(), channel: .messenger, endpoint: page, kind: .text, body: text,
                payload: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), on: db)
            return .queued(message, entry)
        }
        guard let phone = traveller.phone.flatMap({ PhoneNumber($0) }) else { return .notTold(.noPhone) }
        guard let endpoint else { return .notTold(.noLine) }
        let destinationID = endpoint.$destination.id
        let waID = String(phone.e164.dropFirst())
        let conversation: Conversation
        if let existing = try await Conversation.query(on: db).filter(\.$channel == .whatsapp).filter(\.$externalUserID == waID)
            .filter(\.$destinationID == destinationID).sort(\.$createdAt, .descending).first()
        {
            conversation = existing
            if !existing.identified {
                existing.identified = true
                existing.travellerID = traveller.id
                existing.tripID = tripID
                existing.agencyID = agencyID
                try await existing.save(on: db)
            }
        } else {
            conversation = Conversation()
            conversation.channel = .whatsapp
            conversation.externalUserID = waID
            conversation.destinationID = destinationID
            conversation.identified = true
            conversation.travellerID = traveller.id
            conversation.tripID = tripID
            conversation.agencyID = agencyID
            conversation.createdAt = AppClock.now
            try await conversation.create(on: db)
        }
        let payload: [String: Any]
        let kind: OutboundMessageKind
        let shown: String
        if MessagingWindow.allowed(channel: .whatsapp, lastInbound: conversation.lastInboundAt, now: AppClock.now) == .freeText {
            payload = GraphRequests.whatsappText(to: waID, body: String(text.prefix(MessagingWindow.maximumTextLength(.whatsapp))))
            kind = .text
            shown = text
        } else {
            // Meta refuses a parameter with a line break, a tab or a run of spaces, or an empty one: an official
            // instruction is folded onto one line and shortened rather than the alert lost.
            let values = parameters.map { TemplateParameterCheck.fitted($0, limit: 600, whenEmpty: "—") }
            payload = GraphRequests.whatsappTemplate(
                to: waID, name: template.name, language: MessageTemplate.languageCode(traveller.language), parameters: values)
            kind = .template
            shown = template.render(traveller.language, parameters: values)
        }
        let (message, entry) = try await OutboxSender.enqueue(
            conversationID: try conversation.requireID(), channel: .whatsapp, endpoint: endpoint, kind: kind, body: shown,
            payload: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), on: db)
        return .queued(message, entry)
    }

    /// The traveller's Messenger conversation whose 24-hour window stays open an hour more (the outbox may retry),
    /// with its page's active line.
    static func messengerThread(_ traveller: Traveller, now: Date, on db: any Database) async throws -> (Conversation, ChannelEndpoint)? {
        guard let id = traveller.id,
            let conversation = try await Conversation.query(on: db).filter(\.$travellerID == id).filter(\.$channel == .messenger)
                .filter(\.$lastInboundAt >= now.addingTimeInterval(-23 * 3600)).sort(\.$lastInboundAt, .descending).first(),
            let page = try await ChannelEndpoint.active(.messenger, destination: conversation.destinationID, on: db)
        else { return nil }
        return (conversation, page)
    }

    /// An official text shortened for a phone screen.
    static func short(_ text: String?, _ limit: Int) -> String {
        let clean = (text ?? "").split(whereSeparator: { $0 == "\r" }).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean
    }
}
