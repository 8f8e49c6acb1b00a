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

    struct Page: Sendable {
        var trips: [Trip]
        var total: Int
        var page: Int
        var perPage: Int
    }

    static func destinationsByCode(on db: any Database) async throws -> [String: DestinationRecord] {
        let all = try await DestinationRecord.query(on: db).filter(\.$active == true).all()
        return Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    }

    /// Case-insensitive LIKE: PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII).
    static func caseInsensitiveLike(_ db: any Database) -> DatabaseQuery.Filter.Method {
        (db as? any SQLDatabase)?.dialect.name == "postgresql" ? .custom(SQLRaw("ILIKE")) : .custom(SQLRaw("LIKE"))
    }

    /// "%term%" with LIKE's wildcards taken out of what the user typed.
    static func containsPattern(_ search: String) -> String {
        "%" + String(search.prefix(100)).filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
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

    static func list(agencyID: UUID, filter: ListFilter, now: Date, on db: any Database) async throws -> Page {
        let query = Trip.query(on: db).filter(\.$agency.$id == agencyID)
        if let status = filter.status { query.filter(\.$status == status) }
        if let phase = filter.phase {
            let lead = now.addingTimeInterval(TripRules.serviceLead)
            switch phase {
            case .cancelled: query.filter(\.$status == TripStatus.cancelled)
            case .upcoming: query.filter(\.$status == TripStatus.booked).filter(\.$arrivalAt > lead)
            case .inService:
                query.filter(\.$status == TripStatus.booked).filter(\.$arrivalAt <= lead).filter(\.$returnAt >= now)
            case .ended: query.filter(\.$status == TripStatus.booked).filter(\.$returnAt < now)
            }
        }
        if let code = filter.destinationCode, !code.isEmpty {
            let ids = try await TripDestination.query(on: db)
                .join(DestinationRecord.self, on: \TripDestination.$destination.$id == \DestinationRecord.$id)
                .filter(DestinationRecord.self, \.$code == code).all(\.$trip.$id)
            query.filter(\.$id ~~ ids)
        }
        if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = containsPattern(search)
            let like = caseInsensitiveLike(db)
            let travellerIDs = try await Traveller.query(on: db).filter(\.$agency.$id == agencyID)
                .group(.or) { $0.filter(\.$lastName, like, pattern).filter(\.$firstName, like, pattern).filter(\.$email, like, pattern) }
                .all(\.$id)
            let tripIDs =
                travellerIDs.isEmpty
                ? []
                : try await TripTraveller.query(on: db)
                    .filter(\.$traveller.$id ~~ travellerIDs).all(\.$trip.$id)
            query.group(.or) { $0.filter(\.$reference, like, pattern).filter(\.$id ~~ tripIDs) }
        }
        let total = try await query.copy().count()
        let request = PageRequest(clamping: filter.page, perPage: filter.perPage)
        let trips = try await query.sort(\.$departureAt).sort(\.$id)
            .with(\.$travellerLinks) { $0.with(\.$traveller) }
            .with(\.$destinationLinks) { $0.with(\.$destination) }
            .range(request.range).all()
        return Page(trips: trips, total: total, page: request.page, perPage: request.perPage)
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
