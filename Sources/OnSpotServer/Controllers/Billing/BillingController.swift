import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's side of billing: paying a LIGHT trip, receipts, PLUS invoices (paid by card or with credits), the
/// commission report and the credits statement. Every page is scoped to the signed-in agency.
enum BillingController {
    static let tokenPattern = try! NSRegularExpression(pattern: #"^pm_[A-Za-z0-9_]{1,100}$"#)
    /// Stripe's test payment methods, offered when payments do not go to live Stripe.
    static let testCards: [(String, String)] = [
        ("pm_card_visa", "Visa 4242 4242 4242 4242"), ("pm_card_mastercard", "Mastercard 5555 5555 5555 4444"),
        ("pm_card_chargeDeclined", "Visa 4000 0000 0000 0002 (refusée / declined)")
    ]

    static func validToken(_ text: String?) -> String? {
        guard let text, tokenPattern.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil else { return nil }
        return text
    }

    /// Stripe's test cards, offered everywhere but in production.
    static func cards(_ req: Request) -> [(String, String)] { req.application.onspot.mode != .production ? testCards : [] }

    // MARK: LIGHT trip payment

    @Sendable static func paymentPage(req: Request) async throws -> Response {
        let trip = try await TripsController.requireTrip(req)
        let account = try await CardPayments.account(tripID: trip.requireID(), on: req.db)
        let credits = try req.user.role == .agencyAdmin ? try await CreditsService.balance(agencyID: trip.$agency.id, on: req.db) : 0
        return req.html(
            BillingViews.payment(
                req: req, trip: trip, account: account, error: nil, testCards: cards(req),
                creditBalance: credits))
    }

    @Sendable static func pay(req: Request) async throws -> Response {
        struct Form: Content { var paymentMethod: String? }
        let trip = try await TripsController.requireTrip(req)
        let form = try? req.content.decode(Form.self)
        func refuse(_ key: String, _ status: HTTPResponseStatus, _ args: [String: String] = [:]) async throws -> Response {
            let account = try await CardPayments.account(tripID: trip.requireID(), on: req.db)
            return req.html(
                BillingViews.payment(
                    req: req, trip: trip, account: account, error: L10n.t(key, req.language, args),
                    testCards: cards(req)), status: status)
        }
        guard let token = validToken(form?.paymentMethod) else { return try await refuse("billing.error.token", .unprocessableEntity) }
        let payment: PaymentRecord
        do {
            payment = try await CardPayments.payTrip(trip, paymentMethod: token, app: req.application, db: req.db)
        } catch let refusal as PaymentRefusal {
            if refusal == .cancelled { throw PageError(status: .conflict, messageKey: refusal.messageKey) }
            return try await refuse(refusal.messageKey, .conflict)
        } catch is GatewayError {
            return try await refuse("billing.error.unavailable", .badGateway)
        }
        switch payment.status {
        case .succeeded: return req.redirect(to: .receipt(try payment.requireID()))
        case .failed: return try await refuse("billing.error.declined", .paymentRequired, ["message": payment.failureMessage ?? ""])
        default:
            req.flash(L10n.t("billing.processing", req.language))
            return req.redirect(to: .tripPayment(try trip.requireID()))
        }
    }

    @Sendable static func payTripWithCredits(req: Request) async throws -> Response {
        struct Form: Content { var amount: String? }
        let trip = try await TripsController.requireTrip(req)
        let account = try await CardPayments.account(tripID: trip.requireID(), on: req.db)
        let currency = account.quote?.money.currency ?? .EUR
        func refuse(_ key: String) throws -> Response {
            req.html(
                BillingViews.payment(
                    req: req, trip: trip, account: account, error: L10n.t(key, req.language),
                    testCards: cards(req)), status: .unprocessableEntity)
        }
        guard let amount = Money.parseMajorUnits((try? req.content.decode(Form.self))?.amount ?? "", currency: currency),
            amount.minorUnits > 0, amount.minorUnits <= account.dueMinor
        else { return try refuse("invoice.error.amount") }
        do {
            _ = try await CardPayments.payTripWithCredits(trip, amountMinor: amount.minorUnits, app: req.application, db: req.db)
        } catch CreditsService.Refusal.ledger(.insufficientCredits) {
            return try refuse("invoice.error.credits")
        } catch let refusal as PaymentRefusal {
            return try refuse(refusal.messageKey)
        }
        req.flash(L10n.t("invoice.redeemed", req.language, ["amount": amount.formatted(req.language)]))
        return req.redirect(to: .tripPayment(try trip.requireID()))
    }

    @Sendable static func payInvoice(req: Request) async throws -> Response {
        struct Form: Content { var paymentMethod: String? }
        let invoice = try await requireInvoice(req)
        guard let token = validToken((try? req.content.decode(Form.self))?.paymentMethod) else {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "paymentMethod", message: "billing.error.token")], status: .unprocessableEntity)
        }
        let payment: PaymentRecord
        do {
            payment = try await CardPayments.payInvoice(invoice, paymentMethod: token, app: req.application, db: req.db)
        } catch let refusal as PaymentRefusal {
            return try await invoicePage(req, invoice, errors: [FieldError(field: "paymentMethod", message: refusal.messageKey)], status: .conflict)
        } catch is GatewayError {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "paymentMethod", message: "billing.error.unavailable")], status: .badGateway)
        }
        if payment.status == .failed {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "paymentMethod", message: "billing.error.declined")],
                status: .paymentRequired, declined: payment.failureMessage)
        }
        return req.redirect(
            to: payment.status == .succeeded ? SiteURL.receipt(try payment.requireID()).path : SiteURL.invoice(try invoice.requireID()).path)
    }

    @Sendable static func receipt(req: Request) async throws -> Response {
        guard let id = req.parameters.get("paymentID", as: UUID.self),
            let payment = try await PaymentRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        var trip: Trip?
        if let tripID = payment.tripID { trip = try await TripService.find(tripID, agencyID: req.agencyID, on: req.db) }
        var invoice: InvoiceRecord?
        if let invoiceID = payment.invoiceID { invoice = try await InvoiceRecord.find(invoiceID, on: req.db) }
        return req.html(BillingViews.receipt(req: req, agency: try req.agency, payment: payment, trip: trip, invoice: invoice))
    }

    // MARK: Stripe webhooks

    static let maximumWebhookBody: ByteCount = "512kb"

    /// Signature first (with its timestamp tolerance, so a captured request cannot be replayed), the event stored once
    /// by its id, then applied; 200 for a duplicate so Stripe stops retrying.
    @Sendable static func stripeWebhook(req: Request) async throws -> Response {
        guard let secret = req.application.onspot.stripeWebhookSecret else {
            throw Abort(.notFound, reason: "Stripe is not configured on this server")
        }
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        guard !body.isEmpty else { throw Abort(.badRequest, reason: "empty body") }
        guard WebhookSignatures.isValidStripe(header: req.headers.first(name: "Stripe-Signature"), secret: secret, body: body, now: req.now) else {
            throw Abort(.unauthorized, reason: "Stripe-Signature missing, wrong or outside the 300-second tolerance")
        }
        let outcome = try await StripeEvents.receive(event: body, app: req.application, db: req.db)
        switch outcome {
        case .processed: return Response(status: .ok, body: .init(string: #"{"received":true}"#))
        case .duplicate: return Response(status: .ok, body: .init(string: #"{"received":true,"duplicate":true}"#))
        case .ignored(let why):
            return Response(status: .ok, body: .init(string: #"{"received":true,"ignored":"\#(why.replacingOccurrences(of: "\"", with: ""))"}"#))
        }
    }

    // MARK: invoices

    @Sendable static func invoices(req: Request) async throws -> Response {
        let list = try await InvoiceRecord.query(on: req.db).filter(\.$agencyID == req.agencyID).sort(\.$sequence, .descending).all()
        return req.html(BillingViews.invoices(req: req, agency: try req.agency, invoices: list))
    }

    static func requireInvoice(_ req: Request) async throws -> InvoiceRecord {
        guard let id = req.parameters.get("invoiceID", as: UUID.self),
            let invoice = try await InvoiceRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return invoice
    }

    @Sendable static func invoice(req: Request) async throws -> Response {
        let invoice = try await requireInvoice(req)
        return try await invoicePage(req, invoice, errors: [], status: .ok)
    }

    /// The invoice as PDF: printed from the invoice page on the first download, archived, then served unchanged.
    @Sendable static func invoicePDF(req: Request) async throws -> Response {
        let invoice = try await requireInvoice(req)
        let agency = try req.agency
        return try await pdfResponse(req, InvoiceDocument.self, owner: invoice.requireID(), filename: invoice.number) {
            let account = try await Invoicing.invoiceAccount(invoice, on: req.db)
            return BillingViews.invoice(req: req, agency: agency, account: account, creditBalance: 0, errors: []).markup
        }
    }

    static func requireCreditNote(_ req: Request) async throws -> CreditNoteRecord {
        guard let id = req.parameters.get("creditNoteID", as: UUID.self),
            let note = try await CreditNoteRecord.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == req.agencyID).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return note
    }

    static func creditNoteView(_ req: Request, _ note: CreditNoteRecord, asDocument: Bool = false) async throws -> HTML {
        let invoice = try await note.invoiceID.asyncMap { try await InvoiceRecord.find($0, on: req.db) } ?? nil
        let line = try await note.invoiceLineID.asyncMap { try await InvoiceLineRecord.find($0, on: req.db) } ?? nil
        let refunds = try await RefundRecord.query(on: req.db).filter(\.$cause == RefundRecord.creditNote(note.requireID()))
            .filter(\.$agencyID == note.agencyID).sort(\.$createdAt).all()
        let payments = try await PaymentRecord.query(on: req.db).filter(\.$id ~~ refunds.map(\.paymentID)).all()
        let byID = Dictionary(payments.compactMap { p in p.id.map { ($0, p) } }) { a, _ in a }
        return BillingViews.creditNote(
            req: req, agency: try req.agency, note: note, invoice: invoice, line: line, refunds: refunds.map { ($0, byID[$0.paymentID]) },
            asDocument: asDocument)
    }

    @Sendable static func creditNote(req: Request) async throws -> Response {
        req.html(try await creditNoteView(req, try await requireCreditNote(req)))
    }

    /// The credit note as PDF, archived like an invoice.
    @Sendable static func creditNotePDF(req: Request) async throws -> Response {
        let note = try await requireCreditNote(req)
        return try await pdfResponse(req, CreditNoteDocument.self, owner: note.requireID(), filename: note.number) {
            try await creditNoteView(req, note, asDocument: true).markup
        }
    }

    /// An archived billing PDF as a download; a renderer that is missing or fails is a 503 saying the page prints meanwhile.
    static func pdfResponse<Document: ArchivedDocument>(
        _ req: Request, _ type: Document.Type, owner: UUID, filename: String, page: () async throws -> String
    ) async throws -> Response {
        let document: Document
        do {
            document = try await InvoicePDF.document(type, for: owner, page: page, on: req.db)
        } catch let failure as InvoicePDF.Failure {
            req.logger.error("billing PDF failed: \(String(reflecting: failure))")
            throw PageError(status: .serviceUnavailable, messageKey: "invoice.error.pdf_unavailable")
        }
        let response = Response(status: .ok, body: .init(data: document.pdf))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        let name = filename.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).pdf\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(document.sha256)\"")
        return response
    }

    static func invoicePage(
        _ req: Request, _ invoice: InvoiceRecord, errors: [FieldError], status: HTTPResponseStatus,
        declined: String? = nil
    ) async throws -> Response {
        let account = try await Invoicing.invoiceAccount(invoice, on: req.db)
        let balance = try await CreditsService.balance(agencyID: invoice.agencyID, on: req.db)
        let canSpend = try req.user.role == .agencyAdmin
        return req.html(
            BillingViews.invoice(
                req: req, agency: try req.agency, account: account, creditBalance: canSpend ? balance : 0, errors: errors,
                testCards: cards(req), declined: declined), status: status)
    }

    @Sendable static func redeem(req: Request) async throws -> Response {
        struct Form: Content { var amount: String? }
        let invoice = try await requireInvoice(req)
        let account = try await Invoicing.invoiceAccount(invoice, on: req.db)
        let currency = invoice.currency
        guard let amount = Money.parseMajorUnits((try? req.content.decode(Form.self))?.amount ?? "", currency: currency),
            amount.minorUnits > 0, amount.minorUnits <= account.dueMinor
        else {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "amount", message: "invoice.error.amount")], status: .unprocessableEntity)
        }
        do {
            _ = try await CreditsService.redeem(amount.minorUnits, on: invoice, app: req.application, db: req.db)
        } catch CreditsService.Refusal.ledger(.insufficientCredits) {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "amount", message: "invoice.error.credits")], status: .unprocessableEntity)
        } catch let refusal as PaymentRefusal {
            return try await invoicePage(
                req, invoice, errors: [FieldError(field: "amount", message: refusal.messageKey)], status: .unprocessableEntity)
        }
        req.flash(L10n.t("invoice.redeemed", req.language, ["amount": amount.formatted(req.language)]))
        return req.redirect(to: .invoice(try invoice.requireID()))
    }

    // MARK: commissions (clause 2.4)

    struct CommissionRow {
        var booking: ActivityBookingRecord
        var traveller: String
        var commission: CommissionRecord?
    }

    static func commissionRows(_ req: Request) async throws -> (String, [CommissionRow]) {
        let agency = try req.agency
        let month =
            (try? req.query.get(String.self, at: "month")).flatMap { MonthlyReport.interval(month: $0, in: agency.zone) != nil ? $0 : nil }
            ?? BillingCalendar(zone: agency.zone).period(of: req.now)
        guard let interval = MonthlyReport.interval(month: month, in: agency.zone) else {
            throw PageError(status: .badRequest, messageKey: "error.not_found")
        }
        let (start, end) = (interval.start, interval.end)
        let bookings = try await ActivityBookingRecord.query(on: req.db).filter(\.$agencyID == agency.requireID())
            .filter(\.$requestedAt >= start).filter(\.$requestedAt < end).sort(\.$requestedAt).all()
        let travellers = try await Traveller.query(on: req.db).filter(\.$id ~~ Set(bookings.map(\.travellerID))).all()
        let names = Dictionary(travellers.map { ($0.id!, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        let commissions = try await CommissionRecord.query(on: req.db).filter(\.$activityBookingID ~~ bookings.compactMap(\.id)).all()
        let byBooking = Dictionary(commissions.map { ($0.activityBookingID, $0) }, uniquingKeysWith: { a, _ in a })
        return (month, bookings.map { CommissionRow(booking: $0, traveller: names[$0.travellerID] ?? "—", commission: byBooking[$0.id!]) })
    }

    @Sendable static func commissions(req: Request) async throws -> Response {
        try await commissionsPage(req, claimErrors: [], claimForm: nil, status: .ok)
    }

    static func commissionsPage(
        _ req: Request, claimErrors: [FieldError], claimForm: CommissionClaimsController.Form?,
        status: HTTPResponseStatus
    ) async throws -> Response {
        let (month, rows) = try await commissionRows(req)
        let agencyID = try req.agencyID
        let claims = try await CommissionClaim.query(on: req.db).filter(\.$agencyID == agencyID).sort(\.$submittedAt, .descending).limit(100).all()
        let activities = try await ActivityRecord.query(on: req.db).filter(\.$active == true).sort(\.$name).all()
        return req.html(
            BillingViews.commissions(
                req: req, agency: try req.agency, month: month, rows: rows, claims: claims, activities: activities,
                claimErrors: claimErrors, claimForm: claimForm), status: status)
    }

    @Sendable static func commissionsCSV(req: Request) async throws -> Response {
        let (month, rows) = try await commissionRows(req)
        let zone = try req.agency.zone
        var csv = CSV(header: [
            "requested_at", "traveller", "activity", "type", "nature", "supplier", "currency", "amount_billed", "card_fees",
            "extra_costs", "commissionable", "rate_percent", "commission", "status", "reversed"
        ])
        for row in rows {
            let b = row.booking
            func major(_ minor: Int64) -> String { String(format: "%.2f", Double(minor) / 100) }
            csv.row([
                LocalDateTime.inputValue(b.requestedAt, in: zone), row.traveller, b.activityName, b.activityType, b.activityNature, b.supplier,
                b.currency.rawValue, major(b.amountBilledMinor), major(b.cardFeesMinor), major(b.extraCostsMinor), b.commissionable ? "yes" : "no",
                row.commission.map { String(format: "%.2f", Double($0.rateBasisPoints) / 100) } ?? "",
                row.commission.map { major($0.amountMinor) } ?? "", b.status.rawValue,
                row.commission?.reversedAt == nil ? "" : major(row.commission?.reversedMinor ?? 0)
            ])
        }
        return csv.response(filename: "commissions-\(month).csv")
    }

    // MARK: credits

    @Sendable static func credits(req: Request) async throws -> Response {
        try await creditsPage(req, errors: [], status: .ok)
    }

    static func creditsPage(_ req: Request, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let agencyID = try req.agencyID
        let account = Ledger.Account.agencyCredits(agencyID).description
        let entries = try await LedgerEntryRecord.query(on: req.db).filter(\.$account == account).sort(\.$createdAt, .descending).limit(500).all()
        let balance = try await CreditsService.balance(agencyID: agencyID, on: req.db)
        return req.html(BillingViews.credits(req: req, agency: try req.agency, balance: balance, entries: entries, errors: errors), status: status)
    }

    @Sendable static func exportMiles(req: Request) async throws -> Response {
        struct Form: Content { var amount: String?; var member: String? }
        let form = try? req.content.decode(Form.self)
        let agencyID = try req.agencyID
        var errors: [FieldError] = []
        let member = (form?.member ?? "").trimmingCharacters(in: .whitespaces)
        if !(6...20).contains(member.count) || !member.allSatisfy({ $0.isLetter || $0.isNumber }) {
            errors.append(FieldError(field: "member", message: "credits.error.member"))
        }
        let balance = try await CreditsService.balance(agencyID: agencyID, on: req.db)
        let amount = Money.parseMajorUnits(form?.amount ?? "", currency: .EUR)
        if amount == nil || amount!.minorUnits <= 0 {
            errors.append(FieldError(field: "amount", message: "invoice.error.amount"))
        } else if amount!.minorUnits > balance {
            errors.append(FieldError(field: "amount", message: "invoice.error.credits"))
        }
        guard errors.isEmpty, let amount else { return try await creditsPage(req, errors: errors, status: .unprocessableEntity) }
        do {
            let export = try await CreditsService.exportMiles(
                agencyID: agencyID, amountMinor: amount.minorUnits, member: member,
                app: req.application, db: req.db)
            req.flash(L10n.t("credits.exported", req.language, ["miles": String(export.miles), "reference": export.partnerReference ?? "—"]))
        } catch CreditsService.Refusal.ledger(.insufficientCredits) {
            return try await creditsPage(req, errors: [FieldError(field: "amount", message: "invoice.error.credits")], status: .unprocessableEntity)
        } catch is CreditsService.ExportFailure {
            return try await creditsPage(req, errors: [FieldError(field: "member", message: "credits.error.partner")], status: .badGateway)
        }
        return req.redirect(to: .credits)
    }
}
