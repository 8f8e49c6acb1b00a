import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The scope-of-action questionnaire (clause 2.10, article 8). Saving always creates a new version.
enum ScopeController {
    struct Form: Content {
        var level: [String: String]?
        var cap: [String: String]?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let agency = try req.agency
        let versions = try await ScopeVersion.query(on: req.db).filter(\.$agency.$id == agency.requireID())
            .sort(\.$version, .descending).limit(20).all()
        let authorIDs = Set(versions.compactMap(\.createdBy))
        let authors = try await User.query(on: req.db).filter(\.$id ~~ authorIDs).all()
        let names = Dictionary(uniqueKeysWithValues: authors.map { ($0.id!, $0.name) })
        let current = versions.first?.scope ?? .cautiousDefault
        var form = Form(level: [:], cap: [:])
        for rule in current.rules {
            form.level?[rule.domain.rawValue] = rule.level.rawValue
            form.cap?[rule.domain.rawValue] = Money(minorUnits: rule.capMinorUnits, currency: agency.currency).majorUnitsText
        }
        return req.html(ScopeViews.page(req: req, agency: agency, form: form, errors: [], versions: versions, authors: names))
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let agency = try req.agency
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        var rules: [ScopeRule] = []
        for domain in ScopeDomain.allCases {
            guard let level = (form.level?[domain.rawValue]).flatMap(InvolvementLevel.init(rawValue:)) else {
                errors.append(FieldError(field: "scope.\(domain.rawValue)", message: "scope.error.answer_once"))
                continue
            }
            let capText = (form.cap?[domain.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            var cap: Int64 = 0
            if !capText.isEmpty {
                guard let money = Money.parseMajorUnits(capText, currency: agency.currency) else {
                    errors.append(FieldError(field: "scope.\(domain.rawValue).cap", message: "error.amount"))
                    continue
                }
                cap = money.minorUnits
            }
            rules.append(ScopeRule(domain: domain, level: level, capMinorUnits: cap))
        }
        let scope = ScopeOfAction(rules: rules)
        if errors.isEmpty { errors = scope.validate() }
        guard errors.isEmpty else {
            let versions = try await ScopeVersion.query(on: req.db).filter(\.$agency.$id == agency.requireID())
                .sort(\.$version, .descending).limit(20).all()
            return req.html(
                ScopeViews.page(req: req, agency: agency, form: form, errors: errors, versions: versions, authors: [:]),
                status: .unprocessableEntity)
        }
        _ = try await ScopeService.saveVersion(scope, agencyID: try agency.requireID(), by: try req.user.id, on: req.db)
        req.flash(L10n.t("scope.saved", req.language))
        return req.redirect(to: .scope)
    }
}
