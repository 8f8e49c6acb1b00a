import Fluent
import SQLKit

/// Hardening (issue 12):
/// - `users.credentials_changed_at`: a password reset or change ends every session signed in before it;
/// - `notifications.sealed_secrets`: links that grant access (password reset, approval decisions) are kept sealed with the
///   server's key for retries, never in the stored body;
/// - a hash chain per agency in `audit_log` (`chain`, `chain_sequence`, `chain_previous_hash`, `chain_hash`) and
///   `audit_checkpoints`, so an agency's trail is verified and exported without reading or revealing other agencies'.
///   Existing entries are chained in the order of the global sequence.
struct M013_Hardening: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("users").field("credentials_changed_at", .datetime).update()
        try await db.schema("notifications").field("sealed_secrets", .string).update()
        // SQLite adds one column per ALTER TABLE.
        for (name, type) in [
            ("chain", DatabaseSchema.DataType.string), ("chain_sequence", .int64), ("chain_previous_hash", .string),
            ("chain_hash", .string)
        ] {
            try await db.schema("audit_log").field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: [])).update()
        }
        try await db.schema("audit_checkpoints").id()
            .field("chain", .string, .required).field("chain_sequence", .int64, .required).field("chain_hash", .string, .required)
            .field("verified_at", .datetime, .required)
            .unique(on: "chain").create()
        var last: [String: (Int64, String)] = [:]
        for entry in try await AuditEntry.query(on: db).sort(\.$sequence).all() {
            let chain = AuditLog.chain(of: entry.agencyID)
            let previous = last[chain] ?? (0, AuditLog.genesis)
            entry.chain = chain
            entry.chainSequence = previous.0 + 1
            entry.chainPreviousHash = previous.1
            entry.chainHash = AuditLog.chainHash(of: entry)
            try await entry.save(on: db)
            last[chain] = (previous.0 + 1, entry.chainHash ?? "")
        }
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "idx_audit_chain_sequence").unique().on("audit_log").column("chain").column("chain_sequence").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_checkpoints").delete()
    }
}
