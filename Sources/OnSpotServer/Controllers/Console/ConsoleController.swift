import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The expert console's actions, as JSON for the console page. An expert reaches only the cases of the destinations
/// they cover; anything else is 404.
enum ConsoleController {
    struct ReplyInput: Content {
        /// A template by name; its parameters in order, where the expert changed or wrote them (the others are read
        /// from the case). The language is the traveller's.
        struct Template: Content { var name: String; var parameters: [String]? }
        var text: String?
        var template: Template?
        /// The expert confirmed replying on a case another expert holds.
        var confirmHeld: Bool?
    }

    /// The queued message; `body` is what the traveller reads (a template's text once its parameters are in).
    struct ReplyOutput: Content { var id: UUID; var status: String; var mode: String; var body: String? }

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

    /// A template's Graph request and the text the traveller reads, in the traveller's language; every parameter checked
    /// as Meta checks it, each refusal named by its field.
    static func templatePayload(
        _ input: ReplyInput.Template, to conversation: Conversation, for record: CaseRecord, on req: Request
    ) async throws -> (body: String, payload: [String: Any]) {
        let lang = req.language
        /// A refusal of the whole template, named by its field, in the expert's language.
        func refused(_ title: String, field: String, key: String) -> Problem {
            let message = L10n.t(key, lang)
            return Problem(.unprocessableEntity, "validation", title, detail: message, errors: [FieldError(field: field, message: message)])
        }
        guard conversation.channel == .whatsapp else {
            throw refused("Templates are WhatsApp only", field: "template", key: "console.error.template_whatsapp_only")
        }
        guard let template = MessageTemplate.expertPicks.first(where: { $0.name == input.name }) else {
            throw refused("Unknown template", field: "template", key: "console.error.template_unknown")
        }
        let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: req.db) } ?? nil
        let destination = try await record.destinationID.asyncMap { try await DestinationRecord.find($0, on: req.db) } ?? nil
        let trip = try await record.tripID.asyncMap { try await Trip.find($0, on: req.db) } ?? nil
        let values = CasePage.templateValues(traveller: traveller, destination: destination, trip: trip, expert: try req.user, now: req.now)
        let given = input.parameters ?? []
        guard given.count <= template.variables.count else {
            throw refused("Too many parameters", field: "template.parameters", key: "console.error.template")
        }
        var parameters = template.parameters(from: values)
        var errors: [FieldError] = []
        for index in parameters.indices {
            if index < given.count, !given[index].trimmingCharacters(in: .whitespaces).isEmpty {
                parameters[index] = given[index].trimmingCharacters(in: .whitespaces)
            }
            if let problem = TemplateParameterCheck.problem(parameters[index]) {
                errors.append(
                    FieldError(field: "template.parameters.\(index)", message: L10n.t("console.error.template_param_\(problem.rawValue)", lang)))
            }
        }
        guard errors.isEmpty else {
            throw Problem(.unprocessableEntity, "validation", "Invalid template parameters", detail: errors.first?.message, errors: errors)
        }
        let language = traveller?.language ?? .fr
        let payload = GraphRequests.whatsappTemplate(
            to: conversation.externalUserID, name: template.name, language: MessageTemplate.languageCode(language), parameters: parameters)
        return (template.render(language, parameters: parameters), payload)
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
        guard let endpoint = try await ChannelEndpoint.active(channel, destination: conversation.destinationID, on: req.db) else {
            throw Problem(
                .conflict, "conflict", "No channel",
                detail: L10n.t("console.error.no_channel", req.language, ["channel": channel == .whatsapp ? "WhatsApp" : "Messenger"]))
        }
        // Two experts must not answer the same traveller at once without knowing it: replying on a case someone else
        // holds asks first.
        if let holderID = record.assigneeID, holderID != (try req.user.id), input.confirmHeld != true {
            let holder = try await User.find(holderID, on: req.db)
            throw Problem(
                .conflict, "held-by-other", "Held by another expert",
                detail: L10n.t("console.error.held_by", req.language, ["name": holder?.name ?? "?"]))
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
        } else if let input = input.template {
            let (rendered, json) = try await templatePayload(input, to: conversation, for: record, on: req)
            payload = json
            mode = "template"
            body = rendered
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
        return ReplyOutput(id: try message.requireID(), status: "queued", mode: mode, body: shownText)
    }
}
