import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's outgoing webhooks: endpoints, the delivery log and replays. Scoped to the agency like everything else;
/// the API's `/webhook-endpoints` does the same through `WebhookEndpoints`.
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
        let checked = WebhookEndpoints.checkedAddress(
            try req.content.decode(Form.self).url ?? "", production: req.onspot.mode == .production,
            allowingLoopback: req.onspot.allowLoopbackOutgoing)
        let added: Result<WebhookEndpointRecord, WebhookEndpoints.AddressProblem>
        switch checked {
        case .success(let address):
            added = try await WebhookEndpoints.add(
                agencyID: agencyID, address: address, actor: try req.user.id, via: "portal", now: req.now, on: req.db)
        case .failure(let problem): added = .failure(problem)
        }
        switch added {
        case .success(let endpoint): return req.html(try await view(req, newSecret: endpoint.secret, error: nil), status: .created)
        case .failure(let problem):
            return req.html(try await view(req, newSecret: nil, error: L10n.t(problem.messageKey, req.language)), status: .unprocessableEntity)
        }
    }

    @Sendable static func rotateSecret(req: Request) async throws -> Response {
        struct Form: Content { var overlapHours: String? }
        let endpoint = try await requireEndpoint(req)
        guard endpoint.active else {
            return req.html(try await view(req, newSecret: nil, error: L10n.t("webhook.error.inactive", req.language)), status: .conflict)
        }
        let text = try req.content.decode(Form.self).overlapHours ?? "24"
        guard text.count <= 3, let hours = Int(text), WebhookEndpoints.overlapHours.contains(hours) else {
            return req.html(try await view(req, newSecret: nil, error: L10n.t("error.choice", req.language)), status: .unprocessableEntity)
        }
        do {
            let secret = try await WebhookEndpoints.rotateSecret(
                of: endpoint, overlapHours: hours, actor: try req.user.id, via: "portal", now: req.now, on: req.db)
            return req.html(try await view(req, newSecret: secret, error: nil))
        } catch is WebhookEndpoints.ChangedMeanwhile {
            return req.html(try await view(req, newSecret: nil, error: L10n.t("webhook.error.rotated_meanwhile", req.language)), status: .conflict)
        }
    }

    @Sendable static func deactivate(req: Request) async throws -> Response {
        let endpoint = try await requireEndpoint(req)
        try await WebhookEndpoints.deactivate(endpoint, actor: try req.user.id, via: "portal", now: req.now, on: req.db)
        return req.redirect(to: .agencyWebhooks)
    }

    @Sendable static func replay(req: Request) async throws -> Response {
        guard let id = req.parameters.get("deliveryID", as: UUID.self),
            let delivery = try await WebhookDelivery.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        try await WebhookEndpoints.replay(delivery, actor: try req.user.id, via: "portal", now: req.now, on: req.db)
        WebhookEndpoints.sendSoon(delivery, app: req.application)
        return req.redirect(to: .agencyWebhooks)
    }

    static func requireEndpoint(_ req: Request) async throws -> WebhookEndpointRecord {
        guard let id = req.parameters.get("endpointID", as: UUID.self),
            let endpoint = try await WebhookEndpointRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return endpoint
    }
}
