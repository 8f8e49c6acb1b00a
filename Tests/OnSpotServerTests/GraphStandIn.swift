import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local HTTP server that speaks the Graph API's send endpoints: it records every request exactly as received
/// and answers with scripted responses (success by default, in Meta's format).
final class GraphStandIn: @unchecked Sendable {
    struct Recorded: Sendable {
        let path: String
        let authorization: String?
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    let app: Application
    private let state = NIOLockedValueBox<(requests: [Recorded], script: [(Int, String)], counter: Int)>(([], [], 0))
    private(set) var port = 0

    var baseURL: String { "http://127.0.0.1:\(port)/v21.0" }
    var requests: [Recorded] { state.withLockedValue { $0.requests } }

    init() async throws {
        app = try await Application.make(.testing)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        app.on(.POST, "v21.0", "**") { [state] req -> Response in
            let recorded = Recorded(path: req.url.path, authorization: req.headers.first(name: .authorization),
                                    body: req.body.data.map { Data($0.readableBytesView) } ?? Data())
            let (status, body) = state.withLockedValue { s -> (Int, String) in
                s.requests.append(recorded)
                s.counter += 1
                if !s.script.isEmpty { return s.script.removeFirst() }
                let id = req.url.path.hasSuffix("/me/messages") ? #"{"recipient_id":"P","message_id":"m_out\#(s.counter)"}"#
                    : #"{"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.OUT\#(s.counter)"}]}"#
                return (200, id)
            }
            let response = Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: body))
            response.headers.contentType = .json
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    /// The next answers, in order: status and body.
    func script(_ answers: [(Int, String)]) { state.withLockedValue { $0.script += answers } }

    static func error(_ code: Int, status: Int = 400) -> (Int, String) {
        (status, #"{"error":{"message":"scripted","type":"OAuthException","code":\#(code),"error_data":{"details":"scripted"},"fbtrace_id":"AbC"}}"#)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
