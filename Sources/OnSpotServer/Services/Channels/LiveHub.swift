import Foundation
import NIOConcurrencyHelpers
import Fluent
import Vapor

/// Pushes console events to the experts' open pages over WebSocket, each seeing only their destinations.
/// Each process holds its own sockets; on PostgreSQL, events go through `LiveRelay` (LISTEN/NOTIFY) so that a message
/// processed by one process reaches the consoles connected to every other.
final class LiveHub: Sendable {
    struct Subscriber: Sendable {
        let socket: WebSocket
        /// nil: every destination (OnSpot admins).
        var destinations: Set<UUID>?
        /// Whose socket it is: re-checked so a deactivated expert, or one taken off a destination, stops receiving.
        var userID: UUID?
        var signedInAt: Date = .distantPast
        /// The session that opened it: signing out, or the session's end, closes the socket too.
        var sessionID: String?
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])

    func add(_ socket: WebSocket, destinations: Set<UUID>?, userID: UUID? = nil, signedInAt: Date = .distantPast, sessionID: String? = nil) -> UUID {
        let id = UUID()
        subscribers.withLockedValue {
            $0[id] = Subscriber(socket: socket, destinations: destinations, userID: userID, signedInAt: signedInAt, sessionID: sessionID)
        }
        return id
    }

    /// Closes at once the sockets a session opened (signing out).
    func close(session: String) async {
        let closing = subscribers.withLockedValue { all -> [WebSocket] in
            let ids = all.filter { $0.value.sessionID == session }.map(\.key)
            return ids.compactMap { all.removeValue(forKey: $0)?.socket }
        }
        for socket in closing { try? await socket.close(code: .policyViolation) }
    }

    /// Closes every socket of this process (it is stopping): the consoles reconnect through the load balancer to
    /// another process and read their data again.
    func closeAll() async {
        let closing = subscribers.withLockedValue { all -> [WebSocket] in
            defer { all = [:] }
            return all.values.map(\.socket)
        }
        for socket in closing { try? await socket.close(code: .goingAway) }
    }

    /// Reads every connected user again (two queries): a user deactivated, whose credentials changed since the socket
    /// opened, no longer in an expert or admin role, whose session was signed out or has outlived its absolute lifetime
    /// is disconnected; an expert's destinations are replaced by today's. Run every few seconds while serving.
    func recheck(on db: any Database, absoluteLifetime: TimeInterval, now: Date) async throws {
        let snapshot = subscribers.withLockedValue { $0 }
        let userIDs = Set(snapshot.values.compactMap(\.userID))
        guard !userIDs.isEmpty else { return }
        let users = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ userIDs).all().map { ($0.id!, $0) })
        let links = try await ExpertDestination.query(on: db).filter(\.$user.$id ~~ userIDs).all()
        let coverage = Dictionary(grouping: links, by: { $0.$user.id }).mapValues { Set($0.map { $0.$destination.id }) }
        let sessionIDs = snapshot.values.compactMap(\.sessionID).map { SessionID(string: $0) }
        let liveSessions = Set(try await SessionRecord.query(on: db).filter(\.$key ~~ sessionIDs).all().map(\.key.string))
        var closing: [WebSocket] = []
        subscribers.withLockedValue { all in
            // Only the sockets read before the queries: one that connected meanwhile waits for the next round.
            for (id, subscriber) in snapshot where all[id] != nil {
                guard let userID = subscriber.userID else { continue }
                let sessionLive = subscriber.sessionID.map { liveSessions.contains($0) } ?? true
                guard let user = users[userID], user.active, [.expert, .onspotAdmin].contains(user.role), sessionLive,
                    now.timeIntervalSince(subscriber.signedInAt) <= absoluteLifetime,
                    (user.credentialsChangedAt.map { $0 < subscriber.signedInAt } ?? true)
                else {
                    all.removeValue(forKey: id)
                    closing.append(subscriber.socket)
                    continue
                }
                all[id]?.destinations = user.role == .expert ? (coverage[userID] ?? []) : nil
            }
        }
        for socket in closing { try? await socket.close(code: .policyViolation) }
    }

    static func startRechecking(_ app: Application, every seconds: Int64 = 10) {
        app.repeatInBackground(every: seconds, after: seconds, name: "live sockets re-check", web: true) {
            try await app.liveHub.recheck(on: app.db, absoluteLifetime: app.onspot.sessionAbsoluteTimeout, now: AppClock.now)
        }
    }

    func remove(_ id: UUID) { _ = subscribers.withLockedValue { $0.removeValue(forKey: id) } }

    /// The relay of a process on PostgreSQL: set once it is started (`startLiveRelay`).
    let relay = NIOLockedValueBox<LiveRelay?>(nil)

    func publish(destinationID: UUID?, _ event: LiveEvent) {
        guard let text = LiveHub.encoded(event) else { return }
        if let relay = relay.withLockedValue({ $0 }) {
            relay.publish(text, destinationID: destinationID, event: event)
        } else {
            deliver(text, destinationID: destinationID)
        }
    }

    static func encoded(_ event: LiveEvent) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sends an encoded event to this process's sockets that may see its destination (nil: OnSpot admins only).
    func deliver(_ text: String, destinationID: UUID?) {
        let targets = subscribers.withLockedValue { all in
            all.values.filter { s in
                guard let destinations = s.destinations else { return true }
                return destinationID.map { destinations.contains($0) } == true
            }
        }
        for s in targets { s.socket.send(text) }
    }

    /// Tells every open console of this process that it may have missed events (the relay was disconnected): the page
    /// reads its data again.
    func deliverResync() {
        let all = subscribers.withLockedValue { Array($0.values) }
        for s in all { s.socket.send(#"{"type":"resync"}"#) }
    }

    var count: Int { subscribers.withLockedValue { $0.count } }
}

/// Called by `onspot serve`.
public func startLiveRechecks(_ app: Application) { LiveHub.startRechecking(app) }

struct LiveHubKey: StorageKey { typealias Value = LiveHub }

extension Application {
    var liveHub: LiveHub {
        if let hub = storage[LiveHubKey.self] { return hub }
        let hub = LiveHub()
        storage[LiveHubKey.self] = hub
        return hub
    }
}
