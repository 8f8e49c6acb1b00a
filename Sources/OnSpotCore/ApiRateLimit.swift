import Foundation

/// The API's request quota per key: `limit` requests in each fixed window of `windowSeconds` (counted from the Unix
/// epoch, so every server agrees on the windows). What the answers say about it follows the IETF HTTPAPI draft
/// "RateLimit header fields for HTTP": `RateLimit-Policy: "per-key";q=<limit>;w=<window>` and
/// `RateLimit: "per-key";r=<remaining>;t=<seconds until the window ends>`, with `Retry-After` once refused.
public struct ApiRateLimit: Equatable, Sendable {
    public static let policyName = "per-key"
    public static let allowedLimits = 10...1_000_000

    public let limit: Int
    public let windowSeconds: Int

    public init(limit: Int, windowSeconds: Int = 60) {
        self.limit = max(1, limit)
        self.windowSeconds = max(1, windowSeconds)
    }

    /// The window `now` falls in: its number (its start in Unix seconds divided by the window) and the whole seconds
    /// left until it ends, at least 1.
    public func window(at now: Date) -> (number: Int64, secondsLeft: Int) {
        let seconds = now.timeIntervalSince1970
        guard seconds.isFinite, seconds > 0, seconds < 1e15 else { return (0, windowSeconds) }
        let number = Int64(seconds) / Int64(windowSeconds)
        let end = Double((number + 1) * Int64(windowSeconds))
        return (number, max(1, Int((end - seconds).rounded(.up))))
    }

    /// The request that makes the window's count `count` may go on.
    public func allows(count: Int) -> Bool { count <= limit }

    /// The headers of an answer given when the window's count is `count`.
    public func headers(count: Int, at now: Date) -> [(name: String, value: String)] {
        let left = window(at: now).secondsLeft
        var headers = [
            (name: "RateLimit-Policy", value: "\"\(Self.policyName)\";q=\(limit);w=\(windowSeconds)"),
            (name: "RateLimit", value: "\"\(Self.policyName)\";r=\(max(0, limit - count));t=\(left)")
        ]
        if !allows(count: count) { headers.append((name: "Retry-After", value: String(left))) }
        return headers
    }
}
