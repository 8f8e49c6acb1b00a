import Fluent
import Foundation
import OnSpotCore
import Vapor

enum AgencyWebhookViews {
    /// The overlaps offered when rotating a secret, in hours; 24 is preselected.
    static let overlapChoices = [0, 1, 24, 72]

    static func page(req: Request, endpoints: [WebhookEndpointRecord], deliveries: [WebhookDelivery], newSecret: String?, error: String?) -> HTML {
        let lang = req.language
        let zone = (try? req.agency.zone) ?? .current
        func t(_ key: String, _ args: [String: String] = [:]) -> String { L10n.t(key, lang, args) }
        let endpointRows = endpoints.compactMap { e -> HTML? in
            guard let id = e.id else { return nil }
            var state = t(e.active ? "webhook.active" : "webhook.inactive")
            if e.active, let previous = e.previousSecretExpiresAt, previous > req.now {
                state += " · " + t("webhook.overlap.until", ["date": LocalDateTime.display(previous, in: zone, language: lang)])
            }
            let overlap = el(
                "select", ["name": "overlapHours", "aria-label": t("webhook.overlap")],
                HTML.group(
                    overlapChoices.map { hours in
                        el(
                            "option", ["value": String(hours), "selected": .flag(hours == 24)],
                            .text(hours == 0 ? t("webhook.overlap.none") : t("webhook.overlap.hours", ["hours": String(hours)])))
                    }))
            return el(
                "tr", ["data-endpoint": id.uuidString], el("td", [:], el("code", [:], .text(e.url))), el("td", [:], .text(state)),
                el(
                    "td", [:],
                    e.active
                        ? HTML.group([
                            el(
                                "form", ["method": "post", "action": SiteURL.rotateEndpointSecret(id).path, "class": "inline"],
                                Layout.csrfField(req), el("label", [:], .text(t("webhook.overlap")), overlap),
                                el("button", ["type": "submit", "class": "secondary"], .text(t("webhook.rotate")))),
                            el(
                                "form", ["method": "post", "action": SiteURL.deactivateEndpoint(id).path, "class": "inline"],
                                Layout.csrfField(req), el("button", ["type": "submit", "class": "secondary"], .text(t("webhook.deactivate"))))
                        ]) : .empty))
        }
        let deliveryRows = deliveries.compactMap { d -> HTML? in
            guard let id = d.id else { return nil }
            return el(
                "tr", [:], el("td", [:], .text(LocalDateTime.display(d.createdAt, in: zone, language: lang, withZone: false))),
                el("td", [:], el("code", [:], .text(d.eventType))),
                el("td", ["class": "delivery-status", "data-status": d.status.rawValue], .text(t("webhook.delivery." + d.status.rawValue))),
                el("td", [:], .text(d.lastResponseCode.map(String.init) ?? "—")), el("td", [:], .text(String(d.attempts))),
                el(
                    "td", [:],
                    el(
                        "form", ["method": "post", "action": SiteURL.replayDelivery(id).path, "class": "inline"],
                        Layout.csrfField(req), el("button", ["type": "submit", "class": "secondary"], .text(t("webhook.replay"))))))
        }
        let deliveriesHead = el(
            "thead", [:],
            el(
                "tr", [:], el("th", [:], .text(t("webhook.when"))), el("th", [:], .text(t("webhook.event"))),
                el("th", [:], .text(t("webhook.status"))), el("th", [:], .text(t("webhook.response"))),
                el("th", [:], .text(t("webhook.attempts"))), el("th", [:], .empty)))
        return Layout.page(
            req: req, title: t("webhook.title"),
            body: HTML.group([
                el("h1", [:], .text(t("webhook.title"))),
                el("p", ["class": "muted"], .text(t("webhook.intro"))),
                newSecret.map { s in
                    el(
                        "div", ["class": "panel"], el("p", [:], .text(t("apikeys.shown_once"))),
                        el("p", ["class": "key", "id": "new-webhook-secret"], .text(s)))
                } ?? .empty,
                error.map { el("p", ["class": "error", "role": "alert"], .text($0)) } ?? .empty,
                el("h2", [:], .text(t("webhook.endpoints"))),
                el("div", ["class": "table-wrap"], el("table", ["id": "webhook-endpoints"], el("tbody", [:], endpointRows))),
                el(
                    "form", ["method": "post", "action": SiteURL.agencyWebhookEndpoints.path, "class": "panel"], Layout.csrfField(req),
                    el("label", ["for": "f-url"], .text(t("webhook.address"))),
                    el("input", ["id": "f-url", "name": "url", "type": "url", "required": "", "maxlength": "500"]),
                    el("button", ["type": "submit"], .text(t("webhook.add")))),
                el("h2", [:], .text(t("webhook.deliveries"))),
                deliveries.isEmpty
                    ? el("p", ["class": "muted"], .text(t("webhook.none")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el("table", ["id": "webhook-deliveries"], deliveriesHead, el("tbody", [:], deliveryRows)))
            ]))
    }
}
