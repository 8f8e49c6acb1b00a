import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 15, item 3: the daily purge, run twice on a database with expired and unexpired data, deletes exactly the
/// expired rows and files (Twilio recordings included, over HTTP to a stand-in) once; each agency's policy is its own;
/// an agency that closed its account is erased after the notice; the run is claimed once a day.
final class RetentionPurgeTests: ServerTestCase {
    var twilio: TwilioStandIn!
    let token = "twilio-auth-token"
    let account = "AC" + String(repeating: "ab", count: 16)
    var nyc: DestinationRecord!
    let now = Date()

    override func setUp() async throws {
        try await super.setUp()
        twilio = try await TwilioStandIn()
        app.onspot.twilioBaseURL = twilio.baseURL
        nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()
        let e = ChannelEndpoint()
        e.$destination.id = try nyc.requireID()
        e.channel = .voice; e.externalID = "+18005550199"; e.appSecret = token; e.active = true; e.createdAt = Date()
        try await e.create(on: app.db)
    }

    override func tearDown() async throws {
        try await twilio.stop()
        try await super.tearDown()
    }

    // MARK: Rows as the product writes them, dated

    func ago(months: Double) -> Date { now.addingTimeInterval(-months * 30.5 * 86400) }

    func trip(_ agency: Agency, returned: Date, name: String, phone: String, reference: String) async throws -> (Trip, Traveller) {
        let trip = try await makeTrip(for: agency, departure: now.addingTimeInterval(-86400), reference: reference)
        trip.departureAt = returned.addingTimeInterval(-10 * 86400)
        trip.arrivalAt = trip.departureAt
        trip.returnAt = returned
        try await trip.save(on: app.db)
        let found = try await Traveller.find(trip.travellerLinks[0].$traveller.id, on: app.db)
        let traveller = try XCTUnwrap(found)
        traveller.firstName = name
        traveller.phone = phone
        try await traveller.save(on: app.db)
        return (trip, traveller)
    }

    /// A trip two people travel on, with a note about them: an erasure clears it for neither alone.
    func sharedTrip(_ agency: Agency, returned: Date, reference: String, note: String) async throws -> Trip {
        let draft = TripDraft(
            reference: reference, destinationCodes: ["us-nyc"], departure: returned.addingTimeInterval(-10 * 86400), arrival: nil,
            returnDate: returned, notes: note,
            travellers: [
                TravellerDraft(firstName: "Paul", lastName: "Pair", phone: "+16505550011"),
                TravellerDraft(firstName: "Pia", lastName: "Pair", phone: "+16505550012")
            ])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: ["us-nyc"], now: now, purpose: .seed, defaultLanguage: .fr)
        else { throw Abort(.internalServerError) }
        return try await TripService.create(valid, agency: agency, userID: nil, on: app.db)
    }

    func inboundEvent(_ body: String, at: Date, processed: Bool, attempts: Int) async throws {
        let e = InboundEvent()
        e.id = UUID()
        e.channel = .whatsapp
        e.body = Data(body.utf8)
        e.receivedAt = at
        e.processedAt = processed ? at : nil
        e.attempts = attempts
        try await e.create(on: app.db)
    }

    func conversation(_ agency: Agency?, trip: Trip?, traveller: Traveller?, channel: MessagingChannel = .whatsapp, sender: String, at: Date)
        async throws -> Conversation
    {
        let c = Conversation()
        c.channel = channel
        c.externalUserID = sender
        c.destinationID = nyc.id
        c.agencyID = agency?.id
        c.travellerID = traveller?.id
        c.tripID = trip?.id
        c.identified = traveller != nil
        c.lastInboundAt = at
        c.createdAt = at
        try await c.create(on: app.db)
        return c
    }

    @discardableResult
    func message(_ c: Conversation, _ text: String, at: Date, recording: String? = nil) async throws -> MessageRecord {
        let m = MessageRecord()
        m.conversationID = try c.requireID()
        m.direction = .inbound
        m.channel = c.channel
        m.providerMessageID = "p-\(text)"
        m.kind = recording == nil ? "text" : "voicemail"
        m.body = text
        if let recording {
            m.media =
                #"{"id":"\#(recording)","mime":"audio/wav","url":"https://api.twilio.com/2010-04-01/Accounts/\#(account)/Recordings/\#(recording)"}"#
            twilio.hold(recording, token: token)
        }
        m.status = .received
        m.createdAt = at
        try await m.create(on: app.db)
        return m
    }

    func recordingID(_ n: Int) -> String { "RE" + String(format: "%032x", n) }

    @discardableResult
    func attachment(_ m: MessageRecord, _ bytes: String, at: Date) async throws -> Attachment {
        let a = Attachment()
        a.messageID = try m.requireID()
        a.providerMediaID = "media-\(bytes)"
        a.mimeType = "image/jpeg"
        a.data = Data(bytes.utf8)
        a.size = bytes.utf8.count
        a.status = .stored
        a.attempts = 1
        a.createdAt = at
        try await a.create(on: app.db)
        return a
    }

    func resolvedCase(_ agency: Agency, trip: Trip, conversation: Conversation, note: String, at: Date) async throws -> CaseRecord {
        let r = CaseRecord()
        r.agencyID = agency.id
        r.tripID = trip.id
        r.travellerID = trip.travellerLinks.first?.$traveller.id
        r.conversationID = conversation.id
        r.destinationID = nyc.id
        r.category = .other
        r.priority = .normal
        r.status = .resolved
        r.safetyFlag = false
        r.recordingRefused = false
        r.openedAt = at
        r.resolvedAt = at
        r.resolutionSummary = "\(note)-SUMMARY"
        try await r.create(on: app.db)
        let n = CaseNote()
        n.caseID = try r.requireID()
        n.body = note
        n.createdAt = at
        try await n.create(on: app.db)
        return r
    }

    @discardableResult
    func notification(_ agency: Agency?, _ subject: String, at: Date) async throws -> NotificationRecord {
        let n = NotificationRecord()
        n.agencyID = agency?.id
        n.kind = .caseResolved
        n.channel = .email
        n.recipient = "ops@agency.example"
        n.subject = subject
        n.body = subject
        n.status = .sent
        n.createdAt = at
        n.sentAt = at
        n.attempts = 1
        try await n.create(on: app.db)
        return n
    }

    func delivery(_ agency: Agency, _ payload: String, at: Date) async throws {
        let d = WebhookDelivery()
        d.agencyID = try agency.requireID()
        d.eventType = "case.resolved"
        d.payload = payload
        d.status = .delivered
        d.attempts = 1
        d.createdAt = at
        d.deliveredAt = at
        try await d.create(on: app.db)
    }

    func inboundEvent(_ body: String, at: Date) async throws {
        let e = InboundEvent()
        e.id = UUID()
        e.channel = .whatsapp
        e.body = Data(body.utf8)
        e.receivedAt = at
        e.processedAt = at
        e.attempts = 1
        try await e.create(on: app.db)
        let d = InboundDedupe()
        d.channel = .whatsapp
        d.providerID = "wamid.\(body)"
        d.eventID = try e.requireID()
        try await d.create(on: app.db)
    }

    func exists(_ text: String) async throws -> Bool {
        try await MessageRecord.query(on: app.db).filter(\.$body == text).count() == 1
    }

    // MARK: Tests

    func testThePurgeDeletesExactlyTheExpiredRowsAndFilesOnceAndEachAgencyKeepsItsOwnPolicy() async throws {
        let alpha = try await makeAgency("Alpha")
        let beta = try await makeAgency("Beta")
        // Beta keeps conversations and travellers four years; Alpha has the defaults (36 months, recordings 6).
        for (category, months) in [(RetentionCategory.conversations, 48), (.travellers, 48)] {
            let p = RetentionPolicyRecord()
            p.agencyID = try beta.requireID(); p.category = category; p.months = months; p.updatedAt = now
            try await p.create(on: app.db)
        }

        // Alpha, a trip back 40 months ago: everything about it is due.
        let (oldTrip, oscar) = try await trip(alpha, returned: ago(months: 40), name: "Oscar", phone: "+16505550001", reference: "OLD")
        let oldChat = try await conversation(alpha, trip: oldTrip, traveller: oscar, sender: "16505550001", at: ago(months: 41))
        try await message(oldChat, "OLD-1", at: ago(months: 41))
        try await attachment(try await message(oldChat, "OLD-2", at: ago(months: 41)), "OLD-BYTES", at: ago(months: 41))
        let oldLine = try await conversation(alpha, trip: oldTrip, traveller: oscar, channel: .voice, sender: "16505550001", at: ago(months: 41))
        try await message(oldLine, "OLD-VOICEMAIL", at: ago(months: 41), recording: recordingID(1))
        let oldCase = try await resolvedCase(alpha, trip: oldTrip, conversation: oldChat, note: "OLD-NOTE", at: ago(months: 41))
        let shared = try await sharedTrip(alpha, returned: ago(months: 40), reference: "SHARED", note: "SHARED-NOTE about Paul and Pia")

        // Alpha, a trip back last month: kept, except what has its own shorter clock.
        let (newTrip, nina) = try await trip(alpha, returned: ago(months: 1), name: "Nina", phone: "+16505550002", reference: "NEW")
        let newChat = try await conversation(alpha, trip: newTrip, traveller: nina, sender: "16505550002", at: ago(months: 14))
        try await message(newChat, "NEW-1", at: ago(months: 2))
        let recent = try await attachment(try await message(newChat, "NEW-2", at: ago(months: 2)), "NEW-BYTES", at: ago(months: 2))
        let older = try await attachment(try await message(newChat, "MID-1", at: ago(months: 13)), "MID-BYTES", at: ago(months: 13))
        let newLine = try await conversation(alpha, trip: newTrip, traveller: nina, channel: .voice, sender: "16505550002", at: ago(months: 8))
        let agedVoicemail = try await message(newLine, "NEW-VOICEMAIL-8", at: ago(months: 8), recording: recordingID(2))
        let freshVoicemail = try await message(newLine, "NEW-VOICEMAIL-2", at: ago(months: 2), recording: recordingID(3))
        let newCase = try await resolvedCase(alpha, trip: newTrip, conversation: newChat, note: "NEW-NOTE", at: ago(months: 2))
        let oldNotice = try await notification(alpha, "OLD-NOTICE", at: ago(months: 13))
        let newNotice = try await notification(alpha, "NEW-NOTICE", at: ago(months: 2))
        try await delivery(alpha, "OLD-DELIVERY", at: ago(months: 7))
        try await delivery(alpha, "NEW-DELIVERY", at: ago(months: 1))

        // Beta, the same age as Alpha's old trip: its longer policy keeps everything.
        let (betaTrip, bruno) = try await trip(beta, returned: ago(months: 40), name: "Bruno", phone: "+16505550003", reference: "BETA")
        let betaChat = try await conversation(beta, trip: betaTrip, traveller: bruno, sender: "16505550003", at: ago(months: 41))
        try await message(betaChat, "BETA-1", at: ago(months: 41))

        // Nobody's: an unidentified sender 40 months ago, raw webhook bodies, sign-in attempts.
        let stranger = try await conversation(nil, trip: nil, traveller: nil, sender: "16505550004", at: ago(months: 40))
        try await message(stranger, "STRANGER-1", at: ago(months: 40))
        try await inboundEvent("OLD-RAW", at: ago(months: 7))
        try await inboundEvent("NEW-RAW", at: ago(months: 1))
        try await inboundEvent("DEAD-LETTER", at: ago(months: 7), processed: false, attempts: 10)
        try await inboundEvent("STILL-PENDING", at: ago(months: 7), processed: false, attempts: 2)
        let strangerCase = CaseRecord()
        strangerCase.conversationID = stranger.id; strangerCase.destinationID = nyc.id; strangerCase.category = .information
        strangerCase.priority = .normal; strangerCase.status = .resolved; strangerCase.safetyFlag = false; strangerCase.recordingRefused = false
        strangerCase.openedAt = ago(months: 40); strangerCase.resolvedAt = ago(months: 40); strangerCase.resolutionSummary = "STRANGER-SUMMARY"
        try await strangerCase.create(on: app.db)

        let first = try await RetentionPurge.run(at: now, app: app)
        let alphaCounts = try XCTUnwrap(first.agencies[try alpha.requireID()])
        XCTAssertEqual(
            alphaCounts,
            // Oscar, Paul and Pia are erased first (Oscar's conversations unlinked, his attachment bytes and case texts
            // cleared by the erasure), then the trip Paul and Pia shared loses its note and Oscar's messages go; Nina keeps
            // hers but her 8-month-old recording and 13-month-old photo expire.
            RetentionPurge.Counts(
                travellers: 3, trips: 1, messages: 3, cases: 0, conversations: 0, recordings: 2, recordingsKept: 0, attachments: 1,
                notifications: 1, logs: 1))
        XCTAssertNil(first.agencies[try beta.requireID()], "Beta's policy keeps its 40-month-old trip")
        XCTAssertEqual(first.platform.messages, 1)
        XCTAssertEqual(first.platform.conversations, 1)
        XCTAssertEqual(first.platform.logs, 2, "the processed raw body older than 6 months with its dedupe key, and the dead letter")
        XCTAssertEqual(first.platform.cases, 1, "the unidentified sender's case, cleared")
        let clearedStrangerCase = try await CaseRecord.find(strangerCase.id, on: app.db)
        XCTAssertNil(clearedStrangerCase?.resolutionSummary)
        let sharedNow = try await Trip.find(shared.id, on: app.db)
        XCTAssertNil(sharedNow?.notes, "the shared trip's note goes with the travellers' retention")
        XCTAssertEqual(sharedNow?.reference, "SHARED", "the trip itself stays")

        // Exactly the expired rows went.
        for gone in ["OLD-1", "OLD-2", "OLD-VOICEMAIL", "STRANGER-1"] {
            let found = try await exists(gone)
            XCTAssertFalse(found, gone)
        }
        for kept in ["NEW-1", "NEW-2", "MID-1", "NEW-VOICEMAIL-2", "BETA-1"] {
            let found = try await exists(kept)
            XCTAssertTrue(found, kept)
        }
        let keptAttachment = try await Attachment.find(recent.id, on: app.db)
        XCTAssertEqual(keptAttachment?.data, Data("NEW-BYTES".utf8))
        let expiredAttachment = try await Attachment.find(older.id, on: app.db)
        XCTAssertNil(expiredAttachment?.data, "13 months after receipt, past the attachments' 12")
        XCTAssertEqual(expiredAttachment?.status, .expired)
        let oldAttachments = try await Attachment.query(on: app.db).filter(\.$providerMediaID == "media-OLD-BYTES").count()
        XCTAssertEqual(oldAttachments, 0)

        // Recordings: deleted at Twilio (8 and 41 months old), the 2-month one kept there and here.
        XCTAssertEqual(Set(twilio.deletes.map(\.recording)), [recordingID(1), recordingID(2)])
        XCTAssertEqual(twilio.deletes.map(\.account), [account, account])
        XCTAssertEqual(twilio.held, [recordingID(3)])
        let aged = try await MessageRecord.find(agedVoicemail.id, on: app.db)
        XCTAssertNotNil(aged, "the message stays with its conversation (36 months after the trip)")
        XCTAssertNil(aged?.media)
        XCTAssertNil(aged?.body, "the transcript is part of the recording")
        let fresh = try await MessageRecord.find(freshVoicemail.id, on: app.db)
        XCTAssertNotNil(fresh?.media)

        // Cases: the old one cleared once, the new one untouched.
        let purgedCase = try await CaseRecord.find(oldCase.id, on: app.db)
        XCTAssertNotNil(purgedCase?.purgedAt)
        XCTAssertNil(purgedCase?.resolutionSummary)
        XCTAssertEqual(purgedCase?.category, .other, "the fact of the case stays")
        let oldNotes = try await CaseNote.query(on: app.db).filter(\.$caseID == oldCase.requireID()).count()
        XCTAssertEqual(oldNotes, 0)
        let newNotes = try await CaseNote.query(on: app.db).filter(\.$caseID == newCase.requireID()).count()
        XCTAssertEqual(newNotes, 1)
        let keptCase = try await CaseRecord.find(newCase.id, on: app.db)
        XCTAssertEqual(keptCase?.resolutionSummary, "NEW-NOTE-SUMMARY")

        // Conversations no longer carry the sender's id; travellers: only Oscar, whose only trip is 40 months back.
        let unlinked = try await Conversation.find(stranger.id, on: app.db)
        XCTAssertEqual(unlinked?.externalUserID.hasPrefix("purged:"), true)
        let kept = try await Conversation.find(newChat.id, on: app.db)
        XCTAssertEqual(kept?.externalUserID, "16505550002")
        let erased = try await Traveller.find(oscar.id, on: app.db)
        XCTAssertNotNil(erased?.erasedAt)
        XCTAssertNil(erased?.phone)
        let stay = try await Traveller.find(nina.id, on: app.db)
        XCTAssertNil(stay?.erasedAt)
        let betaTraveller = try await Traveller.find(bruno.id, on: app.db)
        XCTAssertNil(betaTraveller?.erasedAt)
        let noticeGone = try await NotificationRecord.find(oldNotice.id, on: app.db)
        XCTAssertNil(noticeGone)
        let noticeKept = try await NotificationRecord.find(newNotice.id, on: app.db)
        XCTAssertNotNil(noticeKept)
        let deliveries = try await WebhookDelivery.query(on: app.db).all().map(\.payload)
        XCTAssertEqual(deliveries, ["NEW-DELIVERY"])
        let raw = try await InboundEvent.query(on: app.db).all().map { String(decoding: $0.body, as: UTF8.self) }
        XCTAssertEqual(Set(raw), ["NEW-RAW", "STILL-PENDING"], "an event still to be processed is never purged")
        let dedupe = try await InboundDedupe.query(on: app.db).all().map(\.providerID)
        XCTAssertEqual(dedupe, ["wamid.NEW-RAW"])

        // The agency reads what was removed in its audit trail; the chain verifies.
        let audit = try await AuditEntry.query(on: app.db).filter(\.$agencyID == alpha.requireID()).filter(
            \.$action == AuditAction.dataPurged.rawValue
        )
        .all()
        XCTAssertEqual(audit.count, 1)
        let broken = try await AuditLog.verify(on: app.db)
        XCTAssertNil(broken, "the audit chain verifies")

        // Run twice: nothing more is removed, Twilio is not called again.
        let second = try await RetentionPurge.run(at: now, app: app)
        XCTAssertTrue(second.total.isEmpty, "\(second)")
        XCTAssertEqual(twilio.deletes.count, 2)
    }

    func testARecordingTwilioDidNotConfirmIsKeptAndDeletedOnTheNextRun() async throws {
        let alpha = try await makeAgency("Alpha")
        let (ninasTrip, nina) = try await trip(alpha, returned: ago(months: 1), name: "Nina", phone: "+16505550002", reference: "NEW")
        let line = try await conversation(alpha, trip: ninasTrip, traveller: nina, channel: .voice, sender: "16505550002", at: ago(months: 8))
        let voicemail = try await message(line, "VOICEMAIL", at: ago(months: 8), recording: recordingID(7))
        twilio.outage(1)
        let first = try await RetentionPurge.run(at: now, app: app)
        XCTAssertEqual(first.agencies[try alpha.requireID()]?.recordingsKept, 1)
        XCTAssertEqual(first.agencies[try alpha.requireID()]?.recordings, 0)
        let kept = try await MessageRecord.find(voicemail.id, on: app.db)
        XCTAssertNotNil(kept?.media, "the reference stays until Twilio confirms")
        XCTAssertEqual(twilio.held, [recordingID(7)])
        let second = try await RetentionPurge.run(at: now, app: app)
        XCTAssertEqual(second.agencies[try alpha.requireID()]?.recordings, 1)
        XCTAssertEqual(twilio.held, [])
        let third = try await RetentionPurge.run(at: now, app: app)
        XCTAssertTrue(third.total.isEmpty)
    }

    func testAnOpenCaseKeepsItsTravellerConversationAndMessagesUntilItIsResolved() async throws {
        let alpha = try await makeAgency("Alpha")
        let (oldTrip, olivia) = try await trip(alpha, returned: ago(months: 40), name: "Olivia", phone: "+16505550007", reference: "OPEN")
        let chat = try await conversation(alpha, trip: oldTrip, traveller: olivia, sender: "16505550007", at: ago(months: 41))
        try await message(chat, "OPEN-1", at: ago(months: 41))
        let record = try await resolvedCase(alpha, trip: oldTrip, conversation: chat, note: "OPEN-NOTE", at: ago(months: 41))
        record.status = .inProgress
        record.resolvedAt = nil
        try await record.save(on: app.db)

        let first = try await RetentionPurge.run(at: now, app: app)
        XCTAssertNil(first.agencies[try alpha.requireID()], "someone is still working on it: \(first)")
        let stillThere = try await exists("OPEN-1")
        XCTAssertTrue(stillThere)
        let kept = try await Conversation.find(chat.id, on: app.db)
        XCTAssertEqual(kept?.externalUserID, "16505550007", "the expert's replies still reach her")
        let traveller = try await Traveller.find(olivia.id, on: app.db)
        XCTAssertNil(traveller?.erasedAt)

        record.status = .resolved
        record.resolvedAt = now
        try await record.save(on: app.db)
        let second = try await RetentionPurge.run(at: now, app: app)
        XCTAssertEqual(second.agencies[try alpha.requireID()]?.travellers, 1)
        XCTAssertEqual(second.agencies[try alpha.requireID()]?.messages, 1)
        let gone = try await exists("OPEN-1")
        XCTAssertFalse(gone)
    }

    func testAnAgencyThatClosedItsAccountIsErasedOnceTheNoticeHasPassed() async throws {
        let closing = try await makeAgency("Closing")
        let other = try await makeAgency("Other")
        let (claraTrip, clara) = try await trip(
            closing, returned: now.addingTimeInterval(20 * 86400), name: "Clara", phone: "+16505550005", reference: "C-1")
        let chat = try await conversation(closing, trip: claraTrip, traveller: clara, sender: "16505550005", at: now)
        try await message(chat, "CLARA-1", at: now)
        let line = try await conversation(closing, trip: claraTrip, traveller: clara, channel: .voice, sender: "16505550005", at: now)
        try await message(line, "CLARA-VOICEMAIL", at: now, recording: recordingID(9))
        let openCase = try await resolvedCase(closing, trip: claraTrip, conversation: chat, note: "CLARA-NOTE", at: now)
        openCase.status = .inProgress
        try await openCase.save(on: app.db)
        let (otherTrip, olga) = try await trip(
            other, returned: now.addingTimeInterval(20 * 86400), name: "Olga", phone: "+16505550006", reference: "O-1")
        let otherChat = try await conversation(other, trip: otherTrip, traveller: olga, sender: "16505550006", at: now)
        try await message(otherChat, "OLGA-1", at: now)

        closing.status = .closed
        closing.closedAt = now.addingTimeInterval(-29 * 86400)
        try await closing.save(on: app.db)
        let withinNotice = try await RetentionPurge.run(at: now, app: app)
        XCTAssertTrue(withinNotice.total.isEmpty, "29 days after closing the agency can still export")

        closing.closedAt = now.addingTimeInterval(-31 * 86400)
        try await closing.save(on: app.db)
        let afterNotice = try await RetentionPurge.run(at: now, app: app)
        let counts = try XCTUnwrap(afterNotice.agencies[try closing.requireID()])
        XCTAssertEqual(counts.travellers, 1)
        XCTAssertEqual(counts.messages, 2)
        XCTAssertEqual(counts.recordings, 1)
        XCTAssertEqual(twilio.held, [], "the recording is deleted at Twilio")
        let erased = try await Traveller.find(clara.id, on: app.db)
        XCTAssertNotNil(erased?.erasedAt)
        let gone = try await exists("CLARA-1")
        XCTAssertFalse(gone)
        let untouched = try await exists("OLGA-1")
        XCTAssertTrue(untouched, "another agency is not touched")
        XCTAssertNil(afterNotice.agencies[try other.requireID()])
        let resolved = try await CaseRecord.find(openCase.id, on: app.db)
        XCTAssertEqual(resolved?.status, .resolved, "the contract ended: even an open case goes")
        let notes = try await CaseNote.query(on: app.db).filter(\.$caseID == openCase.requireID()).count()
        XCTAssertEqual(notes, 0)
        let again = try await RetentionPurge.run(at: now, app: app)
        XCTAssertTrue(again.total.isEmpty, "\(again)")
    }

    func testTheDailyRunIsClaimedOnceAndARunThatDiedIsTakenOver() async throws {
        let alpha = try await makeAgency("Alpha")
        try await notification(alpha, "OLD-NOTICE", at: ago(months: 13))
        let key = "purge:\(DataSubjectDeadline.text(now))"
        // Another process claimed today's run and beats its heartbeat: this one leaves it alone.
        let busy = JobRun()
        busy.key = key
        busy.startedAt = now.addingTimeInterval(-60)
        try await busy.create(on: app.db)
        let underWay = try await RetentionPurge.runDaily(at: now, app: app)
        XCTAssertNil(underWay)
        // Its heartbeat stopped two hours ago: it died, and this process takes the run over.
        busy.startedAt = now.addingTimeInterval(-7200)
        try await busy.save(on: app.db)
        let takenOver = try await RetentionPurge.runDaily(at: now, app: app)
        XCTAssertEqual(takenOver?.total.notifications, 1)
        let run = try await JobRun.query(on: app.db).filter(\.$key == key).first()
        XCTAssertEqual(run?.summary?.contains(#""notifications":1"#), true, run?.summary ?? "")
        // Done for today: a second call does nothing.
        try await notification(alpha, "ANOTHER-OLD", at: ago(months: 13))
        let again = try await RetentionPurge.runDaily(at: now, app: app)
        XCTAssertNil(again, "today's run already happened")
        let lines = try await ScheduledWork.run("purge", at: now, app: app)
        XCTAssertEqual(lines, ["retention purge: already run today, nothing done"])
        // A date ahead would move every cut-off forward: refused.
        let ahead = try await ScheduledWork.run("purge", at: now.addingTimeInterval(40 * 86400), app: app)
        XCTAssertEqual(ahead, ["retention purge: not run for a future date"])
    }
}
