import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// `ETag` and `If-Match` on the API's resources that two systems may change (trips, travellers, itinerary segments):
/// a strong validator of the representation and the row's version; a change sent with `If-Match` applies only to the
/// version it read, checked again in the database when written, so two systems sending the same ETag at once cannot
/// both win.
enum ApiPreconditions {
    /// Any change of any field of the answer, or of the row's version, changes it.
    static func etag(_ output: some Encodable, version: Int) throws -> String {
        let json = String(decoding: try JSONEncoder.sorted.encode(output), as: UTF8.self)
        return "\"" + String(Tokens.sha256Hex("\(version)|" + json).prefix(32)) + "\""
    }

    /// `If-Match`, when sent, must name the resource as it is now (or be `*`); `changed` (412) otherwise.
    static func check(_ req: Request, current: String, changed: Problem) throws {
        guard let expected = req.headers.first(name: .ifMatch) else { return }
        guard expected.count <= 1000 else {
            throw Problem(
                .badRequest, "malformed", "Invalid If-Match", detail: "If-Match is at most 1000 characters: the ETag read with the resource.")
        }
        let listed = expected.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard listed.contains("*") || listed.contains(current) else { throw changed }
    }

    /// Raises the row's version from the one read, in the database: false when another change came first.
    static func claim(table: String, id: UUID, version: Int, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.update(table).raisingVersion()
            .where("id", .equal, id).where("version", .equal, version).returning("id").all()
        return !rows.isEmpty
    }

    /// Claims the version read, when `If-Match` was sent: the write that follows in the same transaction is refused
    /// (`changed`, 412) if another change came in between.
    static func claimIfMatched(_ req: Request, table: String, id: UUID, version: Int, changed: Problem, on db: any Database) async throws {
        guard req.headers.first(name: .ifMatch) != nil else { return }
        guard try await claim(table: table, id: id, version: version, on: db) else { throw changed }
    }

    static func changed(_ what: String) -> Problem {
        Problem(
            .preconditionFailed, "precondition-failed", "\(what) changed",
            detail: "The \(what.lowercased()) changed since the ETag sent in If-Match: read it again, then apply the change.")
    }

    /// A JSON answer with its ETag.
    static func respond(_ output: some Encodable, version: Int, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status, body: .init(data: try JSONEncoder.sorted.encode(output)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .eTag, value: try etag(output, version: version))
        return response
    }
}

/// A row whose `version` every save raises (`VersionedModelMiddleware`), so `If-Match` can claim it.
protocol VersionedModel: Model {
    var version: Int { get set }
    var versionIsSet: Bool { get }
}

extension Trip: VersionedModel {
    var versionIsSet: Bool { $version.value != nil }
}

extension Traveller: VersionedModel {
    var versionIsSet: Bool { $version.value != nil }
}

/// Every Fluent save of a versioned model that changes something raises its version in the database (`version + 1`,
/// not a number computed from the copy in memory, which may be older than the row), first and in the same transaction
/// as the write: the raise takes the row (PostgreSQL's row lock, SQLite's writer), so an API claim of the version it
/// read cannot slip between the raise and the fields. The portal's edits, billing, erasure, as well as the API. The
/// copy in memory keeps the version it was read with; the API reads the row again before answering.
struct VersionedModelMiddleware<M: VersionedModel>: AsyncModelMiddleware {
    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        if !model.versionIsSet { model.version = 0 }
        try await next.create(model, on: db)
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        // A save that changes nothing writes nothing: the version, and so the ETag, stay.
        guard model.hasChanges, let id = model.id else { return try await next.update(model, on: db) }
        try await db.transaction { db in
            if let sql = db as? any SQLDatabase {
                try await sql.update(M.schema).raisingVersion().where("id", .equal, SQLBind(id)).run()
            }
            try await next.update(model, on: db)
        }
    }
}

extension SQLUpdateBuilder {
    /// `version = version + 1`: how every writer of a versioned row (trips, travellers, itinerary segments) tells the
    /// API's `If-Match` that the row changed.
    func raisingVersion() -> Self { set(SQLIdentifier("version"), to: SQLRaw("\"version\" + 1")) }
}
