import Fluent
import SQLKit

/// The case page reads a case's own audit entries (assignments, transfers, link) into its timeline: an index on the
/// subject, so that read does not scan the whole trail (additive).
struct M028_AuditBySubject: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "idx_audit_subject").on("audit_log").column("subject_type").column("subject_id").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_audit_subject").run()
    }
}
