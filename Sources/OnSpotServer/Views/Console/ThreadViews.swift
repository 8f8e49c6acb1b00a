import Foundation
import OnSpotCore
import Vapor

/// The conversation as the expert reads it: every message with who sent it and its delivery state (a failure with the
/// provider's reason in words), photos inline, voice notes and voicemails as players, locations as a map link; the
/// internal notes and the case's events (opened, assigned, costs, approvals, bookings, resolution, satisfaction) in
/// the same timeline, unmistakably not messages.
enum ThreadViews {
    /// One line of the timeline.
    enum Item {
        case message(MessageRecord)
        case note(CaseNote)
        case event(at: Date, kind: String, text: String)

        var at: Date {
            switch self {
            case .message(let m): m.createdAt
            case .note(let n): n.createdAt
            case .event(let at, _, _): at
            }
        }
    }

    struct Inputs {
        let record: CaseRecord
        let messages: [MessageRecord]
        let notes: [CaseNote]
        let costs: [CostAction]
        let approvals: [UUID: Approval]
        let bookings: [ActivityBookingRecord]
        /// The case's audit entries (assignments, transfers, classification, link).
        let audit: [AuditEntry]
        let people: [UUID: User]
        let attachments: [UUID: [Attachment]]
        let destinations: [DestinationRecord]
    }

    /// The provider's failure reason in the expert's words: Meta's error code when it leads the stored reason.
    static func failure(_ reason: String?, _ lang: Language) -> String {
        let code = reason.flatMap { $0.split(separator: " ").first }.flatMap { Int($0) }
        if let code, L10n.has("delivery.error.\(code)") { return L10n.t("delivery.error.\(code)", lang) }
        return L10n.t("delivery.error.other", lang, ["reason": String((reason ?? "—").prefix(200))])
    }

    /// A shared location's coordinates from the message's media field, when they are real coordinates.
    static func location(_ media: String?) -> (latitude: Double, longitude: Double)? {
        guard let data = media?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: String],
            let lat = object["lat"].flatMap(Double.init), let lon = object["lon"].flatMap(Double.init),
            (-90...90).contains(lat), (-180...180).contains(lon)
        else { return nil }
        return (lat, lon)
    }

    static func items(_ i: Inputs, _ lang: Language) -> [Item] {
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        func name(_ id: UUID?) -> String { id.flatMap { i.people[$0]?.name } ?? t("thread.someone") }
        var events: [Item] = [.event(at: i.record.openedAt, kind: "opened", text: t("thread.opened"))]
        for entry in i.audit {
            let detail = entry.details
            switch entry.action {
            case AuditAction.caseAssigned.rawValue:
                events.append(
                    .event(
                        at: entry.createdAt, kind: "assigned",
                        text: t("thread.assigned", ["who": name(entry.actorUserID), "to": name(detail["to"].flatMap(UUID.init(uuidString:)))])))
            case AuditAction.caseTransferred.rawValue:
                let to = i.destinations.first { $0.code == detail["to"] }?.name ?? detail["to"] ?? "—"
                events.append(
                    .event(at: entry.createdAt, kind: "transferred", text: t("thread.transferred", ["who": name(entry.actorUserID), "to": to])))
            case AuditAction.conversationLinked.rawValue:
                events.append(.event(at: entry.createdAt, kind: "linked", text: t("thread.linked", ["who": name(entry.actorUserID)])))
            default: break
            }
        }
        for cost in i.costs {
            events.append(
                .event(
                    at: cost.createdAt, kind: "cost",
                    text: t(
                        "thread.cost",
                        [
                            "amount": Money(minorUnits: cost.amountMinor, currency: cost.currency).formatted(lang),
                            "domain": t("domain.\(cost.domain.rawValue)"), "supplier": cost.supplier,
                            "outcome": t("cost.outcome.\(cost.decision.rawValue)")
                        ])))
            if let id = cost.id, let approval = i.approvals[id] {
                events.append(.event(at: approval.createdAt, kind: "approval", text: t("thread.approval_requested")))
                if let decided = approval.decidedAt {
                    events.append(
                        .event(
                            at: decided, kind: "approval",
                            text: t("thread.approval_decided", ["status": t("approval.status.\(approval.status.rawValue)")])))
                }
            }
        }
        for booking in i.bookings {
            events.append(.event(at: booking.requestedAt, kind: "booking", text: t("thread.booked", ["activity": booking.activityName])))
        }
        if let resolved = i.record.resolvedAt {
            // Whoever resolved it, as the audit trail says; the holder when the trail has no entry.
            let resolver = i.audit.last { $0.action == AuditAction.caseResolved.rawValue }?.actorUserID ?? i.record.assigneeID
            events.append(.event(at: resolved, kind: "resolved", text: t("thread.resolved", ["who": name(resolver)])))
        }
        if let answered = i.record.satisfactionAnsweredAt, let rating = i.record.satisfaction {
            events.append(.event(at: answered, kind: "satisfaction", text: t("thread.satisfaction", ["rating": t("csat.rating.\(rating.rawValue)")])))
        }
        // The opening first, then in time order; equal instants keep messages, then notes, then events, in their own order.
        let all = [events[0]] + i.messages.map(Item.message) + i.notes.map(Item.note) + events.dropFirst()
        return all.enumerated().sorted { a, b in
            a.offset == 0 || b.offset == 0
                ? a.offset == 0 && b.offset != 0 : a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
        }.map(\.element)
    }

    static func thread(_ i: Inputs, zone: TimeZone, _ lang: Language) -> [HTML] {
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        return items(i, lang).map { item in
            switch item {
            case .message(let m): return message(m, i, zone: zone, lang)
            case .note(let n):
                return el(
                    "div", ["class": "note", "data-note": n.id?.uuidString ?? ""],
                    el(
                        "small", [:],
                        .text(
                            "📝 \(t("thread.note")) · \(n.authorID.flatMap { i.people[$0]?.name } ?? "—") · \(LocalDateTime.displayTime(n.createdAt, in: zone))"
                        )),
                    el("div", [:], .text(n.body)))
            case .event(let at, let kind, let text):
                return el("div", ["class": "event", "data-event": kind], .text("\(LocalDateTime.displayTime(at, in: zone)) · \(text)"))
            }
        }
    }

    static func message(_ m: MessageRecord, _ i: Inputs, zone: TimeZone, _ lang: Language) -> HTML {
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        let outbound = m.direction == .outbound
        var head = [LocalDateTime.displayTime(m.createdAt, in: zone), ConsoleViews.kindLabel(m.kind, lang)]
        if outbound { head.append(m.authorID.flatMap { i.people[$0]?.name } ?? t("thread.automatic")) }
        head.append(t("message.status.\(m.status.rawValue)"))
        let attachments = m.id.flatMap { i.attachments[$0] } ?? []
        var parts: [HTML] = [el("small", ["class": "muted"], .text(head.joined(separator: " · ")))]
        if m.status == .failed {
            parts.append(el("p", ["class": "failure", "role": "note"], .text("⚠ " + failure(m.failedReason, lang))))
        }
        if m.kind == "voicemail", m.channel == .voice, let id = m.id, m.media != nil {
            parts.append(el("audio", ["controls": "", "preload": "none", "src": SiteURL.recording(id).path, "class": "voicemail"]))
        }
        if let place = location(m.media) {
            let link = "https://www.openstreetmap.org/?mlat=\(place.latitude)&mlon=\(place.longitude)#map=16/\(place.latitude)/\(place.longitude)"
            parts.append(
                el(
                    "a", ["href": link, "class": "location", "target": "_blank", "rel": "noopener"],
                    .text("📍 \(t("thread.location")) (\(String(format: "%.5f", place.latitude)), \(String(format: "%.5f", place.longitude)))")))
        }
        if m.kind == "voicemail", let body = m.body, let voicemail = Voicemail(body) {
            parts.append(el("div", [:], .text(t("thread.voicemail", ["seconds": String(voicemail.seconds), "phone": voicemail.callBack]))))
            if let transcript = voicemail.transcript { parts.append(el("blockquote", ["class": "transcript"], .text(transcript))) }
        } else if let body = m.body, !body.isEmpty {
            parts.append(el("div", [:], .text(body)))
        } else if attachments.isEmpty {
            parts.append(el("div", [:], .text("[\(ConsoleViews.kindLabel(m.kind, lang))]")))
        }
        for a in attachments {
            let mime = a.mimeType ?? ""
            guard a.status == .stored, let id = a.id else {
                parts.append(
                    el(
                        "small", ["class": "muted attachment"],
                        .text("📎 \(a.mimeType ?? t("console.file")): \(t("attachment.status.\(a.status.rawValue)"))")))
                continue
            }
            let url = SiteURL.attachment(id).path
            if mime.hasPrefix("image/") {
                parts.append(
                    el(
                        "a", ["href": url, "target": "_blank", "rel": "noopener", "class": "attachment"],
                        el("img", ["src": url, "alt": m.body ?? t("message.kind.image"), "loading": "lazy", "class": "inline-image"])))
            } else if mime.hasPrefix("audio/") {
                parts.append(el("audio", ["controls": "", "preload": "none", "src": url, "class": "attachment"]))
            } else if mime.hasPrefix("video/") {
                parts.append(el("video", ["controls": "", "preload": "none", "src": url, "class": "attachment inline-video"]))
            } else {
                parts.append(
                    el(
                        "a", ["href": url, "class": "attachment", "target": "_blank", "rel": "noopener"],
                        .text("📎 \(a.mimeType ?? t("console.file")) (\((a.size ?? 0) / 1024) KB)")))
            }
        }
        return el(
            "div",
            ["class": "panel msg \(m.direction)\(m.status == .failed ? " failed" : "")", "data-id": m.id?.uuidString ?? "", "data-kind": m.kind],
            HTML.group(parts))
    }
}

/// A voicemail's stored text, "Voicemail (42 s). Call back: +1…" then "« transcript »" once Twilio's transcription
/// arrives (TwilioVoice.message, VoiceController.transcription), read back to show it in the expert's language.
struct Voicemail: Equatable {
    let seconds: Int
    let callBack: String
    let transcript: String?

    init?(_ body: String) {
        let lines = body.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Voicemail ("), let close = first.firstIndex(of: ")") else { return nil }
        let inside = first[first.index(first.startIndex, offsetBy: 11)..<close].replacingOccurrences(of: " s", with: "")
        guard let seconds = Int(inside), let marker = first.range(of: "Call back: ") else { return nil }
        self.seconds = seconds
        callBack = String(first[marker.upperBound...])
        let rest = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        transcript = rest.isEmpty ? nil : rest.trimmingCharacters(in: CharacterSet(charactersIn: "«» "))
    }
}
