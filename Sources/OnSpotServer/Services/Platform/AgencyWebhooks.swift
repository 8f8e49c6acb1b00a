import Crypto
import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Signed webhooks to agencies' systems (channels.md): a delivery id, a timestamp and an HMAC-SHA256 over
/// "timestamp.body" in headers; retries with exponential backoff; a log the agency reads and replays.
enum AgencyWebhooks {
    static let maximumAttempts = 8

    static func signature(secret: String, timestamp: Int, body: Data) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + WebhookSignatures.hex(mac)
    }

    /// The `OnSpot-Signature` header: the current secret's signature, then, while a rotation's overlap lasts, the
    /// previous secret's, comma-separated, so a receiver still holding the old secret keeps verifying.
    static func signatures(for endpoint: WebhookEndpointRecord, timestamp: Int, body: Data, now: Date) -> String {
        var values = [signature(secret: endpoint.secret, timestamp: timestamp, body: body)]
        if let previous = endpoint.previousSecret, let until = endpoint.previousSecretExpiresAt, now < until {
            values.append(signature(secret: previous, timestamp: timestamp, body: body))
        }
        return values.joined(separator: ",")
    }

    /// Queues the event for every active endpoint of the agency.
    static func enqueue(agencyID: UUID, _ event: WebhookEvent, on db: any Database) async throws {
        let endpoints = try await WebhookEndpointRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$active == true).all()
        for endpoint in endpoints {
            let id = UUID()
            let delivery = WebhookDelivery()
            delivery.id = id
            let envelope: [String: Any] = [
                "id": id.uuidString, "type": event.type.rawValue, "createdAt": LocalDateTime.iso8601(AppClock.now, in: .gmt),
                "data": event.data
            ]
            delivery.agencyID = agencyID
            delivery.endpointID = endpoint.id
            delivery.eventType = event.type.rawValue
            delivery.payload = String(decoding: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]), as: UTF8.self)
            delivery.status = .pending
            delivery.attempts = 0
            delivery.nextAttemptAt = AppClock.now
            delivery.createdAt = AppClock.now
            try await delivery.create(on: db)
        }
    }

    /// Endpoints concurrently: one agency's slow or dead receiver (up to its timeouts, each delivery in turn) never delays
    /// another agency's deliveries.
    static func runDue(app: Application, limit: Int = 100, concurrentEndpoints: Int = 16) async throws -> Int {
        let pending = WebhookDeliveryStatus.pending.rawValue
        let (claim, due) = try await Lease.claimRows(
            WebhookDelivery.self, due: "status = \(bind: pending) AND next_attempt_at <= \(bind: AppClock.now)",
            order: "next_attempt_at, created_at", limit: limit, on: app.db)
        guard !due.isEmpty else { return 0 }
        let background = app.backgroundWork
        let byEndpoint = Dictionary(grouping: due) { $0.endpointID ?? UUID() }.values.map { $0 }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0, delivered = 0
            func startNext() {
                guard next < byEndpoint.count else { return }
                let batch = byEndpoint[next]
                next += 1
                group.addTask {
                    try await Lease.workThrough(batch, of: claim, pending: pending, on: app.db, givingBackWhen: { background.isStopped }) {
                        try await send($0, app: app)
                    }
                }
            }
            for _ in 0..<concurrentEndpoints { startNext() }
            while let count = try await group.next() {
                delivered += count
                startNext()
            }
            return delivered
        }
    }

    /// Delivers one delivery at once (just queued), if no worker has claimed it.
    static func deliver(_ candidate: WebhookDelivery, app: Application) async throws -> Bool {
        guard let id = candidate.id,
            try await Lease.claim(table: WebhookDelivery.schema, id: id, pending: WebhookDeliveryStatus.pending.rawValue, on: app.db) != nil,
            let delivery = try await WebhookDelivery.find(id, on: app.db)
        else { return false }
        return try await send(delivery, app: app)
    }

    /// Posts a claimed delivery, signed, and records the outcome.
    private static func send(_ delivery: WebhookDelivery, app: Application) async throws -> Bool {
        guard let id = delivery.id,
            let endpoint = try await delivery.endpointID.asyncMap({ try await WebhookEndpointRecord.find($0, on: app.db) }) ?? nil
        else { return false }
        // A deactivated endpoint receives nothing, whatever was queued for it before.
        guard endpoint.active else {
            delivery.status = .failed
            delivery.lastError = "endpoint deactivated"
            delivery.nextAttemptAt = nil
            try await delivery.save(on: app.db)
            return false
        }
        let body = Data(delivery.payload.utf8)
        let timestamp = Int(AppClock.now.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "OnSpot-Delivery", value: id.uuidString)
        headers.replaceOrAdd(name: "OnSpot-Timestamp", value: String(timestamp))
        headers.replaceOrAdd(name: "OnSpot-Signature", value: signatures(for: endpoint, timestamp: timestamp, body: body, now: AppClock.now))
        var code: Int?
        var failure: String?
        do {
            // Through the guard: no private or metadata address, timeouts, at most 64 KB of answer read.
            let response = try await GuardedHTTP(app: app).send(
                method: .POST, url: endpoint.url, headers: headers, body: body, maximumBytes: 64 * 1024)
            code = response.status
        } catch {
            failure = String(String(describing: error).prefix(300))
        }
        delivery.attempts += 1
        delivery.lastResponseCode = code
        if let code, (200..<300).contains(code) {
            delivery.status = .delivered
            delivery.deliveredAt = AppClock.now
            delivery.lastError = nil
        } else if delivery.attempts >= maximumAttempts {
            delivery.status = .failed
            delivery.lastError = failure ?? "HTTP \(code ?? 0)"
        } else {
            delivery.nextAttemptAt = AppClock.now.addingTimeInterval(GraphOutcome.backoff(attempt: delivery.attempts))
            delivery.lastError = failure ?? "HTTP \(code ?? 0)"
        }
        try await delivery.save(on: app.db)
        return delivery.status == .delivered
    }

    static func startDelivering(_ app: Application, every seconds: Int64 = 5) {
        app.repeatInBackground(every: seconds, after: 2, name: "agency webhooks") { _ = try await runDue(app: app) }
    }
}

public func startAgencyWebhooks(_ app: Application) { AgencyWebhooks.startDelivering(app) }
