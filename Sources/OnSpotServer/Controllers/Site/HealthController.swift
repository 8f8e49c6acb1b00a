import Fluent
import SQLKit
import Vapor

/// `/ready` for load balancers and supervisors: 200 once the database answers and no migration is pending, 503
/// with the reason otherwise (a process still migrating, cut off from PostgreSQL, or stopping takes no traffic).
enum HealthController {
    @Sendable static func ready(req: Request) async throws -> Response {
        if req.application.draining.withLockedValue({ $0 }) { return answer(.serviceUnavailable, "stopping") }
        do {
            if let sql = req.db as? any SQLDatabase { try await sql.raw("SELECT 1").run() }
            let pending = try await req.application.migrator.previewPrepareBatch().get()
            guard pending.isEmpty else { return answer(.serviceUnavailable, "migrations pending: \(pending.count)") }
        } catch {
            req.logger.warning("not ready: \(String(reflecting: error))")
            return answer(.serviceUnavailable, "database unreachable")
        }
        return answer(.ok, "ready")
    }

    static func answer(_ status: HTTPResponseStatus, _ text: String) -> Response {
        let response = Response(status: status, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
