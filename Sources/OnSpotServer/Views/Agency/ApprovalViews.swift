import Foundation
import OnSpotCore
import Vapor

enum ApprovalViews {
    static func inbox(req: Request, agency: Agency, rows: [ApprovalsController.Row]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let items = rows.map { r -> HTML in
            let a = r.approval
            let head = el(
                "p", [:], el("strong", [:], .text("\(r.traveller) · \(r.reference)")), " ",
                el("span", ["class": "badge status"], .text(t("approval.status.\(a.status)"))), " ",
                el("small", ["class": "muted"], .text(LocalDateTime.display(a.createdAt, in: agency.zone, language: lang))))
            let body = el("p", ["class": "shown"], .text(a.shownText))
            if a.status == .pending {
                return el(
                    "div", ["class": "panel approval pending", "data-approval": a.id!.uuidString], head, body,
                    el(
                        "p", ["class": "muted"],
                        .text(L10n.t("approval.expires", lang, ["when": LocalDateTime.display(a.expiresAt, in: agency.zone, language: lang)]))),
                    el(
                        "form", ["method": "post", "action": SiteURL.approvalDecision(a.id!).path],
                        Layout.csrfField(req),
                        el("label", ["for": "comment-\(a.id!)"], .text(t("approval.comment"))),
                        el("textarea", ["id": "comment-\(a.id!)", "name": "comment", "rows": "2", "maxlength": "2000"]),
                        el("button", ["type": "submit", "name": "decision", "value": "approve", "class": "approve"], .text(t("approval.approve"))),
                        " ",
                        el("button", ["type": "submit", "name": "decision", "value": "deny", "class": "secondary deny"], .text(t("approval.deny")))))
            }
            let decided = [r.decidedBy, a.decidedVia?.rawValue, a.decidedAt.map { LocalDateTime.display($0, in: agency.zone, language: lang) }]
                .compactMap { $0 }.joined(separator: " · ")
            return el(
                "div", ["class": "panel approval", "data-approval": a.id!.uuidString], head, body,
                el("p", ["class": "muted"], .text(decided + (a.comment.map { " – « \($0) »" } ?? ""))))
        }
        return Layout.page(
            req: req, title: t("nav.approvals"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.approvals"))),
                rows.isEmpty ? el("p", ["class": "muted"], .text(t("approval.none"))) : HTML.group(items)
            ]))
    }

    static func linkPage(req: Request, row: ApprovalsController.Row, agency: Agency?, token: String, decision: ApprovalDecision) -> HTML {
        let lang = agency?.language ?? req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let a = row.approval
        return Layout.page(
            req: req, title: t("approval.confirm"),
            body: HTML.group([
                el("h1", [:], .text(t("approval.confirm"))),
                el("p", [:], el("strong", [:], .text("\(agency?.name ?? "") · \(row.traveller) · \(row.reference)"))),
                el("p", ["class": "panel shown"], .text(a.shownText)),
                el(
                    "form", ["method": "post", "action": SiteURL.approvalLink(a.id!).path, "class": "panel"],
                    Layout.csrfField(req),
                    el("input", ["type": "hidden", "name": "token", "value": token]),
                    el("label", ["for": "comment"], .text(t("approval.comment"))),
                    el("textarea", ["id": "comment", "name": "comment", "rows": "3", "maxlength": "2000"]),
                    el(
                        "button",
                        ["type": "submit", "name": "decision", "value": "approve", "class": decision == .approve ? "approve" : "secondary approve"],
                        .text(t("approval.approve"))), " ",
                    el(
                        "button", ["type": "submit", "name": "decision", "value": "deny", "class": decision == .deny ? "deny" : "secondary deny"],
                        .text(t("approval.deny"))))
            ]))
    }

    static func done(req: Request, approval: Approval) -> HTML {
        Layout.page(
            req: req, title: L10n.t("approval.decided", req.language),
            body: HTML.group([
                el("h1", [:], .text(L10n.t("approval.decided", req.language))),
                el("p", ["id": "decision"], .text(L10n.t("approval.status.\(approval.status)", req.language))),
                el("p", ["class": "shown"], .text(approval.shownText))
            ]))
    }
}
