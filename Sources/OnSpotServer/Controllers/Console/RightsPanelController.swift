import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The "rights and conditions" panel of a case: facts prefilled from the trip's flight segments and pasted documents,
/// adjusted by the expert, assessed by the core, and summarised for the traveller in their language.
enum RightsPanelController {
    /// The panel's fields, as the GET form sends them; every one optional so a partial form is answered, not refused.
    struct Facts: Content {
        var assess: String?
        var segment: String?
        var journey: String?
        var carrier: String?
        var event: String?
        var scheduledDeparture: String?
        var scheduledArrival: String?
        var actualArrival: String?
        var rerouteDeparture: String?
        var rerouteArrival: String?
        var noticeDays: String?
        var cause: String?
        var fare: String?
        var fareCurrency: String?
        var choice: String?
        var packEvent: String?
        var eventDate: String?
        var bookingDate: String?
        var departure: String?
        var returnDate: String?
        var price: String?
        var reason: String?

        static let maximumFieldLength = 200

        var tooLong: [String] {
            let all: [(String, String?)] = [
                ("journey", journey), ("carrier", carrier), ("event", event), ("scheduledDeparture", scheduledDeparture),
                ("scheduledArrival", scheduledArrival), ("actualArrival", actualArrival),
                ("rerouteDeparture", rerouteDeparture), ("rerouteArrival", rerouteArrival), ("noticeDays", noticeDays),
                ("cause", cause), ("fare", fare), ("fareCurrency", fareCurrency), ("choice", choice),
                ("packEvent", packEvent), ("eventDate", eventDate), ("bookingDate", bookingDate),
                ("departure", departure), ("returnDate", returnDate), ("price", price), ("reason", reason)
            ]
            return all.filter { ($0.1?.count ?? 0) > Self.maximumFieldLength }.map(\.0)
        }
    }

    struct Outcome {
        var rights: RightsAssessment?
        var conditions: ConditionsAssessment?
        var rightsErrors: [FieldError] = []
        var conditionsErrors: [FieldError] = []
        var summary: String?
    }

    struct Context {
        let record: CaseRecord
        let trip: Trip?
        let traveller: Traveller?
        let destination: DestinationRecord?
        let engine: ConditionsEngine
        /// The flight disruption that opened or updated the case (issue 14): the panel opens on it, assessed.
        var flightAlert: TravellerAlert? = nil
        var watch: FlightWatch? = nil
        var flights: [ItinerarySegment] {
            (trip?.segments ?? []).filter { $0.kind == .flight }.sorted { ($0.startsAt ?? .distantPast) < ($1.startsAt ?? .distantPast) }
        }
        var language: Language { traveller?.language ?? .en }
        var zone: TimeZone { destination?.zone ?? .current }
    }

    static func context(_ req: Request) async throws -> Context {
        let record = try await CasePage.requireCase(req)
        let trip =
            try await record.tripID.asyncMap { id in
                try await Trip.query(on: req.db).filter(\.$id == id).with(\.$segments).with(\.$documents).first()
            } ?? nil
        let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: req.db) } ?? nil
        let destination = try await record.destinationID.asyncMap { try await DestinationRecord.find($0, on: req.db) } ?? nil
        // The agency's own packs only for its own cases; cases without an agency see the shipped packs.
        let engine = try await RulePacksController.engine(for: record.agencyID ?? UUID(), on: req)
        var context = Context(record: record, trip: trip, traveller: traveller, destination: destination, engine: engine)
        if let caseID = record.id,
            let alert = try await TravellerAlert.query(on: req.db).filter(\.$caseID == caseID).filter(\.$kind == .flight)
                .sort(\.$createdAt, .descending).first()
        {
            context.flightAlert = alert
            context.watch = try await alert.flightWatchID.asyncMap { try await FlightWatch.find($0, on: req.db) } ?? nil
        }
        return context
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let context = try await context(req)
        var facts = try req.query.decode(Facts.self)
        if facts.assess == nil { facts = prefill(context, segmentID: facts.segment.flatMap(UUID.init(uuidString:)), now: req.now) }
        let tooLong = facts.tooLong
        guard tooLong.isEmpty else {
            let errors = tooLong.map {
                FieldError(field: $0, message: L10n.t("console.error.too_long", req.language, ["max": String(Facts.maximumFieldLength)]))
            }
            return req.html(
                RightsPanelViews.page(req: req, context: context, facts: facts, outcome: Outcome(rightsErrors: errors), sendError: nil),
                status: .unprocessableEntity)
        }
        var outcome = facts.assess == nil ? Outcome() : assess(facts, context: context)
        // The engine's own errors are in English, the API's language; the expert reads them in theirs.
        outcome.rightsErrors = outcome.rightsErrors.map { FieldError(field: $0.field, message: RightsNotes.localized($0.message, req.language)) }
        outcome.conditionsErrors = outcome.conditionsErrors.map {
            FieldError(field: $0.field, message: ConditionsNotes.localized($0.message, req.language))
        }
        let failed = !outcome.rightsErrors.isEmpty || !outcome.conditionsErrors.isEmpty
        return req.html(
            RightsPanelViews.page(req: req, context: context, facts: facts, outcome: outcome, sendError: nil),
            status: failed ? .unprocessableEntity : .ok)
    }

    /// Sends the (possibly edited) summary over the traveller's own channel, like any console reply.
    @Sendable static func send(req: Request) async throws -> Response {
        struct Form: Content { var text: String? }
        let context = try await context(req)
        let text = try req.content.decode(Form.self).text ?? ""
        do {
            _ = try await ConsoleController.enqueueReply(ConsoleController.ReplyInput(text: text), for: context.record, on: req)
        } catch let problem as Problem {
            var facts = prefill(context, segmentID: nil, now: req.now)
            facts.assess = nil
            let outcome = Outcome(summary: text)
            return req.html(
                RightsPanelViews.page(
                    req: req, context: context, facts: facts, outcome: outcome,
                    sendError: problem.detail ?? problem.errors?.first?.message ?? problem.title),
                status: problem.httpStatus)
        }
        try await AuditLog.record(
            on: req.db, agencyID: context.record.agencyID, actor: try req.user.id, action: .caseRightsSummarySent,
            subjectType: "case", subjectID: context.record.id?.uuidString)
        return req.redirect(to: .consoleCase(context.record.id!))
    }

    /// The facts the panel opens with: the chosen (or next) flight segment, and the pack named in the pasted documents.
    static func prefill(_ context: Context, segmentID: UUID?, now: Date) -> Facts {
        var facts = Facts()
        let flights = context.flights
        let segment =
            flights.first { $0.id == (segmentID ?? context.watch?.segmentID) }
            ?? flights.min {
                abs(($0.startsAt ?? .distantFuture).timeIntervalSince(now)) < abs(($1.startsAt ?? .distantFuture).timeIntervalSince(now))
            }
        facts.segment = segment?.id?.uuidString
        facts.event = DisruptionEvent.delay.rawValue
        if let segment,
            let flight = RightsBriefing.flight(
                text: [segment.title, segment.location, segment.details].compactMap { $0 }.joined(separator: " "),
                departure: segment.startsAt, arrival: segment.endsAt)
        {
            facts.journey = flight.journey.joined(separator: " ")
            facts.carrier = flight.operatingCarrier
            facts.scheduledDeparture = flight.scheduledDeparture
            facts.scheduledArrival = flight.scheduledArrival
            facts.actualArrival = flight.scheduledArrival
            // A disruption FlightAware reported for this flight: the panel opens on it, already assessed.
            if let alert = context.flightAlert, let watch = context.watch, watch.segmentID == segment.id,
                let event = FlightDisruption.rightsEvent(kind: alert.event)
            {
                facts.event = event.rawValue
                if event == .cancellation {
                    facts.noticeDays = String(max(0, Int(watch.scheduledDeparture.timeIntervalSince(alert.createdAt) / 86400)))
                } else if let arrival = alert.endsAt, let airport = flight.journey.last.flatMap({ ReferenceData.airports[$0] }) {
                    facts.actualArrival = LocalDateTime.iso8601(arrival, in: airport.zone)
                }
                facts.assess = "1"
            }
        }
        let documents = (context.trip?.documents ?? []).map { [$0.title, $0.text].compactMap { $0 }.joined(separator: "\n") }
        if let pack = RightsBriefing.pack(in: documents, among: Array(context.engine.packs.values)) {
            let events = context.engine.packs[pack]?.versions.last?.events.keys.sorted() ?? []
            facts.packEvent = "\(pack):\(events.contains("traveller_cancellation") ? "traveller_cancellation" : events.first ?? "")"
        }
        let zone = context.zone
        facts.eventDate = LocalDateTime.inputValue(now, in: zone).prefix(10).description
        if let trip = context.trip {
            facts.bookingDate = LocalDateTime.inputValue(trip.createdAt, in: zone).prefix(10).description
            facts.departure = LocalDateTime.inputValue(trip.departureAt, in: zone).prefix(10).description
            facts.returnDate = LocalDateTime.inputValue(trip.returnAt, in: zone).prefix(10).description
        }
        return facts
    }

    static func assess(_ facts: Facts, context: Context) -> Outcome {
        var outcome = Outcome()
        func text(_ s: String?) -> String? {
            let t = s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return t.isEmpty ? nil : t
        }
        let journey = (facts.journey ?? "").uppercased().split { !$0.isLetter }.map(String.init)
        var event = DisruptionEvent.delay
        if let e = text(facts.event) {
            if let parsed = DisruptionEvent(rawValue: e) {
                event = parsed
            } else {
                outcome.rightsErrors.append(FieldError(field: "event", message: "error.choice"))
            }
        }
        var flight = DisruptionCase(
            journey: journey, event: event, scheduledDeparture: text(facts.scheduledDeparture) ?? "",
            scheduledArrival: text(facts.scheduledArrival) ?? "")
        flight.operatingCarrier = text(facts.carrier)
        flight.actualArrival = text(facts.actualArrival)
        flight.setReroute(departure: text(facts.rerouteDeparture), arrival: text(facts.rerouteArrival))
        if let n = text(facts.noticeDays) {
            if let days = Int(n) {
                flight.noticeDays = days
            } else {
                outcome.rightsErrors.append(FieldError(field: "noticeDays", message: "panel.error.notice_days"))
            }
        }
        if let c = text(facts.cause) {
            if let cause = DisruptionCause(rawValue: c) {
                flight.cause = cause
            } else {
                outcome.rightsErrors.append(FieldError(field: "cause", message: "error.choice"))
            }
        }
        if let f = text(facts.fare) {
            if let amount = Decimal(string: f.replacingOccurrences(of: ",", with: ".")), amount >= 0 {
                flight.fare = Amount(amount, (text(facts.fareCurrency) ?? "EUR").uppercased())
            } else {
                outcome.rightsErrors.append(FieldError(field: "fare", message: "panel.error.fare"))
            }
        }
        if let c = text(facts.choice) {
            if let choice = PassengerChoice(rawValue: c) {
                flight.passengerChoice = choice
            } else {
                outcome.rightsErrors.append(FieldError(field: "choice", message: "error.choice"))
            }
        }
        // A conditions-only question needs no flight.
        let wantsRights = !journey.isEmpty || text(facts.packEvent) == nil
        if wantsRights, outcome.rightsErrors.isEmpty {
            do { outcome.rights = try RightsCalculator.assess(flight) } catch RightsError.invalid(let errors) {
                outcome.rightsErrors = errors.map { FieldError(field: $0.field.hasPrefix("journey") ? "journey" : $0.field, message: $0.message) }
            } catch { outcome.rightsErrors = [FieldError(field: "journey", message: RightsJSON.describe(error))] }
        }
        if let packEvent = text(facts.packEvent) {
            let parts = packEvent.split(separator: ":", maxSplits: 1).map(String.init)
            var request = ConditionsRequest(pack: parts.first ?? "", event: parts.count > 1 ? parts[1] : "")
            request.eventDate = text(facts.eventDate)
            request.bookingDate = text(facts.bookingDate)
            request.departure = text(facts.departure)
            request.returnDate = text(facts.returnDate)
            request.reason = text(facts.reason)
            if let p = text(facts.price) {
                if let amount = Decimal(string: p.replacingOccurrences(of: ",", with: ".")) {
                    request.price = Amount(amount, context.engine.packs[request.pack]?.currency ?? "EUR")
                } else {
                    outcome.conditionsErrors.append(FieldError(field: "price", message: "panel.error.price"))
                }
            }
            if outcome.conditionsErrors.isEmpty {
                do { outcome.conditions = try context.engine.assess(request) } catch {
                    let failure = ConditionsJSON.describe(error, engine: context.engine)
                    outcome.conditionsErrors = failure.errors ?? [FieldError(field: "packEvent", message: failure.error)]
                }
            }
        }
        if outcome.rights != nil || outcome.conditions != nil {
            outcome.summary = RightsBriefing.summary(
                journey: journey, event: event, rights: outcome.rights, conditions: outcome.conditions,
                pack: outcome.conditions.flatMap { context.engine.packs[$0.pack] }, language: context.language)
        }
        return outcome
    }
}
