import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Activity recommendations pushed to the travellers at a destination (issue 5, item 5): only those who consented,
/// in their language, at most one a day each and never the same activity twice, as free text inside the messaging
/// window or as an approved WhatsApp template outside it (Messenger outside its window is skipped).
enum RecommendationService {
    static let template = "onspot_activity_recommendation"
    static let minimumGap: TimeInterval = 24 * 3600

    struct Outcome: Equatable { var sent = 0, templates = 0, skippedConsent = 0, skippedRecent = 0, skippedWindow = 0 }

    static func text(_ activity: ActivityRecord, _ language: Language) -> String {
        let price = activity.price.formatted(language)
        switch language {
        case .fr:
            return
                "Suggestion de votre expert OnSpot : \(activity.name) – \(activity.pitch(.fr)) (\(price), \(activity.supplier)). Répondez OUI pour réserver."
        case .en:
            return
                "A suggestion from your OnSpot expert: \(activity.name) – \(activity.pitch(.en)) (\(price), \(activity.supplier)). Reply YES to book."
        case .pt:
            return
                "Sugestão do seu especialista OnSpot: \(activity.name) – \(activity.pitch(.pt)) (\(price), \(activity.supplier)). Responda SIM para reservar."
        }
    }

    static func push(_ activity: ActivityRecord, by authorID: UUID?, now: Date, app: Application, db: any Database) async throws -> Outcome {
        var outcome = Outcome()
        // Travellers identified at the destination whose trip is under way: their conversations there.
        let conversations = try await Conversation.query(on: db).filter(\.$destinationID == activity.destinationID)
            .filter(\.$identified == true).filter(\.$travellerID != nil).all()
        let travellerIDs = Set(conversations.compactMap(\.travellerID))
        let travellers = Dictionary(
            try await Traveller.query(on: db).filter(\.$id ~~ travellerIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let recent = try await RecommendationRecord.query(on: db).filter(\.$travellerID ~~ travellerIDs).all()
        let endpoints = try await ChannelEndpoint.query(on: db).filter(\.$destination.$id == activity.destinationID).filter(\.$active == true).all()
        var entries: [OutboxEntry] = []
        var served: Set<UUID> = []
        for conversation in conversations.sorted(by: { ($0.lastInboundAt ?? .distantPast) > ($1.lastInboundAt ?? .distantPast) }) {
            guard let travellerID = conversation.travellerID, !served.contains(travellerID), let traveller = travellers[travellerID],
                let agencyID = conversation.agencyID ?? traveller.$agency.id as UUID?,
                case let channel = conversation.channel, channel != .voice,
                let endpoint = endpoints.first(where: { $0.channel == channel })
            else { continue }
            guard traveller.consentRecommendations, !traveller.abusive else { outcome.skippedConsent += 1; continue }
            let mine = recent.filter { $0.travellerID == travellerID }
            guard !mine.contains(where: { $0.activityID == activity.id || now.timeIntervalSince($0.sentAt) < minimumGap }) else {
                outcome.skippedRecent += 1
                continue
            }
            let language = traveller.language
            let payload: [String: Any]
            let kind: OutboundMessageKind
            let body: String
            switch MessagingWindow.allowed(channel: channel, lastInbound: conversation.lastInboundAt, now: now) {
            case .freeText:
                body = text(activity, language)
                payload =
                    channel == .whatsapp
                    ? GraphRequests.whatsappText(to: conversation.externalUserID, body: body)
                    : GraphRequests.messengerText(psid: conversation.externalUserID, text: body, humanAgent: false)
                kind = .text
            case .templateOnly where channel == .whatsapp:
                payload = GraphRequests.whatsappTemplate(
                    to: conversation.externalUserID, name: template, language: language.rawValue,
                    parameters: [activity.name, activity.price.formatted(language)])
                body = "[template \(template)] \(activity.name)"
                kind = .template
                outcome.templates += 1
            default:
                // Messenger's human-agent tag is for answering the traveller, not for offers.
                outcome.skippedWindow += 1
                continue
            }
            let json = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            let entry = try await db.transaction { db -> OutboxEntry in
                let (_, entry) = try await OutboxSender.enqueue(
                    conversationID: try conversation.requireID(), channel: channel, endpoint: endpoint,
                    kind: kind, body: body, payload: json, authorID: authorID, on: db)
                let record = RecommendationRecord()
                record.activityID = try activity.requireID()
                record.travellerID = travellerID
                record.agencyID = agencyID
                record.sentAt = now
                try await record.create(on: db)
                return entry
            }
            entries.append(entry)
            served.insert(travellerID)
            outcome.sent += 1
        }
        for entry in entries { app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) } }
        return outcome
    }
}
