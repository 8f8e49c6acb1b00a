import Crypto
import Fluent
import SQLKit
import Foundation

/// Append-only, tamper-evident log: each entry's hash covers the previous entry's hash and its own content,
/// so editing or deleting any entry breaks every hash after it.
enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    static func record(on db: any Database, agencyID: UUID?, actor: UUID?, action: String, subjectType: String,
                       subjectID: String?, detail: [String: String] = [:]) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            // One writer at a time: a transaction-scoped advisory lock, released at commit. Inside a caller's transaction
            // the lock holds until that transaction ends, so the chain never forks and a failed insert never aborts it.
            try await db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(lockKey)))").run()
                try await append(on: tx, agencyID: agencyID, actor: actor, action: action, subjectType: subjectType, subjectID: subjectID, detail: detail)
            }
            return
        }
        // SQLite has one writer at a time, but two tasks may read the same last entry: the unique sequence refuses the
        // second insert, which reads again after a short random pause. No in-process lock: a task holding a pooled
        // connection in a transaction could wait on it while the lock's holder waits for that connection.
        for attempt in 0..<60 {
            do {
                try await append(on: db, agencyID: agencyID, actor: actor, action: action, subjectType: subjectType, subjectID: subjectID, detail: detail)
                return
            } catch where attempt < 59 {
                try await Task.sleep(nanoseconds: UInt64.random(in: 200_000...3_000_000))
            }
        }
    }

    static let lockKey = 7_261_001

    private static func append(on db: any Database, agencyID: UUID?, actor: UUID?, action: String, subjectType: String,
                               subjectID: String?, detail: [String: String]) async throws {
        let last = try await AuditEntry.query(on: db).sort(\.$sequence, .descending).first()
        let entry = AuditEntry()
        entry.sequence = (last?.sequence ?? 0) + 1
        entry.agencyID = agencyID
        entry.actorUserID = actor
        entry.actorKind = actor == nil ? "system" : "user"
        entry.action = action
        entry.subjectType = subjectType
        entry.subjectID = subjectID
        entry.detail = String(decoding: try JSONEncoder.sorted.encode(detail), as: UTF8.self)
        entry.createdAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        entry.previousHash = last?.hash ?? genesis
        entry.hash = hash(of: entry)
        try await entry.create(on: db)
    }

    static func hash(of e: AuditEntry) -> String {
        let fields = [String(e.sequence), e.agencyID?.uuidString ?? "", e.actorUserID?.uuidString ?? "", e.actorKind, e.action,
                      e.subjectType, e.subjectID ?? "", e.detail, String(Int64((e.createdAt.timeIntervalSince1970 * 1000).rounded())),
                      e.previousHash]
        return SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Walks the chain and returns the first broken sequence number, or nil when intact.
    static func verify(on db: any Database) async throws -> Int64? {
        var previous = genesis
        for entry in try await AuditEntry.query(on: db).sort(\.$sequence).all() {
            if entry.previousHash != previous || hash(of: entry) != entry.hash { return entry.sequence }
            previous = entry.hash
        }
        return nil
    }
}
