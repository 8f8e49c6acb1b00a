import Foundation
import NIOConcurrencyHelpers
@testable import OnSpotServer
import Vapor

/// A local HTTP server that speaks Twilio's Recordings REST API as OnSpot uses it: `DELETE
/// /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.json` with HTTP basic authentication (account id and
/// auth token), 204 once deleted, 404 with Twilio's error body for a recording that does not exist (or no longer does),
/// 401 for wrong credentials, and scripted outages (500).
final class TwilioStandIn: @unchecked Sendable {
    struct Recorded: Sendable, Equatable {
        let account: String
        let recording: String
    }

    let app: Application
    /// The recordings Twilio holds, the account's auth token, the DELETEs received, scripted outages.
    private let state = NIOLockedValueBox<(held: Set<String>, token: String, deletes: [Recorded], outages: Int)>(([], "", [], 0))
    private(set) var port = 0
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var deletes: [Recorded] { state.withLockedValue { $0.deletes } }
    var held: Set<String> { state.withLockedValue { $0.held } }

    init() async throws {
        app = try await Application.make(.testing)
        app.on(.DELETE, "2010-04-01", "Accounts", ":account", "Recordings", ":file") { [state] req -> Response in
            let account = req.parameters.get("account") ?? ""
            let file = req.parameters.get("file") ?? ""
            let recording = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
            let (status, body) = state.withLockedValue { s -> (HTTPStatus, String) in
                if s.outages > 0 {
                    s.outages -= 1
                    return (.internalServerError, #"{"code":20500,"message":"Internal Server Error","status":500}"#)
                }
                guard let auth = req.headers.basicAuthorization, auth.username == account, auth.password == s.token else {
                    return (.unauthorized, #"{"code":20003,"message":"Authenticate","status":401}"#)
                }
                s.deletes.append(Recorded(account: account, recording: recording))
                guard s.held.remove(recording) != nil else {
                    return (
                        .notFound,
                        #"{"code":20404,"message":"The requested resource /2010-04-01/Accounts/\#(account)/Recordings/\#(recording).json was not found","status":404}"#
                    )
                }
                return (.noContent, "")
            }
            let response = Response(status: status, body: .init(string: body))
            if !body.isEmpty { response.headers.contentType = .json }
            return response
        }
        // A recording's audio, as Twilio serves `…/Recordings/{sid}.mp3` to an authenticated client.
        app.on(.GET, "2010-04-01", "Accounts", ":account", "Recordings", ":file") { [state] req -> Response in
            let account = req.parameters.get("account") ?? ""
            let file = req.parameters.get("file") ?? ""
            let recording = file.hasSuffix(".mp3") ? String(file.dropLast(4)) : file
            return state.withLockedValue { s -> Response in
                if s.outages > 0 {
                    s.outages -= 1
                    return Response(status: .internalServerError, body: .init(string: #"{"code":20500,"status":500}"#))
                }
                guard let auth = req.headers.basicAuthorization, auth.username == account, auth.password == s.token else {
                    return Response(status: .unauthorized, body: .init(string: #"{"code":20003,"message":"Authenticate","status":401}"#))
                }
                guard file.hasSuffix(".mp3"), s.held.contains(recording) else {
                    return Response(status: .notFound, body: .init(string: #"{"code":20404,"status":404}"#))
                }
                let response = Response(status: .ok, body: .init(data: TwilioStandIn.audio(recording)))
                response.headers.contentType = HTTPMediaType(type: "audio", subType: "mpeg")
                return response
            }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = app.http.server.shared.localAddress?.port ?? 0
    }

    /// A recording Twilio holds for an account whose auth token is `token`.
    func hold(_ recordingSID: String, token: String) {
        state.withLockedValue {
            $0.held.insert(recordingSID)
            $0.token = token
        }
    }

    func outage(_ count: Int) { state.withLockedValue { $0.outages += count } }

    /// The bytes served for a recording: an MP3 frame header and the recording's id, so a test knows which it got.
    static func audio(_ recording: String) -> Data { Data([0xFF, 0xFB, 0x90, 0x64]) + Data(recording.utf8) }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
