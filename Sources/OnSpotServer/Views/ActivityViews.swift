import Foundation
import OnSpotCore
import Vapor

/// The case page's activity panel: the destination's catalogue, the booking form (amount billed, card fees, extra
/// costs: the commission base of clause 2.4) and the case's bookings.
enum ActivityViews {
    static func casePanel(req: Request, record: CaseRecord, activities: [ActivityRecord], bookings: [ActivityBookingRecord], errors: [FieldError]) -> HTML {
        let lang = req.lang
        func t(_ k: String) -> String { L10n.t(k, lang) }
        guard !activities.isEmpty || !bookings.isEmpty else { return .empty }
        let f = FormErrors(errors: errors.filter { ["activity", "amount", "cardFees", "extraCosts"].contains($0.field) }, lang: lang)
        return HTML.group([
            el("h2", ["id": "activities"], .text(t("activity.book"))),
            bookings.isEmpty ? .empty : el("ul", ["id": "activity-bookings"], bookings.map { b in
                el("li", [:], .text("\(b.activityName) · \(BillingViews.money(b.amountBilledMinor, b.currency, lang)) · \(b.supplier)"))
            }),
            activities.isEmpty ? .empty : el("form", ["method": "post", "action": "/console/cases/\(record.id!)/activities", "class": "panel", "id": "activity-form"],
               Layout.csrfField(req), f.summary,
               el("div", ["class": "grid"],
                  el("div", [:], f.select("activity", label: t("activity.field.activity"), options: activities.map { a in
                      (a.id!.uuidString, "\(a.name) – \(a.supplier) – \(a.price.formatted(lang))\(a.commissionable ? "" : " (\(t("commissions.not_commissionable")))")")
                  }, selected: nil)),
                  el("div", [:], f.input("amount", label: t("commissions.field.billed"), value: nil)),
                  el("div", [:], f.input("cardFees", label: t("activity.field.card_fees"), value: "0")),
                  el("div", [:], f.input("extraCosts", label: t("activity.field.extra_costs"), value: "0"))),
               el("button", ["type": "submit", "id": "book-activity"], .text(t("activity.book"))),
               " ",
               el("button", ["type": "submit", "id": "push-activity", "class": "secondary", "formaction": "/console/cases/\(record.id!)/recommendations"],
                  .text(t("activity.push")))),
        ])
    }
}
