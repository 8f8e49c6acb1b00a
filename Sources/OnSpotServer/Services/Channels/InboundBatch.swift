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
    /// Called inside a transaction. On PostgreSQL the batch's events are locked `FOR UPDATE SKIP LOCKED` first: an
    /// event another process is processing is left to it, not waited for nor processed twice.
    static func process(_ eventIDs: [UUID], on db: any Database) async throws -> [LiveEvent] {
        var ids = eventIDs
        if let sql = db as? any SQLDatabase, Lease.isPostgres(sql), !ids.isEmpty {
            struct Row: Decodable { let id: UUID }
            ids = try await sql.select().column("id").from(InboundEvent.schema).where("id", .in, SQLBind.group(eventIDs))
                .where("processed_at", .is, SQLLiteral.null).lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED"))
                .all(decoding: Row.self).map(\.id)
        }
        guard !ids.isEmpty else { return [] }
        let events = try await InboundEvent.query(on: db).filter(\.$id ~~ ids).filter(\.$processedAt == nil).sort(\.$receivedAt).all()
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

    /// The batch's endpoints and their destinations: a handful of rows, read once.
    private struct Endpoints {
        let byKey: [String: ChannelEndpoint]
        let destinations: [UUID: DestinationRecord]

        static func load(for incoming: [InboundMessage], on db: any Database) async throws -> Endpoints {
            let list = try await ChannelEndpoint.query(on: db).filter(\.$channel ~~ Set(incoming.map(\.channel))).all()
            let destinations = try await DestinationRecord.query(on: db).filter(\.$id ~~ Set(list.map(\.$destination.id))).all()
            return Endpoints(
                byKey: Dictionary(list.map { ("\($0.channel.rawValue)|\($0.externalID)", $0) }) { a, _ in a },
                destinations: Dictionary(destinations.compactMap { d in d.id.map { ($0, d) } }) { a, _ in a })
        }

        func endpoint(_ m: InboundMessage) -> ChannelEndpoint? { byKey["\(m.channel.rawValue)|\(m.endpointID)"] }
        func key(_ m: InboundMessage) -> Key { Key(channel: m.channel, sender: m.senderID, destination: endpoint(m)?.$destination.id) }
    }

    /// Stores the batch's new messages: their conversations, the messages and attachments, the open cases, the automatic
    /// replies; returns the console's events.
    private static func store(_ received: [InboundMessage], on db: any Database) async throws -> [LiveEvent] {
        // Stamped once in arrival order, so a message and its conversation's last-inbound time agree to the instant.
        let now = AppClock.now
        let incoming = received.enumerated().map { position, message in
            var m = message.withoutNUL
            m.timestamp = ArrivalOrder.stamp(m.timestamp, storedAt: now, position: position)
            return m
        }
        if let sql = db as? any SQLDatabase, Lease.isPostgres(sql) {
            // Two processes with messages from the same sender take turns (in one order, so never in a deadlock): the
            // sender's conversation and case are created once, and the second sees what the first stored.
            let senders = Array(Set(incoming.map { "\($0.channel.rawValue)|\($0.senderID)" })).sorted()
            try await sql.raw(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT unnest(\(bind: senders)::text[]) AS k ORDER BY 1) AS senders"
            ).run()
        }
        let endpoints = try await Endpoints.load(for: incoming, on: db)
        let conversations = try await conversations(of: incoming, endpoints: endpoints, on: db)
        let records = try await storeMessages(incoming, endpoints: endpoints, conversations: conversations, on: db)
        // Satisfaction answers and their comments belong to the resolved case they answer: they open none.
        let answers = try await SatisfactionSurvey.receive(incoming, records: records, endpoint: endpoints.endpoint, on: db)
        let cases = try await openCases(
            of: zip(incoming, records).filter { answers[$0.1.id ?? UUID()] == nil }.map { ($0, $1.conversationID) }, conversations: conversations,
            on: db)
        return try await replyAndAnnounce(
            incoming, records: records, endpoints: endpoints, conversations: conversations, cases: cases, answers: answers, on: db)
    }

    /// One conversation per sender and destination (the latest if several), created or updated with its last inbound
    /// time and, for a sender still unknown, a phone match. Keyed by conversation id.
    private static func conversations(of incoming: [InboundMessage], endpoints: Endpoints, on db: any Database) async throws
        -> [UUID: Conversation]
    {
        let senders = Array(Set(incoming.map(\.senderID)))
        var byKey: [Key: Conversation] = [:]
        for c in try await Conversation.query(on: db).filter(\.$channel ~~ Set(incoming.map(\.channel)))
            .filter(\.$externalUserID ~~ senders).sort(\.$createdAt).all()
        {
            byKey[Key(channel: c.channel, sender: c.externalUserID, destination: c.destinationID)] = c
        }
        var span: [Key: (first: Date, last: Date)] = [:]
        for m in incoming {
            let key = endpoints.key(m)
            let known = span[key] ?? (m.timestamp, m.timestamp)
            span[key] = (min(known.first, m.timestamp), max(known.last, m.timestamp))
        }
        // Phone numbers identify WhatsApp senders and callers; Messenger's page-scoped ids do not.
        let needMatch = span.filter { key, _ in key.channel != .messenger && byKey[key]?.identified != true }.map { ($0.key, $0.value.first) }
        let found = try await InboundProcessor.matchByPhone(needMatch.map { ($0.0.sender, $0.0.destination, $0.1) }, on: db)
        let matches = Dictionary(uniqueKeysWithValues: zip(needMatch.map(\.0), found).compactMap { key, match in match.map { (key, $0) } })

        var touched: [UUID: Conversation] = [:]
        var created: [Conversation] = []
        for (key, times) in span.sorted(by: { $0.value.first < $1.value.first }) {
            let match = matches[key]
            if let existing = byKey[key], let id = existing.id {
                if !existing.identified, let match {
                    existing.identified = true
                    existing.travellerID = match.traveller
                    existing.tripID = match.trip
                    existing.agencyID = match.agency
                    touched[id] = existing
                }
                if (existing.lastInboundAt ?? .distantPast) < times.last {
                    existing.lastInboundAt = times.last
                    touched[id] = existing
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
                c.lastInboundAt = times.last
                c.createdAt = AppClock.now
                byKey[key] = c
                created.append(c)
            }
        }
        if !created.isEmpty { try await created.create(on: db) }
        for c in touched.values { try await c.save(on: db) }
        // Each message's conversation, by id (every key of the batch has one now).
        var byMessageKey: [UUID: Conversation] = [:]
        for key in span.keys { if let c = byKey[key], let id = c.id { byMessageKey[id] = c } }
        return byMessageKey
    }

    /// The messages in one insert, and the attachments to fetch.
    private static func storeMessages(
        _ incoming: [InboundMessage], endpoints: Endpoints, conversations: [UUID: Conversation], on db: any Database
    ) async throws -> [MessageRecord] {
        let conversationByKey = Dictionary(
            conversations.values.map { (Key(channel: $0.channel, sender: $0.externalUserID, destination: $0.destinationID), $0) }
        ) { a, _ in a }
        var records: [MessageRecord] = []
        for m in incoming {
            guard let conversationID = conversationByKey[endpoints.key(m)]?.id else {
                throw InboundBatchError.conversationMissing
            }
            let message = MessageRecord()
            message.id = UUID()
            message.conversationID = conversationID
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
        return records
    }

    /// The open case of each conversation: found, or opened once at its first message of the batch. Keyed by conversation id.
    private static func openCases(
        of messages: [(message: InboundMessage, conversationID: UUID)], conversations: [UUID: Conversation], on db: any Database
    ) async throws -> [UUID: CaseRecord] {
        let conversationIDs = Array(Set(messages.map(\.conversationID)))
        var cases: [UUID: CaseRecord] = [:]
        for c in try await CaseRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).filter(\.$status ~~ CaseStatus.open).all() {
            if let id = c.conversationID, cases[id] == nil { cases[id] = c }
        }
        var newCases: [CaseRecord] = []
        for (m, conversationID) in messages {
            guard cases[conversationID] == nil, let c = conversations[conversationID] else { continue }
            let record = InboundProcessor.newCase(for: c, at: m.timestamp)
            record.id = UUID()
            cases[conversationID] = record
            newCases.append(record)
        }
        if !newCases.isEmpty { try await newCases.create(on: db) }
        return cases
    }

    /// Automatic replies, message by message against one ledger of what was already sent, and the console's events.
    private static func replyAndAnnounce(
        _ incoming: [InboundMessage], records: [MessageRecord], endpoints: Endpoints, conversations: [UUID: Conversation],
        cases: [UUID: CaseRecord], answers: [UUID: CaseRecord?], on db: any Database
    ) async throws -> [LiveEvent] {
        var ledger = try await AutoReplies.Ledger.load(conversationIDs: Array(conversations.keys), on: db)
        let travellerIDs = Set(conversations.values.compactMap(\.travellerID))
        let travellers =
            travellerIDs.isEmpty
            ? [:]
            : Dictionary(try await Traveller.query(on: db).filter(\.$id ~~ travellerIDs).all().compactMap { t in t.id.map { ($0, t) } }) { a, _ in a }
        var live: [LiveEvent] = []
        for (m, record) in zip(incoming, records) {
            if let handled = answers[record.id ?? UUID()] {
                guard let answered = handled else { continue }
                live.append(
                    LiveEvent(
                        type: .message, caseID: answered.id, destinationID: answered.destinationID, status: answered.status,
                        text: String((m.text ?? "[\(m.kind)]").prefix(200)), from: m.contactName ?? m.senderID))
                continue
            }
            guard let conversation = conversations[record.conversationID], let openCase = cases[record.conversationID] else { continue }
            if let e = endpoints.endpoint(m), m.channel != .voice {
                try await AutoReplies.afterInbound(
                    m, conversation: conversation, endpoint: e, destination: endpoints.destinations[e.$destination.id],
                    traveller: conversation.travellerID.flatMap { travellers[$0] }, ledger: &ledger, on: db)
            }
            live.append(
                LiveEvent(
                    type: .message, caseID: openCase.id, destinationID: conversation.destinationID, status: openCase.status,
                    text: String((m.text ?? "[\(m.kind)]").prefix(200)), from: m.contactName ?? m.senderID))
        }
        return live
    }
}

/// A message of the batch found no conversation: the batch rolls back and its events are retried.
enum InboundBatchError: Error { case conversationMissing }
