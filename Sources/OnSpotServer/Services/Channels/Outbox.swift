import Fluent
import SQLKit
import Foundation
import OnSpotCore
import Vapor

/// How replies reach Meta's Graph API. The live client posts over HTTP; tests run it against a stand-in server.
protocol GraphClient: Sendable {
    func post(url: String, token: String, json: Data) async throws -> (status: Int, body: Data)
    /// A GET with the page or system-user token (media lookups and downloads); nil token for public URLs.
    func get(url: String, token: String?, maximumBytes: Int) async throws -> (status: Int, body: Data, contentType: String?)
}

struct LiveGraphClient: GraphClient {
    let client: any Client
    /// Media URLs come from senders (Messenger attachments): fetched through the guard, never to private addresses.
    let guarded: GuardedHTTP

    func post(url: String, token: String, json: Data) async throws -> (status: Int, body: Data) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        headers.contentType = .json
        let response = try await client.post(URI(string: url), headers: headers) { req in
            req.body = ByteBuffer(data: json)
            // Well inside the claim's lease: a hung call never outlasts it (and is retried as "later").
            req.timeout = .seconds(20)
        }
        return (Int(response.status.code), response.body.map { Data($0.readableBytesView) } ?? Data())
    }

    func get(url: String, token: String?, maximumBytes: Int) async throws -> (status: Int, body: Data, contentType: String?) {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        let result = try await guarded.send(method: .GET, url: url, headers: headers, maximumBytes: maximumBytes)
        return (result.status, result.body, result.contentType)
    }
}

struct GraphClientKey: StorageKey { typealias Value = any GraphClient }

extension Application {
    var graph: any GraphClient {
        get { storage[GraphClientKey.self] ?? LiveGraphClient(client: client, guarded: GuardedHTTP(app: self)) }
        set { storage[GraphClientKey.self] = newValue }
    }
}

extension OutboxSender {
    /// Stores an outbound message and its outbox entry together; the sender delivers it.
    /// `marker` ties an automatic reply to what it answers (an out-of-hours reply to its closure).
    static func enqueue(
        conversationID: UUID, channel: MessagingChannel, endpoint: ChannelEndpoint, kind: OutboundMessageKind, body: String?,
        payload: Data, marker: String? = nil, authorID: UUID? = nil, on db: any Database
    ) async throws
        -> (MessageRecord, OutboxEntry)
    {
        let message = MessageRecord()
        message.conversationID = conversationID
        message.direction = .outbound
        message.channel = channel
        message.kind = kind.rawValue
        message.body = body
        message.media = marker
        message.status = .queued
        message.authorID = authorID
        message.createdAt = AppClock.now
        try await message.create(on: db)
        let entry = OutboxEntry()
        entry.messageID = try message.requireID()
        entry.endpointID = try endpoint.requireID()
        entry.channel = channel
        entry.payload = payload
        entry.status = .pending
        entry.attempts = 0
        entry.nextAttemptAt = AppClock.now
        entry.createdAt = AppClock.now
        try await entry.create(on: db)
        return (message, entry)
    }
}

/// Delivers the outbox: due entries are posted, provider errors decide between retrying later, failing the message
/// and alerting an admin. A message is never sent twice: an entry leaves `pending` only once.
public enum OutboxSender {
    /// Claims due entries twenty at a time (other workers take other rows; a worker that dies delays at most twenty
    /// replies by the lease) and sends them in the order they were queued, until `limit` are done or none is due.
    public static func runDue(app: Application, limit: Int = 500) async throws -> Int {
        var delivered = 0, done = 0
        while done < limit, !app.backgroundWork.isStopped {
            let pending = OutboxStatus.pending.rawValue
            let (claim, entries) = try await Lease.claimRows(
                OutboxEntry.self, due: "status = \(bind: pending) AND next_attempt_at <= \(bind: AppClock.now)",
                order: "next_attempt_at, created_at", limit: min(20, limit - done), on: app.db)
            guard !claim.ids.isEmpty else { break }
            done += claim.ids.count
            let background = app.backgroundWork
            delivered += try await Lease.workThrough(entries, of: claim, pending: pending, on: app.db, givingBackWhen: { background.isStopped }) {
                try await send($0, app: app)
            }
        }
        return delivered
    }

    static func claim(_ entry: OutboxEntry, on db: any Database) async throws -> OutboxEntry? {
        guard let id = entry.id, try await Lease.claim(table: OutboxEntry.schema, id: id, pending: OutboxStatus.pending.rawValue, on: db) != nil
        else { return nil }
        return try await OutboxEntry.find(id, on: db)
    }

    /// Sends one entry at once (a reply just queued), if no worker has claimed it.
    @discardableResult
    static func deliver(_ candidate: OutboxEntry, app: Application) async throws -> Bool {
        guard let entry = try await claim(candidate, on: app.db) else { return false }
        return try await send(entry, app: app)
    }

    /// Posts a claimed entry and records the outcome.
    private static func send(_ entry: OutboxEntry, app: Application) async throws -> Bool {
        guard let endpoint = try await ChannelEndpoint.find(entry.endpointID, on: app.db),
            let message = try await MessageRecord.find(entry.messageID, on: app.db)
        else { return false }
        let base = app.onspot.graphBaseURL
        let url = entry.channel == .whatsapp ? "\(base)/\(endpoint.externalID)/messages" : "\(base)/me/messages"
        let outcome: GraphOutcome
        do {
            let (status, body) = try await app.graph.post(url: url, token: endpoint.accessToken ?? "", json: entry.payload)
            outcome = GraphOutcome.classify(status: status, body: body)
        } catch {
            outcome = .retryLater(code: nil)
        }
        entry.attempts += 1
        switch outcome {
        case .accepted(let id):
            entry.status = .sent
            entry.lastError = nil
            message.providerMessageID = id
            message.status = .accepted
            message.sentAt = AppClock.now
        case .retryLater(let code):
            entry.nextAttemptAt = AppClock.now.addingTimeInterval(GraphOutcome.backoff(attempt: entry.attempts))
            entry.lastError = "retry later\(code.map { " (\($0))" } ?? "")"
        case .undeliverable(let code), .windowClosed(let code):
            entry.status = .failed
            entry.lastError = "\(code)"
            message.status = .failed
            message.failedReason = outcome == .undeliverable(code: code) ? "\(code) undeliverable" : "\(code) outside the messaging window"
        case .tokenExpired:
            // The channel cannot send until an admin renews the token: keep the reply, wait an hour, tell the admins.
            entry.nextAttemptAt = AppClock.now.addingTimeInterval(3600)
            entry.lastError = "access token expired"
            try await alertAdmins(endpoint: endpoint, on: app.db)
        case .rejected(let code, let text):
            entry.status = .failed
            entry.lastError = "\(code.map(String.init) ?? "-") \(text)"
            message.status = .failed
            message.failedReason = entry.lastError
        }
        try await app.db.transaction { db in
            try await entry.save(on: db)
            try await message.save(on: db)
        }
        return true
    }

    static func alertAdmins(endpoint: ChannelEndpoint, on db: any Database) async throws {
        let recent = try await NotificationRecord.query(on: db).filter(\.$kind == .channelTokenExpired)
            .filter(\.$subject == "Token expired: \(endpoint.channel) \(endpoint.externalID)")
            .filter(\.$createdAt > AppClock.now.addingTimeInterval(-3600)).count()
        guard recent == 0 else { return }
        for admin in try await User.query(on: db).filter(\.$role == Role.onspotAdmin).filter(\.$active == true).all() {
            let n = NotificationRecord()
            n.userID = admin.id
            n.kind = .channelTokenExpired
            n.channel = .portal
            n.recipient = admin.email
            n.subject = "Token expired: \(endpoint.channel) \(endpoint.externalID)"
            n.body = "Replies on this channel wait until a new access token is saved on the destination's page."
            n.status = .pending
            n.attempts = 0
            n.createdAt = AppClock.now
            try await n.create(on: db)
        }
    }

    /// While serving, due replies are delivered every two seconds.
    public static func startSending(_ app: Application, every seconds: Int64 = 2) {
        app.repeatInBackground(every: seconds, after: 1, name: "outbox run") { _ = try await runDue(app: app) }
    }
}
