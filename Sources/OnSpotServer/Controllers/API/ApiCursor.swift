import Fluent
import FluentSQL
import Foundation
import OnSpotCore
import Vapor

/// Where a page of a newest-first list ends: the last row of the page, named by its id. The next page starts below it
/// in (time, id) order, compared by the database on the stored values (a time carried in the cursor would come back
/// rounded and skip or repeat rows written at the same instant). Opaque to clients: base64url of "v1_<id>".
struct ApiCursor: Equatable {
    let id: UUID

    var text: String {
        Data("v1_\(id.uuidString)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(id: UUID) { self.id = id }

    init?(_ text: String) {
        guard text.count <= 200 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("v1_"),
            let id = UUID(uuidString: String(decoded.dropFirst(3)))
        else { return nil }
        self.init(id: id)
    }

    /// The rows after the cursor's row of `table`, newest first by `time` then id. The caller checks first that the
    /// cursor's row belongs to the agency.
    func rowsAfter(table: String, time: String) -> DatabaseQuery.Filter {
        .sql(
            embed: """
                (\(ident: table).\(ident: time) < (SELECT "c".\(ident: time) FROM \(ident: table) AS "c" WHERE "c"."id" = \(bind: id)) \
                OR (\(ident: table).\(ident: time) = (SELECT "c".\(ident: time) FROM \(ident: table) AS "c" WHERE "c"."id" = \(bind: id)) \
                AND \(ident: table)."id" < \(bind: id)))
                """)
    }

    /// One page of a newest-first list. `query` holds the agency's rows with the list's filters, `owned` the agency's
    /// rows alone (a cursor must name one of them: another agency's id pages nothing and tells nothing); `errors` are the
    /// filters' own, refused together with a bad cursor.
    static func page<M: Model>(
        _ query: QueryBuilder<M>, owned: QueryBuilder<M>, newestBy time: KeyPath<M, FieldProperty<M, Date>>, limit: Int,
        errors: [FieldError], path: String, filterNames: [String], req: Request
    ) async throws -> (items: [M], next: String?) where M.IDValue == UUID {
        var errors = errors
        if let text = req.query[String.self, at: "cursor"] {
            if let cursor = ApiCursor(text), try await owned.filter(\._$id == cursor.id).count() == 1 {
                query.filter(cursor.rowsAfter(table: M.schema, time: M.path(for: time).map(\.description).joined(separator: "_")))
            } else {
                errors.append(FieldError(field: "cursor", message: "The cursor of a previous page's next link."))
            }
        }
        guard errors.isEmpty else { throw ApiTripsController.validationProblem(errors) }
        let found = try await query.sort(time, .descending).sort(\._$id, .descending).limit(limit + 1).all()
        let items = Array(found.prefix(limit))
        guard found.count > limit, let last = items.last?.id else { return (items, nil) }
        return (items, nextLink(path, req: req, filterNames: filterNames, last: last))
    }

    /// The next page's path: the same filters, and the cursor after `last`. Encoded by hand: a "+" left as is in an
    /// offset would come back as a space.
    static func nextLink(_ path: String, req: Request, filterNames: [String], last: UUID) -> String {
        path + "?" + (keptFilters(req, filterNames) + ["cursor=\(ApiCursor(id: last).text)"]).joined(separator: "&")
    }

    /// The request's own values of `names`, as "name=value" query items of a next link. Encoded by hand: a "+" left as
    /// is in an offset would come back as a space.
    static func keptFilters(_ req: Request, _ names: [String]) -> [String] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return names.compactMap { name in
            req.query[String.self, at: name].map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        }
    }
}
