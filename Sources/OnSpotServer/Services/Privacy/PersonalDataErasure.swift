import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// The free texts written about a case (notes, resolution, the traveller's satisfaction comment, cost purposes and justifications, approval texts, contact
/// attempt notes): cleared when its traveller is erased or when the retention purge reaches it. Amounts, times and
/// decisions stay.
enum CaseTexts {
    static func all(caseIDs: [UUID], on db: any Database) async throws -> Set<String> {
        let cases = try await CaseRecord.query(on: db).filter(\.$id ~~ caseIDs).all()
        let notes = try await CaseNote.query(on: db).filter(\.$caseID ~~ caseIDs).all().map(\.body)
        let costs = try await CostAction.query(on: db).filter(\.$caseID ~~ caseIDs).all()
        let approvals = try await Approval.query(on: db).filter(\.$costActionID ~~ costs.compactMap(\.id)).all()
        var texts = Set(cases.compactMap(\.resolutionSummary) + cases.compactMap(\.satisfactionComment) + notes)
        texts.formUnion(costs.flatMap { [$0.purpose, $0.emergencyJustification, $0.reason].compactMap { $0 } })
        texts.formUnion(approvals.flatMap { [$0.shownText, $0.comment].compactMap { $0 } })
        return texts.subtracting([PersonalDataErasure.placeholder])
    }

    /// Returns how many notes were deleted.
    @discardableResult
    static func clear(caseIDs: [UUID], on db: any Database) async throws -> Int {
        guard !caseIDs.isEmpty else { return 0 }
        let notes = try await CaseNote.query(on: db).filter(\.$caseID ~~ caseIDs).count()
        try await CaseNote.query(on: db).filter(\.$caseID ~~ caseIDs).delete()
        try await CaseRecord.query(on: db).filter(\.$id ~~ caseIDs).set(\.$resolutionSummary, to: nil).set(\.$satisfactionComment, to: nil)
            .update()
        let costIDs = try await CostAction.query(on: db).filter(\.$caseID ~~ caseIDs).all(\.$id)
        try await CostAction.query(on: db).filter(\.$caseID ~~ caseIDs).set(\.$purpose, to: PersonalDataErasure.placeholder)
            .set(\.$reason, to: nil).set(\.$emergencyJustification, to: nil).update()
        if !costIDs.isEmpty {
            try await Approval.query(on: db).filter(\.$costActionID ~~ costIDs).set(\.$shownText, to: PersonalDataErasure.placeholder)
                .set(\.$comment, to: nil).update()
        }
        try await AgencyContactAttempt.query(on: db).filter(\.$caseID ~~ caseIDs).set(\.$note, to: nil).update()
        return notes
    }
}

/// Erases a traveller for their agency (GDPR article 17), on every registration of the person (same phone or email):
/// identity and contact fields, message texts and media, attachment bytes, notes and free texts about them, the raw
/// webhook bodies and outgoing payloads that carried their words, and their name, phone and email wherever the product
/// copied them into notifications, agency webhook payloads or cached API answers. What the law and the contract keep
/// stays, without the person: trips and their dates, cases and their times and categories, costs and approvals with
/// their amounts, activities and commissions, invoices, consents given and withdrawn, and the audit trail, whose chain
/// still verifies (it is never edited: it names people by id and free texts by a keyed digest, `AuditLog.digest`).
/// Conversations are closed: the phone no longer matches them. Call recordings are deleted at Twilio by the next purge
/// run (`RetentionPurge.purgeRecordings`), which the erasure starts at once.
enum PersonalDataErasure {
    struct Summary: Equatable, Content {
        var travellers = 0, messages = 0, attachments = 0, cases = 0, notes = 0, copies = 0
    }

    static let placeholder = "—"

    static func erase(travellerID: UUID, agencyID: UUID, actor: UUID?, via: String, on db: any Database) async throws -> Summary? {
        guard let person = try await PersonalDataExport.person(travellerID: travellerID, agencyID: agencyID, on: db) else { return nil }
        let people = person.registrations
        let personIDs = people.compactMap(\.id)
        // What to look for in free texts: names, phones (as stored and as digits), emails.
        var terms = Set<String>()
        for p in people where p.erasedAt == nil {
            terms.formUnion([p.fullName, "\(p.lastName) \(p.firstName)"])
            if let phone = p.phone { terms.formUnion([phone, String(phone.filter(\.isNumber))]) }
            if let email = p.email { terms.insert(email) }
        }
        let searched = terms.filter { $0.count >= 5 }

        // The write lock first: on SQLite a webhook committed between a first read and a first write would fail it.
        return try await db.transaction { db -> Summary in
            try await takeSQLiteWriteLock(on: db)
            var summary = Summary()
            let now = AppClock.now
            let conversations = try await PersonalDataExport.conversations(of: personIDs, agencyID: agencyID, on: db)
            let conversationIDs = conversations.compactMap(\.id)
            let messages = try await MessageRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).all()
            let messageIDs = messages.compactMap(\.id)
            summary.messages = messages.count
            try await MessageRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).set(\.$body, to: nil).set(\.$failedReason, to: nil)
                .update()
            // A call recording's reference stays until Twilio has deleted the audio: the next purge run does it, as the
            // conversation is marked purged below (`RetentionPurge.purgeRecordings`).
            try await MessageRecord.query(on: db).filter(\.$conversationID ~~ conversationIDs).filter(\.$channel != .voice)
                .set(\.$media, to: nil).update()
            summary.attachments = try await Attachment.query(on: db).filter(\.$messageID ~~ messageIDs).count()
            try await Attachment.query(on: db).filter(\.$messageID ~~ messageIDs).set(\.$data, to: nil).set(\.$status, to: .erased)
                .set(\.$lastError, to: nil).update()
            // Their words left in the outbox and in the raw webhook bodies kept for replay.
            // A reply not sent yet is not sent any more.
            try await OutboxEntry.query(on: db).filter(\.$messageID ~~ messageIDs).filter(\.$status == .pending).set(\.$status, to: .failed)
                .set(\.$lastError, to: "traveller erased").update()
            try await OutboxEntry.query(on: db).filter(\.$messageID ~~ messageIDs).set(\.$payload, to: Data("{}".utf8)).update()
            let providerIDs = messages.compactMap(\.providerMessageID)
            if !providerIDs.isEmpty {
                let events = try await InboundDedupe.query(on: db).filter(\.$providerID ~~ providerIDs).all().map(\.eventID)
                try await InboundEvent.query(on: db).filter(\.$id ~~ events).filter(\.$processedAt != nil)
                    .set(\.$body, to: Data(#"{"erased":true}"#.utf8)).update()
            }
            // Delivery statuses name the recipient by phone or account id alone (WhatsApp's recipient_id, Messenger's
            // recipient PSID): found by their bytes.
            var needles = Set(people.compactMap { $0.phone.map { String($0.filter(\.isNumber)) } })
            needles.formUnion(conversations.map(\.externalUserID).filter { !$0.hasPrefix("erased:") && !$0.hasPrefix("purged:") })
            // Only where a status about them can be: their conversations' channels, from a day before their first message to a
            // month after their last (providers report delivery within days).
            let channels = Set(conversations.map(\.channel))
            let dates = messages.map(\.createdAt)
            for needle in needles where needle.count >= 6 {
                guard let first = dates.min(), let last = dates.max(), !channels.isEmpty else { break }
                let events = try await rawEventsHolding(
                    needle, channels: channels, from: first.addingTimeInterval(-86400), to: last.addingTimeInterval(30 * 86400), on: db)
                try await InboundEvent.query(on: db).filter(\.$id ~~ events).set(\.$body, to: Data(#"{"erased":true}"#.utf8)).update()
                summary.copies += events.count
            }
            for c in conversations {
                c.externalUserID = "erased:\(try c.requireID().uuidString.lowercased())"
                c.identified = false
                c.purgedAt = c.purgedAt ?? now
                try await c.save(on: db)
            }

            let cases = try await PersonalDataExport.cases(of: personIDs, conversationIDs: conversationIDs, agencyID: agencyID, on: db)
            let caseIDs = cases.compactMap(\.id)
            summary.cases = caseIDs.count
            try await CaseRecord.query(on: db).filter(\.$id ~~ caseIDs).filter(\.$status != .resolved).set(\.$status, to: .resolved)
                .set(\.$resolvedAt, to: now).update()
            // The free texts about them, as copied into notifications and webhook payloads, read before they are cleared.
            let texts = try await CaseTexts.all(caseIDs: caseIDs, on: db)
            summary.notes = try await CaseTexts.clear(caseIDs: caseIDs, on: db)
            try await CaseRecord.query(on: db).filter(\.$id ~~ caseIDs).filter(\.$purgedAt == nil).set(\.$purgedAt, to: now).update()

            // Trips only they travel on: their notes and pasted documents are about them alone.
            let links = try await TripTraveller.query(on: db).filter(\.$traveller.$id ~~ personIDs).all()
            let tripIDs = Set(links.map(\.$trip.id))
            let everyone = try await TripTraveller.query(on: db).filter(\.$trip.$id ~~ Array(tripIDs)).all()
            let soleTrips = tripIDs.filter { trip in everyone.filter { $0.$trip.id == trip }.allSatisfy { personIDs.contains($0.$traveller.id) } }
            try await Trip.eraseFreeTexts(ofTrips: Array(soleTrips), agencyID: agencyID, on: db)
            try await ActivityBookingRecord.query(on: db).filter(\.$travellerID ~~ personIDs).filter(\.$agencyID == agencyID)
                .set(\.$cancellationReason, to: nil).update()
            try await PastedDocument.eraseTexts(ofTrips: Array(soleTrips), on: db)
            try await ItinerarySegment.erasePersonalFields(ofTrips: Array(soleTrips), on: db)

            // Copies of their name, phone or email in the agency's notifications, webhook payloads and cached API answers.
            summary.copies = try await scrubCopies(
                of: searched.union(texts.filter { $0.count >= 8 }), agencyID: agencyID, tripIDs: soleTrips, on: db)

            for p in people {
                let consents = ConsentService.values(p)
                p.firstName = placeholder
                p.lastName = placeholder
                p.dateOfBirth = nil
                p.phone = nil
                p.email = nil
                p.consentCallRecording = false
                p.consentRecommendations = false
                p.consentAlerts = false
                p.abusive = false
                p.updatedAt = now
                p.erasedAt = p.erasedAt ?? now
                try await p.save(on: db)
                // Consents end with the person, and their history says how.
                try await ConsentService.recordChanges(p, before: consents, source: .erasure, actor: actor, on: db)
            }
            summary.travellers = people.count
            // Audited in the same transaction: an erasure is never done without its record.
            try await AuditLog.record(
                on: db, agencyID: agencyID, actor: actor, action: .travellerErased, subjectType: "traveller", subjectID: travellerID.uuidString,
                detail: [
                    "via": via, "travellers": String(summary.travellers), "messages": String(summary.messages),
                    "attachments": String(summary.attachments), "cases": String(summary.cases), "copies": String(summary.copies)
                ])
            return summary
        }
    }

    /// Processed raw webhook bodies of `channels` received between `start` and `end` (indexed) that contain `needle`'s bytes (a status callback
    /// holds no message id of theirs to find it by): `position` on PostgreSQL's bytea, `instr` on SQLite's blob.
    static func rawEventsHolding(
        _ needle: String, channels: Set<MessagingChannel>, from start: Date, to end: Date, on db: any Database
    ) async throws -> [UUID] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let bytes = Data(needle.utf8)
        let contains: SQLQueryString =
            sql.dialect.name == "postgresql" ? "position(\(bind: bytes) in body) > 0" : "instr(body, \(bind: bytes)) > 0"
        var ids: [UUID] = []
        for channel in channels {
            let query: SQLQueryString =
                "SELECT id FROM inbound_events WHERE channel = \(bind: channel.rawValue) AND received_at BETWEEN \(bind: start) AND \(bind: end) "
                + "AND processed_at IS NOT NULL AND "
                + contains
            ids += try await sql.raw(query).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        return ids
    }

    /// Replaces every occurrence of `terms` in the agency's notifications and webhook payloads (found with LIKE, checked
    /// exactly), and drops cached API answers holding one (they are only kept to answer a retried request; read 200 at a
    /// time). Returns how many rows changed.
    /// Cached answers about `tripIDs` (the trips they travelled alone) are dropped too: a document's answer holds its whole
    /// text, in which a name may be written otherwise ("DUPONT/JEAN" on a boarding pass).
    private static func scrubCopies(of terms: Set<String>, agencyID: UUID, tripIDs: Set<UUID> = [], on db: any Database) async throws -> Int {
        guard !terms.isEmpty || !tripIDs.isEmpty else { return 0 }
        let tripTerms = tripIDs.flatMap { [$0.uuidString, $0.uuidString.lowercased()] }
        func scrub(_ text: String) -> String { terms.reduce(text) { $0.replacingOccurrences(of: $1, with: placeholder) } }
        func holds(_ text: String) -> Bool { terms.contains { text.contains($0) } }
        var changed = 0
        if !terms.isEmpty {
            let notifications = try await NotificationRecord.query(on: db).filter(\.$agencyID == agencyID)
                .group(.or) { group in
                    for term in terms {
                        group.filter(\.$subject ~~ term)
                        group.filter(\.$body ~~ term)
                    }
                }.all()
            for n in notifications where holds(n.subject) || holds(n.body) {
                n.subject = scrub(n.subject)
                n.body = scrub(n.body)
                try await n.save(on: db)
                changed += 1
            }
            let deliveries = try await WebhookDelivery.query(on: db).filter(\.$agencyID == agencyID)
                .group(.or) { group in for term in terms { group.filter(\.$payload ~~ term) } }.all()
            for d in deliveries where holds(d.payload) {
                d.payload = scrub(d.payload)
                try await d.save(on: db)
                changed += 1
            }
        }
        let cached = try await IdempotencyRecord.query(on: db).filter(\.$agencyID == agencyID).all(\.$id)
        for batch in cached.chunked(200) {
            for r in try await IdempotencyRecord.query(on: db).filter(\.$id ~~ Array(batch)).all() {
                let answer = String(decoding: r.responseBody, as: UTF8.self)
                guard holds(answer) || tripTerms.contains(where: answer.contains) else { continue }
                try await r.delete(on: db)
                changed += 1
            }
        }
        return changed
    }
}
