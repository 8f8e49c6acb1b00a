import Fluent
import Foundation
import OnSpotCore
import Prometheus
import Vapor

/// Operations' figures at `/metrics`, in Prometheus's text format (swift-prometheus): request latency by route, and,
/// read from the tables when scraped, the work waiting in the background (raw webhooks not processed yet and how late,
/// outgoing messages, agency webhooks, mail), what failed, and open cases past their deadlines. Kept in the
/// application rather than in the process-wide metrics system, so every application (every test) has its own.
final class OnSpotMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)
    ]

    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "onspot", metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time from request to response, by route pattern, method and status class.")
    }

    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// `route` is the registered pattern ("/trips/:tripID"), never the path itself, and an unusual method counts as
    /// "OTHER", so a client inventing paths or methods cannot grow the series without bound.
    func recordRequest(route: String, method: String, status: UInt, duration: Duration) {
        let method = Self.methods.contains(method) ? method : "OTHER"
        let status = min(max(status, 100), 599)
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration, labels: [("route", route), ("method", method), ("status", "\(status / 100)xx")],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    func gauge(_ name: String, _ help: String, labels: [(String, String)] = [], _ value: Double) {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "onspot", metricName: name, unitName: "", helpText: help), labels: labels)
            .set(value)
    }

    /// Reads the backlog figures from the database, then writes everything out.
    func scrape(on db: any Database, now: Date) async throws -> String {
        func waiting() -> QueryBuilder<InboundEvent> { InboundEvent.query(on: db).filter(\.$processedAt == nil).filter(\.$attempts < 10) }
        gauge("inbound_pending", "Raw webhooks stored and not processed yet.", Double(try await waiting().count()))
        let oldest = try await waiting().sort(\.$receivedAt).first()
        gauge(
            "inbound_lag_seconds", "Age of the oldest raw webhook not processed yet (0 when none waits).",
            max(0, oldest.map { now.timeIntervalSince($0.receivedAt) } ?? 0))
        let deadLetters = try await InboundEvent.query(on: db).filter(\.$processedAt == nil).filter(\.$attempts >= 10).count()
        gauge("inbound_dead_letters", "Raw webhooks given up on after ten processing attempts.", Double(deadLetters))
        for status in OutboxStatus.allCases where status != .sent {
            let count = try await OutboxEntry.query(on: db).filter(\.$status == status).count()
            gauge("outbox_messages", "Replies to travellers waiting to be sent, or failed.", labels: [("status", status.rawValue)], Double(count))
        }
        for status in WebhookDeliveryStatus.allCases where status != .delivered {
            let count = try await WebhookDelivery.query(on: db).filter(\.$status == status).count()
            gauge(
                "agency_webhook_deliveries", "Deliveries to agencies' webhook endpoints waiting, or failed.", labels: [("status", status.rawValue)],
                Double(count))
        }
        for status in NotificationStatus.allCases where status != .sent {
            let count = try await NotificationRecord.query(on: db).filter(\.$status == status).filter(\.$channel == .email).count()
            gauge("mail", "Emails waiting to be sent, or failed.", labels: [("status", status.rawValue)], Double(count))
        }
        let open = try await CaseRecord.query(on: db).filter(\.$status ~~ CaseStatus.open).all()
        gauge("cases_open", "Cases not resolved yet.", Double(open.count))
        // The same clocks as the console's queue: the agency's plan gives the service level, the destination its hours.
        let destinations = Dictionary(
            try await DestinationRecord.query(on: db).all().compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        let levels = try await CasePage.serviceLevels(of: Set(open.compactMap(\.agencyID)), on: db)
        let breached = open.filter { record in
            guard let destination = record.destinationID.flatMap({ destinations[$0] }) else { return false }
            let level = record.agencyID.flatMap { levels[$0] } ?? .unidentified
            return SLAClocks(record, level: level, destination: destination).overdue(now: now)
        }.count
        gauge("cases_sla_breached", "Open cases past their first-response or resolution deadline.", Double(breached))
        return registry.emitToString()
    }
}

struct OnSpotMetricsKey: StorageKey { typealias Value = OnSpotMetrics }

extension Application {
    var metrics: OnSpotMetrics {
        if let existing = storage[OnSpotMetricsKey.self] { return existing }
        let created = OnSpotMetrics()
        storage[OnSpotMetricsKey.self] = created
        return created
    }
}

/// Times every request by its route pattern; a request no route matched counts as "unmatched".
struct RequestMetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let metrics = request.application.metrics
        func pattern() -> String {
            guard let route = request.route else { return "unmatched" }
            return "/" + route.path.map(\.description).joined(separator: "/")
        }
        do {
            let response = try await next.respond(to: request)
            metrics.recordRequest(
                route: pattern(), method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any AbortError)?.status.code ?? 500
            metrics.recordRequest(route: pattern(), method: request.method.rawValue, status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}

/// `GET /metrics`: with `ONSPOT_METRICS_TOKEN` set, for a bearer of that token; without it, for loopback only (a
/// collector on the same machine), never through a proxy's forwarded address.
enum MetricsController {
    @Sendable static func scrape(req: Request) async throws -> Response {
        if let token = req.application.onspot.metricsToken {
            guard let given = req.headers.bearerAuthorization?.token, Tokens.constantTimeEquals(given, token) else {
                throw Abort(.unauthorized, reason: "A bearer token is required for /metrics")
            }
        } else {
            guard let peer = req.remoteAddress?.ipAddress.flatMap(IPAddress.init), peer.isLoopback else {
                throw Abort(.notFound)
            }
        }
        let text = try await req.application.metrics.scrape(on: req.db, now: req.now)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
