import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's outgoing webhooks: endpoints, the delivery log and replays. Scoped to the agency like everything else.
enum AgencyWebhooksController {
    @Sendable static func page(req: Request) async throws -> Response {
        req.html(try await view(req, newSecret: nil, error: nil))
    }

    static func view(_ req: Request, newSecret: String?, error: String?) async throws -> HTML {
        let agencyID = try req.agencyID
        let endpoints = try await WebhookEndpointRecord.query(on: req.db).filter(\.$agencyID == agencyID).sort(\.$createdAt).all()
        let deliveries = try await WebhookDelivery.query(on: req.db).filter(\.$agencyID == agencyID).sort(\.$createdAt, .descending).limit(50).all()
        return AgencyWebhookViews.page(req: req, endpoints: endpoints, deliveries: deliveries, newSecret: newSecret, error: error)
    }

    @Sendable static func addEndpoint(req: Request) async throws -> Response {
        struct Form: Content { var url: String? }
        let agencyID = try req.agencyID
        let text = (try req.content.decode(Form.self).url ?? "").trimmingCharacters(in: .whitespaces)
        let production = req.onspot.mode == .production
        guard text.count <= 500, let url = URL(string: text), let scheme = url.scheme, url.host != nil,
            scheme == "https" || (scheme == "http" && !production)
        else {
            return req.html(
                try await view(req, newSecret: nil, error: L10n.t(production ? "webhook.error.https" : "webhook.error.url", req.language)),
                status: .unprocessableEntity)
        }
        // An address typed as such is checked now; names are checked at each delivery, after resolution.
        if let host = url.host, let literal = IPAddress(host), literal.isForbiddenDestination(allowingLoopback: req.onspot.allowLoopbackOutgoing) {
            return req.html(try await view(req, newSecret: nil, error: L10n.t("webhook.error.private", req.language)), status: .unprocessableEntity)
        }
        let endpoint = WebhookEndpointRecord()
        endpoint.agencyID = agencyID
        endpoint.url = text
        endpoint.secret = "whs_" + Tokens.random()
        endpoint.active = true
        endpoint.createdAt = req.now
        try await endpoint.create(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: try req.user.id, action: .webhookEndpointAdded,
            subjectType: "webhook_endpoint", subjectID: endpoint.id?.uuidString)
        return req.html(try await view(req, newSecret: endpoint.secret, error: nil), status: .created)
    }

    @Sendable static func deactivate(req: Request) async throws -> Response {
        guard let id = req.parameters.get("endpointID", as: UUID.self),
            let endpoint = try await WebhookEndpointRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        endpoint.active = false
        try await endpoint.save(on: req.db)
        return req.redirect(to: .agencyWebhooks)
    }

    @Sendable static func replay(req: Request) async throws -> Response {
        guard let id = req.parameters.get("deliveryID", as: UUID.self),
            let delivery = try await WebhookDelivery.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        delivery.status = .pending
        delivery.nextAttemptAt = req.now
        delivery.lastError = nil
        try await delivery.save(on: req.db)
        let app = req.application
        app.inBackground { _ = try? await AgencyWebhooks.deliver(delivery, app: app) }
        return req.redirect(to: .agencyWebhooks)
    }
}
