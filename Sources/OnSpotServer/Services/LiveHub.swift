import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Pushes console events to the experts' open pages over WebSocket, each seeing only their destinations.
/// One process holds the sockets; a multi-instance deployment would relay through PostgreSQL LISTEN/NOTIFY.
final class LiveHub: Sendable {
    struct Subscriber: Sendable {
        let socket: WebSocket
        /// nil: every destination (OnSpot admins).
        let destinations: Set<UUID>?
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])

    func add(_ socket: WebSocket, destinations: Set<UUID>?) -> UUID {
        let id = UUID()
        subscribers.withLockedValue { $0[id] = Subscriber(socket: socket, destinations: destinations) }
        return id
    }

    func remove(_ id: UUID) { _ = subscribers.withLockedValue { $0.removeValue(forKey: id) } }

    func publish(destinationID: UUID?, _ event: [String: String]) {
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
        let text = String(decoding: data, as: UTF8.self)
        let targets = subscribers.withLockedValue { all in
            all.values.filter { s in s.destinations == nil || destinationID.map { s.destinations!.contains($0) } == true }
        }
        for s in targets { s.socket.send(text) }
    }

    var count: Int { subscribers.withLockedValue { $0.count } }
}

struct LiveHubKey: StorageKey { typealias Value = LiveHub }

extension Application {
    var liveHub: LiveHub {
        if let hub = storage[LiveHubKey.self] { return hub }
        let hub = LiveHub()
        storage[LiveHubKey.self] = hub
        return hub
    }
}
