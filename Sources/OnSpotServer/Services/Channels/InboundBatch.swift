import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Processes a batch of stored webhook events in one transaction with set-based reads and writes: the lookups that one
/// message at a time would repeat (dedupe owners, known messages, endpoints, conversations, matches, open cases, earlier
/// automatic replies) are made once for the batch. A batch of one is how a single event is processed.
enum InboundBatch {
    /// Returns the console events of the messages it stored.
    static func process(_ eventIDs: [UUID], on db: any Database) async throws -> [LiveEvent] {
        let events = try await InboundEvent.query(on: db).filter(\.$id ~~ eventIDs).filter(\.$processedAt == nil).sort(\.$receivedAt).all()
        guard !events.isEmpty else { return [] }
        var messages: [(event: UUID, message: InboundMessage)] = []
        var statuses: [StatusReceipt] = []
        var done: [UUID] = []
        for event in events {
            guard case let channel = event.channel, let items = items(of: event, channel: channel) else {
                // Unreadable: counted as an attempt and left for inspection, without holding back the rest of the batch.
                event.attempts += 1
                event.lastError = "unreadable body"
                try await event.save(on: db)
                continue
            }
            for item in items {
                switch item {
                case .message(let m): messages.append((try event.requireID(), m))
                case .status(let s): statuses.append(s)
                }
            }
            done.append(try event.requireID())
        }

        // Only the event that won the dedupe record stores a message, and a message already stored is not stored again.
        let providerIDs = Array(Set(messages.map(\.message.providerMessageID)))
        var owners: [String: UUID] = [:]
        var known: Set<String> = []
        if !providerIDs.isEmpty {
            let channels = Array(Set(messages.map(\.message.channel)))
            for d in try await InboundDedupe.query(on: db).filter(\.$channel ~~ channels).filter(\.$providerID ~~ providerIDs).all() {
                owners["\(d.channel.rawValue)|\(d.providerID)"] = d.eventID
            }
            for m in try await MessageRecord.query(on: db).filter(\.$providerMessageID ~~ providerIDs).filter(\.$direction == .inbound).all() {
                known.insert("\(m.channel)|\(m.providerMessageID ?? "")")
            }
        }
        let toStore = messages.filter { e in
            let key = "\(e.message.channel.rawValue)|\(e.message.providerMessageID)"
            return owners[key] == e.event && known.insert(key).inserted
        }.map(\.message)

        var live: [LiveEvent] = []
        if !toStore.isEmpty {
            live = try await store(toStore, on: db)
        }
        for s in statuses { try await InboundProcessor.apply(s, on: db) }
        if let sql = db as? any SQLDatabase, !done.isEmpty {
            try await sql.update(InboundEvent.schema).set("processed_at", to: SQLBind(AppClock.now)).set("attempts", to: SQLRaw("attempts + 1"))
                .where("id", .in, SQLBind.group(done)).run()
        }
        return live
    }

    static func items(of event: InboundEvent, channel: MessagingChannel) -> [InboundItem]? {
        switch channel {
        case .whatsapp: try? MetaWebhook.whatsapp(event.body)
        case .messenger: try? MetaWebhook.messenger(event.body)
        case .voice: TwilioVoice.message(TwilioVoice.decodedParameters(event.body), now: event.receivedAt).map { [.message($0)] }
        }
    }

    private struct Key: Hashable { let channel: MessagingChannel; let sender: String; let destination: UUID? }

    private static func store(_ received: [InboundMessage], on db: any Database) async throws -> [LiveEvent] {
        let incoming = received.map(\.withoutNUL)
        // Endpoints and their destinations: a handful of rows, read once.
        let endpointList = try await ChannelEndpoint.query(on: db).filter(\.$channel ~~ Set(incoming.map(\.channel))).all()
        let endpoints = Dictionary(endpointList.map { ("\($0.channel.rawValue)|\($0.externalID)", $0) }) { a, _ in a }
        let destinations = Dictionary(
            uniqueKeysWithValues: try await DestinationRecord.query(on: db)
                .filter(\.$id ~~ Set(endpointList.map(\.$destination.id))).all().map { ($0.id!, $0) })
        func endpoint(_ m: InboundMessage) -> ChannelEndpoint? { endpoints["\(m.channel.rawValue)|\(m.endpointID)"] }

        // Conversations: one per sender and destination, the latest if several.
        let senders = Array(Set(incoming.map(\.senderID)))
        var conversations: [Key: Conversation] = [:]
        for c in try await Conversation.query(on: db).filter(\.$channel ~~ Set(incoming.map(\.channel)))
            .filter(\.$externalUserID ~~ senders).sort(\.$createdAt).all()
        {
            conversations[Key(channel: c.channel, sender: c.externalUserID, destination: c.destinationID)] = c
        }
        // Phone matches for WhatsApp senders whose conversation is new or still unidentified.
        var firstAt: [Key: Date] = [:]
        var lastAt: [Key: Date] = [:]
        for m in incoming {
            let key = Key(channel: m.channel, sender: m.senderID, destination: endpoint(m)?.$destination.id)
            firstAt[key] = min(firstAt[key] ?? m.timestamp, m.timestamp)
            lastAt[key] = max(lastAt[key] ?? m.timestamp, m.timestamp)
        }
        // Phone numbers identify WhatsApp senders and callers; Messenger's page-scoped ids do not.
        let needMatch = firstAt.keys.filter { $0.channel != .messenger && conversations[$0]?.identified != true }
        let found = try await InboundProcessor.matchByPhone(needMatch.map { ($0.sender, $0.destination, firstAt[$0]!) }, on: db)
        let matches = Dictionary(uniqueKeysWithValues: zip(needMatch, found).compactMap { key, match in match.map { (key, $0) } })

        var touched: [UUID: Conversation] = [:]
        var created: [Conversation] = []
        for key in firstAt.keys.sorted(by: { firstAt[$0]! < firstAt[$1]! }) {
            let match = matches[key]
            if let existing = conversations[key] {
                if !existing.identified, let match {
                    existing.identified = true
                    existing.travellerID = match.traveller
                    existing.tripID = match.trip
                    existing.agencyID = match.agency
                    touched[existing.id!] = existing
                }
                if (existing.lastInboundAt ?? .distantPast) < lastAt[key]! {
                    existing.lastInboundAt = lastAt[key]!
                    touched[existing.id!] = existing
                }
            } else {
                let c = Conversation()
                c.id = UUID()
                c.channel = key.channel
                c.externalUserID = key.sender
                c.destinationID = key.destination
                c.identified = match != nil
                c.travellerID = match?.traveller
                c.tripID = match?.trip
                c.agencyID = match?.agency
                c.lastInboundAt = lastAt[key]
                c.createdAt = AppClock.now
                conversations[key] = c
                created.append(c)
            }
        }
        if !created.isEmpty { try await created.create(on: db) }
        for c in touched.values { try await c.save(on: db) }
        let byID = Dictionary(uniqueKeysWithValues: conversations.values.map { ($0.id!, $0) })

        // The messages, in one insert.
        var records: [MessageRecord] = []
        for m in incoming {
            let c = conversations[Key(channel: m.channel, sender: m.senderID, destination: endpoint(m)?.$destination.id)]!
            let message = MessageRecord()
            message.id = UUID()
            message.conversationID = c.id!
            message.direction = .inbound
            message.channel = m.channel
            message.providerMessageID = m.providerMessageID
            message.kind = m.kind
            message.body = m.text
            message.media = InboundProcessor.mediaField(m)
            message.status = .received
            message.createdAt = m.timestamp
            records.append(message)
        }
        try await records.create(on: db)
        let attachments = zip(records, incoming).compactMap { AttachmentFetcher.pending(for: $0, media: $1) }
        if !attachments.isEmpty { try await attachments.create(on: db) }

        // Open cases: found or opened once per conversation.
        let conversationIDs = Array(Set(records.map(\.conversationID)))
        var cases: [UUID: CaseRecord] = [:]
        for c in try await CaseRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).filter(\.$status ~~ CaseStatus.open).all() {
            if let id = c.conversationID, cases[id] == nil { cases[id] = c }
        }
        var newCases: [CaseRecord] = []
        for (i, m) in incoming.enumerated() {
            let conversationID = records[i].conversationID
            guard cases[conversationID] == nil, let c = byID[conversationID] else { continue }
            let record = InboundProcessor.newCase(for: c, at: m.timestamp)
            record.id = UUID()
            cases[conversationID] = record
            newCases.append(record)
        }
        if !newCases.isEmpty { try await newCases.create(on: db) }

        // Automatic replies, message by message against one ledger of what was already sent.
        var ledger = try await AutoReplies.Ledger.load(conversationIDs: conversationIDs, on: db)
        let travellerIDs = Set(conversations.values.compactMap(\.travellerID))
        let travellers =
            travellerIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await Traveller.query(on: db)
                    .filter(\.$id ~~ travellerIDs).all().map { ($0.id!, $0) })
        var live: [LiveEvent] = []
        for (i, m) in incoming.enumerated() {
            let conversation = byID[records[i].conversationID]!
            if let e = endpoint(m), m.channel != .voice {
                try await AutoReplies.afterInbound(
                    m, conversation: conversation, endpoint: e, destination: destinations[e.$destination.id],
                    traveller: conversation.travellerID.flatMap { travellers[$0] }, ledger: &ledger, on: db)
            }
            let record = cases[conversation.id!]!
            live.append(
                LiveEvent(
                    type: .message, caseID: record.id, destinationID: conversation.destinationID, status: record.status,
                    text: String((m.text ?? "[\(m.kind)]").prefix(200)), from: m.contactName ?? m.senderID))
        }
        return live
    }
}
