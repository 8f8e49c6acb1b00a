import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/console/attachments/:id`: the bytes, to experts who cover the case's destination only.
enum AttachmentsController {
    @Sendable static func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("attachmentID", as: UUID.self), let a = try await Attachment.find(id, on: req.db),
            a.status == .stored, let data = a.data, let message = try await MessageRecord.find(a.messageID, on: req.db),
            let record = try await CaseRecord.query(on: req.db).filter(\.$conversationID == message.conversationID)
                .sort(\.$openedAt, .descending).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        if let covered = try await CasePage.coverage(req), !covered.contains(record.destinationID ?? UUID()) {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
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
}
