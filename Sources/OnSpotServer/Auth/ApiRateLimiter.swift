import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Synchronization
import Vapor

struct ApiRateHeadersKey: StorageKey { typealias Value = [(name: String, value: String)] }

/// Counts a key's requests in a window.
protocol ApiRateCounter: Sendable {
    func count(keyID: UUID, window: Int64, on db: any Database) async throws -> Int
}

/// PostgreSQL, where several servers share the database: one counter row per key and window, shared by all, with one
/// upsert per request (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`). The first request of a window clears the
/// finished windows of every key, so the table holds about one row per active key.
struct DatabaseRateCounter: ApiRateCounter {
    func count(keyID: UUID, window: Int64, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let row = try await sql.raw(
            """
            INSERT INTO api_rate_windows (key_id, window_number, request_count) VALUES (\(bind: keyID), \(bind: window), 1)
            ON CONFLICT (key_id, window_number) DO UPDATE SET request_count = api_rate_windows.request_count + 1
            RETURNING request_count
            """
        ).first()
        let count = try row?.decode(column: "request_count", as: Int64.self) ?? 1
        if count == 1 { try await sql.raw("DELETE FROM api_rate_windows WHERE window_number < \(bind: window)").run() }
        return Int(clamping: count)
    }
}

/// SQLite, the embedded database of a single server: the counters live in the process, which is exact there and
/// spares a disk write per request (measured: about 15 % of a small read's throughput, BENCHMARKS.md).
final class InProcessRateCounter: ApiRateCounter {
    private let windows = Mutex<[UUID: (window: Int64, count: Int)]>([:])

    func count(keyID: UUID, window: Int64, on db: any Database) async throws -> Int {
        windows.withLock { windows in
            let count = windows[keyID].map { $0.window == window ? $0.count + 1 : 1 } ?? 1
            windows[keyID] = (window, count)
            // Keys idle since an earlier window are forgotten once there are many.
            if count == 1, windows.count > 10_000 { windows = windows.filter { $0.value.window == window } }
            return count
        }
    }
}

struct ApiRateCounterKey: StorageKey { typealias Value = any ApiRateCounter }

extension Application {
    var apiRateCounter: any ApiRateCounter {
        get { storage[ApiRateCounterKey.self] ?? DatabaseRateCounter() }
        set { storage[ApiRateCounterKey.self] = newValue }
    }
}

enum ApiRateLimiter {
    /// Counts the request; refuses it with 429 beyond the quota. Either way the answer will carry the quota's headers
    /// (the error middleware adds them to refusals and errors too).
    static func check(_ req: Request, keyID: UUID) async throws {
        guard let perMinute = req.onspot.apiRequestsPerMinute else { return }
        let limit = ApiRateLimit(limit: perMinute)
        let now = req.now
        let count = try await req.application.apiRateCounter.count(keyID: keyID, window: limit.window(at: now).number, on: req.db)
        let headers = limit.headers(count: count, at: now)
        req.storage[ApiRateHeadersKey.self] = headers
        guard limit.allows(count: count) else {
            throw Problem(
                .tooManyRequests, "rate-limited", "Too many requests",
                detail: "This API key made more than \(limit.limit) requests this minute; retry after the number of seconds in Retry-After.")
        }
    }

    static func addHeaders(of req: Request, to response: Response) {
        for (name, value) in req.storage[ApiRateHeadersKey.self] ?? [] { response.headers.replaceOrAdd(name: name, value: value) }
    }
}
