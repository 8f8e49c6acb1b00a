import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/console/attachments/:id`: the bytes, to experts who cover the case's destination only.
enum AttachmentsController {
    @Sendable static func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("attachmentID", as: UUID.self), let a = try await Attachment.find(id, on: req.db),
            a.status == .stored, let data = a.data, let message = try await MessageRecord.find(a.messageID, on: req.db)
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        _ = try await coveredCase(of: message, req)
        let mime = a.mimeType ?? "application/octet-stream"
        let inline = mime.hasPrefix("image/") || mime.hasPrefix("audio/") || mime.hasPrefix("video/") || mime == "application/pdf"
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: mime)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename=\"attachment-\(id.uuidString.prefix(8))\"")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// The latest case of the message's conversation, if this user covers its destination (experts) or all (admins);
    /// 404 otherwise, as for a message that does not exist.
    static func coveredCase(of message: MessageRecord, _ req: Request) async throws -> CaseRecord {
        guard
            let record = try await CaseRecord.query(on: req.db).filter(\.$conversationID == message.conversationID)
                .sort(\.$openedAt, .descending).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        if let covered = try await CasePage.coverage(req), !covered.contains(record.destinationID ?? UUID()) {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return record
    }

    /// `/console/recordings/:messageID`: a voicemail's audio, fetched from Twilio with the number's credentials (the
    /// browser cannot authenticate there), to experts who cover the case's destination only.
    @Sendable static func recording(req: Request) async throws -> Response {
        guard let id = req.parameters.get("messageID", as: UUID.self), let message = try await MessageRecord.find(id, on: req.db),
            message.channel == .voice, message.kind == "voicemail",
            let conversation = try await Conversation.find(message.conversationID, on: req.db), conversation.purgedAt == nil
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        let record = try await coveredCase(of: message, req)
        guard let reference = RetentionPurge.mediaURL(message.media).flatMap(TwilioVoice.recordingReference(url:)),
            let destinationID = conversation.destinationID, let token = try await ChannelEndpoint.voiceToken(destination: destinationID, on: req.db)
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        let audio: Data?
        do {
            audio = try await req.application.callRecordings.audio(reference, authToken: token, maximumBytes: 20 << 20)
        } catch {
            req.logger.warning("voicemail \(id): \(error)")
            throw PageError(status: .badGateway, messageKey: "error.recording_unavailable")
        }
        guard let audio else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        // Listening to a traveller's voice is reading their data: it goes in the audit trail like the case page.
        try await AuditLog.record(
            on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .travellerDataRead, subjectType: "voicemail",
            subjectID: id.uuidString, detail: ["via": "console"])
        let response = Response(status: .ok, body: .init(data: audio))
        response.headers.replaceOrAdd(name: .contentType, value: "audio/mpeg")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"voicemail-\(id.uuidString.prefix(8)).mp3\"")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
