import Foundation
import OnSpotCore
import Vapor

enum AuditReportViews {
    static func audit(
        req: Request, agency: Agency, entries: [AuditEntry], names: [UUID: String], page: Int, hasMore: Bool,
        action: String?, brokenAt: Int64?
    ) -> HTML {
        let lang = req.language
        let rows = entries.map { e in
            el(
                "tr", ["data-sequence": String(e.chainSequence ?? 0)],
                el("td", [:], .text(String(e.chainSequence ?? 0))),
                el("td", [:], .text(LocalDateTime.display(e.createdAt, in: agency.zone, language: lang))),
                el("td", [:], .text(e.actorUserID.flatMap { names[$0] } ?? e.actorKind)),
                el("td", ["class": "action"], .text(e.action)),
                el("td", [:], .text("\(e.subjectType) \(e.subjectID?.prefix(8) ?? "")")),
                el("td", ["class": "detail"], .text(e.detail)),
                el("td", [:], el("code", ["title": e.hash], .text(String(e.hash.prefix(12))))))
        }
        let query = action.map { "&action=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } ?? ""
        return Layout.page(
            req: req, title: L10n.t("nav.audit", lang),
            body: HTML.group([
                el("h1", [:], .text(L10n.t("nav.audit", lang))),
                el(
                    "p", ["id": "chain", "class": brokenAt == nil ? "flash" : "flash bad"],
                    .text(brokenAt.map { L10n.t("audit.broken", lang, ["sequence": String($0)]) } ?? L10n.t("audit.intact", lang))),
                el(
                    "form", ["method": "get", "action": SiteURL.audit.path, "class": "inline"],
                    el("input", ["name": "action", "value": action ?? "", "placeholder": "cost.recorded", "aria-label": "action"]),
                    el("button", ["type": "submit", "class": "secondary"], .text(L10n.t("button.filter", lang)))),
                el("p", [:], el("a", ["href": SiteURL.auditCSV.path, "id": "audit-csv"], "CSV")),
                el("div", ["class": "table-wrap"], el("table", ["id": "audit"], el("tbody", [:], rows))),
                el(
                    "p", [:],
                    page > 1 ? el("a", ["href": SiteURL.audit.with("?page=\(page - 1)\(query)")], "←") : .empty, " ",
                    hasMore ? el("a", ["href": SiteURL.audit.with("?page=\(page + 1)\(query)"), "id": "next"], "→") : .empty)
            ]))
    }

    static func report(
        req: Request, agency: Agency, month: String, report: MonthlyReport, overrides: [CostAction], satisfaction: SatisfactionSummary
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: agency.currency).formatted(lang) }
        let domainRows = report.committedByDomain.sorted { $0.key < $1.key }.map { d, amount in
            el("tr", [:], el("td", [:], .text(t("domain.\(d)"))), el("td", ["class": "num"], .text(money(amount))))
        }
        let approvalRows = ApprovalStatus.allCases.map { s in
            el(
                "tr", [:], el("td", [:], .text(t("approval.status.\(s)"))),
                el("td", ["class": "num", "id": "approvals-\(s)"], .text(String(report.approvalsByStatus[s] ?? 0))))
        }
        let overrideRows = overrides.map { o in
            el(
                "tr", ["class": "override"], el("td", [:], .text(LocalDateTime.display(o.createdAt, in: agency.zone, language: lang))),
                el("td", [:], .text("\(t("domain.\(o.domain)")) – \(o.supplier)")), el("td", ["class": "num"], .text(o.agencyMoney.formatted(lang))),
                el("td", [:], .text(o.emergencyJustification ?? "")))
        }
        return Layout.page(
            req: req, title: t("nav.reports"),
            body: HTML.group([
                el("h1", [:], .text("\(t("nav.reports")) · \(month)")),
                el(
                    "form", ["method": "get", "action": SiteURL.reports.path, "class": "inline"],
                    el("input", ["type": "month", "name": "month", "value": month, "aria-label": "month"]),
                    el("button", ["type": "submit", "class": "secondary"], .text(t("button.filter")))),
                el("p", [:], el("a", ["href": SiteURL.reportsCSV.with("?month=\(month)"), "id": "report-csv"], "CSV")),
                el(
                    "div", ["class": "grid"],
                    el(
                        "div", ["class": "panel"], el("h2", [:], .text(t("report.cases"))),
                        el("p", ["id": "cases-opened"], .text(L10n.t("report.opened", lang, ["n": String(report.casesOpened)]))),
                        el("p", ["id": "cases-resolved"], .text(L10n.t("report.resolved", lang, ["n": String(report.casesResolved)])))),
                    el(
                        "div", ["class": "panel"], el("h2", [:], .text(t("report.costs"))),
                        el("table", ["id": "costs-by-domain"], el("tbody", [:], domainRows)),
                        el("p", ["id": "costs-total"], el("strong", [:], .text(money(report.committedTotal))))),
                    el(
                        "div", ["class": "panel"], el("h2", [:], .text(t("nav.approvals"))),
                        el("table", [:], el("tbody", [:], approvalRows)),
                        el(
                            "p", ["id": "time-to-decision"],
                            .text(
                                L10n.t(
                                    "report.time_to_decision", lang,
                                    [
                                        "median": report.medianMinutesToDecision.map(String.init) ?? "—",
                                        "mean": report.meanMinutesToDecision.map(String.init) ?? "—"
                                    ]))))),
                el("h2", [:], .text(t("csat.title"))),
                SatisfactionViews.table(satisfaction, lang),
                el("h2", [:], .text(L10n.t("report.overrides", lang, ["n": String(report.overrides), "total": money(report.overrideTotal)]))),
                overrides.isEmpty ? .empty : el("div", ["class": "table-wrap"], el("table", ["id": "overrides"], el("tbody", [:], overrideRows)))
            ]))
    }

    static func rates(req: Request, rates: [ExchangeRateRecord], error: String?) -> HTML {
        let lang = req.language
        let currencies = CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) }
        let f = FormErrors(lang: lang)
        let rows = rates.map { r in
            el(
                "tr", [:], el("td", [:], .text("\(r.fromCurrency) → \(r.toCurrency)")), el("td", ["class": "num"], .text(r.rate)),
                el("td", [:], .text(LocalDateTime.display(r.updatedAt, in: TimeZone(identifier: "Europe/Paris")!, language: lang))))
        }
        return Layout.page(
            req: req, title: L10n.t("nav.admin_rates", lang),
            body: HTML.group([
                el("h1", [:], .text(L10n.t("nav.admin_rates", lang))),
                el("table", ["id": "rates"], el("tbody", [:], rows)),
                el(
                    "form", ["method": "post", "action": SiteURL.adminRates.path, "class": "panel"],
                    Layout.csrfField(req),
                    error.map { el("p", ["class": "error", "role": "alert"], .text($0)) } ?? .empty,
                    el(
                        "div", ["class": "grid"],
                        el("div", [:], f.select("from", label: "From", options: currencies, selected: "USD")),
                        el("div", [:], f.select("to", label: "To", options: currencies, selected: "EUR")),
                        el("div", [:], f.input("rate", label: "Rate", value: nil, required: true, extra: ["inputmode": "decimal"]))),
                    el("button", ["type": "submit"], .text(L10n.t("button.save", lang))))
            ]))
    }
}
