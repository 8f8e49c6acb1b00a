import Foundation
import OnSpotCore
import Vapor

/// The reply box under the conversation. Inside the provider's window it takes free text and canned replies; once
/// WhatsApp's 24-hour window has closed (at the page's load or later, by the clock: console.js turns it) it becomes a
/// template picker whose variables are filled from the case and whose preview is what the traveller will read.
enum ComposerViews {
    struct Context {
        let record: CaseRecord
        let conversation: Conversation?
        let traveller: Traveller?
        let destination: DestinationRecord?
        let trip: Trip?
        let expert: User?
    }

    /// Minutes as the console writes them: "45 min", "3 h 05".
    static func span(minutes: Int) -> String {
        minutes < 60 ? "\(minutes) min" : String(format: "%d h %02d", minutes / 60, minutes % 60)
    }

    /// The window's state in words: how long free replies remain allowed, or what is allowed now.
    static func windowState(_ allowed: MessagingWindow.Allowed, closes: Date?, channel: MessagingChannel, now: Date, _ lang: Language) -> String {
        let left = closes.map { span(minutes: Int(min(max($0.timeIntervalSince(now), 0) / 60, 999_999).rounded(.down))) } ?? ""
        switch allowed {
        case .freeText: return L10n.t("console.window_open", lang, ["time": left])
        case .humanAgentTag: return L10n.t("console.window_human_agent", lang, ["time": left])
        case .templateOnly: return L10n.t("console.window_closed_whatsapp", lang)
        case .closed: return L10n.t("console.window_closed_messenger", lang)
        }
    }

    /// Milliseconds since 1970 for the script's clock.
    static func epochMilliseconds(_ date: Date?) -> String {
        date.map { String(Int64(min(max($0.timeIntervalSince1970, 0), 1e12) * 1000)) } ?? ""
    }

    static func composer(req: Request, _ c: Context) -> HTML {
        let lang = req.language
        let now = req.now
        let caseID = c.record.id ?? SiteURL.Parameter.id
        let channel = c.conversation?.channel
        let lastInbound = c.conversation?.lastInboundAt
        let allowed = channel.map { MessagingWindow.allowed(channel: $0, lastInbound: lastInbound, now: now) }
        let mode: String =
            switch allowed {
            case .freeText?: "free"
            case .humanAgentTag?: "human"
            case .templateOnly?: "template"
            case .closed?, nil: "closed"
            }
        let travellerLanguage = c.traveller?.language ?? .fr
        let values =
            c.expert.map {
                CasePage.templateValues(traveller: c.traveller, destination: c.destination, trip: c.trip, expert: $0, now: now)
            } ?? [:]
        let canned = el(
            "select", ["id": "canned", "aria-label": L10n.t("console.canned", lang)],
            [el("option", ["value": ""], .text(L10n.t("console.canned_pick", lang)))]
                + CannedReplies.keys.map { key in
                    el(
                        "option",
                        [
                            "value": L10n.t(
                                key, travellerLanguage,
                                [
                                    "destination": c.destination?.name ?? "", "emergency": c.destination?.emergencyNumber ?? "",
                                    // "Bonjour Zoé," with a name, "Bonjour," without one.
                                    "first_name": values[.travellerFirstName].map { " " + $0 } ?? "", "hours": values[.destinationHours] ?? ""
                                ])
                        ],
                        .text(L10n.t(key + ".title", lang)))
                })
        let freeTextPart = el(
            "div", ["id": "free-reply", "hidden": .flag(mode == "template" || mode == "closed")],
            el("div", ["class": "reply-head"], el("label", ["for": "reply-text"], .text(L10n.t("console.reply", lang))), canned),
            el("textarea", ["id": "reply-text", "name": "text", "rows": "2"]),
            el("button", ["type": "submit", "id": "send-reply"], .text(L10n.t("console.send", lang))))
        let templates = channel == .whatsapp ? MessageTemplate.expertPicks : []
        let templatePart: HTML =
            templates.isEmpty
            ? .empty
            : el(
                "div", ["id": "template-reply", "hidden": .flag(mode != "template")],
                el(
                    "div", ["class": "reply-head"],
                    el("label", ["for": "template"], .text(L10n.t("console.template_pick", lang))),
                    el(
                        "select", ["id": "template"],
                        templates.map { t in el("option", ["value": t.name], .text(t.title(lang))) })),
                HTML.group(
                    templates.enumerated().map { position, t in
                        el(
                            "fieldset",
                            [
                                "class": "template-fields", "data-template": t.name, "data-body": t.body(travellerLanguage),
                                "hidden": .flag(position != 0)
                            ],
                            HTML.group(
                                t.variables.enumerated().map { index, variable in
                                    let id = "tp-\(t.name)-\(index)"
                                    return el(
                                        "label", ["for": id, "class": "template-variable"],
                                        .text(L10n.t("template.variable.\(variable.rawValue)", lang)),
                                        el(
                                            "input",
                                            [
                                                "id": id, "data-index": String(index), "value": values[variable] ?? "",
                                                "maxlength": String(TemplateParameterCheck.maximumLength)
                                            ]))
                                }))
                    }),
                el("small", ["class": "muted"], .text(L10n.t("console.template_preview", lang))),
                el("blockquote", ["id": "template-preview", "class": "template-preview", "lang": travellerLanguage.rawValue]),
                el("button", ["type": "button", "id": "send-template"], .text(L10n.t("console.send_template", lang))))
        let closes = channel.flatMap { MessagingWindow.closes(channel: $0, lastInbound: lastInbound, now: now) }
        return el(
            "form",
            [
                "id": "reply", "class": "panel reply", "data-case": caseID.uuidString, "data-mode": mode,
                "data-channel": channel?.rawValue ?? "",
                "data-free-until": epochMilliseconds(lastInbound.map { $0.addingTimeInterval(24 * 3600) }),
                "data-human-until": channel == .messenger ? epochMilliseconds(lastInbound.map { $0.addingTimeInterval(7 * 86400) }) : ""
            ],
            el(
                "p", ["id": "window-state", "class": "muted window-state", "data-mode": mode],
                .text(
                    channel == .voice
                        ? L10n.t("console.error.phone_case", lang, ["phone": c.conversation?.externalUserID ?? ""])
                        : allowed.map { windowState($0, closes: closes, channel: channel ?? .whatsapp, now: now, lang) }
                            ?? L10n.t("console.error.no_conversation", lang))),
            freeTextPart, templatePart,
            el("p", ["class": "error", "id": "reply-error", "role": "alert"]))
    }

    /// The words console.js needs to keep the window's state current by the clock.
    static func scriptWords(_ lang: Language) -> [String: String] {
        [
            "window.free": L10n.t("console.window_open", lang), "window.human": L10n.t("console.window_human_agent", lang),
            "window.template": L10n.t("console.window_closed_whatsapp", lang),
            "window.closed": L10n.t("console.window_closed_messenger", lang)
        ]
    }
}
