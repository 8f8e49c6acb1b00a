import Fluent
import Foundation
import OnSpotCore
import SQLKit
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 15, item 2: after an erasure no table the product writes holds the traveller's name, phone, email or message
/// texts (every text and binary column of every table is searched), the audit chain verifies, invoices still add up,
/// and the phone no longer matches their conversations.
final class PersonalDataErasureTests: GraphTestCase {
    static let phone = "+16505559876"
    /// What must be gone: identity, contacts, the words they wrote, what the expert noted, the bytes they sent.
    static let traces = ["Zélie", "Erasmus", "16505559876", "zelie.erasmus@example.com", "MSG-ERASE", "NOTE-ERASE", "ATTACH-ERASE"]

    override func setUp() async throws {
        try await super.setUp()
        try await makeWhatsAppEndpoint()
    }

    func receive(from: String, id: String, text: String) async throws { try await receiveWhatsApp(from: from, id: id, text: text) }

    func register(_ agency: Agency, reference: String, departure: Date) async throws -> Trip {
        let draft = TripDraft(
            reference: reference, destinationCodes: ["us-nyc"], departure: departure, arrival: nil,
            returnDate: departure.addingTimeInterval(8 * 86400),
            notes: "Allergic to peanuts (Zélie)",
            travellers: [
                TravellerDraft(
                    firstName: "Zélie", lastName: "Erasmus", dateOfBirth: "1990-04-02", phone: Self.phone, email: "zelie.erasmus@example.com",
                    language: "en")
            ])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: ["us-nyc"], now: Date(), purpose: .seed, defaultLanguage: .fr)
        else { throw Abort(.internalServerError) }
        let trip = try await TripService.create(valid, agency: agency, userID: nil, on: app.db)
        let found = try await TripService.find(trip.requireID(), agencyID: agency.requireID(), on: app.db)
        return try XCTUnwrap(found)
    }

    /// Every text and binary value of every table, with its table's name.
    func everything() async throws -> [(table: String, text: String)] {
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        let tables: [String]
        if sql.dialect.name == "postgresql" {
            tables = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all()
                .map { try $0.decode(column: "name", as: String.self) }
        } else {
            tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
        XCTAssertGreaterThan(tables.count, 40, "every table is read")
        var values: [(String, String)] = []
        for table in tables {
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns {
                    if let text = try? row.decode(column: column, as: String?.self) {
                        values.append((table, text))
                    } else if let data = try? row.decode(column: column, as: Data?.self) {
                        values.append((table, String(decoding: data, as: UTF8.self)))
                    }
                }
            }
        }
        return values
    }

    func testAnErasureLeavesNoTraceOfThePersonAndKeepsTheFactsTheChainAndTheInvoices() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: alpha)
        let now = Date()
        let current = try await register(alpha, reference: "ER-1", departure: now.addingTimeInterval(-2 * 86400))
        let next = try await register(alpha, reference: "ER-2", departure: now.addingTimeInterval(40 * 86400))
        // Someone else of the agency, and her daughter who shares her phone and email: both keep everything.
        let other = try await makeTrip(for: alpha, departure: now.addingTimeInterval(-86400), reference: "KEEP-1")
        let family = try await register(alpha, reference: "KEEP-2", departure: now.addingTimeInterval(30 * 86400))
        let daughter = try await Traveller.find(family.travellerLinks[0].$traveller.id, on: app.db)
        daughter?.firstName = "Anouk"
        try await daughter?.save(on: app.db)

        // She writes; the case opens; the expert notes; a photo arrives; the agency is told her name; the API cached her.
        try await receive(from: "16505559876", id: "wamid.E1", text: "MSG-ERASE-ONE my rental car broke down")
        let conversationFound = try await Conversation.query(on: app.db).filter(\.$externalUserID == "16505559876").first()
        let conversation = try XCTUnwrap(conversationFound)
        let conversationID = try conversation.requireID()
        XCTAssertEqual(conversation.travellerID, current.travellerLinks[0].$traveller.id, "matched by phone")
        // Meta tells us a reply was delivered: the status names her by phone only.
        try await receiveWhatsAppStatus(to: "16505559876", messageID: "wamid.OUT-1", status: "delivered")
        let caseFound = try await CaseRecord.query(on: app.db).filter(\.$conversationID == conversationID).first()
        let record = try XCTUnwrap(caseFound)
        record.resolutionSummary = "NOTE-ERASE car replaced for Zélie Erasmus"
        try await record.save(on: app.db)
        let note = CaseNote()
        note.caseID = try record.requireID(); note.body = "NOTE-ERASE calm, no injury"; note.createdAt = now
        try await note.create(on: app.db)
        let inbound = try await MessageRecord.query(on: app.db).filter(\.$conversationID == conversationID).first()
        let attachment = Attachment()
        attachment.messageID = try XCTUnwrap(inbound).requireID(); attachment.providerMediaID = "m1"; attachment.mimeType = "image/jpeg"
        attachment.data = Data("ATTACH-ERASE bytes".utf8); attachment.status = .stored; attachment.attempts = 1; attachment.createdAt = now
        try await attachment.create(on: app.db)
        let notice = NotificationRecord()
        notice.agencyID = alpha.id; notice.kind = .abusiveTravellerContact; notice.channel = .portal; notice.recipient = "agency"
        notice.subject = "Zélie Erasmus contacted OnSpot"; notice.body = "From +16505559876"; notice.status = .sent; notice.attempts = 1
        notice.createdAt = now
        try await notice.create(on: app.db)
        _ = try await Invoicing.runInvoices(on: app.billingCalendar.date(year: 2026, month: 12, day: 1, hour: 6)!, app: app, db: app.db)
        let invoicesBefore = try await InvoiceLineRecord.query(on: app.db).all().reduce(Int64(0)) { $0 + $1.amountMinor }
        let before = try await everything()
        XCTAssertTrue(before.contains { $0.text.contains("MSG-ERASE") && $0.table == "inbound_events" }, "the raw webhook body holds her words")
        XCTAssertTrue(
            before.contains { $0.text.contains("recipient_id\":\"16505559876") && $0.table == "inbound_events" }, "the status holds her phone")

        // The admin must confirm; then the person is erased, on both registrations.
        let admin = try await signedIn("admin@alpha.example")
        let path = SiteURL.eraseTraveller(trip: try current.requireID(), traveller: current.travellerLinks[0].$traveller.id).path
        let unconfirmed = try await admin.post(path, form: [:])
        XCTAssertEqual(unconfirmed.status, .unprocessableEntity)
        XCTAssertTrue(unconfirmed.body.string.contains(HTML.escape(L10n.t("privacy.error.confirm", .fr))))
        let herIDs = [current.travellerLinks[0].$traveller.id, next.travellerLinks[0].$traveller.id]
        let given = try await Traveller.query(on: app.db).filter(\.$id ~~ herIDs).all()
            .map { [$0.consentCallRecording, $0.consentRecommendations, $0.consentAlerts].filter { $0 }.count }.reduce(0, +)
        let erased = try await admin.post(path, form: ["confirm": "yes"])
        XCTAssertEqual(erased.status, .seeOther, erased.body.string.prefix(300).description)
        // Her consents end with her, and their history says how: one withdrawal per consent she had given.
        let withdrawn = try await ConsentEvent.query(on: app.db).filter(\.$travellerID ~~ herIDs).filter(\.$source == .erasure).all()
        XCTAssertGreaterThan(given, 0)
        XCTAssertEqual(withdrawn.count, given)
        XCTAssertTrue(withdrawn.allSatisfy { !$0.granted })

        let familyID = family.travellerLinks[0].$traveller.id
        let keptDaughter = try await Traveller.find(familyID, on: app.db)
        XCTAssertEqual(keptDaughter?.firstName, "Anouk", "the same phone and email with another name is another person")
        XCTAssertEqual(keptDaughter?.phone, Self.phone)
        // Apart from her daughter's own row, nothing of her anywhere.
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        try await sql.update("travellers").set("last_name", to: "Daughter").set("phone", to: SQLLiteral.null).set("email", to: SQLLiteral.null)
            .where("id", .equal, familyID).run()
        try await sql.update("trips").set("notes", to: SQLLiteral.null).where("id", .equal, try family.requireID()).run()
        for (table, text) in try await everything() {
            for trace in Self.traces { XCTAssertFalse(text.contains(trace), "\(trace) left in \(table): \(text.prefix(200))") }
        }
        // The facts stay: trips, the case and its times, the messages (without their words), the other traveller.
        let trips = try await Trip.query(on: app.db).filter(\.$id ~~ [current.id!, next.id!]).count()
        XCTAssertEqual(trips, 2)
        let kept = try await CaseRecord.find(record.id, on: app.db)
        XCTAssertEqual(kept?.openedAt.timeIntervalSince1970 ?? 0, record.openedAt.timeIntervalSince1970, accuracy: 1)
        let messages = try await MessageRecord.query(on: app.db).filter(\.$conversationID == conversationID).count()
        XCTAssertGreaterThan(messages, 0)
        let someoneElse = try await Traveller.find(other.travellerLinks[0].$traveller.id, on: app.db)
        XCTAssertEqual(someoneElse?.firstName, "Zoé")
        let invoicesAfter = try await InvoiceLineRecord.query(on: app.db).all().reduce(Int64(0)) { $0 + $1.amountMinor }
        XCTAssertEqual(invoicesAfter, invoicesBefore, "invoices still add up")
        let broken = try await AuditLog.verify(on: app.db)
        XCTAssertNil(broken, "the audit chain verifies after the erasure")
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.travellerErased.rawValue).all()
        XCTAssertEqual(audit.count, 1)
        XCTAssertTrue(audit.first?.detail.contains(#""travellers":"2""#) == true, audit.first?.detail ?? "")

        // Her phone no longer opens her conversation: a new message is from an unknown sender.
        try await receive(from: "16505559876", id: "wamid.E2", text: "hello again")
        let newFound = try await MessageRecord.query(on: app.db).filter(\.$providerMessageID == "wamid.E2").first()
        let newConversation = try await Conversation.find(try XCTUnwrap(newFound).conversationID, on: app.db)
        XCTAssertNotEqual(newConversation?.id, conversation.id)
        XCTAssertNil(newConversation?.travellerID)
    }

    func testTheAPIErasesOnlyItsAgencysTravellers() async throws {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let beta = try await makeAgency("Beta", plan: .plus)
        let trip = try await register(alpha, reference: "ER-API", departure: Date().addingTimeInterval(20 * 86400))
        let traveller = trip.travellerLinks[0].$traveller.id
        let betaKey = try await makeApiKey(for: beta)
        let refused = try await app.sendRequest(.POST, "/api/v1/travellers/\(traveller)/erasure", headers: apiHeaders(betaKey))
        XCTAssertEqual(refused.status, .notFound)
        let untouched = try await Traveller.find(traveller, on: app.db)
        XCTAssertEqual(untouched?.lastName, "Erasmus")
        let alphaKey = try await makeApiKey(for: alpha)
        let done = try await app.sendRequest(.POST, "/api/v1/travellers/\(traveller)/erasure", headers: apiHeaders(alphaKey))
        XCTAssertEqual(done.status, .ok)
        let summary = try done.content.decode(PersonalDataErasure.Summary.self)
        XCTAssertEqual(summary.travellers, 1)
        let gone = try await Traveller.find(traveller, on: app.db)
        XCTAssertEqual(gone?.lastName, PersonalDataErasure.placeholder)
        XCTAssertNil(gone?.phone)
        XCTAssertNotNil(gone?.erasedAt)
        // Erasing again is harmless.
        let again = try await app.sendRequest(.POST, "/api/v1/travellers/\(traveller)/erasure", headers: apiHeaders(alphaKey))
        XCTAssertEqual(again.status, .ok)
    }
}
