import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// `onspot demo --scale N`: the demo, plus N agencies of a realistic size, for measuring pages and queries where they
/// will run. Per agency: 1,000 trips over eighteen months back and six ahead (a fifth through two destinations, one in
/// 33 cancelled), 1,250 travellers, two itinerary segments and a quote per trip, and one WhatsApp conversation per trip
/// with ten messages and its case (two per agency still open, in destinations the demo expert covers). At N=100:
/// 100,000 trips and 1,000,000 messages. Rows go in batches of several hundred per statement, one transaction per
/// agency; the figures are deterministic for a given N.
public enum DemoScale {
    public static let tripsPerAgency = 1_000
    public static let messagesPerConversation = 10
    public static let openCasesPerAgency = 2

    public struct Summary: Sendable, CustomStringConvertible {
        public var agencies = 0, trips = 0, travellers = 0, segments = 0, conversations = 0, messages = 0, cases = 0, openCases = 0

        mutating func add(_ other: Summary) {
            agencies += other.agencies
            trips += other.trips
            travellers += other.travellers
            segments += other.segments
            conversations += other.conversations
            messages += other.messages
            cases += other.cases
            openCases += other.openCases
        }

        public var description: String {
            "\(agencies) agencies, \(trips) trips, \(travellers) travellers, \(segments) segments, \(conversations) conversations, "
                + "\(messages) messages, \(cases) cases (\(openCases) open)"
        }
    }

    /// The sign-in of agency `k` (1-based), with the demo's password.
    public static func adminEmail(_ k: Int) -> String { "admin@scale-\(k).example" }

    public static func run(agencies: Int, app: Application, now: Date) async throws -> Summary {
        let db = app.db
        try await DemoSeed.run(on: app, now: now)
        guard let plus = try await PlanRecord.query(on: db).filter(\.$code == .plus).first() else {
            throw Abort(.internalServerError, reason: "plans missing: run the migrations first")
        }
        let destinations = try await DestinationRecord.query(on: db).sort(\.$code).all()
        // Open cases go where the demo expert works (United States, Canada, Brazil), so that the console shows them.
        let covered = destinations.filter { $0.code.hasPrefix("us-") || $0.code.hasPrefix("ca-") || $0.code.hasPrefix("br-") }
        guard !destinations.isEmpty, !covered.isEmpty else { throw Abort(.internalServerError, reason: "destinations missing") }
        let existing = try await Agency.query(on: db).filter(\.$contactEmail ~~ (1...agencies).map { "contact@scale-\($0).example" }).count()
        guard existing == 0 else { throw Abort(.conflict, reason: "this database already has scale agencies: start from an empty one") }
        let hash = try await app.password.async.hash(DemoSeed.password)
        let terms = PlanTerms.defaults.first { $0.code == .plus } ?? PlanTerms.defaults[0]
        var summary = Summary()
        for k in 1...agencies {
            let agency = try await DemoSeed.agency("Scale agency \(k)", plan: plus, email: "contact@scale-\(k).example", on: db)
            let agencyID = try agency.requireID()
            let admin = User(agencyID: agencyID, role: .agencyAdmin, email: adminEmail(k), name: "Admin \(k)", passwordHash: hash, language: .fr)
            try await admin.create(on: db)
            let seeded = try await db.transaction { tx in
                try await seedAgency(
                    k, agencyID: agencyID, plan: plus, terms: terms, destinations: destinations, covered: covered, now: now, on: tx)
            }
            summary.add(seeded)
        }
        if let sql = db as? any SQLDatabase { try await sql.raw("ANALYZE").run() }
        return summary
    }

    private static let firstNames = ["Camille", "Lucas", "Emma", "Hugo", "Léa", "Tom", "Inès", "Ana", "Noah", "Chloé", "Jules", "Manon"]
    private static let lastNames = ["Durand", "Moreau", "Lefebvre", "Garnier", "Rousseau", "Wilson", "Faure", "Costa", "Girard", "Mercier"]
    private static let questions = [
        "Bonjour, où récupérer la voiture de location ?", "Mon vol est retardé de trois heures, que faire ?",
        "L'hôtel ne trouve pas ma réservation.", "Pouvez-vous réserver une excursion pour demain ?",
        "J'ai perdu mon passeport, que dois-je faire ?", "Le transfert n'est pas venu à l'aéroport."
    ]

    typealias Rows = SeedRows

    /// Plain rows, not Fluent models: building a model costs a reflection of its fields, which is most of the time at
    /// two million rows. The columns are those of the tables' migrations; optional ones left out stay empty.
    private static func seedAgency(
        _ k: Int, agencyID: UUID, plan: PlanRecord, terms: PlanTerms, destinations: [DestinationRecord], covered: [DestinationRecord],
        now: Date, on db: any Database
    ) async throws -> Summary {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        var terms = terms
        terms.pricePerTravellerPerDayMinorUnits = plan.pricePerTravellerDayMinor
        terms.minimumPerTripMinorUnits = plan.minimumPerTripMinor
        terms.currency = plan.currency
        let scopeID = try await ScopeService.current(agencyID: agencyID, on: db)?.id
        var trips = Rows(
            table: "trips",
            columns: [
                "id", "agency_id", "reference", "status", "departure_at", "arrival_at", "return_at", "plan_code", "scope_version_id",
                "created_at", "updated_at", "cancelled_at", "refund_state"
            ])
        var travellers = Rows(
            table: "travellers",
            columns: [
                "id", "agency_id", "first_name", "last_name", "phone", "email", "language", "consent_call_recording",
                "consent_recommendations", "abusive", "created_at", "updated_at"
            ])
        var links = Rows(table: "trip_travellers", columns: ["id", "trip_id", "traveller_id", "position", "card_token"])
        var stops = Rows(table: "trip_destinations", columns: ["id", "trip_id", "destination_id", "position"])
        var segments = Rows(
            table: "itinerary_segments",
            columns: ["id", "trip_id", "kind", "title", "starts_at", "ends_at", "time_zone", "supplier", "confirmation", "source", "created_at"])
        var quotes = Rows(
            table: "quotes",
            columns: ["id", "trip_id", "agency_id", "plan_code", "grid_version", "travellers", "days", "amount_minor", "currency", "created_at"])
        var conversations = Rows(
            table: "conversations",
            columns: [
                "id", "channel", "external_user_id", "destination_id", "agency_id", "traveller_id", "trip_id", "identified",
                "last_inbound_at", "created_at"
            ])
        var messages = Rows(
            table: "messages",
            columns: ["id", "conversation_id", "direction", "channel", "provider_message_id", "kind", "body", "status", "created_at"])
        var cases = Rows(
            table: "cases",
            columns: [
                "id", "agency_id", "trip_id", "traveller_id", "conversation_id", "destination_id", "category", "priority", "status",
                "safety_flag", "recording_refused", "opened_at", "first_response_at", "resolved_at", "resolution_summary"
            ])
        var summary = Summary(agencies: 1)
        let day = 86_400.0
        for i in 0..<tripsPerAgency {
            let n = (k - 1) * tripsPerAgency + i
            let open = i < openCasesPerAgency
            // Spread over 24 months: eighteen back, six ahead; the open cases' trips are under way today.
            let departure = open ? now.addingTimeInterval(-3 * day) : now.addingTimeInterval((-540 + Double(i) * 0.72) * day)
            let arrival = departure.addingTimeInterval(0.5 * day)
            let returnAt = departure.addingTimeInterval(Double(7 + n % 10) * day)
            let created = departure.addingTimeInterval(-30 * day)
            let first = open ? covered[n % covered.count] : destinations[n % destinations.count]
            var route = [first]
            let second = destinations[(n / 5 + 7) % destinations.count]
            if n % 5 == 0 && second.id != first.id { route.append(second) }
            let tripID = UUID()
            let cancelled = n % 33 == 32 && !open
            trips.add([
                tripID, agencyID, "SC\(k)-\(String(format: "%04d", i))", (cancelled ? TripStatus.cancelled : .booked).rawValue, departure,
                arrival, returnAt, plan.code.rawValue, scopeID, created, created, cancelled ? departure.addingTimeInterval(-10 * day) : nil,
                RefundState.notApplicable.rawValue
            ])
            for (position, destination) in route.enumerated() {
                stops.add([UUID(), tripID, try destination.requireID(), position])
            }
            let party = n % 4 == 0 ? 2 : 1
            var lead: (id: UUID, phone: String)?
            for position in 0..<party {
                let travellerID = UUID()
                let phone = "+1555" + String(format: "%07d", (n * 2 + position) % 10_000_000)
                travellers.add([
                    travellerID, agencyID, firstNames[(n + position) % firstNames.count], lastNames[(n / 3 + position) % lastNames.count],
                    phone, "traveller\(n)-\(position)@scale.example", Language.fr.rawValue, true, n % 3 == 0, false, created, created
                ])
                lead = lead ?? (travellerID, phone)
                links.add([UUID(), tripID, travellerID, position, Tokens.random()])
            }
            let zone = first.zone.identifier
            segments.add([
                UUID(), tripID, SegmentKind.flight.rawValue, "AF \(100 + n % 800) Paris CDG → \(first.name)", departure, arrival, zone,
                "Air France", "PNR\(String(n, radix: 36).uppercased())", SegmentSource.manual.rawValue, created
            ])
            segments.add([
                UUID(), tripID, SegmentKind.stay.rawValue, "Hôtel \(first.name)", arrival, returnAt, zone, "Hôtel \(n % 50)", "H\(n)",
                SegmentSource.manual.rawValue, created
            ])
            let quote = Quote.make(
                terms: terms, gridVersion: plan.gridVersion, travellers: party, arrival: arrival, returnDate: returnAt, zone: first.zone)
            quotes.add([
                UUID(), tripID, agencyID, quote.planCode.rawValue, quote.gridVersion, quote.travellers, quote.days, quote.amount.minorUnits,
                quote.amount.currency.rawValue, created
            ])

            // One conversation per trip, opened the day after arrival (or a week ago for trips still ahead).
            let start = min(arrival.addingTimeInterval(day), now.addingTimeInterval(open ? -3_600 : -7 * day))
            let conversationID = UUID()
            conversations.add([
                conversationID, MessagingChannel.whatsapp.rawValue, String((lead?.phone ?? "+0").dropFirst()), first.id, agencyID, lead?.id,
                tripID, true, start.addingTimeInterval(Double(messagesPerConversation - 2) * 420), start
            ])
            for m in 0..<messagesPerConversation {
                let inbound = m % 2 == 0
                messages.add([
                    UUID(), conversationID, (inbound ? MessageDirection.inbound : .outbound).rawValue, MessagingChannel.whatsapp.rawValue,
                    "wamid.SC\(n)-\(m)", OutboundMessageKind.text.rawValue,
                    inbound ? questions[(n + m) % questions.count] : "C'est noté, je m'en occupe (\(m)).",
                    (inbound ? MessageStatus.received : .delivered).rawValue, start.addingTimeInterval(Double(m) * 420)
                ])
            }
            let category = [CaseCategory.carRental, .flightDisruption, .accommodation, .activityBooking, .lostItems, .information][n % 6]
            cases.add([
                UUID(), agencyID, tripID, lead?.id, conversationID, first.id, category.rawValue, CasePriority.normal.rawValue,
                (open ? CaseStatus.new : .resolved).rawValue, false, false, start, start.addingTimeInterval(420),
                open ? nil : start.addingTimeInterval(Double(messagesPerConversation) * 420),
                open ? nil : "Résolu sur place (\(category.rawValue))."
            ])
            summary.openCases += open ? 1 : 0
        }
        for rows in [trips, travellers, links, stops, segments, quotes, conversations, messages, cases] { try await rows.insert(on: sql) }
        summary.trips = trips.values.count
        summary.travellers = travellers.values.count
        summary.segments = segments.values.count
        summary.conversations = conversations.values.count
        summary.messages = messages.values.count
        summary.cases = cases.values.count
        return summary
    }
}

/// Rows of one table, inserted several hundred per statement: the scale demo's and the benchmarks' seeding.
struct SeedRows {
    let table: String
    let columns: [String]
    var values: [[any SQLExpression]] = []

    mutating func add(_ row: [any Encodable & Sendable]) { values.append(row.map { SQLBind($0) }) }

    func insert(on sql: any SQLDatabase) async throws {
        // Within SQLite's and PostgreSQL's limits on bound values per statement.
        for chunk in values.chunked(max(1, 20_000 / columns.count)) {
            try await sql.insert(into: table).columns(columns).rows(chunk).run()
        }
    }
}
