import Crypto
import Foundation
import OnSpotCore
import Vapor

/// Random tokens and their stored digests. Only digests of secrets are ever written to the database.
enum Tokens {
    /// URL-safe random token with 256 bits of entropy.
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func sha256Hex(_ text: String) -> String {
        WebhookSignatures.hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// HMAC with the server's secret: a leaked table of API-key digests is useless without the secret too.
    static func keyedDigest(_ text: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return WebhookSignatures.hex(mac)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

struct ConfigurationKey: StorageKey { typealias Value = AppConfiguration }

extension Application {
    var onspot: AppConfiguration {
        get { storage[ConfigurationKey.self]! }
        set { storage[ConfigurationKey.self] = newValue }
    }
}

extension Request {
    var onspot: AppConfiguration { application.onspot }

    /// The client address for throttling: `X-Forwarded-For` counts only when the peer is in `ONSPOT_TRUSTED_PROXIES`.
    var clientIP: String {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers.first(name: .xForwardedFor), trusted: onspot.trustedProxies)
    }
}
