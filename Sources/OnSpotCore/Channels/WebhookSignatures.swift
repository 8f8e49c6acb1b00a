import Crypto
import Foundation

/// Signatures of the providers' webhooks, checked over the raw bytes as received and compared in constant time.
public enum WebhookSignatures {
    /// Lowercase hex, written byte by byte: `String(format: "%02x")` per byte showed in the intake's profile.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// Meta (WhatsApp Cloud API, Messenger): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
    public static func metaSignature(secret: String, body: Data) -> String {
        "sha256=" + hex(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    public static func isValidMeta(header: String?, secret: String, body: Data) -> Bool {
        guard let header, header.hasPrefix("sha256="), header.count == 71, !secret.isEmpty else { return false }
        return constantTimeEquals(Array(header.lowercased().utf8), Array(metaSignature(secret: secret, body: body).utf8))
    }

    /// Twilio: base64(HMAC-SHA1(auth token, full URL + each POST parameter name and value, sorted by name)).
    public static func twilioSignature(authToken: String, url: String, parameters: [(String, String)]) -> String {
        var payload = url
        for (name, value) in parameters.sorted(by: { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }) { payload += name + value }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    public static func isValidTwilio(header: String?, authToken: String, url: String, parameters: [(String, String)]) -> Bool {
        guard let header, !header.isEmpty, !authToken.isEmpty else { return false }
        return constantTimeEquals(Array(header.utf8), Array(twilioSignature(authToken: authToken, url: url, parameters: parameters).utf8))
    }

    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, refused outside the tolerance
    /// (Stripe's default 300 s) so a captured request cannot be replayed later.
    public static func isValidStripe(header: String?, secret: String, body: Data, now: Date, tolerance: TimeInterval = 300) -> Bool {
        guard let header, !secret.isEmpty else { return false }
        var timestamp: TimeInterval?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { timestamp = TimeInterval(kv[1]) }
            if kv[0] == "v1" { signatures.append(kv[1].lowercased()) }
        }
        guard let t = timestamp, abs(now.timeIntervalSince1970 - t) <= tolerance, !signatures.isEmpty else { return false }
        var signed = Data("\(Int(t)).".utf8)
        signed.append(body)
        let expected = Array(hex(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))).utf8)
        return signatures.contains { constantTimeEquals(Array($0.utf8), expected) }
    }
}
