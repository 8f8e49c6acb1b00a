import Foundation
import OnSpotCore
import Vapor

/// Pages of issue 5: payment, receipt, invoices (print-ready), commissions, credits.
enum BillingViews {
    static func money(_ minor: Int64, _ currency: CurrencyCode, _ lang: Language) -> String {
        Money(minorUnits: minor, currency: currency).formatted(lang)
    }

    /// The trip page's billing panel.
    /// Seller and buyer as a French B2B invoice names them: the seller from the terms (or the environment), the buyer's
    /// legal name, address and registration as the agency gave them.
    static func parties(agency: Agency, lang: Language) -> HTML {
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let seller = SellerIdentity.from(environment: ProcessInfo.processInfo.environment)
        let buyer = [
            agency.legalName ?? agency.name, agency.address, agency.registrationNumber.map { t("invoice.registration", ["number": $0]) },
            agency.vatNumber.map { t("invoice.vat_number", ["number": $0]) }
        ]
        .compactMap { $0 }.filter { !$0.isEmpty }
        return el(
            "div", ["class": "grid", "id": "invoice-parties"],
            el(
                "p", ["id": "invoice-seller"], el("strong", [:], .text(t("invoice.seller"))), el("br"), .text(seller.name), el("br"),
                .text(seller.address), seller.taxID.map { HTML.group([el("br"), .text(t("invoice.tax_id", ["number": $0]))]) } ?? .empty),
            el(
                "p", ["id": "invoice-buyer"], el("strong", [:], .text(t("invoice.buyer"))),
                HTML.group(buyer.map { HTML.group([el("br"), .text($0)]) })))
    }

    /// The mentions a French B2B invoice carries below its lines: VAT treatment, late-payment penalties, the fixed
    /// recovery indemnity, no discount for early payment.
    /// The VAT treatment follows the buyer's country (`VATTreatment`); a credit note asks for no payment: it carries the
    /// VAT treatment only.
    static func legalMentions(agency: Agency, lang: Language, payable: Bool = true) -> HTML {
        let vat = VATTreatment.of(buyerCountry: agency.countryCode, setting: ProcessInfo.processInfo.environment["ONSPOT_VAT_TREATMENT"])
        return el(
            "div", ["id": "invoice-mentions", "class": "small"],
            el("p", ["id": "invoice-vat", "data-vat": vat.rawValue], .text(L10n.t(vat.mentionKey, lang))),
            payable ? el("p", [:], .text(L10n.t("invoice.mention.penalties", lang))) : .empty)
    }

    /// A PLUS trip's invoice lines and the credit notes on them, for its page.
    struct TripInvoicing {
        var lines: [InvoiceLineRecord] = []
        var invoices: [UUID: InvoiceRecord] = [:]
        var creditNotes: [CreditNoteRecord] = []
        /// The agency's zone, for due dates.
        var zone: TimeZone
    }

    static func tripPanel(req: Request, trip: Trip, account: CardPayments.TripAccount, invoicing: TripInvoicing) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        guard let quote = account.quote else { return .empty }
        let light = trip.planCode == .light
        return el(
            "div", ["class": "panel", "id": "billing"],
            el("h2", [:], .text(t("billing.title"))),
            el(
                "p", ["id": "quote"],
                .text(
                    t(
                        "billing.quote",
                        [
                            "amount": quote.money.formatted(lang), "travellers": String(quote.travellers),
                            "days": String(quote.days), "version": String(quote.gridVersion)
                        ]))),
            light
                ? HTML.group([
                    el("p", ["id": "paid"], .text(t("billing.paid", ["amount": money(account.paidMinor, quote.currency, lang)]))),
                    account.refundedMinor > 0
                        ? el(
                            "p", ["id": "refunded"],
                            .text(
                                t(
                                    "billing.refund",
                                    [
                                        "amount": money(account.refundedMinor, quote.currency, lang),
                                        "status": trip.status == .cancelled
                                            ? t("refund_state.\(trip.refundState)")
                                            : t(account.refundsSettled ? "refund_state.refunded" : "refund_state.pending")
                                    ]))) : .empty,
                    PaymentRefusal.forTrip(status: trip.status, plan: trip.planCode, dueMinor: account.dueMinor, processing: false) == nil
                        ? el(
                            "p", [:], .text(t("billing.due", ["amount": money(account.dueMinor, quote.currency, lang)])), " ",
                            el("a", ["class": "button", "id": "pay-link", "href": SiteURL.tripPayment(trip.id!).path], .text(t("billing.pay"))))
                        : .empty
                ])
                : plusInvoicing(invoicing, lang: lang)
        )
    }

    /// Where a PLUS trip is billed: each invoice line (linked to its invoice) and each credit note, or when it will be.
    static func plusInvoicing(_ invoicing: TripInvoicing, lang: Language) -> HTML {
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let shown = invoicing.lines.compactMap { line in invoicing.invoices[line.invoiceID].map { (line, $0) } }
        guard !shown.isEmpty else { return el("p", ["id": "plus-billing"], .text(t("billing.plus_pending"))) }
        var items: [HTML] = shown.map { line, invoice in
            el(
                "li", ["class": "invoice-line", "data-status": line.status.rawValue],
                el(
                    "a", ["href": SiteURL.invoice(invoice.id ?? SiteURL.Parameter.id).path],
                    .text(
                        t(
                            "billing.trip_line",
                            [
                                "kind": t("invoice.kind.\(invoice.kind)"), "number": invoice.number,
                                "amount": money(line.amountMinor, invoice.currency, lang),
                                "due": LocalDateTime.display(line.dueAt, in: invoicing.zone, language: lang, withZone: false)
                            ]))))
        }
        let currencyByInvoice = invoicing.invoices.mapValues(\.currency)
        items += invoicing.creditNotes.map { note in
            el(
                "li", ["class": "credit-note"],
                el(
                    "a", ["href": SiteURL.creditNote(note.id ?? SiteURL.Parameter.id).path],
                    .text(
                        t(
                            "billing.trip_credit",
                            [
                                "number": note.number,
                                "amount": money(note.amountMinor, note.invoiceID.flatMap { currencyByInvoice[$0] } ?? note.currency, lang)
                            ]))))
        }
        return el("ul", ["id": "plus-billing"], items)
    }

    /// The card to pay with: Stripe's test cards outside production, else the payment method token Stripe's form gives.
    static func cardField(testCards: [(String, String)], lang: Language) -> HTML {
        func t(_ k: String) -> String { L10n.t(k, lang) }
        guard !testCards.isEmpty else {
            return HTML.group([
                el("label", ["for": "f-paymentMethod"], .text(t("billing.card_token"))),
                el("input", ["id": "f-paymentMethod", "name": "paymentMethod", "required": "", "pattern": "pm_[A-Za-z0-9_]+"])
            ])
        }
        return HTML.group([
            el("label", ["for": "f-paymentMethod"], .text(t("billing.card"))),
            el("select", ["id": "f-paymentMethod", "name": "paymentMethod"], testCards.map { el("option", ["value": $0.0], .text($0.1)) }),
            el("p", ["class": "muted"], .text(t("billing.card_help")))
        ])
    }

    static func payment(
        req: Request, trip: Trip, account: CardPayments.TripAccount, error: String?, testCards: [(String, String)],
        creditBalance: Int64 = 0
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let currency = account.quote?.currency ?? .EUR
        return Layout.page(
            req: req, title: t("billing.payment_title"),
            body: HTML.group([
                el("h1", [:], .text(t("billing.payment_title") + " – " + (trip.reference ?? ""))),
                el("p", [:], el("a", ["href": SiteURL.trip(trip.id!).path], .text("← " + (trip.reference ?? t("nav.trips"))))),
                error.map { el("div", ["class": "flash bad", "role": "alert", "id": "payment-error"], .text($0)) } ?? .empty,
                account.quote.map { q in
                    el(
                        "p", ["id": "quote"],
                        .text(
                            t(
                                "billing.quote",
                                [
                                    "amount": q.money.formatted(lang), "travellers": String(q.travellers),
                                    "days": String(q.days), "version": String(q.gridVersion)
                                ])))
                } ?? .empty,
                el("p", [:], .text(t("billing.paid", ["amount": money(account.paidMinor, currency, lang)]))),
                el("p", ["id": "due"], el("strong", [:], .text(t("billing.due", ["amount": money(account.dueMinor, currency, lang)])))),
                account.dueMinor == 0 || trip.status == .cancelled
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.tripPayment(trip.id!).path, "class": "panel", "id": "payment-form"],
                        Layout.csrfField(req),
                        cardField(testCards: testCards, lang: lang),
                        el("button", ["type": "submit", "id": "pay"], .text(t("billing.pay") + " – " + money(account.dueMinor, currency, lang)))),
                account.dueMinor == 0 || creditBalance <= 0 || trip.status == .cancelled
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.tripPaymentWithCredits(trip.id!).path, "class": "panel", "id": "credits-form"],
                        Layout.csrfField(req),
                        el("p", [:], .text(t("invoice.redeem_help", ["balance": money(creditBalance, currency, lang)]))),
                        el("label", ["for": "f-amount"], .text(t("billing.field.amount"))),
                        el(
                            "input",
                            [
                                "id": "f-amount", "name": "amount",
                                "value": Money(minorUnits: min(creditBalance, account.dueMinor), currency: .EUR).plainMajorUnits
                            ]),
                        el("button", ["type": "submit", "id": "pay-credits", "class": "secondary"], .text(t("invoice.redeem")))),
                account.payments.isEmpty
                    ? .empty
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "payments"],
                            el(
                                "tbody", [:],
                                account.payments.map { p in
                                    el(
                                        "tr", [:],
                                        el(
                                            "td", [:],
                                            .text(LocalDateTime.display(p.createdAt, in: (try? req.agency.zone) ?? .current, language: lang))),
                                        el("td", [:], .text(p.money.formatted(lang))), el("td", [:], .text(t("billing.status.\(p.status)"))),
                                        el(
                                            "td", [:],
                                            p.status == .succeeded
                                                ? el("a", ["href": SiteURL.receipt(p.id!).path], .text(t("billing.receipt")))
                                                : .text(p.failureMessage ?? "")))
                                })))
            ]))
    }

    static func receipt(req: Request, agency: Agency, payment: PaymentRecord, trip: Trip?, invoice: InvoiceRecord?) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        return Layout.page(
            req: req, title: t("billing.receipt"),
            body: HTML.group([
                el(
                    "div", ["class": "panel printable", "id": "receipt"],
                    el("h1", [:], .text(t("billing.receipt"))),
                    parties(agency: agency, lang: lang),
                    el("p", [:], .text(t("billing.field.date") + " : " + LocalDateTime.display(payment.updatedAt, in: agency.zone, language: lang))),
                    el(
                        "p", [:], .text(t("billing.field.amount") + " : "),
                        el("strong", ["id": "receipt-amount"], .text(payment.money.formatted(lang)))),
                    el("p", [:], .text(t("billing.field.status") + " : " + t("billing.status.\(payment.status)"))),
                    el("p", [:], .text(t("billing.field.reference") + " : " + (payment.providerReference ?? "—"))),
                    trip.map { el("p", [:], .text(t("nav.trips") + " : "), el("a", ["href": SiteURL.trip($0.id!).path], .text($0.reference ?? "—"))) }
                        ?? .empty,
                    invoice.map { el("p", [:], .text(t("nav.invoices") + " : "), el("a", ["href": SiteURL.invoice($0.id!).path], .text($0.number))) }
                        ?? .empty,
                    el("p", ["class": "no-print"], el("button", ["type": "button", "onclick": "window.print()"], .text(t("invoice.print")))))
            ]))
    }

    static func invoices(req: Request, agency: Agency, invoices: [InvoiceRecord]) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        return Layout.page(
            req: req, title: t("nav.invoices"),
            body: HTML.group([
                el("h1", [:], .text(t("nav.invoices"))),
                invoices.isEmpty
                    ? el("p", ["class": "muted"], .text(t("invoice.none")))
                    : el(
                        "div", ["class": "table-wrap"],
                        el(
                            "table", ["id": "invoices"],
                            el(
                                "thead", [:],
                                el(
                                    "tr", [:], el("th", [:], .text(t("billing.field.number"))), el("th", [:], .text(t("billing.field.period"))),
                                    el("th", [:], .text(t("invoice.total"))), el("th", [:], .text(t("billing.field.due"))),
                                    el("th", [:], .text(t("billing.field.status"))))),
                            el(
                                "tbody", [:],
                                invoices.map { i in
                                    el(
                                        "tr", ["data-invoice": i.number],
                                        el("td", [:], el("a", ["href": SiteURL.invoice(i.id!).path], .text(i.number))),
                                        el("td", [:], .text(i.billingPeriod)),
                                        el("td", [:], .text(money(i.totalMinor, i.currency, lang))),
                                        el("td", [:], .text(LocalDateTime.display(i.dueAt, in: agency.zone, language: lang, withZone: false))),
                                        el("td", [:], .text(t("invoice.status.\(i.status)"))))
                                })))
            ]))
    }

    static func invoice(
        req: Request, agency: Agency, account: Invoicing.InvoiceAccount, creditBalance: Int64, errors: [FieldError],
        testCards: [(String, String)] = [], declined: String? = nil
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let invoice = account.invoice
        let settled = account.settledLineIDs
        let f = FormErrors(errors: errors, lang: lang)
        let c = invoice.currency
        return Layout.page(
            req: req, title: t("invoice.title", ["number": invoice.number]),
            body: HTML.group([
                el(
                    "div", ["class": "panel printable", "id": "invoice"],
                    el("h1", [:], .text(t("invoice.title", ["number": invoice.number]))),
                    invoice.kind == .supplementary ? el("p", ["id": "invoice-kind"], .text(t("invoice.supplementary_note"))) : .empty,
                    parties(agency: agency, lang: lang),
                    el(
                        "p", [:],
                        .text(
                            t("invoice.issued", ["date": LocalDateTime.display(invoice.issuedAt, in: agency.zone, language: lang, withZone: false)])
                                + " · " + t("billing.field.period") + " " + invoice.billingPeriod + " · " + t("invoice.status.\(invoice.status)"))),
                    el(
                        "table", ["id": "invoice-lines"],
                        el(
                            "thead", [:],
                            el(
                                "tr", [:], el("th", [:], .text(t("billing.field.line"))), el("th", [:], .text(t("billing.field.due"))),
                                el("th", [:], .text(t("billing.field.status"))), el("th", ["class": "num"], .text(t("billing.field.amount"))))),
                        el(
                            "tbody", [:],
                            account.lines.map { line in
                                // Payments settle lines in the order they fall due.
                                let status = line.status == .open && settled.contains(line.id!) ? .paid : line.status
                                return el(
                                    "tr", ["class": "line-\(status)"], el("td", [:], .text(line.description)),
                                    el("td", [:], .text(LocalDateTime.display(line.dueAt, in: agency.zone, language: lang, withZone: false))),
                                    el("td", [:], .text(t("invoice.line.\(status)"))),
                                    el("td", ["class": "num"], .text(money(line.amountMinor, c, lang))))
                            }),
                        el(
                            "tfoot", [:],
                            el(
                                "tr", [:], el("th", ["colspan": "3"], .text(t("invoice.total"))),
                                el("td", ["class": "num", "id": "invoice-total"], .text(money(account.billedMinor, c, lang)))),
                            el(
                                "tr", [:], el("th", ["colspan": "3"], .text(t("invoice.paid"))),
                                el("td", ["class": "num", "id": "invoice-paid"], .text(money(account.paidMinor, c, lang)))),
                            account.refundedMinor == 0
                                ? .empty
                                : el(
                                    "tr", [:], el("th", ["colspan": "3"], .text(t("invoice.refunded"))),
                                    el("td", ["class": "num", "id": "invoice-refunded"], .text(money(account.refundedMinor, c, lang)))),
                            el(
                                "tr", [:], el("th", ["colspan": "3"], .text(t("invoice.due"))),
                                el("td", ["class": "num", "id": "invoice-due"], .text(money(account.dueMinor, c, lang)))))),
                    account.creditNotes.isEmpty
                        ? .empty
                        : HTML.group([
                            el("h2", [:], .text(t("invoice.credit_notes"))),
                            el(
                                "ul", ["id": "credit-notes"],
                                account.creditNotes.map { n in
                                    el(
                                        "li", [:], el("a", ["href": SiteURL.creditNote(n.id ?? SiteURL.Parameter.id).path], .text(n.number)),
                                        .text(" · \(money(n.amountMinor, n.currency, lang)) · \(t("credit_note.reason.\(n.reason)"))"))
                                })
                        ]),
                    legalMentions(agency: agency, lang: lang),
                    account.payments.isEmpty
                        ? .empty
                        : el(
                            "ul", ["id": "invoice-payments"],
                            account.payments.map { p in
                                el(
                                    "li", [:],
                                    .text(
                                        "\(LocalDateTime.display(p.createdAt, in: agency.zone, language: lang, withZone: false)) · \(p.money.formatted(lang)) · \(p.kind) · \(t("billing.status.\(p.status)"))"
                                    ))
                            }),
                    el(
                        "p", ["class": "no-print"], el("button", ["type": "button", "onclick": "window.print()"], .text(t("invoice.print"))), " ",
                        el(
                            "a",
                            ["class": "button secondary", "id": "invoice-pdf", "href": SiteURL.invoicePDF(invoice.id ?? SiteURL.Parameter.id).path],
                            .text(t("invoice.pdf"))))),
                declined.map {
                    el("div", ["class": "flash bad", "role": "alert", "id": "payment-error"], .text(t("billing.error.declined", ["message": $0])))
                } ?? .empty,
                account.dueMinor == 0 || invoice.status != .issued
                    ? .empty
                    : el(
                        "form",
                        ["method": "post", "action": SiteURL.payInvoice(invoice.id!).path, "class": "panel no-print", "id": "invoice-pay-form"],
                        Layout.csrfField(req),
                        cardField(testCards: testCards, lang: lang),
                        f.message("paymentMethod"),
                        el("button", ["type": "submit", "id": "pay-invoice"], .text(t("billing.pay") + " – " + money(account.dueMinor, c, lang)))),
                account.dueMinor == 0 || creditBalance <= 0
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.redeemCredits(invoice.id!).path, "class": "panel no-print", "id": "redeem-form"],
                        Layout.csrfField(req), f.summary,
                        el("p", [:], .text(t("invoice.redeem_help", ["balance": money(creditBalance, c, lang)]))),
                        f.input(
                            "amount", label: t("billing.field.amount"),
                            value: Money(minorUnits: min(creditBalance, account.dueMinor), currency: c).plainMajorUnits),
                        el("button", ["type": "submit", "id": "redeem"], .text(t("invoice.redeem")))),
                errors.isEmpty || creditBalance > 0 ? .empty : el("div", ["class": "flash bad"], .text(L10n.t(errors[0].message, lang)))
            ]))
    }

    /// A credit note as a document: its number, the invoice and line it credits, why, and what it gave back (a refund to
    /// the card, credits) or that it only reduced what was owed.
    static func creditNote(
        req: Request, agency: Agency, note: CreditNoteRecord, invoice: InvoiceRecord?, line: InvoiceLineRecord?,
        refunds: [(RefundRecord, PaymentRecord?)], asDocument: Bool = false
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        return Layout.page(
            req: req, title: t("credit_note.title", ["number": note.number]),
            body: el(
                "div", ["class": "panel printable", "id": "credit-note"],
                el("h1", [:], .text(t("credit_note.title", ["number": note.number]))),
                parties(agency: agency, lang: lang),
                el(
                    "p", [:],
                    .text(t("invoice.issued", ["date": LocalDateTime.display(note.issuedAt, in: agency.zone, language: lang, withZone: false)]))),
                invoice.map { invoice in
                    el(
                        "p", ["id": "credit-note-invoice"], .text(t("credit_note.of_invoice") + " "),
                        el("a", ["href": SiteURL.invoice(invoice.id ?? SiteURL.Parameter.id).path], .text(invoice.number)))
                } ?? .empty,
                el(
                    "table", ["id": "credit-note-lines"],
                    el(
                        "thead", [:],
                        el(
                            "tr", [:], el("th", [:], .text(t("billing.field.line"))), el("th", [:], .text(t("credit_note.reason"))),
                            el("th", ["class": "num"], .text(t("billing.field.amount"))))),
                    el(
                        "tbody", [:],
                        el(
                            "tr", [:], el("td", [:], .text(line?.description ?? "")), el("td", [:], .text(t("credit_note.reason.\(note.reason)"))),
                            el("td", ["class": "num", "id": "credit-note-amount"], .text(money(note.amountMinor, note.currency, lang)))))),
                el(
                    "p", ["id": "credit-note-settlement"],
                    .text(
                        refunds.isEmpty
                            ? t("credit_note.deducted")
                            : refunds.map { refund, payment in
                                let how = refund.providerReference == "credits" ? t("credit_note.to_credits") : t("credit_note.to_card")
                                // The archived PDF says where the money goes, not a state that changes after it is printed.
                                let state =
                                    asDocument
                                    ? ""
                                    : " – "
                                        + t(
                                            "billing.status.\(refund.status == .succeeded ? "succeeded" : refund.status.gaveNothingBack ? "failed" : "pending")"
                                        )
                                let paid =
                                    payment.map {
                                        " (\(t("credit_note.payment_of", ["date": LocalDateTime.display($0.createdAt, in: agency.zone, language: lang, withZone: false)])))"
                                    } ?? ""
                                return "\(money(refund.amountMinor, refund.currency, lang)) \(how)\(paid)\(state)"
                            }.joined(separator: " · "))),
                legalMentions(agency: agency, lang: lang, payable: false),
                el(
                    "p", ["class": "no-print"], el("button", ["type": "button", "onclick": "window.print()"], .text(t("invoice.print"))), " ",
                    el(
                        "a",
                        ["class": "button secondary", "id": "credit-note-pdf", "href": SiteURL.creditNotePDF(note.id ?? SiteURL.Parameter.id).path],
                        .text(t("invoice.pdf"))))))
    }

    static func commissions(
        req: Request, agency: Agency, month: String, rows: [BillingController.CommissionRow], claims: [CommissionClaim] = [],
        activities: [ActivityRecord] = [], claimErrors: [FieldError] = [], claimForm: CommissionClaimsController.Form? = nil
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        // A commission reversed with its cancelled activity no longer counts.
        let total = rows.compactMap(\.commission).filter { $0.reversedAt == nil }.reduce(Int64(0)) { $0 + $1.amountMinor }
        return Layout.page(
            req: req, title: t("commissions.title"),
            body: HTML.group([
                el("h1", [:], .text(t("commissions.title"))),
                el(
                    "form", ["method": "get", "action": SiteURL.commissions.path, "class": "inline"],
                    el("label", ["for": "f-month"], .text(t("commissions.month"))),
                    el("input", ["id": "f-month", "name": "month", "type": "month", "value": month]),
                    el("button", ["type": "submit"], .text(t("button.filter"))), " ",
                    el("a", ["href": SiteURL.commissionsCSV.with("?month=\(month)"), "id": "commissions-csv"], .text("CSV"))),
                el(
                    "div", ["class": "table-wrap"],
                    el(
                        "table", ["id": "commissions"],
                        el(
                            "thead", [:],
                            el(
                                "tr", [:],
                                [
                                    "commissions.field.requested", "commissions.field.traveller", "activity.field.activity", "commissions.field.type",
                                    "commissions.field.nature", "commissions.field.billed", "commissions.field.commission"
                                ].map { el("th", [:], .text(t($0))) })),
                        el(
                            "tbody", [:],
                            rows.map { row in
                                let b = row.booking
                                return el(
                                    "tr", ["class": b.status == .cancelled ? "cancelled" : nil],
                                    el("td", [:], .text(LocalDateTime.display(b.requestedAt, in: agency.zone, language: lang, withZone: false))),
                                    el("td", [:], .text(row.traveller)), el("td", [:], .text(b.activityName)), el("td", [:], .text(b.activityType)),
                                    el("td", [:], .text(b.activityNature)),
                                    el("td", ["class": "num"], .text(money(b.amountBilledMinor, b.currency, lang))),
                                    el(
                                        "td", ["class": "num"],
                                        .text(
                                            (row.commission.map {
                                                "\(money($0.amountMinor, $0.currency, lang)) (\(String(format: "%.1f", Double($0.rateBasisPoints) / 100)) %)"
                                            }
                                                ?? t("commissions.not_commissionable"))
                                                + (b.status == .cancelled ? " – \(t("credits.kind.commission_reversed"))" : ""))))
                            }),
                        el(
                            "tfoot", [:],
                            el(
                                "tr", [:], el("th", ["colspan": "6"], .text(t("commissions.total"))),
                                el("td", ["class": "num", "id": "commissions-total"], .text(money(total, rows.first?.booking.currency ?? .EUR, lang)))
                            )))),
                claimsSection(req: req, claims: claims, activities: activities, errors: claimErrors, form: claimForm)
            ]))
    }

    static func claimsSection(
        req: Request, claims: [CommissionClaim], activities: [ActivityRecord], errors: [FieldError],
        form: CommissionClaimsController.Form?
    ) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let f = FormErrors(errors: errors, lang: lang)
        return HTML.group([
            el("h2", ["id": "claims"], .text(t("claim.title"))),
            el("p", ["class": "muted"], .text(t("claim.help", ["months": String(CreditsService.policy.lateClaimMonths)]))),
            claims.isEmpty
                ? .empty
                : el(
                    "ul", ["id": "claim-list"],
                    claims.map { c in
                        el(
                            "li", [:],
                            .text(
                                "\(c.supplierReference) · \(money(c.amountBilledMinor, c.currency, lang)) · \(t("claim.status.\(c.status)"))\(c.decisionNote.map { " – \($0)" } ?? "")"
                            ))
                    }),
            el(
                "form", ["method": "post", "action": SiteURL.commissionClaims.path, "class": "panel", "id": "claim-form"],
                Layout.csrfField(req), f.summary,
                el(
                    "div", ["class": "grid"],
                    el("div", [:], f.input("trip", label: t("claim.field.trip"), value: form?.trip, required: true)),
                    el(
                        "div", [:],
                        f.select(
                            "activity", label: t("activity.field.activity"),
                            options: activities.map { ($0.id!.uuidString, "\($0.name) – \($0.supplier)") },
                            selected: form?.activity)),
                    el("div", [:], f.input("activityDate", label: t("billing.field.date"), value: form?.activityDate, type: "date", required: true)),
                    el("div", [:], f.input("amount", label: t("commissions.field.billed"), value: form?.amount, required: true)),
                    el("div", [:], f.input("reference", label: t("claim.field.reference"), value: form?.reference, required: true))),
                el("button", ["type": "submit"], .text(t("claim.submit"))))
        ])
    }

    static func credits(req: Request, agency: Agency, balance: Int64, entries: [LedgerEntryRecord], errors: [FieldError]) -> HTML {
        let lang = req.language
        func t(_ k: String, _ a: [String: String] = [:]) -> String { L10n.t(k, lang, a) }
        let f = FormErrors(errors: errors, lang: lang)
        let policy = CreditsService.policy
        return Layout.page(
            req: req, title: t("credits.title"),
            body: HTML.group([
                el("h1", [:], .text(t("credits.title"))),
                el("p", ["id": "credit-balance", "class": "big"], .text(t("credits.balance", ["amount": money(balance, agency.currency, lang)]))),
                el(
                    "p", ["class": "muted"],
                    .text(
                        policy.expiryMonthsWithoutActivity.map {
                            t("credits.policy_expiry", ["months": String($0), "days": String(policy.expiryNoticeDays)])
                        } ?? t("credits.policy")
                    )),
                el("h2", [:], .text(t("credits.statement"))),
                el(
                    "div", ["class": "table-wrap"],
                    el(
                        "table", ["id": "statement"],
                        el(
                            "tbody", [:],
                            entries.map { e in
                                el(
                                    "tr", [:],
                                    el("td", [:], .text(LocalDateTime.display(e.createdAt, in: agency.zone, language: lang, withZone: false))),
                                    el("td", [:], .text(t("credits.kind.\(e.kind)"))), el("td", [:], .text(e.memo ?? "")),
                                    el("td", ["class": "num"], .text(money(e.amountMinor, e.currency, lang))))
                            }))),
                balance <= 0
                    ? .empty
                    : el(
                        "form", ["method": "post", "action": SiteURL.exportMiles.path, "class": "panel", "id": "export-form"],
                        Layout.csrfField(req), f.summary,
                        el("h2", [:], .text(t("credits.export"))),
                        f.input("member", label: t("credits.member"), value: nil),
                        f.input("amount", label: t("billing.field.amount"), value: Money(minorUnits: balance, currency: .EUR).plainMajorUnits),
                        el("button", ["type": "submit"], .text(t("credits.export"))))
            ]))
    }
}

extension Money {
    /// "1250.50": what a form field shows and `parseMajorUnits` reads back.
    var plainMajorUnits: String { String(format: "%d.%02d", minorUnits / 100, abs(minorUnits % 100)) }
}
