import Fluent
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
        let lastMessage: String
        let lastAt: Date?
        let clocks: SLAClocks?
    }

    /// Cases per page of the queue: the oldest (most urgent) first.
    static let queuePageSize = 50

    @Sendable static func queue(req: Request) async throws -> Response {
        let covered = try await CasePage.coverage(req)
        let statusFilter = req.query[String.self, at: "status"].flatMap(CaseStatus.init(rawValue:)).flatMap { $0.isOpen ? $0 : nil }
        let destinationFilter = req.query[String.self, at: "destination"]
        let languageFilter = req.query[String.self, at: "language"].flatMap(Language.init(rawValue:))
        let request = PageRequest(clamping: (try? req.query.get(Int.self, at: "page")) ?? 1, perPage: queuePageSize)
        var destinations = try await DestinationRecord.query(on: req.db).sort(\.$name).all()
        if let covered { destinations = destinations.filter { covered.contains($0.id!) } }
        var scope = covered.map { Array($0) }
        if let code = destinationFilter, let d = destinations.first(where: { $0.code == code }), let id = d.id { scope = [id] }
        // Every open case of the queue as two columns, then whole rows for one page only.
        var open = try await openCases(statuses: statusFilter.map { [$0] } ?? CaseStatus.open, destinations: scope, on: req.db)
        if let languageFilter {
            let speaking = Set(
                try await Traveller.query(on: req.db).filter(\.$id ~~ open.compactMap(\.travellerID)).filter(\.$language == languageFilter)
                    .all(\.$id))
            open = open.filter { $0.travellerID.map(speaking.contains) == true }
        }
        let pageIDs = Array(open.dropFirst(request.range.lowerBound).prefix(request.perPage).map(\.id))
        let cases = try await CaseRecord.query(on: req.db).filter(\.$id ~~ pageIDs).sort(\.$openedAt).sort(\.$id).all()
        let rows = try await rows(for: cases, destinations: destinations, on: req.db)
        return req.html(
            ConsoleViews.queue(
                req: req, rows: rows, destinations: destinations, filters: (statusFilter, destinationFilter, languageFilter),
                page: request.page, pages: PageRequest.pageCount(total: open.count, perPage: request.perPage), total: open.count))
    }

    struct OpenCase: Decodable {
        let id: UUID
        let travellerID: UUID?
        enum CodingKeys: String, CodingKey { case id, travellerID = "traveller_id" }
    }

    /// The queue's cases in `statuses` and `destinations` (nil: all), oldest first, as ids only.
    static func openCases(statuses: [CaseStatus], destinations: [UUID]?, on db: any Database) async throws -> [OpenCase] {
        guard let sql = db as? any SQLDatabase else { return [] }
        if let destinations, destinations.isEmpty { return [] }
        let query = sql.select().column("id").column("traveller_id").from(CaseRecord.schema)
            .where("status", .in, SQLBind.group(statuses.map(\.rawValue)))
        if let destinations { query.where("destination_id", .in, SQLBind.group(destinations)) }
        return try await query.orderBy("opened_at").orderBy("id").all(decoding: OpenCase.self)
    }

    private struct QueuedTraveller: Decodable {
        let id: UUID
        let firstName: String
        let lastName: String
        enum CodingKeys: String, CodingKey { case id, firstName = "first_name", lastName = "last_name" }
    }

    private struct QueuedConversation: Decodable {
        let id: UUID
        let channel: String
        let externalUserID: String
        enum CodingKeys: String, CodingKey { case id, channel, externalUserID = "external_user_id" }
    }

    private struct AgencyPlan: Decodable {
        let id: UUID
        let planID: UUID
        enum CodingKeys: String, CodingKey { case id, planID = "plan_id" }
    }

    /// Names, last messages and service levels of a page of cases in a fixed number of queries, not one per case,
    /// each reading only the columns the queue shows (whole travellers, conversations and agencies cost a third of
    /// the page's time at a realistic size).
    static func rows(for cases: [CaseRecord], destinations: [DestinationRecord], on db: any Database) async throws -> [QueueRow] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let travellerIDs = Set(cases.compactMap(\.travellerID))
        let travellers =
            travellerIDs.isEmpty
            ? [:]
            : Dictionary(
                try await sql.select().column("id").column("first_name").column("last_name").from(Traveller.schema)
                    .where("id", .in, Array(travellerIDs)).all(decoding: QueuedTraveller.self).map { ($0.id, "\($0.firstName) \($0.lastName)") }
            ) { a, _ in a }
        let conversationIDs = cases.compactMap(\.conversationID)
        let conversations =
            conversationIDs.isEmpty
            ? [:]
            : Dictionary(
                try await sql.select().column("id").column("channel").column("external_user_id").from(Conversation.schema)
                    .where("id", .in, conversationIDs).all(decoding: QueuedConversation.self).map { ($0.id, $0) }
            ) { a, _ in a }
        let last = try await lastInbound(of: conversationIDs, on: db)
        let byID = Dictionary(uniqueKeysWithValues: destinations.compactMap { d in d.id.map { ($0, d) } })
        let agencyIDs = Set(cases.compactMap(\.agencyID))
        let agencyPlans =
            agencyIDs.isEmpty
            ? []
            : try await sql.select().column("id").column("plan_id").from(Agency.schema).where("id", .in, Array(agencyIDs))
                .all(decoding: AgencyPlan.self)
        let plans = Dictionary(uniqueKeysWithValues: try await PlanRecord.query(on: db).all().compactMap { p in p.id.map { ($0, p.code) } })
        let byPlan = Dictionary(uniqueKeysWithValues: try await ServiceLevelRecord.query(on: db).all().map { ($0.planCode, $0.level) })
        let levels = Dictionary(uniqueKeysWithValues: agencyPlans.map { ($0.id, plans[$0.planID].flatMap { byPlan[$0] } ?? .unidentified) })
        return cases.map { c in
            let conversation = c.conversationID.flatMap { conversations[$0] }
            let m = c.conversationID.flatMap { last[$0] }
            return QueueRow(
                record: c, destination: c.destinationID.flatMap { byID[$0] },
                who: c.travellerID.flatMap { travellers[$0] } ?? conversation.map { "? \($0.channel) \($0.externalUserID)" } ?? "?",
                lastMessage: String((m?.body ?? "").prefix(120)), lastAt: m?.createdAt,
                clocks: c.destinationID.flatMap { byID[$0] }.map {
                    SLAClocks(c, level: c.agencyID.flatMap { levels[$0] } ?? .unidentified, destination: $0)
                })
        }
    }

    struct LastMessage: Decodable {
        let conversationID: UUID
        let body: String?
        let createdAt: Date
        enum CodingKeys: String, CodingKey { case conversationID = "conversation_id", body, createdAt = "created_at" }
    }

    /// The latest message each traveller wrote, one row per conversation (the index on conversation and time finds
    /// it), rather than every message of every queued conversation.
    static func lastInbound(of conversationIDs: [UUID], on db: any Database) async throws -> [UUID: LastMessage] {
        guard let sql = db as? any SQLDatabase, !conversationIDs.isEmpty else { return [:] }
        let inbound = MessageDirection.inbound.rawValue
        let rows = try await sql.raw(
            """
            SELECT m.conversation_id, m.body, m.created_at FROM messages m \
            WHERE m.conversation_id IN \(SQLBind.group(conversationIDs)) AND m.direction = \(bind: inbound) \
            AND m.created_at = (SELECT MAX(l.created_at) FROM messages l WHERE l.conversation_id = m.conversation_id AND l.direction = \(bind: inbound))
            """
        ).all(decoding: LastMessage.self)
        return Dictionary(rows.map { ($0.conversationID, $0) }) { a, _ in a }
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
        var data = args
        data["caseID"] = record.id?.uuidString ?? ""
        data["resolvedAt"] = LocalDateTime.iso8601(record.resolvedAt ?? req.now, in: agency.zone)
        data.removeValue(forKey: "when")
        try await AgencyWebhooks.enqueue(agencyID: agencyID, type: "case.resolved", data: data, on: req.db)
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
        guard sameOrigin(req), let covered = try? await CasePage.coverage(req), let user = try? req.user else {
            try? await socket.close(code: .policyViolation)
            return
        }
        let hub = req.application.liveHub
        let id = hub.add(
            socket, destinations: covered, userID: user.id, signedInAt: SessionClock.signedIn(req) ?? req.now,
            sessionID: req.session.id?.string)
        socket.onClose.whenComplete { _ in hub.remove(id) }
        try? await socket.send(#"{"type":"hello"}"#)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// A case's SLA deadlines, counted in its destination's opening hours from the moment it opened.
