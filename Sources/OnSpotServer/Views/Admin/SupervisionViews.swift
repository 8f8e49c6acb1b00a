import Foundation
import OnSpotCore
import Vapor

enum SupervisionViews {
    static func page(
        req: Request, lines: [SupervisionController.DestinationLine], experts: [SupervisionController.ExpertLine],
        satisfaction: SatisfactionSummary, month: String
    ) -> HTML {
        let lang = req.language
        let now = req.now
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let busy = lines.filter { $0.open > 0 }
        let oldest = lines.compactMap { l in l.oldestWaiting.map { (l, $0) } }.min { $0.1.since < $1.1.since }
        let destinationRows = busy.map { l in
            el(
                "tr", ["data-destination": l.destination.code, "class": l.breached > 0 ? "breached" : ""],
                el("td", [:], .text(l.destination.name)), el("td", ["class": "num open"], .text(String(l.open))),
                el("td", ["class": "num breached-count"], .text(String(l.breached))),
                el("td", ["class": "num"], .text(String(l.unassigned))),
                el(
                    "td", [:],
                    l.oldestWaiting.map { w in
                        el(
                            "a", ["href": SiteURL.consoleCase(w.caseID).path],
                            .text(
                                t("supervision.waiting_for", ["time": ComposerViews.span(minutes: Int(max(now.timeIntervalSince(w.since), 0) / 60))]))
                        )
                    } ?? .text("—")))
        }
        let expertRows = experts.map { e in
            el(
                "tr", ["data-expert": e.user.email], el("td", [:], .text(e.user.name)),
                el("td", [:], .text(e.user.onDuty ? t("supervision.on_duty") : "—")),
                el("td", ["class": "num holding"], .text(String(e.holding))), el("td", [:], .text(e.destinations.joined(separator: ", "))))
        }
        return Layout.page(
            req: req, title: t("nav.admin_supervision"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.admin_supervision"))),
                el(
                    "p", ["id": "oldest-waiting"],
                    .text(
                        oldest.map { l, w in
                            t(
                                "supervision.oldest",
                                [
                                    "destination": l.destination.name,
                                    "time": ComposerViews.span(minutes: Int(max(now.timeIntervalSince(w.since), 0) / 60))
                                ])
                        } ?? t("supervision.nobody_waiting"))),
                el("h2", [:], .text(t("supervision.open_cases"))),
                busy.isEmpty
                    ? el("p", ["class": "muted"], .text(t("supervision.no_open_case")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "supervision-destinations"],
                            el(
                                "thead", [:],
                                el(
                                    "tr", [:],
                                    HTML.group(
                                        [
                                            "csat.destination", "supervision.open", "supervision.breached", "supervision.unassigned",
                                            "supervision.waiting"
                                        ]
                                        .map { el("th", [:], .text(t($0))) }))),
                            el("tbody", [:], destinationRows))),
                el("h2", [:], .text(t("supervision.experts"))),
                el(
                    "div", ["class": "table-wrap"],
                    el(
                        "table", ["id": "supervision-experts"],
                        el(
                            "thead", [:],
                            el(
                                "tr", [:],
                                HTML.group(
                                    ["supervision.expert", "supervision.duty", "supervision.holding", "supervision.covers"].map {
                                        el("th", [:], .text(t($0)))
                                    }))),
                        el("tbody", [:], expertRows))),
                el("h2", [:], .text("\(t("csat.title")) · \(month)")),
                el(
                    "form", ["method": "get", "action": SiteURL.adminSupervision.path, "class": "inline"],
                    el("input", ["type": "month", "name": "month", "value": month, "aria-label": t("csat.month")]),
                    el("button", ["type": "submit", "class": "secondary"], .text(t("button.filter")))),
                SatisfactionViews.table(satisfaction, lang)
            ]))
    }
}
