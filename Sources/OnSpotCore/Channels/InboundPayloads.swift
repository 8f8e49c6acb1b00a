import Foundation

public enum MessagingChannel: String, StoredCode { case whatsapp, messenger, voice }

/// One thing a webhook batch tells us, whatever the provider: a message from a traveller, or a delivery receipt.
public enum InboundItem: Hashable, Sendable {
    case message(InboundMessage)
    case status(StatusReceipt)

    var withoutNUL: InboundItem {
        switch self {
        case .message(let m): return .message(m.withoutNUL)
        case .status(var s):
            s.providerMessageID = s.providerMessageID.replacingOccurrences(of: "\u{0}", with: "")
            s.errorTitle = s.errorTitle?.replacingOccurrences(of: "\u{0}", with: "")
            return .status(s)
        }
    }
}

/// WhatsApp and Twilio stamp a message to the second, so a traveller's burst of messages ties and a thread or a queue
/// could show them in any order. A whole-second stamp gets the part of a second that had passed when we stored it
/// (capped below the next second), plus 10 µs per message before it in the same run: messages of one second
/// keep the order they reached us in. A stamp that already has a fraction (Messenger's milliseconds) is kept.
public enum ArrivalOrder {
    public static func stamp(_ timestamp: Date, storedAt now: Date, position: Int) -> Date {
        let seconds = timestamp.timeIntervalSince1970
        guard seconds.rounded(.down) == seconds else { return timestamp }
        let elapsed = min(max(now.timeIntervalSince(timestamp), 0), 0.98)
        let offset = Double(min(max(position, 0), 999)) / 100_000
        return timestamp.addingTimeInterval(elapsed + offset)
    }
}

public struct InboundMessage: Hashable, Sendable, Codable {
    public var channel: MessagingChannel
    /// phone_number_id (WhatsApp) or page id (Messenger): which of our endpoints received it.
    public var endpointID: String
    /// wa_id digits or page-scoped id.
    public var senderID: String
    public var providerMessageID: String
    public var timestamp: Date
    /// text, image, document, audio, video, sticker, location, interactive, button, postback, unknown…
    public var kind: String
    public var text: String?
    public var mediaID: String?
    public var mediaURL: String?
    public var mimeType: String?
    public var latitude: Double?
    public var longitude: Double?
    public var contactName: String?
    /// The message a reply or button press answers (context.id).
    public var replyTo: String?
    /// What a pressed button carries: a reply button's id, a template quick reply's or a Messenger quick reply's payload.
    public var payload: String?

    /// The same message with NUL characters removed from every text: a signed payload may carry `\u0000`, which
    /// PostgreSQL cannot store, and a message must never be lost (or retried forever) for it.
    public var withoutNUL: InboundMessage {
        func clean(_ s: String?) -> String? { s.map { $0.contains("\u{0}") ? $0.replacingOccurrences(of: "\u{0}", with: "") : $0 } }
        var m = self
        m.endpointID = clean(endpointID) ?? ""; m.senderID = clean(senderID) ?? ""; m.providerMessageID = clean(providerMessageID) ?? ""
        m.kind = clean(kind) ?? ""; m.text = clean(text); m.mediaID = clean(mediaID); m.mediaURL = clean(mediaURL)
        m.mimeType = clean(mimeType); m.contactName = clean(contactName); m.replyTo = clean(replyTo)
        m.payload = clean(payload)
        return m
    }
}

public enum DeliveryStatus: String, StoredCode {
    case sent, delivered, read, failed

    /// Receipts arrive out of order: a status only ever moves forward (read is final, failed ends a send).
    public func canReplace(_ current: DeliveryStatus?) -> Bool {
        guard let current else { return true }
        switch (current, self) {
        case (.read, _), (.failed, _): return false
        case (.sent, .delivered), (.sent, .read), (.sent, .failed), (.delivered, .read), (.delivered, .failed): return true
        default: return false
        }
    }
}

public struct StatusReceipt: Hashable, Sendable, Codable {
    public var channel: MessagingChannel
    public var providerMessageID: String
    public var status: DeliveryStatus
    public var timestamp: Date
    public var recipientID: String?
    public var errorCode: Int?
    public var errorTitle: String?
}

public enum WebhookParseError: Error, Equatable, Sendable {
    case notJSON
    case wrongObject(String)
}

/// WhatsApp Cloud API and Messenger webhook bodies, walked over every entry, change, message and status.
public enum MetaWebhook {
    struct WAEnvelope: Decodable {
        var object: String
        var entry: [Entry]?
        struct Entry: Decodable { var id: String?; var changes: [Change]? }
        struct Change: Decodable { var field: String?; var value: Value? }
        struct Value: Decodable {
            var metadata: Metadata?
            var contacts: [Contact]?
            var messages: [Message]?
            var statuses: [Status]?
        }
        struct Metadata: Decodable { var phone_number_id: String? }
        struct Contact: Decodable { var wa_id: String?; var profile: Profile? }
        struct Profile: Decodable { var name: String? }
        struct Media: Decodable { var id: String?; var mime_type: String?; var caption: String?; var filename: String? }
        struct Location: Decodable { var latitude: Double?; var longitude: Double?; var name: String?; var address: String? }
        struct Reply: Decodable { var id: String?; var title: String?; var description: String? }
        struct Interactive: Decodable { var type: String?; var button_reply: Reply?; var list_reply: Reply? }
        struct Button: Decodable { var text: String?; var payload: String? }
        struct Context: Decodable { var id: String? }
        struct Message: Decodable {
            var from: String?
            var id: String?
            var timestamp: String?
            var type: String?
            var text: Text?
            var image: Media?, document: Media?, audio: Media?, video: Media?, sticker: Media?
            var location: Location?
            var interactive: Interactive?
            var button: Button?
            var context: Context?
            struct Text: Decodable { var body: String? }
        }
        struct Status: Decodable {
            var id: String?
            var status: String?
            var timestamp: String?
            var recipient_id: String?
            var errors: [ErrorItem]?
        }
        struct ErrorItem: Decodable { var code: Int?; var title: String? }
    }

    /// A provider's Unix time, kept only when it is a finite instant between 1900 and 2200 (as a missing one, the epoch
    /// otherwise): "1e300" or "nan" from a signed but broken payload never reaches a database driver.
    static func instant(_ seconds: TimeInterval) -> Date {
        let date = Date(timeIntervalSince1970: seconds.isFinite ? seconds : 0)
        return LocalDateTime.plausible(date) ? date : Date(timeIntervalSince1970: 0)
    }

    static func seconds(_ text: String?) -> Date {
        instant(TimeInterval(text ?? "") ?? 0)
    }

    /// Every message and status of a WhatsApp batch; malformed items are skipped, never the whole batch.
    public static func whatsapp(_ body: Data) throws -> [InboundItem] {
        guard let env = try? JSONDecoder().decode(WAEnvelope.self, from: body) else { throw WebhookParseError.notJSON }
        guard env.object == "whatsapp_business_account" else { throw WebhookParseError.wrongObject(env.object) }
        var items: [InboundItem] = []
        for entry in env.entry ?? [] {
            for change in entry.changes ?? [] {
                guard let value = change.value else { continue }
                let endpoint = value.metadata?.phone_number_id ?? ""
                let names = Dictionary(
                    (value.contacts ?? []).compactMap { c in c.wa_id.map { ($0, c.profile?.name ?? "") } },
                    uniquingKeysWith: { a, _ in a })
                for m in value.messages ?? [] {
                    guard let id = m.id, let from = m.from, !endpoint.isEmpty else { continue }
                    var msg = InboundMessage(
                        channel: .whatsapp, endpointID: endpoint, senderID: from, providerMessageID: id,
                        timestamp: seconds(m.timestamp), kind: m.type ?? "unknown", contactName: names[from].flatMap { $0.isEmpty ? nil : $0 })
                    msg.replyTo = m.context?.id
                    switch m.type {
                    case "text": msg.text = m.text?.body
                    case "image", "document", "audio", "video", "sticker":
                        let media = m.image ?? m.document ?? m.audio ?? m.video ?? m.sticker
                        msg.mediaID = media?.id
                        msg.mimeType = media?.mime_type
                        msg.text = media?.caption ?? media?.filename
                    case "location":
                        msg.latitude = m.location?.latitude
                        msg.longitude = m.location?.longitude
                        msg.text = [m.location?.name, m.location?.address].compactMap { $0 }.joined(separator: ", ")
                    case "interactive":
                        let reply = m.interactive?.button_reply ?? m.interactive?.list_reply
                        msg.text = reply?.title
                        msg.payload = reply?.id
                    case "button":
                        msg.text = m.button?.text
                        msg.payload = m.button?.payload
                    default: break
                    }
                    items.append(.message(msg))
                }
                for s in value.statuses ?? [] {
                    guard let id = s.id, let status = s.status.flatMap(DeliveryStatus.init(rawValue:)) else { continue }
                    items.append(
                        .status(
                            StatusReceipt(
                                channel: .whatsapp, providerMessageID: id, status: status, timestamp: seconds(s.timestamp),
                                recipientID: s.recipient_id, errorCode: s.errors?.first?.code, errorTitle: s.errors?.first?.title)))
                }
            }
        }
        return items.map(\.withoutNUL)
    }

    struct MEnvelope: Decodable {
        var object: String
        var entry: [Entry]?
        struct Entry: Decodable { var id: String?; var messaging: [Event]? }
        struct Event: Decodable {
            var sender: Party?
            var recipient: Party?
            var timestamp: Double?
            var message: Message?
            var postback: Postback?
            var delivery: Delivery?
            var read: Read?
        }
        struct Party: Decodable { var id: String? }
        struct Message: Decodable {
            var mid: String?; var text: String?; var is_echo: Bool?; var attachments: [Attachment]?; var quick_reply: QuickReply?
        }
        struct QuickReply: Decodable { var payload: String? }
        struct Attachment: Decodable { var type: String?; var payload: Payload? }
        struct Payload: Decodable { var url: String? }
        struct Postback: Decodable { var mid: String?; var title: String?; var payload: String? }
        struct Delivery: Decodable { var mids: [String]?; var watermark: Double? }
        struct Read: Decodable { var watermark: Double? }
    }

    /// Every messaging event of a Messenger batch; our own echoes are dropped.
    public static func messenger(_ body: Data) throws -> [InboundItem] {
        guard let env = try? JSONDecoder().decode(MEnvelope.self, from: body) else { throw WebhookParseError.notJSON }
        guard env.object == "page" else { throw WebhookParseError.wrongObject(env.object) }
        var items: [InboundItem] = []
        for entry in env.entry ?? [] {
            for e in entry.messaging ?? [] {
                let page = e.recipient?.id ?? entry.id ?? ""
                let when = MetaWebhook.instant((e.timestamp ?? 0) / 1000)
                if let m = e.message, m.is_echo != true, let mid = m.mid, let sender = e.sender?.id {
                    let attachment = m.attachments?.first
                    var message = InboundMessage(
                        channel: .messenger, endpointID: page, senderID: sender, providerMessageID: mid,
                        timestamp: when, kind: attachment?.type ?? (m.quick_reply == nil ? "text" : "quick_reply"), text: m.text,
                        mediaURL: attachment?.payload?.url)
                    message.payload = m.quick_reply?.payload
                    items.append(.message(message))
                } else if let p = e.postback, let sender = e.sender?.id {
                    let mid = p.mid ?? "postback-\(sender)-\(Int64(when.timeIntervalSince1970 * 1000))"
                    var message = InboundMessage(
                        channel: .messenger, endpointID: page, senderID: sender, providerMessageID: mid, timestamp: when, kind: "postback",
                        text: p.title)
                    message.payload = p.payload
                    items.append(.message(message))
                } else if let d = e.delivery {
                    for mid in d.mids ?? [] {
                        items.append(.status(StatusReceipt(channel: .messenger, providerMessageID: mid, status: .delivered, timestamp: when)))
                    }
                }
            }
        }
        return items.map(\.withoutNUL)
    }
}
