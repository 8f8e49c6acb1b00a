import Crypto
import Fluent
import SQLKit
import Foundation
import OnSpotCore

/// Append-only, tamper-evident log: each entry's hash covers the previous entry's hash and its own content,
/// so editing or deleting any entry breaks every hash after it.
enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// A free text (a comment, a justification, what an approval showed) as its HMAC-SHA256 under the server's secret,
    /// never in clear: the chain can prove what was written while the text itself lives in its own row, which an erasure
    /// or the purge may clear; keyed, so a short text cannot be found again by trying guesses against the digest.
    static func digest(_ text: String?, secret: String) -> String {
        guard let text, !text.isEmpty else { return "" }
        return Tokens.keyedDigest(text, secret: secret)
    }

    static func record(
        on db: any Database, agencyID: UUID?, actor: UUID?, action: AuditAction, subjectType: String,
        subjectID: String?, detail: [String: String] = [:]
    ) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            // One writer at a time: a transaction-scoped advisory lock, released at commit. Inside a caller's transaction
            // the lock holds until that transaction ends, so the chain never forks and a failed insert never aborts it.
            try await db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(lockKey)))").run()
                try await append(
                    on: tx, agencyID: agencyID, actor: actor, action: action, subjectType: subjectType, subjectID: subjectID, detail: detail)
            }
            return
        }
        // SQLite has one writer at a time, but two tasks may read the same last entry: the unique sequence refuses the
        // second insert, which reads again after a short random pause. No in-process lock: a task holding a pooled
        // connection in a transaction could wait on it while the lock's holder waits for that connection.
        for attempt in 0..<60 {
            do {
                try await append(
                    on: db, agencyID: agencyID, actor: actor, action: action, subjectType: subjectType, subjectID: subjectID, detail: detail)
                return
            } catch  where attempt < 59 {
                try await Task.sleep(nanoseconds: UInt64.random(in: 200_000...3_000_000))
            }
        }
    }

    static let lockKey = 7_261_001

    private static func append(
        on db: any Database, agencyID: UUID?, actor: UUID?, action: AuditAction, subjectType: String,
        subjectID: String?, detail: [String: String]
    ) async throws {
        let last = try await AuditEntry.query(on: db).sort(\.$sequence, .descending).first()
        let chain = chain(of: agencyID)
        let lastOfChain = try await AuditEntry.query(on: db).filter(\.$chain == chain).sort(\.$chainSequence, .descending).first()
        let entry = AuditEntry()
        entry.sequence = (last?.sequence ?? 0) + 1
        entry.agencyID = agencyID
        entry.actorUserID = actor
        entry.actorKind = actor == nil ? "system" : "user"
        entry.action = action.rawValue
        entry.subjectType = subjectType
        entry.subjectID = subjectID
        entry.detail = String(decoding: try JSONEncoder.sorted.encode(detail), as: UTF8.self)
        entry.createdAt = Date(timeIntervalSince1970: (AppClock.now.timeIntervalSince1970 * 1000).rounded() / 1000)
        entry.previousHash = last?.hash ?? genesis
        entry.hash = hash(of: entry)
        entry.chain = chain
        entry.chainSequence = (lastOfChain?.chainSequence ?? 0) + 1
        entry.chainPreviousHash = lastOfChain?.chainHash ?? genesis
        entry.chainHash = chainHash(of: entry)
        try await entry.create(on: db)
    }

    /// An agency's entries form their own chain; entries of no agency form OnSpot's.
    static func chain(of agencyID: UUID?) -> String { agencyID?.uuidString.lowercased() ?? "onspot" }

    static func hash(of e: AuditEntry) -> String {
        let fields = [
            String(e.sequence), e.agencyID?.uuidString ?? "", e.actorUserID?.uuidString ?? "", e.actorKind, e.action,
            e.subjectType, e.subjectID ?? "", e.detail, String(Int64((e.createdAt.timeIntervalSince1970 * 1000).rounded())),
            e.previousHash
        ]
        return digest(fields)
    }

    /// The same content under the agency's chain: its own sequence and predecessor, nothing of other agencies.
    static func chainHash(of e: AuditEntry) -> String {
        let fields = [
            e.chain ?? "", String(e.chainSequence ?? 0), e.agencyID?.uuidString ?? "", e.actorUserID?.uuidString ?? "", e.actorKind,
            e.action, e.subjectType, e.subjectID ?? "", e.detail, String(Int64((e.createdAt.timeIntervalSince1970 * 1000).rounded())),
            e.chainPreviousHash ?? ""
        ]
        return digest(fields)
    }

    private static func digest(_ fields: [String]) -> String {
        WebhookSignatures.hex(SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)))
    }

    /// Walks the whole global chain and returns the first broken sequence number, or nil when intact (OnSpot's own check).
    static func verify(on db: any Database) async throws -> Int64? {
        var previous = genesis
        for entry in try await AuditEntry.query(on: db).sort(\.$sequence).all() {
            if entry.previousHash != previous || hash(of: entry) != entry.hash { return entry.sequence }
            previous = entry.hash
        }
        return nil
    }

    /// Checks entries of one chain in order against their predecessor; returns the first broken chain sequence.
    static func firstBreak(in entries: [AuditEntry], after previous: String) -> Int64? {
        var previous = previous
        for entry in entries {
            if entry.chainPreviousHash != previous || chainHash(of: entry) != entry.chainHash { return entry.chainSequence ?? 0 }
            previous = entry.chainHash ?? ""
        }
        return nil
    }

    /// Verifies an agency's chain from its last verified checkpoint to its end, plus the entries a page shows (each
    /// against its stored predecessor link), and moves the checkpoint forward when intact. A view costs what was
    /// added since the last one, never the whole log of every agency.
    static func verify(agencyID: UUID, shown: [AuditEntry], on db: any Database) async throws -> Int64? {
        let chain = chain(of: agencyID)
        let checkpoint = try await AuditCheckpoint.query(on: db).filter(\.$chain == chain).first()
        let from = checkpoint?.chainSequence ?? 0
        // One read from the checkpoint's own entry (which must still be the one that was verified) to the end.
        var tail = try await AuditEntry.query(on: db).filter(\.$chain == chain).filter(\.$chainSequence >= max(from, 1))
            .sort(\.$chainSequence).all()
        if let checkpoint {
            guard let anchor = tail.first, anchor.chainSequence == checkpoint.chainSequence, anchor.chainHash == checkpoint.chainHash,
                chainHash(of: anchor) == anchor.chainHash
            else { return checkpoint.chainSequence }
            tail.removeFirst()
        }
        if let broken = firstBreak(in: tail, after: checkpoint?.chainHash ?? genesis) { return broken }
        // What the page shows: each entry's hash, its link to the entry before it, and the link of the entry after it
        // (an entry edited with its hash recomputed breaks only its successor's link).
        let shownSequences = Set(shown.compactMap(\.chainSequence))
        let neighbours = Set(shownSequences.flatMap { [$0 - 1, $0 + 1] }).subtracting(shownSequences).filter { $0 > 0 }
        let around =
            neighbours.isEmpty
            ? []
            : try await AuditEntry.query(on: db).filter(\.$chain == chain)
                .filter(\.$chainSequence ~~ Array(neighbours)).all()
        var byNumber: [Int64: AuditEntry] = [:]
        for e in around + shown { if let n = e.chainSequence { byNumber[n] = e } }
        for e in shown.sorted(by: { ($0.chainSequence ?? 0) < ($1.chainSequence ?? 0) }) {
            guard let n = e.chainSequence, chainHash(of: e) == e.chainHash else { return e.chainSequence ?? 0 }
            let previous = n == 1 ? genesis : byNumber[n - 1]?.chainHash
            guard previous == e.chainPreviousHash else { return n }
            if let next = byNumber[n + 1], next.chainPreviousHash != e.chainHash { return n }
        }
        // The checkpoint only moves forward; two first views at once may both try to write it, and either is right.
        if let last = tail.last, let n = last.chainSequence, let hash = last.chainHash, n > from {
            let record = checkpoint ?? AuditCheckpoint()
            record.chain = chain
            record.chainSequence = n
            record.chainHash = hash
            record.verifiedAt = AppClock.now
            do { try await record.save(on: db) } catch {
                db.logger.debug("audit checkpoint of \(chain) written by another view first: \(error)")
            }
        }
        return nil
    }
}

extension AuditEntry {
    /// The entry's detail as written by `AuditLog.record` (a JSON object of strings); empty when it is not one.
    var details: [String: String] {
        (detail.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: String] }) ?? [:]
    }
}
