import Foundation
import NIOConcurrencyHelpers
import Fluent
import Vapor

/// Pushes console events to the experts' open pages over WebSocket, each seeing only their destinations.
/// One process holds the sockets; a multi-instance deployment would relay through PostgreSQL LISTEN/NOTIFY.
final class LiveHub: Sendable {
    struct Subscriber: Sendable {
        let socket: WebSocket
        /// nil: every destination (OnSpot admins).
        var destinations: Set<UUID>?
        /// Whose socket it is: re-checked so a deactivated expert, or one taken off a destination, stops receiving.
        var userID: UUID?
        var signedInAt: Date = .distantPast
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])

    func add(_ socket: WebSocket, destinations: Set<UUID>?, userID: UUID? = nil, signedInAt: Date = .distantPast) -> UUID {
        let id = UUID()
        subscribers.withLockedValue { $0[id] = Subscriber(socket: socket, destinations: destinations, userID: userID, signedInAt: signedInAt) }
        return id
    }

    /// Reads every connected user again (two queries): a user deactivated, whose credentials changed since the socket
    /// opened, or no longer in an expert or admin role is disconnected; an expert's destinations are replaced by
    /// today's. Run every few seconds while serving, and at once after such a change in this process.
    func recheck(on db: any Database) async throws {
        let current = subscribers.withLockedValue { $0 }
        let userIDs = Set(current.values.compactMap(\.userID))
        guard !userIDs.isEmpty else { return }
        let users = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ userIDs).all().map { ($0.id!, $0) })
        let links = try await ExpertDestination.query(on: db).filter(\.$user.$id ~~ userIDs).all()
        let coverage = Dictionary(grouping: links, by: { $0.$user.id }).mapValues { Set($0.map { $0.$destination.id }) }
        var closing: [WebSocket] = []
        subscribers.withLockedValue { all in
            for (id, subscriber) in all {
                guard let userID = subscriber.userID else { continue }
                guard let user = users[userID], user.active, [.expert, .onspotAdmin].contains(user.userRole),
                      (user.credentialsChangedAt.map { $0 < subscriber.signedInAt } ?? true) else {
                    all.removeValue(forKey: id)
                    closing.append(subscriber.socket)
                    continue
                }
                all[id]?.destinations = user.userRole == .expert ? (coverage[userID] ?? []) : nil
            }
        }
        for socket in closing { try? await socket.close(code: .policyViolation) }
    }

    static func startRechecking(_ app: Application, every seconds: Int64 = 10) {
        app.repeatInBackground(every: seconds, after: seconds, name: "live sockets re-check") { try await app.liveHub.recheck(on: app.db) }
    }

    func remove(_ id: UUID) { _ = subscribers.withLockedValue { $0.removeValue(forKey: id) } }

    func publish(destinationID: UUID?, _ event: [String: String]) {
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
        let text = String(decoding: data, as: UTF8.self)
        let targets = subscribers.withLockedValue { all in
            all.values.filter { s in
                guard let destinations = s.destinations else { return true }
                return destinationID.map { destinations.contains($0) } == true
            }
        }
        for s in targets { s.socket.send(text) }
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
