import Vapor

/// Synchroniser-token CSRF protection: every state-changing form posts `_csrf`, compared in constant time
/// with the token kept in the session. SameSite=Lax cookies are a second line, not the only one.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .POST || req.method == .PUT || req.method == .PATCH || req.method == .DELETE {
            let expected = req.session.data["csrf"] ?? ""
            var sent = req.headers.first(name: "X-CSRF-Token") ?? ""
            do {
                sent = try req.content.get(String.self, at: CSRFMiddleware.field)
            } catch let error as Abort where error.reason == TextInputGuard.refusal.reason {
                // A form the guard refuses is a 400 that says why, not an "expired form".
                throw PageError(status: .badRequest, messageKey: "error.nul")
            } catch {}
            guard !expected.isEmpty, Tokens.constantTimeEquals(expected, sent) else {
                throw PageError(status: .forbidden, messageKey: "error.csrf")
            }
        }
        return try await next.respond(to: req)
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data["csrf"], !token.isEmpty { return token }
        let token = Tokens.random()
        session.data["csrf"] = token
        return token
    }
}
