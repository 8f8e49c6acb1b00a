import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The expert's work on a case beyond replying: internal notes, assignment, transfer to another destination, and
/// linking an unidentified conversation to the traveller's trip. Every action answers 404 outside the expert's cover.
enum CaseWorkController {
    @Sendable static func addNote(req: Request) async throws -> Response {
        struct Form: Content { var body: String? }
        let record = try await CasePage.requireCase(req)
        let body = (try req.content.decode(Form.self).body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let error = TextField.check(body, field: "note", limit: 4000) {
            return try await CasePage.render(req, record: record, errors: [error], status: .unprocessableEntity)
        }
        let note = CaseNote()
        note.caseID = try record.requireID()
        note.authorID = try req.user.id
        note.body = body
        note.createdAt = req.now
        try await note.create(on: req.db)
        CasePage.publish(req, record, .caseUpdated)
        return req.redirect(to: SiteURL.consoleCase(record.id!).with("#notes"))
    }

    /// Assigns the case to an expert who covers its destination (or to oneself).
    @Sendable static func assign(req: Request) async throws -> Response {
        struct Form: Content { var assignee: String? }
        let record = try await CasePage.requireCase(req)
        let id = (try req.content.decode(Form.self).assignee).flatMap(UUID.init(uuidString:))
        var covers = false
        if let id, let destinationID = record.destinationID,
            let user = try await User.find(id, on: req.db), user.active, user.role == .expert
        {
            covers =
                try await ExpertDestination.query(on: req.db).filter(\.$user.$id == id).filter(\.$destination.$id == destinationID).first() != nil
        }
        guard let id, covers else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "assignee", message: "error.choice")],
                status: .unprocessableEntity)
        }
        let before = record.assigneeID
        record.assigneeID = id
        if record.status == .new { record.status = .inProgress }
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .caseAssigned, subjectType: "case",
            subjectID: record.id?.uuidString, detail: ["to": id.uuidString, "from": before?.uuidString ?? ""])
        CasePage.publish(req, record, .caseUpdated)
        return req.redirect(to: .consoleCase(record.id!))
    }

    /// Hands the case to another destination's team (a traveller who moved on); the case leaves this expert's queue
    /// if they do not cover it, and its assignee is cleared.
    @Sendable static func transfer(req: Request) async throws -> Response {
        struct Form: Content { var destination: String? }
        let record = try await CasePage.requireCase(req)
        let code = try req.content.decode(Form.self).destination ?? ""
        guard let destination = try await DestinationRecord.query(on: req.db).filter(\.$code == code).filter(\.$active == true).first(),
            destination.id != record.destinationID
        else {
            return try await CasePage.render(
                req, record: record, errors: [FieldError(field: "destination", message: "error.choice")],
                status: .unprocessableEntity)
        }
        let before = record.destinationID
        record.destinationID = destination.id
        record.assigneeID = nil
        try await record.save(on: req.db)
        try await AuditLog.record(
            on: req.db, agencyID: record.agencyID, actor: try req.user.id, action: .caseTransferred, subjectType: "case",
            subjectID: record.id?.uuidString, detail: ["to": destination.code, "from": before?.uuidString ?? ""])
        req.application.liveHub.publish(destinationID: before, .caseChanged(.caseResolved, record))
        req.application.liveHub.publish(destinationID: destination.id, .caseChanged(.caseUpdated, record))
        req.flash("→ \(destination.name)")
        let stillCovered = try await CasePage.coverage(req).map { $0.contains(destination.id!) } ?? true
        return req.redirect(to: stillCovered ? SiteURL.consoleCase(record.id!).path : SiteURL.console.path)
    }

    /// Links an unidentified conversation to a trip going to the case's destination, found by its booking reference
    /// (and the traveller's last name when the trip has several travellers).
    @Sendable static func link(req: Request) async throws -> Response {
        struct Form: Content { var reference: String?; var lastName: String? }
        let record = try await CasePage.requireCase(req)
        let form = try req.content.decode(Form.self)
        let reference = (form.reference ?? "").trimmingCharacters(in: .whitespaces)
        func refuse(_ message: String) async throws -> Response {
            try await CasePage.render(
                req, record: record, errors: [FieldError(field: "reference", message: message)],
                status: .unprocessableEntity)
        }
        if let error = TextField.check(reference, field: "reference", limit: 64) { return try await refuse(error.message) }
        guard record.agencyID == nil, let conversationID = record.conversationID,
            let conversation = try await Conversation.find(conversationID, on: req.db)
        else { return try await refuse("link.error.already") }
        // Trips with this reference that go to the case's destination and are in their service window.
        let links = try await TripDestination.query(on: req.db).filter(\.$destination.$id == (record.destinationID ?? UUID()))
            .join(Trip.self, on: \TripDestination.$trip.$id == \Trip.$id)
            .filter(Trip.self, \.$reference == reference).filter(Trip.self, \.$status == TripStatus.booked)
            .with(\.$trip) { $0.with(\.$travellerLinks) { $0.with(\.$traveller) } }.all()
        let now = req.now
        let trips = links.map(\.trip).filter { TripRules.serviceWindow(arrival: $0.arrivalAt, return: $0.returnAt).contains(now) }
        guard trips.count == 1, let trip = trips.first else {
            return try await refuse(trips.isEmpty ? "link.error.not_found" : "link.error.ambiguous")
        }
        let travellers = trip.travellerLinks.sorted { $0.position < $1.position }.map(\.traveller)
        let lastName = (form.lastName ?? "").trimmingCharacters(in: .whitespaces).folding(
            options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let matching =
            lastName.isEmpty
            ? travellers
            : travellers.filter {
                $0.lastName.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == lastName
            }
        guard matching.count == 1, let traveller = matching.first else {
            return try await refuse("link.error.which_traveller")
        }
        try await req.db.transaction { db in
            conversation.identified = true
            conversation.travellerID = traveller.id
            conversation.tripID = trip.id
            conversation.agencyID = trip.$agency.id
            try await conversation.save(on: db)
            record.travellerID = traveller.id
            record.tripID = trip.id
            record.agencyID = trip.$agency.id
            try await record.save(on: db)
            try await AuditLog.record(
                on: db, agencyID: trip.$agency.id, actor: try req.user.id, action: .conversationLinked, subjectType: "case",
                subjectID: record.id?.uuidString, detail: ["trip": trip.id?.uuidString ?? "", "traveller": traveller.id?.uuidString ?? ""])
        }
        CasePage.publish(req, record, .caseUpdated)
        return req.redirect(to: .consoleCase(record.id!))
    }

    /// The expert's own phone and duty state, which the voice line reads to dial the on-duty experts.
    @Sendable static func duty(req: Request) async throws -> Response {
        struct Form: Content { var phone: String?; var onDuty: String? }
        let user = try req.user
        let form = try req.content.decode(Form.self)
        let text = (form.phone ?? "").trimmingCharacters(in: .whitespaces)
        let phone = text.isEmpty ? nil : PhoneNumber(text)
        guard text.isEmpty || phone != nil else { throw PageError(status: .unprocessableEntity, messageKey: "error.phone_e164") }
        let onDuty = form.onDuty == "on" || form.onDuty == "true"
        guard !onDuty || phone != nil else { throw PageError(status: .unprocessableEntity, messageKey: "duty.error.phone") }
        user.phone = phone?.e164
        user.onDuty = onDuty
        try await user.save(on: req.db)
        req.flash(L10n.t(onDuty ? "duty.on" : "duty.off", req.language))
        return req.redirect(to: .console)
    }
}
