import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// `onspot bench-alerts`: seeds travellers present in every destination now, a quarter of the trips in Miami (a
/// hurricane season's Florida), then times what a hurricane warning over Miami-Dade costs: its matching and the
/// messages it queues, its update, the console's banners, the agency's alerts page, and its cancel with the "lifted"
/// messages. Nothing is sent: deliveries are left queued. Use a fresh database (`--database` file, or DATABASE_URL).
struct AlertsBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "agencies", help: "Agencies (default 50)") var agencies: Int?
        @Option(name: "trips", help: "Trips under way now, over all the agencies (default 20000)") var trips: Int?
    }
    var help: String { "Seeds travellers present now, then times a hurricane warning over Miami: matching, messages, banners, cancel." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate().get()
        guard try await Agency.query(on: app.db).count() == 0 else {
            throw Abort(.conflict, reason: "bench-alerts needs a fresh database (--database PATH of a new file, or an empty DATABASE_URL)")
        }
        // The messages stay queued: the benchmark measures OnSpot, not Meta.
        app.backgroundWork.isDisabled = true
        let agencies = min(max(signature.agencies ?? 50, 1), 1_000)
        let trips = min(max(signature.trips ?? 20_000, agencies), 1_000_000)
        let clock = ContinuousClock()
        let now = AppClock.now
        var start = clock.now
        let seeded = try await AlertsBenchmark.seed(agencies: agencies, trips: trips, now: now, app: app)
        context.console.print("seeded in \(PurgeBenchmark.seconds(clock.now - start)) s: \(seeded)")

        func timed(_ label: String, _ alert: CAPAlert, at time: Date) async throws -> WeatherAlerts.PollSummary {
            var summary = WeatherAlerts.PollSummary()
            let begin = clock.now
            try await WeatherAlerts.apply(alert, feedID: nil, sourceURL: nil, app: app, now: time, summary: &summary)
            let took = (clock.now - begin).inSeconds
            let rate = Double(max(summary.told, summary.lifted)) / max(0.001, took)
            context.console.print(
                "\(label): \(String(format: "%.2f", took)) s — told \(summary.told), lifted \(summary.lifted) (\(Int(rate)) travellers/s)")
            return summary
        }
        let warning = AlertsBenchmark.hurricane(identifier: "bench-1", sent: now, type: .alert, severity: .severe, references: [])
        _ = try await timed("hurricane warning over Miami-Dade", warning, at: now)
        let told = try await TravellerAlert.query(on: app.db).count()
        let notTold = try await TravellerAlert.query(on: app.db).filter(\.$notTold == .noConsent).count()
        context.console.print("traveller alerts: \(told) (\(notTold) without consent, listed for their agency)")
        let update = AlertsBenchmark.hurricane(
            identifier: "bench-2", sent: now.addingTimeInterval(60), type: .update, severity: .extreme, references: [warning])
        _ = try await timed("its update (severity Extreme)", update, at: now.addingTimeInterval(60))

        var banners: [Double] = []
        for _ in 0..<100 {
            start = clock.now
            _ = try await WeatherAlerts.banners(now: now.addingTimeInterval(120), on: app.db)
            banners.append((clock.now - start).inSeconds * 1000)
        }
        context.console.print(
            "console banners (100 reads): p50 \(String(format: "%.1f", Percentile.of(banners, 0.5))) ms, p99 \(String(format: "%.1f", Percentile.of(banners, 0.99))) ms"
        )
        var pages: [Double] = []
        let agencyIDs = try await Agency.query(on: app.db).all(\.$id)
        for agencyID in agencyIDs.prefix(50) {
            start = clock.now
            let alerts = try await TravellerAlert.query(on: app.db).filter(\.$agencyID == agencyID)
                .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(200).all()
            _ = try await AlertsController.rows(alerts, on: app.db)
            pages.append((clock.now - start).inSeconds * 1000)
        }
        context.console.print(
            "an agency's alerts list (\(pages.count) agencies): p50 \(String(format: "%.1f", Percentile.of(pages, 0.5))) ms, p99 \(String(format: "%.1f", Percentile.of(pages, 0.99))) ms"
        )
        let cancel = AlertsBenchmark.hurricane(
            identifier: "bench-3", sent: now.addingTimeInterval(180), type: .cancel, severity: .extreme, references: [update])
        _ = try await timed("its cancel", cancel, at: now.addingTimeInterval(180))
        let again = try await timed("the same warning applied again (a second process)", warning, at: now.addingTimeInterval(240))
        context.console.print("second application: told \(again.told) (already held: ignored)")
        let queued = try await OutboxEntry.query(on: app.db).count()
        context.console.print("messages queued in all: \(queued)")
    }
}

enum AlertsBenchmark {
    /// Miami-Dade's coast and Miami Beach (the NWS fixture's polygon), as the National Hurricane Center would warn.
    static func hurricane(identifier: String, sent: Date, type: CAPAlert.MessageType, severity: CAPAlert.Severity, references: [CAPAlert])
        -> CAPAlert
    {
        let ring: [(Double, Double)] = [(25.4, -80.52), (25.4, -80.1), (25.6, -80.05), (25.98, -80.08), (25.98, -80.3), (25.75, -80.52)]
        let polygon = GeoPolygon(ring.compactMap { GeoPoint(latitude: $0.0, longitude: $0.1) })
        let info = CAPAlert.Info(
            language: "en-US", event: "Hurricane Warning", urgency: .immediate, severity: severity, certainty: .likely, effective: sent,
            expires: sent.addingTimeInterval(36 * 3600), headline: "Hurricane Warning issued for Miami-Dade (\(identifier))",
            description: "Hurricane conditions expected.", instruction: "Evacuate zone A now; follow local officials.",
            areas: [CAPAlert.Area(description: "Coastal Miami-Dade County", polygons: polygon.map { [$0] } ?? [], circles: [])])
        return CAPAlert(
            identifier: identifier, sender: "w-nws.webmaster@noaa.gov", sent: sent, status: "Actual", messageType: type,
            references: references.map { CAPAlert.Reference(sender: $0.sender, identifier: $0.identifier, sent: LocalDateTime.utc($0.sent)) },
            infos: [info])
    }

    /// PLUS trips (billed by invoice, nothing awaits payment) under way now (left two days ago, back in eight), one in four to Miami, the others over every destination;
    /// one traveller in three travels with someone; four in five consent to alerts. Plain rows, a few hundred per statement.
    static func seed(agencies: Int, trips: Int, now: Date, app: Application) async throws -> String {
        let db = app.db
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        guard let plus = try await PlanRecord.query(on: db).filter(\.$code == .plus).first() else {
            throw Abort(.internalServerError, reason: "plans missing: run the migrations first")
        }
        let destinations = try await DestinationRecord.query(on: db).sort(\.$code).all()
        guard let miami = destinations.first(where: { $0.code == "us-mia" }) else { throw Abort(.internalServerError, reason: "us-mia missing") }
        let line = ChannelEndpoint()
        line.$destination.id = try miami.requireID()
        line.channel = .whatsapp
        line.externalID = "bench-miami"
        line.appSecret = "bench"
        line.accessToken = "bench"
        line.active = true
        line.createdAt = now
        try await line.create(on: db)
        var agencyIDs: [UUID] = []
        for k in 1...agencies {
            agencyIDs.append(try await DemoSeed.agency("Alerts bench \(k)", plan: plus, email: "contact@alerts-\(k).example", on: db).requireID())
        }
        var tripRows = SeedRows(
            table: "trips",
            columns: [
                "id", "agency_id", "reference", "status", "departure_at", "arrival_at", "return_at", "plan_code", "created_at", "updated_at",
                "refund_state"
            ])
        var travellerRows = SeedRows(
            table: "travellers",
            columns: [
                "id", "agency_id", "first_name", "last_name", "phone", "language", "consent_call_recording", "consent_recommendations",
                "consent_alerts", "abusive", "created_at", "updated_at"
            ])
        var links = SeedRows(table: "trip_travellers", columns: ["id", "trip_id", "traveller_id", "position", "card_token"])
        var stops = SeedRows(table: "trip_destinations", columns: ["id", "trip_id", "destination_id", "position"])
        var segments = SeedRows(
            table: "itinerary_segments", columns: ["id", "trip_id", "kind", "title", "starts_at", "ends_at", "time_zone", "source", "created_at"])
        let day = 86_400.0
        var travellers = 0
        var inMiami = 0
        for n in 0..<trips {
            let agencyID = agencyIDs[n % agencyIDs.count]
            let destination = n % 4 == 0 ? miami : destinations[n % destinations.count]
            if destination.code == "us-mia" { inMiami += 1 }
            let tripID = UUID()
            let departure = now.addingTimeInterval(-2 * day)
            tripRows.add([
                tripID, agencyID, "AB-\(n)", TripStatus.booked.rawValue, departure, departure.addingTimeInterval(0.5 * day),
                now.addingTimeInterval(8 * day), plus.code.rawValue, departure.addingTimeInterval(-30 * day), departure.addingTimeInterval(-30 * day),
                RefundState.notApplicable.rawValue
            ])
            stops.add([UUID(), tripID, try destination.requireID(), 0])
            segments.add([
                UUID(), tripID, SegmentKind.stay.rawValue,
                destination.code == "us-mia" ? (n % 8 == 0 ? "Hôtel Miami Beach" : "Hotel Brickell, Miami") : "Hôtel \(destination.name)",
                departure.addingTimeInterval(0.5 * day), now.addingTimeInterval(8 * day), destination.zone.identifier, SegmentSource.manual.rawValue,
                departure
            ])
            for position in 0..<(n % 3 == 0 ? 2 : 1) {
                let travellerID = UUID()
                travellerRows.add([
                    travellerID, agencyID, "Voyageur", "N\(n)-\(position)", "+1305" + String(format: "%07d", (n * 2 + position) % 10_000_000),
                    Language.fr.rawValue, true, false, (n + position) % 5 != 0, false, departure, departure
                ])
                links.add([UUID(), tripID, travellerID, position, Tokens.random()])
                travellers += 1
            }
        }
        for rows in [tripRows, travellerRows, links, stops, segments] { try await rows.insert(on: sql) }
        try await sql.raw("ANALYZE").run()
        return "\(agencies) agencies, \(trips) trips under way (\(inMiami) in Miami), \(travellers) travellers"
    }
}
