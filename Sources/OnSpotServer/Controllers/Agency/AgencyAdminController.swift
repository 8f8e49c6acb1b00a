import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Pages only an agency admin reaches: branding, users, API keys, account closure.
enum AgencyAdminController {
    // MARK: Branding (PLUS, clauses 3.3 and 3.4)

    static let maximumLogoBytes = 200 * 1024

    struct BrandingForm: Content {
        var displayName: String?
        var colour: String?
        var logo: File?
        var removeLogo: String?
    }

    @Sendable static func brandingPage(req: Request) async throws -> Response {
        let agency = try req.agency
        let plan = try await PlanRecord.find(agency.$plan.id, on: req.db)
        return req.html(AgencyAdminViews.branding(req: req, agency: agency, whiteLabel: plan?.whiteLabel ?? false, errors: []))
    }

    @Sendable static func saveBranding(req: Request) async throws -> Response {
        let agency = try req.agency
        let plan = try await PlanRecord.find(agency.$plan.id, on: req.db)
        guard plan?.whiteLabel == true else { throw PageError(status: .forbidden, messageKey: "error.plus_only") }
        let form = try req.content.decode(BrandingForm.self)
        var errors: [FieldError] = []
        let name = (form.displayName ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(TextField.check(name, field: "displayName", required: false, limit: 100))
        // Multipart forms are not behind the NUL guard (a logo's bytes hold NULs): its one text field is checked here.
        if name.contains("\u{0}") { errors.append(FieldError(field: "displayName", message: "error.nul")) }
        let colour = (form.colour ?? "").trimmingCharacters(in: .whitespaces)
        if !colour.isEmpty && !isHexColour(colour) { errors.append(FieldError(field: "colour", message: "error.colour")) }
        var logo: (Data, String)?
        if let file = form.logo, file.data.readableBytes > 0 {
            if file.data.readableBytes > maximumLogoBytes {
                errors.append(FieldError(field: "logo", message: "error.logo_size"))
            } else {
                let bytes = Data(file.data.readableBytesView)
                // Trust the bytes, not the file name or the declared type: SVG (scriptable) never gets in.
                if let mime = imageType(bytes) {
                    logo = (bytes, mime)
                } else {
                    errors.append(FieldError(field: "logo", message: "error.logo_type"))
                }
            }
        }
        guard errors.isEmpty else {
            return req.html(AgencyAdminViews.branding(req: req, agency: agency, whiteLabel: true, errors: errors), status: .unprocessableEntity)
        }
        agency.brandDisplayName = name.nilIfEmpty
        agency.brandColour = colour.nilIfEmpty?.lowercased()
        if let logo {
            agency.brandLogo = logo.0
            agency.brandLogoMime = logo.1
        } else if form.removeLogo != nil {
            agency.brandLogo = nil
            agency.brandLogoMime = nil
        }
        try await agency.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .agencyBrandingUpdated,
            subjectType: "agency", subjectID: agency.id?.uuidString)
        req.flash(L10n.t("branding.saved", req.language))
        return req.redirect(to: .branding)
    }

    static func isHexColour(_ text: String) -> Bool {
        text.count == 7 && text.hasPrefix("#") && text.dropFirst().allSatisfy(\.isHexDigit)
    }

    static func imageType(_ bytes: Data) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }

    // MARK: Users

    @Sendable static func usersPage(req: Request) async throws -> Response {
        let agency = try req.agency
        let users = try await User.query(on: req.db).filter(\.$agency.$id == agency.requireID()).sort(\.$name).all()
        return req.html(AgencyAdminViews.users(req: req, users: users, errors: [], form: [:]))
    }

    @Sendable static func addUser(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var email: String?; var role: String?; var language: String? }
        let agency = try req.agency
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        errors.append(TextField.check(name, field: "name", limit: 100))
        let email = EmailAddress.normalised(form.email ?? "")
        if !EmailAddress.isValid(email) { errors.append(FieldError(field: "email", message: "error.email")) }
        let role = Role(rawValue: form.role ?? "")
        if role == nil || role?.isAgencySide != true { errors.append(FieldError(field: "role", message: "error.choice")) }
        let language = Language(rawValue: form.language ?? "") ?? agency.language
        if errors.isEmpty, try await User.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.append(FieldError(field: "email", message: "error.email_taken"))
        }
        guard errors.isEmpty, let role else {
            let users = try await User.query(on: req.db).filter(\.$agency.$id == agency.requireID()).sort(\.$name).all()
            return req.html(
                AgencyAdminViews.users(
                    req: req, users: users, errors: errors,
                    form: ["name": name, "email": form.email ?? "", "role": form.role ?? ""]),
                status: .unprocessableEntity)
        }
        // Nobody knows this password: the new user sets theirs through the emailed link.
        let user = User(
            agencyID: try agency.requireID(), role: role, email: email, name: name,
            passwordHash: try await req.password.async.hash(Tokens.random()), language: language)
        try await user.create(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .userAdded, subjectType: "user",
            subjectID: user.id?.uuidString, detail: ["role": role.rawValue])
        try await AuthController.sendResetLink(to: user, on: req)
        req.flash(L10n.t("users.added", req.language))
        return req.redirect(to: .users)
    }

    @Sendable static func deactivateUser(req: Request) async throws -> Response {
        let agency = try req.agency
        guard let id = req.parameters.get("userID", as: UUID.self), id != (try req.user.id),
            let user = try await User.query(on: req.db).filter(\.$id == id).filter(\.$agency.$id == agency.requireID()).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        user.active = false
        try await user.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .userDeactivated,
            subjectType: "user", subjectID: id.uuidString)
        return req.redirect(to: .users)
    }

    // MARK: API keys

    @Sendable static func apiKeysPage(req: Request) async throws -> Response {
        let keys = try await ApiKey.query(on: req.db).filter(\.$agency.$id == req.agencyID).sort(\.$createdAt, .descending).all()
        return req.html(AgencyAdminViews.apiKeys(req: req, keys: keys, newKey: nil, errors: []))
    }

    @Sendable static func createApiKey(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var access: String? }
        let agencyID = try req.agencyID
        let form = try req.content.decode(Form.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        errors.append(TextField.check(name, field: "name", limit: 100))
        let access = form.access.map { ApiKeyAccess(rawValue: $0) } ?? .readWrite
        if access == nil { errors.append(FieldError(field: "access", message: "error.choice")) }
        guard errors.isEmpty, let access else {
            let keys = try await ApiKey.query(on: req.db).filter(\.$agency.$id == agencyID).sort(\.$createdAt, .descending).all()
            return req.html(AgencyAdminViews.apiKeys(req: req, keys: keys, newKey: nil, errors: errors), status: .unprocessableEntity)
        }
        let secret = "osk_" + Tokens.random()
        let key = ApiKey()
        key.$agency.id = agencyID
        key.name = name
        key.prefix = String(secret.prefix(12))
        key.keyHash = Tokens.keyedDigest(secret, secret: req.onspot.secretKey)
        key.createdAt = req.now
        key.createdBy = try req.user.id
        key.access = access
        try await key.create(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: try req.user.id, action: .apiKeyCreated,
            subjectType: "api_key", subjectID: key.id?.uuidString, detail: ["access": access.rawValue])
        let keys = try await ApiKey.query(on: req.db).filter(\.$agency.$id == agencyID).sort(\.$createdAt, .descending).all()
        return req.html(AgencyAdminViews.apiKeys(req: req, keys: keys, newKey: secret, errors: []), status: .created)
    }

    @Sendable static func revokeApiKey(req: Request) async throws -> Response {
        guard let id = req.parameters.get("keyID", as: UUID.self),
            let key = try await ApiKey.query(on: req.db).filter(\.$id == id).filter(\.$agency.$id == req.agencyID).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        if key.revokedAt == nil {
            key.revokedAt = req.now
            try await key.save(on: req.db)
            try await AuditLog.record(
                on: req.db, agencyID: key.$agency.id, actor: try req.user.id, action: .apiKeyRevoked,
                subjectType: "api_key", subjectID: id.uuidString)
        }
        req.flash(L10n.t("apikeys.revoked", req.language))
        return req.redirect(to: .apiKeys)
    }

    // MARK: Account closure (articles 2.11 and 11)

    @Sendable static func accountPage(req: Request) async throws -> Response {
        req.html(AgencyAdminViews.account(req: req, agency: try req.agency))
    }

    /// What the invoices name as the buyer (legal name, address, registration and VAT numbers) and what a credit note
    /// on a paid invoice gives back: a refund to the original payment, or credits.
    @Sendable static func saveBillingDetails(req: Request) async throws -> Response {
        struct Form: Content {
            var legalName: String?; var address: String?; var countryCode: String?; var registrationNumber: String?; var vatNumber: String?
            var refundPreference: String?
        }
        let agency = try req.agency
        let form = (try? req.content.decode(Form.self)) ?? Form()
        var errors = TextField.check([
            (form.legalName, "legalName", false, 300), (form.address, "address", false, 300),
            (form.registrationNumber, "registrationNumber", false, 100)
        ])
        // An intra-community VAT number: two letters, then 2 to 13 letters or digits (spaces and dots dropped).
        let vat = (form.vatNumber ?? "").uppercased().filter { !" .-".contains($0) }
        errors.append(
            TextField.check(vat, field: "vatNumber", required: false, minimum: 4, limit: 15, allowed: { $0.isASCII && ($0.isLetter || $0.isNumber) }))
        if vat.count >= 2, !vat.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.append(FieldError(field: "vatNumber", message: "account.error.vat_number"))
        }
        // The buyer's country decides the VAT mention (`VATTreatment`).
        let country = (form.countryCode ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if !country.isEmpty, country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.append(FieldError(field: "countryCode", message: "account.error.country"))
        }
        let preference = RefundPreference(rawValue: form.refundPreference ?? "")
        if preference == nil { errors.append(FieldError(field: "refundPreference", message: "error.choice")) }
        func clean(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        guard errors.isEmpty, let preference else {
            // Shown again as typed (the agency is not saved).
            agency.legalName = clean(form.legalName)
            agency.address = clean(form.address)
            agency.registrationNumber = clean(form.registrationNumber)
            agency.vatNumber = clean(form.vatNumber)
            agency.countryCode = clean(form.countryCode)
            return req.html(AgencyAdminViews.account(req: req, agency: agency, errors: errors), status: .unprocessableEntity)
        }
        agency.legalName = clean(form.legalName)
        agency.address = clean(form.address)
        agency.registrationNumber = clean(form.registrationNumber)
        agency.vatNumber = vat.nilIfEmpty
        agency.countryCode = country.nilIfEmpty
        agency.refundPreference = preference
        try await agency.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .agencyBillingDetailsUpdated, subjectType: "agency",
            subjectID: agency.id?.uuidString, detail: ["refundPreference": preference.rawValue, "vatNumber": vat])
        req.flash(L10n.t("account.billing_saved", req.language))
        return req.redirect(to: .account)
    }

    @Sendable static func unsubscribe(req: Request) async throws -> Response {
        struct Form: Content { var confirm: String? }
        let agency = try req.agency
        guard try req.content.decode(Form.self).confirm == "yes" else {
            return req.html(AgencyAdminViews.account(req: req, agency: agency), status: .unprocessableEntity)
        }
        let userID = try req.user.id
        try await req.db.transaction { db in
            agency.status = AgencyStatus.closed
            agency.closedAt = req.now
            // Each party stops using the other's brand (2.11, 3.5).
            agency.brandDisplayName = nil
            agency.brandLogo = nil
            agency.brandLogoMime = nil
            agency.brandColour = nil
            try await agency.save(on: db)
            try await ApiKey.query(on: db).filter(\.$agency.$id == agency.requireID()).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: req.now).update()
            try await AuditLog.record(
                on: db, agencyID: agency.id, actor: userID, action: .agencyUnsubscribed,
                subjectType: "agency", subjectID: agency.id?.uuidString)
        }
        let lang = req.language
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: SiteURL.login.with("?signed_out=1&lang=\(lang.rawValue)"))
    }
}
