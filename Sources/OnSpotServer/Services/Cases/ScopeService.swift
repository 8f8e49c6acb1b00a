import Fluent
import Foundation
import OnSpotCore

/// Scope-of-action versions: every change is a new numbered version with who and when; never an update.
enum ScopeService {
    static func current(agencyID: UUID, on db: any Database) async throws -> ScopeVersion? {
        try await ScopeVersion.query(on: db).filter(\.$agency.$id == agencyID).sort(\.$version, .descending).first()
    }

    static func saveVersion(_ scope: ScopeOfAction, agencyID: UUID, by userID: UUID?, on db: any Database) async throws -> ScopeVersion {
        let latest = try await current(agencyID: agencyID, on: db)
        let version = ScopeVersion()
        version.$agency.id = agencyID
        version.version = (latest?.version ?? 0) + 1
        version.rules = String(decoding: try JSONEncoder.sorted.encode(scope), as: UTF8.self)
        version.createdAt = AppClock.now
        version.createdBy = userID
        try await version.create(on: db)
        try await AuditLog.record(
            on: db, agencyID: agencyID, actor: userID, action: .scopeVersionCreated,
            subjectType: "scope_version", subjectID: version.id?.uuidString,
            detail: ["version": String(version.version)])
        return version
    }
}
