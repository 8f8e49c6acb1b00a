import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import OnSpotCore
import OnSpotServer
import Synchronization

/// `onspot bench`: posts signed WhatsApp webhooks at a target rate, some of them duplicates, then GET /health at the same rate,
/// and prints sustained throughput and latency percentiles for both. A load test of our own server on loopback.
enum WebhookBenchmark {
    struct Result {
        var sent = 0
        var ok = 0
        var errors = 0
        var latencies: [Double] = []
        var elapsed: Double = 0
        func percentile(_ p: Double) -> Double { Percentile.of(latencies, p) }
    }

    static func run(
        url: String, secret: String, rate: Double, duration: Double, duplicates: Double, concurrency: Int,
        phoneNumberID: String
    ) async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))

        let total = Int(rate * duration)
        // Every tenth (by default) request repeats an earlier message id, as Meta's retries do.
        var uniqueIDs: [String] = []
        var plan: [String] = []
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<total {
            if !uniqueIDs.isEmpty && Double.random(in: 0..<1, using: &rng) < duplicates {
                plan.append(uniqueIDs.randomElement(using: &rng)!)
            } else {
                let id = "wamid.bench-\(UUID().uuidString)"
                uniqueIDs.append(id)
                plan.append(id)
            }
        }
        let bodies = plan.enumerated().map { i, id in
            Data(
                #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"Bench"},"wa_id":"4915100000\#(i % 1000)"}],"messages":[{"from":"4915100000\#(i % 1000)","id":"\#(id)","timestamp":"\#(Int(AppClock.now.timeIntervalSince1970))","type":"text","text":{"body":"bench \#(i)"}}]}}]}]}"#
                    .utf8)
        }
        print(
            "webhooks: \(total) requests at \(Int(rate))/s for \(duration) s, \(uniqueIDs.count) unique messages, \(total - uniqueIDs.count) duplicates"
        )
        let hooks = try await load(client: client, count: total, rate: rate, concurrency: concurrency) { i in
            var request = HTTPClientRequest(url: "\(url)/webhooks/whatsapp")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Hub-Signature-256", value: WebhookSignatures.metaSignature(secret: secret, body: bodies[i]))
            request.body = .bytes(ByteBuffer(data: bodies[i]))
            return request
        }
        report("POST /webhooks/whatsapp", hooks)
        let health = try await load(client: client, count: total, rate: rate, concurrency: concurrency) { _ in
            HTTPClientRequest(url: "\(url)/health")
        }
        report("GET /health (same server, trivial route)", health)
        print(String(format: "ratio: webhook p99 / health p99 = %.1f", hooks.percentile(0.99) / max(health.percentile(0.99), 0.001)))
        print("unique messages sent: \(uniqueIDs.count)")
        try await client.shutdown()
    }

    static func report(_ name: String, _ r: Result) {
        print(
            String(
                format: "%@: %d sent, %d ok, %d errors in %.1f s = %.0f req/s sustained; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                name, r.sent, r.ok, r.errors, r.elapsed, Double(r.ok) / max(r.elapsed, 0.001),
                r.percentile(0.5), r.percentile(0.99), r.percentile(0.999), r.latencies.max() ?? 0))
    }

    /// Open-loop pacing: request i is due at start + i/rate; `concurrency` workers take the next due request.
    static func load(
        client: HTTPClient, count: Int, rate: Double, concurrency: Int,
        make: @escaping @Sendable (Int) -> HTTPClientRequest
    ) async throws -> Result {
        let next = Counter()
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: Result.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var local = Result()
                    while true {
                        let i = next.take()
                        if i >= count { break }
                        let due = start.advanced(by: .nanoseconds(Int64(Double(i) / rate * 1e9)))
                        if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
                        let sent = ContinuousClock.now
                        local.sent += 1
                        do {
                            let response = try await client.execute(make(i), timeout: .seconds(10))
                            _ = try await response.body.collect(upTo: 1 << 16)
                            if response.status == .ok { local.ok += 1 } else { local.errors += 1 }
                        } catch {
                            local.errors += 1
                        }
                        let elapsed = ContinuousClock.now - sent
                        local.latencies.append(elapsed.inMilliseconds)
                    }
                    return local
                }
            }
            var total = Result()
            for try await r in group {
                total.sent += r.sent
                total.ok += r.ok
                total.errors += r.errors
                total.latencies += r.latencies
            }
            return total
        }
        var r = results
        let elapsed = ContinuousClock.now - start
        r.elapsed = elapsed.inSeconds
        return r
    }
}

final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
