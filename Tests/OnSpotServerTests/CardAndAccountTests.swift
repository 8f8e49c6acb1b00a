import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class CardAndAccountTests: ServerTestCase {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])

    func multipart(_ browser: TestBrowser, fields: [String: String], file: (String, String, Data)?) -> (HTTPMediaType, ByteBuffer) {
        let boundary = "----onspot-test-boundary"
        var body = Data()
        for (k, v) in fields.merging(["_csrf": browser.csrf ?? ""], uniquingKeysWith: { a, _ in a }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        if let (name, type, data) = file {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
            body += data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        var buffer = ByteBufferAllocator().buffer(capacity: body.count)
        buffer.writeBytes(body)
        return (HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]), buffer)
    }

    func testAssistanceCardShowsTheDestinationsLinesInTheTravellersLanguage() async throws {
        let agency = try await makeAgency("A", plan: .light)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(5 * 86400), destination: "br-rio")
        // A LIGHT trip's card works once the trip is paid (issue 18, item 2; LightPaysFirstTests shows the unpaid side).
        trip.servicePaidAt = Date()
        try await trip.save(on: app.db)
        let token = trip.travellerLinks[0].cardToken
        let rio = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!
        let res = try await app.sendRequest(.GET, "/card/\(token)?lang=pt")
        XCTAssertEqual(res.status, .ok)
        let html = res.body.string
        XCTAssertTrue(html.contains("tel:\(rio.tollFreeNumber)"))
        XCTAssertTrue(html.contains("https://wa.me/\(rio.whatsAppNumber.dropFirst())"))
        XCTAssertTrue(html.contains("mailto:\(rio.email)"))
        XCTAssertTrue(html.contains("Cartão de assistência"))
        XCTAssertTrue(html.contains(HTML.escape(L10n.t("card.closed_days", .pt))))
        XCTAssertTrue(html.contains("America/Sao_Paulo"))
        XCTAssertTrue(html.contains("OnSpot"), "LIGHT cards carry OnSpot's name")
        XCTAssertEqual(res.headers.first(name: "Referrer-Policy"), "no-referrer")
        let print = try await app.sendRequest(.GET, "/card/\(token)/print")
        XCTAssertTrue(print.body.string.contains("@page{size:85.6mm 54mm"))
        let vcard = try await app.sendRequest(.GET, "/card/\(token)/vcard")
        XCTAssertEqual(vcard.headers.contentType?.description.hasPrefix("text/vcard"), true)
        XCTAssertTrue(vcard.body.string.contains("TEL;TYPE=voice;VALUE=uri:tel:\(rio.tollFreeNumber)"))
        for bad in ["nope", String(repeating: "a", count: 43), String(repeating: "a", count: 500)] {
            let res = try await app.sendRequest(.GET, "/card/\(bad)")
            XCTAssertEqual(res.status, .notFound)
        }
    }

    func testPlusBrandingOnCardsAndItsRemovalOnUnsubscribe() async throws {
        let agency = try await makeAgency("Horizon", plan: .plus)
        try await makeUser("admin@h.example", role: .agencyAdmin, agency: agency)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(5 * 86400))
        let token = trip.travellerLinks[0].cardToken
        let browser = try await signedIn("admin@h.example")
        _ = try await browser.get("/branding")
        let svg = multipart(
            browser, fields: ["displayName": "Horizon Assist", "colour": "#123abc"],
            file: ("logo.png", "image/png", Data("<svg onload=alert(1)></svg>".utf8)))
        let refused = try await browser.postRaw("/branding", contentType: svg.0, body: svg.1)
        XCTAssertEqual(refused.status, .unprocessableEntity, "an SVG is refused even when it claims to be a PNG")
        let badColour = multipart(browser, fields: ["displayName": "Horizon Assist", "colour": "red;}"], file: nil)
        let r65 = try await browser.postRaw("/branding", contentType: badColour.0, body: badColour.1)
        XCTAssertEqual(r65.status, .unprocessableEntity)
        let big = multipart(browser, fields: ["displayName": "H"], file: ("logo.png", "image/png", Self.png + Data(count: 210 * 1024)))
        let r67 = try await browser.postRaw("/branding", contentType: big.0, body: big.1)
        XCTAssertEqual(r67.status, .unprocessableEntity)
        let good = multipart(browser, fields: ["displayName": "Horizon Assist", "colour": "#123ABC"], file: ("logo.png", "image/png", Self.png))
        let saved = try await browser.postRaw("/branding", contentType: good.0, body: good.1)
        XCTAssertEqual(saved.status, .seeOther)

        let card = try await app.sendRequest(.GET, "/card/\(token)")
        XCTAssertTrue(card.body.string.contains("Horizon Assist"))
        XCTAssertTrue(card.body.string.contains("--brand:#123abc"))
        let logo = try await app.sendRequest(.GET, "/card/\(token)/logo")
        XCTAssertEqual(logo.status, .ok)
        XCTAssertEqual(logo.headers.contentType?.description, "image/png")

        _ = try await browser.get("/account")
        let unsubscribed = try await browser.post("/account/unsubscribe", form: ["confirm": "yes"])
        XCTAssertEqual(unsubscribed.status, .seeOther)
        let closed = try await Agency.find(agency.id, on: app.db)!
        XCTAssertEqual(closed.status, .closed)
        XCTAssertNil(closed.brandLogo)
        let after = try await app.sendRequest(.GET, "/card/\(token)")
        XCTAssertFalse(after.body.string.contains("Horizon Assist"), "branding stops at unsubscription (2.11)")
        let r87 = try await app.sendRequest(.GET, "/card/\(token)/logo")
        XCTAssertEqual(r87.status, .notFound)
        let again = try await TestBrowser(app: app).post("/login", form: ["email": "admin@h.example", "password": Self.password])
        XCTAssertEqual(again.status, .unauthorized)
    }

    func testBrandingIsRefusedOnLight() async throws {
        let agency = try await makeAgency("L", plan: .light)
        try await makeUser("admin@l.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@l.example")
        let page = try await browser.get("/branding")
        XCTAssertTrue(page.body.string.contains(L10n.t("error.plus_only", .fr)))
        let form = multipart(browser, fields: ["displayName": "X"], file: nil)
        let res = try await browser.postRaw("/branding", contentType: form.0, body: form.1)
        XCTAssertEqual(res.status, .forbidden)
    }

    func testApiKeysAreShownOnceStoredHashedAndRevocable() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@a.example")
        let empty = try await browser.post("/api-keys", form: ["name": ""])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        let created = try await browser.post("/api-keys", form: ["name": "Salesforce"])
        XCTAssertEqual(created.status, .created)
        let html = created.body.string
        let range = try XCTUnwrap(html.range(of: #"osk_[A-Za-z0-9_-]{40,}"#, options: .regularExpression))
        let secret = String(html[range])
        let works = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(secret))
        XCTAssertEqual(works.status, .ok)
        let list = try await browser.get("/api-keys")
        XCTAssertFalse(list.body.string.contains(secret), "never shown again")
        let key = try await ApiKey.query(on: app.db).first()!
        XCTAssertFalse(key.keyHash.contains(secret))
        let revoked = try await browser.post("/api-keys/\(key.id!)/revoke", form: [:])
        XCTAssertEqual(revoked.status, .seeOther)
        let refused = try await app.sendRequest(.GET, "/api/v1/trips", headers: apiHeaders(secret))
        XCTAssertEqual(refused.status, .unauthorized)
    }

    func testAgencyAdminAddsAndDeactivatesUsers() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("admin@a.example", role: .agencyAdmin, agency: agency)
        let browser = try await signedIn("admin@a.example")
        let bad = try await browser.post("/users", form: ["name": "X", "email": "x", "role": Role.onspotAdmin.rawValue])
        XCTAssertEqual(bad.status, .unprocessableEntity, "an agency cannot create OnSpot staff")
        let added = try await browser.post("/users", form: ["name": "Nina", "email": "nina@a.example", "role": "agency_agent", "language": "en"])
        XCTAssertEqual(added.status, .seeOther)
        let nina = try await User.query(on: app.db).filter(\.$email == "nina@a.example").first()!
        XCTAssertEqual(nina.$agency.id, agency.id)
        let mail = try await NotificationRecord.query(on: app.db).filter(\.$recipient == "nina@a.example").first()
        XCTAssertEqual(mail?.kind, .passwordReset)
        _ = try await browser.get("/users")
        let deactivated = try await browser.post("/users/\(nina.id!)/deactivate", form: [:])
        XCTAssertEqual(deactivated.status, .seeOther)
        let reloaded = try await User.find(nina.id, on: app.db)!
        XCTAssertFalse(reloaded.active)
    }
}
