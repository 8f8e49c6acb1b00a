import Fluent
import Vapor

/// Fluent's session store, written back only when a request changed the session. Vapor's sessions middleware saves
/// the session after every response, changed or not: on SQLite with durable commits that was a write and an fsync
/// for every page an agent or an expert opened, and the database's one writer taken away from the webhook intake.
/// The last-seen time moves at most once a minute (`SessionClock`), so an active session is still written that often.
struct ChangedSessionsDriver: SessionDriver {
    let base: any SessionDriver

    /// What the store held when this request read it.
    struct ReadKey: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            request.storage[ReadKey.self] = data?.snapshot
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if let read = request.storage[ReadKey.self], read == data.snapshot { return request.eventLoop.makeSucceededFuture(sessionID) }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
