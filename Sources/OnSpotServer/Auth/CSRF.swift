import Vapor

/// Synchroniser-token CSRF protection: every state-changing form posts `_csrf`, compared in constant time
/// with the token kept in the session. SameSite=Lax cookies are a second line, not the only one.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .POST || req.method == .PUT || req.method == .PATCH || req.method == .DELETE {
            // A body that did not come in the first read is still streaming: the token is in it, so it is collected here,
            // within the route's own limit (routes with a larger one say so, `Route.maximumBody`).
            // A session that never received a token is refused before anything is read; only a signed-in user's body is
            // read up to a route's larger limit.
            let expected = req.session.data["csrf"] ?? ""
            guard !expected.isEmpty else { throw PageError(status: .forbidden, messageKey: "error.csrf") }
            if req.body.data == nil {
                let defaultLimit = req.application.routes.defaultMaxBodySize.value
                let limit = req.auth.has(User.self) ? (req.route?.maximumBody ?? defaultLimit) : defaultLimit
                _ = try await req.eventLoop.flatSubmit { req.body.collect(max: limit) }.get()
            }
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

extension Route {
    /// The largest body the route takes, when larger than the default (set by `post(_:maximumBody:use:)`).
    var maximumBody: Int? {
        get { userInfo["onspot.maximumBody"] as? Int }
        set { userInfo["onspot.maximumBody"] = newValue }
    }
}
