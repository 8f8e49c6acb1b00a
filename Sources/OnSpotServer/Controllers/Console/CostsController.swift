import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The console's cost actions and case classification. Thin: the decision is the core's, the work is CostService's.
enum CostsController {
    @Sendable static func record(req: Request) async throws -> Response {
        let record = try await CasePage.requireCase(req)
        let input = try req.content.decode(CostService.Input.self)
        do {
            let recorded = try await CostService.record(input, on: record, by: try req.user.id, app: req.application, db: req.db)
            req.flash("\(L10n.t("cost.outcome.\(recorded.action.decision)", req.language)) – \(L10n.t(recorded.action.reason ?? "", req.language))")
            return req.redirect(to: SiteURL.consoleCase(record.id!).with("#costs"))
        } catch let failure as ValidationFailure {
            return try await CasePage.render(
                req, record: record, errors: failure.errors, costInput: input, status: .unprocessableEntity)
        } catch let problem as Problem {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "case", message: problem.detail ?? problem.title)],
                costInput: input, status: problem.httpStatus)
        }
    }

    /// An attempt to reach the agency (channel, result, an optional note), at the time it is recorded.
    @Sendable static func recordContactAttempt(req: Request) async throws -> Response {
        struct Form: Content { var contactChannel: String?; var contactResult: String?; var contactNote: String? }
        let record = try await CasePage.requireCase(req)
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let channel = form.contactChannel.flatMap(AgencyContactChannel.init(rawValue:))
        if channel == nil { errors.append(FieldError(field: "contactChannel", message: "error.choice")) }
        let result = form.contactResult.flatMap(AgencyContactResult.init(rawValue:))
        if result == nil { errors.append(FieldError(field: "contactResult", message: "error.choice")) }
        let note = (form.contactNote ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        errors.append(TextField.check(note, field: "contactNote", required: false, limit: 500))
        guard errors.isEmpty, let channel, let result else {
            return try await CasePage.render(req, record: record, errors: errors, status: .unprocessableEntity)
        }
        let attempt = AgencyContactAttempt()
        attempt.caseID = try record.requireID()
        attempt.agencyID = record.agencyID
        attempt.channel = channel
        attempt.result = result
        attempt.note = note.isEmpty ? nil : note
        attempt.attemptedAt = req.now
        attempt.recordedBy = try req.user.id
        try await req.db.transaction { db in
            try await attempt.create(on: db)
            try await AuditLog.record(
                on: db, agencyID: record.agencyID, actor: attempt.recordedBy, action: .agencyContactAttempted, subjectType: "case",
                subjectID: record.id?.uuidString, detail: ["channel": channel.rawValue, "result": result.rawValue])
        }
        req.flash(L10n.t("contact.recorded", req.language))
        return req.redirect(to: SiteURL.consoleCase(attempt.caseID).with("#costs"))
    }

    /// Category, priority and the safety flag: the emergency exception depends on them, so each change is audited.
    @Sendable static func classify(req: Request) async throws -> Response {
        struct Form: Content { var category: String?; var priority: String?; var safety: String?; var status: String? }
        let record = try await CasePage.requireCase(req)
        let form = try req.content.decode(Form.self)
        guard let category = form.category.flatMap(CaseCategory.init(rawValue:)), let priority = form.priority.flatMap(CasePriority.init(rawValue:))
        else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "category", message: "error.choice")],
                status: .unprocessableEntity)
        }
        let safety = form.safety == "on" || form.safety == "true"
        let before = [
            "category": record.category.rawValue, "priority": record.priority.rawValue, "safety": String(record.safetyFlag),
            "status": record.status.rawValue
        ]
        // The expert moves an open case between working states; resolving has its own form, with its summary.
        if let text = form.status, !text.isEmpty {
            guard let status = CaseStatus(rawValue: text), CaseStatus.settableByExpert.contains(status), record.status.isOpen else {
                return try await CasePage.render(
                    req, record: record, errors: [FieldError(field: "status", message: "error.choice")],
                    status: .unprocessableEntity)
            }
            record.status = status
        }
        record.category = category
        record.priority = priority
        record.safetyFlag = safety
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .caseClassified, subjectType: "case",
            subjectID: record.id?.uuidString,
            detail: [
                "category": category.rawValue, "priority": priority.rawValue,
                "safety": String(safety),
                "before": before.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            ])
        CasePage.publish(req, record, .caseUpdated)
        return req.redirect(to: .consoleCase(record.id!))
    }
}
