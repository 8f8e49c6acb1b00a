import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class AdminAndPlatformTests: ServerTestCase {
    func testReferenceDataIsInstalled() async throws {
        let destinations = try await DestinationRecord.query(on: app.db).all()
        XCTAssertGreaterThanOrEqual(destinations.count, 30)
        let nyc = try XCTUnwrap(destinations.first { $0.code == "us-nyc" })
        XCTAssertEqual(nyc.hours.closures, ClosureDay.contractual)
        XCTAssertEqual(nyc.hours.weekly.count, 7)
        let plans = try await PlanRecord.query(on: app.db).sort(\.$code).all()
        XCTAssertEqual(plans.map(\.code), [.light, .plus])
        XCTAssertEqual(plans.map(\.refundNoticeHours), [168, 24])
        XCTAssertEqual(plans.map(\.whiteLabel), [false, true])
    }

    func testOnSpotAdminEditsDestinationHoursAndNumbers() async throws {
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let browser = try await signedIn("admin@onspot.example")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let path = "/admin/destinations/\(nyc.id!)"
        let page = try await browser.get(path)
        XCTAssertEqual(page.status, .ok)
        var form: [String: String] = [
            "name": "New York City", "timeZone": "America/New_York", "tollFree": "+1 800 555 0199",
            "whatsApp": "+1 213 555 0199", "email": "nyc@onspot.example", "emergencyNumber": "911",
            "active": "on", "messengerPage": "onspot.nyc"
        ]
        for day in 1...7 { form["hours[\(day)]"] = "08:00-12:00,13:00-21:00" }
        form["hours[7]"] = ""
        form["hours[3]"] = "12:00-08:00"
        let bad = try await browser.post(path, form: form, multiValue: [("languages[]", "fr"), ("languages[]", "en")])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("id=\"hours.3-error\""))
        form["hours[3]"] = "09:00-17:00"
        let ok = try await browser.post(path, form: form, multiValue: [("languages[]", "fr"), ("languages[]", "en")])
        XCTAssertEqual(ok.status, .seeOther, ok.body.string)
        let saved = try await DestinationRecord.find(nyc.id, on: app.db)!
        XCTAssertEqual(saved.tollFreeNumber, "+18005550199")
        XCTAssertEqual(saved.hours.weekly[.sunday], [])
        XCTAssertEqual(OpeningHours.formatSlots(saved.hours.weekly[.wednesday]!), "09:00-17:00")
        XCTAssertEqual(saved.messengerPage, "onspot.nyc")
    }

    func testChannelSecretsAreWriteOnly() async throws {
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let path = "/admin/destinations/\(nyc.id!)/endpoints"
        let agencyAdmin = try await signedIn("admin@a.example")
        let refused = try await agencyAdmin.post(path, form: ["channel": "whatsapp", "externalID": "1065", "appSecret": "s3cret-value"])
        XCTAssertEqual(refused.status, .notFound)
        let admin = try await signedIn("admin@onspot.example")
        _ = try await admin.get("/admin/destinations/\(nyc.id!)")
        let bad = try await admin.post(path, form: ["channel": "pigeon", "externalID": "", "appSecret": "x"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let said = bad.body.string
        XCTAssertTrue(
            Language.allCases.contains { said.contains(L10n.t("error.too_short", $0)) }, "a one-letter app secret is too short, not missing")
        let spaced = try await admin.post(path, form: ["channel": "whatsapp", "externalID": "10 65", "appSecret": "s3cret-value"])
        XCTAssertEqual(spaced.status, .unprocessableEntity)
        XCTAssertTrue(Language.allCases.contains { spaced.body.string.contains(L10n.t("error.characters", $0)) })
        let saved = try await admin.post(
            path,
            form: [
                "channel": "whatsapp", "externalID": "106540352242922",
                "appSecret": "super-secret-app-value", "verifyToken": "verify-token-value"
            ])
        XCTAssertEqual(saved.status, .seeOther)
        let page = try await admin.get("/admin/destinations/\(nyc.id!)")
        XCTAssertTrue(page.body.string.contains("106540352242922"))
        XCTAssertFalse(page.body.string.contains("super-secret-app-value"), "a secret is never shown again")
        XCTAssertFalse(page.body.string.contains("verify-token-value"))
        let stored = try await ChannelEndpoint.query(on: app.db).first()
        XCTAssertEqual(stored?.appSecret, "super-secret-app-value")
    }

    func testOnSpotAdminEditsPlansAndTheGridVersionMoves() async throws {
        try await makeUser("admin@onspot.example", role: .onspotAdmin, agency: nil)
        let browser = try await signedIn("admin@onspot.example")
        let plus = try await PlanRecord.query(on: app.db).filter(\.$code == .plus).first()!
        let form = [
            "name": "PLUS", "billingMode": "monthly_invoice", "refundNoticeHours": "24", "whiteLabel": "on",
            "pricePerTravellerDay": "5,20", "minimumPerTrip": "45", "currency": "EUR"
        ]
        let res = try await browser.post("/admin/plans/\(plus.id!)", form: form)
        XCTAssertEqual(res.status, .seeOther)
        let saved = try await PlanRecord.find(plus.id, on: app.db)!
        XCTAssertEqual(saved.pricePerTravellerDayMinor, 520)
        XCTAssertEqual(saved.gridVersion, plus.gridVersion + 1)
        var bad = form
        bad["refundNoticeHours"] = "-3"
        bad["pricePerTravellerDay"] = "free"
        let refused = try await browser.post("/admin/plans/\(plus.id!)", form: bad)
        XCTAssertEqual(refused.status, .unprocessableEntity)
    }

    func testAuditLogIsAChainThatShowsTampering() async throws {
        let agency = try await makeAgency("A")
        _ = try await makeTrip(for: agency, departure: Date().addingTimeInterval(9 * 86400))
        _ = try await makeTrip(for: agency, departure: Date().addingTimeInterval(10 * 86400))
        let entries = try await AuditEntry.query(on: app.db).sort(\.$sequence).all()
        XCTAssertGreaterThanOrEqual(entries.count, 3)
        XCTAssertEqual(entries.map(\.sequence), Array(1...Int64(entries.count)))
        let intact = try await AuditLog.verify(on: app.db)
        XCTAssertNil(intact)
        let victim = entries[1]
        victim.detail = "{\"travellers\":\"99\"}"
        try await victim.save(on: app.db)
        let broken = try await AuditLog.verify(on: app.db)
        XCTAssertEqual(broken, victim.sequence)
    }

    func testReadingATripIsAudited() async throws {
        let agency = try await makeAgency("A")
        let user = try await makeUser("agent@a.example", role: .agencyAgent, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(9 * 86400))
        let browser = try await signedIn("agent@a.example")
        _ = try await browser.get("/trips/\(trip.id!)")
        let read = try await AuditEntry.query(on: app.db).filter(\.$action == "traveller_data.read").first()
        XCTAssertEqual(read?.actorUserID, user.id)
        XCTAssertEqual(read?.subjectID, trip.id?.uuidString)
    }

    func testStaticAssetsHealthAndUnknownPages() async throws {
        let r92 = try await app.sendRequest(.GET, "/health")
        XCTAssertEqual(r92.body.string, "ok")
        let css = try await app.sendRequest(.GET, "/static/app.css")
        XCTAssertEqual(css.headers.contentType?.subType, "css")
        let missing = try await app.sendRequest(.GET, "/no/such/page")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertEqual(missing.headers.contentType, .html)
        let apiMissing = try await app.sendRequest(.GET, "/api/v1/nothing")
        XCTAssertEqual(apiMissing.status, .notFound)
        XCTAssertEqual(apiMissing.headers.contentType?.subType, "problem+json")
    }
}

final class ConfigurationTests: XCTestCase {
    func testProductionRefusesToStartWithoutItsSecretAndNamesIt() {
        XCTAssertThrowsError(try AppConfiguration.load(environment: ["ONSPOT_MODE": "production"], flags: .init())) { error in
            XCTAssertTrue(String(describing: error).contains("ONSPOT_SECRET_KEY"))
        }
        XCTAssertThrowsError(try AppConfiguration.load(environment: ["ONSPOT_MODE": "production", "ONSPOT_SECRET_KEY": "short"], flags: .init()))
        XCTAssertThrowsError(
            try AppConfiguration.load(
                environment: ["ONSPOT_MODE": "production", "ONSPOT_SECRET_KEY": String(repeating: "k", count: 40)],
                flags: .init())
        ) { error in
            XCTAssertTrue(String(describing: error).contains("ONSPOT_STRIPE_SECRET_KEY"), "no development gateway in production")
        }
        let complete = [
            "ONSPOT_MODE": "production", "ONSPOT_SECRET_KEY": String(repeating: "k", count: 40),
            "ONSPOT_PUBLIC_URL": "https://connect.example", "ONSPOT_STRIPE_SECRET_KEY": "sk_live_x",
            "ONSPOT_STRIPE_WEBHOOK_SECRET": "whsec_x"
        ]
        // Without a mail transport, reset and approval links would only reach the log: refused unless mail is off on purpose.
        XCTAssertThrowsError(try AppConfiguration.load(environment: complete, flags: .init())) { error in
            XCTAssertTrue(String(describing: error).contains("ONSPOT_SMTP_HOST"), String(describing: error))
        }
        XCTAssertEqual(try AppConfiguration.load(environment: complete.merging(["ONSPOT_MAIL": "off"]) { $1 }, flags: .init()).mailDisabled, true)
        XCTAssertThrowsError(
            try AppConfiguration.load(
                environment: complete.merging([
                    "ONSPOT_SMTP_HOST": "smtp.example",
                    "ONSPOT_TRUSTED_PROXIES": "10.0.0.0/33"
                ]) { $1 }, flags: .init()))
        let ok = try? AppConfiguration.load(environment: complete.merging(["ONSPOT_SMTP_HOST": "smtp.example"]) { $1 }, flags: .init())
        XCTAssertEqual(ok?.secureCookies, true)
        XCTAssertEqual(ok?.stripeSecretKey, "sk_live_x")
        var demo = AppConfiguration.Flags()
        demo.demo = true
        XCTAssertThrowsError(
            try AppConfiguration.load(
                environment: ["ONSPOT_MODE": "production", "ONSPOT_SECRET_KEY": String(repeating: "k", count: 40)],
                flags: demo))
    }

    func testDevelopmentGeneratesItsSecretOnceBesideTheDatabase() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onspot-config-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var flags = AppConfiguration.Flags()
        flags.databasePath = "\(dir)/onspot.sqlite"
        let first = try AppConfiguration.load(environment: [:], flags: flags)
        let second = try AppConfiguration.load(environment: [:], flags: flags)
        XCTAssertEqual(first.secretKey, second.secretKey)
        XCTAssertGreaterThanOrEqual(first.secretKey.count, 40)
        XCTAssertEqual(first.database, .sqliteFile("\(dir)/onspot.sqlite"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/.secrets.json"))
        XCTAssertFalse(first.secureCookies)
    }

    func testDatabaseURLAndFlags() throws {
        let pg = try AppConfiguration.load(environment: ["DATABASE_URL": "postgres://u:p@127.0.0.1/db", "ONSPOT_SECRET_KEY": "x"], flags: .init())
        XCTAssertEqual(pg.database, .postgres("postgres://u:p@127.0.0.1/db"))
        XCTAssertThrowsError(try AppConfiguration.load(environment: ["DATABASE_URL": "mysql://x"], flags: .init()))
        let (flags, rest) = try AppConfiguration.extractFlags(["onspot", "serve", "--demo", "--database", "/tmp/x.sqlite", "--port", "9000"])
        XCTAssertTrue(flags.demo)
        XCTAssertEqual(flags.databasePath, "/tmp/x.sqlite")
        XCTAssertEqual(rest, ["onspot", "serve", "--port", "9000"])
        XCTAssertThrowsError(try AppConfiguration.extractFlags(["onspot", "--database"]))
    }
}
