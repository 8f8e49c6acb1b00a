import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// The agency's record of processing (GDPR article 30(2)) with its retention durations, its data-subject request log
/// (article 12(3) deadlines), and the bounds an OnSpot admin sets on retention. Agency admins only; every change audited.
enum DataProtectionController {
    // MARK: Record of processing and retention

    @Sendable static func record(req: Request) async throws -> Response {
        req.html(try await recordPage(req, errors: [], typed: nil))
    }

    static func recordPage(_ req: Request, errors: [FieldError], typed: [RetentionCategory: String]?) async throws -> HTML {
        let agency = try req.agency
        let bounds = try await RetentionPolicies.bounds(on: req.db)
        let months = try await RetentionPolicies.months(for: agency.requireID(), on: req.db)
        return PrivacyViews.record(
            req: req, agency: agency, bounds: bounds, months: months, typed: typed, processors: try await processors(req), errors: errors)
    }

    /// The outside services this installation actually uses, as configured: a channel counts once one of its endpoints
    /// is active, Stripe once its key is set, the mail server once its host is.
    static func processors(_ req: Request) async throws -> [PrivacyViews.Processor] {
        let channels = Set(try await ChannelEndpoint.query(on: req.db).filter(\.$active == true).all(\.$channel))
        let config = req.application.onspot
        var result: [PrivacyViews.Processor] = []
        if channels.contains(.whatsapp) || channels.contains(.messenger) { result.append(.meta) }
        if channels.contains(.voice) { result.append(.twilio) }
        if config.stripeSecretKey != nil { result.append(.stripe) }
        if let host = config.smtpHost, !config.mailDisabled { result.append(.mail(host: host)) }
        return result
    }

    @Sendable static func saveRetention(req: Request) async throws -> Response {
        let agency = try req.agency
        let agencyID = try agency.requireID()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let bounds = try await RetentionPolicies.bounds(on: req.db)
        var chosen: [RetentionCategory: Int] = [:]
        var errors: [FieldError] = []
        for category in RetentionCategory.allCases {
            let range = (bounds[category] ?? .standard(category))
            let text = (form["months.\(category.rawValue)"] ?? "").trimmingCharacters(in: .whitespaces)
            guard text.count <= 4, let value = Int(text), (range.minimum...range.maximum).contains(value) else {
                errors.append(FieldError(field: "months.\(category.rawValue)", message: "retention.error.months"))
                continue
            }
            chosen[category] = value
        }
        guard errors.isEmpty else {
            let typed = Dictionary(
                uniqueKeysWithValues: RetentionCategory.allCases.map { ($0, String((form["months.\($0.rawValue)"] ?? "").prefix(10))) })
            return req.html(try await recordPage(req, errors: errors, typed: typed), status: .unprocessableEntity)
        }
        let userID = try req.user.id
        let decided = chosen
        // Two first saves at once: the unique index refuses the second, which then finds the rows and updates them.
        try await onceMoreOnConflict {
            try await req.db.transaction { db in
                try await takeSQLiteWriteLock(on: db)
                let existing = try await RetentionPolicyRecord.query(on: db).filter(\.$agencyID == agencyID).all()
                for (category, months) in decided {
                    let row = existing.first { $0.category == category } ?? RetentionPolicyRecord()
                    row.agencyID = agencyID
                    row.category = category
                    row.months = months
                    row.updatedAt = req.now
                    row.updatedBy = userID
                    try await row.save(on: db)
                }
                try await AuditLog.record(
                    on: db, agencyID: agencyID, actor: userID, action: .retentionChanged, subjectType: "agency", subjectID: agencyID.uuidString,
                    detail: Dictionary(uniqueKeysWithValues: decided.map { ($0.key.rawValue, String($0.value)) }))
            }
        }
        req.flash(L10n.t("privacy.retention_saved", req.language))
        return req.redirect(to: .privacy)
    }

    // MARK: Data-subject requests

    @Sendable static func requests(req: Request) async throws -> Response {
        req.html(try await requestsPage(req, errors: [], typed: nil))
    }

    static func requestsPage(_ req: Request, errors: [FieldError], typed: RequestForm?, status: HTTPStatus = .ok) async throws -> HTML {
        let agencyID = try req.agencyID
        let rows = try await DataSubjectRequest.query(on: req.db).filter(\.$agencyID == agencyID).sort(\.$receivedOn, .descending)
            .sort(\.$createdAt, .descending).limit(500).all()
        // Overdue among all of them, not only the 500 shown: open past its deadline, or extended past the extension.
        let today = DataSubjectDeadline.startOfDay(req.now)
        let overdue = try await DataSubjectRequest.query(on: req.db).filter(\.$agencyID == agencyID)
            .group(.or) { any in
                any.group(.and) { $0.filter(\.$status == .open).filter(\.$dueOn < today) }
                any.group(.and) { $0.filter(\.$status == .extended).filter(\.$extendedUntil < today) }
            }.count()
        return PrivacyViews.requests(req: req, requests: rows, overdue: overdue, errors: errors, typed: typed)
    }

    struct RequestForm: Content {
        var kind: String?
        var subjectReference: String?
        var receivedOn: String?
    }

    @Sendable static func recordRequest(req: Request) async throws -> Response {
        let form = (try? req.content.decode(RequestForm.self)) ?? RequestForm()
        var errors: [FieldError] = []
        let kind = DataSubjectRequestKind(rawValue: form.kind ?? "")
        if kind == nil { errors.append(FieldError(field: "kind", message: "error.choice")) }
        let subject = (form.subjectReference ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        errors.append(TextField.check(subject, field: "subjectReference", limit: 200))
        let received = DataSubjectDeadline.day((form.receivedOn ?? "").trimmingCharacters(in: .whitespaces), today: req.now)
        if received == nil || received! > req.now.addingTimeInterval(86400) {
            errors.append(FieldError(field: "receivedOn", message: "dsr.error.received"))
        }
        guard errors.isEmpty, let kind, let received else {
            return req.html(try await requestsPage(req, errors: errors, typed: form), status: .unprocessableEntity)
        }
        let request = DataSubjectRequest()
        request.agencyID = try req.agencyID
        request.kind = kind
        request.subjectReference = subject
        request.receivedOn = received
        request.dueOn = DataSubjectDeadline.due(received: received)
        request.status = .open
        request.createdAt = req.now
        request.createdBy = try req.user.id
        try await req.db.transaction { db in
            try await request.create(on: db)
            try await AuditLog.record(
                on: db, agencyID: request.agencyID, actor: request.createdBy, action: .dataRequestRecorded, subjectType: "data_request",
                subjectID: request.id?.uuidString,
                detail: ["kind": kind.rawValue, "receivedOn": DataSubjectDeadline.text(received), "dueOn": DataSubjectDeadline.text(request.dueOn)])
        }
        req.flash(L10n.t("dsr.recorded", req.language, ["due": DataSubjectDeadline.text(request.dueOn)]))
        return req.redirect(to: .dataRequests)
    }

    /// The request read again inside a transaction, locked against a concurrent decision: `FOR UPDATE` on PostgreSQL,
    /// the write lock on SQLite.
    static func lockedRequest(_ id: UUID, on db: any Database) async throws -> DataSubjectRequest? {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM data_subject_requests WHERE id = \(bind: id) FOR UPDATE").run()
        } else {
            try await takeSQLiteWriteLock(on: db)
        }
        return try await DataSubjectRequest.find(id, on: db)
    }

    /// Another agency's request, or an unknown id, is not found.
    static func requireRequest(_ req: Request) async throws -> DataSubjectRequest {
        let agencyID = try req.agencyID
        guard let id = req.parameters.get("requestID", as: UUID.self),
            let request = try await DataSubjectRequest.query(on: req.db).filter(\.$id == id).filter(\.$agencyID == agencyID).first()
        else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return request
    }

    /// Two further months, once, decided before the first deadline passes, with the reason the person is told.
    @Sendable static func extend(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let request = try await requireRequest(req)
        guard request.status == .open else {
            throw PageError(status: .conflict, messageKey: request.status.isClosed ? "dsr.error.closed" : "dsr.error.already_extended")
        }
        guard DataSubjectDeadline.daysLeft(until: request.dueOn, today: req.now) >= 0 else {
            throw PageError(status: .conflict, messageKey: "dsr.error.too_late_to_extend")
        }
        let reason = ((try? req.content.decode(Form.self))?.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let error = TextField.check(reason, field: "reason-\(try request.requireID())", limit: 1000) {
            return req.html(try await requestsPage(req, errors: [error], typed: nil), status: .unprocessableEntity)
        }
        let id = try request.requireID()
        let userID = try req.user.id
        let secret = req.application.onspot.secretKey
        let until = try await req.db.transaction { db -> Date in
            // Read again under a lock: of two submits at once, the second finds it extended.
            guard let fresh = try await lockedRequest(id, on: db), fresh.status == .open else {
                throw PageError(status: .conflict, messageKey: "dsr.error.already_extended")
            }
            fresh.extendedUntil = DataSubjectDeadline.extended(due: fresh.dueOn)
            fresh.extensionReason = reason
            fresh.status = .extended
            try await fresh.save(on: db)
            try await AuditLog.record(
                on: db, agencyID: fresh.agencyID, actor: userID, action: .dataRequestExtended, subjectType: "data_request",
                subjectID: id.uuidString,
                detail: ["until": DataSubjectDeadline.text(fresh.deadline), "reasonDigest": AuditLog.digest(reason, secret: secret)])
            return fresh.deadline
        }
        req.flash(L10n.t("dsr.extended", req.language, ["due": DataSubjectDeadline.text(until)]))
        return req.redirect(to: .dataRequests)
    }

    /// Done or refused, with what the person was answered (required when refused: article 12(4)).
    @Sendable static func close(req: Request) async throws -> Response {
        struct Form: Content { var status: String?; var outcome: String? }
        let request = try await requireRequest(req)
        guard !request.status.isClosed else { throw PageError(status: .conflict, messageKey: "dsr.error.closed") }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let outcome = (form.outcome ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let field = "outcome-\(try request.requireID())"
        var errors: [FieldError] = []
        let status = DataSubjectRequestStatus(rawValue: form.status ?? "")
        if status == nil || !(status?.isClosed ?? false) { errors.append(FieldError(field: field, message: "dsr.error.status")) }
        if let e = TextField.check(outcome, field: field, required: false, limit: 2000) { errors.append(e) }
        if status == .refused && outcome.isEmpty { errors.append(FieldError(field: field, message: "dsr.error.outcome")) }
        guard errors.isEmpty, let status else {
            return req.html(try await requestsPage(req, errors: errors, typed: nil), status: .unprocessableEntity)
        }
        let id = try request.requireID()
        let userID = try req.user.id
        let secret = req.application.onspot.secretKey
        let now = req.now
        try await req.db.transaction { db in
            guard let fresh = try await lockedRequest(id, on: db), !fresh.status.isClosed else {
                throw PageError(status: .conflict, messageKey: "dsr.error.closed")
            }
            fresh.status = status
            fresh.outcome = outcome.nilIfEmpty
            fresh.closedAt = now
            fresh.closedBy = userID
            try await fresh.save(on: db)
            try await AuditLog.record(
                on: db, agencyID: fresh.agencyID, actor: userID, action: .dataRequestClosed, subjectType: "data_request",
                subjectID: id.uuidString,
                detail: [
                    "status": status.rawValue, "onTime": String(DataSubjectDeadline.daysLeft(until: fresh.deadline, today: now) >= 0),
                    "outcomeDigest": AuditLog.digest(outcome, secret: secret)
                ])
        }
        req.flash(L10n.t("dsr.closed", req.language))
        return req.redirect(to: .dataRequests)
    }

    // MARK: OnSpot admin: bounds and the purge's reports

    @Sendable static func adminRetention(req: Request) async throws -> Response {
        req.html(try await adminPage(req, errors: [], typed: nil))
    }

    static func adminPage(_ req: Request, errors: [FieldError], typed: [String: String]?) async throws -> HTML {
        let bounds = try await RetentionPolicies.bounds(on: req.db)
        let runs = try await JobRun.query(on: req.db).filter(\.$key =~ "purge:").sort(\.$startedAt, .descending).limit(14).all()
        return PrivacyViews.adminRetention(req: req, bounds: bounds, runs: runs, errors: errors, typed: typed)
    }

    @Sendable static func saveAdminRetention(req: Request) async throws -> Response {
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        func number(_ name: String) -> Int? {
            let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
            return text.count <= 4 ? Int(text) : nil
        }
        var chosen: [RetentionCategory: RetentionBounds] = [:]
        var errors: [FieldError] = []
        for category in RetentionCategory.allCases {
            let c = category.rawValue
            switch RetentionBounds.check(
                minimum: number("minimum.\(c)"), maximum: number("maximum.\(c)"), defaultMonths: number("default.\(c)"), category: category)
            {
            case .success(let bounds): chosen[category] = bounds
            case .failure(let failure): errors += failure.errors
            }
        }
        guard errors.isEmpty else {
            return req.html(try await adminPage(req, errors: errors, typed: form.mapValues { String($0.prefix(10)) }), status: .unprocessableEntity)
        }
        let userID = try req.user.id
        let decided = chosen
        try await onceMoreOnConflict {
            try await req.db.transaction { db in
                try await takeSQLiteWriteLock(on: db)
                let existing = try await RetentionBoundsRecord.query(on: db).all()
                var detail: [String: String] = [:]
                for (category, bounds) in decided {
                    let row = existing.first { $0.category == category } ?? RetentionBoundsRecord()
                    row.category = category
                    row.minimumMonths = bounds.minimum
                    row.maximumMonths = bounds.maximum
                    row.defaultMonths = bounds.defaultMonths
                    row.updatedAt = req.now
                    row.updatedBy = userID
                    try await row.save(on: db)
                    detail[category.rawValue] = "\(bounds.minimum)-\(bounds.maximum) (\(bounds.defaultMonths))"
                }
                try await AuditLog.record(
                    on: db, agencyID: nil, actor: userID, action: .retentionBoundsChanged, subjectType: "platform", subjectID: nil, detail: detail)
            }
        }
        req.flash(L10n.t("retention.bounds_saved", req.language))
        return req.redirect(to: .adminRetention)
    }

    static func onceMoreOnConflict(_ work: () async throws -> Void) async throws {
        do { try await work() } catch let error as any DatabaseError where error.isConstraintFailure { try await work() }
    }
}
