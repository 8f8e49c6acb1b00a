import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1/webhook-endpoints` and `/api/v1/webhook-deliveries` (issue 16): the portal's webhooks page through the
/// API — add an endpoint (its secret answered once), rotate its secret with an overlap, turn it off, read the delivery
/// log and replay a delivery. Everything is the key's agency's; another agency's ids are 404.
enum ApiWebhooksController {
    struct EndpointInput: Content {
        var url: String?
    }

    struct RotationInput: Content {
        /// How long the previous secret keeps signing beside the new one, 0 to 72 hours; 24 when absent.
        var previousSecretExpiresInHours: Int?
    }

    struct EndpointOutput: Content {
        var id: UUID
        var url: String
        var active: Bool
        var createdAt: String
        var deactivatedAt: String?
        var secretRotatedAt: String?
        var previousSecretExpiresAt: String?
        /// Only in the answers that create it: on creation and on rotation.
        var secret: String?
    }

    struct EndpointListOutput: Content {
        var items: [EndpointOutput]
    }

    /// The event as it was posted: the body the endpoint received.
    struct EventOutput: Content {
        var id: String
        var type: String
        var createdAt: String
        var data: [String: String]
    }

    struct DeliveryOutput: Content {
        var id: UUID
        var endpointID: UUID?
        var type: String
        /// pending, delivered or failed.
        var status: String
        var attempts: Int
        var lastResponseCode: Int?
        var lastError: String?
        var createdAt: String
        var nextAttemptAt: String?
        var deliveredAt: String?
        /// Absent once the retention period has erased the payload.
        var event: EventOutput?
    }

    struct DeliveryPageOutput: Content {
        var items: [DeliveryOutput]
        var next: String?
    }

    static let pageSizes = 1...100
    static let deliveryFilters = ["endpoint", "status", "type", "limit"]

    // MARK: Endpoints

    @Sendable static func listEndpoints(req: Request) async throws -> EndpointListOutput {
        let agencyID = try req.apiAgency.requireID()
        let endpoints = try await WebhookEndpointRecord.query(on: req.db).filter(\.$agencyID == agencyID).sort(\.$createdAt).sort(\.$id).all()
        return EndpointListOutput(items: endpoints.map { output($0, now: req.now) })
    }

    @Sendable static func showEndpoint(req: Request) async throws -> EndpointOutput {
        output(try await requireEndpoint(req), now: req.now)
    }

    @Sendable static func createEndpoint(req: Request) async throws -> Response {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        let lang = ApiTripsController.messageLanguage(req, agency)
        let input = try req.content.decode(EndpointInput.self)
        let production = req.onspot.mode == .production
        guard let raw = input.url, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw addressProblem(production ? .notHTTPS : .notHTTP, lang)
        }
        let address: String
        switch WebhookEndpoints.checkedAddress(raw, production: production, allowingLoopback: req.onspot.allowLoopbackOutgoing) {
        case .success(let checked): address = checked
        case .failure(let problem): throw addressProblem(problem, lang)
        }
        let now = req.now
        let response = try await ApiIdempotency.once(req, agencyID: agencyID, scope: "POST /webhook-endpoints", status: .created) { db in
            switch try await WebhookEndpoints.add(agencyID: agencyID, address: address, actor: nil, via: "api", now: now, on: db) {
            case .success(let endpoint):
                var out = output(endpoint, now: now)
                out.secret = endpoint.secret
                return try JSONEncoder.sorted.encode(out)
            case .failure(let problem): throw addressProblem(problem, lang)
            }
        }
        return ApiIdempotency.locating(response, in: "/api/v1/webhook-endpoints")
    }

    @Sendable static func rotateSecret(req: Request) async throws -> Response {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        let lang = ApiTripsController.messageLanguage(req, agency)
        let endpoint = try await requireEndpoint(req)
        // The body is optional: none at all means the default overlap.
        let hasBody = (req.body.data?.readableBytes ?? 0) > 0
        let hours = hasBody ? try req.content.decode(RotationInput.self).previousSecretExpiresInHours ?? 24 : 24
        guard WebhookEndpoints.overlapHours.contains(hours) else {
            throw ApiTripsController.validationProblem([
                FieldError(field: "previousSecretExpiresInHours", message: "A whole number of hours from 0 to 72.")
            ])
        }
        let id = try endpoint.requireID()
        let now = req.now
        return try await ApiIdempotency.once(req, agencyID: agencyID, scope: "POST /webhook-endpoints/\(id)/rotate-secret", status: .ok) { db in
            // Read again inside the transaction: two rotations one after the other each keep the secret before them.
            guard let current = try await WebhookEndpointRecord.find(id, on: db) else { throw notFound("Webhook endpoint") }
            guard current.active else { throw deactivatedProblem(lang) }
            let secret: String
            do {
                secret = try await WebhookEndpoints.rotateSecret(of: current, overlapHours: hours, actor: nil, via: "api", now: now, on: db)
            } catch is WebhookEndpoints.ChangedMeanwhile {
                throw Problem(.conflict, "rotated-meanwhile", "Rotated meanwhile", detail: L10n.t("webhook.error.rotated_meanwhile", lang))
            }
            var out = output(current, now: now)
            out.secret = secret
            return try JSONEncoder.sorted.encode(out)
        }
    }

    /// Turning an endpoint off twice is the same as once: the second answer is the same endpoint.
    @Sendable static func deactivateEndpoint(req: Request) async throws -> EndpointOutput {
        let endpoint = try await requireEndpoint(req)
        try await WebhookEndpoints.deactivate(endpoint, actor: nil, via: "api", now: req.now, on: req.db)
        return output(endpoint, now: req.now)
    }

    // MARK: Deliveries

    @Sendable static func listDeliveries(req: Request) async throws -> DeliveryPageOutput {
        let agencyID = try req.apiAgency.requireID()
        let query = WebhookDelivery.query(on: req.db).filter(\.$agencyID == agencyID)
        var errors: [FieldError] = []
        if let text = req.query[String.self, at: "endpoint"] {
            if let id = UUID(uuidString: text) {
                query.filter(\.$endpointID == id)
            } else {
                errors.append(FieldError(field: "endpoint", message: "An endpoint id."))
            }
        }
        if let text = req.query[String.self, at: "status"] {
            if let status = WebhookDeliveryStatus(rawValue: text) {
                query.filter(\.$status == status)
            } else {
                errors.append(FieldError(field: "status", message: "One of pending, delivered, failed."))
            }
        }
        if let text = req.query[String.self, at: "type"] {
            if let type = WebhookEventType(rawValue: text) {
                query.filter(\.$eventType == type.rawValue)
            } else {
                errors.append(FieldError(field: "type", message: "One of \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        let limit = try ApiTripsController.pageParameter(req, "limit", default: 25, range: pageSizes)
        let (page, next) = try await ApiCursor.page(
            query, owned: WebhookDelivery.query(on: req.db).filter(\.$agencyID == agencyID), newestBy: \.$createdAt, limit: limit,
            errors: errors, path: "/api/v1/webhook-deliveries", filterNames: deliveryFilters, req: req)
        return DeliveryPageOutput(items: page.map(output), next: next)
    }

    @Sendable static func showDelivery(req: Request) async throws -> DeliveryOutput {
        output(try await requireDelivery(req))
    }

    /// Sent again now as a fresh series of attempts; 409 when its endpoint was turned off (nothing would be sent).
    @Sendable static func replayDelivery(req: Request) async throws -> Response {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        let lang = ApiTripsController.messageLanguage(req, agency)
        let delivery = try await requireDelivery(req)
        let id = try delivery.requireID()
        let endpointID = delivery.endpointID
        let now = req.now
        let response = try await ApiIdempotency.once(req, agencyID: agencyID, scope: "POST /webhook-deliveries/\(id)/replay", status: .accepted) {
            db in
            guard let current = try await WebhookDelivery.find(id, on: db) else { throw notFound("Webhook delivery") }
            guard let endpointID, let endpoint = try await WebhookEndpointRecord.find(endpointID, on: db), endpoint.active else {
                throw deactivatedProblem(lang)
            }
            try await WebhookEndpoints.replay(current, actor: nil, via: "api", now: now, on: db)
            return try JSONEncoder.sorted.encode(output(current))
        }
        if response.headers.first(name: "Idempotent-Replayed") == nil { WebhookEndpoints.sendSoon(delivery, app: req.application) }
        return response
    }

    // MARK: Shared

    static func output(_ e: WebhookEndpointRecord, now: Date) -> EndpointOutput {
        let utc = TimeZone.gmt
        func time(_ date: Date?) -> String? { date.map { LocalDateTime.iso8601($0, in: utc) } }
        let overlap = e.previousSecretExpiresAt.flatMap { $0 > now && e.active ? $0 : nil }
        return EndpointOutput(
            id: e.id ?? UUID(), url: e.url, active: e.active, createdAt: LocalDateTime.iso8601(e.createdAt, in: utc),
            deactivatedAt: time(e.deactivatedAt), secretRotatedAt: time(e.secretRotatedAt), previousSecretExpiresAt: time(overlap), secret: nil)
    }

    static func output(_ d: WebhookDelivery) -> DeliveryOutput {
        let utc = TimeZone.gmt
        func time(_ date: Date?) -> String? { date.map { LocalDateTime.iso8601($0, in: utc) } }
        return DeliveryOutput(
            id: d.id ?? UUID(), endpointID: d.endpointID, type: d.eventType, status: d.status.rawValue, attempts: d.attempts,
            lastResponseCode: d.lastResponseCode, lastError: d.lastError, createdAt: LocalDateTime.iso8601(d.createdAt, in: utc),
            nextAttemptAt: d.status == .pending ? time(d.nextAttemptAt) : nil, deliveredAt: time(d.deliveredAt),
            event: try? JSONDecoder().decode(EventOutput.self, from: Data(d.payload.utf8)))
    }

    static func requireEndpoint(_ req: Request) async throws -> WebhookEndpointRecord {
        guard let id = req.parameters.get("endpointID", as: UUID.self),
            let endpoint = try await WebhookEndpointRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.apiAgency.requireID())
                .first()
        else { throw notFound("Webhook endpoint") }
        return endpoint
    }

    static func requireDelivery(_ req: Request) async throws -> WebhookDelivery {
        guard let id = req.parameters.get("deliveryID", as: UUID.self),
            let delivery = try await WebhookDelivery.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.apiAgency.requireID()).first()
        else { throw notFound("Webhook delivery") }
        return delivery
    }

    static func notFound(_ what: String) -> Problem { Problem(.notFound, "not-found", "\(what) not found") }

    static func deactivatedProblem(_ lang: Language) -> Problem {
        Problem(.conflict, "endpoint-deactivated", "Endpoint deactivated", detail: L10n.t("webhook.error.inactive", lang))
    }

    /// In the caller's language, as every validation message of the API.
    static func addressProblem(_ problem: WebhookEndpoints.AddressProblem, _ lang: Language) -> Problem {
        if problem == .tooMany {
            return Problem(.conflict, "too-many-endpoints", "Too many endpoints", detail: L10n.t(problem.messageKey, lang))
        }
        return ApiTripsController.validationProblem([FieldError(field: "url", message: L10n.t(problem.messageKey, lang))])
    }
}
