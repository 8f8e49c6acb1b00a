import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import Vapor
import XCTest
import XCTVapor

/// Issue 14: flight disruptions from FlightAware and official weather alerts reach the traveller, the expert and the
/// agency — once per alert and traveller, over real HTTP against stand-ins that speak the providers' formats.
final class AlertsTests: GraphTestCase {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/alerts")
    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    func webhookEndpoint(for agency: Agency, url: String) async throws {
        let endpoint = WebhookEndpointRecord()
        endpoint.agencyID = try agency.requireID()
        endpoint.url = url
        endpoint.secret = "whs_test_secret_0123456789012345678901234567890123"
        endpoint.active = true
        endpoint.createdAt = Date()
        try await endpoint.create(on: app.db)
    }

    /// A weather test's start: the clock at `time`, the work a poll starts (deliveries, webhooks) left to the test to
    /// run in the order it reads, and a feed stand-in configured as the only source.
    func weatherFeed(at time: Date, format: String = "nws") async throws -> FeedStandIn {
        app.clock.set(time)
        app.backgroundWork.isDisabled = true
        let feed = try await FeedStandIn()
        app.onspot.alertFeeds = [.init(format: format, url: feed.url)]
        return feed
    }

    /// Waits for the callbacks to be worked on: the request hands them to background work at once, which may hold them.
    func flightEventsWorked() async throws {
        for _ in 0..<200 {
            _ = try await FlightAlerts.runDue(app: app)
            if try await FlightEvent.query(on: app.db).filter(\.$status == .pending).count() == 0 { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    // MARK: Flights

    func testAFlightAwareCancellationPostedThreeTimesOpensOneCaseWithItsRightsAndTellsEveryoneOnce() async throws {
        // The callback fixture's flight: AF66 CDG → LAX, scheduled out 2026-12-01T09:20Z; the day before, in the window.
        app.clock.set(ISO8601DateFormatter().date(from: "2026-11-30T12:00:00Z")!)
        let departure = ISO8601DateFormatter().date(from: "2026-12-01T09:20:00Z")!
        let flightAware = try await FlightAwareStandIn()
        let receiver = try await HookReceiver()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        app.onspot.publicBaseURL = "http://127.0.0.1:\(port)"
        app.flightStatus = FlightAwareClient(client: app.client, baseURL: flightAware.baseURL, key: FlightAwareStandIn.key)
        let agency = try await makeAgency("Horizon", language: .fr)
        try await webhookEndpoint(for: agency, url: receiver.url)
        let trip = try await makeTrip(for: agency, departure: departure, destination: "us-lax", reference: "HZ-2602")
        let segment = ItinerarySegment(
            tripID: try trip.requireID(), kind: .flight, title: "AF 066 Paris CDG → Los Angeles LAX", startsAt: departure,
            endsAt: departure.addingTimeInterval(11.75 * 3600), timeZone: "Europe/Paris", supplier: "Air France", confirmation: "K7XQ2P")
        try await segment.create(on: app.db)
        try await makeWhatsAppEndpoint("us-lax", id: "LAX1")

        // The watch: the callback URL, then the alert, as AeroAPI documents them.
        let sync = try await FlightAlerts.sync(app: app, now: app.clock.now())
        XCTAssertEqual(sync.created, 1)
        XCTAssertEqual(sync.registered, 1)
        XCTAssertEqual(flightAware.hits.map { "\($0.method) \($0.path)" }, ["PUT /aeroapi/alerts/endpoint", "POST /aeroapi/alerts"])
        XCTAssertTrue(flightAware.hits.allSatisfy { $0.apiKey == FlightAwareStandIn.key })
        let registration = try XCTUnwrap(JSONSerialization.jsonObject(with: flightAware.hits[1].body) as? [String: Any])
        XCTAssertEqual(registration["ident"] as? String, "AF66")
        XCTAssertEqual(registration["origin"] as? String, "CDG")
        XCTAssertEqual(registration["destination"] as? String, "LAX")
        XCTAssertEqual(registration["start"] as? String, "2026-12-01", "the departure's date at Paris")
        XCTAssertEqual((registration["events"] as? [String: Bool])?["cancelled"], true)
        let value1 = try await FlightWatch.query(on: app.db).first()?.providerAlertID
        XCTAssertEqual(value1, "7845121")
        let endpoint = try XCTUnwrap(flightAware.endpoint)
        XCTAssertTrue(endpoint.hasPrefix("http://127.0.0.1:\(port)/webhooks/flightaware/"))

        // FlightAware posts the cancellation three times (its bundling and retries): each is stored and acknowledged.
        let cancelled = try Self.fixture("flightaware-cancelled.json")
        // The work a callback starts is left to the loop, here this test: it runs in the order the test reads.
        app.backgroundWork.isDisabled = true
        for _ in 0..<3 {
            let status = try await flightAware.deliver(cancelled)
            XCTAssertEqual(status, 200)
        }
        try await flightEventsWorked()
        _ = try await OutboxSender.runDue(app: app)
        _ = try await AgencyWebhooks.runDue(app: app)
        let value2 = try await FlightEvent.query(on: app.db).count()
        XCTAssertEqual(value2, 3, "every callback kept as received")

        let outcomes = try await FlightEvent.query(on: app.db).all().map { "\($0.status) \($0.outcome ?? "")" }
        let cases = try await CaseRecord.query(on: app.db).filter(\.$tripID == trip.id).all()
        XCTAssertEqual(cases.count, 1, outcomes.joined(separator: "; "))
        XCTAssertEqual(cases.count, 1, "one case however many callbacks")
        let record = try XCTUnwrap(cases.first)
        XCTAssertEqual(record.category, .flightDisruption)
        XCTAssertEqual(record.priority, .high)
        let templates = graph.requests.filter { ($0.json["template"] as? [String: Any])?["name"] as? String == "onspot_flight_disruption" }
        XCTAssertEqual(templates.count, 1, "the traveller's template goes out once")
        XCTAssertEqual(templates.first?.path, "/v21.0/LAX1/messages")
        XCTAssertEqual(templates.first?.json["to"] as? String, "33612345678")
        let template = try XCTUnwrap(templates.first?.json["template"] as? [String: Any])
        XCTAssertEqual((template["language"] as? [String: Any])?["code"] as? String, "fr")
        let parameters = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap {
            $0["text"] as? String
        }
        XCTAssertEqual(parameters?.first, "Zoé")
        XCTAssertEqual(parameters?.dropFirst().first, "Vol AF66 CDG → LAX annulé")
        let hooks = receiver.hits.compactMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
            .filter { $0["type"] as? String == "flight.disrupted" }
        XCTAssertEqual(hooks.count, 1, "the agency's webhook receives flight.disrupted once")
        let data = try XCTUnwrap(hooks.first?["data"] as? [String: String])
        XCTAssertEqual(data["change"], "cancelled")
        XCTAssertEqual(data["flight"], "AF66")
        XCTAssertEqual(data["caseID"], record.id?.uuidString)
        XCTAssertEqual(data["reference"], "HZ-2602")
        let mails = try await NotificationRecord.query(on: app.db).filter(\.$kind == .flightDisrupted).all()
        XCTAssertEqual(mails.count, 1)
        XCTAssertEqual(mails.first?.subject, "Vol AF66 CDG → LAX annulé — dossier HZ-2602")

        // The expert opens the case: the rights panel is already filled and assessed — EU261 for a long-haul from Paris.
        try await makeUser("expert@onspot.example", role: .expert, agency: nil, language: .en)
        let lax = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-lax").first()!
        let expertID = try await User.query(on: app.db).filter(\.$email == "expert@onspot.example").first()!.requireID()
        let link = ExpertDestination()
        link.$user.id = expertID
        link.$destination.id = try lax.requireID()
        try await link.create(on: app.db)
        let expert = try await signedIn("expert@onspot.example")
        let panel = try await expert.get("/console/cases/\(record.id!)/rights")
        XCTAssertEqual(panel.status, .ok)
        let html = panel.body.string
        XCTAssertTrue(html.contains("600 EUR"), "EU261 art. 7: more than 3,500 km, cancelled at a day's notice")
        XCTAssertTrue(
            html.contains(#"value="cancellation" selected"#) || html.contains(#"value="cancellation" selected=""#),
            "the panel opens on the cancellation")
        let page = try await expert.get("/console/cases/\(record.id!)")
        XCTAssertTrue(page.body.string.contains("Flight AF66 CDG → LAX cancelled"), "the case says what happened")

        // A callback about a flight nobody watches is kept, and ignored.
        var other = try XCTUnwrap(JSONSerialization.jsonObject(with: cancelled) as? [String: Any])
        var flight = try XCTUnwrap(other["flight"] as? [String: Any])
        flight["ident_iata"] = "AF22"
        flight["ident"] = "AFR22"
        other["flight"] = flight
        let value3 = try await flightAware.deliver(try JSONSerialization.data(withJSONObject: other))
        XCTAssertEqual(value3, 200)
        try await flightEventsWorked()
        let value4 = try await FlightEvent.query(on: app.db).filter(\.$status == .ignored).count()
        XCTAssertEqual(value4, 1)
        let value5 = try await CaseRecord.query(on: app.db).count()
        XCTAssertEqual(value5, 1)

        await app.server.shutdown()
        try await receiver.stop()
        try await flightAware.stop()
    }

    func testCallbacksWithoutTheTokenOrNotFromFlightAwareAreRefusedAndNothingIsStored() async throws {
        let token = FlightCallbackToken.value(secretKey: app.onspot.secretKey)
        let wrong = try await app.sendRequest(
            .POST, "/webhooks/flightaware/\(String(repeating: "0", count: 40))", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(data: try Self.fixture("flightaware-cancelled.json")))
        XCTAssertEqual(wrong.status, .notFound, "a guessed URL learns nothing")
        let garbage = try await app.sendRequest(
            .POST, "/webhooks/flightaware/\(token)", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"flight":"#))
        XCTAssertEqual(garbage.status, .badRequest)
        XCTAssertTrue(garbage.body.string.contains("FlightAware"))
        let noFlight = try await app.sendRequest(
            .POST, "/webhooks/flightaware/\(token)", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(string: #"{"event_code":"cancelled"}"#))
        XCTAssertEqual(noFlight.status, .badRequest)
        XCTAssertTrue(noFlight.body.string.contains("flight"), noFlight.body.string)
        let huge = try await app.sendRequest(
            .POST, "/webhooks/flightaware/\(token)", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(string: String(repeating: " ", count: 70_000) + "{}"))
        XCTAssertEqual(huge.status, .payloadTooLarge)
        let value6 = try await FlightEvent.query(on: app.db).count()
        XCTAssertEqual(value6, 0)
    }

    func testPollingFindsADelayWhenCallbacksAreSilent() async throws {
        app.clock.set(ISO8601DateFormatter().date(from: "2026-12-01T06:00:00Z")!)
        let departure = ISO8601DateFormatter().date(from: "2026-12-01T09:20:00Z")!
        let flightAware = try await FlightAwareStandIn()
        app.flightStatus = FlightAwareClient(client: app.client, baseURL: flightAware.baseURL, key: FlightAwareStandIn.key)
        let agency = try await makeAgency("Horizon", language: .en)
        let trip = try await makeTrip(for: agency, departure: departure, destination: "us-lax")
        try await ItinerarySegment(
            tripID: try trip.requireID(), kind: .flight, title: "AF 066 Paris CDG → Los Angeles LAX", startsAt: departure,
            endsAt: departure.addingTimeInterval(11.75 * 3600), timeZone: "Europe/Paris", supplier: nil, confirmation: nil
        ).create(on: app.db)
        flightAware.answerFlights(try Self.fixture("flightaware-flights.json"))
        let sync = try await FlightAlerts.sync(app: app, now: app.clock.now())
        XCTAssertEqual(sync.polled, 1)
        XCTAssertTrue(flightAware.hits.contains { $0.method == "GET" && $0.path == "/aeroapi/flights/AF66" })
        let alerts = try await TravellerAlert.query(on: app.db).all().map(\.event).sorted()
        XCTAssertEqual(alerts, ["arrival_delay"], "four hours late arriving; it has left, so its late departure is no longer news")
        // The next pass within a quarter of an hour does not ask again.
        _ = try await FlightAlerts.sync(app: app, now: app.clock.now().addingTimeInterval(300))
        XCTAssertEqual(flightAware.hits.filter { $0.method == "GET" }.count, 1)
        try await flightAware.stop()
    }

    func testAWatchFollowsItsSegmentWhenTheFlightIsChangedAndIsDeletedWithIt() async throws {
        app.clock.set(ISO8601DateFormatter().date(from: "2026-11-30T12:00:00Z")!)
        let departure = ISO8601DateFormatter().date(from: "2026-12-01T09:20:00Z")!
        let flightAware = try await FlightAwareStandIn()
        app.flightStatus = FlightAwareClient(client: app.client, baseURL: flightAware.baseURL, key: FlightAwareStandIn.key)
        let agency = try await makeAgency("Horizon", language: .en)
        let key = try await makeApiKey(for: agency)
        let trip = try await makeTrip(for: agency, departure: departure, destination: "us-lax")
        let segment = ItinerarySegment(
            tripID: try trip.requireID(), kind: .flight, title: "AF 066 Paris CDG → Los Angeles LAX", startsAt: departure,
            endsAt: departure.addingTimeInterval(11.75 * 3600), timeZone: "Europe/Paris", supplier: nil, confirmation: nil)
        try await segment.create(on: app.db)
        _ = try await FlightAlerts.sync(app: app, now: app.clock.now())
        let first = try await FlightWatch.query(on: app.db).first()
        XCTAssertEqual(first?.ident, "AF66")
        let firstAlert = try XCTUnwrap(first?.providerAlertID)

        // The agency rebooks the traveller on the afternoon flight: the old alert goes, the new flight is watched.
        segment.title = "AF 072 Paris CDG → Los Angeles LAX"
        segment.startsAt = departure.addingTimeInterval(4 * 3600)
        try await segment.save(on: app.db)
        let sync = try await FlightAlerts.sync(app: app, now: app.clock.now().addingTimeInterval(60))
        XCTAssertEqual([sync.retargeted, sync.created, sync.registered], [1, 0, 1])
        XCTAssertTrue(flightAware.hits.contains { $0.method == "DELETE" && $0.path == "/aeroapi/alerts/\(firstAlert)" })
        let watches = try await FlightWatch.query(on: app.db).all()
        XCTAssertEqual(watches.map(\.ident), ["AF72"])
        XCTAssertEqual(watches.first?.id, first?.id, "the same watch, so its alerts' history stays with the segment")
        XCTAssertEqual(watches.first?.scheduledDeparture, segment.startsAt)
        XCTAssertNotEqual(watches.first?.providerAlertID, firstAlert)
        // Unchanged, the next pass leaves it be.
        let again = try await FlightAlerts.sync(app: app, now: app.clock.now().addingTimeInterval(120))
        XCTAssertEqual([again.retargeted, again.created, again.registered], [0, 0, 0])

        // The segment deleted through the API: its watch goes with it, and the provider's alert after it.
        let secondAlert = try XCTUnwrap(watches.first?.providerAlertID)
        let deleted = try await app.sendRequest(
            .DELETE, "/api/v1/trips/\(try trip.requireID())/segments/\(try segment.requireID())", headers: apiHeaders(key))
        XCTAssertEqual(deleted.status, .noContent, deleted.body.string)
        for _ in 0..<100 where !flightAware.hits.contains(where: { $0.method == "DELETE" && $0.path.hasSuffix(secondAlert) }) {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertTrue(flightAware.hits.contains { $0.method == "DELETE" && $0.path == "/aeroapi/alerts/\(secondAlert)" })
        let left = try await FlightWatch.query(on: app.db).count()
        XCTAssertEqual(left, 0)
        try await flightAware.stop()
    }

    // MARK: Weather

    func testAHurricaneWarningTellsTravellersThereOnceShowsItsBannerAndACancelRemovesIt() async throws {
        app.clock.set(ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!)
        // The work a poll starts (deliveries, webhooks) is left to the loops, here this test, in the order it reads.
        app.backgroundWork.isDisabled = true
        let feed = try await FeedStandIn()
        let receiver = try await HookReceiver()
        app.onspot.alertFeeds = [.init(format: "nws", url: feed.url)]
        let agency = try await makeAgency("Horizon", language: .fr)
        let other = try await makeAgency("Elsewhere", language: .en)
        try await webhookEndpoint(for: agency, url: receiver.url)
        let miami = try await makeTrip(
            for: agency, departure: ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!, destination: "us-mia", reference: "HZ-MIA")
        _ = try await makeTrip(for: other, departure: ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!, destination: "us-sea")
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")
        feed.publish(try Self.fixture("nws-hurricane-florida.json"), type: "application/geo+json")

        var summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(summary.told, 1)
        _ = try await OutboxSender.runDue(app: app)
        _ = try await AgencyWebhooks.runDue(app: app)
        XCTAssertEqual(feed.hits.first?.userAgent, WeatherAlerts.userAgent, "NWS requires a User-Agent")
        let messages = graph.requests.filter { ($0.json["template"] as? [String: Any])?["name"] as? String == "onspot_weather_alert" }
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?.path, "/v21.0/MIA1/messages")
        let parameters =
            ((messages.first?.json["template"] as? [String: Any])?["components"] as? [[String: Any]])?.first?["parameters"]
            as? [[String: Any]]
        XCTAssertEqual(parameters?.last?["text"] as? String, "911", "the destination's emergency number")
        let alerts = try await TravellerAlert.query(on: app.db).all()
        XCTAssertEqual(alerts.map(\.tripID), [miami.id])
        XCTAssertEqual(alerts.first?.event, "Hurricane Warning")
        let hooks = receiver.hits.compactMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
        XCTAssertEqual(hooks.map { $0["type"] as? String }, ["weather.alert"])
        XCTAssertEqual((hooks.first?["data"] as? [String: String])?["destinations"], "Miami & Florida Keys")

        // The console's banner over Miami, for an expert who covers it; not for one who covers Sydney only.
        try await makeUser("expert@onspot.example", role: .expert, agency: nil, language: .en)
        try await makeUser("sydney@onspot.example", role: .expert, agency: nil, language: .en)
        for (email, code) in [("expert@onspot.example", "us-mia"), ("sydney@onspot.example", "au-syd")] {
            let link = ExpertDestination()
            link.$user.id = try await User.query(on: app.db).filter(\.$email == email).first()!.requireID()
            link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == code).first()!.requireID()
            try await link.create(on: app.db)
        }
        let expert = try await signedIn("expert@onspot.example")
        var queue = try await expert.get("/console")
        XCTAssertTrue(queue.body.string.contains("alert-banner"))
        XCTAssertTrue(queue.body.string.contains("Hurricane Warning issued December 1"), queue.body.string.prefix(3000).description)
        let sydney = try await signedIn("sydney@onspot.example")
        let value7 = try await sydney.get("/console").body.string.contains("alert-banner")
        XCTAssertFalse(value7)

        // The agency sees it on its dashboard and its alerts page; the other agency sees nothing.
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        let horizon = try await signedIn("admin@horizon.example")
        let value8 = try await horizon.get("/").body.string.contains("dashboard-alerts")
        XCTAssertTrue(value8)
        let value9 = try await horizon.get("/alerts").body.string.contains("HZ-MIA")
        XCTAssertTrue(value9)
        try await makeUser("admin@elsewhere.example", role: .agencyAdmin, agency: other)
        let elsewhere = try await signedIn("admin@elsewhere.example")
        let value10 = try await elsewhere.get("/alerts").body.string.contains("HZ-MIA")
        XCTAssertFalse(value10)
        let value11 = try await elsewhere.get("/").body.string.contains("dashboard-alerts")
        XCTAssertFalse(value11)

        // The next poll is conditional and tells nobody twice.
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(300))
        XCTAssertEqual(summary.unchanged, 1)
        XCTAssertEqual(feed.hits.last?.ifNoneMatch, "\"v1\"")
        let value12 = try await TravellerAlert.query(on: app.db).count()
        XCTAssertEqual(value12, 1)

        // The cancel: the banner goes, the agency's list shows the alert ended.
        feed.publish(try Self.fixture("nws-hurricane-florida-cancel.json"), type: "application/geo+json")
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(600))
        XCTAssertEqual(summary.cancelled, 1)
        // The traveller who was told hears it is over, in the same thread, in their language (the window is closed:
        // the approved case-update template).
        XCTAssertEqual(summary.lifted, 1)
        _ = try await OutboxSender.runDue(app: app)
        let lifted = graph.requests.filter { ($0.json["template"] as? [String: Any])?["name"] as? String == "onspot_case_update" }
        XCTAssertEqual(lifted.count, 1)
        let liftedText =
            (((lifted.first?.json["template"] as? [String: Any])?["components"] as? [[String: Any]])?.first?["parameters"]
            as? [[String: Any]])?.last?["text"] as? String
        XCTAssertEqual(liftedText?.hasPrefix("✅ l'alerte « Hurricane Warning »"), true, liftedText ?? "")
        let value13b = try await TravellerAlert.query(on: app.db).first()?.liftedAt
        XCTAssertNotNil(value13b)
        queue = try await expert.get("/console")
        XCTAssertFalse(queue.body.string.contains("alert-banner"))
        let value13 = try await TravellerAlert.query(on: app.db).first()?.endsAt
        XCTAssertNotNil(value13)
        let value14 = try await WeatherAlert.query(on: app.db).filter(\.$state == .active).count()
        XCTAssertEqual(value14, 0)

        // A feed that fails is recorded for the admin, and the others go on.
        feed.fail(503)
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(900))
        XCTAssertEqual(summary.failed, 1)
        try await makeUser("ops@onspot.example", role: .onspotAdmin, agency: nil, language: .en)
        let admin = try await signedIn("ops@onspot.example")
        let adminPage = try await admin.get("/admin/alerts")
        XCTAssertEqual(adminPage.status, .ok)
        XCTAssertTrue(adminPage.body.string.contains("HTTP 503"))
        try await receiver.stop()
        try await feed.stop()
    }

    func testOnlyTravellersWhoConsentedAreToldAndTheAgencyEmailFollowsItsChoice() async throws {
        let feed = try await weatherFeed(at: ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!)
        let agency = try await makeAgency("Horizon", language: .fr)
        let other = try await makeAgency("Elsewhere", language: .en)
        let arrived = ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!
        _ = try await makeTrip(for: agency, departure: arrived, destination: "us-mia", reference: "HZ-YES")
        let refused = try await makeTrip(for: agency, departure: arrived, destination: "us-mia", reference: "HZ-NO", consentsToAlerts: false)
        _ = try await makeTrip(for: other, departure: arrived, destination: "us-mia", reference: "EL-1")
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")

        // The agency admin sends weather alerts nowhere and flights to the duty desk; an agent cannot choose.
        try await makeUser("admin@horizon.example", role: .agencyAdmin, agency: agency)
        try await makeUser("agent@horizon.example", role: .agencyAgent, agency: agency)
        let admin = try await signedIn("admin@horizon.example")
        let page = try await admin.get("/alerts")
        XCTAssertTrue(page.body.string.contains("alert-preferences"))
        let agent = try await signedIn("agent@horizon.example")
        let agentPage = try await agent.get("/alerts")
        XCTAssertFalse(agentPage.body.string.contains("alert-preferences"), "only an admin sees the choice")
        let agentPost = try await agent.post("/alerts/preferences", form: ["email": "agent@evil.example", "flights": "on"])
        XCTAssertEqual(agentPost.status, .notFound, "an admin's page, unknown to an agent")
        let invalid = try await admin.post("/alerts/preferences", form: ["email": "not an address", "flights": "on"])
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertTrue(invalid.body.string.contains("Adresse e-mail invalide."), "the reason, in the admin's language")
        XCTAssertTrue(invalid.body.string.contains("not an address"), "what was typed is kept")
        let saved = try await admin.post("/alerts/preferences", form: ["email": " Permanence@Horizon.example ", "flights": "on"])
        XCTAssertEqual(saved.status, .seeOther)
        let stored = try await AgencyAlertPreferences.of(agencyID: try agency.requireID(), on: app.db)
        XCTAssertEqual(stored.email, "permanence@horizon.example")
        XCTAssertEqual([stored.emailFlights, stored.emailWeather], [true, false])
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.alertPreferencesChanged.rawValue).count()
        XCTAssertEqual(audited, 1)

        // The hurricane over Miami: the traveller who consented is told; the one who did not is listed, not messaged.
        feed.publish(try Self.fixture("nws-hurricane-florida.json"), type: "application/geo+json")
        let summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.told, 2, "Horizon's consenting traveller and Elsewhere's")
        _ = try await OutboxSender.runDue(app: app)
        let templates = graph.requests.filter { ($0.json["template"] as? [String: Any])?["name"] as? String == "onspot_weather_alert" }
        XCTAssertEqual(templates.count, 2)
        let notTold = try await TravellerAlert.query(on: app.db).filter(\.$tripID == refused.id).first()
        XCTAssertNil(notTold?.messageID)
        XCTAssertEqual(notTold?.notTold, .noConsent)
        let listed = try await admin.get("/alerts")
        XCTAssertTrue(listed.body.string.contains("pas de consentement aux alertes"), "the agency knows whom to call itself")
        let key = try await makeApiKey(for: agency)
        let api = jsonObject(try await app.sendRequest(.GET, "/api/v1/alerts", headers: apiHeaders(key)))
        let items = try XCTUnwrap(api["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 2, "only Horizon's")
        XCTAssertEqual(Set(items.map { $0["notTold"] as? String ?? "told" }), ["told", "no_consent"])

        // Weather emails off for Horizon, on by default for Elsewhere.
        let mails = try await NotificationRecord.query(on: app.db).filter(\.$kind == .weatherAlert).all()
        XCTAssertEqual(mails.map(\.agencyID), [other.id])

        // The traveller's consent through the API, recorded in the history; then the next alert reaches them.
        let travellerID = try XCTUnwrap(refused.travellerLinks.first?.$traveller.id)
        var headers = apiHeaders(key)
        headers.contentType = .json
        let patched = try await app.sendRequest(
            .PATCH, "/api/v1/travellers/\(travellerID)", headers: headers, body: ByteBuffer(string: #"{"consentsToAlerts": true}"#))
        XCTAssertEqual(patched.status, .ok, patched.body.string)
        XCTAssertEqual(jsonObject(patched)["consentsToAlerts"] as? Bool, true)
        let history = try await ConsentEvent.query(on: app.db).filter(\.$travellerID == travellerID).filter(\.$kind == .alerts)
            .sort(\.$createdAt).all()
        XCTAssertEqual(history.map(\.granted), [false, true], "refused when registered, given through the API")
        XCTAssertEqual(history.last?.source, .api)
        try await feed.stop()
    }

    func testAnNWSWarningThatNamesZonesOnlyGetsTheirShapesAndWaitsForAZoneThatFails() async throws {
        // Ten minutes after the warning was sent (15:00Z): a zone that fails holds it back (an hour at most).
        let feed = try await weatherFeed(at: ISO8601DateFormatter().date(from: "2026-12-01T15:10:00Z")!)
        let agency = try await makeAgency("Horizon", language: .fr)
        let miami = try await makeTrip(
            for: agency, departure: ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!, destination: "us-mia", reference: "HZ-MIA")
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")
        // Most NWS warnings, hurricanes included, carry no polygon: `geometry` is null and `affectedZones` names the
        // zones, on the API's own host (here the stand-in's); a third zone elsewhere is never fetched.
        let recorded = String(decoding: try Self.fixture("nws-hurricane-zones.json"), as: UTF8.self)
        feed.publish(Data(recorded.replacingOccurrences(of: "https://api.weather.gov", with: feed.base).utf8), type: "application/geo+json")
        feed.serveZone("FLZ173", try Self.fixture("nws-zone-FLZ173.json"))
        feed.serveZone("FLZ074", try Self.fixture("nws-zone-FLZ074.json"))
        feed.failZone("FLZ074", 503)

        // A zone that fails: the alert waits, nothing is told, the admin reads why, and the next poll is not conditional.
        var summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.added, 0)
        XCTAssertEqual(summary.told, 0)
        var stored = try await AlertFeed.query(on: app.db).first()
        XCTAssertNil(stored?.etag, "read again next time")
        XCTAssertTrue(stored?.lastError?.contains("FLZ074: HTTP 503") == true, stored?.lastError ?? "")
        XCTAssertTrue(stored?.lastError?.contains("FLZ999: not on the feed's host") == true, stored?.lastError ?? "")
        let kept = try await AlertZone.query(on: app.db).all().map(\.url)
        XCTAssertEqual(kept, [feed.base + "/zones/forecast/FLZ173"], "the zone that answered is kept")

        // The zone answers: the alert is kept with both zones' shapes and the traveller in Miami (coastal zone) told.
        feed.serveZone("FLZ074", try Self.fixture("nws-zone-FLZ074.json"))
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(300))
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(summary.told, 1)
        XCTAssertEqual(feed.zoneHits.sorted(), ["FLZ074", "FLZ074", "FLZ173"], "a kept zone is not fetched again")
        let alert = try await WeatherAlert.query(on: app.db).first()
        XCTAssertEqual(alert?.capAlert.infos.first?.areas.first?.polygons.count, 3, "FLZ173's two parts and FLZ074")
        let told = try await TravellerAlert.query(on: app.db).all()
        XCTAssertEqual(told.map(\.tripID), [miami.id])
        XCTAssertNotNil(told.first?.messageID)
        stored = try await AlertFeed.query(on: app.db).first()
        XCTAssertNotNil(stored?.etag, "nothing waits any more: the next poll is conditional")
        XCTAssertEqual(WeatherAlerts.coveredCodes(of: try XCTUnwrap(alert), id: try XCTUnwrap(alert?.id)), ["us-mia"])
        try await feed.stop()
    }

    func testATravellerWhoWroteOnMessengerTodayIsToldThereAndOneWithoutANumberIsListed() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!
        let feed = try await weatherFeed(at: now)
        let agency = try await makeAgency("Horizon", language: .fr)
        let arrived = ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!
        let onMessenger = try await makeTrip(for: agency, departure: arrived, destination: "us-mia", reference: "HZ-MSG")
        let noNumber = try await makeTrip(for: agency, departure: arrived, destination: "us-mia", reference: "HZ-NONUM")
        let silent = try XCTUnwrap(noNumber.travellerLinks.first?.traveller)
        silent.phone = nil
        try await silent.save(on: app.db)
        let miamiRecord = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-mia").first()
        let miami = try XCTUnwrap(miamiRecord)
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")
        let page = ChannelEndpoint()
        page.$destination.id = try miami.requireID()
        page.channel = .messenger
        page.externalID = "PAGE-MIA"
        page.appSecret = "appsecret"
        page.accessToken = "EAAG-token"
        page.active = true
        page.createdAt = now
        try await page.create(on: app.db)
        // Zoé wrote on Miami's Messenger page two hours ago, and was identified there.
        let thread = Conversation()
        thread.channel = .messenger
        thread.externalUserID = "PSID-ZOE"
        thread.destinationID = miami.id
        thread.identified = true
        thread.travellerID = onMessenger.travellerLinks.first?.$traveller.id
        thread.tripID = onMessenger.id
        thread.agencyID = agency.id
        thread.lastInboundAt = now.addingTimeInterval(-2 * 3600)
        thread.createdAt = now.addingTimeInterval(-2 * 3600)
        try await thread.create(on: app.db)

        feed.publish(try Self.fixture("nws-hurricane-florida.json"), type: "application/geo+json")
        let summary = try await WeatherAlerts.pollAll(app: app, now: now)
        XCTAssertEqual(summary.told, 1)
        _ = try await OutboxSender.runDue(app: app)
        let sent = graph.requests.filter { $0.path == "/v21.0/me/messages" }
        XCTAssertEqual(sent.count, 1, "on Messenger, where she writes")
        XCTAssertEqual(sent.first?.json["messaging_type"] as? String, "UPDATE", "sent unasked, inside the window")
        XCTAssertEqual((sent.first?.json["recipient"] as? [String: Any])?["id"] as? String, "PSID-ZOE")
        let text = (sent.first?.json["message"] as? [String: Any])?["text"] as? String ?? ""
        XCTAssertTrue(text.contains("911"), text)
        XCTAssertTrue(graph.requests.filter { $0.path == "/v21.0/MIA1/messages" }.isEmpty, "not also on WhatsApp")
        let unreached = try await TravellerAlert.query(on: app.db).filter(\.$tripID == noNumber.id).first()
        XCTAssertEqual(unreached?.notTold, .noPhone)
        // After a day without a word from her, Messenger allows no automated message: WhatsApp's template instead.
        thread.lastInboundAt = now.addingTimeInterval(-30 * 3600)
        try await thread.save(on: app.db)
        let travellerID = try XCTUnwrap(onMessenger.travellerLinks.first?.$traveller.id)
        let found = try await Traveller.find(travellerID, on: app.db)
        let traveller = try XCTUnwrap(found)
        let outcome = try await AlertMessages.tell(
            traveller, tripID: try onMessenger.requireID(), agencyID: try agency.requireID(),
            endpoint: try await ChannelEndpoint.active(.whatsapp, destination: miami.id, on: app.db), text: "test",
            template: .weatherAlert, parameters: ["Zoé", "x", "y", "911"], on: app.db)
        guard case .queued(let message, _) = outcome else { return XCTFail("told on WhatsApp") }
        XCTAssertEqual(message.channel, .whatsapp)
        try await feed.stop()
    }

    func testACancelOfAnUpdateThatChangedNothingStillTellsThoseToldAboutTheFirstVersion() async throws {
        let feed = try await weatherFeed(at: ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!)
        let agency = try await makeAgency("Horizon", language: .en)
        _ = try await makeTrip(
            for: agency, departure: ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!, destination: "us-mia", reference: "HZ-MIA")
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")
        /// The recorded warning as another message: a new identifier, the type, what it references.
        func version(_ name: String, identifier: String, type: String, references: [String]) throws -> Data {
            var document = try XCTUnwrap(try JSONSerialization.jsonObject(with: try Self.fixture(name)) as? [String: Any])
            var features = try XCTUnwrap(document["features"] as? [[String: Any]])
            var properties = try XCTUnwrap(features[0]["properties"] as? [String: Any])
            properties["id"] = identifier
            properties["messageType"] = type
            properties["references"] = references.map {
                ["identifier": $0, "sender": "w-nws.webmaster@noaa.gov", "sent": "2026-12-01T10:00:00-05:00"]
            }
            features[0]["properties"] = properties
            document["features"] = features
            return try JSONSerialization.data(withJSONObject: document)
        }
        feed.publish(try version("nws-hurricane-florida.json", identifier: "v1", type: "Alert", references: []), type: "application/geo+json")
        var summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.told, 1)
        // A resend as an update: nothing a traveller reads changed, so nobody is told again and v2 has no rows.
        feed.publish(try version("nws-hurricane-florida.json", identifier: "v2", type: "Update", references: ["v1"]), type: "application/geo+json")
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(300))
        XCTAssertEqual([summary.updated, summary.told], [1, 0])
        // The cancel names v2 only: the traveller told about v1 still hears it is lifted, and their row ends.
        feed.publish(try version("nws-hurricane-florida.json", identifier: "v3", type: "Cancel", references: ["v2"]), type: "application/geo+json")
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now().addingTimeInterval(600))
        XCTAssertEqual([summary.cancelled, summary.lifted], [1, 1])
        let rows = try await TravellerAlert.query(on: app.db).all()
        XCTAssertEqual(rows.count, 1)
        XCTAssertNotNil(rows.first?.liftedAt)
        XCTAssertEqual(rows.first?.endsAt, app.clock.now().addingTimeInterval(600))
        try await feed.stop()
    }

    func testTwoProcessesTellingTheSameAlertAtOnceTellEachTravellerOnce() async throws {
        let now = ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z")!
        app.clock.set(now)
        app.backgroundWork.isDisabled = true
        let agency = try await makeAgency("Horizon", language: .fr)
        for k in 0..<5 {
            _ = try await makeTrip(
                for: agency, departure: ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z")!, destination: "us-mia", reference: "HZ-\(k)")
        }
        try await makeWhatsAppEndpoint("us-mia", id: "MIA1")
        let alert = try XCTUnwrap(NWSAlerts.parse(try Self.fixture("nws-hurricane-florida.json")).alerts.first)
        let row = WeatherAlert(alert, feedID: nil, sourceURL: nil, now: now)
        try await row.create(on: app.db)
        // Batches small enough that both processes write several, racing on the same travellers.
        let app = self.app!
        async let first = WeatherAlerts.tell(row, alert: alert, app: app, now: now)
        async let second = WeatherAlerts.tell(row, alert: alert, app: app, now: now)
        let told = try await [first, second]
        XCTAssertEqual(told.reduce(0, +), 5, "five travellers, told once between the two: \(told)")
        let rows = try await TravellerAlert.query(on: app.db).count()
        XCTAssertEqual(rows, 5)
        let queued = try await OutboxEntry.query(on: app.db).count()
        XCTAssertEqual(queued, 5, "no message of a rolled-back batch survives")
    }

    func testACAPCycloneUpdateSaysWhatChangedAndItsCancelEndsItAcrossTheBahamas() async throws {
        let feed = try await weatherFeed(at: ISO8601DateFormatter().date(from: "2026-12-01T18:00:00Z")!, format: "gdacs")
        let agency = try await makeAgency("Horizon", language: .en)
        let trip = try await makeTrip(
            for: agency, departure: ISO8601DateFormatter().date(from: "2026-11-30T15:00:00Z")!, destination: "bs-nas", reference: "HZ-NAS")
        try await makeWhatsAppEndpoint("bs-nas", id: "NAS1")
        // GDACS's RSS with the CAP alert embedded in its item.
        let cap = String(decoding: try Self.fixture("gdacs-cyclone-bahamas.xml"), as: UTF8.self)
            .replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
        let rss = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:gdacs="http://www.gdacs.org"><channel><title>GDACS</title>
            <item><title>Red alert for tropical cyclone</title>\(cap)</item></channel></rss>
            """
        feed.publish(Data(rss.utf8), type: "application/rss+xml")
        var summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        let feedError = try await AlertFeed.query(on: app.db).first()?.lastError
        XCTAssertEqual(summary.added, 1, String(describing: feedError))
        XCTAssertEqual(summary.told, 1)

        _ = try await OutboxSender.runDue(app: app)
        app.clock.advance(by: 3600)
        feed.publish(try Self.fixture("cap-update.xml"), type: "application/cap+xml")
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.updated, 1)
        XCTAssertEqual(summary.told, 1, "the update is told, with what changed")
        let newest = try await TravellerAlert.query(on: app.db).sort(\.$createdAt, .descending).first()
        let update = try XCTUnwrap(newest)
        XCTAssertTrue(update.changes?.contains("severity") == true)
        _ = try await OutboxSender.runDue(app: app)
        let last = try XCTUnwrap(graph.requests.last?.json["template"] as? [String: Any])
        let parameters = ((last["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        XCTAssertTrue(parameters?[1].contains("mise à jour : gravité") == true, String(describing: parameters))
        XCTAssertEqual(parameters?.last, "919", "the Bahamas' emergency number")

        feed.publish(try Self.fixture("cap-cancel.xml"), type: "application/cap+xml")
        app.clock.advance(by: 3600)
        summary = try await WeatherAlerts.pollAll(app: app, now: app.clock.now())
        XCTAssertEqual(summary.cancelled, 1)
        let value15 = try await WeatherAlert.query(on: app.db).filter(\.$state == .active).count()
        XCTAssertEqual(value15, 0)
        let value16 = try await TravellerAlert.query(on: app.db).filter(\.$tripID == trip.id).count()
        XCTAssertEqual(value16, 2)
        try await feed.stop()
    }

    // MARK: API and admin

    func testTheAlertsAPIListsOnlyTheAgencysOwnWithFiltersAndPages() async throws {
        let a = try await makeAgency("A", language: .en)
        let b = try await makeAgency("B", language: .en)
        let keyA = try await makeApiKey(for: a)
        let keyB = try await makeApiKey(for: b)
        let trip = try await makeTrip(for: a, departure: Date().addingTimeInterval(86400))
        for (i, kind) in [TravellerAlertKind.weather, .flight, .weather].enumerated() {
            let alert = TravellerAlert()
            alert.agencyID = try a.requireID()
            alert.tripID = trip.id
            alert.kind = kind
            alert.event = kind == .weather ? "Hurricane Warning" : "cancelled"
            alert.headline = "Alert \(i)"
            alert.sourceKey = "test:\(i)"
            alert.createdAt = Date().addingTimeInterval(Double(i))
            try await alert.create(on: app.db)
        }
        let all = try await app.sendRequest(.GET, "/api/v1/alerts?limit=2", headers: apiHeaders(keyA))
        XCTAssertEqual(all.status, .ok)
        let page = jsonObject(all)
        XCTAssertEqual((page["items"] as? [[String: Any]])?.compactMap { $0["headline"] as? String }, ["Alert 2", "Alert 1"])
        let next = try XCTUnwrap(page["next"] as? String)
        let second = jsonObject(try await app.sendRequest(.GET, next, headers: apiHeaders(keyA)))
        XCTAssertEqual((second["items"] as? [[String: Any]])?.compactMap { $0["headline"] as? String }, ["Alert 0"])
        let flights = jsonObject(try await app.sendRequest(.GET, "/api/v1/alerts?kind=flight", headers: apiHeaders(keyA)))
        XCTAssertEqual((flights["items"] as? [[String: Any]])?.count, 1)
        let none = jsonObject(try await app.sendRequest(.GET, "/api/v1/alerts", headers: apiHeaders(keyB)))
        XCTAssertEqual((none["items"] as? [[String: Any]])?.count, 0, "another agency's key sees none")
        let foreignCursor = try await app.sendRequest(.GET, next.replacingOccurrences(of: "limit=2", with: "limit=5"), headers: apiHeaders(keyB))
        XCTAssertEqual(foreignCursor.status, .unprocessableEntity, "a cursor of another agency's list pages nothing")
        let bad = try await app.sendRequest(.GET, "/api/v1/alerts?kind=tsunami&trip=x", headers: apiHeaders(keyA))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let fields = (jsonObject(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        XCTAssertEqual(fields, ["kind", "trip"])
        let value17 = try await app.sendRequest(.GET, "/api/v1/alerts", headers: apiHeaders(nil)).status
        XCTAssertEqual(value17, .unauthorized)
    }

    func testOnlyAnOnSpotAdminSetsTheThresholdsWithinTheirBounds() async throws {
        try await makeUser("ops@onspot.example", role: .onspotAdmin, agency: nil, language: .en)
        let admin = try await signedIn("ops@onspot.example")
        _ = try await admin.get("/admin/alerts")
        let refused = try await admin.post("/admin/alerts", form: ["departureDelay": "5", "arrivalDelay": "abc"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("A whole number of minutes from 15 to 720."))
        let saved = try await admin.post("/admin/alerts", form: ["departureDelay": "90", "arrivalDelay": "180"])
        XCTAssertEqual(saved.status, .seeOther)
        let value18 = try await FlightAlerts.thresholds(on: app.db)
        XCTAssertEqual(value18, FlightAlertThresholds(departureDelayMinutes: 90, arrivalDelayMinutes: 180))
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let agencyAdmin = try await signedIn("admin@a.example")
        let value19 = try await agencyAdmin.get("/admin/alerts").status
        XCTAssertEqual(value19, .notFound, "admin pages do not exist for an agency")
        let value20 = try await agencyAdmin.post("/admin/alerts", form: ["departureDelay": "15", "arrivalDelay": "15"]).status
        XCTAssertEqual(value20, .notFound)
    }
}
