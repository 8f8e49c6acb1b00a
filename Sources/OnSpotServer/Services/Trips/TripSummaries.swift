import Fluent
import Foundation
import OnSpotCore
import SQLKit

/// What the portal's lists show of a trip (the dashboard, the trips list): its dates, travellers' names and
/// destinations, read with SQLKit into plain values. Whole `Trip` models with their links cost most of a list page's
/// time at a realistic size (each row decoded field by field through Fluent, then released), for five columns.
struct TripSummary: Sendable, Decodable {
    let id: UUID
    let reference: String?
    let status: TripStatus
    let departureAt: Date
    let arrivalAt: Date
    let returnAt: Date
    /// In the order the trip lists its travellers.
    var travellerNames: [String] = []
    /// In itinerary order.
    var destinations: [DestinationRecord] = []

    /// The trip's own columns; names and destinations are filled from their own reads.
    enum CodingKeys: String, CodingKey {
        case id, reference, status, departureAt = "departure_at", arrivalAt = "arrival_at", returnAt = "return_at"
    }

    func phase(now: Date) -> TripPhase { TripPhase.of(status: status, arrival: arrivalAt, returnDate: returnAt, now: now) }
}

extension TripService {
    private struct TravellerName: Decodable {
        let tripID: UUID
        let position: Int
        let firstName: String
        let lastName: String
        enum CodingKeys: String, CodingKey { case tripID = "trip_id", position, firstName = "first_name", lastName = "last_name" }
    }

    private struct DestinationLink: Decodable {
        let tripID: UUID
        let destinationID: UUID
        let position: Int
        enum CodingKeys: String, CodingKey { case tripID = "trip_id", destinationID = "destination_id", position }
    }

    /// The trips `select` picks (a select on `trips` with its conditions, order and limit, given by the caller), in
    /// its order, with their travellers' names and destinations: three queries, whatever the number of trips, and a
    /// fourth for the destinations unless the caller has them already.
    static func summaries(
        on db: any Database, destinations known: [DestinationRecord]? = nil, _ select: (SQLSelectBuilder) -> SQLSelectBuilder
    ) async throws -> [TripSummary] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var trips = try await select(
            sql.select().column("id").column("reference").column("status").column("departure_at").column("arrival_at")
                .column("return_at").from(Trip.schema)
        ).all(decoding: TripSummary.self)
        guard !trips.isEmpty else { return [] }
        let ids = trips.map(\.id)
        let names = try await sql.raw(
            """
            SELECT tt.trip_id, tt.position, t.first_name, t.last_name FROM trip_travellers tt \
            JOIN travellers t ON t.id = tt.traveller_id WHERE tt.trip_id IN \(SQLBind.group(ids))
            """
        ).all(decoding: TravellerName.self)
        let links = try await sql.select().column("trip_id").column("destination_id").column("position").from(TripDestination.schema)
            .where("trip_id", .in, ids).all(decoding: DestinationLink.self)
        let all: [DestinationRecord]
        if let known { all = known } else { all = try await DestinationRecord.query(on: db).all() }
        let destinations = Dictionary(all.compactMap { d in d.id.map { ($0, d) } }) { a, _ in a }
        let namesByTrip = Dictionary(grouping: names, by: \.tripID)
        let linksByTrip = Dictionary(grouping: links, by: \.tripID)
        for i in trips.indices {
            let id = trips[i].id
            trips[i].travellerNames = (namesByTrip[id] ?? []).sorted { $0.position < $1.position }.map { "\($0.firstName) \($0.lastName)" }
            trips[i].destinations = (linksByTrip[id] ?? []).sorted { $0.position < $1.position }.compactMap { destinations[$0.destinationID] }
        }
        return trips
    }
}
