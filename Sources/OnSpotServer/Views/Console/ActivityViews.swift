import Foundation
import OnSpotCore
import Vapor

/// The case page's activity panel: the destination's catalogue, the booking form (amount billed, card fees, extra
/// costs: the commission base of clause 2.4) and the case's bookings.
enum ActivityViews {
    /// The fields whose errors the case's activity panel shows ("amount" is the cost form's too).
    static let errorFields: Set<String> = ["activity", "amount", "cardFees", "extraCosts", "cancelReason"]

    static func casePanel(req: Request, record: CaseRecord, activities: [ActivityRecord], bookings: [ActivityBookingRecord], errors: [FieldError])
        -> HTML
    {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        guard !activities.isEmpty || !bookings.isEmpty else { return .empty }
        let f = FormErrors(errors: errors.filter { errorFields.contains($0.field) }, lang: lang)
        return HTML.group([
            el("h2", ["id": "activities"], .text(t("activity.book"))),
            bookings.isEmpty
                ? .empty
                : el(
                    "ul", ["id": "activity-bookings"],
                    bookings.map { b in
                        let line = "\(b.activityName) · \(BillingViews.money(b.amountBilledMinor, b.currency, lang)) · \(b.supplier)"
                        guard b.status != .cancelled else {
                            return el(
                                "li", ["class": "cancelled"], el("s", [:], .text(line)),
                                .text(" – \(t("activity.status.cancelled")): \(b.cancellationReason ?? "")"))
                        }
                        return el(
                            "li", [:], .text(line), " ",
                            el(
                                "form",
                                [
                                    "method": "post", "class": "inline",
                                    "action": SiteURL.cancelActivityBooking(
                                        case: record.id ?? SiteURL.Parameter.id, booking: b.id ?? SiteURL.Parameter.id
                                    )
                                    .path
                                ],
                                Layout.csrfField(req),
                                el(
                                    "input",
                                    [
                                        "type": "text", "name": "reason", "required": "", "maxlength": "300",
                                        "aria-label": t("activity.cancel_reason"),
                                        "placeholder": t("activity.cancel_reason")
                                    ]),
                                el("button", ["type": "submit", "class": "secondary"], .text(t("activity.cancel")))))
                    }),
            f.message("cancelReason"),
            activities.isEmpty
                ? .empty
                : el(
                    "form", ["method": "post", "action": SiteURL.caseActivities(record.id!).path, "class": "panel", "id": "activity-form"],
                    Layout.csrfField(req), f.summary,
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select(
                                "activity", label: t("activity.field.activity"),
                                options: activities.map { a in
                                    (
                                        a.id!.uuidString,
                                        "\(a.name) – \(a.supplier) – \(a.price.formatted(lang))\(a.commissionable ? "" : " (\(t("commissions.not_commissionable")))")"
                                    )
                                }, selected: nil)),
                        el("div", [:], f.input("amount", label: t("commissions.field.billed"), value: nil)),
                        el("div", [:], f.input("cardFees", label: t("activity.field.card_fees"), value: "0")),
                        el("div", [:], f.input("extraCosts", label: t("activity.field.extra_costs"), value: "0"))),
                    el("button", ["type": "submit", "id": "book-activity"], .text(t("activity.book"))),
                    " ",
                    el(
                        "button",
                        ["type": "submit", "id": "push-activity", "class": "secondary", "formaction": SiteURL.caseRecommendations(record.id!).path],
                        .text(t("activity.push"))))
        ])
    }
}

extension ActivityViews {
    static func catalogue(
        req: Request, activities: [ActivityRecord], destinations: [DestinationRecord], errors: [FieldError],
        form: ActivityCatalogueController.Form?
    ) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        let f = FormErrors(errors: errors, lang: lang)
        let names = Dictionary(destinations.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        return Layout.page(
            req: req, title: t("nav.admin_activities"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.admin_activities"))),
                el(
                    "div", ["class": "table-wrap"],
                    el(
                        "table", ["id": "catalogue"],
                        el(
                            "tbody", [:],
                            activities.map { a in
                                el(
                                    "tr", ["class": a.active ? "" : "muted"], el("td", [:], .text(names[a.destinationID] ?? "—")),
                                    el("td", [:], .text(a.name)),
                                    el("td", [:], .text("\(a.activityType) · \(a.nature)")), el("td", [:], .text(a.supplier)),
                                    el("td", ["class": "num"], .text(a.price.formatted(lang))),
                                    el("td", [:], .text(a.commissionable ? "%" : t("commissions.not_commissionable"))),
                                    el(
                                        "td", [:],
                                        el(
                                            "form", ["method": "post", "action": SiteURL.toggleActivity(a.id!).path, "class": "inline"],
                                            Layout.csrfField(req),
                                            el("button", ["type": "submit", "class": "secondary"], .text(a.active ? "✓" : "✗")))))
                            }))),
                el(
                    "form", ["method": "post", "action": SiteURL.adminActivities.path, "class": "panel", "id": "activity-new"],
                    Layout.csrfField(req), f.summary,
                    el(
                        "div", ["class": "grid"],
                        el(
                            "div", [:],
                            f.select(
                                "destination", label: t("field.destinations"), options: destinations.map { ($0.id!.uuidString, $0.name) },
                                selected: form?.destination)),
                        el("div", [:], f.input("name", label: t("activity.field.activity"), value: form?.name, required: true)),
                        el("div", [:], f.input("activityType", label: t("commissions.field.type"), value: form?.activityType, required: true)),
                        el("div", [:], f.input("nature", label: t("commissions.field.nature"), value: form?.nature, required: true)),
                        el("div", [:], f.input("supplier", label: t("field.supplier"), value: form?.supplier, required: true)),
                        el("div", [:], f.input("price", label: t("billing.field.amount"), value: form?.price, required: true)),
                        el(
                            "div", [:],
                            f.select(
                                "currency", label: t("field.currency"), options: CurrencyCode.allCases.map { ($0.rawValue, $0.rawValue) },
                                selected: form?.currency ?? "EUR")),
                        el("div", [:], el("label", [:], el("input", ["type": "checkbox", "name": "commissionable", "checked": ""]), " %"))),
                    f.input(
                        "pitchFR", label: L10n.t("activity.field.pitch", lang, ["language": Language.fr.displayName]), value: form?.pitchFR,
                        required: true),
                    f.input(
                        "pitchEN", label: L10n.t("activity.field.pitch", lang, ["language": Language.en.displayName]), value: form?.pitchEN,
                        required: true),
                    f.input(
                        "pitchPT", label: L10n.t("activity.field.pitch", lang, ["language": Language.pt.displayName]), value: form?.pitchPT,
                        required: true),
                    el("button", ["type": "submit"], .text(t("button.save"))))
            ]))
    }
}

extension ActivityViews {
    static func claimsAdmin(req: Request, claims: [CommissionClaim], agencies: [UUID: String], activities: [UUID: String]) -> HTML {
        let lang = req.language
        func t(_ k: String) -> String { L10n.t(k, lang) }
        return Layout.page(
            req: req, title: t("claim.title"),
            body: HTML.group([
                el("h1", [:], .text(t("claim.title"))),
                claims.isEmpty
                    ? el("p", ["class": "muted"], .text(t("dashboard.none")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "claims"],
                            el(
                                "tbody", [:],
                                claims.map { c in
                                    el(
                                        "tr", ["data-claim": c.supplierReference],
                                        el("td", [:], .text(agencies[c.agencyID] ?? "—")), el("td", [:], .text(activities[c.activityID] ?? "—")),
                                        el("td", [:], .text(LocalDateTime.display(c.activityDate, in: .current, language: lang, withZone: false))),
                                        el("td", [:], .text(BillingViews.money(c.amountBilledMinor, c.currency, lang))),
                                        el("td", [:], .text(c.supplierReference)),
                                        el("td", [:], .text(t("claim.status.\(c.status)"))),
                                        el(
                                            "td", [:],
                                            c.status != .pending
                                                ? .text(c.decisionNote ?? "")
                                                : el(
                                                    "form", ["method": "post", "action": SiteURL.decideClaim(c.id!).path, "class": "inline"],
                                                    Layout.csrfField(req),
                                                    el("input", ["name": "note", "placeholder": t("claim.field.note"), "maxlength": "500"]),
                                                    el(
                                                        "button", ["type": "submit", "name": "decision", "value": "approve"],
                                                        .text(t("claim.approve"))),
                                                    el(
                                                        "button", ["type": "submit", "name": "decision", "value": "reject", "class": "secondary"],
                                                        .text(t("claim.reject"))))))
                                })))
            ]))
    }
}
