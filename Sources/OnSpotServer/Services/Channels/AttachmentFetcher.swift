import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Photos, documents, audio and video travellers send: WhatsApp gives a media id, looked up through the Graph media
/// API (`GET /{media-id}` → a short-lived URL) and downloaded with the endpoint's token; Messenger gives a URL. The bytes
/// are kept, so the expert still has the photo of the rental contract after Meta's URL expires.
enum AttachmentFetcher {
    static let maximumBytes = 16 * 1024 * 1024
    static let maximumAttempts = 5

    /// The attachment row a stored message needs, if it carries media.
    static func pending(for message: MessageRecord, media m: InboundMessage) -> Attachment? {
        guard let key = m.mediaID ?? m.mediaURL, !key.isEmpty, m.channel != .voice else { return nil }
        let a = Attachment()
        a.messageID = message.id!
        a.providerMediaID = String(key.prefix(1000))
        a.mimeType = m.mimeType
        a.status = .pending
        a.attempts = 0
        a.createdAt = AppClock.now
        return a
    }

    @discardableResult
    static func runDue(app: Application, limit: Int = 20) async throws -> Int {
        let pending = AttachmentStatus.pending.rawValue
        let (claim, due) = try await Lease.claimRows(
            Attachment.self, due: "status = \(bind: pending) AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: AppClock.now))",
            order: "created_at", limit: limit, seconds: 120, on: app.db)
        return try await Lease.workThrough(due, of: claim, pending: pending, seconds: 120, on: app.db) { try await fetch($0, app: app) }
    }

    static func fetch(_ a: Attachment, app: Application) async throws -> Bool {
        guard let message = try await MessageRecord.find(a.messageID, on: app.db),
            let conversation = try await Conversation.find(message.conversationID, on: app.db),
            let endpoint = try await ChannelEndpoint.query(on: app.db).filter(\.$channel == message.channel)
                .filter(\.$destination.$id == (conversation.destinationID ?? UUID())).first()
        else {
            return try await fail(a, "no endpoint for this conversation", final: true, on: app.db)
        }
        do {
            var url = a.providerMediaID
            var token: String? = nil
            if message.channel == .whatsapp {
                // Graph media API: the id gives a URL, fetched with the same token.
                let lookup = try await app.graph.get(
                    url: "\(app.onspot.graphBaseURL)/\(a.providerMediaID)", token: endpoint.accessToken ?? "",
                    maximumBytes: 64 * 1024)
                guard lookup.status == 200, let info = try? JSONDecoder().decode(MediaInfo.self, from: lookup.body), let next = info.url else {
                    return try await fail(a, "media lookup answered \(lookup.status)", final: lookup.status == 404, on: app.db)
                }
                if let size = info.file_size, size > maximumBytes {
                    return try await fail(a, "media of \(size) bytes is too large", final: true, on: app.db)
                }
                url = next
                token = endpoint.accessToken
                a.mimeType = info.mime_type ?? a.mimeType
            }
            let download = try await app.graph.get(url: url, token: token, maximumBytes: maximumBytes)
            guard download.status == 200, !download.body.isEmpty else {
                return try await fail(a, "download answered \(download.status)", final: false, on: app.db)
            }
            a.data = download.body
            a.size = download.body.count
            a.mimeType = a.mimeType ?? download.contentType
            a.status = .stored
            a.fetchedAt = AppClock.now
            a.attempts += 1
            try await a.save(on: app.db)
            return true
        } catch {
            return try await fail(a, String(String(describing: error).prefix(300)), final: false, on: app.db)
        }
    }

    struct MediaInfo: Decodable { let url: String?; let mime_type: String?; let file_size: Int? }

    private static func fail(_ a: Attachment, _ reason: String, final: Bool, on db: any Database) async throws -> Bool {
        a.attempts += 1
        a.lastError = reason
        if final || a.attempts >= maximumAttempts {
            a.status = .failed
        } else {
            // 30 s, then doubling: a media server that is down is not asked again on every pass.
            a.nextAttemptAt = AppClock.now.addingTimeInterval(30 * pow(2, Double(min(a.attempts - 1, 6))))
        }
        try await a.save(on: db)
        return false
    }

    static func startFetching(_ app: Application, every seconds: Int64 = 5) {
        app.repeatInBackground(every: seconds, after: 2, name: "attachments") { try await runDue(app: app) }
    }
}

/// Called by `onspot serve`.
public func startAttachmentFetching(_ app: Application) { AttachmentFetcher.startFetching(app) }
