import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Foundation
import OnSpotCore
import Vapor

/// The expert console: the live queue of open cases for the destinations an expert covers, and the case view.
enum ConsolePagesController {
    struct QueueRow {
        let record: CaseRecord
        let destination: DestinationRecord?
        let who: String
        let language: Language?
        let channel: MessagingChannel?
        let holder: String?
        /// The traveller wrote after the last reply (or was never answered).
        let wroteSinceReply: Bool
        let lastMessage: String
        let lastAt: Date?
        let due: Date?
    }

    /// The queue's filters, as the form and the page links carry them.
    struct QueueFilters {
        var status: CaseStatus?
        var destination: String?
        var language: Language?
        var channel: MessagingChannel?
        var category: CaseCategory?
        /// "mine" or "unassigned".
        var holder: String?
    }

    /// Cases per page of the queue: the nearest deadline (breached first) at the top.
    static let queuePageSize = 50

    /// One page of the queue as the request's filters ask for it, in deadline order: the queue page's table and the
    /// workspace's queue column read the same.
    struct QueuePage {
        let rows: [QueueRow]
        let destinations: [DestinationRecord]
        let filters: QueueFilters
        let page: Int
        let pages: Int
        let total: Int
    }

    static func queuePage(_ req: Request) async throws -> QueuePage {
        let covered = try await CasePage.coverage(req)
        var filters = QueueFilters()
        filters.status = req.query[String.self, at: "status"].flatMap(CaseStatus.init(rawValue:)).flatMap { $0.isOpen ? $0 : nil }
        filters.destination = req.query[String.self, at: "destination"]
        filters.language = req.query[String.self, at: "language"].flatMap(Language.init(rawValue:))
        filters.channel = req.query[String.self, at: "channel"].flatMap(MessagingChannel.init(rawValue:))
        filters.category = req.query[String.self, at: "category"].flatMap(CaseCategory.init(rawValue:))
        filters.holder = req.query[String.self, at: "holder"].flatMap { ["mine", "unassigned"].contains($0) ? $0 : nil }
        let request = PageRequest(clamping: (try? req.query.get(Int.self, at: "page")) ?? 1, perPage: queuePageSize)
        var destinations = try await DestinationRecord.query(on: req.db).sort(\.$name).all()
        if let covered { destinations = destinations.filter { $0.id.map(covered.contains) == true } }
        var scope = covered.map { Array($0) }
        if let code = filters.destination, let d = destinations.first(where: { $0.code == code }), let id = d.id { scope = [id] }
        // Every open case of the queue in a few columns, ordered by deadline, then whole rows for one page only.
        var open = try await openCases(
            statuses: filters.status.map { [$0] } ?? CaseStatus.open, destinations: scope, filters: filters, me: try req.user.id, on: req.db)
        if let language = filters.language {
            let speaking = Set(
                try await Traveller.query(on: req.db).filter(\.$id ~~ open.compactMap(\.travellerID)).filter(\.$language == language).all(\.$id))
            open = open.filter { $0.travellerID.map(speaking.contains) == true }
        }
        let dues = try await nextDues(of: open, destinations: destinations, on: req.db)
        open.sort { a, b in
            let (x, y) = (dues[a.id] ?? .distantFuture, dues[b.id] ?? .distantFuture)
            return x != y ? x < y : (a.openedAt, a.id.uuidString) < (b.openedAt, b.id.uuidString)
        }
        let pageIDs = Array(open.dropFirst(request.range.lowerBound).prefix(request.perPage).map(\.id))
        let byID = Dictionary(
            uniqueKeysWithValues: try await CaseRecord.query(on: req.db).filter(\.$id ~~ pageIDs).all().compactMap { c in c.id.map { ($0, c) } })
        let cases = pageIDs.compactMap { byID[$0] }
        let rows = try await rows(for: cases, destinations: destinations, dues: dues, on: req.db)
        return QueuePage(
            rows: rows, destinations: destinations, filters: filters, page: request.page,
            pages: PageRequest.pageCount(total: open.count, perPage: request.perPage), total: open.count)
    }

    @Sendable static func queue(req: Request) async throws -> Response {
        let q = try await queuePage(req)
        let banners = try await AlertsController.consoleBanners(req)
        return req.html(
            ConsoleViews.queue(
                req: req, rows: q.rows, destinations: q.destinations, filters: q.filters, page: q.page, pages: q.pages, total: q.total,
                banners: banners))
    }

    /// `/console/queue-list`: the queue as the workspace's column, an HTML fragment the page fetches after it shows
    /// (so a case opens as fast as before) and again on each live event (new case, new message, reorder, taken).
    @Sendable static func queueList(req: Request) async throws -> Response {
        let q = try await queuePage(req)
        let current = req.query[String.self, at: "current"].flatMap(UUID.init(uuidString:))
        return req.html(ConsoleViews.queueList(req: req, q, current: current))
    }

    /// An open case as the queue sorts it. Ids decode through `RowID`: Foundation's parser made this read of a few
    /// hundred rows the slowest step of the page on SQLite.
    struct OpenCase: Decodable {
        let id: UUID
        let travellerID: UUID?
        let destinationID: UUID?
        let agencyID: UUID?
        let openedAt: Date
        let firstResponseAt: Date?
        let conversationID: UUID?
        let assigneeID: UUID?
        enum CodingKeys: String, CodingKey {
            case id, travellerID = "traveller_id", destinationID = "destination_id", agencyID = "agency_id", openedAt = "opened_at"
            case firstResponseAt = "first_response_at", conversationID = "conversation_id", assigneeID = "assignee_id"
        }

        init(from decoder: any Decoder) throws {
            let row = try decoder.container(keyedBy: CodingKeys.self)
            id = try row.decode(RowID.self, forKey: .id).value
            travellerID = try row.decodeIfPresent(RowID.self, forKey: .travellerID)?.value
            destinationID = try row.decodeIfPresent(RowID.self, forKey: .destinationID)?.value
            agencyID = try row.decodeIfPresent(RowID.self, forKey: .agencyID)?.value
            openedAt = try row.decode(Date.self, forKey: .openedAt)
            firstResponseAt = try row.decodeIfPresent(Date.self, forKey: .firstResponseAt)
            conversationID = try row.decodeIfPresent(RowID.self, forKey: .conversationID)?.value
            assigneeID = try row.decodeIfPresent(RowID.self, forKey: .assigneeID)?.value
        }
    }

    /// The queue's cases in `statuses` and `destinations` (nil: all) that the filters keep, as the few columns their
    /// deadlines need. The channel comes from the case's conversation, found by its key.
    static func openCases(
        statuses: [CaseStatus], destinations: [UUID]?, filters: QueueFilters = QueueFilters(), me: UUID? = nil, on db: any Database
    ) async throws -> [OpenCase] {
        guard let sql = db as? any SQLDatabase else { return [] }
        if let destinations, destinations.isEmpty { return [] }
        let query = sql.select()
        for column in ["id", "traveller_id", "destination_id", "agency_id", "opened_at", "first_response_at", "conversation_id", "assignee_id"] {
            query.column(SQLColumn(column, table: "k"))
        }
        // SQLite's statistics average the statuses of 100,000 mostly resolved cases, so it would scan them all to find the
        // few hundred open ones (25 ms at --scale 100); the index on destination and status finds them at once.
        // PostgreSQL's statistics know the common values and choose it by itself.
        let sqlite = sql.dialect.name == "sqlite"
        query.from(SQLRaw(sqlite ? "\"cases\" AS \"k\" INDEXED BY \"idx_cases_status\"" : "\"cases\" AS \"k\""))
            .where(SQLColumn("status", table: "k"), .in, SQLBind.group(statuses.map(\.rawValue)))
        if let destinations { query.where(SQLColumn("destination_id", table: "k"), .in, SQLBind.group(destinations)) }
        if let category = filters.category { query.where(SQLColumn("category", table: "k"), .equal, SQLBind(category.rawValue)) }
        switch filters.holder {
        case "mine": query.where(SQLColumn("assignee_id", table: "k"), .equal, SQLBind(me ?? UUID()))
        case "unassigned": query.where(SQLColumn("assignee_id", table: "k"), .is, SQLLiteral.null)
        default: break
        }
        if let channel = filters.channel {
            query.join(
                SQLAlias(SQLIdentifier(Conversation.schema), as: SQLIdentifier("v")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "v"), .equal, SQLColumn("conversation_id", table: "k")
            )
            .where(SQLColumn("channel", table: "v"), .equal, SQLBind(channel.rawValue))
        }
        return try await query.all(decoding: OpenCase.self)
    }

    /// The deadline each open case is working toward, in its destination's hours and its agency's service level.
    static func nextDues(of open: [OpenCase], destinations: [DestinationRecord], on db: any Database) async throws -> [UUID: Date] {
        let levels = try await CasePage.serviceLevels(of: Set(open.compactMap(\.agencyID)), on: db)
        let schedules = Dictionary(
            uniqueKeysWithValues: destinations.compactMap { d in d.id.map { ($0, OpeningSchedule(hours: d.hours, zone: d.zone)) } })
        var dues: [UUID: Date] = [:]
        for c in open {
            guard let schedule = c.destinationID.flatMap({ schedules[$0] }) else { continue }
            dues[c.id] = SLAClocks.nextDue(
                openedAt: c.openedAt, firstResponseAt: c.firstResponseAt, level: c.agencyID.flatMap { levels[$0] } ?? .unidentified,
                schedule: schedule)
        }
        return dues
    }

    private struct QueuedTraveller: Decodable {
        let id: UUID
        let firstName: String
        let lastName: String
        let language: Language
        enum CodingKeys: String, CodingKey { case id, firstName = "first_name", lastName = "last_name", language }
    }

    private struct QueuedConversation: Decodable {
        let id: UUID
        let channel: MessagingChannel
        let externalUserID: String
        enum CodingKeys: String, CodingKey { case id, channel, externalUserID = "external_user_id" }
    }

    private struct Holder: Decodable {
        let id: UUID
        let name: String
    }

    /// Names, languages, channels, holders and last messages of a page of cases in a fixed number of queries, not
    /// one per case, each reading only the columns the queue shows (whole travellers, conversations and agencies cost
    /// a third of the page's time at a realistic size).
    static func rows(
        for cases: [CaseRecord], destinations: [DestinationRecord], dues: [UUID: Date], on db: any Database
    ) async throws -> [QueueRow] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let travellerIDs = Array(Set(cases.compactMap(\.travellerID)))
        let travellers =
            travellerIDs.isEmpty
            ? [:]
            : Dictionary(
                try await sql.select().column("id").column("first_name").column("last_name").column("language").from(Traveller.schema)
                    .where("id", .in, travellerIDs).all(decoding: QueuedTraveller.self).map { ($0.id, $0) }
            ) { a, _ in a }
        let conversationIDs = cases.compactMap(\.conversationID)
        let conversations =
            conversationIDs.isEmpty
            ? [:]
            : Dictionary(
                try await sql.select().column("id").column("channel").column("external_user_id").from(Conversation.schema)
                    .where("id", .in, conversationIDs).all(decoding: QueuedConversation.self).map { ($0.id, $0) }
            ) { a, _ in a }
        let holderIDs = Array(Set(cases.compactMap(\.assigneeID)))
        let holders =
            holderIDs.isEmpty
            ? [:]
            : Dictionary(
                try await sql.select().column("id").column("name").from(User.schema).where("id", .in, holderIDs).all(decoding: Holder.self)
                    .map { ($0.id, $0.name) }
            ) { a, _ in a }
        let (lastIn, lastOut) = try await lastMessages(of: conversationIDs, on: db)
        let byID = Dictionary(uniqueKeysWithValues: destinations.compactMap { d in d.id.map { ($0, d) } })
        return cases.map { c in
            let traveller = c.travellerID.flatMap { travellers[$0] }
            let conversation = c.conversationID.flatMap { conversations[$0] }
            let m = c.conversationID.flatMap { lastIn[$0] }
            let reply = c.conversationID.flatMap { lastOut[$0] }
            let destination = c.destinationID.flatMap { byID[$0] }
            return QueueRow(
                record: c, destination: destination,
                who: traveller.map { "\($0.firstName) \($0.lastName)" }
                    ?? conversation.map { "? " + ($0.channel == .messenger ? $0.externalUserID : "+" + $0.externalUserID) } ?? "?",
                language: traveller?.language, channel: conversation?.channel, holder: c.assigneeID.flatMap { holders[$0] },
                wroteSinceReply: m.map { message in reply.map { message.createdAt > $0.createdAt } ?? true } ?? false,
                lastMessage: String((m?.body ?? "").prefix(120)), lastAt: m?.createdAt, due: c.id.flatMap { dues[$0] })
        }
    }

    struct LastMessage: Decodable {
        let conversationID: UUID
        let direction: MessageDirection
        let body: String?
        let createdAt: Date
        enum CodingKeys: String, CodingKey { case conversationID = "conversation_id", direction, body, createdAt = "created_at" }
    }

    /// Each conversation's latest message from the traveller and latest reply from an expert (automatic
    /// acknowledgements have no author and do not count), in one query: the index on conversation and time finds each,
    /// rather than reading every message of every queued conversation.
    static func lastMessages(of conversationIDs: [UUID], on db: any Database) async throws
        -> (inbound: [UUID: LastMessage], reply: [UUID: LastMessage])
    {
        guard let sql = db as? any SQLDatabase, !conversationIDs.isEmpty else { return ([:], [:]) }
        let inbound = MessageDirection.inbound.rawValue
        let rows = try await sql.raw(
            """
            SELECT m.conversation_id, m.direction, m.body, m.created_at FROM messages m \
            WHERE m.conversation_id IN \(SQLBind.group(conversationIDs)) AND (m.direction = \(bind: inbound) OR m.author_id IS NOT NULL) \
            AND m.created_at = (SELECT MAX(l.created_at) FROM messages l WHERE l.conversation_id = m.conversation_id \
            AND l.direction = m.direction AND (l.direction = \(bind: inbound) OR l.author_id IS NOT NULL))
            """
        ).all(decoding: LastMessage.self)
        let received = Dictionary(rows.filter { $0.direction == .inbound }.map { ($0.conversationID, $0) }) { a, _ in a }
        let replies = Dictionary(rows.filter { $0.direction == .outbound }.map { ($0.conversationID, $0) }) { a, _ in a }
        return (received, replies)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await CasePage.render(req, record: try await CasePage.requireCase(req))
    }

    @Sendable static func take(req: Request) async throws -> Response {
        let record = try await CasePage.requireCase(req)
        record.assigneeID = try req.user.id
        if record.status == .new { record.status = .inProgress }
        try await record.save(on: req.db)
        CasePage.publish(req, record, .caseUpdated)
        return req.redirect(to: .consoleCase(record.id!))
    }

    @Sendable static func resolve(req: Request) async throws -> Response {
        struct Form: Content { var summary: String? }
        let record = try await CasePage.requireCase(req)
        let summary = (try req.content.decode(Form.self).summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let error = TextField.check(summary, field: "summary", limit: 4000) {
            throw PageError(status: .unprocessableEntity, messageKey: error.message)
        }
        guard CaseStatus.open.contains(record.status) else { throw PageError(status: .conflict, messageKey: "error.form") }
        record.status = .resolved
        record.resolvedAt = req.now
        record.resolutionSummary = summary
        if record.assigneeID == nil { record.assigneeID = try req.user.id }
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .caseResolved,
            subjectType: "case", subjectID: record.id?.uuidString)
        CasePage.publish(req, record, .caseResolved)
        try await notifyAgency(of: record, on: req)
        // The case is resolved whatever happens to the question: a failure to queue it is logged, not shown as an error.
        do {
            if let entry = try await SatisfactionSurvey.ask(record, now: req.now, on: req.db) {
                let app = req.application
                app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) }
            }
        } catch {
            req.logger.error("satisfaction question for case \(record.id?.uuidString ?? "?") not queued: \(String(reflecting: error))")
        }
        return req.redirect(to: .console)
    }

    /// At each resolution the agency is told, in its language and time zone (journey step 3).
    static func notifyAgency(of record: CaseRecord, on req: Request) async throws {
        guard let agencyID = record.agencyID, let agency = try await Agency.find(agencyID, on: req.db), agency.isActive else { return }
        let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: req.db) } ?? nil
        let trip = try await record.tripID.asyncMap { try await Trip.find($0, on: req.db) } ?? nil
        let destination = try await record.destinationID.asyncMap { try await DestinationRecord.find($0, on: req.db) } ?? nil
        let lang = agency.language
        let args = [
            "traveller": traveller?.fullName ?? "?", "reference": trip?.reference ?? "—", "destination": destination?.name ?? "",
            "when": LocalDateTime.display(record.resolvedAt ?? req.now, in: agency.zone, language: lang),
            "summary": record.resolutionSummary ?? ""
        ]
        let mail = OutgoingMail(
            to: agency.contactEmail, subject: L10n.t("mail.resolved_subject", lang, args), body: L10n.t("mail.resolved_body", lang, args))
        try await Mailer.send(mail, kind: .caseResolved, agencyID: agencyID, userID: nil, on: req)
        try await AgencyWebhooks.enqueue(
            agencyID: agencyID,
            .caseResolved(
                caseID: record.id, tripID: record.tripID, traveller: args["traveller"] ?? "", reference: args["reference"] ?? "",
                destination: args["destination"] ?? "", summary: args["summary"] ?? "",
                resolvedAt: LocalDateTime.iso8601(record.resolvedAt ?? req.now, in: agency.zone)), on: req.db)
        let app = req.application
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }

    /// `/console/live`: the page's WebSocket; the session decided who it is before the upgrade.
    /// Browsers send cookies with a cross-site WebSocket handshake: only pages of this site may open the live feed.
    static func sameOrigin(_ req: Request) -> Bool {
        guard let origin = req.headers.first(name: .origin) else { return false }
        let public_ = req.onspot.publicBaseURL.lowercased()
        let host = req.headers.first(name: .host).map { ["http://" + $0.lowercased(), "https://" + $0.lowercased()] } ?? []
        return origin.lowercased() == public_ || host.contains(origin.lowercased())
    }

    static func live(req: Request, socket: WebSocket) async {
        // `coverage` is nil for an OnSpot admin (every destination): that is an answer, not a failure.
        let covered: Set<UUID>?
        do { covered = try await CasePage.coverage(req) } catch {
            try? await socket.close(code: .policyViolation)
            return
        }
        guard sameOrigin(req), let user = try? req.user else {
            try? await socket.close(code: .policyViolation)
            return
        }
        let hub = req.application.liveHub
        let id = hub.add(
            socket, destinations: covered, userID: user.id, signedInAt: SessionClock.signedIn(req) ?? req.now,
            sessionID: req.session.id?.string)
        socket.onClose.whenComplete { _ in hub.remove(id) }
        // What the page says of its expert: which case is open, when they type. At most one of each a second per socket,
        // counted before the database is read, so a flooding page costs at most two reads a second; a "viewing" never
        // holds back the "typing" that follows it.
        let db = req.db
        let name = user.name
        let logger = req.logger
        let gate = PresenceGate()
        socket.onText { _, text async in
            guard let message = PresenceMessage(text), gate.admits(message.kind, at: AppClock.now) else { return }
            do {
                guard let event = try await presence(message, userID: user.id, name: name, covered: covered, on: db) else { return }
                hub.publish(destinationID: event.destinationID, event)
            } catch {
                logger.warning("presence not relayed: \(String(reflecting: error))")
            }
        }
        try? await socket.send(#"{"type":"hello","me":"\#(user.id?.uuidString ?? "")"}"#)
    }

    /// A page's presence message, `{"type":"viewing"|"typing","caseID":"…"}`; nil for anything else.
    struct PresenceMessage {
        enum Kind: String, Decodable { case viewing, typing }
        let kind: Kind
        let caseID: UUID

        init?(_ text: String) {
            struct Wire: Decodable { let type: Kind; let caseID: String }
            guard text.utf8.count <= 256, let wire = try? JSONDecoder().decode(Wire.self, from: Data(text.utf8)),
                let caseID = UUID(uuidString: wire.caseID)
            else { return nil }
            self.kind = wire.type
            self.caseID = caseID
        }
    }

    /// At most one message of each kind a second from one page; each kind counts on its own.
    final class PresenceGate: Sendable {
        private let last = NIOLockedValueBox<[PresenceMessage.Kind: Date]>([:])

        func admits(_ kind: PresenceMessage.Kind, at now: Date) -> Bool {
            last.withLockedValue { previous in
                guard now.timeIntervalSince(previous[kind] ?? .distantPast) >= 1 else { return false }
                previous[kind] = now
                return true
            }
        }
    }

    /// The event the other consoles of the case's destination receive; nil for a case this expert does not cover.
    static func presence(_ message: PresenceMessage, userID: UUID?, name: String, covered: Set<UUID>?, on db: any Database) async throws
        -> LiveEvent?
    {
        guard let record = try await CaseRecord.query(on: db).filter(\.$id == message.caseID).field(\.$id).field(\.$destinationID).first(),
            let destinationID = record.destinationID, covered.map({ $0.contains(destinationID) }) ?? true
        else { return nil }
        return LiveEvent(
            type: .presence, caseID: message.caseID, destinationID: destinationID, from: name, decision: message.kind.rawValue, userID: userID)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// A case's SLA deadlines, counted in its destination's opening hours from the moment it opened.
