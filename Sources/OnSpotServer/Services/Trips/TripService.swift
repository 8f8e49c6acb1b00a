import Fluent
import SQLKit
import Foundation
import OnSpotCore
import Vapor

/// Trips and travellers, always within one agency: every read and write takes the agency's id.
enum TripService {
    struct ListFilter: Sendable {
        var search: String?
        var status: TripStatus?
        var phase: TripPhase?
        var destinationCode: String?
        var page: Int = 1
        var perPage: Int = 25
    }

    struct Page<Row: Sendable>: Sendable {
        var trips: [Row]
        var total: Int
        var page: Int
        var perPage: Int
    }

    static func destinationsByCode(on db: any Database) async throws -> [String: DestinationRecord] {
        let all = try await DestinationRecord.query(on: db).filter(\.$active == true).all()
        return Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    }

    /// "%term%" for `LIKE … ESCAPE '\'`, with LIKE's wildcards in what the user typed escaped: a "%" searches a "%".
    static func containsPattern(_ search: String) -> String {
        var pattern = "%"
        for c in search.prefix(100) {
            if c == "%" || c == "_" || c == "\\" { pattern.append("\\") }
            pattern.append(c)
        }
        return pattern + "%"
    }

    static func create(
        _ valid: ValidTrip, agency: Agency, userID: UUID?, consentSource: ConsentSource = .form, on db: any Database
    ) async throws -> Trip {
        let agencyID = try agency.requireID()
        let destinations = try await destinationsByCode(on: db)
        let plan = try await PlanRecord.find(agency.$plan.id, on: db)
        let scope = try await ScopeService.current(agencyID: agencyID, on: db)
        return try await db.transaction { db in
            let trip = Trip()
            trip.$agency.id = agencyID
            trip.reference = valid.reference
            trip.status = TripStatus.booked
            trip.departureAt = valid.departure
            trip.arrivalAt = valid.arrival
            trip.returnAt = valid.returnDate
            trip.notes = valid.notes
            trip.planCode = plan?.code ?? .light
            trip.scopeVersionID = scope?.id
            trip.createdAt = AppClock.now
            trip.updatedAt = AppClock.now
            trip.createdBy = userID
            trip.refundState = RefundState.notApplicable
            try await trip.create(on: db)
            let tripID = try trip.requireID()
            for (i, code) in valid.destinationCodes.enumerated() {
                guard let destination = destinations[code] else {
                    throw ValidationFailure([FieldError(field: "destinations", message: "trip.error.unknown_destination")])
                }
                let link = TripDestination()
                link.$trip.id = tripID
                link.$destination.id = try destination.requireID()
                link.position = i
                try await link.create(on: db)
            }
            for (i, v) in valid.travellers.enumerated() {
                let traveller = Traveller()
                traveller.$agency.id = agencyID
                traveller.abusive = false
                traveller.createdAt = AppClock.now
                traveller.apply(v)
                try await traveller.create(on: db)
                try await ConsentService.recordChanges(traveller, before: nil, source: consentSource, actor: userID, on: db)
                let link = TripTraveller()
                link.$trip.id = tripID
                link.$traveller.id = try traveller.requireID()
                link.position = i
                link.cardToken = Tokens.random()
                try await link.create(on: db)
            }
            // Clause 4.1: the service is priced when booked, with the grid version used.
            if let final = valid.destinationCodes.last.flatMap({ destinations[$0] }) {
                try await Quotes.requote(trip: trip, travellers: valid.travellers.count, zone: final.zone, on: db)
            }
            try await AuditLog.record(
                on: db, agencyID: agencyID, actor: userID, action: .tripRegistered, subjectType: "trip",
                subjectID: tripID.uuidString, detail: ["travellers": String(valid.travellers.count)])
            return trip
        }
    }

    /// Loads one trip of this agency with everything its pages show, in a fixed number of queries.
    static func find(_ id: UUID, agencyID: UUID, on db: any Database) async throws -> Trip? {
        try await Trip.query(on: db).filter(\.$id == id).filter(\.$agency.$id == agencyID)
            .with(\.$travellerLinks) { $0.with(\.$traveller) }
            .with(\.$destinationLinks) { $0.with(\.$destination) }
            .with(\.$segments).with(\.$documents)
            .first()
    }

    /// One page of the agency's trips that `filter` keeps, whole, for the API (which shows every field).
    static func list(agencyID: UUID, filter: ListFilter, now: Date, on db: any Database) async throws -> Page<Trip> {
        try await listPage(agencyID: agencyID, filter: filter, now: now, on: db) { sql, select in
            let ids = try await select(sql.select().column("id").from(Trip.schema)).all(decodingColumn: "id", as: UUID.self)
            guard !ids.isEmpty else { return [] }
            let trips = try await Trip.query(on: db).filter(\.$id ~~ ids)
                .with(\.$travellerLinks) { $0.with(\.$traveller) }
                .with(\.$destinationLinks) { $0.with(\.$destination) }
                .all()
            let byID = Dictionary(uniqueKeysWithValues: trips.compactMap { trip in trip.id.map { ($0, trip) } })
            return ids.compactMap { byID[$0] }
        }
    }

    /// The same page as summaries, for the portal's list, with every destination (active or not) the page has read.
    static func summaryList(
        agencyID: UUID, filter: ListFilter, now: Date, destinations: [DestinationRecord], on db: any Database
    ) async throws -> Page<TripSummary> {
        try await listPage(agencyID: agencyID, filter: filter, now: now, on: db) { _, select in
            try await summaries(on: db, destinations: destinations, select)
        }
    }

    /// Counts the trips `filter` keeps and reads one page of them (in departure order) with `rows`, both through the
    /// same conditions.
    private static func listPage<Row: Sendable>(
        agencyID: UUID, filter: ListFilter, now: Date, on db: any Database,
        rows: (any SQLDatabase, (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Row]
    ) async throws -> Page<Row> {
        let request = PageRequest(clamping: filter.page, perPage: filter.perPage)
        let none = Page<Row>(trips: [], total: 0, page: request.page, perPage: request.perPage)
        guard let sql = db as? any SQLDatabase else { return none }
        var destinationID: UUID?
        if let code = filter.destinationCode, !code.isEmpty {
            guard let id = try await DestinationRecord.query(on: db).filter(\.$code == code).first()?.id else { return none }
            destinationID = id
        }
        let postgres = sql.dialect.name == "postgresql"
        func conditions(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            matching(select, agencyID: agencyID, filter: filter, destinationID: destinationID, now: now, postgres: postgres)
        }
        let count = sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from(Trip.schema)
        let total = try await conditions(count).first(decodingColumn: "n", as: Int.self) ?? 0
        let trips = try await rows(sql) { select in
            conditions(select).orderBy("departure_at").orderBy("id").limit(request.perPage).offset(request.range.lowerBound)
        }
        return Page(trips: trips, total: total, page: request.page, perPage: request.perPage)
    }

    /// The list's conditions on `trips`: the agency, the phase, a destination, and a search on the reference or on a
    /// traveller's name or email (in one subquery rather than ids carried back and forth).
    private static func matching(
        _ select: SQLSelectBuilder, agencyID: UUID, filter: ListFilter, destinationID: UUID?, now: Date, postgres: Bool
    ) -> SQLSelectBuilder {
        select.where("agency_id", .equal, agencyID)
        if let status = filter.status { select.where("status", .equal, status.rawValue) }
        let booked = TripStatus.booked.rawValue
        switch filter.phase {
        case nil: break
        case .cancelled: select.where("status", .equal, TripStatus.cancelled.rawValue)
        case .upcoming: select.where("status", .equal, booked).where("arrival_at", .greaterThan, now.addingTimeInterval(TripRules.serviceLead))
        case .inService:
            select.where("status", .equal, booked).where("arrival_at", .lessThanOrEqual, now.addingTimeInterval(TripRules.serviceLead))
                .where("return_at", .greaterThanOrEqual, now)
        case .ended: select.where("status", .equal, booked).where("return_at", .lessThan, now)
        }
        if let destinationID {
            select.where(
                SQLQueryString(
                    "EXISTS (SELECT 1 FROM trip_destinations td WHERE td.trip_id = trips.id AND td.destination_id = \(bind: destinationID))"))
        }
        if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = containsPattern(search)
            // PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII).
            let like = postgres ? "ILIKE" : "LIKE"
            select.where(
                SQLQueryString(
                    """
                    (reference \(unsafeRaw: like) \(bind: pattern) ESCAPE '\\' OR id IN (SELECT tt.trip_id FROM trip_travellers tt \
                    JOIN travellers t ON t.id = tt.traveller_id WHERE t.agency_id = \(bind: agencyID) \
                    AND (t.last_name \(unsafeRaw: like) \(bind: pattern) ESCAPE '\\' \
                    OR t.first_name \(unsafeRaw: like) \(bind: pattern) ESCAPE '\\' \
                    OR t.email \(unsafeRaw: like) \(bind: pattern) ESCAPE '\\')))
                    """))
        }
        return select
    }

    static func update(_ trip: Trip, with valid: ValidTrip, userID: UUID?, on db: any Database) async throws {
        let destinations = try await destinationsByCode(on: db)
        try await db.transaction { db in
            trip.reference = valid.reference
            trip.departureAt = valid.departure
            trip.arrivalAt = valid.arrival
            trip.returnAt = valid.returnDate
            trip.notes = valid.notes
            trip.updatedAt = AppClock.now
            try await trip.save(on: db)
            let tripID = try trip.requireID()
            try await TripDestination.query(on: db).filter(\.$trip.$id == tripID).delete()
            for (i, code) in valid.destinationCodes.enumerated() {
                guard let destination = destinations[code] else { continue }
                let link = TripDestination()
                link.$trip.id = tripID
                link.$destination.id = try destination.requireID()
                link.position = i
                try await link.create(on: db)
            }
            // Modifications are re-quoted (article 5); the quote changes only if the price inputs did.
            if let final = valid.destinationCodes.last.flatMap({ destinations[$0] }) {
                let travellers = try await TripTraveller.query(on: db).filter(\.$trip.$id == tripID).count()
                try await Quotes.requote(trip: trip, travellers: travellers, zone: final.zone, on: db)
            }
            try await AuditLog.record(
                on: db, agencyID: trip.$agency.id, actor: userID, action: .tripUpdated,
                subjectType: "trip", subjectID: tripID.uuidString)
        }
    }

    /// Article 5's notice of a plan, as an OnSpot admin set it (the shipped terms when the plan row is missing).
    static func refundNoticeHours(_ plan: PlanCode, on db: any Database) async throws -> Int {
        try await PlanRecord.query(on: db).filter(\.$code == plan).first()?.refundNoticeHours
            ?? PlanTerms.defaults.first { $0.code == plan }?.refundNoticeHours ?? 24
    }

    static func cancel(_ trip: Trip, reason: String?, userID: UUID?, now: Date, on db: any Database) async throws {
        guard trip.status != .cancelled else {
            throw ValidationFailure([FieldError(field: "status", message: "trip.error.already_cancelled")])
        }
        let notice = try await refundNoticeHours(trip.planCode, on: db)
        trip.status = TripStatus.cancelled
        trip.cancelledAt = now
        trip.cancelledBy = userID
        trip.cancellationReason = reason?.trimmingCharacters(in: .whitespaces).nilIfEmpty.map { String($0.prefix(1000)) }
        // The departure is at home: its wall clock is the agency's.
        let zone = try await Agency.find(trip.$agency.id, on: db)?.zone ?? TimeZone(identifier: "UTC")!
        trip.refundState = CancellationRules.refundState(departure: trip.departureAt, noticeHours: notice, now: now, zone: zone)
        trip.updatedAt = now
        try await trip.save(on: db)
        try await AuditLog.record(
            on: db, agencyID: trip.$agency.id, actor: userID, action: .tripCancelled, subjectType: "trip",
            subjectID: trip.id?.uuidString, detail: ["refund_state": trip.refundState.rawValue])
    }

    /// A trip's itinerary in the order of travel: dated segments by start, undated ones last, each in the order entered.
    static func itineraryOrder(_ segments: [ItinerarySegment]) -> [ItinerarySegment] {
        segments.sorted { ($0.startsAt ?? .distantFuture, $0.createdAt) < ($1.startsAt ?? .distantFuture, $1.createdAt) }
    }

    /// The final destination of a trip: arrival times are read in its zone.
    static func finalDestination(_ trip: Trip) -> DestinationRecord? {
        trip.destinationLinks.sorted { $0.position < $1.position }.last?.destination
    }
}

extension TripService {
    /// Removes a trip created by a request that lost an idempotency race; nothing else can reference it yet.
    static func discard(_ trip: Trip, on db: any Database) async throws {
        let id = try trip.requireID()
        try await db.transaction { db in
            let travellerIDs = try await TripTraveller.query(on: db).filter(\.$trip.$id == id).all(\.$traveller.$id)
            try await TripTraveller.query(on: db).filter(\.$trip.$id == id).delete()
            try await TripDestination.query(on: db).filter(\.$trip.$id == id).delete()
            try await Traveller.query(on: db).filter(\.$id ~~ travellerIDs).delete()
            try await Trip.query(on: db).filter(\.$id == id).delete()
        }
    }
}
