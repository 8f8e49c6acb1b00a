import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Booking-conditions packs in the portal: the shipped ones, and the agency's own suppliers' packs.
enum RulePacksController {
    static let maximumCharacters = 100_000

    /// The shipped packs plus this agency's own; another agency's packs never enter.
    static func engine(for agencyID: UUID, on req: Request) async throws -> ConditionsEngine {
        guard let shipped = req.application.storage[ConditionsEngineKey.self] else { throw Abort(.serviceUnavailable) }
        let own = try await AgencyRulePack.query(on: req.db).filter(\.$agency.$id == agencyID).all()
        let parsed = own.compactMap { try? RulePackLoader.load(yaml: $0.yaml, file: "\($0.packID).yaml") }
        return ConditionsEngine(packs: Array(shipped.packs.values) + parsed)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let agency = try req.agency
        let own = try await AgencyRulePack.query(on: req.db).filter(\.$agency.$id == agency.requireID()).sort(\.$packID).all()
        return req.html(RulePackViews.page(req: req, shipped: shipped(req), own: own, yaml: "", error: nil))
    }

    static func shipped(_ req: Request) -> [RulePack] {
        (req.application.storage[ConditionsEngineKey.self]?.packs.values.map { $0 } ?? []).sorted { $0.id < $1.id }
    }

    @Sendable static func upload(req: Request) async throws -> Response {
        struct Form: Content { var yaml: String? }
        let agency = try req.agency
        let yaml = try req.content.decode(Form.self).yaml ?? ""
        let own = try await AgencyRulePack.query(on: req.db).filter(\.$agency.$id == agency.requireID()).sort(\.$packID).all()
        func refuse(_ message: String) -> Response {
            req.html(RulePackViews.page(req: req, shipped: shipped(req), own: own, yaml: yaml, error: message), status: .unprocessableEntity)
        }
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return refuse(L10n.t("error.required", req.language)) }
        guard yaml.count <= maximumCharacters else { return refuse(L10n.t("error.too_long", req.language)) }
        let pack: RulePack
        do { pack = try RulePackLoader.load(yaml: yaml, file: "upload.yaml") } catch {
            return refuse(String(describing: error))
        }
        if shipped(req).contains(where: { $0.id == pack.id }) {
            return refuse("upload.yaml: id: '\(pack.id)' is a pack shipped by OnSpot; choose another id")
        }
        let record =
            try await AgencyRulePack.query(on: req.db).filter(\.$agency.$id == agency.requireID())
            .filter(\.$packID == pack.id).first() ?? AgencyRulePack()
        record.$agency.id = try agency.requireID()
        record.packID = pack.id
        record.title = pack.title
        record.yaml = yaml
        record.createdAt = req.now
        record.createdBy = try req.user.id
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: agency.id, actor: try req.user.id, action: .rulePackUploaded,
            subjectType: "agency_rule_pack", subjectID: pack.id)
        req.flash(L10n.t("admin.saved", req.language))
        return req.redirect(to: .bookingConditions)
    }

    @Sendable static func delete(req: Request) async throws -> Response {
        let agency = try req.agency
        guard let id = req.parameters.get("packID", as: UUID.self),
            let pack = try await AgencyRulePack.query(on: req.db).filter(\.$id == id).filter(\.$agency.$id == agency.requireID()).first()
        else {
            throw PageError(status: .notFound, messageKey: "error.not_found")
        }
        try await pack.delete(on: req.db)
        return req.redirect(to: .bookingConditions)
    }
}
