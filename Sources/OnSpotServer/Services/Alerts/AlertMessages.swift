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

    /// Why this traveller cannot be told on this line, nil when they can.
    static func obstacle(_ traveller: Traveller, endpoint: ChannelEndpoint?) -> AlertNotTold? {
        if !traveller.consentAlerts || traveller.erasedAt != nil { return .noConsent }
        if traveller.abusive { return .abusive }
        if traveller.phone.flatMap({ PhoneNumber($0) }) == nil { return .noPhone }
        return endpoint == nil ? .noLine : nil
    }

    /// The message queued, or why the traveller cannot be told: no consent to alerts (opt-in), reported abusive, no
    /// usable phone, or no active WhatsApp line (`endpoint`) for the destination.
    static func tell(
        _ traveller: Traveller, tripID: UUID, agencyID: UUID, endpoint: ChannelEndpoint?, text: String,
        template: MessageTemplate, parameters: [String], on db: any Database
    ) async throws -> Outcome {
        if let reason = obstacle(traveller, endpoint: endpoint) { return .notTold(reason) }
        guard let phone = traveller.phone.flatMap({ PhoneNumber($0) }), let endpoint else { return .notTold(.noPhone) }
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

    /// An official text shortened for a phone screen.
    static func short(_ text: String?, _ limit: Int) -> String {
        let clean = (text ?? "").split(whereSeparator: { $0 == "\r" }).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean
    }
}
