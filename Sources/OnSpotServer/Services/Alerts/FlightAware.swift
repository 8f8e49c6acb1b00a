import Crypto
import Foundation
import OnSpotCore
import Vapor

/// Where flight statuses come from. FlightAware AeroAPI v4 is the live one; tests run it against a stand-in server that
/// speaks AeroAPI's format.
protocol FlightStatusProvider: Sendable {
    /// `PUT /alerts/endpoint`: where the provider posts its alerts.
    func setEndpoint(_ url: String) async throws
    /// `POST /alerts`: returns the provider's alert id.
    func register(_ target: FlightWatchTarget, zone: TimeZone) async throws -> String
    /// `DELETE /alerts/{id}`.
    func unregister(alertID: String) async throws
    /// `GET /flights/{ident}`.
    func flights(ident: String) async throws -> [FlightStatus]
}

struct FlightAwareError: Error, CustomStringConvertible {
    let description: String
}

struct FlightAwareClient: FlightStatusProvider {
    let client: any Client
    let baseURL: String
    let key: String

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: "x-apikey", value: key)
        headers.replaceOrAdd(name: .accept, value: "application/json")
        return headers
    }

    func setEndpoint(_ url: String) async throws {
        let response = try await client.put(URI(string: baseURL + "/alerts/endpoint"), headers: headers) { req in
            try req.content.encode(["url": url], as: .json)
            req.timeout = .seconds(15)
        }
        try check(response, "PUT /alerts/endpoint")
    }

    func register(_ target: FlightWatchTarget, zone: TimeZone) async throws -> String {
        // The departure's date at its airport, as AeroAPI's `start` and `end` (inclusive) read it.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.dateComponents([.year, .month, .day], from: target.departure)
        let date = String(format: "%04d-%02d-%02d", day.year ?? 1970, day.month ?? 1, day.day ?? 1)
        struct Events: Encodable {
            let arrival = true, cancelled = true, departure = true, diverted = true, filed = true
            let out = false, off = false, on = false, `in` = false
            let hold_start = false, hold_end = false
        }
        struct Body: Encodable {
            let ident: String
            let origin: String
            let destination: String
            let start: String
            let end: String
            let events = Events()
        }
        let response = try await client.post(URI(string: baseURL + "/alerts"), headers: headers) { req in
            try req.content.encode(
                Body(ident: target.ident, origin: target.origin, destination: target.destination, start: date, end: date), as: .json)
            req.timeout = .seconds(15)
        }
        try check(response, "POST /alerts")
        // 201 without a body: the new alert is named by its Location, "/alerts/{id}".
        guard let location = response.headers.first(name: .location), let id = location.split(separator: "/").last,
            !id.isEmpty, id.count <= 40, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw FlightAwareError(description: "POST /alerts answered without a usable Location header") }
        return String(id)
    }

    func unregister(alertID: String) async throws {
        let response = try await client.delete(URI(string: baseURL + "/alerts/" + alertID), headers: headers) { req in
            req.timeout = .seconds(15)
        }
        // Already gone is gone.
        if response.status == .notFound { return }
        try check(response, "DELETE /alerts/\(alertID)")
    }

    func flights(ident: String) async throws -> [FlightStatus] {
        guard ident.count <= 12, ident.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw FlightAwareError(description: "not a flight ident: \(ident.prefix(20))")
        }
        let response = try await client.get(URI(string: baseURL + "/flights/" + ident), headers: headers) { req in
            req.timeout = .seconds(15)
        }
        try check(response, "GET /flights/\(ident)")
        return try FlightAwareFlights.parse(Data((response.body ?? ByteBuffer()).readableBytesView))
    }

    func check(_ response: ClientResponse, _ call: String) throws {
        guard (200..<300).contains(response.status.code) else {
            // AeroAPI's errors: {"title","reason","detail","status"}.
            let body = response.body.map { String(decoding: $0.readableBytesView.prefix(300), as: UTF8.self) } ?? ""
            throw FlightAwareError(description: "\(call): HTTP \(response.status.code) \(body)")
        }
    }
}

struct FlightStatusProviderKey: StorageKey { typealias Value = any FlightStatusProvider }

extension Application {
    /// Nil without `ONSPOT_FLIGHTAWARE_KEY`: flights are then not watched.
    var flightStatus: (any FlightStatusProvider)? {
        get {
            if let set = storage[FlightStatusProviderKey.self] { return set }
            guard let key = onspot.flightAwareKey else { return nil }
            return FlightAwareClient(client: client, baseURL: onspot.flightAwareBaseURL, key: key)
        }
        set { storage[FlightStatusProviderKey.self] = newValue }
    }
}

enum FlightCallbackToken {
    /// The unguessable part of the callback URL: FlightAware signs nothing, so the URL is the secret, derived from the
    /// server's key so every process of the installation agrees on it.
    static func value(secretKey: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("flightaware-callback".utf8), using: SymmetricKey(data: Data(secretKey.utf8)))
        return String(WebhookSignatures.hex(mac).prefix(40))
    }

    static func url(app: Application) -> String {
        app.onspot.publicBaseURL + "/webhooks/flightaware/" + value(secretKey: app.onspot.secretKey)
    }

    /// Constant-time comparison of the token a request carries.
    static func matches(_ given: String, secretKey: String) -> Bool { Tokens.constantTimeEquals(given, value(secretKey: secretKey)) }
}
