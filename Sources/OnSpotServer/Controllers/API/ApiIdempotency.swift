import Fluent
import Foundation
import OnSpotCore
import Vapor

/// `Idempotency-Key` on the API's creating POSTs: a retry with the same key and body gets the first answer again
/// (`Idempotent-Replayed: true`), the same key with another body is refused (422). Keys belong to the agency. `scope`
/// names the operation and its path for operations other than trip creation (whose stored hashes are of the body
/// alone), so that one key sent to two operations is two different requests.
enum ApiIdempotency {
    /// The request's key, checked; nil when it sent none.
    static func key(_ req: Request) throws -> String? {
        guard let key = req.headers.first(name: "Idempotency-Key") else { return nil }
        guard !key.isEmpty, key.count <= 255 else {
            throw Problem(.badRequest, "malformed", "Invalid Idempotency-Key", detail: "Idempotency-Key must be 1 to 255 characters.")
        }
        return key
    }

    /// The first answer to this key, if there was one (or the refusal of a key reused with another body).
    static func replay(key: String?, agencyID: UUID, body: Data, scope: String = "", on db: any Database) async throws -> Response? {
        guard let key else { return nil }
        guard let stored = try await stored(key: key, agencyID: agencyID, on: db) else { return nil }
        return try replay(stored, digest: digest(body, scope: scope))
    }

    static func stored(key: String, agencyID: UUID, on db: any Database) async throws -> IdempotencyRecord? {
        try await IdempotencyRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$key == key).first()
    }

    static func makeRecord(
        key: String, agencyID: UUID, requestHash: String, status: HTTPResponseStatus, response: Data, now: Date
    ) -> IdempotencyRecord {
        let record = IdempotencyRecord()
        record.agencyID = agencyID
        record.key = key
        record.requestHash = requestHash
        record.responseStatus = Int(status.code)
        record.responseBody = response
        record.createdAt = now
        return record
    }

    /// Keeps the answer under the key. When a concurrent retry stored its own first, `undo` takes ours back and that
    /// one is answered instead.
    static func remember(
        key: String?, agencyID: UUID, body: Data, scope: String = "", status: HTTPResponseStatus, response: Data, now: Date,
        on db: any Database,
        undo: () async throws -> Void
    ) async throws -> Response? {
        guard let key else { return nil }
        let record = makeRecord(
            key: key, agencyID: agencyID, requestHash: digest(body, scope: scope), status: status, response: response, now: now)
        do {
            try await record.create(on: db)
            return nil
        } catch {
            try await undo()
            if let stored = try await stored(key: key, agencyID: agencyID, on: db) { return try replay(stored, digest: record.requestHash) }
            throw error
        }
    }

    /// Answers a creation on a trip through the API: kept under its key (or, when a concurrent retry stored its answer
    /// first, `undo` and that answer), audited on the trip, 201 with its `Location`. `fingerprint` stands for the body
    /// when two equal requests may differ in bytes (a multipart boundary is drawn anew by each retry).
    static func created(
        _ response: Data, location: String, key: String?, scope: String, trip tripID: UUID, agencyID: UUID, audit: [String: String],
        req: Request, fingerprint: Data? = nil, undo: () async throws -> Void
    ) async throws -> Response {
        let body = fingerprint ?? req.body.data.map { Data($0.readableBytesView) } ?? Data()
        if let replayed = try await remember(
            key: key, agencyID: agencyID, body: body, scope: scope, status: .created, response: response, now: req.now, on: req.db, undo: undo)
        {
            return replayed
        }
        try await AuditLog.record(
            on: req.db, agencyID: agencyID, actor: nil, action: .tripUpdated, subjectType: "trip", subjectID: tripID.uuidString,
            detail: ["via": "api"].merging(audit) { $1 })
        let answer = Response(status: .created, body: .init(data: response))
        answer.headers.contentType = .json
        answer.headers.replaceOrAdd(name: .location, value: location)
        return answer
    }

    /// Performs a POST once per key: the work and the key's record are written in one transaction, so a concurrent
    /// retry with the same key either waits and is answered the stored result, or did the work itself and this one is
    /// rolled back and answered with that. Without a key, the work is simply done.
    static func once(
        _ req: Request, agencyID: UUID, scope: String, status: HTTPResponseStatus,
        perform: @escaping @Sendable (any Database) async throws -> Data
    ) async throws -> Response {
        let key = try key(req)
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        func answer(_ data: Data) -> Response {
            let response = Response(status: status, body: .init(data: data))
            response.headers.contentType = .json
            return response
        }
        guard let key else { return answer(try await perform(req.db)) }
        if let replayed = try await replay(key: key, agencyID: agencyID, body: body, scope: scope, on: req.db) { return replayed }
        let requestHash = digest(body, scope: scope)
        let now = req.now
        do {
            let data = try await req.db.transaction { db in
                // SQLite: the writer's lock before any read, so that a concurrent commit cannot leave this transaction
                // on a stale snapshot (which SQLite answers with an error, not a wait).
                try await takeSQLiteWriteLock(on: db)
                let data = try await perform(db)
                try await makeRecord(key: key, agencyID: agencyID, requestHash: requestHash, status: status, response: data, now: now).create(on: db)
                return data
            }
            return answer(data)
        } catch {
            if let stored = try await stored(key: key, agencyID: agencyID, on: req.db) { return try replay(stored, digest: requestHash) }
            throw error
        }
    }

    /// A 201 names what it created (`Location`: `collection` and the body's `id`), also when it is an answer replayed
    /// for a retry, whose headers were not kept.
    static func locating(_ response: Response, in collection: String) -> Response {
        struct Created: Decodable { var id: UUID }
        if response.status == .created, let data = response.body.data, let created = try? JSONDecoder().decode(Created.self, from: data) {
            response.headers.replaceOrAdd(name: .location, value: "\(collection)/\(created.id)")
        }
        return response
    }

    static func digest(_ body: Data, scope: String) -> String {
        scope.isEmpty ? canonicalDigest(body) : Tokens.sha256Hex(scope + "\n" + canonicalDigest(body))
    }

    static func replay(_ stored: IdempotencyRecord, digest: String) throws -> Response {
        guard stored.requestHash == digest else {
            throw Problem(
                .unprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used with a different request body.")
        }
        let response = Response(status: HTTPResponseStatus(statusCode: stored.responseStatus), body: .init(data: stored.responseBody))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        return response
    }

    /// The same JSON with keys in another order or other spacing is the same request.
    static func canonicalDigest(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]),
            let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        {
            return Tokens.sha256Hex(String(decoding: canonical, as: UTF8.self))
        }
        return Tokens.sha256Hex(String(decoding: body, as: UTF8.self))
    }
}
