import Foundation
import Vapor

/// NUL characters are refused in every form and JSON body the application decodes, and in every URL: no text anyone
/// types contains one, PostgreSQL cannot store one in a text column (a 500 where SQLite stores it), and they hide
/// text from whoever reads it later. The check wraps Vapor's own body decoders, so every `req.content` is covered,
/// whatever route is added; URLs are checked by `NULURLMiddleware`; provider webhooks are parsed by OnSpotCore and
/// cleaned there.
struct NULRefusingContentDecoder: ContentDecoder {
    let base: any ContentDecoder
    let escaped: [[UInt8]]

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(decodable, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]) throws
        -> D
    {
        if TextInputGuard.containsNUL(body.readableBytesView, escaped: escaped) { throw TextInputGuard.refusal }
        return try base.decode(decodable, from: body, headers: headers, userInfo: userInfo)
    }
}

/// `%00` in a path or a query string is refused before routing: path parameters are percent-decoded by the router
/// and would carry a NUL into a query (the card's token, for one), and handlers that read one query parameter with
/// `try?` would take a refused query for an absent one.
struct NULURLMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        for part in [req.url.path, req.url.query ?? ""] where TextInputGuard.containsNUL(Array(part.utf8), escaped: TextInputGuard.percentNUL) {
            throw TextInputGuard.refusal
        }
        return try await next.respond(to: req)
    }
}

enum TextInputGuard {
    static let refusal = Abort(.badRequest, reason: "NUL characters (U+0000) are not accepted in text.")
    static let percentNUL: [[UInt8]] = [Array("%00".utf8)]
    static let jsonNUL: [[UInt8]] = [Array("\\u0000".utf8)]

    static func containsNUL(_ bytes: some Collection<UInt8>, escaped: [[UInt8]]) -> Bool {
        if bytes.contains(0) { return true }
        let array = Array(bytes)
        for pattern in escaped where array.count >= pattern.count {
            for start in 0...(array.count - pattern.count) where array[start] == pattern[0] {
                guard zip(array[start...], pattern).allSatisfy({ $0 == $1 || ($1 >= 0x61 && $0 == $1 - 0x20) }) else { continue }
                // In JSON, `\\u0000` is a backslash then text: an escape only after an even run of backslashes.
                var backslashes = 0
                var i = start - 1
                while i >= 0 && array[i] == UInt8(ascii: "\\") { backslashes += 1; i -= 1 }
                if pattern[0] != UInt8(ascii: "\\") || backslashes % 2 == 0 { return true }
            }
        }
        return false
    }

    /// Installs the guard on the process-wide content configuration, once.
    static func install() {
        var configuration = ContentConfiguration.global
        if let json = try? configuration.requireDecoder(for: .json), !(json is NULRefusingContentDecoder) {
            configuration.use(decoder: NULRefusingContentDecoder(base: json, escaped: jsonNUL), for: .json)
        }
        if let form = try? configuration.requireDecoder(for: .urlEncodedForm), !(form is NULRefusingContentDecoder) {
            configuration.use(decoder: NULRefusingContentDecoder(base: form, escaped: percentNUL), for: .urlEncodedForm)
        }
        ContentConfiguration.global = configuration
    }
}
