import Fluent
import SQLKit
import Foundation
import OnSpotCore
import Vapor

enum AuthController {
    static let resetLifetime: TimeInterval = 3600
    /// Namespaces of the sign-in advisory locks (two-key form), apart from the single-key audit lock.
    static let loginLockNamespace = 7_261

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable static func loginPage(req: Request) async throws -> Response {
        if req.auth.has(User.self) { return req.redirect(to: .home) }
        return req.html(AuthViews.login(req: req, email: "", next: try? req.query.get(String.self, at: "next"), error: nil))
    }

    @Sendable static func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = EmailAddress.normalised(form.email ?? "")
        let lang = req.language
        let since = req.now.addingTimeInterval(-req.onspot.loginWindow)
        let ip = req.clientIP
        // The attempt is written as a failure before anything is checked, then counted: parallel guesses each see every
        // attempt written before theirs, so no more than the allowed number ever reach the password check.
        let attempt = LoginAttempt()
        attempt.email = email
        attempt.ip = ip
        attempt.succeeded = false
        attempt.createdAt = req.now
        // Written and counted in one transaction, serialised per account (SQLite's single writer; an advisory lock on
        // PostgreSQL), so each guess counts every guess before it and exactly the allowed number go on.
        let (failuresForEmail, failuresFromIP) = try await req.db.transaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                // Two-key locks in their own namespace, the address first then the account, always in that order.
                try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(loginLockNamespace)), hashtext(\(bind: "ip:" + ip)))").run()
                try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(loginLockNamespace + 1)), hashtext(\(bind: "email:" + email)))")
                    .run()
            }
            try await attempt.create(on: db)
            // Throttle on the account and on the address, so neither guessing one password nor spraying works.
            let forEmail = try await LoginAttempt.query(on: db)
                .filter(\.$email == email).filter(\.$succeeded == false).filter(\.$createdAt >= since).count()
            let fromIP = try await LoginAttempt.query(on: db)
                .filter(\.$ip == ip).filter(\.$succeeded == false).filter(\.$createdAt >= since).count()
            return (forEmail, fromIP)
        }
        if failuresForEmail > req.onspot.loginAttemptsPerWindow || failuresFromIP > req.onspot.loginAttemptsPerWindow * 4 {
            return req.html(
                AuthViews.login(req: req, email: email, next: form.next, error: L10n.t("auth.throttled", lang)),
                status: .tooManyRequests)
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let password = form.password ?? ""
        var ok = false
        // bcrypt on the thread pool: a burst of sign-ins never stalls the event loop that serves webhooks.
        if let user, user.active, password.count <= 200 {
            ok = (try? await req.password.async.verify(password, created: user.passwordHash)) ?? false
        } else {
            // Spend the same time as a real check so response time does not reveal which emails exist.
            _ = try? await req.password.async.verify(
                String(password.prefix(200)), created: "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5Jz3D5CJ1s9bqD9A0SyfVx1FS6u0Wle")
        }
        if ok, let user, let agencyID = user.$agency.id {
            let agency = try await Agency.find(agencyID, on: req.db)
            if agency?.isActive != true { ok = false }
        }
        if ok {
            attempt.succeeded = true
            try await attempt.save(on: req.db)
        }
        guard ok, let user else {
            return req.html(
                AuthViews.login(req: req, email: email, next: form.next, error: L10n.t("auth.invalid", lang)),
                status: .unauthorized)
        }
        user.lastLoginAt = req.now
        try await user.save(on: req.db)
        try await req.startSession(for: user)
        return req.redirect(to: safeNext(form.next))
    }

    /// Only paths of this site are followed after sign-in: no open redirect.
    static func safeNext(_ next: String?) -> String { LocalPath.validated(next) ?? SiteURL.home.path }

    @Sendable static func logout(req: Request) async throws -> Response {
        let lang = req.language
        // The console's live feed opened by this session ends with it.
        if let session = req.session.id?.string { await req.application.liveHub.close(session: session) }
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: SiteURL.login.with("?signed_out=1&lang=\(lang.rawValue)"))
    }

    // MARK: Sign-up

    struct SignupForm: Content {
        var agencyName: String?
        var legalName: String?
        var registrationNumber: String?
        var address: String?
        var countryCode: String?
        var contactName: String?
        var email: String?
        var contactPhone: String?
        var currency: String?
        var timeZone: String?
        var language: String?
        var plan: String?
        var password: String?
    }

    @Sendable static func signupPage(req: Request) async throws -> Response {
        req.html(
            AuthViews.signup(
                req: req,
                form: SignupForm(
                    currency: "EUR", timeZone: "Europe/Paris", language: req.language.rawValue,
                    plan: PlanCode.plus.rawValue), errors: []))
    }

    @Sendable static func signup(req: Request) async throws -> Response {
        let form = try req.content.decode(SignupForm.self)
        var errors: [FieldError] = []
        func required(_ value: String?, _ field: String, max: Int = 200) -> String {
            let v = (value ?? "").trimmingCharacters(in: .whitespaces)
            errors.append(TextField.check(v, field: field, limit: max))
            return v
        }
        let name = required(form.agencyName, "agencyName")
        let contact = required(form.contactName, "contactName")
        let email = EmailAddress.normalised(required(form.email, "email"))
        if !email.isEmpty && !EmailAddress.isValid(email) { errors.append(FieldError(field: "email", message: "error.email")) }
        var phone: String?
        if let raw = form.contactPhone?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let p = PhoneNumber(raw) { phone = p.e164 } else { errors.append(FieldError(field: "contactPhone", message: "error.phone_e164")) }
        }
        let currency = CurrencyCode(rawValue: form.currency ?? "")
        if currency == nil { errors.append(FieldError(field: "currency", message: "error.choice")) }
        let zone = form.timeZone.flatMap { TimeZones.named($0) }
        if zone == nil { errors.append(FieldError(field: "timeZone", message: "error.timezone")) }
        let language = Language(rawValue: form.language ?? "")
        if language == nil { errors.append(FieldError(field: "language", message: "error.language")) }
        var plan: PlanRecord?
        if let code = PlanCode(rawValue: form.plan ?? "") { plan = try await PlanRecord.query(on: req.db).filter(\.$code == code).first() }
        if plan == nil { errors.append(FieldError(field: "plan", message: "error.choice")) }
        let password = form.password ?? ""
        if password.count < 10 { errors.append(FieldError(field: "password", message: "error.password_short")) }
        if password.count > 200 { errors.append(FieldError(field: "password", message: "error.too_long")) }
        errors += TextField.check([
            (form.legalName, "legalName", false, 300), (form.registrationNumber, "registrationNumber", false, 300),
            (form.address, "address", false, 300)
        ])
        if !email.isEmpty, try await User.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.append(FieldError(field: "email", message: "error.email_taken"))
        }
        guard errors.isEmpty, let currency, let zone, let language, let plan else {
            var redisplay = form
            redisplay.password = nil
            return req.html(AuthViews.signup(req: req, form: redisplay, errors: errors), status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        let contactPhone = phone
        let user: User = try await req.db.transaction { db in
            let agency = Agency()
            agency.name = name
            agency.legalName = form.legalName?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            agency.registrationNumber = form.registrationNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            agency.address = form.address?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            agency.countryCode = form.countryCode?.trimmingCharacters(in: .whitespaces).uppercased().nilIfEmpty
            agency.contactName = contact
            agency.contactEmail = email
            agency.contactPhone = contactPhone
            agency.currency = currency
            agency.timeZone = zone.identifier
            agency.language = language
            agency.$plan.id = try plan.requireID()
            agency.status = AgencyStatus.active
            agency.createdAt = req.now
            try await agency.create(on: db)
            let user = User(
                agencyID: try agency.requireID(), role: .agencyAdmin, email: email, name: contact,
                passwordHash: hash, language: language)
            try await user.create(on: db)
            // Version 1 is the cautious default until the agency answers the questionnaire.
            _ = try await ScopeService.saveVersion(ScopeOfAction.cautiousDefault, agencyID: try agency.requireID(), by: nil, on: db)
            try await AuditLog.record(
                on: db, agencyID: agency.id, actor: user.id, action: .agencySignedUp,
                subjectType: "agency", subjectID: agency.id?.uuidString, detail: ["plan": plan.code.rawValue])
            return user
        }
        try await req.startSession(for: user)
        return req.redirect(to: SiteURL.scope.with("?welcome=1"))
    }

    // MARK: Password reset

    @Sendable static func forgotPage(req: Request) async throws -> Response {
        req.html(AuthViews.forgot(req: req, sent: false))
    }

    @Sendable static func forgot(req: Request) async throws -> Response {
        struct Form: Content { var email: String? }
        let email = EmailAddress.normalised(try req.content.decode(Form.self).email ?? "")
        if let user = try await User.query(on: req.db).filter(\.$email == email).filter(\.$active == true).first() {
            try await sendResetLink(to: user, on: req)
        }
        // The same answer whether or not the account exists.
        return req.html(AuthViews.forgot(req: req, sent: true))
    }

    static func sendResetLink(to user: User, on req: Request) async throws {
        let token = Tokens.random()
        let reset = PasswordReset()
        reset.$user.id = try user.requireID()
        reset.tokenHash = Tokens.sha256Hex(token)
        reset.expiresAt = req.now.addingTimeInterval(resetLifetime)
        reset.createdAt = req.now
        try await reset.create(on: req.db)
        let link = req.onspot.publicBaseURL + SiteURL.passwordReset.with("?token=\(token)")
        let mail = OutgoingMail(
            to: user.email, subject: L10n.t("auth.reset_subject", user.language),
            body: L10n.t("auth.reset_body", user.language, ["link": link]), secrets: [token])
        try await Mailer.send(mail, kind: .passwordReset, agencyID: user.$agency.id, userID: user.id, on: req)
    }

    @Sendable static func resetPage(req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        guard try await validReset(token, on: req) != nil else {
            return req.html(AuthViews.resetInvalid(req: req), status: .badRequest)
        }
        return req.html(AuthViews.reset(req: req, token: token, error: nil))
    }

    @Sendable static func reset(req: Request) async throws -> Response {
        struct Form: Content { var token: String?; var password: String? }
        let form = try req.content.decode(Form.self)
        let token = form.token ?? ""
        guard let reset = try await validReset(token, on: req) else {
            return req.html(AuthViews.resetInvalid(req: req), status: .badRequest)
        }
        let password = form.password ?? ""
        guard (10...200).contains(password.count) else {
            return req.html(
                AuthViews.reset(req: req, token: token, error: L10n.t("error.password_short", req.language)),
                status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        try await req.db.transaction { db in
            reset.usedAt = req.now
            try await reset.save(on: db)
            guard let user = try await User.find(reset.$user.id, on: db) else { throw Abort(.notFound) }
            user.passwordHash = hash
            // Every session signed in before now ends, and so does every other reset link still out.
            user.credentialsChangedAt = req.now
            try await user.save(on: db)
            try await PasswordReset.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$usedAt == nil)
                .set(\.$usedAt, to: req.now).update()
        }
        req.session.destroy()
        return req.redirect(to: SiteURL.login.with("?reset=1"))
    }

    static func validReset(_ token: String, on req: Request) async throws -> PasswordReset? {
        guard !token.isEmpty, token.count < 100 else { return nil }
        guard let reset = try await PasswordReset.query(on: req.db).filter(\.$tokenHash == Tokens.sha256Hex(token)).first(),
            reset.usedAt == nil, reset.expiresAt > req.now
        else { return nil }
        return reset
    }
}
