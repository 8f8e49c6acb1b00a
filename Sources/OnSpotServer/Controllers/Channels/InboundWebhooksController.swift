import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Meta webhooks (WhatsApp Cloud API, Messenger): verify the signature over the raw body before anything else,
/// store the raw event and its dedupe records in one transaction, answer 200, then process.
enum InboundWebhooksController {
    static let maximumBody: ByteCount = "256kb"

    /// `GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`: echo the challenge when the token is one of ours.
    @Sendable static func verify(req: Request) async throws -> Response {
        let channel = try channel(req)
        let mode = req.query[String.self, at: "hub.mode"]
        let token = req.query[String.self, at: "hub.verify_token"] ?? ""
        let challenge = req.query[String.self, at: "hub.challenge"] ?? ""
        let endpoints = try await ChannelEndpoint.query(on: req.db).filter(\.$channel == channel).filter(\.$active == true).all()
        guard mode == "subscribe", !token.isEmpty, challenge.count <= 200,
            endpoints.contains(where: { ($0.verifyToken ?? "").isEmpty == false && Tokens.constantTimeEquals($0.verifyToken!, token) })
        else {
            return Response(status: .forbidden, body: .init(string: "verification refused"))
        }
        let response = Response(status: .ok, body: .init(string: challenge))
        response.headers.contentType = .plainText
        return response
    }

    static func channel(_ req: Request) throws -> MessagingChannel {
        switch req.parameters.get("channel") {
        case "whatsapp": return .whatsapp
        case "messenger": return .messenger
        default: throw Abort(.notFound)
        }
    }

    @Sendable static func receive(req: Request) async throws -> Response {
        let channel = try channel(req)
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        // 1. The signature, over the bytes as received, against the app secrets of this channel's endpoints.
        let secrets = try await req.application.channelSecrets.secrets(for: channel, on: req.db)
        let header = req.headers.first(name: "X-Hub-Signature-256")
        guard secrets.contains(where: { WebhookSignatures.isValidMeta(header: header, secret: $0, body: body) }) else {
            req.logger.warning("webhook \(channel.rawValue): signature missing or invalid, nothing stored")
            return Response(status: .unauthorized, body: .init(string: "invalid signature"))
        }
        // 2. Read every item of the batch; a signed body that is not the provider's format is refused whole.
        let items: [InboundItem]
        do {
            items = channel == .whatsapp ? try MetaWebhook.whatsapp(body) : try MetaWebhook.messenger(body)
        } catch {
            return Response(status: .badRequest, body: .init(string: "unreadable webhook body"))
        }
        // 3. Durable before the 200: the raw body, the dedupe records and the receipts, committed with the other
        //    webhooks that arrived meanwhile (group commit).
        _ = try await req.application.inboundIntake.store(channel: channel, body: body, items: items)
        // 4. Work after the acknowledgement, in the processing loop; a crash leaves the event for the next sweep.
        InboundProcessor.kick(req.application)
        return Response(status: .ok, body: .init(string: "EVENT_RECEIVED"))
    }
}
