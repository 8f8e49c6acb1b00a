import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import SQLKit
import Vapor

/// Carries console events between the processes of one PostgreSQL database: each process listens on one dedicated
/// connection (`LISTEN onspot_live`) and hands what it hears to its own sockets; publishing is a `NOTIFY` through the
/// pool, heard by every process, this one included. The notification is only a wake-up with the event's summary: the
/// page reads its data from the tables, so a lost notification costs a refresh, never a message. When the listening
/// connection drops (a database restart), the relay reconnects with backoff, and tells its consoles to read their
/// data again (`resync`), since whatever was published meanwhile did not reach them.
final class LiveRelay: Sendable {
    static let channel = "onspot_live"
    /// PostgreSQL refuses payloads of 8,000 bytes or more.
    static let maximumPayloadBytes = 7_900

    private let configuration: PostgresConnection.Configuration
    private let hub: LiveHub
    private let notify: @Sendable (String) async throws -> Void
    private let heartbeatSeconds: Int64
    private let state = NIOLockedValueBox<State>(State())

    private struct State {
        var listening = false
        var stopped = false
        var connection: PostgresConnection?
        /// What waits to be sent, and whether this process's consoles already had it (it was not listening then).
        var pending: [(payload: String, text: String, destinationID: UUID?, deliveredHere: Bool)] = []
        var draining = false
        var reconnections = 0
    }

    init(
        configuration: PostgresConnection.Configuration, hub: LiveHub, heartbeatSeconds: Int64 = 30,
        notify: @escaping @Sendable (String) async throws -> Void
    ) {
        self.configuration = configuration
        self.hub = hub
        self.heartbeatSeconds = heartbeatSeconds
        self.notify = notify
    }

    var isListening: Bool { state.withLockedValue { $0.listening } }
    /// How many times the listening connection was established again after a loss.
    var reconnections: Int { state.withLockedValue { $0.reconnections } }

    // MARK: Publishing

    /// Sends the event to every process. While this process is not listening, its own sockets get it at once, since
    /// the notification will not come back to it.
    /// Events published while the process stops (the last background work) are still sent: the drain goes on after
    /// `stop()` as long as the database answers.
    func publish(_ text: String, destinationID: UUID?, event: LiveEvent) {
        let listening = isListening
        if !listening { hub.deliver(text, destinationID: destinationID) }
        let payload = LiveRelay.payload(text, destinationID: destinationID, event: event)
        let start = state.withLockedValue { s -> Bool in
            s.pending.append((payload, text, destinationID, !listening))
            guard !s.draining else { return false }
            s.draining = true
            return true
        }
        if start { Task { await drain() } }
    }

    /// One sender at a time, so events leave in the order they were published.
    private func drain() async {
        while true {
            let batch = state.withLockedValue { s -> [(payload: String, text: String, destinationID: UUID?, deliveredHere: Bool)] in
                defer { s.pending = [] }
                if s.pending.isEmpty { s.draining = false }
                return s.pending
            }
            if batch.isEmpty { return }
            for item in batch {
                do { try await notify(item.payload) } catch {
                    // Not sent: nobody else hears it, but this process's consoles still do.
                    if !item.deliveredHere { hub.deliver(item.text, destinationID: item.destinationID) }
                }
            }
        }
    }

    /// `<destination or ->` space `<event JSON>`; a long message text is shortened to fit PostgreSQL's limit (the
    /// page shows the whole text once read from the tables).
    static func payload(_ text: String, destinationID: UUID?, event: LiveEvent) -> String {
        let prefix = (destinationID?.uuidString ?? "-") + " "
        if prefix.utf8.count + text.utf8.count < maximumPayloadBytes { return prefix + text }
        var shorter = event
        shorter.text = event.text.map { String($0.prefix(1_000)) + "…" }
        shorter.comment = event.comment.map { String($0.prefix(500)) + "…" }
        return prefix + (LiveHub.encoded(shorter) ?? #"{"type":"resync"}"#)
    }

    /// Reads a payload heard on the channel; anything else is ignored.
    static func parse(_ payload: String) -> (text: String, destinationID: UUID?)? {
        guard let space = payload.firstIndex(of: " ") else { return nil }
        let head = payload[..<space]
        let text = String(payload[payload.index(after: space)...])
        guard text.hasPrefix("{") else { return nil }
        if head == "-" { return (text, nil) }
        guard let id = UUID(uuidString: String(head)) else { return nil }
        return (text, id)
    }

    // MARK: Listening

    /// Listens until stopped, reconnecting after a loss (0.5 s, doubling, at most 10 s between attempts).
    func run(on eventLoop: any EventLoop, logger: Logger) async {
        var failures = 0
        var wasListening = false
        while !state.withLockedValue({ $0.stopped }) {
            do {
                let connection = try await PostgresConnection.connect(
                    on: eventLoop, configuration: configuration, id: 1, logger: logger
                ).get()
                let stopped = state.withLockedValue { s -> Bool in
                    s.connection = connection
                    return s.stopped
                }
                if stopped {
                    try? await connection.close()
                    return
                }
                try await connection.listen(on: LiveRelay.channel) { notifications in
                    state.withLockedValue { s in
                        s.listening = true
                        if wasListening { s.reconnections += 1 }
                    }
                    failures = 0
                    if wasListening {
                        logger.notice("live relay: listening again")
                        hub.deliverResync()
                    }
                    wasListening = true
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await notification in notifications {
                                guard let (text, destinationID) = LiveRelay.parse(notification.payload) else { continue }
                                self.hub.deliver(text, destinationID: destinationID)
                            }
                        }
                        // A connection that died silently (a network cut) is noticed by the next heartbeat.
                        group.addTask {
                            while true {
                                try await Task.sleep(nanoseconds: UInt64(self.heartbeatSeconds) * 1_000_000_000)
                                _ = try await connection.query("SELECT 1", logger: logger).collect()
                            }
                        }
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
            } catch {
                if !state.withLockedValue({ $0.stopped }) {
                    logger.warning("live relay: connection lost or refused: \(String(describing: error))")
                }
            }
            let connection = state.withLockedValue { s -> PostgresConnection? in
                s.listening = false
                defer { s.connection = nil }
                return s.connection
            }
            try? await connection?.close()
            failures += 1
            if state.withLockedValue({ $0.stopped }) { return }
            let delay = min(10.0, 0.5 * pow(2.0, Double(min(failures - 1, 5))))
            try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        }
    }

    /// Stops listening: the connection is closed, which ends the loop.
    func stop() async {
        let connection = state.withLockedValue { s -> PostgresConnection? in
            s.stopped = true
            s.listening = false
            return s.connection
        }
        try? await connection?.close()
    }
}

struct LiveRelayStopper: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.liveHub.relay.withLockedValue { $0 }?.stop()
    }
}

/// On PostgreSQL, relays console events between this process and every other one on the same database (`onspot serve`
/// and `onspot worker` call it); on SQLite there is one process and nothing to relay.
public func startLiveRelay(_ app: Application) throws {
    guard case .postgres(let url) = app.onspot.database, app.liveHub.relay.withLockedValue({ $0 }) == nil else { return }
    let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
    let database = app.db
    let relay = LiveRelay(configuration: configuration, hub: app.liveHub) { payload in
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("SELECT pg_notify(\(literal: LiveRelay.channel), \(bind: payload))").run()
    }
    app.liveHub.relay.withLockedValue { $0 = relay }
    app.lifecycle.use(LiveRelayStopper())
    let eventLoop = app.eventLoopGroup.next()
    let logger = app.logger
    Task { await relay.run(on: eventLoop, logger: logger) }
}
