import Fluent
import NIOConcurrencyHelpers
import Foundation
import OnSpotCore
import Vapor

/// Turns stored webhook events into conversations, messages and cases. Idempotent: an event processed twice,
/// or resumed after a crash, stores nothing twice (unique provider ids) and moves no status backwards.
public enum InboundProcessor {
    /// Processes one event right after its acknowledgement, retrying transient database errors with backoff;
    /// what still fails stays pending for the sweep.
    static func process(eventID: UUID, app: Application) async {
        var lastError: (any Error)?
        for attempt in 0..<5 {
            do {
                for event in try await process(eventID: eventID, on: app.db) {
                    app.liveHub.publish(destinationID: event.destinationID, event)
                }
                return
            } catch {
                lastError = error
                try? await Task.sleep(nanoseconds: UInt64(25_000_000 << attempt))
            }
        }
        app.logger.error("inbound event \(eventID) left for the sweep: \(String(reflecting: lastError))")
        if let event = try? await InboundEvent.find(eventID, on: app.db) {
            event.attempts += 1
            event.lastError = lastError.map { String(String(describing: $0).prefix(500)) }
            try? await event.save(on: app.db)
        }
    }

    /// While serving, the processing loop is also woken every few seconds: a crash or an error never strands a message.
    public static func startSweeping(_ app: Application, every seconds: Int64 = 5) {
        app.repeatInBackground(every: seconds, after: 1, name: "inbound sweep") { kick(app) }
    }

    /// Wakes the processing loop. One loop per process: events are never processed by two tasks at once, and under load
    /// the loop works in batches while the intake keeps answering.
    static func kick(_ app: Application) { app.inboundLoop.kick(app) }

    /// Processes pending events in chunks, one transaction per chunk; a chunk that fails is retried event by event.
    /// Returns how many events it looked at.
    static func processPending(app: Application, limit: Int = 500, chunk: Int = 25) async throws -> Int {
        let db = app.processingDB
        let pending = try await InboundEvent.query(on: db).filter(\.$processedAt == nil).filter(\.$attempts < 10)
            .sort(\.$receivedAt).limit(limit).all(\.$id)
        for ids in pending.chunked(chunk) {
            // Short chunks, and the intake first: a webhook waiting for its commit holds the provider's request open.
            for _ in 0..<20 where app.inboundIntake.isBusy { try? await Task.sleep(nanoseconds: 1_000_000) }
            var live: [LiveEvent]?
            // A batch that meets the intake's commit between its first read and first write (SQLite's busy snapshot)
            // is simply run again; only a batch that keeps failing goes event by event.
            for attempt in 0..<3 where live == nil {
                do { live = try await db.transaction { db in try await InboundBatch.process(Array(ids), on: db) } } catch {
                    try? await Task.sleep(nanoseconds: UInt64(2_000_000 << attempt))
                }
            }
            if let live {
                for event in live { app.liveHub.publish(destinationID: event.destinationID, event) }
            } else {
                for id in ids { await process(eventID: id, app: app) }
            }
        }
        return pending.count
    }

    /// Processes every event not yet processed, oldest first: run at start and by the worker.
    public static func sweep(on db: any Database, limit: Int = 500) async throws -> Int {
        try await sweep(on: db, hub: nil, limit: limit)
    }

    static func sweep(on db: any Database, hub: LiveHub?, limit: Int = 500) async throws -> Int {
        let pending = try await InboundEvent.query(on: db).filter(\.$processedAt == nil).filter(\.$attempts < 10)
            .sort(\.$receivedAt).limit(limit).all(\.$id)
        for ids in pending.chunked(250) {
            let live: [LiveEvent]
            do {
                live = try await db.transaction { db in try await InboundBatch.process(Array(ids), on: db) }
            } catch {
                // One event that fails must not hold back the others: process the chunk event by event.
                var each: [LiveEvent] = []
                for id in ids { each += try await process(eventID: id, on: db) }
                live = each
            }
            for event in live { hub?.publish(destinationID: event.destinationID, event) }
        }
        return pending.count
    }

    /// One event on its own, as a batch of one in its own transaction: what a failing batch falls back to.
    /// Returns the console events of what it stored.
    @discardableResult
    static func process(eventID: UUID, on db: any Database) async throws -> [LiveEvent] {
        try await db.transaction { db in try await InboundBatch.process([eventID], on: db) }
    }

    struct Match { let traveller: UUID; let trip: UUID; let agency: UUID }

    /// Matches senders (wa_id digits) to travellers whose service window is open at the message's time, in two queries
    /// for any number of senders. The answer is aligned with the input.
    static func matchByPhone(_ senders: [(sender: String, destination: UUID?, at: Date)], on db: any Database) async throws -> [Match?] {
        let phones = senders.map { PhoneNumber("+" + $0.sender)?.e164 }
        let wanted = Set(phones.compactMap { $0 })
        guard !wanted.isEmpty else { return senders.map { _ in nil } }
        let travellers = try await Traveller.query(on: db).filter(\.$phone ~~ wanted).all()
        guard !travellers.isEmpty else { return senders.map { _ in nil } }
        let links = try await TripTraveller.query(on: db).filter(\.$traveller.$id ~~ travellers.map { $0.id! })
            .with(\.$trip) { $0.with(\.$destinationLinks) }.all()
        let phoneOf = Dictionary(uniqueKeysWithValues: travellers.map { ($0.id!, $0.phone ?? "") })
        let agenciesByPhone = Dictionary(grouping: travellers, by: { $0.phone ?? "" }).mapValues { Set($0.map { $0.$agency.id }) }
        return zip(senders, phones).map { sender, phone in
            guard let phone else { return nil }
            let open = links.filter { link in
                phoneOf[link.$traveller.id] == phone && link.trip.status == .booked && !link.trip.awaitsPayment
                    && TripRules.serviceWindow(arrival: link.trip.arrivalAt, return: link.trip.returnAt).contains(sender.at)
            }
            // A number registered by two agencies identifies nobody, whatever their trips' dates: any agency can type
            // any phone number, so the conversation stays unidentified and the expert links it, rather than one agency
            // reading another's traveller.
            guard (agenciesByPhone[phone]?.count ?? 0) <= 1 else { return nil }
            // Prefer the trip that goes where this number serves, then the one that ends soonest.
            let best = open.sorted { a, b in
                let aHere = a.trip.destinationLinks.contains { $0.$destination.id == sender.destination }
                let bHere = b.trip.destinationLinks.contains { $0.$destination.id == sender.destination }
                return aHere != bHere ? aHere : a.trip.returnAt < b.trip.returnAt
            }.first
            return best.map { Match(traveller: $0.$traveller.id, trip: $0.$trip.id, agency: $0.trip.$agency.id) }
        }
    }

    /// Media id, URL, type and coordinates of a message, as the JSON kept in `messages.media`.
    static func mediaField(_ m: InboundMessage) -> String? {
        guard m.mediaID != nil || m.mediaURL != nil || m.latitude != nil else { return nil }
        let media: [String: String] = [
            "id": m.mediaID ?? "", "url": m.mediaURL ?? "", "mime": m.mimeType ?? "",
            "lat": m.latitude.map { String($0) } ?? "", "lon": m.longitude.map { String($0) } ?? ""
        ]
        return (try? JSONEncoder.sorted.encode(media.filter { !$0.value.isEmpty })).map { String(decoding: $0, as: UTF8.self) }
    }

    static func newCase(for c: Conversation, at time: Date) -> CaseRecord {
        let record = CaseRecord()
        record.agencyID = c.agencyID
        record.tripID = c.tripID
        record.travellerID = c.travellerID
        record.conversationID = c.id
        record.destinationID = c.destinationID
        record.category = CaseCategory.other
        record.priority = CasePriority.normal
        record.status = .new
        record.safetyFlag = false
        record.recordingRefused = false
        record.openedAt = time
        return record
    }

    static func apply(_ s: StatusReceipt, on db: any Database) async throws {
        guard
            let message = try await MessageRecord.query(on: db).filter(\.$channel == s.channel)
                .filter(\.$providerMessageID == s.providerMessageID).filter(\.$direction == .outbound).first()
        else { return }
        guard s.status.canReplace(message.status.deliveryStatus) else { return }
        message.status = MessageStatus(s.status)
        switch s.status {
        case .sent: message.sentAt = s.timestamp
        case .delivered: message.deliveredAt = s.timestamp
        case .read: message.readAt = s.timestamp
        case .failed: message.failedReason = [s.errorCode.map(String.init), s.errorTitle].compactMap { $0 }.joined(separator: " ")
        }
        try await message.save(on: db)
    }
}

/// The single processing loop of a server process: woken by each webhook, it runs until nothing is pending.
final class InboundLoop: Sendable {
    private let state = NIOLockedValueBox<(running: Bool, again: Bool)>((false, false))

    func kick(_ app: Application) {
        let start = state.withLockedValue { s -> Bool in
            if s.running { s.again = true; return false }
            s.running = true
            s.again = false
            return true
        }
        if start { app.inBackground { await self.run(app) } }
    }

    private func run(_ app: Application) async {
        let limit = 200
        while true {
            state.withLockedValue { $0.again = false }
            var seen = 0
            do { seen = try await InboundProcessor.processPending(app: app, limit: limit) } catch {
                app.logger.error("inbound processing: \(String(reflecting: error))")
            }
            let more = state.withLockedValue { s -> Bool in
                if s.again || seen >= limit { return true }
                s.running = false
                return false
            }
            if !more { return }
        }
    }
}

struct InboundLoopKey: StorageKey { typealias Value = InboundLoop }

extension Application {
    var inboundLoop: InboundLoop {
        if let loop = storage[InboundLoopKey.self] { return loop }
        let loop = InboundLoop()
        storage[InboundLoopKey.self] = loop
        return loop
    }
}
