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
        let problem: Problem
        switch error {
        case let p as Problem:
            problem = p
        case let p as PageError:
            problem = Problem(p.status, slugFor(p.status), p.status.reasonPhrase, detail: L10n.t(p.messageKey, req.lang, p.arguments))
        case let failure as ValidationFailure:
            problem = Problem(.unprocessableEntity, "validation", "Invalid input",
                              detail: "The request has invalid fields.", errors: failure.errors)
        case let decoding as DecodingError:
            problem = Problem(.badRequest, "malformed", "Malformed request", detail: describe(decoding))
        case let abort as any AbortError:
            let status = abort.status
            if status.code >= 500 { req.logger.error("\(String(reflecting: error))") }
            problem = Problem(status, slugFor(status), status.reasonPhrase,
                              detail: status.code >= 500 ? nil : abort.reason)
        default:
            req.logger.error("unexpected error: \(String(reflecting: error))")
            problem = Problem(.internalServerError, "internal", "Internal error")
        }
        if isAPI {
            let response = Response(status: problem.httpStatus)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
            response.body = .init(data: (try? JSONEncoder.sorted.encode(problem)) ?? Data())
            return response
        }
        let page = Layout.page(req: req, title: "\(problem.status) \(problem.title)", body: HTML.group([
            el("h1", [:], .text("\(problem.status) – \(problem.title)")),
            el("p", [:], .text(problem.detail ?? "")),
            el("p", [:], el("a", ["href": "/"], .text(L10n.t("nav.dashboard", req.lang)))),
        ]))
        let response = Response(status: problem.httpStatus)
        response.headers.contentType = .html
        response.body = .init(string: page.markup)
        return response
    }

    static func slugFor(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "malformed"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not-found"
        case 409: "conflict"
        case 413: "too-large"
        case 415: "unsupported-media-type"
        case 422: "validation"
        case 429: "too-many-requests"
        default: "http-\(status.code)"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "Missing field '\(path(ctx.codingPath + [key]))'."
        case .typeMismatch(_, let ctx): return "Wrong type for '\(path(ctx.codingPath))'."
        case .valueNotFound(_, let ctx): return "Missing value for '\(path(ctx.codingPath))'."
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "The body is not valid JSON." : "Invalid value for '\(path(ctx.codingPath))'."
        @unknown default: return "The body could not be read."
        }
    }
}
