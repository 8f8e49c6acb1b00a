import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `/api/v1` for agencies' systems: trips and travellers, scoped to the API key's agency.
enum ApiTripsController {
    // MARK: Wire types

    struct TravellerInput: Content {
        var firstName: String?
        var lastName: String?
        var dateOfBirth: String?
        var phone: String?
        var email: String?
        var language: String?
        var consentsToCallRecording: Bool?
        var consentsToRecommendations: Bool?
        var consentsToAlerts: Bool?

        /// The traveller these fields describe: on a new trip as sent, on an update over what is stored.
        func draft(over stored: Traveller? = nil) -> TravellerDraft {
            TravellerDraft(
                firstName: firstName ?? stored?.firstName ?? "", lastName: lastName ?? stored?.lastName ?? "",
                dateOfBirth: dateOfBirth ?? stored?.dateOfBirth, phone: phone ?? stored?.phone, email: email ?? stored?.email,
                language: language ?? stored?.language.rawValue,
                consentsToCallRecording: consentsToCallRecording ?? stored?.consentCallRecording,
                consentsToRecommendations: consentsToRecommendations ?? stored?.consentRecommendations,
                consentsToAlerts: consentsToAlerts ?? stored?.consentAlerts)
        }
    }

    struct TripInput: Content {
        var reference: String?
        var destinations: [String]?
        var departure: String?
        var arrival: String?
        var `return`: String?
        var notes: String?
        var travellers: [TravellerInput]?
    }

    struct CancelInput: Content { var reason: String? }

    struct DestinationOutput: Content { var code: String; var name: String; var countryCode: String; var timeZone: String }

    struct TravellerOutput: Content {
        var id: UUID
        var firstName: String
        var lastName: String
        var dateOfBirth: String?
        var phone: String?
        var email: String?
        var language: String
        var consentsToCallRecording: Bool
        var consentsToRecommendations: Bool
        var consentsToAlerts: Bool
        var assistanceCardUrl: String?
    }

    struct PaymentOutput: Content {
        var state: String
        var paymentUrl: String?
    }

    struct TripOutput: Content {
        var id: UUID
        var reference: String?
        var status: String
        var phase: String
        var destinations: [DestinationOutput]
        var departure: String
        var arrival: String
        var `return`: String
        var serviceWindow: [String: String]
        var notes: String?
        var plan: String
        var refundState: String
        var payment: PaymentOutput
        var cancelledAt: String?
        var cancellationReason: String?
        var travellers: [TravellerOutput]
        var createdAt: String
        var updatedAt: String
    }

    struct PageOutput<Item: Content>: Content {
        var items: [Item]
        var page: Int
        var perPage: Int
        var total: Int
        /// The next page's path with the same filters; absent on the last page.
        var next: String?

        init(items: [Item], page: Int, perPage: Int, total: Int, path: String, req: Request, filterNames: [String]) {
            self.items = items
            self.page = page
            self.perPage = perPage
            self.total = total
            guard page * perPage < total, page < PageRequest.pages.upperBound else { return }
            next = path + "?" + (ApiCursor.keptFilters(req, filterNames) + ["perPage=\(perPage)", "page=\(page + 1)"]).joined(separator: "&")
        }
    }

    static func output(_ trip: Trip, agency: Agency, baseURL: String, now: Date) -> TripOutput {
        let destinations = trip.destinationLinks.sorted { $0.position < $1.position }.map(\.destination)
        let finalZone = destinations.last?.zone ?? agency.zone
        let window = TripRules.serviceWindow(arrival: trip.arrivalAt, return: trip.returnAt)
        let utc = TimeZone(identifier: "UTC")!
        return TripOutput(
            id: trip.id!, reference: trip.reference, status: trip.status.rawValue, phase: trip.phase(now: now).rawValue,
            destinations: destinations.map { DestinationOutput(code: $0.code, name: $0.name, countryCode: $0.countryCode, timeZone: $0.timeZone) },
            departure: LocalDateTime.iso8601(trip.departureAt, in: agency.zone),
            arrival: LocalDateTime.iso8601(trip.arrivalAt, in: finalZone),
            return: LocalDateTime.iso8601(trip.returnAt, in: agency.zone),
            serviceWindow: [
                "start": LocalDateTime.iso8601(window.lowerBound, in: finalZone),
                "end": LocalDateTime.iso8601(window.upperBound, in: finalZone)
            ],
            notes: trip.notes, plan: trip.planCode.rawValue, refundState: trip.refundState.rawValue,
            payment: PaymentOutput(
                state: trip.awaitsPayment ? "payment_required" : trip.neverPaid ? "unpaid" : trip.planCode == .light ? "paid" : "invoiced",
                paymentUrl: trip.awaitsPayment ? trip.id.map { baseURL + SiteURL.tripPayment($0).path } : nil),
            cancelledAt: trip.cancelledAt.map { LocalDateTime.iso8601($0, in: utc) }, cancellationReason: trip.cancellationReason,
            travellers: trip.travellerLinks.sorted { $0.position < $1.position }.map {
                travellerOutput($0.traveller, cardToken: trip.neverPaid ? nil : $0.cardToken, baseURL: baseURL)
            },
            createdAt: LocalDateTime.iso8601(trip.createdAt, in: utc), updatedAt: LocalDateTime.iso8601(trip.updatedAt, in: utc))
    }

    static func travellerOutput(_ t: Traveller, cardToken: String?, baseURL: String) -> TravellerOutput {
        TravellerOutput(
            id: t.id!, firstName: t.firstName, lastName: t.lastName, dateOfBirth: t.dateOfBirth, phone: t.phone, email: t.email,
            language: t.language.rawValue, consentsToCallRecording: t.consentCallRecording,
            consentsToRecommendations: t.consentRecommendations, consentsToAlerts: t.consentAlerts,
            assistanceCardUrl: cardToken.map { baseURL + SiteURL.card($0).path })
    }

    /// ISO 8601 with an explicit offset: a bare local time is ambiguous across the agency's and the destination's zones.
    static func parseInstant(_ text: String?, field: String, errors: inout [FieldError]) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = LocalDateTime.instant(text) { return date }
        errors.append(FieldError(field: field, message: "Expected an ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+01:00."))
        return nil
    }

    static func messageLanguage(_ req: Request, _ agency: Agency) -> Language {
        req.headers.first(name: .acceptLanguage).map { Language.negotiate($0, fallback: agency.language) } ?? agency.language
    }

    /// Field errors carry readable text: keys from the core are localised, the deadline states the agency's local time.
    static func localise(_ errors: [FieldError], agency: Agency, lang: Language, departure: Date?) -> [FieldError] {
        let args = TripViews.deadlineText(departure, agency: agency, lang: lang)
        return errors.map { FieldError(field: $0.field, message: L10n.t($0.message, lang, args[$0.message] ?? [:])) }
    }

    static func validationProblem(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(.unprocessableEntity, "validation", "Invalid input", detail: detail ?? errors.first?.message, errors: errors)
    }

    // MARK: Handlers

    @Sendable static func create(req: Request) async throws -> Response {
        let agency = try req.apiAgency
        let agencyID = try agency.requireID()
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let idempotencyKey = try ApiIdempotency.key(req)
        if let replayed = try await ApiIdempotency.replay(key: idempotencyKey, agencyID: agencyID, body: body, on: req.db) {
            return ApiIdempotency.locating(replayed, in: "/api/v1/trips")
        }
        let input = try req.content.decode(TripInput.self)
        var parseErrors: [FieldError] = []
        let departure = parseInstant(input.departure, field: "departure", errors: &parseErrors)
        let draft = TripDraft(
            reference: input.reference, destinationCodes: input.destinations ?? [], departure: departure,
            arrival: parseInstant(input.arrival, field: "arrival", errors: &parseErrors),
            returnDate: parseInstant(input.return, field: "return", errors: &parseErrors), notes: input.notes,
            travellers: (input.travellers ?? []).map { $0.draft() })
        let known = Set(try await TripService.destinationsByCode(on: req.db).keys)
        let lang = messageLanguage(req, agency)
        let valid: ValidTrip
        switch TripValidation.validate(draft, knownDestinations: known, now: req.now, defaultLanguage: agency.language) {
        case .failure(let failure):
            let coreErrors = failure.errors.filter { e in !parseErrors.contains { $0.field == e.field } }
            throw validationProblem(parseErrors + localise(coreErrors, agency: agency, lang: lang, departure: departure))
        case .success(let v):
            guard parseErrors.isEmpty else { throw validationProblem(parseErrors) }
            valid = v
        }
        let trip = try await TripService.create(valid, agency: agency, userID: nil, consentSource: .api, on: req.db)
        guard let loaded = try await TripService.find(trip.requireID(), agencyID: agencyID, on: req.db) else { throw Abort(.internalServerError) }
        let responseBody = try JSONEncoder.sorted.encode(output(loaded, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now))
        // A concurrent retry that won the race: ours is undone and theirs answered.
        if let replayed = try await ApiIdempotency.remember(
            key: idempotencyKey, agencyID: agencyID, body: body, status: .created, response: responseBody, now: req.now, on: req.db,
            undo: { try await TripService.discard(loaded, on: req.db) })
        {
            return ApiIdempotency.locating(replayed, in: "/api/v1/trips")
        }
        let response = Response(status: .created, body: .init(data: responseBody))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/trips/\(try trip.requireID())")
        response.headers.replaceOrAdd(
            name: .eTag,
            value: try ApiPreconditions.etag(output(loaded, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now), version: loaded.version)
        )
        return response
    }

    static func requireTrip(_ req: Request) async throws -> (Trip, Agency) {
        let agency = try req.apiAgency
        guard let id = req.parameters.get("tripID", as: UUID.self),
            let trip = try await TripService.find(id, agencyID: try agency.requireID(), on: req.db)
        else {
            throw Problem(.notFound, "not-found", "Trip not found")
        }
        return (trip, agency)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (trip, agency) = try await requireTrip(req)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .travellerDataRead, subjectType: "trip",
            subjectID: trip.id?.uuidString, detail: ["via": "api"])
        return try ApiPreconditions.respond(output(trip, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now), version: trip.version)
    }

    static let tripChanged = ApiPreconditions.changed("Trip")
    static let travellerChanged = ApiPreconditions.changed("Traveller")

    /// `If-Match` against the trip as the API shows it now.
    static func checkPrecondition(_ req: Request, _ trip: Trip, agency: Agency) throws {
        let current = try ApiPreconditions.etag(output(trip, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now), version: trip.version)
        try ApiPreconditions.check(req, current: current, changed: tripChanged)
    }

    @Sendable static func list(req: Request) async throws -> PageOutput<TripOutput> {
        let agency = try req.apiAgency
        var filter = TripService.ListFilter()
        filter.search = try? req.query.get(String.self, at: "q")
        if let phase = try? req.query.get(String.self, at: "phase") {
            guard let p = TripPhase(rawValue: phase) else {
                throw validationProblem([FieldError(field: "phase", message: "One of upcoming, in_service, ended, cancelled.")])
            }
            filter.phase = p
        }
        filter.destinationCode = try? req.query.get(String.self, at: "destination")
        filter.page = try pageParameter(req, "page", default: 1, range: PageRequest.pages)
        filter.perPage = try pageParameter(req, "perPage", default: 25, range: PageRequest.sizes)
        let page = try await TripService.list(agencyID: try agency.requireID(), filter: filter, now: req.now, on: req.db)
        return PageOutput(
            items: page.trips.map { output($0, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now) },
            page: page.page, perPage: page.perPage, total: page.total, path: "/api/v1/trips", req: req, filterNames: ["q", "phase", "destination"])
    }

    static func pageParameter(_ req: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = req.query[String.self, at: name] else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw validationProblem([FieldError(field: name, message: "An integer from \(range.lowerBound) to \(range.upperBound).")])
        }
        return n
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (trip, agency) = try await requireTrip(req)
        guard trip.status != .cancelled else { throw Problem(.conflict, "conflict", "Trip cancelled", detail: "A cancelled trip cannot be changed.") }
        let input = try req.content.decode(TripInput.self)
        guard input.travellers == nil else {
            throw validationProblem([FieldError(field: "travellers", message: "Travellers are updated through /api/v1/travellers/{id}.")])
        }
        var errors: [FieldError] = []
        let departure = input.departure == nil ? trip.departureAt : parseInstant(input.departure, field: "departure", errors: &errors)
        let arrival = input.arrival == nil ? trip.arrivalAt : parseInstant(input.arrival, field: "arrival", errors: &errors)
        let returnDate = input.return == nil ? trip.returnAt : parseInstant(input.return, field: "return", errors: &errors)
        let draft = TripDraft(
            reference: input.reference ?? trip.reference,
            destinationCodes: input.destinations ?? trip.destinationLinks.sorted { $0.position < $1.position }.map(\.destination.code),
            departure: departure, arrival: arrival, returnDate: returnDate, notes: input.notes ?? trip.notes, travellers: [])
        let known = Set(try await TripService.destinationsByCode(on: req.db).keys)
        switch TripValidation.validate(
            draft, knownDestinations: known, now: req.now, purpose: .edit(registeredDeparture: trip.departureAt),
            defaultLanguage: agency.language)
        {
        case .failure(let failure):
            throw validationProblem(
                errors
                    + localise(
                        failure.errors.filter { e in !errors.contains { $0.field == e.field } },
                        agency: agency, lang: messageLanguage(req, agency), departure: departure))
        case .success(let valid):
            guard errors.isEmpty else { throw validationProblem(errors) }
            // A valid change applies only to the trip as read (412), checked again in the database when written.
            try checkPrecondition(req, trip, agency: agency)
            let tripID = try trip.requireID()
            try await req.db.transaction { db in
                try await ApiPreconditions.claimIfMatched(req, table: Trip.schema, id: tripID, version: trip.version, changed: tripChanged, on: db)
                try await TripService.update(trip, with: valid, userID: nil, on: db)
            }
            // A LIGHT trip shortened after payment gets the difference back (article 5).
            try await Cancellations.refundShortening(trip, app: req.application, db: req.db)
        }
        guard let reloaded = try await TripService.find(trip.requireID(), agencyID: agency.requireID(), on: req.db) else {
            throw Problem(.notFound, "not-found", "Trip not found")
        }
        return try ApiPreconditions.respond(
            output(reloaded, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now), version: reloaded.version)
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let (trip, agency) = try await requireTrip(req)
        let input = (req.body.data?.readableBytes ?? 0) > 0 ? try req.content.decode(CancelInput.self) : CancelInput()
        guard trip.status != .cancelled else {
            throw Problem(
                .conflict, "conflict", "Trip already cancelled", detail: L10n.t("trip.error.already_cancelled", messageLanguage(req, agency)))
        }
        if (input.reason ?? "").count > 1000 { throw validationProblem([FieldError(field: "reason", message: "At most 1000 characters.")]) }
        try checkPrecondition(req, trip, agency: agency)
        let tripID = try trip.requireID()
        try await req.db.transaction { db in
            try await ApiPreconditions.claimIfMatched(req, table: Trip.schema, id: tripID, version: trip.version, changed: tripChanged, on: db)
            try await TripService.cancel(trip, reason: input.reason, userID: nil, now: req.now, on: db)
        }
        try await Cancellations.settleCancellation(trip, app: req.application, db: req.db)
        guard let reloaded = try await TripService.find(tripID, agencyID: agency.requireID(), on: req.db) else {
            throw Problem(.notFound, "not-found", "Trip not found")
        }
        return try ApiPreconditions.respond(
            output(reloaded, agency: agency, baseURL: req.onspot.publicBaseURL, now: req.now), version: reloaded.version)
    }

    // MARK: Travellers

    static func requireTraveller(_ req: Request) async throws -> (Traveller, Agency) {
        let agency = try req.apiAgency
        guard let id = req.parameters.get("travellerID", as: UUID.self),
            let traveller = try await Traveller.query(on: req.db).filter(\.$id == id).filter(\.$agency.$id == agency.requireID()).first()
        else {
            throw Problem(.notFound, "not-found", "Traveller not found")
        }
        return (traveller, agency)
    }

    @Sendable static func listTravellers(req: Request) async throws -> PageOutput<TravellerOutput> {
        let agency = try req.apiAgency
        let page = try pageParameter(req, "page", default: 1, range: PageRequest.pages)
        let perPage = try pageParameter(req, "perPage", default: 25, range: PageRequest.sizes)
        let query = Traveller.query(on: req.db).filter(\.$agency.$id == (try agency.requireID()))
        let total = try await query.copy().count()
        let travellers = try await query.sort(\.$lastName).sort(\.$firstName).sort(\.$id)
            .range(PageRequest(clamping: page, perPage: perPage).range).all()
        return PageOutput(
            items: travellers.map { travellerOutput($0, cardToken: nil, baseURL: req.onspot.publicBaseURL) },
            page: page, perPage: perPage, total: total, path: "/api/v1/travellers", req: req, filterNames: [])
    }

    @Sendable static func showTraveller(req: Request) async throws -> Response {
        let (traveller, agency) = try await requireTraveller(req)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .travellerDataRead, subjectType: "traveller",
            subjectID: traveller.id?.uuidString, detail: ["via": "api"])
        return try ApiPreconditions.respond(travellerOutput(traveller, cardToken: nil, baseURL: req.onspot.publicBaseURL), version: traveller.version)
    }

    @Sendable static func updateTraveller(req: Request) async throws -> Response {
        let (traveller, agency) = try await requireTraveller(req)
        let input = try req.content.decode(TravellerInput.self)
        let draft = input.draft(over: traveller)
        let (valid, errors) = TripValidation.validateTraveller(draft, index: nil, defaultLanguage: agency.language)
        guard let valid else { throw validationProblem(localise(errors, agency: agency, lang: messageLanguage(req, agency), departure: nil)) }
        try ApiPreconditions.check(
            req,
            current: try ApiPreconditions.etag(
                travellerOutput(traveller, cardToken: nil, baseURL: req.onspot.publicBaseURL), version: traveller.version),
            changed: travellerChanged)
        let before = ConsentService.values(traveller)
        let travellerID = try traveller.requireID()
        try await req.db.transaction { db in
            try await ApiPreconditions.claimIfMatched(
                req, table: Traveller.schema, id: travellerID, version: traveller.version, changed: travellerChanged, on: db)
            traveller.apply(valid)
            try await traveller.save(on: db)
            try await ConsentService.recordChanges(traveller, before: before, source: .api, actor: nil, on: db)
        }
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: nil, action: .travellerUpdated, subjectType: "traveller",
            subjectID: traveller.id?.uuidString, detail: ["via": "api"])
        // Read again: a claim without a change of field raised the stored version alone.
        let stored = try await Traveller.find(travellerID, on: req.db) ?? traveller
        return try ApiPreconditions.respond(travellerOutput(stored, cardToken: nil, baseURL: req.onspot.publicBaseURL), version: stored.version)
    }

    @Sendable static func openAPI(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: OpenAPIDocument.yaml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
        return response
    }
}
