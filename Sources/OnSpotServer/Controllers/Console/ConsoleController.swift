import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The expert console's actions, as JSON for the console page. An expert reaches only the cases of the destinations
/// they cover; anything else is 404.
enum ConsoleController {
    struct ReplyInput: Content {
        struct Template: Content { var name: String; var language: String; var parameters: [String]? }
        var text: String?
        var template: Template?
    }

    struct ReplyOutput: Content { var id: UUID; var status: String; var mode: String }

    static func requireCase(_ req: Request) async throws -> CaseRecord {
        guard let record = try await CasePage.coveredCase(req) else { throw Problem(.notFound, "not-found", "Case not found") }
        return record
    }

    @Sendable static func reply(req: Request) async throws -> Response {
        let record = try await requireCase(req)
        let output = try await enqueueReply(try req.content.decode(ReplyInput.self), for: record, on: req)
        let response = Response(status: .accepted)
        try response.content.encode(output)
        return response
    }

    /// Queues a reply on the case's conversation within the provider's window, and starts its delivery.
    static func enqueueReply(_ input: ReplyInput, for record: CaseRecord, on req: Request) async throws -> ReplyOutput {
        guard let conversationID = record.conversationID, let conversation = try await Conversation.find(conversationID, on: req.db),
            case let channel = conversation.channel
        else {
            throw Problem(.conflict, "conflict", "No conversation", detail: L10n.t("console.error.no_conversation", req.language))
        }
        guard channel != .voice else {
            throw Problem(
                .conflict, "conflict", "Phone case",
                detail: L10n.t("console.error.phone_case", req.language, ["phone": conversation.externalUserID]))
        }
        guard
            let endpoint = try await ChannelEndpoint.query(on: req.db).filter(\.$channel == channel)
                .filter(\.$destination.$id == (conversation.destinationID ?? UUID())).filter(\.$active == true).first()
        else {
            throw Problem(
                .conflict, "conflict", "No channel",
                detail: L10n.t("console.error.no_channel", req.language, ["channel": channel == .whatsapp ? "WhatsApp" : "Messenger"]))
        }
        let window = MessagingWindow.allowed(channel: channel, lastInbound: conversation.lastInboundAt, now: req.now)
        let payload: [String: Any]
        let mode: String
        var body: String?
        if let text = input.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            guard text.count <= MessagingWindow.maximumTextLength(channel) else {
                let tooLong = L10n.t("console.error.too_long", req.language, ["max": String(MessagingWindow.maximumTextLength(channel))])
                throw Problem(
                    .unprocessableEntity, "validation", "Text too long", detail: tooLong, errors: [FieldError(field: "text", message: tooLong)])
            }
            switch window {
            case .freeText:
                payload =
                    channel == .whatsapp
                    ? GraphRequests.whatsappText(to: conversation.externalUserID, body: text)
                    : GraphRequests.messengerText(psid: conversation.externalUserID, text: text, humanAgent: false)
                mode = "free_text"
            case .humanAgentTag:
                payload = GraphRequests.messengerText(psid: conversation.externalUserID, text: text, humanAgent: true)
                mode = "human_agent"
            case .templateOnly, .closed:
                throw Problem(
                    .unprocessableEntity, "window-closed", "Messaging window closed",
                    detail: L10n.t(channel == .whatsapp ? "console.error.window_whatsapp" : "console.error.window_messenger", req.language),
                    errors: [FieldError(field: "text", message: L10n.t("console.error.outside_window", req.language))])
            }
            body = text
        } else if let template = input.template, channel == .whatsapp {
            guard !template.name.isEmpty, template.name.count <= 512, (2...8).contains(template.language.count) else {
                throw Problem(
                    .unprocessableEntity, "validation", "Invalid template", detail: L10n.t("console.error.template", req.language),
                    errors: [FieldError(field: "template", message: L10n.t("console.error.template", req.language))])
            }
            payload = GraphRequests.whatsappTemplate(
                to: conversation.externalUserID, name: template.name, language: template.language,
                parameters: template.parameters ?? [])
            mode = "template"
            body = "[template \(template.name)]"
        } else {
            throw Problem(
                .unprocessableEntity, "validation", "Nothing to send", detail: L10n.t("console.error.nothing", req.language),
                errors: [FieldError(field: "text", message: L10n.t("console.error.nothing", req.language))])
        }
        let json = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let shownText = body
        let authorID = try req.user.id
        let (message, entry) = try await req.db.transaction { db -> (MessageRecord, OutboxEntry) in
            let (message, entry) = try await OutboxSender.enqueue(
                conversationID: conversationID, channel: channel, endpoint: endpoint, kind: mode == "template" ? .template : .text,
                body: shownText, payload: json, authorID: authorID, on: db)
            if record.firstResponseAt == nil {
                record.firstResponseAt = req.now
                if record.status == .new { record.status = .inProgress }
                try await record.save(on: db)
            }
            return (message, entry)
        }
        let app = req.application
        app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) }
        return ReplyOutput(id: try message.requireID(), status: "queued", mode: mode)
    }
}
