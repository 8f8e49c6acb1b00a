import Fluent
import Foundation
import SQLKit
import OnSpotCore
import Vapor

/// An agency's webhook endpoints, managed the same way from the portal's page and from the API: adding one (its
/// address checked), rotating its secret with an overlap, turning it off, replaying a delivery.
enum WebhookEndpoints {
    static let lockNamespace = 7_300_001

    /// Each event is posted to every active endpoint: a bound keeps one event's fan-out small.
    static let maximumActive = 16
    /// How long a rotated-out secret may keep signing beside the new one.
    static let overlapHours = 0...72

    /// Why an address cannot take deliveries; `messageKey` is the portal's text for it.
    enum AddressProblem: Error, Equatable {
        case notHTTP, notHTTPS, privateNetwork, tooMany

        var messageKey: String {
            switch self {
            case .notHTTP: "webhook.error.url"
            case .notHTTPS: "webhook.error.https"
            case .privateNetwork: "webhook.error.private"
            case .tooMany: "webhook.error.too_many"
            }
        }
    }

    /// The address as it will be called: at most 500 characters, absolute, https (http outside production), and not an
    /// address literal of a private or reserved network (names are checked at each delivery, once resolved).
    static func checkedAddress(_ raw: String, production: Bool, allowingLoopback: Bool) -> Result<String, AddressProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.count <= 500, let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            scheme == "https" || scheme == "http"
        else { return .failure(production ? .notHTTPS : .notHTTP) }
        if production, scheme != "https" { return .failure(.notHTTPS) }
        if let literal = IPAddress(host), literal.isForbiddenDestination(allowingLoopback: allowingLoopback) { return .failure(.privateNetwork) }
        return .success(text)
    }

    /// Counted and written under the agency's lock (an advisory lock on PostgreSQL, the write lock on SQLite), so
    /// creations sent at once cannot pass the bound together.
    static func add(
        agencyID: UUID, address: String, actor: UUID?, via: String, now: Date, on db: any Database
    ) async throws -> Result<WebhookEndpointRecord, AddressProblem> {
        try await db.transaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                // Its own namespace (the two-key form), apart from the audit chain's, billing's and sign-in's locks.
                try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(lockNamespace)), hashtext(\(bind: agencyID.uuidString)))").run()
            } else {
                try await takeSQLiteWriteLock(on: db)
            }
            let active = try await WebhookEndpointRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$active == true).count()
            guard active < maximumActive else { return .failure(.tooMany) }
            let endpoint = WebhookEndpointRecord()
            endpoint.agencyID = agencyID
            endpoint.url = address
            endpoint.secret = newSecret()
            endpoint.active = true
            endpoint.createdAt = now
            try await endpoint.create(on: db)
            try await AuditLog.record(
                on: db, agencyID: agencyID, actor: actor, action: .webhookEndpointAdded, subjectType: "webhook_endpoint",
                subjectID: endpoint.id?.uuidString, detail: ["via": via])
            return .success(endpoint)
        }
    }

    /// Another rotation (or a deactivation) changed the endpoint since it was read.
    struct ChangedMeanwhile: Error {}

    /// A new secret at once; the previous one keeps signing beside it for `overlapHours` (0: stops at once), so the
    /// agency can deploy the new secret without losing a delivery. A rotation during an earlier one's overlap ends that
    /// overlap: the header carries two signatures at most. Written only over the secret that was read, so two rotations
    /// at once cannot both answer a secret (the second gets `ChangedMeanwhile`). Returns the new secret, shown once.
    static func rotateSecret(
        of endpoint: WebhookEndpointRecord, overlapHours: Int, actor: UUID?, via: String, now: Date, on db: any Database
    ) async throws -> String {
        guard let sql = db as? any SQLDatabase, let id = endpoint.id else { throw ChangedMeanwhile() }
        let read = endpoint.secret
        let secret = newSecret()
        let until = overlapHours > 0 ? now.addingTimeInterval(Double(overlapHours) * 3600) : nil
        let rows = try await sql.update(WebhookEndpointRecord.schema)
            .set("secret", to: SQLBind(secret))
            .set("previous_secret", to: overlapHours > 0 ? SQLBind(read) as any SQLExpression : SQLLiteral.null)
            .set("previous_secret_expires_at", to: until.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("secret_rotated_at", to: SQLBind(now))
            .where("id", .equal, id).where("secret", .equal, read).where("active", .equal, true)
            .returning("id").all()
        guard !rows.isEmpty else { throw ChangedMeanwhile() }
        endpoint.previousSecret = overlapHours > 0 ? read : nil
        endpoint.previousSecretExpiresAt = until
        endpoint.secret = secret
        endpoint.secretRotatedAt = now
        try await AuditLog.record(
            on: db, agencyID: endpoint.agencyID, actor: actor, action: .webhookSecretRotated, subjectType: "webhook_endpoint",
            subjectID: id.uuidString, detail: ["via": via, "overlapHours": String(overlapHours)])
        return secret
    }

    /// Turned off for good: nothing more is queued for it, and what was queued fails as "endpoint deactivated".
    static func deactivate(_ endpoint: WebhookEndpointRecord, actor: UUID?, via: String, now: Date, on db: any Database) async throws {
        guard endpoint.active else { return }
        endpoint.active = false
        endpoint.deactivatedAt = now
        endpoint.previousSecret = nil
        endpoint.previousSecretExpiresAt = nil
        try await endpoint.save(on: db)
        try await AuditLog.record(
            on: db, agencyID: endpoint.agencyID, actor: actor, action: .webhookEndpointDeactivated, subjectType: "webhook_endpoint",
            subjectID: endpoint.id?.uuidString, detail: ["via": via])
    }

    /// Queues the delivery again, due now, whatever its state, as a fresh series of attempts; `sendSoon` then posts it
    /// without waiting for the next round (after the caller's transaction, if any, is committed).
    static func replay(_ delivery: WebhookDelivery, actor: UUID?, via: String, now: Date, on db: any Database) async throws {
        delivery.status = .pending
        delivery.nextAttemptAt = now
        delivery.lastError = nil
        delivery.attempts = 0
        try await delivery.save(on: db)
        try await AuditLog.record(
            on: db, agencyID: delivery.agencyID, actor: actor, action: .webhookDeliveryReplayed, subjectType: "webhook_delivery",
            subjectID: delivery.id?.uuidString, detail: ["via": via])
    }

    static func sendSoon(_ delivery: WebhookDelivery, app: Application) {
        app.inBackground { _ = try? await AgencyWebhooks.deliver(delivery, app: app) }
    }

    static func newSecret() -> String { "whs_" + Tokens.random() }
}
