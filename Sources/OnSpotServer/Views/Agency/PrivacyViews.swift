import Foundation
import OnSpotCore
import Vapor

/// The agency's record of processing with its retention form, its data-subject request log, and the OnSpot admin's
/// retention bounds with the purge's latest reports.
enum PrivacyViews {
    /// A sub-processor this installation actually uses.
    enum Processor: Equatable {
        case meta, twilio, stripe
        case mail(host: String)
    }

    static func record(
        req: Request, agency: Agency, bounds: [RetentionCategory: RetentionBounds], months: [RetentionCategory: Int],
        typed: [RetentionCategory: String]?, processors: [Processor], errors: [FieldError]
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ args: [String: String] = [:]) -> String { L10n.t(k, lang, args) }
        let f = FormErrors(errors: errors, lang: lang)
        func list(_ keys: [String]) -> HTML { el("ul", [:], keys.map { el("li", [:], .text(t($0))) }) }
        let retentionRows = RetentionCategory.allCases.map { c in
            let range = bounds[c] ?? .standard(c)
            let name = "months.\(c.rawValue)"
            return el(
                "tr", [:], el("th", ["scope": "row"], el("label", ["for": FormErrors.id(for: name)], .text(t("retention.category.\(c.rawValue)")))),
                el(
                    "td", [:],
                    el(
                        "input",
                        [
                            "type": "number", "id": FormErrors.id(for: name), "name": name, "min": String(range.minimum),
                            "max": String(range.maximum),
                            "value": typed?[c] ?? String(months[c] ?? range.defaultMonths), "required": "", "class": "narrow"
                        ]), f.message(name)),
                el("td", ["class": "small"], .text(t("retention.help.\(c.rawValue)"))),
                el("td", ["class": "small"], .text(t("privacy.retention_bounds", ["min": String(range.minimum), "max": String(range.maximum)]))))
        }
        let processorItems: [HTML] = processors.map { p in
            switch p {
            case .meta: el("li", ["data-processor": "meta"], .text(t("privacy.processor.meta")))
            case .twilio: el("li", ["data-processor": "twilio"], .text(t("privacy.processor.twilio")))
            case .stripe: el("li", ["data-processor": "stripe"], .text(t("privacy.processor.stripe")))
            case .mail(let host): el("li", ["data-processor": "mail"], .text(t("privacy.processor.mail", ["host": host])))
            }
        }
        return Layout.page(
            req: req, title: t("nav.privacy"),
            body: HTML.group([
                el("h1", [:], .text(t("privacy.record_title"))),
                el("p", [:], .text(t("privacy.record_intro", ["agency": agency.legalName ?? agency.name]))),
                el(
                    "div", ["class": "panel", "id": "processing"],
                    el("h2", [:], .text(t("privacy.subjects"))), el("p", [:], .text(t("privacy.subjects_body"))),
                    el("h2", [:], .text(t("privacy.data"))),
                    list([
                        "privacy.data.identity", "privacy.data.trips", "privacy.data.conversations", "privacy.data.calls", "privacy.data.cases",
                        "privacy.data.consents"
                    ]),
                    el("h2", [:], .text(t("privacy.purposes"))),
                    list([
                        "privacy.purpose.assistance", "privacy.purpose.costs", "privacy.purpose.billing", "privacy.purpose.recommendations",
                        "privacy.purpose.alerts", "privacy.purpose.recordings"
                    ])),
                el(
                    "form", ["method": "post", "action": SiteURL.privacyRetention.path, "class": "panel", "id": "retention", "novalidate": ""],
                    Layout.csrfField(req), f.summary,
                    el("h2", [:], .text(t("privacy.retention"))), el("p", ["class": "small"], .text(t("privacy.retention_help"))),
                    el("div", ["class": "table-wrap"], el("table", [:], el("tbody", [:], retentionRows))),
                    el("p", ["class": "small"], .text(t("privacy.closure", ["days": String(RetentionClock.closureNoticeDays)]))),
                    el("button", ["type": "submit", "id": "save-retention"], .text(t("button.save")))),
                el(
                    "div", ["class": "panel", "id": "processors"],
                    el("h2", [:], .text(t("privacy.processors"))),
                    processorItems.isEmpty ? el("p", [:], .text(t("privacy.processors_none"))) : el("ul", [:], processorItems),
                    el("p", ["class": "small"], .text(t("privacy.transfers"))),
                    el("h2", [:], .text(t("privacy.security"))), el("p", [:], .text(t("privacy.security_body"))),
                    el("h2", [:], .text(t("privacy.rights"))), el("p", [:], .text(t("privacy.rights_body"))),
                    el("p", [:], el("a", ["href": SiteURL.dataRequests.path, "id": "requests-link"], .text(t("dsr.title")))))
            ]))
    }

    static func requests(
        req: Request, requests: [DataSubjectRequest], overdue: Int, errors: [FieldError], typed: DataProtectionController.RequestForm?
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ args: [String: String] = [:]) -> String { L10n.t(k, lang, args) }
        let f = FormErrors(errors: errors, lang: lang)
        let today = req.now
        let rows = requests.map { r -> HTML in
            let id = r.id ?? UUID()
            let left = DataSubjectDeadline.daysLeft(until: r.deadline, today: today)
            let due: HTML =
                r.status.isClosed
                ? .text(DataSubjectDeadline.text(r.deadline))
                : el(
                    "span", ["class": left < 0 ? "late" : (left <= 7 ? "soon" : nil)],
                    .text(
                        "\(DataSubjectDeadline.text(r.deadline)) — "
                            + (left < 0 ? t("dsr.overdue", ["days": String(-left)]) : t("dsr.days_left", ["days": String(left)]))))
            var actions: [HTML] = []
            if r.status == .open && left >= 0 {
                actions.append(
                    el(
                        "form", ["method": "post", "action": SiteURL.extendDataRequest(id).path, "class": "inline"], Layout.csrfField(req),
                        f.input("reason", label: t("dsr.extension_reason"), value: nil, required: true, field: "reason-\(id)"),
                        el("button", ["type": "submit", "class": "secondary"], .text(t("dsr.extend")))))
            }
            if !r.status.isClosed {
                actions.append(
                    el(
                        "form", ["method": "post", "action": SiteURL.closeDataRequest(id).path, "class": "inline"], Layout.csrfField(req),
                        f.input("outcome", label: t("dsr.outcome"), value: nil, field: "outcome-\(id)"),
                        el("button", ["type": "submit", "name": "status", "value": "done"], .text(t("dsr.close_done"))),
                        el("button", ["type": "submit", "name": "status", "value": "refused", "class": "secondary"], .text(t("dsr.close_refused")))))
            } else if let outcome = r.outcome {
                actions.append(el("p", ["class": "small"], .text(outcome)))
            }
            return el(
                "tr", ["data-request": id.uuidString, "data-status": r.status.rawValue],
                el("td", [:], .text(DataSubjectDeadline.text(r.receivedOn))), el("td", [:], .text(t("dsr.kind.\(r.kind.rawValue)"))),
                el("td", [:], .text(r.subjectReference)), el("td", [:], due), el("td", [:], .text(t("dsr.status.\(r.status.rawValue)"))),
                el("td", [:], actions))
        }
        let header = el(
            "tr", [:], el("th", [:], .text(t("dsr.received"))), el("th", [:], .text(t("dsr.kind"))), el("th", [:], .text(t("dsr.subject"))),
            el("th", [:], .text(t("dsr.due"))), el("th", [:], .text(t("dsr.status"))), el("th", [:], .empty))
        return Layout.page(
            req: req, title: t("dsr.title"),
            body: HTML.group([
                el("h1", [:], .text(t("dsr.title"))),
                el("p", ["class": "small"], .text(t("dsr.intro"))),
                overdue > 0 ? el("div", ["class": "flash bad", "id": "overdue"], .text(t("dsr.overdue_count", ["count": String(overdue)]))) : .empty,
                el(
                    "form", ["method": "post", "action": SiteURL.dataRequests.path, "class": "panel", "id": "new-request", "novalidate": ""],
                    Layout.csrfField(req), f.summary,
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select(
                                "kind", label: t("dsr.kind"),
                                options: DataSubjectRequestKind.allCases.map { ($0.rawValue, t("dsr.kind.\($0.rawValue)")) },
                                selected: typed?.kind)),
                        el(
                            "div", [:],
                            f.input(
                                "subjectReference", label: t("dsr.subject"), value: typed?.subjectReference, required: true,
                                extra: ["maxlength": "200"])),
                        el(
                            "div", [:],
                            f.input(
                                "receivedOn", label: t("dsr.received"), value: typed?.receivedOn ?? DataSubjectDeadline.text(today), type: "date",
                                required: true))
                    ),
                    el("p", ["class": "small"], .text(t("dsr.subject_help"))),
                    el("button", ["type": "submit", "id": "record-request"], .text(t("dsr.record")))),
                requests.isEmpty
                    ? el("p", [:], .text(t("dsr.empty")))
                    : el("div", ["class": "table-wrap"], el("table", ["id": "data-requests"], el("thead", [:], header), el("tbody", [:], rows)))
            ]))
    }

    static func adminRetention(
        req: Request, bounds: [RetentionCategory: RetentionBounds], runs: [JobRun], errors: [FieldError], typed: [String: String]?
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let rows = RetentionCategory.allCases.map { c -> HTML in
            let b = bounds[c] ?? .standard(c)
            func cell(_ prefix: String, _ value: Int) -> HTML {
                let name = "\(prefix).\(c.rawValue)"
                return el(
                    "td", [:],
                    el(
                        "input",
                        [
                            "type": "number", "id": FormErrors.id(for: name), "name": name, "min": "1", "max": "120",
                            "value": typed?[name] ?? String(value),
                            "aria-label": "\(t("retention.category.\(c.rawValue)")) — \(t("retention.\(prefix)"))",
                            "class": "narrow"
                        ]), f.message(name))
            }
            return el(
                "tr", [:], el("th", ["scope": "row"], .text(t("retention.category.\(c.rawValue)"))), cell("minimum", b.minimum),
                cell("default", b.defaultMonths), cell("maximum", b.maximum))
        }
        let header = el(
            "tr", [:], el("th", [:], .empty), el("th", [:], .text(t("retention.minimum"))), el("th", [:], .text(t("retention.default"))),
            el("th", [:], .text(t("retention.maximum"))))
        let runRows = runs.map { run in
            el(
                "tr", [:], el("td", [:], .text(String(run.key.dropFirst("purge:".count)))),
                el("td", [:], el("code", [:], .text(run.summary ?? t("retention.running")))))
        }
        return Layout.page(
            req: req, title: t("nav.admin_retention"),
            body: HTML.group([
                el("h1", [:], .text(t("privacy.retention"))),
                el(
                    "form", ["method": "post", "action": SiteURL.adminRetention.path, "class": "panel", "id": "retention-bounds", "novalidate": ""],
                    Layout.csrfField(req), f.summary,
                    el("div", ["class": "table-wrap"], el("table", [:], el("thead", [:], header), el("tbody", [:], rows))),
                    el("button", ["type": "submit", "id": "save-bounds"], .text(L10n.t("button.save", lang)))),
                el("h2", [:], .text(t("retention.runs"))),
                runs.isEmpty
                    ? el("p", [:], .text(t("retention.no_runs")))
                    : el("div", ["class": "table-wrap"], el("table", ["id": "purge-runs"], el("tbody", [:], runRows)))
            ]))
    }
}
