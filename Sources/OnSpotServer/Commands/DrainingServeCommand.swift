import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `onspot serve`: Vapor's server, stopped gently. On SIGTERM the process first answers `/ready` with 503 for
/// `ONSPOT_DRAIN_SECONDS` (set behind a load balancer; 0 by default), so that the load balancer sends new requests
/// elsewhere while the ones under way finish, then closes its consoles' sockets and stops; a second signal stops it at
/// once.
struct DrainingServeCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature
    var help: String { "Begins serving the app over HTTP; on SIGTERM, reports not ready, drains, then stops." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.servers.asyncCommand.run(using: context, signature: signature)
        // Vapor's own signal handler completes the promise it made; the process waits on this one instead.
        let stopped = app.eventLoopGroup.next().makePromise(of: Void.self)
        app.running = .start(using: stopped)
        let drain = app.onspot.drainSeconds
        let logger = app.logger
        let draining = app.draining
        let hub = app.liveHub
        let signals = NIOLockedValueBox(0)
        for number in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let count = signals.withLockedValue { n -> Int in
                    n += 1
                    return n
                }
                guard count == 1 else {
                    stopped.succeed(())
                    return
                }
                draining.withLockedValue { $0 = true }
                logger.notice("stopping: /ready answers 503 for \(drain) s while requests under way finish")
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(drain) * 1_000_000_000)
                    // Open consoles would hold the server's stop: they reconnect to another process instead.
                    await hub.closeAll()
                    stopped.succeed(())
                }
            }
            source.resume()
            let kept = app.storage[DrainSignalsKey.self] ?? DrainSignals()
            kept.sources.append(source)
            app.storage[DrainSignalsKey.self] = kept
        }
    }
}

/// The signal sources, kept for the process's life (a released source stops listening); only appended to at start.
final class DrainSignals: @unchecked Sendable {
    var sources: [any DispatchSourceSignal] = []
}

struct DrainSignalsKey: StorageKey { typealias Value = DrainSignals }
struct DrainingKey: StorageKey { typealias Value = NIOLockedValueBox<Bool> }

extension Application {
    /// Set when the process was told to stop and is draining: `/ready` answers 503.
    var draining: NIOLockedValueBox<Bool> {
        if let existing = storage[DrainingKey.self] { return existing }
        let created = NIOLockedValueBox(false)
        storage[DrainingKey.self] = created
        return created
    }
}
