import Fluent
import Foundation
import Vapor

struct ApiAgencyKey: StorageKey { typealias Value = Agency }
struct ApiKeyPrefixKey: StorageKey { typealias Value = String }

/// `Authorization: Bearer osk_…`: the key is looked up by its keyed digest; revoked keys and closed agencies get 401.
struct ApiKeyMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = req.headers.bearerAuthorization?.token, bearer.hasPrefix("osk_"), bearer.count < 200 else {
            throw Problem(
                .unauthorized, "unauthenticated", "Missing or malformed API key",
                detail: "Send 'Authorization: Bearer <API key>' with a key created in the portal.")
        }
        let digest = Tokens.keyedDigest(bearer, secret: req.onspot.secretKey)
        guard let key = try await ApiKey.query(on: req.db).filter(\.$keyHash == digest).filter(\.$revokedAt == nil).first(),
            let agency = try await Agency.find(key.$agency.id, on: req.db), agency.isActive
        else {
            throw Problem(.unauthorized, "unauthenticated", "Invalid API key", detail: "The API key is unknown or revoked.")
        }
        guard key.access.allows(method: req.method.rawValue, path: req.url.path) else {
            throw Problem(
                .forbidden, "read-only-key", "Read-only API key",
                detail: "This API key can only read. Create a key with read and write access in the portal to change data.")
        }
        // One write a minute at most per key keeps the hot path light.
        if (key.lastUsedAt ?? .distantPast) < req.now.addingTimeInterval(-60) {
            key.lastUsedAt = req.now
            try await key.save(on: req.db)
        }
        try await ApiRateLimiter.check(req, keyID: key.requireID())
        req.storage[ApiAgencyKey.self] = agency
        req.storage[ApiKeyPrefixKey.self] = key.prefix
        let response = try await next.respond(to: req)
        ApiRateLimiter.addHeaders(of: req, to: response)
        return response
    }
}

extension Request {
    /// The shown prefix of the API key in use: who decided, for decisions taken through the API.
    var apiKeyPrefix: String? { storage[ApiKeyPrefixKey.self] }

    var apiAgency: Agency {
        get throws {
            guard let agency = storage[ApiAgencyKey.self] else { throw Problem(.unauthorized, "unauthenticated", "Missing API key") }
            return agency
        }
    }
}

/// API writes take JSON only, but for the one that takes a file (multipart, `POST /trips/{id}/documents`): anything
/// else is 415, before any decoding is attempted.
struct RequireJSONBodyMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .POST || req.method == .PATCH || req.method == .PUT {
            let hasBody = (req.body.data?.readableBytes ?? 0) > 0 || req.headers.first(name: .contentLength).map { $0 != "0" } ?? false
            let type = req.headers.contentType
            let json = type?.type == "application" && type?.subType == "json"
            let multipart = type?.type == "multipart" && type?.subType == "form-data" && req.method == .POST && Self.takesFiles(req.url.path)
            if hasBody, !json, !multipart {
                throw Problem(
                    .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                    detail: Self.takesFiles(req.url.path)
                        ? "Send the body as application/json, or a file as multipart/form-data." : "Send the body as application/json.")
            }
        }
        return try await next.respond(to: req)
    }

    /// `/api/v1/trips/{id}/documents`.
    static func takesFiles(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "trips" && parts[4] == "documents"
    }
}
