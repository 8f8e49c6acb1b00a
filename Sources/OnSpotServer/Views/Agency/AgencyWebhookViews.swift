import Fluent
import Foundation
import OnSpotCore
import Vapor

enum AgencyWebhookViews {
    static func page(req: Request, endpoints: [WebhookEndpointRecord], deliveries: [WebhookDelivery], newSecret: String?, error: String?) -> HTML {
        let zone = (try? req.agency.zone) ?? .current
        let endpointRows = endpoints.map { e in
            el(
                "tr", [:], el("td", [:], el("code", [:], .text(e.url))), el("td", [:], .text(e.active ? "active" : "off")),
                el(
                    "td", [:],
                    e.active
                        ? el(
                            "form", ["method": "post", "action": SiteURL.deactivateEndpoint(e.id!).path, "class": "inline"],
                            Layout.csrfField(req), el("button", ["type": "submit", "class": "secondary"], "Deactivate")) : .empty))
        }
        let deliveryRows = deliveries.map { d in
            el(
                "tr", [:], el("td", [:], .text(LocalDateTime.display(d.createdAt, in: zone, language: req.language, withZone: false))),
                el("td", [:], .text(d.eventType)), el("td", ["class": "delivery-status"], .text(d.status.rawValue)),
                el("td", [:], .text(d.lastResponseCode.map(String.init) ?? "—")), el("td", [:], .text(String(d.attempts))),
                el(
                    "td", [:],
                    el(
                        "form", ["method": "post", "action": SiteURL.replayDelivery(d.id!).path, "class": "inline"],
                        Layout.csrfField(req), el("button", ["type": "submit", "class": "secondary"], "Replay"))))
        }
        return Layout.page(
            req: req, title: "Webhooks",
            body: HTML.group([
                el("h1", [:], "Webhooks"),
                el(
                    "p", ["class": "muted"],
                    "POST application/json with headers OnSpot-Delivery, OnSpot-Timestamp and OnSpot-Signature: v1=hex(HMAC-SHA256(secret, \"<timestamp>.<body>\"))."
                ),
                newSecret.map { s in
                    el(
                        "div", ["class": "panel"], el("p", [:], .text(L10n.t("apikeys.shown_once", req.language))),
                        el("p", ["class": "key", "id": "new-webhook-secret"], .text(s)))
                } ?? .empty,
                error.map { el("p", ["class": "error", "role": "alert"], .text($0)) } ?? .empty,
                el("div", ["class": "table-wrap"], el("table", ["id": "webhook-endpoints"], el("tbody", [:], endpointRows))),
                el(
                    "form", ["method": "post", "action": SiteURL.agencyWebhookEndpoints.path, "class": "panel"], Layout.csrfField(req),
                    el("label", ["for": "f-url"], "URL"), el("input", ["id": "f-url", "name": "url", "type": "url", "required": ""]),
                    el("button", ["type": "submit"], .text(L10n.t("button.save", req.language)))),
                el("h2", [:], "Deliveries"),
                el("div", ["class": "table-wrap"], el("table", ["id": "webhook-deliveries"], el("tbody", [:], deliveryRows)))
            ]))
    }
}
