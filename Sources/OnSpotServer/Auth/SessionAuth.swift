import Fluent
import OnSpotCore
import Vapor

extension User: ModelSessionAuthenticatable {}

/// Loads the signed-in user's agency once per request and refuses deactivated users and closed agencies.
struct CurrentUserMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let user = req.auth.get(User.self) {
            if !user.active || SessionClock.expired(req, user: user, now: req.now) {
                req.auth.logout(User.self)
                req.session.destroy()
            } else if let agencyID = user.$agency.id {
                if let agency = try await Agency.find(agencyID, on: req.db), agency.isActive {
                    req.storage[CurrentAgencyKey.self] = agency
                } else {
                    req.auth.logout(User.self)
                    req.session.destroy()
                }
            }
        }
        return try await next.respond(to: req)
    }
}

struct CurrentAgencyKey: StorageKey { typealias Value = Agency }

/// Pages behind sign-in: anonymous visitors are sent to the sign-in page, wrong roles get 404 so that the
/// existence of a page or record is not revealed.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = req.auth.get(User.self) else {
            let target = req.url.path.hasPrefix("/") ? req.url.path : "/"
            return req.redirect(
                to: SiteURL.login.with("?next=") + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        guard roles.contains(user.role) else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        if user.role.isAgencySide && req.storage[CurrentAgencyKey.self] == nil {
            throw PageError(status: .forbidden, messageKey: "error.agency_closed")
        }
        return try await next.respond(to: req)
    }
}

extension Request {
    var user: User {
        get throws {
            guard let user = auth.get(User.self) else { throw Abort(.unauthorized) }
            return user
        }
    }

    /// The signed-in agency user's agency; only reachable behind `RequireRole` with agency roles.
    var agency: Agency {
        get throws {
            guard let agency = storage[CurrentAgencyKey.self] else { throw PageError(status: .notFound, messageKey: "error.not_found") }
            return agency
        }
    }

    var agencyID: UUID { get throws { try agency.requireID() } }

    /// The language of the page: `?lang=` wins, then the user's, then the browser's.
    var language: Language {
        if let q = try? query.get(String.self, at: "lang"), let l = Language(rawValue: q) { return l }
        if let user = auth.get(User.self) { return user.language }
        return Language.negotiate(headers.first(name: .acceptLanguage))
    }
}

extension Request {
    /// Signs the user in on a new session id (defeating session fixation; the old record is deleted), stamped with the
    /// time of sign-in for the idle and absolute expiries.
    func startSession(for user: User) async throws {
        if let id = session.id { try await application.sessions.driver.deleteSession(id, for: self).get() }
        session.id = nil
        session.data = SessionData()
        auth.login(user)
        let now = String(Int64(self.now.timeIntervalSince1970 * 1000))
        session.data[SessionClock.signedInKey] = now
        session.data[SessionClock.seenKey] = now
    }
}

/// Server-side session lifetimes: a session ends after `sessionIdleTimeout` without a request, `sessionAbsoluteTimeout`
/// after sign-in, and when the user's credentials changed after it began (password reset, deactivation).
enum SessionClock {
    static let signedInKey = "signed_in_at"
    static let seenKey = "seen_at"

    /// When the request's session signed in, if it did.
    static func signedIn(_ req: Request) -> Date? {
        req.session.data[signedInKey].flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// Times are kept in milliseconds: a sign-in just after a reset, in the same second, is still after it.
    static func expired(_ req: Request, user: User, now: Date) -> Bool {
        guard let signedIn = req.session.data[signedInKey].flatMap(Int64.init), let seen = req.session.data[seenKey].flatMap(Int64.init) else {
            return true
        }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        if nowMs - signedIn > Int64(req.onspot.sessionAbsoluteTimeout * 1000) || nowMs - seen > Int64(req.onspot.sessionIdleTimeout * 1000) {
            return true
        }
        if let changed = user.credentialsChangedAt, Int64(changed.timeIntervalSince1970 * 1000) >= signedIn { return true }
        // Written at most once a minute: the session row is not rewritten on every request.
        if nowMs - seen >= 60_000 { req.session.data[seenKey] = String(nowMs) }
        return false
    }
}
