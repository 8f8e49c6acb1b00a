import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The agency's trips in the portal. Every handler scopes its queries to the signed-in user's agency;
/// another agency's trip is answered 404, exactly like a missing one.
enum TripsController {
    struct TravellerForm: Content {
        var firstName: String?
        var lastName: String?
        var dateOfBirth: String?
        var phone: String?
        var email: String?
        var language: String?
        var consentRecording: String?
        var consentRecommendations: String?
        var consentAlerts: String?
    }

    struct TripForm: Content {
        var reference: String?
        var destinations: [String]?
        var departure: String?
        var arrival: String?
        var returnAt: String?
        var notes: String?
        /// Keyed by row number: `travellers[0][firstName]`.
        var travellers: [String: TravellerForm]?
    }

    /// The destinations a trip may go to, in the order the forms list them.
    static func activeDestinations(_ req: Request) async throws -> [DestinationRecord] {
        try await DestinationRecord.query(on: req.db).filter(\.$active == true).sort(\.$countryCode).sort(\.$name).all()
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let agency = try req.agency
        var filter = TripService.ListFilter()
        filter.search = try? req.query.get(String.self, at: "q")
        filter.phase = (try? req.query.get(String.self, at: "phase")).flatMap(TripPhase.init(rawValue:))
        filter.destinationCode = try? req.query.get(String.self, at: "destination")
        filter.page = (try? req.query.get(Int.self, at: "page")) ?? 1
        let destinations = try await DestinationRecord.query(on: req.db).sort(\.$countryCode).sort(\.$name).all()
        let page = try await TripService.summaryList(
            agencyID: try agency.requireID(), filter: filter, now: req.now, destinations: destinations, on: req.db)
        return req.html(TripViews.list(req: req, agency: agency, page: page, filter: filter, destinations: destinations))
    }

    @Sendable static func newPage(req: Request) async throws -> Response {
        let agency = try req.agency
        let destinations = try await activeDestinations(req)
        let blank = TripForm(travellers: ["0": TravellerForm(language: agency.language.rawValue, consentRecording: "on")])
        return req.html(TripViews.form(req: req, agency: agency, destinations: destinations, form: blank, errors: [], editing: nil))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let agency = try req.agency
        let form = try req.content.decode(TripForm.self)
        let destinations = try await activeDestinations(req)
        let (draft, parseErrors) = draft(from: form, agency: agency, destinations: destinations)
        let now = req.now
        let result = TripValidation.validate(draft, knownDestinations: Set(destinations.map(\.code)), now: now, defaultLanguage: agency.language)
        switch result {
        case .failure(let failure):
            let errors = parseErrors + failure.errors.filter { e in !parseErrors.contains { $0.field == e.field } }
            return req.html(
                TripViews.form(
                    req: req, agency: agency, destinations: destinations, form: form,
                    errors: errors, editing: nil, deadlineFor: draft.departure), status: .unprocessableEntity)
        case .success(let valid):
            guard parseErrors.isEmpty else {
                return req.html(
                    TripViews.form(
                        req: req, agency: agency, destinations: destinations, form: form,
                        errors: parseErrors, editing: nil), status: .unprocessableEntity)
            }
            let trip = try await TripService.create(valid, agency: agency, userID: try req.user.id, on: req.db)
            req.flash(L10n.t("trips.registered", req.language))
            // LIGHT pays by card when the service is booked (clause 4.1): straight to the payment.
            if trip.planCode == .light { return req.redirect(to: .tripPayment(try trip.requireID())) }
            return req.redirect(to: .trip(try trip.requireID()))
        }
    }

    /// Form strings to a draft: local date-times are read in the agency's zone, arrival in the final destination's.
    static func draft(from form: TripForm, agency: Agency, destinations: [DestinationRecord]) -> (TripDraft, [FieldError]) {
        var errors: [FieldError] = []
        let codes = (form.destinations ?? []).filter { !$0.isEmpty }
        let finalZone = codes.last.flatMap { code in destinations.first { $0.code == code } }?.zone ?? agency.zone
        func instant(_ text: String?, _ field: String, _ zone: TimeZone) -> Date? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let date = LocalDateTime.parse(text, in: zone) else {
                errors.append(FieldError(field: field, message: "error.datetime"))
                return nil
            }
            return date
        }
        let rows: [(Int, TravellerForm)] = (form.travellers ?? [:]).compactMap { key, value in Int(key).map { ($0, value) } }
        let travellers: [TravellerDraft] = rows.sorted { $0.0 < $1.0 }.map(\.1).filter(isFilled).map(travellerDraft)
        let draft = TripDraft(
            reference: form.reference, destinationCodes: codes,
            departure: instant(form.departure, "departure", agency.zone),
            arrival: instant(form.arrival, "arrival", finalZone),
            returnDate: instant(form.returnAt, "return", agency.zone),
            notes: form.notes, travellers: travellers)
        return (draft, errors)
    }

    static func isFilled(_ t: TravellerForm) -> Bool {
        let values: [String?] = [t.firstName, t.lastName, t.phone, t.email, t.dateOfBirth]
        return values.contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func travellerDraft(_ t: TravellerForm) -> TravellerDraft {
        TravellerDraft(
            firstName: t.firstName ?? "", lastName: t.lastName ?? "", dateOfBirth: t.dateOfBirth, phone: t.phone,
            email: t.email, language: t.language, consentsToCallRecording: t.consentRecording != nil,
            consentsToRecommendations: t.consentRecommendations != nil, consentsToAlerts: t.consentAlerts != nil)
    }

    static func requireTrip(_ req: Request) async throws -> Trip {
        guard let id = req.parameters.get("tripID", as: UUID.self),
            let trip = try await TripService.find(id, agencyID: try req.agencyID, on: req.db)
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return trip
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let trip = try await requireTrip(req)
        try await AuditLog.record(
            on: req.db, agencyID: trip.$agency.id, actor: try req.user.id, action: .travellerDataRead,
            subjectType: "trip", subjectID: trip.id?.uuidString)
        let tripID = try trip.requireID()
        let account = try await CardPayments.account(tripID: tripID, on: req.db)
        // The invoices the trip is on, and the credit notes on its lines: three queries, whatever their number.
        var invoicing = BillingViews.TripInvoicing(zone: try req.agency.zone)
        invoicing.lines = try await InvoiceLineRecord.query(on: req.db).filter(\.$tripID == tripID).sort(\.$dueAt).all()
        if !invoicing.lines.isEmpty {
            let invoices = try await InvoiceRecord.query(on: req.db).filter(\.$id ~~ Set(invoicing.lines.map(\.invoiceID)))
                .filter(\.$agencyID == trip.$agency.id).all()
            invoicing.invoices = Dictionary(invoices.compactMap { i in i.id.map { ($0, i) } }) { a, _ in a }
            invoicing.creditNotes = try await CreditNoteRecord.query(on: req.db).filter(\.$invoiceLineID ~~ invoicing.lines.compactMap(\.id))
                .filter(\.$agencyID == trip.$agency.id).sort(\.$sequence).all()
        }
        return req.html(
            TripViews.detail(
                req: req, agency: try req.agency, trip: trip, segmentErrors: [], documentErrors: [],
                cases: try await cases(of: trip, on: req.db),
                billing: BillingViews.tripPanel(req: req, trip: trip, account: account, invoicing: invoicing)))
    }

    /// The trip's assistance cases and their resolution, newest first (channels issue, item 8).
    static func cases(of trip: Trip, on db: any Database) async throws -> [CaseRecord] {
        try await CaseRecord.query(on: db).filter(\.$tripID == trip.requireID()).filter(\.$agencyID == trip.$agency.id)
            .sort(\.$openedAt, .descending).limit(100).all()
    }

    @Sendable static func editPage(req: Request) async throws -> Response {
        let agency = try req.agency
        let trip = try await requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        let destinations = try await activeDestinations(req)
        let finalZone = TripService.finalDestination(trip)?.zone ?? agency.zone
        let form = TripForm(
            reference: trip.reference,
            destinations: trip.destinationLinks.sorted { $0.position < $1.position }.map(\.destination.code),
            departure: LocalDateTime.inputValue(trip.departureAt, in: agency.zone),
            arrival: LocalDateTime.inputValue(trip.arrivalAt, in: finalZone),
            returnAt: LocalDateTime.inputValue(trip.returnAt, in: agency.zone), notes: trip.notes, travellers: nil)
        return req.html(TripViews.form(req: req, agency: agency, destinations: destinations, form: form, errors: [], editing: trip))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let agency = try req.agency
        let trip = try await requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        var form = try req.content.decode(TripForm.self)
        form.travellers = nil
        let destinations = try await activeDestinations(req)
        let (draft, parseErrors) = draft(from: form, agency: agency, destinations: destinations)
        let result = TripValidation.validate(
            draft, knownDestinations: Set(destinations.map(\.code)), now: req.now,
            purpose: .edit(registeredDeparture: trip.departureAt), defaultLanguage: agency.language)
        switch result {
        case .failure(let failure):
            return req.html(
                TripViews.form(
                    req: req, agency: agency, destinations: destinations, form: form,
                    errors: parseErrors + failure.errors, editing: trip, deadlineFor: draft.departure),
                status: .unprocessableEntity)
        case .success(let valid):
            guard parseErrors.isEmpty else {
                return req.html(
                    TripViews.form(
                        req: req, agency: agency, destinations: destinations, form: form,
                        errors: parseErrors, editing: trip), status: .unprocessableEntity)
            }
            try await TripService.update(trip, with: valid, userID: try req.user.id, on: req.db)
            // A LIGHT trip shortened after payment gets the difference back (article 5).
            try await Cancellations.refundShortening(trip, app: req.application, db: req.db)
            req.flash(L10n.t("trips.saved", req.language))
            return req.redirect(to: .trip(try trip.requireID()))
        }
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let trip = try await requireTrip(req)
        let form = try req.content.decode(Form.self)
        do {
            try await TripService.cancel(trip, reason: form.reason, userID: try req.user.id, now: req.now, on: req.db)
        } catch is ValidationFailure {
            throw PageError(status: .conflict, messageKey: "trip.error.already_cancelled")
        }
        // Article 5 within the notice: LIGHT refunded through the gateway, PLUS credited by a credit note.
        try await Cancellations.settleCancellation(trip, app: req.application, db: req.db)
        req.flash(L10n.t("trips.cancelled_notice", req.language))
        return req.redirect(to: .trip(try trip.requireID()))
    }

    // MARK: Travellers

    @Sendable static func editTravellerPage(req: Request) async throws -> Response {
        let trip = try await requireTrip(req)
        let link = try travellerLink(req, trip)
        let t = link.traveller
        let form = TravellerForm(t)
        return req.html(TripViews.travellerForm(req: req, trip: trip, link: link, form: form, errors: []))
    }

    @Sendable static func updateTraveller(req: Request) async throws -> Response {
        let trip = try await requireTrip(req)
        let link = try travellerLink(req, trip)
        let form = try req.content.decode(TravellerForm.self)
        let draft = travellerDraft(form)
        let (valid, errors) = TripValidation.validateTraveller(draft, index: nil, defaultLanguage: try req.agency.language)
        guard let valid else {
            return req.html(
                TripViews.travellerForm(req: req, trip: trip, link: link, form: form, errors: errors),
                status: .unprocessableEntity)
        }
        let before = ConsentService.values(link.traveller)
        link.traveller.apply(valid)
        try await link.traveller.save(on: req.db)
        try await ConsentService.recordChanges(link.traveller, before: before, source: .form, actor: try req.user.id, on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: trip.$agency.id, actor: try req.user.id, action: .travellerUpdated,
            subjectType: "traveller", subjectID: link.traveller.id?.uuidString)
        req.flash(L10n.t("trips.saved", req.language))
        return req.redirect(to: .trip(try trip.requireID()))
    }

    static func travellerLink(_ req: Request, _ trip: Trip) throws -> TripTraveller {
        guard let id = req.parameters.get("travellerID", as: UUID.self),
            let link = trip.travellerLinks.first(where: { $0.$traveller.id == id })
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        return link
    }

    // MARK: Segments and pasted documents

    struct SegmentForm: Content {
        var kind: String?
        var title: String?
        var startsAt: String?
        var endsAt: String?
        var timeZone: String?
        var location: String?
        var supplier: String?
        var confirmation: String?
        var details: String?
    }

    @Sendable static func addSegment(req: Request) async throws -> Response {
        let trip = try await requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        let form = try req.content.decode(SegmentForm.self)
        let draft = form.draft()
        let agencyZone = try req.agency.zone
        let (valid, errors) = SegmentValidation.validate(draft, defaultZone: TripService.finalDestination(trip)?.zone ?? agencyZone)
        guard let valid else {
            return req.html(
                TripViews.detail(
                    req: req, agency: try req.agency, trip: trip, segmentErrors: errors, documentErrors: [],
                    segmentForm: form), status: .unprocessableEntity)
        }
        let segment = ItinerarySegment(tripID: try trip.requireID(), valid)
        try await segment.create(on: req.db)
        return req.redirect(to: SiteURL.trip(try trip.requireID()).with("#itinerary"))
    }

    @Sendable static func addDocument(req: Request) async throws -> Response {
        // `documentTitle` on the page (the segment form above has its own `title`); `title` still accepted.
        // Pasted text, or a file (multipart; a browser sends an empty, nameless part when no file was chosen).
        struct Form: Content { var title: String?; var documentTitle: String?; var text: String?; var file: File? }
        let trip = try await requireTrip(req)
        guard trip.status != .cancelled else { throw PageError(status: .conflict, messageKey: "trip.error.cancelled") }
        let form = try req.content.decode(Form.self)
        let text = form.text ?? ""
        let file = form.file.flatMap { $0.data.readableBytes > 0 || !$0.filename.isEmpty ? $0 : nil }
        var errors: [FieldError] = []
        let title = form.documentTitle ?? form.title
        // Multipart fields are not screened by the form decoders' NUL guard: screened here, as the database refuses NUL.
        if text.contains("\u{0}") || title?.contains("\u{0}") == true || file?.filename.contains("\u{0}") == true {
            throw PageError(status: .badRequest, messageKey: "error.nul")
        }
        func refused(_ errors: [FieldError]) throws -> Response {
            req.html(
                TripViews.detail(req: req, agency: try req.agency, trip: trip, segmentErrors: [], documentErrors: errors),
                status: .unprocessableEntity)
        }
        let document: PastedDocument
        if let file {
            errors += TextField.check([(title, "documentTitle", false, 200)])
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(FieldError(field: "file", message: "document.file.text_or_file"))
            }
            guard errors.isEmpty else { return try refused(errors) }
            let read: ReadDocumentFile
            do {
                read = try await DocumentFiles.read(
                    Data(file.data.readableBytesView), fileName: file.filename, tools: req.application.documentFileTools)
            } catch {
                if error == .readerMissing { req.logger.error("document file reader missing") }
                return try refused([FieldError(field: "file", message: error.messageKey)])
            }
            document = try await DocumentReview.keep(file: read, title: title, trip: trip, by: try req.user.id, req: req)
        } else {
            errors += TextField.check([(text, "text", true, DocumentReview.maximumCharacters), (title, "documentTitle", false, 200)])
            guard errors.isEmpty else { return try refused(errors) }
            document = try await DocumentReview.keep(text: text, title: title, trip: trip, by: try req.user.id, req: req)
        }
        // Segments found in the paste go to review; a paste with none stays a kept document.
        if !DocumentReview.proposals(of: document).isEmpty {
            return req.redirect(to: .documentReview(trip: try trip.requireID(), document: try document.requireID()))
        }
        return req.redirect(to: SiteURL.trip(try trip.requireID()).with("#documents"))
    }
}

extension TripsController.TravellerForm {
    /// The form as the traveller is stored: what the edit page shows.
    init(_ t: Traveller) {
        self.init(
            firstName: t.firstName, lastName: t.lastName, dateOfBirth: t.dateOfBirth, phone: t.phone, email: t.email,
            language: t.language.rawValue, consentRecording: t.consentCallRecording ? "on" : nil,
            consentRecommendations: t.consentRecommendations ? "on" : nil, consentAlerts: t.consentAlerts ? "on" : nil)
    }
}
