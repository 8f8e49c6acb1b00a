import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// The daily purge: what each agency's retention policy (`RetentionPolicies`) says has been kept long enough is
/// removed, and an agency that closed its account has everything erased once the notice has passed. It is idempotent
/// (a second run finds nothing), resumable (each batch commits alone, so a run that stops is finished by the next one),
/// and works in batches of `batchSize` rows, so the intake never waits long behind it. It reports what it removed:
/// counts per agency in the audit trail (`data.purged`), and in the run's summary.
enum RetentionPurge {
    /// What one pass removed, by kind.
    struct Counts: Codable, Equatable, Sendable {
        /// Travellers erased (`PersonalDataErasure`), one per registration.
        var travellers = 0
        /// Trips whose notes, pasted documents and segment details were cleared (the trip, its dates and bills stay).
        var trips = 0
        /// Messages deleted, with their attachments and outgoing payloads.
        var messages = 0
        /// Cases whose notes and free texts were cleared (the case, its times and costs stay).
        var cases = 0
        /// Conversations unlinked from the sender's phone or account id.
        var conversations = 0
        /// Recordings and voicemails deleted at Twilio and unreferenced here.
        var recordings = 0
        /// Recordings due but not deleted (Twilio unreachable or refusing): tried again on the next run.
        var recordingsKept = 0
        /// Attachments whose bytes were deleted.
        var attachments = 0
        var notifications = 0
        /// Log rows deleted: raw webhook bodies, outgoing payloads, webhook deliveries, cached API answers, sign-ins.
        var logs = 0

        var isEmpty: Bool { self == Counts() }

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(
                travellers: a.travellers + b.travellers, trips: a.trips + b.trips, messages: a.messages + b.messages, cases: a.cases + b.cases,
                conversations: a.conversations + b.conversations, recordings: a.recordings + b.recordings,
                recordingsKept: a.recordingsKept + b.recordingsKept, attachments: a.attachments + b.attachments,
                notifications: a.notifications + b.notifications, logs: a.logs + b.logs)
        }

        var detail: [String: String] {
            [
                "travellers": String(travellers), "trips": String(trips), "messages": String(messages), "cases": String(cases),
                "conversations": String(conversations),
                "recordings": String(recordings), "recordingsKept": String(recordingsKept), "attachments": String(attachments),
                "notifications": String(notifications), "logs": String(logs)
            ]
        }

        var line: String { detail.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
    }

    struct Report: Equatable, Sendable {
        var agencies: [UUID: Counts] = [:]
        /// Data of no agency: unidentified senders' conversations, and the platform's own logs.
        var platform = Counts()
        var total: Counts { agencies.values.reduce(platform, +) }
        /// Seconds spent per step, over all agencies.
        var seconds: [String: Double] = [:]
    }

    static let batchSize = 200

    /// One agency's data (or, with no agency, what belongs to none), and the date before which each category goes.
    struct Scope {
        var agencyID: UUID?
        var cutoffs: [RetentionCategory: Date]
        /// The agency closed its account and the notice passed: nothing is kept, open cases included.
        var contractEnded = false
        func cutoff(_ category: RetentionCategory) -> Date { cutoffs[category] ?? .distantPast }
    }

    // MARK: The daily run

    /// Once a day (its job key is the day in UTC). A run beats its claim's heartbeat after each agency; a claim silent
    /// for an hour belongs to a run that died, and is taken over. Returns nil when today's run already happened or is
    /// under way elsewhere.
    static func runDaily(at now: Date, app: Application) async throws -> Report? {
        let key = "purge:\(DataSubjectDeadline.text(now))"
        try await JobRun.query(on: app.db).filter(\.$key == key).filter(\.$summary == nil)
            .filter(\.$startedAt < AppClock.now.addingTimeInterval(-3600)).delete()
        guard try await Invoicing.claimJob(key, on: app.db) else { return nil }
        let db = app.db
        let report = try await run(at: now, app: app) {
            try await JobRun.query(on: db).filter(\.$key == key).set(\.$startedAt, to: AppClock.now).update()
        }
        let summary = (try? String(decoding: JSONEncoder.sorted.encode(report.total), as: UTF8.self)) ?? report.total.line
        try await Invoicing.finishJob(key, summary: summary, on: app.db)
        return report
    }

    static func run(at now: Date, app: Application, heartbeat: (@Sendable () async throws -> Void)? = nil) async throws -> Report {
        let db = app.db
        let bounds = try await RetentionPolicies.bounds(on: db)
        let agencies = try await Agency.query(on: db).sort(\.$createdAt).all()
        let months = try await RetentionPolicies.months(for: agencies.compactMap(\.id), bounds: bounds, on: db)
        var report = Report()
        // The platform's logs first: raw bodies past their retention are gone before an erasure searches the rest.
        let platform = Scope(
            agencyID: nil, cutoffs: RetentionPolicies.platformMonths(bounds).mapValues { RetentionClock.cutoff(months: $0, before: now) })
        let platformLogs = try await timed("platform logs", &report.seconds) {
            try await purgePlatformLogs(before: platform.cutoff(.logs), on: db)
        }
        for agency in agencies {
            let id = try agency.requireID()
            try await heartbeat?()
            let scope: Scope
            if agency.status == .closed, let closed = agency.closedAt, RetentionClock.closureErasure(closedAt: closed) <= now {
                // The contract ended and the notice to export has passed: nothing of its travellers is kept (GDPR 28(3)(g)).
                scope = Scope(
                    agencyID: id, cutoffs: Dictionary(uniqueKeysWithValues: RetentionCategory.allCases.map { ($0, .distantFuture) }),
                    contractEnded: true)
            } else {
                scope = Scope(agencyID: id, cutoffs: (months[id] ?? [:]).mapValues { RetentionClock.cutoff(months: $0, before: now) })
            }
            let counts = try await purge(scope, now: now, app: app, seconds: &report.seconds)
            guard !counts.isEmpty else { continue }
            report.agencies[id] = counts
            try await AuditLog.record(
                on: db, agencyID: id, actor: nil, action: .dataPurged, subjectType: "agency", subjectID: id.uuidString, detail: counts.detail)
        }
        report.platform = try await purge(platform, now: now, app: app, seconds: &report.seconds)
        report.platform.logs += platformLogs
        if !report.total.isEmpty { app.logger.info("retention purge: \(report.total.line)") }
        return report
    }

    /// Runs `work` and adds the seconds it took to `seconds[step]` (the report's per-step figures).
    static func timed<T>(_ step: String, _ seconds: inout [String: Double], _ work: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { seconds[step, default: 0] += (ContinuousClock.now - start).inSeconds }
        return try await work()
    }

    /// One scope's pass; `seconds` adds up how long each step took (the benchmark prints it).
    static func purge(_ scope: Scope, now: Date, app: Application, seconds: inout [String: Double]) async throws -> Counts {
        var counts = Counts()
        let db = app.db
        // Travellers first: an erasure resolves their cases and marks their conversations, so the rest of the pass
        // finishes the job (their recordings at Twilio, their messages) in the same run.
        if let agencyID = scope.agencyID {
            let keeping = !scope.contractEnded
            counts.travellers = try await timed("travellers", &seconds) {
                try await eraseTravellers(agencyID, before: scope.cutoff(.travellers), keepingOpenCases: keeping, on: db)
            }
            counts.trips = try await timed("trips", &seconds) {
                try await purgeTrips(agencyID, before: scope.cutoff(.travellers), keepingOpenCases: keeping, on: db)
            }
        }
        // Recordings before messages: their reference is needed to delete them at Twilio before the message goes.
        (counts.recordings, counts.recordingsKept) = try await timed("recordings", &seconds) { try await purgeRecordings(scope, app: app) }
        counts.attachments = try await timed("attachments", &seconds) { try await purgeAttachments(scope, on: db) }
        counts.messages = try await timed("messages", &seconds) { try await purgeMessages(scope, on: db) }
        counts.cases = try await timed("cases", &seconds) { try await purgeCases(scope, now: now, on: db) }
        counts.conversations = try await timed("conversations", &seconds) { try await unlinkConversations(scope, now: now, on: db) }
        counts.notifications = try await timed("notifications", &seconds) { try await purgeNotifications(scope, on: db) }
        if let agencyID = scope.agencyID {
            counts.logs = try await timed("logs", &seconds) { try await purgeAgencyLogs(agencyID, before: scope.cutoff(.logs), on: db) }
        }
        return counts
    }

    // MARK: Messages and their media

    /// The scope's messages: of its conversations (joined), `about` what: messages of conversations linked to a trip
    /// that returned before `cutoff`, or of conversations about no trip.
    private static func messages(_ scope: Scope, tripReturnedBefore cutoff: Date?, on db: any Database) -> QueryBuilder<MessageRecord> {
        let query = MessageRecord.query(on: db).join(Conversation.self, on: \MessageRecord.$conversationID == \Conversation.$id)
            .filter(Conversation.self, \.$agencyID == scope.agencyID)
        guard let cutoff else { return query.filter(Conversation.self, \.$tripID == nil) }
        return query.join(Trip.self, on: \Conversation.$tripID == \Trip.$id).filter(Trip.self, \.$returnAt < cutoff)
    }

    /// Voice messages whose audio Twilio holds: due once older than the recordings' cutoff, or at once when their
    /// conversation was erased or unlinked. Deleted at Twilio first; a recording Twilio did not confirm stays referenced
    /// and is tried again on the next run (walked by id, so one failure never stops the rest).
    static func purgeRecordings(_ scope: Scope, app: Application) async throws -> (deleted: Int, kept: Int) {
        let db = app.db
        let cutoff = scope.cutoff(.recordings)
        var deleted = 0, kept = 0
        var cursor: UUID?
        var tokens: [UUID: String?] = [:]
        var unreachable = Set<UUID>()
        /// Not deleted at Twilio yet: the reference stays for the next run, the transcript and call-back number go now.
        func keep(_ message: MessageRecord) async throws {
            kept += 1
            if message.kind == "voicemail", message.body != nil {
                try await MessageRecord.query(on: db).filter(\.$id == message.requireID()).set(\.$body, to: nil).update()
            }
        }
        while true {
            var query = MessageRecord.query(on: db).join(Conversation.self, on: \MessageRecord.$conversationID == \Conversation.$id)
                .filter(Conversation.self, \.$agencyID == scope.agencyID).filter(\.$channel == .voice).filter(\.$media != nil)
                .group(.or) { $0.filter(\.$createdAt < cutoff).filter(Conversation.self, \.$purgedAt != nil) }
            if let cursor { query = query.filter(\.$id > cursor) }
            let batch = try await query.sort(\.$id).limit(batchSize).all()
            guard let last = batch.last else { break }
            cursor = last.id
            let conversations = try await Conversation.query(on: db).filter(\.$id ~~ Set(batch.map(\.conversationID))).all()
            let destinations = Dictionary(conversations.compactMap { c in c.id.map { ($0, c.destinationID) } }) { a, _ in a }
            for message in batch {
                if let reference = mediaURL(message.media).flatMap(TwilioVoice.recordingReference(url:)) {
                    let destination = destinations[message.conversationID] ?? nil
                    if let destination, tokens[destination] == nil {
                        tokens[destination] = try await ChannelEndpoint.voiceToken(destination: destination, on: db)
                    }
                    guard let destination, !unreachable.contains(destination), let token = tokens[destination] ?? nil else {
                        try await keep(message)
                        continue
                    }
                    do {
                        try await app.callRecordings.delete(reference, authToken: token)
                    } catch {
                        // One failure is enough for this run: the next recordings of the line wait for tomorrow's.
                        app.logger.warning("retention purge: recording \(reference.recordingSID) kept: \(error)")
                        unreachable.insert(destination)
                        try await keep(message)
                        continue
                    }
                }
                // Deleted at Twilio, or a reference that names no Twilio recording: only ours is left to drop.
                try await MessageRecord.query(on: db).filter(\.$id == message.requireID()).set(\.$media, to: nil)
                    .set(\.$body, to: message.kind == "voicemail" ? nil : message.body).update()
                deleted += 1
            }
        }
        return (deleted, kept)
    }

    static func mediaURL(_ media: String?) -> String? {
        guard let data = media?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["url"] as? String
    }

    /// The bytes of photos and documents older than the attachments' cutoff; the row stays (its message says a file was
    /// sent) until the message itself goes.
    static func purgeAttachments(_ scope: Scope, on db: any Database) async throws -> Int {
        let cutoff = scope.cutoff(.attachments)
        var count = 0
        while true {
            let ids = try await Attachment.query(on: db).join(MessageRecord.self, on: \Attachment.$messageID == \MessageRecord.$id)
                .join(Conversation.self, on: \MessageRecord.$conversationID == \Conversation.$id)
                .filter(Conversation.self, \.$agencyID == scope.agencyID).filter(\.$createdAt < cutoff).filter(\.$data != nil)
                .limit(batchSize).all(\.$id)
            guard !ids.isEmpty else { break }
            try await Attachment.query(on: db).filter(\.$id ~~ ids).set(\.$data, to: nil).set(\.$status, to: .expired).set(\.$lastError, to: nil)
                .update()
            count += ids.count
        }
        return count
    }

    /// Messages older than the conversations' cutoff, in conversations about no trip or about a trip that returned
    /// before it; a voice message whose recording Twilio still holds waits for it.
    static func purgeMessages(_ scope: Scope, on db: any Database) async throws -> Int {
        let cutoff = scope.cutoff(.conversations)
        let open = try await openCases(scope.agencyID, keeping: !scope.contractEnded, \.conversationID, on: db)
        var count = 0
        for tripCutoff in [nil, cutoff] as [Date?] {
            while true {
                var query = messages(scope, tripReturnedBefore: tripCutoff, on: db).filter(\.$createdAt < cutoff)
                    .filter(\.$status != .queued).group(.or) { $0.filter(\.$channel != .voice).filter(\.$media == nil) }
                if !open.isEmpty { query = query.filter(\.$conversationID !~ open) }
                let ids = try await query.limit(batchSize).all(\.$id)
                guard !ids.isEmpty else { break }
                try await db.transaction { db in
                    try await Attachment.query(on: db).filter(\.$messageID ~~ ids).delete()
                    try await OutboxEntry.query(on: db).filter(\.$messageID ~~ ids).delete()
                    try await MessageRecord.query(on: db).filter(\.$id ~~ ids).delete()
                }
                count += ids.count
            }
        }
        return count
    }

    /// The conversations (or trips) of the agency's cases still open: someone is working on them, so what they hold
    /// stays. None when the agency's contract ended (`keeping` false): then nothing is kept.
    static func openCases(
        _ agencyID: UUID?, keeping: Bool, _ key: KeyPath<CaseRecord, UUID?>, on db: any Database
    ) async throws -> [UUID] {
        guard keeping else { return [] }
        return Array(
            Set(
                try await CaseRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$status != .resolved).all().compactMap {
                    $0[keyPath: key]
                }))
    }

    /// Trips back before the travellers' cutoff keep their dates, reference and bills, not what was written about the
    /// people on them: notes, cancellation reason, pasted confirmations, segment details and confirmation numbers
    /// (an erasure clears those only on trips the person travelled alone). A trip with an open case waits.
    static func purgeTrips(_ agencyID: UUID, before cutoff: Date, keepingOpenCases: Bool, on db: any Database) async throws -> Int {
        let open = try await openCases(agencyID, keeping: keepingOpenCases, \.tripID, on: db)
        var cleared = Set<UUID>()
        while true {
            var trips = Trip.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$returnAt < cutoff)
                .group(.or) { $0.filter(\.$notes != nil).filter(\.$cancellationReason != nil) }
            var documents = PastedDocument.query(on: db).join(Trip.self, on: \PastedDocument.$trip.$id == \Trip.$id)
                .filter(Trip.self, \.$agency.$id == agencyID).filter(Trip.self, \.$returnAt < cutoff).filter(\.$text != "")
            var segments = ItinerarySegment.query(on: db).join(Trip.self, on: \ItinerarySegment.$trip.$id == \Trip.$id)
                .filter(Trip.self, \.$agency.$id == agencyID).filter(Trip.self, \.$returnAt < cutoff)
                .group(.or) { $0.filter(\.$details != nil).filter(\.$confirmation != nil) }
            if !open.isEmpty {
                trips = trips.filter(\.$id !~ open)
                documents = documents.filter(Trip.self, \.$id !~ open)
                segments = segments.filter(Trip.self, \.$id !~ open)
            }
            var batch = Set(try await trips.limit(batchSize).all(\.$id))
            batch.formUnion(try await documents.limit(batchSize).all().map(\.$trip.id))
            batch.formUnion(try await segments.limit(batchSize).all().map(\.$trip.id))
            guard !batch.isEmpty else { break }
            let ids = Array(batch)
            try await db.transaction { db in
                try await Trip.eraseFreeTexts(ofTrips: ids, agencyID: nil, on: db)
                try await PastedDocument.eraseTexts(ofTrips: ids, on: db)
                try await ItinerarySegment.erasePersonalFields(ofTrips: ids, on: db)
            }
            cleared.formUnion(batch)
        }
        return cleared.count
    }

    /// Resolved cases about a trip that returned before the conversations' cutoff (or about no trip, opened before
    /// it): their notes go and their free texts are cleared, once (`purged_at`). Open cases are someone's work: kept.
    static func purgeCases(_ scope: Scope, now: Date, on db: any Database) async throws -> Int {
        let cutoff = scope.cutoff(.conversations)
        var count = 0
        for aboutATrip in [false, true] {
            while true {
                var query = CaseRecord.query(on: db).filter(\.$agencyID == scope.agencyID).filter(\.$status == .resolved).filter(\.$purgedAt == nil)
                if aboutATrip {
                    query = query.join(Trip.self, on: \CaseRecord.$tripID == \Trip.$id).filter(Trip.self, \.$returnAt < cutoff)
                } else {
                    query = query.filter(\.$tripID == nil).filter(\.$openedAt < cutoff)
                }
                let ids = try await query.limit(batchSize).all(\.$id)
                guard !ids.isEmpty else { break }
                try await db.transaction { db in
                    try await takeSQLiteWriteLock(on: db)
                    try await CaseRecord.query(on: db).filter(\.$id ~~ ids).set(\.$purgedAt, to: now).update()
                    try await CaseTexts.clear(caseIDs: ids, on: db)
                }
                count += ids.count
            }
        }
        return count
    }

    /// Conversations silent since before the conversations' cutoff, about no trip or a trip that returned before it, no
    /// longer carry the sender's phone or account id: a new message from them starts a new conversation.
    static func unlinkConversations(_ scope: Scope, now: Date, on db: any Database) async throws -> Int {
        let cutoff = scope.cutoff(.conversations)
        let open = try await openCases(scope.agencyID, keeping: !scope.contractEnded, \.conversationID, on: db)
        var count = 0
        for aboutATrip in [false, true] {
            while true {
                var query = Conversation.query(on: db).filter(\.$agencyID == scope.agencyID).filter(\.$purgedAt == nil)
                    .filter(\.$createdAt < cutoff).group(.or) { $0.filter(\.$lastInboundAt == nil).filter(\.$lastInboundAt < cutoff) }
                if !open.isEmpty { query = query.filter(\.$id !~ open) }
                if aboutATrip {
                    query = query.join(Trip.self, on: \Conversation.$tripID == \Trip.$id).filter(Trip.self, \.$returnAt < cutoff)
                } else {
                    query = query.filter(\.$tripID == nil)
                }
                let batch = try await query.limit(batchSize).all()
                guard !batch.isEmpty else { break }
                // Each one read again under the write lock: a message that arrived since keeps it linked.
                let unlinked = try await db.transaction { db -> Int in
                    try await takeSQLiteWriteLock(on: db)
                    var unlinked = 0
                    for id in batch.compactMap(\.id) {
                        guard
                            let conversation = try await Conversation.query(on: db).filter(\.$id == id).filter(\.$purgedAt == nil)
                                .group(.or, { $0.filter(\.$lastInboundAt == nil).filter(\.$lastInboundAt < cutoff) }).first()
                        else { continue }
                        conversation.externalUserID = "purged:\(id.uuidString.lowercased())"
                        conversation.identified = false
                        conversation.purgedAt = now
                        try await conversation.save(on: db)
                        unlinked += 1
                    }
                    return unlinked
                }
                count += unlinked
                // One that got a message since would match again: stop rather than loop on it.
                if unlinked == 0 { break }
            }
        }
        return count
    }

    static func purgeNotifications(_ scope: Scope, on db: any Database) async throws -> Int {
        let cutoff = scope.cutoff(.notifications)
        return try await deleteInBatches(on: db) {
            NotificationRecord.query(on: db).filter(\.$agencyID == scope.agencyID).filter(\.$createdAt < cutoff)
                .filter(\.$status != .pending)
        }
    }

    /// The agency's deliveries to its webhook endpoints (settled ones) and its cached API answers.
    static func purgeAgencyLogs(_ agencyID: UUID, before cutoff: Date, on db: any Database) async throws -> Int {
        var count = try await deleteInBatches(on: db) {
            WebhookDelivery.query(on: db).filter(\.$agencyID == agencyID).filter(\.$createdAt < cutoff).filter(\.$status != .pending)
        }
        count += try await deleteInBatches(on: db) {
            IdempotencyRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$createdAt < cutoff)
        }
        return count
    }

    /// Logs that belong to no agency: processed raw webhook bodies and their dedupe keys, settled outgoing payloads,
    /// delivery receipts, Stripe events, sign-in attempts and used or expired password resets.
    static func purgePlatformLogs(before cutoff: Date, on db: any Database) async throws -> Int {
        var count = 0
        while true {
            // Processed, or given up on after ten attempts (the processor's dead letters).
            let ids = try await InboundEvent.query(on: db).filter(\.$receivedAt < cutoff)
                .group(.or) { $0.filter(\.$processedAt != nil).filter(\.$attempts >= 10) }.limit(batchSize).all(\.$id)
            guard !ids.isEmpty else { break }
            try await db.transaction { db in
                try await InboundDedupe.query(on: db).filter(\.$eventID ~~ ids).delete()
                try await InboundEvent.query(on: db).filter(\.$id ~~ ids).delete()
            }
            count += ids.count
        }
        count += try await deleteInBatches(on: db) {
            OutboxEntry.query(on: db).filter(\.$createdAt < cutoff).filter(\.$status != .pending)
        }
        count += try await deleteInBatches(on: db) { StripeEventRecord.query(on: db).filter(\.$receivedAt < cutoff).filter(\.$processedAt != nil) }
        count += try await deleteInBatches(on: db) { LoginAttempt.query(on: db).filter(\.$createdAt < cutoff) }
        count += try await deleteInBatches(on: db) { PasswordReset.query(on: db).filter(\.$expiresAt < cutoff) }
        if let sql = db as? any SQLDatabase {
            let due =
                try await sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("due")))
                .from("message_receipts").where("received_at", .lessThan, cutoff).first()?.decode(column: "due", as: Int.self) ?? 0
            if due > 0 {
                try await sql.delete(from: "message_receipts").where("received_at", .lessThan, cutoff).run()
                count += due
            }
        }
        return count
    }

    /// Deletes what `query` finds, `batchSize` rows per statement, until nothing is left; returns how many.
    static func deleteInBatches<M: Model>(on db: any Database, _ query: () -> QueryBuilder<M>) async throws -> Int where M.IDValue == UUID {
        var count = 0
        while true {
            let ids = try await query().limit(batchSize).all(\._$id)
            guard !ids.isEmpty else { break }
            try await M.query(on: db).filter(\._$id ~~ ids).delete()
            count += ids.count
        }
        return count
    }

    // MARK: Travellers

    /// Travellers none of whose registrations has a trip returning on or after `cutoff` are erased, as a person: the
    /// same erasure an agency asks for (`PersonalDataErasure`), audited `traveller.erased` with `via: retention`.
    static func eraseTravellers(_ agencyID: UUID, before cutoff: Date, keepingOpenCases: Bool, on db: any Database) async throws -> Int {
        var erased = 0
        var cursor: UUID?
        while true {
            var query = TripTraveller.query(on: db).join(Trip.self, on: \TripTraveller.$trip.$id == \Trip.$id)
                .join(Traveller.self, on: \TripTraveller.$traveller.$id == \Traveller.$id)
                .filter(Trip.self, \.$agency.$id == agencyID).filter(Trip.self, \.$returnAt < cutoff).filter(Traveller.self, \.$erasedAt == nil)
            if let cursor { query = query.filter(\.$traveller.$id > cursor) }
            let rows = try await query.sort(\.$traveller.$id).limit(batchSize).all()
            guard let last = rows.last else { break }
            cursor = last.$traveller.id
            var candidates: [UUID] = []
            for row in rows where candidates.last != row.$traveller.id { candidates.append(row.$traveller.id) }
            for id in candidates {
                guard let person = try await PersonalDataExport.person(travellerID: id, agencyID: agencyID, on: db),
                    person.registrations.contains(where: { $0.erasedAt == nil })
                else { continue }
                let recent = try await TripTraveller.query(on: db).join(Trip.self, on: \TripTraveller.$trip.$id == \Trip.$id)
                    .filter(\.$traveller.$id ~~ person.registrations.compactMap(\.id)).filter(Trip.self, \.$returnAt >= cutoff).count()
                guard recent == 0 else { continue }
                if keepingOpenCases {
                    let open = try await CaseRecord.query(on: db).filter(\.$agencyID == agencyID)
                        .filter(\.$travellerID ~~ person.registrations.compactMap(\.id)).filter(\.$status != .resolved).count()
                    guard open == 0 else { continue }
                }
                if let summary = try await PersonalDataErasure.erase(travellerID: id, agencyID: agencyID, actor: nil, via: "retention", on: db) {
                    erased += summary.travellers
                }
            }
        }
        return erased
    }
}
