import Foundation
import OnSpotCore
import Vapor

/// An error a person can hit on a page, with a message key in the localisation table.
struct PageError: Error, AbortError {
    var status: HTTPResponseStatus
    var messageKey: String
    /// Values for the message's placeholders.
    var arguments: [String: String] = [:]
    var reason: String { messageKey }
}

/// An API error as RFC 9457 problem details.
struct Problem: Error, Content {
    var type: String
    var title: String
    var status: UInt
    var detail: String?
    var errors: [FieldError]?

    var httpStatus: HTTPResponseStatus { HTTPResponseStatus(statusCode: Int(status)) }

    init(_ status: HTTPResponseStatus, _ slug: String, _ title: String, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = "https://onspot.example/problems/\(slug)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }
}

/// Turns every error into a precise answer: problem+json under /api, a readable page elsewhere.
/// Decoding errors become 400, never 500; unexpected errors are logged and answered 500 without details.
struct OnSpotErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return Self.response(for: error, on: req)
        }
    }

    static func response(for error: any Error, on req: Request) -> Response {
        let isAPI = req.url.path.hasPrefix("/api/") || (req.url.path.hasPrefix("/console/cases/") && req.url.path.hasSuffix("/messages"))
        // An API resource that exists under other methods answers 405 with `Allow` (RFC 9110), not 404.
        let allowed = isAPI && error is RouteNotFound ? allowedMethods(for: req) : nil
        let problem: Problem
        switch error {
        case _ where allowed != nil:
            problem = Problem(
                .methodNotAllowed, "method-not-allowed", "Method not allowed",
                detail: "\(req.method.rawValue) is not supported here; allowed: \((allowed ?? []).joined(separator: ", ")).")
        case let p as Problem:
            problem = p
        case let p as PageError:
            problem = Problem(p.status, slugFor(p.status), p.status.reasonPhrase, detail: L10n.t(p.messageKey, req.language, p.arguments))
        case let failure as ValidationFailure:
            problem = Problem(
                .unprocessableEntity, "validation", "Invalid input",
                detail: "The request has invalid fields.", errors: failure.errors)
        case let decoding as DecodingError:
            problem = Problem(.badRequest, "malformed", "Malformed request", detail: describe(decoding, body: req.body.data))
        case let abort as any AbortError:
            let status = abort.status
            if status.code >= 500 { req.logger.error("\(String(reflecting: error))") }
            problem = Problem(
                status, slugFor(status), status.reasonPhrase,
                detail: status.code >= 500 ? nil : abort.reason)
        default:
            req.logger.error("unexpected error: \(String(reflecting: error))")
            problem = Problem(.internalServerError, "internal", "Internal error")
        }
        if isAPI {
            let response = Response(status: problem.httpStatus)
            if let allowed { response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", ")) }
            ApiRateLimiter.addHeaders(of: req, to: response)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
            response.body = .init(data: (try? JSONEncoder.sorted.encode(problem)) ?? Data())
            return response
        }
        let page = Layout.page(
            req: req, title: "\(problem.status) \(problem.title)",
            body: HTML.group([
                el("h1", [:], .text("\(problem.status) – \(problem.title)")),
                el("p", [:], .text(problem.detail ?? "")),
                el("p", [:], el("a", ["href": SiteURL.home.path], .text(L10n.t("nav.dashboard", req.language))))
            ]))
        let response = Response(status: problem.httpStatus)
        response.headers.contentType = .html
        response.body = .init(string: page.markup)
        return response
    }

    /// The methods the routes matching the request's path answer (HEAD wherever GET is), or nil when none does:
    /// then the path itself is unknown and the answer stays 404.
    static func allowedMethods(for req: Request) -> [String]? {
        let path = req.url.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var methods = Set(req.application.routes.all.filter { matches($0.path, path) }.map(\.method.rawValue))
        guard !methods.isEmpty, !methods.contains(req.method.rawValue) else { return nil }
        if methods.contains(HTTPMethod.GET.rawValue) { methods.insert(HTTPMethod.HEAD.rawValue) }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return methods.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
    }

    static func matches(_ pattern: [PathComponent], _ path: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < path.count
            case .anything, .parameter: guard index < path.count else { return false }
            case .constant(let text): guard index < path.count, path[index] == text else { return false }
            }
            index += 1
        }
        return index == path.count
    }

    static func slugFor(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "malformed"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 409: "conflict"
        case 413: "too-large"
        case 415: "unsupported-media-type"
        case 422: "validation"
        case 429: "too-many-requests"
        default: "http-\(status.code)"
        }
    }

    /// `body`, when given, tells a syntax error from a number the decoder cannot hold (such as 1e400 or 1e-200).
    static func describe(_ error: DecodingError, body: ByteBuffer? = nil) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "Missing field '\(path(ctx.codingPath + [key]))'."
        case .typeMismatch(_, let ctx): return "Wrong type for '\(path(ctx.codingPath))'."
        case .valueNotFound(_, let ctx): return "Missing value for '\(path(ctx.codingPath))'."
        case .dataCorrupted(let ctx):
            guard ctx.codingPath.isEmpty else { return "Invalid value for '\(path(ctx.codingPath))'." }
            if let body, (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])) != nil {
                return "A number in the body is out of range."
            }
            return "The body is not valid JSON."
        @unknown default: return "The body could not be read."
        }
    }
}
