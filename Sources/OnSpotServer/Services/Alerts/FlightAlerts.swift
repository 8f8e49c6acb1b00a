import Fluent
import Foundation
import NIOConcurrencyHelpers
import OnSpotCore
import SQLKit
import Vapor

/// Flight status (issue 14 §1): every flight segment of a trip whose departure is within 72 hours is watched at
/// FlightAware; its callbacks are stored as received, acknowledged, then worked on; a disruption past the thresholds
/// is told once per flight and change — to the traveller, in a case of the flights category whose rights panel opens
/// filled, and to the agency (dashboard, email, `flight.disrupted`).
enum FlightAlerts {
    static let watchAhead: TimeInterval = 72 * 3600
    /// A flight whose callbacks have been silent this long, leaving within `pollAhead`, is asked for by polling.
    static let silentFor: TimeInterval = 30 * 60
    static let pollAhead: TimeInterval = 6 * 3600
    static let pollEvery: TimeInterval = 15 * 60

    struct SyncSummary: Equatable {
        var created = 0
        var registered = 0
        var failed = 0
        var ended = 0
        var polled = 0
        /// Watches pointed at what their segment now reads (another flight, route or departure).
        var retargeted = 0
    }

    /// Only with a provider: without one no flight is watched, and a callback posted anyway is worked on by the request
    /// that stored it.
    static func start(_ app: Application) {
        guard app.flightStatus != nil else { return }
        app.repeatInBackground(every: 5, after: 3, name: "flight callbacks") { _ = try await runDue(app: app) }
        app.repeatInBackground(every: 60, after: 5, name: "flight watches") {
            try await WorkLease.run(.flightWatches, seconds: 300, on: app.db) { _ = try await sync(app: app, now: AppClock.now) }
        }
    }

    // MARK: Thresholds

    static let departureSetting = "flight.departure_delay_minutes"
    static let arrivalSetting = "flight.arrival_delay_minutes"

    static func thresholds(on db: any Database) async throws -> FlightAlertThresholds {
        let settings = try await AlertSetting.query(on: db).all()
        var thresholds = FlightAlertThresholds()
        for setting in settings where FlightAlertThresholds.allowedMinutes.contains(setting.value) {
            if setting.name == departureSetting { thresholds.departureDelayMinutes = setting.value }
            if setting.name == arrivalSetting { thresholds.arrivalDelayMinutes = setting.value }
        }
        return thresholds
    }

    // MARK: Watches

    /// Watches the flights leaving within 72 hours, registers them, ends the ones past, and polls the silent ones.
    static func sync(app: Application, now: Date) async throws -> SyncSummary {
        guard let provider = app.flightStatus else { return SyncSummary() }
        let db = app.db
        var summary = SyncSummary()
        summary.retargeted += try await retarget(app: app, provider: provider, now: now)
        let segments = try await ItinerarySegment.query(on: db).filter(\.$kind == .flight)
            .filter(\.$startsAt >= now.addingTimeInterval(-3600)).filter(\.$startsAt <= now.addingTimeInterval(watchAhead))
            .with(\.$trip).all()
        let watched = Dictionary(
            try await FlightWatch.query(on: db).filter(\.$segmentID ~~ segments.compactMap(\.id)).all().map { ($0.segmentID, $0) }
        ) { a, _ in a }
        for segment in segments {
            guard let id = segment.id, segment.trip.status == .booked, !segment.trip.awaitsPayment, let target = segment.flightTarget
            else { continue }
            if let existing = watched[id] {
                // An ended watch whose segment was moved to a new flight in the window: watched again, same row.
                if existing.state == .ended && !existing.aims(at: target) {
                    existing.point(at: target, now: now)
                    try await existing.save(on: db)
                    summary.retargeted += 1
                }
                continue
            }
            let watch = FlightWatch()
            watch.segmentID = id
            watch.tripID = segment.$trip.id
            watch.agencyID = segment.trip.$agency.id
            watch.point(at: target, now: now)
            watch.createdAt = now
            do {
                try await watch.create(on: db)
                summary.created += 1
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        let pending = try await FlightWatch.query(on: db).filter(\.$state == .pending).sort(\.$scheduledDeparture).limit(100).all()
        if !pending.isEmpty { try await endpointOnce(app: app, provider: provider) }
        for watch in pending {
            do {
                let zone = ReferenceData.airports[watch.origin]?.zone ?? .gmt
                watch.providerAlertID = try await provider.register(
                    FlightWatchTarget(ident: watch.ident, origin: watch.origin, destination: watch.destination, departure: watch.scheduledDeparture),
                    zone: zone)
                watch.state = .registered
                watch.lastError = nil
                summary.registered += 1
            } catch {
                watch.state = .failed
                watch.lastError = String(String(describing: error).prefix(500))
                summary.failed += 1
            }
            watch.updatedAt = now
            try await watch.save(on: db)
        }
        summary.ended += try await endFinished(app: app, provider: provider, now: now)
        summary.polled = try await pollSilent(app: app, provider: provider, now: now)
        return summary
    }

    private static let endpointSet = NIOLockedValueBox(false)

    /// `PUT /alerts/endpoint` once per process, before its first registration.
    static func endpointOnce(app: Application, provider: any FlightStatusProvider) async throws {
        guard !endpointSet.withLockedValue({ $0 }) else { return }
        try await provider.setEndpoint(FlightCallbackToken.url(app: app))
        endpointSet.withLockedValue { $0 = true }
    }

    /// Watches whose segment now names another flight, route or departure (edited in the portal or the API): the
    /// provider's alert is deleted and the watch, the same row, is pointed at the segment as it now reads and
    /// registered again by this sync (ended when the segment no longer names a flight). The alerts already told stay
    /// told: their keys name the flight, so the new flight's changes are news and the old one's are not repeated.
    static func retarget(app: Application, provider: any FlightStatusProvider, now: Date) async throws -> Int {
        let db = app.db
        let live = try await FlightWatch.query(on: db).filter(\.$state != .ended).all()
        guard !live.isEmpty else { return 0 }
        var segments: [UUID: ItinerarySegment] = [:]
        for ids in live.map(\.segmentID).chunked(WeatherAlerts.idsPerQuery) {
            for segment in try await ItinerarySegment.query(on: db).filter(\.$id ~~ ids).all() { if let id = segment.id { segments[id] = segment } }
        }
        var changed = 0
        for watch in live {
            guard let segment = segments[watch.segmentID] else { continue }
            let target = segment.kind == .flight ? segment.flightTarget : nil
            if let target, watch.aims(at: target) { continue }
            if let alertID = watch.providerAlertID { await unregister(alertID, of: "a changed segment", provider: provider, app: app) }
            if let target {
                watch.point(at: target, now: now)
            } else {
                watch.state = .ended
                watch.providerAlertID = nil
                watch.updatedAt = now
            }
            try await watch.save(on: db)
            changed += 1
        }
        return changed
    }

    /// A watched segment deleted: the provider's alert is deleted after it, without holding up the request.
    static func forget(_ watch: FlightWatch, app: Application) {
        guard watch.state != .ended, let alertID = watch.providerAlertID, let provider = app.flightStatus else { return }
        app.inBackground { await unregister(alertID, of: "a deleted segment", provider: provider, app: app) }
    }

    /// Deletes a provider's alert whose watch no longer needs it; a failure is logged (the alert then expires with its
    /// date at the provider, and a callback about it is kept as ignored).
    static func unregister(_ alertID: String, of what: String, provider: any FlightStatusProvider, app: Application) async {
        do { try await provider.unregister(alertID: alertID) } catch {
            app.logger.warning("FlightAware alert \(alertID) of \(what) was not deleted: \(String(describing: error))")
        }
    }

    /// Flights a day past their departure, and those of cancelled trips: their alerts are deleted at the provider.
    static func endFinished(app: Application, provider: any FlightStatusProvider, now: Date) async throws -> Int {
        let db = app.db
        let live = try await FlightWatch.query(on: db).filter(\.$state != .ended).all()
        guard !live.isEmpty else { return 0 }
        let cancelled = Set(
            try await Trip.query(on: db).filter(\.$id ~~ Set(live.map(\.tripID))).filter(\.$status != .booked).all().compactMap(\.id))
        var ended = 0
        for watch in live where watch.scheduledDeparture < now.addingTimeInterval(-86400) || cancelled.contains(watch.tripID) {
            if let alertID = watch.providerAlertID {
                do { try await provider.unregister(alertID: alertID) } catch {
                    watch.lastError = String(String(describing: error).prefix(500))
                }
            }
            watch.state = .ended
            watch.updatedAt = now
            try await watch.save(on: db)
            ended += 1
        }
        return ended
    }

    /// The fallback and the confirmation: flights leaving soon whose callbacks have been silent are asked for.
    static func pollSilent(app: Application, provider: any FlightStatusProvider, now: Date) async throws -> Int {
        let db = app.db
        let due = try await FlightWatch.query(on: db).filter(\.$state ~~ [.registered, .failed])
            .filter(\.$scheduledDeparture >= now.addingTimeInterval(-12 * 3600)).filter(\.$scheduledDeparture <= now.addingTimeInterval(pollAhead))
            .all().filter { w in
                (w.lastStatusAt ?? .distantPast) < now.addingTimeInterval(-silentFor)
                    && (w.lastPolledAt ?? .distantPast) < now.addingTimeInterval(-pollEvery)
            }
        var polled = 0
        for watch in due.prefix(50) {
            watch.lastPolledAt = now
            try await watch.save(on: db)
            do {
                let flights = try await provider.flights(ident: watch.ident)
                if let flight = flights.first(where: { matches($0, watch) }) {
                    try await handle(flight, watch: watch, app: app, now: now)
                    polled += 1
                }
            } catch {
                app.logger.warning("polling flight \(watch.ident) failed: \(String(describing: error))")
            }
        }
        return polled
    }

    /// The same flight: its ident (IATA or ICAO), its origin, and a scheduled departure within 12 hours of ours.
    static func matches(_ flight: FlightStatus, _ watch: FlightWatch) -> Bool {
        let idents = [flight.identIata, flight.ident].compactMap { $0?.uppercased() }
        guard idents.contains(watch.ident.uppercased()) || idents.contains(where: { icaoForm($0, matches: watch.ident) }) else { return false }
        if let origin = flight.originCode, origin != watch.origin, ReferenceData.airports[watch.origin]?.icao != origin { return false }
        guard let scheduled = flight.scheduledDeparture else { return true }
        return abs(scheduled.timeIntervalSince(watch.scheduledDeparture)) <= 12 * 3600
    }

    /// "AFR66" against our "AF66": same number, and the airline's ICAO prefix is not known here, so the number decides
    /// together with the origin and the date.
    static func icaoForm(_ ident: String, matches ours: String) -> Bool {
        let theirs = ident.drop { $0.isLetter }
        let mine = ours.drop { !$0.isNumber }
        return !theirs.isEmpty && theirs == mine && ident.prefix(while: { $0.isLetter }).count == 3
    }

    // MARK: Callbacks

    /// Stored as received: the request is answered at once, the work done after (here and by the loop).
    static func store(_ body: String, on db: any Database) async throws -> FlightEvent {
        let event = FlightEvent()
        event.body = body
        event.status = .pending
        event.nextAttemptAt = AppClock.now
        event.receivedAt = AppClock.now
        try await event.create(on: db)
        return event
    }

    @discardableResult
    static func runDue(app: Application, limit: Int = 50) async throws -> Int {
        let pending = FlightEventStatus.pending.rawValue
        let (claim, due) = try await Lease.claimRows(
            FlightEvent.self, due: "status = \(bind: pending) AND next_attempt_at <= \(bind: AppClock.now)", order: "created_at", limit: limit,
            on: app.db)
        guard !due.isEmpty else { return 0 }
        return try await Lease.workThrough(due, of: claim, pending: pending, on: app.db) { event in
            try await process(event, app: app)
            return true
        }
    }

    static func process(_ event: FlightEvent, app: Application) async throws {
        let now = AppClock.now
        do {
            let callback = try FlightAwareCallback.parse(Data(event.body.utf8))
            let candidates = try await FlightWatch.query(on: app.db).filter(\.$state != .ended)
                .filter(\.$scheduledDeparture >= now.addingTimeInterval(-36 * 3600)).filter(
                    \.$scheduledDeparture <= now.addingTimeInterval(watchAhead + 86400)
                )
                .all().filter { matches(callback.flight, $0) }
            if candidates.isEmpty {
                event.status = .ignored
                event.outcome = "no watched flight matches \(callback.flight.shownIdent) from \(callback.flight.originCode ?? "?")"
            } else {
                for watch in candidates { try await handle(callback.flight, watch: watch, app: app, now: now) }
                event.status = .done
                event.outcome = "\(candidates.count) watch(es)"
            }
        } catch let error as FlightAwareCallback.ParseError {
            event.status = .failed
            event.outcome = error.description
        }
        event.processedAt = now
        event.leaseToken = nil
        try await event.save(on: app.db)
    }

    // MARK: Disruptions

    static func handle(_ flight: FlightStatus, watch: FlightWatch, app: Application, now: Date) async throws {
        let db = app.db
        let disruptions = FlightDisruption.detect(
            flight, knownGate: watch.knownGate, knownTerminal: watch.knownTerminal, thresholds: try await thresholds(on: db))
        if let gate = FlightDisruption.clean(flight.gateOrigin) { watch.knownGate = gate }
        if let terminal = FlightDisruption.clean(flight.terminalOrigin) { watch.knownTerminal = terminal }
        watch.lastStatusAt = now
        watch.updatedAt = now
        try await watch.save(on: db)
        guard !disruptions.isEmpty else { return }
        let found = try await Trip.query(on: db).filter(\.$id == watch.tripID).with(\.$destinationLinks) { $0.with(\.$destination) }
            .with(\.$travellerLinks) { $0.with(\.$traveller) }.first()
        guard let trip = found, trip.status == .booked else { return }
        for disruption in disruptions {
            try await tell(disruption, flight: flight, watch: watch, trip: trip, app: app, now: now)
        }
    }

    /// One change of one flight: each traveller of the trip told once, one case, the agency told once.
    static func tell(
        _ disruption: FlightDisruption, flight: FlightStatus, watch: FlightWatch, trip: Trip, app: Application, now: Date
    ) async throws {
        let db = app.db
        let watchID = try watch.requireID()
        // The flight is part of the key: a watch moved to another flight tells that flight's changes as news.
        let key = "flight:\(watchID.uuidString):\(watch.ident):\(disruption.key)"
        let destination = trip.destinationLinks.sorted { $0.position < $1.position }.first?.destination
        let travellers = trip.travellerLinks.sorted { $0.position < $1.position }.map(\.traveller).filter { $0.erasedAt == nil }
        let origin = ReferenceData.airports[watch.origin]
        let arrivalAirport = ReferenceData.airports[watch.destination]
        let departure = flight.departure
        let arrival = flight.arrival
        var fresh: [(Traveller, TravellerAlert)] = []
        for traveller in travellers {
            let record = TravellerAlert()
            record.agencyID = trip.$agency.id
            record.tripID = trip.id
            record.travellerID = traveller.id
            record.destinationID = destination?.id
            record.kind = .flight
            record.event = disruption.kind
            record.severity = disruption == .cancelled ? "Severe" : "Moderate"
            record.headline = headline(disruption, watch: watch, language: .en)
            record.detail = flight.summaryLine
            record.sourceKey = key
            record.flightWatchID = watchID
            record.startsAt = departure
            record.endsAt = arrival
            record.createdAt = now
            if try await record.createOnce(on: db) { fresh.append((traveller, record)) }
        }
        // Every traveller already told about this change: a repeated callback, nothing more to do.
        guard !fresh.isEmpty else { return }
        let record = try await caseFor(trip: trip, lead: fresh[0].0, destination: destination, disruption: disruption, watch: watch, now: now, on: db)
        let line = try await destination?.id.asyncMap { try await ChannelEndpoint.active(.whatsapp, destination: $0, on: db) } ?? nil
        for (traveller, alert) in fresh {
            alert.caseID = record.id
            let language = traveller.language
            let args = [
                "name": traveller.firstName, "flight": watch.ident, "from": watch.origin, "to": watch.destination,
                "change": headline(disruption, watch: watch, language: language),
                "departure": departure.map { LocalDateTime.display($0, in: origin?.zone ?? .gmt, language: language) } ?? "—",
                "arrival": arrival.map { LocalDateTime.display($0, in: arrivalAirport?.zone ?? .gmt, language: language) } ?? "—"
            ]
            let text = L10n.t("alerts.flight.message.\(disruption.kind)", language, args) + "\n\n" + L10n.t("alerts.flight.help", language)
            let times = L10n.t("alerts.flight.times", language, args)
            switch try await AlertMessages.tell(
                traveller, tripID: try trip.requireID(), agencyID: trip.$agency.id, endpoint: line, text: text, template: .flightDisruption,
                parameters: [traveller.firstName, args["change"] ?? "", times], on: db)
            {
            case .queued(let message, let entry):
                alert.messageID = message.id
                if record.conversationID == nil {
                    record.conversationID = message.conversationID
                    try await record.save(on: db)
                }
                app.inBackground { _ = try? await OutboxSender.deliver(entry, app: app) }
            case .notTold(let reason):
                alert.notTold = reason
            }
            try await alert.save(on: db)
        }
        app.liveHub.publish(destinationID: record.destinationID, LiveEvent.caseChanged(.caseUpdated, record))
        try await tellAgency(
            disruption, flight: flight, watch: watch, trip: trip, caseID: record.id, alertID: fresh[0].1.requireID(),
            travellers: fresh.map { $0.0.fullName }, app: app)
    }

    /// The trip's open case, moved to the flights category, or a new one; a note says what changed.
    static func caseFor(
        trip: Trip, lead: Traveller, destination: DestinationRecord?, disruption: FlightDisruption, watch: FlightWatch, now: Date,
        on db: any Database
    ) async throws -> CaseRecord {
        let record: CaseRecord
        if let open = try await CaseRecord.query(on: db).filter(\.$tripID == trip.id).filter(\.$status ~~ CaseStatus.open)
            .sort(\.$openedAt, .descending).first()
        {
            record = open
            if record.category == .other { record.category = .flightDisruption }
        } else {
            record = CaseRecord()
            record.agencyID = trip.$agency.id
            record.tripID = trip.id
            record.travellerID = lead.id
            record.destinationID = destination?.id
            record.category = .flightDisruption
            record.priority = .normal
            record.status = .new
            record.safetyFlag = false
            record.recordingRefused = false
            record.openedAt = now
        }
        switch disruption {
        case .cancelled, .diverted: record.priority = .high
        default: break
        }
        try await record.save(on: db)
        let note = CaseNote()
        note.caseID = try record.requireID()
        note.body = "✈️ " + headline(disruption, watch: watch, language: .en)
        note.createdAt = now
        try await note.create(on: db)
        return record
    }

    static func tellAgency(
        _ disruption: FlightDisruption, flight: FlightStatus, watch: FlightWatch, trip: Trip, caseID: UUID?, alertID: UUID, travellers: [String],
        app: Application
    ) async throws {
        guard let agency = try await Agency.find(trip.$agency.id, on: app.db), agency.isActive else { return }
        let lang = agency.language
        func iso(_ date: Date?) -> String { date.map { LocalDateTime.iso8601($0, in: .gmt) } ?? "" }
        try await AgencyWebhooks.enqueue(
            agencyID: try agency.requireID(),
            .flightDisrupted(
                alertID: alertID, tripID: try trip.requireID(), reference: trip.reference ?? "", caseID: caseID, flight: watch.ident,
                origin: watch.origin, destination: watch.destination, change: disruption.kind,
                scheduledDeparture: iso(flight.scheduledDeparture ?? watch.scheduledDeparture), estimatedDeparture: iso(flight.departure),
                estimatedArrival: iso(flight.arrival), travellers: travellers), on: app.db)
        let args = [
            "flight": watch.ident, "change": headline(disruption, watch: watch, language: lang), "reference": trip.reference ?? "—",
            "travellers": travellers.joined(separator: ", "), "link": app.onspot.publicBaseURL + SiteURL.alerts.path
        ]
        let preferences = try await AgencyAlertPreferences.of(agencyID: try agency.requireID(), on: app.db)
        if let to = preferences.recipient(for: .flight, contactEmail: agency.contactEmail) {
            let mail = OutgoingMail(
                to: to, subject: L10n.t("alerts.mail.flight_subject", lang, args), body: L10n.t("alerts.mail.flight_body", lang, args))
            try await Mailer.send(mail, kind: .flightDisrupted, agencyID: agency.id, userID: nil, db: app.db, app: app)
        }
        app.inBackground { _ = try? await AgencyWebhooks.runDue(app: app) }
    }

    /// "AF66 CDG → LAX cancelled", in a language.
    static func headline(_ disruption: FlightDisruption, watch: FlightWatch, language: Language) -> String {
        var args = ["flight": watch.ident, "from": watch.origin, "to": watch.destination]
        switch disruption {
        case .cancelled: break
        case .diverted(let to): args["other"] = to
        case .departureDelay(let minutes), .arrivalDelay(let minutes): args["delay"] = String(format: "%d h %02d", minutes / 60, minutes % 60)
        case .gateChange(let from, let to), .terminalChange(let from, let to):
            args["old"] = from
            args["new"] = to
        }
        return L10n.t("alerts.flight.headline.\(disruption.kind)", language, args)
    }
}

extension FlightStatus {
    /// What the provider said, for the case and the agency: "AF66 CDG → LAX, departure 09:20Z → 13:15Z".
    var summaryLine: String {
        let times = [("out", scheduledDeparture, departure), ("in", scheduledArrival, arrival)].compactMap { name, planned, best -> String? in
            guard let planned else { return nil }
            return "\(name) \(LocalDateTime.utc(planned)) → \(best.map(LocalDateTime.utc) ?? "?")"
        }
        return ([shownIdent, "\(originCode ?? "?") → \(destinationCode ?? "?")"] + times + (cancelled == true ? ["cancelled"] : [])).joined(
            separator: ", ")
    }
}

extension ItinerarySegment {
    /// The flight this segment names ("AF 066 Paris CDG → Los Angeles LAX"), nil when it names none.
    var flightTarget: FlightWatchTarget? {
        FlightWatchTarget.read(text: [title, location, details].compactMap { $0 }.joined(separator: " "), departure: startsAt)
    }
}

extension FlightWatch {
    /// Whether the watch follows this flight (departure to the second: databases keep instants to the microsecond).
    func aims(at target: FlightWatchTarget) -> Bool {
        ident == target.ident && origin == target.origin && destination == target.destination
            && abs(target.departure.timeIntervalSince(scheduledDeparture)) < 1
    }

    /// Points the watch at another flight, to be registered at the provider again; what it knew of the old one goes.
    func point(at target: FlightWatchTarget, now: Date) {
        ident = target.ident
        origin = target.origin
        destination = target.destination
        scheduledDeparture = target.departure
        providerAlertID = nil
        state = .pending
        lastError = nil
        knownGate = nil
        knownTerminal = nil
        lastStatusAt = nil
        lastPolledAt = nil
        updatedAt = now
    }
}
