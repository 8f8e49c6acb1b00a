import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

final class AuthTests: ServerTestCase {
    func signupForm(_ email: String = "claire@agence.example") -> [String: String] {
        [
            "agencyName": "Agence Soleil", "contactName": "Claire", "email": email, "contactPhone": "+33 1 23 45 67 89",
            "currency": "EUR", "timeZone": "Europe/Paris", "language": "fr", "plan": "PLUS", "password": "a long enough password"
        ]
    }

    func testSignUpCreatesAgencyAdminAndFirstScopeVersionThenOpensTheQuestionnaire() async throws {
        // setup
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/signup")
        // MUT
        let res = try await browser.post("/signup", form: signupForm())
        // validate
        XCTAssertEqual(res.status, .seeOther)
        XCTAssertEqual(res.location, "/scope?welcome=1")
        let agency = try await Agency.query(on: app.db).filter(\.$name == "Agence Soleil").with(\.$plan).first()
        XCTAssertEqual(agency?.plan.code, .plus)
        XCTAssertEqual(agency?.contactPhone, "+33123456789")
        let user = try await User.query(on: app.db).filter(\.$email == "claire@agence.example").first()
        XCTAssertEqual(user?.role, .agencyAdmin)
        XCTAssertNotEqual(user?.passwordHash, "a long enough password")
        XCTAssertTrue(try Bcrypt.verify("a long enough password", created: user!.passwordHash))
        let versions = try await ScopeVersion.query(on: app.db).filter(\.$agency.$id == agency!.requireID()).count()
        XCTAssertEqual(versions, 1)
        let scope = try await browser.get("/scope?welcome=1")
        XCTAssertEqual(scope.status, .ok)
        XCTAssertTrue(scope.body.string.contains("Champ d&#39;action"))
    }

    func testSignUpRejectsBadInputFieldByFieldAndKeepsWhatWasTyped() async throws {
        let browser = TestBrowser(app: app)
        var form = signupForm("not-an-email")
        form["timeZone"] = "Mars/Olympus"
        form["plan"] = "GOLD"
        form["password"] = "short"
        form["contactPhone"] = "01 23"
        let res = try await browser.post("/signup", form: form)
        XCTAssertEqual(res.status, .unprocessableEntity)
        let html = res.body.string
        for field in ["email", "timeZone", "plan", "password", "contactPhone"] {
            XCTAssertTrue(html.contains("id=\"\(field)-error\""), "no error shown for \(field)")
        }
        XCTAssertTrue(html.contains("value=\"Agence Soleil\""))
        XCTAssertFalse(html.contains("value=\"short\""), "passwords are never echoed")
        let agencies = try await Agency.query(on: app.db).count()
        XCTAssertEqual(agencies, 0)
    }

    /// The sign-up form is public: a zone name Foundation would trap on ("GMT+01:/0") is refused like any unknown one.
    func testSignUpRefusesAZoneNameFoundationWouldTrapOn() async throws {
        for zone in ["GMT+01:/0", "GMT+01:a0"] {
            var form = signupForm()
            form["timeZone"] = zone
            let res = try await TestBrowser(app: app).post("/signup", form: form)
            XCTAssertEqual(res.status, .unprocessableEntity, zone)
            XCTAssertTrue(res.body.string.contains("id=\"timeZone-error\""), zone)
        }
    }

    func testSignUpWithAnEmailInUseIsRefused() async throws {
        try await makeUser("claire@agence.example", role: .expert, agency: nil)
        let res = try await TestBrowser(app: app).post("/signup", form: signupForm())
        XCTAssertEqual(res.status, .unprocessableEntity)
        XCTAssertTrue(res.body.string.contains(L10n.t("error.email_taken", .fr).replacingOccurrences(of: "'", with: "&#39;")))
    }

    func testFormsWithoutTheCSRFTokenAreRefused() async throws {
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/signup")
        let res = try await browser.post("/signup", form: signupForm(), csrf: "forged")
        XCTAssertEqual(res.status, .forbidden)
        let count = try await Agency.query(on: app.db).count()
        XCTAssertEqual(count, 0)
    }

    func testSignInSetsAHardenedSessionCookieAndSignOutEndsIt() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/login")
        let res = try await browser.post("/login", form: ["email": "A@A.example ", "password": Self.password, "next": "/trips"])
        XCTAssertEqual(res.status, .seeOther)
        XCTAssertEqual(res.location, "/trips")
        let cookie = try XCTUnwrap(res.headers.setCookie?["onspot_session"])
        XCTAssertTrue(cookie.isHTTPOnly)
        XCTAssertEqual(cookie.sameSite, .lax)
        let trips = try await browser.get("/trips")
        XCTAssertEqual(trips.status, .ok)
        let out = try await browser.post("/logout", form: [:])
        XCTAssertEqual(out.status, .seeOther)
        let after = try await browser.get("/trips")
        XCTAssertEqual(after.status, .seeOther)
        XCTAssertTrue(after.location?.hasPrefix("/login") == true)
    }

    func testSignInNeverRedirectsOffSite() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let res = try await TestBrowser(app: app).post(
            "/login",
            form: [
                "email": "a@a.example", "password": Self.password,
                "next": "//evil.example/phish"
            ])
        XCTAssertEqual(res.location, "/")
    }

    func testRepeatedWrongPasswordsAreThrottled() async throws {
        let agency = try await makeAgency("A")
        try await makeUser("a@a.example", role: .agencyAdmin, agency: agency)
        let browser = TestBrowser(app: app)
        for _ in 0..<5 {
            let res = try await browser.post("/login", form: ["email": "a@a.example", "password": "wrong password"])
            XCTAssertEqual(res.status, .unauthorized)
        }
        // Even the right password is refused while throttled.
        let res = try await browser.post("/login", form: ["email": "a@a.example", "password": Self.password])
        XCTAssertEqual(res.status, .tooManyRequests)
        XCTAssertTrue(res.body.string.contains("15 minutes"))
    }

    func testPasswordResetByEmailedSingleUseLink() async throws {
        let agency = try await makeAgency("A")
        let user = try await makeUser("a@a.example", role: .agencyAgent, agency: agency, language: .en)
        // The link is read from the mail as delivered over SMTP: the stored notification keeps it redacted.
        let smtp = try SMTPStandIn()
        defer { smtp.stop() }
        app.mailTransport = SMTPTransport(host: "127.0.0.1", port: smtp.port, from: "no-reply@onspot.example", group: app.eventLoopGroup)
        let browser = TestBrowser(app: app)
        let unknown = try await browser.post("/password/forgot", form: ["email": "nobody@a.example"])
        let known = try await browser.post("/password/forgot", form: ["email": "a@a.example"])
        XCTAssertEqual(unknown.status, .ok)
        XCTAssertEqual(known.status, .ok)
        XCTAssertEqual(
            unknown.body.string.contains(L10n.t("auth.reset_sent", .fr).replacingOccurrences(of: "'", with: "&#39;")),
            known.body.string.contains(L10n.t("auth.reset_sent", .fr).replacingOccurrences(of: "'", with: "&#39;")),
            "the answer does not reveal whether the account exists")
        let mails = try await NotificationRecord.query(on: app.db).filter(\.$kind == .passwordReset).all()
        XCTAssertEqual(mails.count, 1)
        XCTAssertEqual(mails[0].recipient, "a@a.example")
        XCTAssertEqual(mails[0].status, .sent)
        XCTAssertTrue(mails[0].subject.contains("password reset"), "mail in the user's language")
        let delivered = SMTPStandIn.decode(try XCTUnwrap(smtp.messages.first?.data)).1
        let token = try XCTUnwrap(delivered.components(separatedBy: "token=").last?.components(separatedBy: CharacterSet.newlines).first)
        XCTAssertFalse(mails[0].body.contains(token), "the stored notification does not hold the reset link")
        let stored = try await PasswordReset.query(on: app.db).first()
        XCTAssertNotEqual(stored?.tokenHash, token, "only the digest is stored")

        let resetPage = try await browser.get("/password/reset?token=\(token)")
        XCTAssertEqual(resetPage.status, .ok)
        let short = try await browser.post("/password/reset", form: ["token": token, "password": "short"])
        XCTAssertEqual(short.status, .unprocessableEntity)
        let done = try await browser.post("/password/reset", form: ["token": token, "password": "a brand new password"])
        XCTAssertEqual(done.status, .seeOther)
        _ = try await browser.get("/login")
        let reused = try await browser.post("/password/reset", form: ["token": token, "password": "another new password"])
        XCTAssertEqual(reused.status, .badRequest)
        let reloaded = try await User.find(user.id, on: app.db)!
        XCTAssertTrue(try Bcrypt.verify("a brand new password", created: reloaded.passwordHash))
    }

    func testExpiredResetLinkIsRefused() async throws {
        let user = try await makeUser("a@x.example", role: .expert, agency: nil)
        let reset = PasswordReset()
        reset.$user.id = try user.requireID()
        reset.tokenHash = Tokens.sha256Hex("expired-token-123")
        reset.expiresAt = Date().addingTimeInterval(-1)
        reset.createdAt = Date().addingTimeInterval(-3601)
        try await reset.create(on: app.db)
        let res = try await TestBrowser(app: app).get("/password/reset?token=expired-token-123")
        XCTAssertEqual(res.status, .badRequest)
    }

    func testDeactivatedUsersAndClosedAgenciesCannotSignIn() async throws {
        let agency = try await makeAgency("A")
        let user = try await makeUser("a@a.example", role: .agencyAgent, agency: agency)
        user.active = false
        try await user.save(on: app.db)
        let res = try await TestBrowser(app: app).post("/login", form: ["email": "a@a.example", "password": Self.password])
        XCTAssertEqual(res.status, .unauthorized)
        let other = try await makeAgency("B")
        try await makeUser("b@b.example", role: .agencyAdmin, agency: other)
        other.status = .closed
        try await other.save(on: app.db)
        let closed = try await TestBrowser(app: app).post("/login", form: ["email": "b@b.example", "password": Self.password])
        XCTAssertEqual(closed.status, .unauthorized)
    }

    func testMalformedFormBodiesGetA400NotA500() async throws {
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/login")
        var buffer = ByteBufferAllocator().buffer(capacity: 10)
        buffer.writeString("_csrf=\(browser.csrf!)&email[]=a&email[x]=b")
        let res = try await browser.postRaw("/login", contentType: .urlEncodedForm, body: buffer)
        XCTAssertEqual(res.status, .badRequest)
    }
}
