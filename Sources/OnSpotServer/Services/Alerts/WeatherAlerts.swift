import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
import SQLKit
import Vapor

/// Official weather and hazard alerts (issue 14 §2): the configured feeds are polled with conditional requests, each
/// message is applied the way CAP means it (`AlertBook`), and an alert worth telling is matched to the destinations it
/// covers and to the travellers there — their itinerary's places, else their destination — who get a short message in
/// their language; their agencies see it on the dashboard and get `weather.alert`.
enum WeatherAlerts {
    struct PollSummary: Equatable {
        var fetched = 0
        var unchanged = 0
        var failed = 0
        var added = 0
        var updated = 0
        var cancelled = 0
        var expired = 0
        var told = 0
        var lifted = 0
    }

    /// How far ahead of arrival a traveller is told about an alert where they are going.
    static let arrivingWithin: TimeInterval = 72 * 3600
    static let maximumFeedBytes = 20_000_000
    static let maximumLinkedPerPoll = 50
    static let maximumZonesPerPoll = 100
    /// NWS refuses requests without one; every feed gets the same.
    static let userAgent = "OnSpotConnect/1.0 (alerts; ops@onspot.example)"

    /// The feeds of `ONSPOT_ALERT_FEEDS`, recorded once each (by URL) so their polls can be reported.
    static func registerFeeds(app: Application) async throws {
        for setting in app.onspot.alertFeeds {
            guard let format = AlertFeedFormat(rawValue: setting.format) else { continue }
            if let existing = try await AlertFeed.query(on: app.db).filter(\.$url == setting.url).first() {
                if existing.format != format {
                    existing.format = format
                    try await existing.save(on: app.db)
                }
                continue
            }
            let feed = AlertFeed()
            feed.format = format
            feed.url = setting.url
            feed.alertsInForce = 0
            feed.createdAt = AppClock.now
            try? await feed.create(on: app.db)
        }
    }

    /// Polls every `ONSPOT_ALERT_POLL_SECONDS`, in one process at a time among those on the database.
    static func start(_ app: Application) {
        guard !app.onspot.alertFeeds.isEmpty else { return }
        let seconds = app.onspot.alertPollSeconds
        app.repeatInBackground(every: seconds, after: min(5, seconds), name: "weather alerts") {
            try await WorkLease.run(.weatherAlerts, seconds: 300, on: app.db) { _ = try await pollAll(app: app, now: AppClock.now) }
        }
    }

    static func pollAll(app: Application, now: Date) async throws -> PollSummary {
        try await registerFeeds(app: app)
        let configured = Set(app.onspot.alertFeeds.map(\.url))
        var summary = PollSummary()
        for feed in try await AlertFeed.query(on: app.db).sort(\.$createdAt).all() where configured.contains(feed.url) {
            await poll(feed, app: app, now: now, summary: &summary)
        }
        summary.expired += try await expire(now: now, on: app.db)
        return summary
    }

    /// One feed: a conditional GET, its alerts applied, its outcome recorded for the admin page. A failing feed is
    /// recorded and never stops the others.
    static func poll(_ feed: AlertFeed, app: Application, now: Date, summary: inout PollSummary) async {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .userAgent, value: userAgent)
        headers.replaceOrAdd(name: .accept, value: feed.format == .nws ? "application/geo+json" : "application/xml, application/atom+xml, */*")
        if let etag = feed.etag { headers.replaceOrAdd(name: .ifNoneMatch, value: etag) }
        if let modified = feed.lastModified { headers.replaceOrAdd(name: .ifModifiedSince, value: modified) }
        feed.lastPolledAt = now
        do {
            let answer = try await GuardedHTTP(app: app).send(method: .GET, url: feed.url, headers: headers, maximumBytes: maximumFeedBytes)
            feed.lastStatus = answer.status
            if answer.status == 304 {
                summary.unchanged += 1
                feed.lastError = nil
            } else if (200..<300).contains(answer.status) {
                summary.fetched += 1
                var problems: [String] = []
                var alerts: [(CAPAlert, String?)] = []
                switch feed.format {
                case .nws:
                    let reading = try NWSAlerts.parse(answer.body)
                    alerts = reading.alerts.map { ($0, nil) }
                    problems = reading.problems
                case .cap, .gdacs:
                    let reading = try CAPFeed.read(answer.body)
                    alerts = reading.alerts.map { ($0, nil) }
                    problems = reading.problems
                    alerts += try await linked(reading.links, app: app, problems: &problems)
                }
                // What is already kept, in one query: a feed such as NWS's answers with every alert in force each time.
                var known = Set(
                    try await WeatherAlert.query(on: app.db).filter(\.$identifier ~~ Set(alerts.map(\.0.identifier))).all().map(AlertBook.Key.init))
                let fresh = alerts.filter { known.insert(AlertBook.key($0.0)).inserted }
                let (ready, waiting) = try await withZones(fresh, feedURL: feed.url, app: app, now: now, problems: &problems)
                for (alert, source) in ready {
                    try await apply(alert, feedID: feed.id, sourceURL: source, app: app, now: now, summary: &summary)
                }
                // An alert waiting for a zone is read again at the next poll: the feed's validators are not kept then.
                feed.etag = waiting > 0 ? nil : answer.headers.first(name: .eTag).map { String($0.prefix(200)) }
                feed.lastModified = waiting > 0 ? nil : answer.headers.first(name: .lastModified).map { String($0.prefix(100)) }
                if waiting > 0 { problems.append("\(waiting) alert(s) wait for their zones' shapes") }
                feed.lastError = problems.isEmpty ? nil : String(problems.prefix(5).joined(separator: "; ").prefix(1_000))
            } else {
                summary.failed += 1
                feed.lastError = "HTTP \(answer.status)"
            }
        } catch {
            summary.failed += 1
            feed.lastError = String(String(describing: error).prefix(1_000))
            app.logger.warning("alert feed \(feed.url) failed: \(String(describing: error))")
        }
        if let id = feed.id {
            feed.alertsInForce = (try? await WeatherAlert.query(on: app.db).filter(\.$feedID == id).filter(\.$state == .active).count()) ?? 0
        }
        try? await feed.save(on: app.db)
    }

    /// CAP documents a feed links to and that are not kept yet, fetched once each (at most 50 a poll).
    static func linked(_ links: [String], app: Application, problems: inout [String]) async throws -> [(CAPAlert, String?)] {
        guard !links.isEmpty else { return [] }
        let known = Set(try await WeatherAlert.query(on: app.db).filter(\.$sourceURL ~~ links).all(\.$sourceURL).compactMap { $0 })
        var found: [(CAPAlert, String?)] = []
        for link in links.filter({ !known.contains($0) }).prefix(maximumLinkedPerPoll) {
            do {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .userAgent, value: userAgent)
                let answer = try await GuardedHTTP(app: app).send(method: .GET, url: link, headers: headers, maximumBytes: CAPAlert.maximumBytes)
                guard (200..<300).contains(answer.status) else {
                    problems.append("\(link.prefix(200)): HTTP \(answer.status)")
                    continue
                }
                found += try CAPFeed.read(answer.body).alerts.map { ($0, link) }
            } catch {
                problems.append("\(link.prefix(200)): \(String(describing: error).prefix(200))")
            }
        }
        return found
    }

    /// How long an alert waits for a zone that does not answer before it is kept with the zones it has.
    static let maximumZoneWait: TimeInterval = 3600

    /// Gives the alerts worth telling that name zones only (most NWS warnings) their zones' shapes: kept ones from
    /// `alert_zones`, the others fetched, the most severe alerts' first, at most `maximumZonesPerPoll` a poll and only
    /// from the feed's own host (an alert never sends OnSpot elsewhere). A zone refused for good (another host, 404 or
    /// 410, no shape) adds no polygon; an alert whose zone could not be had now (an HTTP error, a broken answer, the
    /// limit) waits for the next poll, an hour at most after it was sent. Alerts not worth telling, and cancels, need
    /// no shape and go on as they are.
    static func withZones(
        _ alerts: [(CAPAlert, String?)], feedURL: String, app: Application, now: Date, problems: inout [String]
    ) async throws -> (ready: [(CAPAlert, String?)], waiting: Int) {
        func needsShape(_ alert: CAPAlert) -> Bool { alert.warrantsNotice && alert.messageType != .cancel && !alert.awaitedZones.isEmpty }
        let needy = alerts.map(\.0).filter(needsShape).sorted {
            ($0.infos.map(\.severity).max() ?? .unknown) > ($1.infos.map(\.severity).max() ?? .unknown)
        }
        var needed: [String] = []
        var listed = Set<String>()
        for alert in needy { for url in alert.awaitedZones.sorted() where listed.insert(url).inserted { needed.append(url) } }
        guard !needed.isEmpty else { return (alerts, 0) }
        var shapes: [String: [GeoPolygon]] = [:]
        for urls in needed.chunked(idsPerQuery) {
            for zone in try await AlertZone.query(on: app.db).filter(\.$url ~~ urls).all() {
                shapes[zone.url] = (try? JSONDecoder().decode(StoredAlertAreas.self, from: Data(zone.areas.utf8)))?.capAreas.flatMap(\.polygons) ?? []
            }
        }
        let feedHost = URLComponents(string: feedURL)?.host?.lowercased()
        var fetched = 0
        for url in needed where shapes[url] == nil {
            guard let host = URLComponents(string: url)?.host?.lowercased(), host == feedHost else {
                problems.append("zone \(url.prefix(200)): not on the feed's host")
                shapes[url] = []
                continue
            }
            guard fetched < maximumZonesPerPoll else { break }
            fetched += 1
            do {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .userAgent, value: userAgent)
                headers.replaceOrAdd(name: .accept, value: "application/geo+json")
                let answer = try await GuardedHTTP(app: app).send(method: .GET, url: url, headers: headers, maximumBytes: NWSAlerts.maximumZoneBytes)
                if answer.status == 404 || answer.status == 410 {
                    problems.append("zone \(url.prefix(200)): HTTP \(answer.status), left out")
                    shapes[url] = []
                    continue
                }
                guard (200..<300).contains(answer.status) else {
                    problems.append("zone \(url.prefix(200)): HTTP \(answer.status)")
                    continue
                }
                let polygons: [GeoPolygon]
                do {
                    polygons = try NWSAlerts.zonePolygons(answer.body)
                } catch let error as CAPAlert.ParseError {
                    // Perhaps a truncated answer: not kept, the alert waits and the next poll asks again.
                    problems.append("zone \(url.prefix(200)): \(error.description)")
                    continue
                }
                let row = AlertZone()
                row.url = url
                row.areas = String(
                    decoding: try JSONEncoder().encode(StoredAlertAreas([CAPAlert.Area(description: "", polygons: polygons, circles: [])])),
                    as: UTF8.self)
                row.fetchedAt = now
                // Another process may have kept it meanwhile: the unique index keeps one, and this shape is used anyway.
                try? await row.create(on: app.db)
                shapes[url] = polygons
            } catch {
                problems.append("zone \(url.prefix(200)): \(String(describing: error).prefix(200))")
            }
        }
        var ready: [(CAPAlert, String?)] = []
        var waiting = 0
        for (alert, source) in alerts {
            guard needsShape(alert) else {
                ready.append((alert, source))
                continue
            }
            if let filled = alert.fillingZones(shapes) {
                ready.append((filled, source))
            } else if now.timeIntervalSince(alert.sent) > maximumZoneWait {
                // Waited long enough: kept with the zones it has rather than never.
                let missing = alert.awaitedZones.filter { shapes[$0] == nil }
                problems.append("\(alert.identifier.prefix(100)): kept without \(missing.count) zone(s) that did not answer")
                let given = shapes.merging(missing.map { ($0, []) }) { a, _ in a }
                if let filled = alert.fillingZones(given) { ready.append((filled, source)) }
            } else {
                waiting += 1
            }
        }
        return (ready, waiting)
    }

    /// Applies one message not kept yet through `AlertBook`, holding the alerts it names, and stores what that did.
    static func apply(
        _ alert: CAPAlert, feedID: UUID?, sourceURL: String?, app: Application, now: Date, summary: inout PollSummary
    ) async throws {
        let db = app.db
        var held: [AlertBook.Key: WeatherAlert] = [:]
        for reference in alert.references {
            if let row = try await WeatherAlert.query(on: db).filter(\.$sender == reference.sender)
                .filter(\.$identifier == reference.identifier).filter(\.$state == .active).first()
            {
                held[AlertBook.Key(row)] = row
            }
        }
        let heldRows = held
        var book = AlertBook(alerts: heldRows.mapValues(\.capAlert))
        let change = book.apply(alert, now: now)
        let row = WeatherAlert(alert, feedID: feedID, sourceURL: sourceURL, now: now)
        switch change {
        case .ignored:
            return
        case .added:
            do {
                try await row.create(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another process kept it between this poll's read and now: theirs tells, this one stops.
                return
            }
            summary.added += 1
        case .updated(_, let replacing, let changes):
            row.changes = changes.map(\.rawValue).joined(separator: ",")
            do {
                try await db.transaction { db in
                    try await row.create(on: db)
                    for key in replacing {
                        guard let old = heldRows[key] else { continue }
                        old.state = .replaced
                        old.replacedBy = row.id
                        old.endedAt = now
                        try await old.save(on: db)
                    }
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                return  // another process applied this update first
            }
            summary.updated += 1
            // An update that changes nothing a traveller reads (a new polygon vertex order, a resend) is not told again.
            if changes.isEmpty { return }
        case .cancelled(let keys):
            row.state = .cancelled
            row.warrantsNotice = false
            row.endedAt = now
            let ended = keys.compactMap { heldRows[$0] }
            // Every version's travellers see it ended, not only those of the versions the cancel names.
            let everyVersion = try await versions(of: ended, on: db)
            do {
                try await db.transaction { db in
                    try await row.create(on: db)
                    for old in ended {
                        old.state = .cancelled
                        old.endedAt = now
                        try await old.save(on: db)
                    }
                    for ids in Array(everyVersion.keys).chunked(idsPerQuery) {
                        try await TravellerAlert.query(on: db).filter(\.$weatherAlertID ~~ ids).set(\.$endsAt, to: now).update()
                    }
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                return  // another process applied this cancel first
            }
            summary.cancelled += 1
            summary.lifted += try await tellLifted(everyVersion, app: app, now: now)
            return
        }
        guard row.warrantsNotice else { return }
        summary.told += try await tell(row, alert: alert, app: app, now: now)
    }

    /// Ends the alerts past their `expires`; their banners go and the agencies' lists show them ended.
    static func expire(now: Date, on db: any Database) async throws -> Int {
        let gone = try await WeatherAlert.query(on: db).filter(\.$state == .active).filter(\.$expires <= now).all()
        for row in gone {
            row.state = .expired
            row.endedAt = now
            try await row.save(on: db)
        }
        return gone.count
    }

    /// One traveller an alert concerns, on one trip, told from one destination's line.
    struct Concerned {
        let trip: Trip
        let traveller: Traveller
        let destination: DestinationRecord?
    }

    /// How many travellers' rows and messages are written per transaction: one commit (one fsync on SQLite) per
    /// batch instead of five per traveller, and a batch a concurrent process got to first is redone row by row.
    static let tellBatch = 100

    /// The destinations and trips an alert concerns, and each of their travellers told once.
    static func tell(_ row: WeatherAlert, alert: CAPAlert, app: Application, now: Date) async throws -> Int {
        let db = app.db
        let alertID = try row.requireID()
        let areas = alert.infos.flatMap(\.areas)
        guard let box = StoredAlertAreas.boundingBox(areas) else { return 0 }
        let covers = { (point: GeoPoint) in areas.contains { $0.contains(point) } }
        // Destinations near the area (500 km): their trips' places are tested one by one below.
        let near = try await DestinationRecord.query(on: db).all().filter { d in d.centre.map { box.expanded(by: 5).contains($0) } ?? false }
        guard !near.isEmpty else { return 0 }
        let nearByID = Dictionary(uniqueKeysWithValues: near.compactMap { d in d.id.map { ($0, d) } })
        let lines = try await AlertMessages.lines(Array(nearByID.keys), on: db)
        let until = min(row.expires ?? now.addingTimeInterval(arrivingWithin), now.addingTimeInterval(arrivingWithin))
        let present = try await presentTrips(at: Array(nearByID.keys), from: now, until: until, on: db)
        var concerned: [Concerned] = []
        for (trip, stops, segments, travellers) in present where !trip.awaitsPayment {
            let tripDestinations = stops.compactMap { nearByID[$0] }
            let countries = Set(tripDestinations.map(\.countryCode))
            let places = AlertPlaces.points(in: segments.map { [$0.title, $0.location ?? ""].joined(separator: " ") }, countries: countries)
            let points = places.isEmpty ? tripDestinations.compactMap(\.centre) : places
            guard points.contains(where: covers) else { continue }
            // The destination whose line tells the traveller: the one the alert covers, else the trip's first near one.
            let destination = tripDestinations.first { $0.centre.map(covers) ?? false } ?? tripDestinations.first
            for traveller in travellers where traveller.erasedAt == nil {
                concerned.append(Concerned(trip: trip, traveller: traveller, destination: destination))
            }
        }
        // Once per alert and traveller: those a second poll, or a second process, already holds are left out here.
        let sourceKey = "weather:\(alertID.uuidString)"
        let held = Set(try await TravellerAlert.query(on: db).filter(\.$sourceKey == sourceKey).all(\.$travellerID).compactMap { $0 })
        var told = 0
        var agencies: [UUID: (count: Int, destinations: Set<String>)] = [:]
        var seenTravellers = held
        // In the travellers' id order: two processes telling the same alert lock its rows in one order, never in a
        // deadlock (PostgreSQL found one when trips leaving at the same time came out of a dictionary in two orders).
        let fresh = concerned.filter { c in c.traveller.id.map { seenTravellers.insert($0).inserted } ?? false }
            .sorted { ($0.traveller.id?.uuidString ?? "") < ($1.traveller.id?.uuidString ?? "") }
        // Agencies hear about those written even when a later batch fails (the error then goes to the poll's report).
        var failure: (any Error)?
        do {
            for batch in fresh.chunked(tellBatch) {
                var written: [(Concerned, OutboxEntry?)]
                do {
                    written = try await db.transaction { tx in
                        // The batch reads (conversations) before it writes: on SQLite the write lock comes first.
                        try await takeSQLiteWriteLock(on: tx)
                        var done: [(Concerned, OutboxEntry?)] = []
                        for c in batch {
                            if case .recorded(let entry) = try await tellOne(
                                c, row: row, sourceKey: sourceKey, lines: lines, once: false, now: now, on: tx)
                            {
                                done.append((c, entry))
                            }
                        }
                        return done
                    }
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    // Another process told some of them meanwhile: row by row, each row deciding.
                    written = []
                    for c in batch {
                        if case .recorded(let entry) = try await tellOne(
                            c, row: row, sourceKey: sourceKey, lines: lines, once: true, now: now, on: db)
                        {
                            written.append((c, entry))
                        }
                    }
                }
                for (c, entry) in written {
                    if let entry {
                        told += 1
                        app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) }
                    }
                    var seen = agencies[c.trip.$agency.id] ?? (0, [])
                    seen.count += 1
                    if let name = c.destination?.name { seen.destinations.insert(name) }
                    agencies[c.trip.$agency.id] = seen
                }
            }
        } catch {
            failure = error
        }
        for (agencyID, seen) in agencies.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await tellAgency(agencyID, row: row, travellers: seen.count, destinations: seen.destinations.sorted(), app: app)
        }
        if let failure { throw failure }
        return told
    }

    enum Recorded {
        /// Another process holds this traveller's row (only checked with `once`).
        case held
        /// The row written, with the delivery queued, or nil when the traveller is not told (the row says why).
        case recorded(OutboxEntry?)
    }

    /// Largest list of ids bound in one query: well within SQLite's and PostgreSQL's limits on bound values.
    static let idsPerQuery = 1_000

    /// The booked trips to these destinations under way between the two dates, each with its destinations (in order),
    /// its segments and its travellers (in order). Plain queries grouped by trip: Fluent's eager loading pairs children
    /// with parents by scanning, which took most of a hurricane's time at 5,000 trips.
    static func presentTrips(at destinationIDs: [UUID], from now: Date, until: Date, on db: any Database) async throws
        -> [(trip: Trip, destinations: [UUID], segments: [ItinerarySegment], travellers: [Traveller])]
    {
        guard !destinationIDs.isEmpty else { return [] }
        var trips: [UUID: Trip] = [:]
        for trip in try await Trip.query(on: db).join(TripDestination.self, on: \Trip.$id == \TripDestination.$trip.$id)
            .filter(TripDestination.self, \.$destination.$id ~~ destinationIDs).filter(\.$status == .booked)
            .filter(\.$departureAt <= until).filter(\.$returnAt >= now).all()
        {
            if let id = trip.id { trips[id] = trip }
        }
        var stops: [UUID: [TripDestination]] = [:]
        var segments: [UUID: [ItinerarySegment]] = [:]
        var links: [UUID: [TripTraveller]] = [:]
        var people: [UUID: Traveller] = [:]
        for ids in Array(trips.keys).sorted(by: { $0.uuidString < $1.uuidString }).chunked(idsPerQuery) {
            for stop in try await TripDestination.query(on: db).filter(\.$trip.$id ~~ ids).all() { stops[stop.$trip.id, default: []].append(stop) }
            for segment in try await ItinerarySegment.query(on: db).filter(\.$trip.$id ~~ ids).all() {
                segments[segment.$trip.id, default: []].append(segment)
            }
            let tripLinks = try await TripTraveller.query(on: db).filter(\.$trip.$id ~~ ids).all()
            for link in tripLinks { links[link.$trip.id, default: []].append(link) }
            for traveller in try await Traveller.query(on: db).filter(\.$id ~~ Set(tripLinks.map(\.$traveller.id))).all() {
                if let id = traveller.id { people[id] = traveller }
            }
        }
        return trips.values.sorted { ($0.departureAt, $0.id?.uuidString ?? "") < ($1.departureAt, $1.id?.uuidString ?? "") }.compactMap { trip in
            guard let id = trip.id else { return nil }
            return (
                trip, (stops[id] ?? []).sorted { $0.position < $1.position }.map(\.$destination.id), segments[id] ?? [],
                (links[id] ?? []).sorted { $0.position < $1.position }.compactMap { people[$0.$traveller.id] }
            )
        }
    }

    /// One traveller's row and message.
    static func tellOne(
        _ c: Concerned, row: WeatherAlert, sourceKey: String, lines: [UUID: ChannelEndpoint], once: Bool, now: Date, on db: any Database
    ) async throws -> Recorded {
        let traveller = c.traveller
        let trip = c.trip
        let destination = c.destination
        let record = TravellerAlert()
        record.agencyID = trip.$agency.id
        record.tripID = trip.id
        record.travellerID = traveller.id
        record.destinationID = destination?.id
        record.kind = .weather
        record.event = String(row.event.prefix(200))
        record.severity = row.severity
        record.headline = String((row.headline ?? row.event).prefix(500))
        record.detail = row.instruction.map { String($0.prefix(2_000)) }
        record.changes = row.changes
        record.sourceKey = sourceKey
        record.weatherAlertID = row.id
        record.startsAt = row.effective ?? row.sent
        record.endsAt = row.expires
        record.createdAt = now
        let language = traveller.language
        let zone = destination?.zone ?? .gmt
        let instruction = AlertMessages.short(row.instruction ?? row.headline, 500)
        let changed = (row.changes ?? "").split(separator: ",").map { L10n.t("alerts.field.\($0)", language) }
        let what =
            changed.isEmpty
            ? row.event : L10n.t("alerts.weather.updated", language, ["event": row.event, "changes": changed.joined(separator: ", ")])
        let args = [
            "name": traveller.firstName, "event": what, "area": AlertMessages.short(row.areaDescription, 200),
            "instruction": instruction, "emergency": destination?.emergencyNumber ?? "112",
            "until": row.expires.map { LocalDateTime.display($0, in: zone, language: language) } ?? "—"
        ]
        // Alone (`once`), the row first: it is the claim. In a batch's transaction the row and the message commit
        // together, so the row is written once, with its message.
        if once {
            guard try await record.createOnce(on: db) else { return .held }
        }
        var entry: OutboxEntry?
        switch try await AlertMessages.tell(
            traveller, tripID: try trip.requireID(), agencyID: trip.$agency.id, endpoint: destination?.id.flatMap { lines[$0] },
            text: L10n.t("alerts.weather.message", language, args), template: .weatherAlert,
            parameters: [traveller.firstName, "\(what) — \(args["area"] ?? "")", instruction, args["emergency"] ?? ""], on: db)
        {
        case .queued(let message, let queued):
            record.messageID = message.id
            entry = queued
        case .notTold(let reason):
            record.notTold = reason
        }
        if once {
            try await record.save(on: db)
        } else {
            try await record.create(on: db)
        }
        return .recorded(entry)
    }

    /// The alerts and every earlier version they replaced (`replacedBy`): a traveller told about a first version whose
    /// update changed nothing they read holds rows of the first one only.
    static func versions(of alerts: [WeatherAlert], on db: any Database) async throws -> [UUID: WeatherAlert] {
        var all = Dictionary(alerts.compactMap { a in a.id.map { ($0, a) } }) { a, _ in a }
        var frontier = Array(all.keys)
        for _ in 0..<50 where !frontier.isEmpty {
            let earlier = try await WeatherAlert.query(on: db).filter(\.$replacedBy ~~ frontier).all()
            frontier = earlier.compactMap(\.id).filter { all[$0] == nil }
            for alert in earlier { if let id = alert.id { all[id] = alert } }
        }
        return all
    }

    /// The authorities cancelled alerts, given with every earlier version (`versions(of:)`): each traveller who was
    /// told about any of them hears it is over, once (their rows are claimed with the message, so a second process or
    /// poll sends nothing), in the same thread.
    static func tellLifted(_ byID: [UUID: WeatherAlert], app: Application, now: Date) async throws -> Int {
        let db = app.db
        guard !byID.isEmpty else { return 0 }
        var told: [TravellerAlert] = []
        for ids in Array(byID.keys).chunked(idsPerQuery) {
            told += try await TravellerAlert.query(on: db).filter(\.$weatherAlertID ~~ ids).filter(\.$messageID != nil)
                .filter(\.$liftedAt == nil).sort(\.$createdAt, .descending).all()
        }
        // One message per traveller, about the latest version they were told of.
        var grouped: [UUID: [TravellerAlert]] = [:]
        for record in told { if let traveller = record.travellerID { grouped[traveller, default: []].append(record) } }
        let rowsOf = grouped
        let people = grouped.keys.sorted { $0.uuidString < $1.uuidString }
        guard !people.isEmpty else { return 0 }
        let lines = try await AlertMessages.lines(Array(Set(told.compactMap(\.destinationID))), on: db)
        var lifted = 0
        // A transaction per batch, as when told: the claim and the message commit together.
        for batch in people.chunked(tellBatch) {
            let travellers = Dictionary(
                try await Traveller.query(on: db).filter(\.$id ~~ batch).all().compactMap { t in t.id.map { ($0, t) } }
            ) { a, _ in a }
            let entries = try await db.transaction { tx -> [OutboxEntry] in
                guard let sql = tx as? any SQLDatabase else { return [] }
                try await takeSQLiteWriteLock(on: tx)
                var entries: [OutboxEntry] = []
                for travellerID in batch {
                    let rows = rowsOf[travellerID] ?? []
                    guard let latest = rows.first, let tripID = latest.tripID, let traveller = travellers[travellerID],
                        let alert = latest.weatherAlertID.flatMap({ byID[$0] })
                    else { continue }
                    let claimed = try await sql.update(TravellerAlert.schema).set("lifted_at", to: SQLBind(now))
                        .where("id", .in, rows.compactMap(\.id)).where("lifted_at", .is, SQLLiteral.null).returning("id").all()
                    guard !claimed.isEmpty else { continue }
                    let language = traveller.language
                    let args = ["name": traveller.firstName, "event": alert.event, "area": AlertMessages.short(alert.areaDescription, 200)]
                    if case .queued(_, let entry) = try await AlertMessages.tell(
                        traveller, tripID: tripID, agencyID: latest.agencyID, endpoint: latest.destinationID.flatMap { lines[$0] },
                        text: L10n.t("alerts.weather.lifted", language, args), template: .caseUpdate,
                        parameters: [traveller.firstName, L10n.t("alerts.weather.lifted_short", language, args)], on: tx)
                    {
                        entries.append(entry)
                    }
                }
                return entries
            }
            lifted += entries.count
            for entry in entries { app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) } }
        }
        return lifted
    }

    /// The agency's webhook and email: once per alert message and agency (an update is a new message).
    static func tellAgency(_ agencyID: UUID, row: WeatherAlert, travellers: Int, destinations: [String], app: Application) async throws {
        guard let agency = try await Agency.find(agencyID, on: app.db), agency.isActive else { return }
        let lang = agency.language
        let args = [
            "event": row.event, "headline": row.headline ?? row.event, "n": String(travellers), "destinations": destinations.joined(separator: ", "),
            "until": row.expires.map { LocalDateTime.display($0, in: agency.zone, language: lang) } ?? "—",
            "link": app.onspot.publicBaseURL + SiteURL.alerts.path
        ]
        try await AgencyWebhooks.enqueue(
            agencyID: agencyID,
            .weatherAlert(
                alertID: try row.requireID(), event: row.event, severity: row.severity, headline: row.headline ?? row.event,
                area: row.areaDescription, expiresAt: row.expires.map { LocalDateTime.iso8601($0, in: .gmt) } ?? "",
                changes: row.changes ?? "", travellers: travellers, destinations: destinations), on: app.db)
        // The email as the agency chose (address, kinds); the webhook and the portal always.
        if let to = try await AgencyAlertPreferences.of(agencyID: agencyID, on: app.db).recipient(for: .weather, contactEmail: agency.contactEmail) {
            let mail = OutgoingMail(
                to: to, subject: L10n.t("alerts.mail.weather_subject", lang, args), body: L10n.t("alerts.mail.weather_body", lang, args))
            try await Mailer.send(mail, kind: .weatherAlert, agencyID: agencyID, userID: nil, db: app.db, app: app)
        }
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }

    /// The alerts in force that warrant a banner, and the active destinations each covers (by centre, or through a
    /// traveller it concerns there), sorted by name. Read on every console page: a handful of rows, and each alert's
    /// area tested against the catalogue's centres once per process (a stored alert's area never changes).
    static func banners(now: Date, on db: any Database) async throws -> [(alert: WeatherAlert, destinations: [DestinationRecord])] {
        let active = try await WeatherAlert.query(on: db).filter(\.$state == .active).filter(\.$warrantsNotice == true)
            .sort(\.$sent, .descending).limit(50).all().filter { ($0.expires ?? .distantFuture) > now }
        guard !active.isEmpty else { return [] }
        let destinations = try await DestinationRecord.query(on: db).filter(\.$active == true).all().sorted { $0.name < $1.name }
        // Where the alerts' travellers are: distinct pairs, not every traveller's row (thousands for a hurricane).
        struct Pair: Decodable {
            let weather_alert_id: UUID?
            let destination_id: UUID?
        }
        var concerned: [UUID: Set<UUID>] = [:]
        if let sql = db as? any SQLDatabase {
            let pairs = try await sql.select().distinct().column("weather_alert_id").column("destination_id").from(TravellerAlert.schema)
                .where("weather_alert_id", .in, active.compactMap(\.id)).all(decoding: Pair.self)
            for pair in pairs {
                if let alert = pair.weather_alert_id, let destination = pair.destination_id { concerned[alert, default: []].insert(destination) }
            }
        }
        return active.compactMap { alert in
            guard let id = alert.id else { return nil }
            let covered = coveredCodes(of: alert, id: id).union(
                (concerned[id] ?? []).compactMap { d in destinations.first { $0.id == d }?.code })
            let here = destinations.filter { covered.contains($0.code) }
            return here.isEmpty ? nil : (alert, here)
        }
    }

    private static let covered = NIOLockedValueBox<[UUID: Set<String>]>([:])

    /// The catalogue's destinations whose centre the alert's area covers, by code.
    static func coveredCodes(of alert: WeatherAlert, id: UUID) -> Set<String> {
        if let known = covered.withLockedValue({ $0[id] }) { return known }
        let areas = alert.capAlert.infos.flatMap(\.areas)
        let codes = Set(DestinationCatalog.centres.filter { _, point in areas.contains { $0.contains(point) } }.keys)
        covered.withLockedValue { cache in
            if cache.count > 500 { cache.removeAll() }
            cache[id] = codes
        }
        return codes
    }
}

extension AlertBook.Key {
    init(_ row: WeatherAlert) { self.init(sender: row.sender, identifier: row.identifier) }
}

extension WeatherAlert {
    convenience init(_ alert: CAPAlert, feedID: UUID?, sourceURL: String?, now: Date) {
        self.init()
        let info = alert.infos.first
        let areas = alert.infos.flatMap(\.areas)
        self.feedID = feedID
        // Exactly as sent (at most `CAPAlert.maximumNameLength`): later messages reference them.
        sender = alert.sender
        identifier = alert.identifier
        sent = alert.sent
        messageType = alert.messageType.rawValue
        event = String((info?.event ?? "Alert").prefix(200))
        headline = info?.headline.map { String($0.prefix(1_000)) }
        alertDescription = info?.description.map { String($0.prefix(4_000)) }
        instruction = info?.instruction.map { String($0.prefix(4_000)) }
        language = String((info?.language ?? "en-US").prefix(20))
        severity = (alert.infos.map(\.severity).max() ?? .unknown).rawValue
        urgency = (info?.urgency ?? .unknown).rawValue
        certainty = (info?.certainty ?? .unknown).rawValue
        effective = info?.effective
        expires = alert.expires
        areaDescription = String(areas.map(\.description).filter { !$0.isEmpty }.joined(separator: "; ").prefix(1_000))
        self.areas = String(decoding: (try? JSONEncoder().encode(StoredAlertAreas(areas))) ?? Data("{\"areas\":[]}".utf8), as: UTF8.self)
        warrantsNotice = alert.warrantsNotice
        state = .active
        self.sourceURL = sourceURL.map { String($0.prefix(2_000)) }
        createdAt = now
    }

    /// The stored message read back as CAP (first info only, as kept), for the book and the area tests.
    var capAlert: CAPAlert {
        let stored = (try? JSONDecoder().decode(StoredAlertAreas.self, from: Data(areas.utf8))) ?? StoredAlertAreas([])
        let info = CAPAlert.Info(
            language: language, event: event, urgency: CAPAlert.Urgency(rawValue: urgency) ?? .unknown,
            severity: CAPAlert.Severity(rawValue: severity) ?? .unknown, certainty: CAPAlert.Certainty(rawValue: certainty) ?? .unknown,
            effective: effective, expires: expires, headline: headline, description: alertDescription, instruction: instruction,
            areas: stored.capAreas)
        return CAPAlert(
            identifier: identifier, sender: sender, sent: sent, status: "Actual", messageType: CAPAlert.MessageType(rawValue: messageType) ?? .alert,
            references: [], infos: [info])
    }
}
