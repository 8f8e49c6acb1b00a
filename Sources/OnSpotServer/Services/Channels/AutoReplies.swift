import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Replies the system sends on its own, queued in the outbox like an expert's: the traveller just wrote, so the
/// messaging window is open and free text is allowed.
enum AutoReplies {
    /// What automatic replies conversations already got: loaded once for a batch of messages, then kept up to date
    /// as replies are queued, so a batch decides exactly as one message at a time would.
    struct Ledger {
        var recent: Set<String> = []
        var markers: Set<String> = []
        static let dailyKinds: [OutboundMessageKind] = [.autoAbusive, .autoUnknownSender, .autoRecommendationsStopped]

        static func load(conversationIDs: [UUID], on db: any Database) async throws -> Ledger {
            var ledger = Ledger()
            guard !conversationIDs.isEmpty else { return ledger }
            let since = AppClock.now.addingTimeInterval(-86400)
            for m in try await MessageRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs)
                .filter(\.$kind ~~ (dailyKinds + [.autoOutOfHours]).map(\.rawValue)).all()
            {
                if m.kind == OutboundMessageKind.autoOutOfHours.rawValue {
                    ledger.markers.insert("\(m.conversationID)|\(m.media ?? "")")
                } else if m.createdAt >= since {
                    ledger.recent.insert("\(m.conversationID)|\(m.kind)")
                }
            }
            return ledger
        }
    }

    static func afterInbound(
        _ m: InboundMessage, conversation c: Conversation, endpoint: ChannelEndpoint, destination: DestinationRecord?,
        traveller: Traveller?, ledger: inout Ledger, on db: any Database
    ) async throws {
        let conversationID = try c.requireID()
        // STOP / ARRÊT / PARAR (honoured first, whoever writes it): no more recommendations or alerts, at once, and a
        // confirmation in their language (once a day).
        if let traveller, c.identified, StopKeyword.matches(m.text) {
            try await ConsentService.stopUnaskedMessages(for: traveller, on: db)
            if ledger.recent.insert("\(conversationID)|\(OutboundMessageKind.autoRecommendationsStopped)").inserted {
                try await queue(
                    L10n.t("auto.recommendations_stopped", traveller.language), kind: .autoRecommendationsStopped, marker: nil, to: m,
                    endpoint: endpoint, conversationID: conversationID, on: db)
            }
            return
        }
        // Article 7: a traveller reported as abusive gets the policy reply, and the agency is told.
        if let traveller, traveller.abusive {
            if ledger.recent.insert("\(conversationID)|\(OutboundMessageKind.autoAbusive)").inserted {
                try await queue(
                    L10n.t("auto.abusive", traveller.language), kind: .autoAbusive, marker: nil, to: m, endpoint: endpoint,
                    conversationID: conversationID, on: db)
                let n = NotificationRecord()
                n.agencyID = c.agencyID
                n.kind = .abusiveTravellerContact
                n.channel = .portal
                n.recipient = "agency"
                n.subject = "\(traveller.fullName) contacted OnSpot"
                n.body = "A traveller reported as abusive wrote on \(m.channel.rawValue); the policy reply was sent (article 7)."
                n.status = .pending
                n.attempts = 0
                n.createdAt = AppClock.now
                try await n.create(on: db)
            }
            return
        }
        // Unknown sender: ask for the booking reference, once a day at most, in the three working languages.
        if !c.identified, ledger.recent.insert("\(conversationID)|\(OutboundMessageKind.autoUnknownSender)").inserted {
            let text = Language.allCases.map { L10n.t("auto.unknown_sender", $0) }.joined(separator: "\n\n")
            try await queue(text, kind: .autoUnknownSender, marker: nil, to: m, endpoint: endpoint, conversationID: conversationID, on: db)
        }
        // Outside opening hours (clauses 2.2, 2.3): one reply per closure, saying when the team is back in local time.
        guard let destination else { return }
        let hours = destination.hours
        let zone = destination.zone
        guard !hours.isOpen(at: m.timestamp, in: zone), let back = hours.nextOpening(after: m.timestamp, in: zone) else { return }
        let marker = LocalDateTime.iso8601(back, in: zone)
        guard ledger.markers.insert("\(conversationID)|\(marker)").inserted else { return }
        let lang = traveller?.language ?? .fr
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: lang.localeIdentifier)
        formatter.timeZone = zone
        formatter.dateFormat = "EEEE d MMMM"
        let text = L10n.t(
            "auto.out_of_hours", lang,
            [
                "destination": destination.name, "date": formatter.string(from: back),
                "time": LocalDateTime.displayTime(back, in: zone), "emergency": destination.emergencyNumber
            ])
        try await queue(text, kind: .autoOutOfHours, marker: marker, to: m, endpoint: endpoint, conversationID: conversationID, on: db)
    }

    static func queue(
        _ text: String, kind: OutboundMessageKind, marker: String?, to m: InboundMessage, endpoint: ChannelEndpoint,
        conversationID: UUID, on db: any Database
    ) async throws {
        let payload =
            m.channel == .whatsapp
            ? GraphRequests.whatsappText(to: m.senderID, body: text)
            : GraphRequests.messengerText(psid: m.senderID, text: String(text.prefix(1999)), humanAgent: false)
        _ = try await OutboxSender.enqueue(
            conversationID: conversationID, channel: m.channel, endpoint: endpoint, kind: kind, body: text,
            payload: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]),
            marker: marker, on: db)
    }
}
