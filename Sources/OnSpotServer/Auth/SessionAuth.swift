import Fluent
import OnSpotCore
import Vapor

extension User: ModelSessionAuthenticatable {}

/// Loads the signed-in user's agency once per request and refuses deactivated users and closed agencies.
struct CurrentUserMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let user = req.auth.get(User.self) {
            if !user.active {
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
            return req.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        guard roles.contains(user.userRole) else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        if user.userRole.isAgencySide && req.storage[CurrentAgencyKey.self] == nil {
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
    var lang: Language {
        if let q = try? query.get(String.self, at: "lang"), let l = Language(rawValue: q) { return l }
        if let user = auth.get(User.self) { return user.lang }
        return Language.negotiate(headers.first(name: .acceptLanguage))
    }
}

extension Request {
    /// A new session id at sign-in defeats session fixation; the old record is deleted.
    func rotateSession() async throws {
        if let id = session.id { try await application.sessions.driver.deleteSession(id, for: self).get() }
        session.id = nil
        session.data = SessionData()
    }
}
