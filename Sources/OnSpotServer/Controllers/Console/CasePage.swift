import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// One case as the console's controllers reach it: who may see it, the page that shows it (re-rendered with a refused
/// form's errors by any of them), and the live event announcing a change.
enum CasePage {
    /// The destinations this user may see; nil for OnSpot admins, who see all.
    static func coverage(_ req: Request) async throws -> Set<UUID>? {
        let user = try req.user
        guard user.role == .expert else { return nil }
        return Set(try await ExpertDestination.query(on: req.db).filter(\.$user.$id == user.requireID()).all(\.$destination.$id))
    }

    /// The case named in the path, if this user may see it: experts only those of the destinations they cover.
    static func coveredCase(_ req: Request) async throws -> CaseRecord? {
        guard let id = req.parameters.get("caseID", as: UUID.self), let record = try await CaseRecord.find(id, on: req.db) else { return nil }
        if let covered = try await coverage(req), !covered.contains(record.destinationID ?? UUID()) { return nil }
        return record
    }

    static func requireCase(_ req: Request) async throws -> CaseRecord {
        guard let record = try await coveredCase(req) else { throw PageError(status: .notFound, messageKey: "error.not_found") }
        return record
    }

    /// The case page, with the errors of the form that was refused (costs, notes, assignment, link…) and the cost input to keep.
    static func render(
        _ req: Request, record: CaseRecord, errors: [FieldError] = [], costInput: CostService.Input? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var messages: [MessageRecord] = []
        var conversation: Conversation?
        if let cid = record.conversationID {
            conversation = try await Conversation.find(cid, on: req.db)
            messages = try await MessageRecord.query(on: req.db).filter(\.$conversationID == cid).sort(\.$createdAt).all()
        }
        let traveller = try await record.travellerID.asyncMap { try await Traveller.find($0, on: req.db) } ?? nil
        let trip =
            try await record.tripID.asyncMap { id in
                try await Trip.query(on: req.db).filter(\.$id == id).with(\.$segments).with(\.$destinationLinks) { $0.with(\.$destination) }.first()
            } ?? nil
        let agency = try await record.agencyID.asyncMap { try await Agency.find($0, on: req.db) } ?? nil
        let scope = try await record.agencyID.asyncMap { try await CostService.scopeInForce(for: record, agencyID: $0, on: req.db) } ?? nil
        let destination = try await record.destinationID.asyncMap { try await DestinationRecord.find($0, on: req.db) } ?? nil
        let costs = try await CostAction.query(on: req.db).filter(\.$caseID == record.requireID()).sort(\.$createdAt).all()
        let approvals = costs.isEmpty ? [] : try await Approval.query(on: req.db).filter(\.$costActionID ~~ costs.compactMap(\.id)).all()
        if let traveller {
            try await AuditLog.record(
                on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .travellerDataRead,
                subjectType: "traveller", subjectID: traveller.id?.uuidString, detail: ["via": "console"])
        }
        let attempts = try await AgencyContactAttempt.query(on: req.db).filter(\.$caseID == record.requireID()).sort(\.$attemptedAt).all()
        let costPanel = ConsoleViews.CostPanel(
            costs: costs, approvals: Dictionary(approvals.map { ($0.costActionID, $0) }) { a, _ in a },
            errors: errors, input: costInput, contactAttempts: attempts)
        let notes = try await CaseNote.query(on: req.db).filter(\.$caseID == record.requireID()).sort(\.$createdAt).all()
        let expertIDs = try await ExpertDestination.query(on: req.db).filter(\.$destination.$id == (record.destinationID ?? UUID())).all(\.$user.$id)
        let people = try await User.query(on: req.db).filter(
            \.$id ~~ Set(expertIDs + notes.compactMap(\.authorID) + [record.assigneeID].compactMap { $0 })
        ).all()
        let destinations = try await DestinationRecord.query(on: req.db).filter(\.$active == true).sort(\.$name).all()
        let level = try await serviceLevel(agency: agency, on: req.db)
        let attachments =
            messages.isEmpty
            ? []
            : try await Attachment.query(on: req.db).filter(\.$messageID ~~ messages.compactMap(\.id))
                .field(\.$id).field(\.$messageID).field(\.$mimeType).field(\.$status).field(\.$size).field(\.$providerMediaID).field(\.$attempts)
                .field(\.$createdAt).all()
        var work = ConsoleViews.CaseWork(
            notes: notes, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) }),
            experts: people.filter { expertIDs.contains($0.id!) && $0.active },
            destinations: destinations, clocks: destination.map { SLAClocks(record, level: level, destination: $0) },
            attachments: Dictionary(grouping: attachments, by: \.messageID))
        if let destinationID = record.destinationID {
            work.activities = try await ActivityRecord.query(on: req.db).filter(\.$destinationID == destinationID).filter(\.$active == true)
                .sort(\.$name).all()
        }
        work.bookings = try await ActivityBookingRecord.query(on: req.db).filter(\.$caseID == record.requireID()).sort(\.$requestedAt).all()
        work.audit = try await AuditEntry.query(on: req.db).filter(\.$subjectType == "case").filter(\.$subjectID == record.requireID().uuidString)
            .filter(\.$action ~~ [AuditAction.caseAssigned, .caseTransferred, .conversationLinked, .caseResolved].map(\.rawValue))
            .sort(\.$sequence).all()
        // Who wrote the thread's replies, acted in its events or was assigned the case, read with the rest.
        let assignees = work.audit.compactMap { $0.details["to"].flatMap(UUID.init(uuidString:)) }
        let missing = Set(messages.compactMap(\.authorID) + work.audit.compactMap(\.actorUserID) + assignees).subtracting(work.people.keys)
        if !missing.isEmpty {
            for user in try await User.query(on: req.db).filter(\.$id ~~ missing).all() { if let id = user.id { work.people[id] = user } }
        }
        work.alertBanners = try await AlertsController.consoleBanners(req)
        return req.html(
            ConsoleViews.caseView(
                req: req, record: record, conversation: conversation, messages: messages, traveller: traveller,
                trip: trip, agency: agency, scope: scope, destination: destination, costPanel: costPanel, work: work),
            status: status)
    }

    static func serviceLevel(agency: Agency?, on db: any Database) async throws -> ServiceLevel {
        guard let agency, let plan = try await PlanRecord.find(agency.$plan.id, on: db),
            let level = try await ServiceLevelRecord.query(on: db).filter(\.$planCode == plan.code).first()
        else { return .unidentified }
        return level.level
    }

    private struct AgencyPlan: Decodable {
        let id: UUID
        let planID: UUID
        enum CodingKeys: String, CodingKey { case id, planID = "plan_id" }
    }

    /// Each agency's service level, from its plan: two columns of the agencies, and the two small reference tables.
    static func serviceLevels(of agencyIDs: Set<UUID>, on db: any Database) async throws -> [UUID: ServiceLevel] {
        guard let sql = db as? any SQLDatabase, !agencyIDs.isEmpty else { return [:] }
        let agencyPlans = try await sql.select().column("id").column("plan_id").from(Agency.schema).where("id", .in, Array(agencyIDs))
            .all(decoding: AgencyPlan.self)
        let plans = Dictionary(uniqueKeysWithValues: try await PlanRecord.query(on: db).all().compactMap { p in p.id.map { ($0, p.code) } })
        let byPlan = Dictionary(uniqueKeysWithValues: try await ServiceLevelRecord.query(on: db).all().map { ($0.planCode, $0.level) })
        return Dictionary(uniqueKeysWithValues: agencyPlans.map { ($0.id, plans[$0.planID].flatMap { byPlan[$0] } ?? .unidentified) })
    }

    /// What fills a template's variables, read from the case: the console shows them before the send and the send
    /// uses them for what the expert left blank.
    static func templateValues(
        traveller: Traveller?, destination: DestinationRecord?, trip: Trip?, expert: User, now: Date
    ) -> [TemplateVariable: String] {
        let language = traveller?.language ?? .fr
        var values: [TemplateVariable: String] = [
            .expertFirstName: String(expert.name.split(separator: " ").first ?? Substring(expert.name))
        ]
        values[.travellerFirstName] = traveller?.firstName
        values[.tripReference] = trip?.reference
        if let destination {
            values[.destinationName] = destination.name
            values[.emergencyNumber] = destination.emergencyNumber
            values[.tollFreeNumber] = destination.tollFreeNumber
            let hours = destination.hours.slotsText(on: now, in: destination.zone) ?? L10n.t("template.hours_closed", language)
            values[.destinationHours] = L10n.t("template.hours_zone", language, ["hours": hours, "place": destination.name])
        }
        return values.filter { !$0.value.isEmpty }
    }

    static func publish(_ req: Request, _ record: CaseRecord, _ type: LiveEvent.Kind) {
        req.application.liveHub.publish(destinationID: record.destinationID, .caseChanged(type, record))
    }
}

extension SLAClocks {
    init(_ record: CaseRecord, level: ServiceLevel, destination: DestinationRecord) {
        self.init(
            openedAt: record.openedAt, firstResponseAt: record.firstResponseAt, resolvedAt: record.resolvedAt, level: level,
            hours: destination.hours, zone: destination.zone)
    }
}
