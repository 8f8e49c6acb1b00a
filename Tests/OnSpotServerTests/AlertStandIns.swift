import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A weather feed as the services publish one: the current document at `/feed`, an ETag, and 304 to a request that
/// names it. Records each request's conditional and User-Agent headers.
final class FeedStandIn: @unchecked Sendable {
    struct Hit: Sendable { let ifNoneMatch: String?; let userAgent: String? }
    let app: Application
    private let state = NIOLockedValueBox<(body: Data, type: String, version: Int, hits: [Hit], status: UInt?)>(
        (Data(), "application/xml", 0, [], nil))
    private(set) var port = 0
    var url: String { "http://127.0.0.1:\(port)/feed" }
    var hits: [Hit] { state.withLockedValue { $0.hits } }

    init() async throws {
        app = try await Application.make(.testing)
        app.get("feed") { [state] req -> Response in
            let (body, type, version, status) = state.withLockedValue { s -> (Data, String, Int, UInt?) in
                s.hits.append(Hit(ifNoneMatch: req.headers.first(name: .ifNoneMatch), userAgent: req.headers.first(name: .userAgent)))
                return (s.body, s.type, s.version, s.status)
            }
            if let status { return Response(status: HTTPResponseStatus(statusCode: Int(status))) }
            let etag = "\"v\(version)\""
            if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified) }
            let response = Response(status: .ok, body: .init(data: body))
            response.headers.replaceOrAdd(name: .contentType, value: type)
            response.headers.replaceOrAdd(name: .eTag, value: etag)
            return response
        }
        // NWS zones, as `api.weather.gov/zones/forecast/{id}` serves them: a status set for a zone answers instead.
        app.get("zones", "forecast", ":zone") { [zones] req -> Response in
            let id = req.parameters.get("zone") ?? ""
            let (body, status) = zones.withLockedValue { z -> (Data?, UInt?) in
                z.hits.append(id)
                return (z.shapes[id], z.failing[id])
            }
            if let status { return Response(status: HTTPResponseStatus(statusCode: Int(status))) }
            guard let body else { return Response(status: .notFound) }
            let response = Response(status: .ok, body: .init(data: body))
            response.headers.replaceOrAdd(name: .contentType, value: "application/geo+json")
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    private let zones = NIOLockedValueBox<(shapes: [String: Data], failing: [String: UInt], hits: [String])>(([:], [:], []))
    /// Where the zones are served, in place of `https://api.weather.gov` in a recorded alert.
    var base: String { "http://127.0.0.1:\(port)" }
    var zoneHits: [String] { zones.withLockedValue { $0.hits } }
    func serveZone(_ id: String, _ body: Data) {
        zones.withLockedValue {
            $0.shapes[id] = body; $0.failing[id] = nil
        }
    }
    func failZone(_ id: String, _ status: UInt) { zones.withLockedValue { $0.failing[id] = status } }

    /// Publishes a new document (a new ETag).
    func publish(_ body: Data, type: String) {
        state.withLockedValue {
            $0.body = body; $0.type = type; $0.version += 1; $0.status = nil
        }
    }
    func fail(_ status: UInt) { state.withLockedValue { $0.status = status } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// FlightAware AeroAPI v4 as far as OnSpot uses it: `PUT /alerts/endpoint`, `POST /alerts` (201, `Location:
/// /alerts/{id}`), `DELETE /alerts/{id}`, `GET /flights/{ident}`; every request must carry `x-apikey`. It posts alert
/// callbacks to the endpoint it was given, as FlightAware does.
final class FlightAwareStandIn: @unchecked Sendable {
    struct Hit: Sendable { let method: String; let path: String; let apiKey: String?; let body: Data }
    let app: Application
    private let state = NIOLockedValueBox<(hits: [Hit], endpoint: String?, next: Int, flights: Data)>(
        ([], nil, 7_845_120, Data(#"{"flights":[]}"#.utf8)))
    private(set) var port = 0
    static let key = "aeroapi-test-key"
    var baseURL: String { "http://127.0.0.1:\(port)/aeroapi" }
    var hits: [Hit] { state.withLockedValue { $0.hits } }
    var endpoint: String? { state.withLockedValue { $0.endpoint } }

    init() async throws {
        app = try await Application.make(.testing)
        let state = self.state
        func record(_ req: Request) -> Bool {
            state.withLockedValue {
                $0.hits.append(
                    Hit(
                        method: req.method.rawValue, path: req.url.path, apiKey: req.headers.first(name: "x-apikey"),
                        body: req.body.data.map { Data($0.readableBytesView) } ?? Data()))
            }
            return req.headers.first(name: "x-apikey") == Self.key
        }
        func unauthorized() -> Response {
            Response(status: .unauthorized, body: .init(string: #"{"title":"Unauthorized","reason":"UNAUTHORIZED","detail":"bad key","status":401}"#))
        }
        app.on(.PUT, "aeroapi", "alerts", "endpoint") { req -> Response in
            guard record(req) else { return unauthorized() }
            struct Body: Decodable { let url: String? }
            let body = try req.content.decode(Body.self)
            state.withLockedValue { $0.endpoint = body.url }
            return Response(status: .noContent)
        }
        app.on(.POST, "aeroapi", "alerts") { req -> Response in
            guard record(req) else { return unauthorized() }
            let id = state.withLockedValue { s -> Int in
                s.next += 1
                return s.next
            }
            let response = Response(status: .created)
            response.headers.replaceOrAdd(name: .location, value: "/alerts/\(id)")
            return response
        }
        app.on(.DELETE, "aeroapi", "alerts", ":id") { req -> Response in
            guard record(req) else { return unauthorized() }
            return Response(status: .noContent)
        }
        app.on(.GET, "aeroapi", "flights", ":ident") { req -> Response in
            guard record(req) else { return unauthorized() }
            let response = Response(status: .ok, body: .init(data: state.withLockedValue { $0.flights }))
            response.headers.contentType = .json
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    func answerFlights(_ body: Data) { state.withLockedValue { $0.flights = body } }

    /// Posts a callback to the registered endpoint over HTTP, as FlightAware does; returns the status.
    func deliver(_ body: Data) async throws -> UInt {
        guard let url = endpoint else { throw Abort(.preconditionFailed, reason: "no endpoint registered") }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return response.status.code
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
