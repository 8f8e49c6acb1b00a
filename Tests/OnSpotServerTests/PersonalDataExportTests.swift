import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor
import ZIPFoundation

/// Issue 15, item 1: a traveller's export holds every message, attachment and case of theirs, across their
/// registrations in the agency, and nothing of any other traveller or agency; from the portal (agency admins) and the
/// API, each export audited.
final class PersonalDataExportTests: ServerTestCase {
    struct World {
        var alpha: Agency
        var first: Trip
        var second: Trip
        var traveller: UUID
        var photo: Data
    }

    func conversation(agency: Agency, trip: Trip, traveller: UUID, external: String, channel: MessagingChannel = .whatsapp) async throws
        -> Conversation
    {
        let c = Conversation()
        c.channel = channel; c.externalUserID = external; c.agencyID = agency.id; c.tripID = trip.id; c.travellerID = traveller
        c.identified = true; c.createdAt = Date()
        try await c.create(on: app.db)
        return c
    }

    @discardableResult
    func message(_ c: Conversation, _ text: String, direction: MessageDirection = .inbound, kind: String = "text") async throws -> MessageRecord {
        let m = MessageRecord()
        m.conversationID = try c.requireID(); m.direction = direction; m.channel = c.channel; m.kind = kind; m.body = text
        m.status = direction == .inbound ? .received : .delivered; m.createdAt = Date()
        try await m.create(on: app.db)
        return m
    }

    func world() async throws -> World {
        let alpha = try await makeAgency("Alpha", plan: .plus)
        let beta = try await makeAgency("Beta", plan: .plus)
        try await makeUser("admin@alpha.example", role: .agencyAdmin, agency: alpha)
        try await makeUser("agent@alpha.example", role: .agencyAgent, agency: alpha)
        try await makeUser("admin@beta.example", role: .agencyAdmin, agency: beta)
        // The same person registered on two of Alpha's trips (two rows, one phone), and someone else on a third.
        let first = try await makeTrip(for: alpha, departure: Date().addingTimeInterval(-2 * 86400), reference: "EXP-1")
        let second = try await makeTrip(for: alpha, departure: Date().addingTimeInterval(30 * 86400), reference: "EXP-2")
        let other = try await makeTrip(for: alpha, departure: Date().addingTimeInterval(-86400), reference: "EXP-OTHER")
        let otherTraveller = try await Traveller.find(other.travellerLinks[0].$traveller.id, on: app.db)
        otherTraveller?.firstName = "Other"; otherTraveller?.lastName = "Person"; otherTraveller?.phone = "+33699999999"
        otherTraveller?.email = "other@example.com"
        try await otherTraveller?.save(on: app.db)
        // Her brother shares her phone on another trip: another person, not in her export.
        let family = try await makeTrip(for: alpha, departure: Date().addingTimeInterval(10 * 86400), reference: "EXP-FAMILY")
        let brother = try await Traveller.find(family.travellerLinks[0].$traveller.id, on: app.db)
        brother?.firstName = "Léo"
        try await brother?.save(on: app.db)
        // The same phone registered by another agency: that agency's data, not Alpha's.
        let betaTrip = try await makeTrip(for: beta, departure: Date().addingTimeInterval(-86400), reference: "BETA-1")

        let traveller = first.travellerLinks[0].$traveller.id
        let again = second.travellerLinks[0].$traveller.id
        let chat = try await conversation(agency: alpha, trip: first, traveller: traveller, external: "33612345678")
        try await message(chat, "Bonjour, ma voiture de location est en panne à Miami")
        let sent = try await message(chat, "Photo du tableau de bord", kind: "image")
        let photo = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array("a dashboard photo".utf8))
        let attachment = Attachment()
        attachment.messageID = try sent.requireID(); attachment.providerMediaID = "media-1"; attachment.mimeType = "image/jpeg"
        attachment.size = photo.count; attachment.data = photo; attachment.status = .stored; attachment.attempts = 1; attachment.createdAt = Date()
        try await attachment.create(on: app.db)
        try await message(chat, "Un dépanneur arrive dans 40 minutes.", direction: .outbound)
        let line = try await conversation(agency: alpha, trip: second, traveller: again, external: "33612345678", channel: .voice)
        try await message(line, "Voicemail (12 s). Call back: +33612345678 « mon vol est annulé »", kind: "voicemail")

        // A case opened in the chat before it was linked to anyone, and one on the second registration.
        let early = CaseRecord()
        early.agencyID = alpha.id; early.conversationID = chat.id; early.category = .carRental; early.priority = .normal
        early.status = .resolved; early.safetyFlag = false; early.recordingRefused = true; early.openedAt = Date().addingTimeInterval(-3600)
        early.resolutionSummary = "Dépanneur envoyé, véhicule remplacé"
        try await early.create(on: app.db)
        let note = CaseNote()
        note.caseID = try early.requireID(); note.body = "Client calme, pas de blessé"; note.createdAt = Date()
        try await note.create(on: app.db)
        let later = CaseRecord()
        later.agencyID = alpha.id; later.travellerID = again; later.tripID = second.id; later.category = .flightDisruption; later.priority = .high
        later.status = .inProgress; later.safetyFlag = false; later.recordingRefused = false; later.openedAt = Date()
        try await later.create(on: app.db)

        // Someone else's conversation in Alpha, and the Beta registration's, must not leak.
        let otherChat = try await conversation(agency: alpha, trip: other, traveller: try XCTUnwrap(otherTraveller?.id), external: "33699999999")
        try await message(otherChat, "OTHER-SECRET message of another traveller")
        let betaChat = try await conversation(
            agency: beta, trip: betaTrip, traveller: betaTrip.travellerLinks[0].$traveller.id, external: "33612345678")
        try await message(betaChat, "BETA-SECRET message to another agency")
        let betaCase = CaseRecord()
        betaCase.agencyID = beta.id; betaCase.travellerID = betaTrip.travellerLinks[0].$traveller.id; betaCase.category = .other
        betaCase.priority = .normal; betaCase.status = .inProgress; betaCase.safetyFlag = false; betaCase.recordingRefused = false
        betaCase.openedAt = Date(); betaCase.resolutionSummary = "BETA-SECRET case"
        try await betaCase.create(on: app.db)
        return World(alpha: alpha, first: first, second: second, traveller: traveller, photo: photo)
    }

    /// The zip's entries by path.
    func unzip(_ body: ByteBuffer) throws -> [String: Data] {
        let archive = try Archive(data: Data(body.readableBytesView), accessMode: .read)
        var files: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = data
        }
        return files
    }

    func testAnExportHoldsEverythingOfTheTravellerAndNothingOfAnyoneElse() async throws {
        let w = try await world()
        let admin = try await signedIn("admin@alpha.example")
        // An admin reads the trip first: the read is in the export's access log.
        _ = try await admin.get("/trips/\(w.first.id!)")
        let editPage = try await admin.get(SiteURL.editTraveller(trip: w.first.id!, traveller: w.traveller).path)
        XCTAssertTrue(editPage.body.string.contains(#"id="export-traveller""#))

        let response = try await admin.get(SiteURL.exportTraveller(trip: w.first.id!, traveller: w.traveller).path)
        XCTAssertEqual(response.status, .ok)
        XCTAssertEqual(response.headers.contentType?.description, "application/zip")
        XCTAssertTrue(response.headers.first(name: .contentDisposition)?.contains("attachment") == true)
        let files = try unzip(response.body)
        let json = try XCTUnwrap(files["export.json"])
        let text = String(decoding: json, as: UTF8.self)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(document["format"] as? String, "onspot-personal-data-export")
        XCTAssertEqual((document["travellers"] as? [Any])?.count, 2, "both registrations of the same phone")
        XCTAssertEqual((document["trips"] as? [[String: Any]])?.compactMap { $0["reference"] as? String }.sorted(), ["EXP-1", "EXP-2"])
        for expected in [
            "ma voiture de location est en panne", "Un dépanneur arrive", "mon vol est annulé", "Client calme, pas de blessé",
            "Dépanneur envoyé", "\"refusedCallRecording\" : true", "traveller_data.read"
        ] {
            XCTAssertTrue(text.contains(expected), "missing: \(expected)")
        }
        XCTAssertEqual((document["cases"] as? [Any])?.count, 2, "the case of the chat before it was linked, and the later one")
        let consents = try XCTUnwrap(document["consentHistory"] as? [[String: Any]])
        XCTAssertEqual(consents.count, 6, "the three consents of both registrations, as given when registered")
        XCTAssertEqual(consents.filter { $0["kind"] as? String == "alerts" }.count, 2, "alerts among them")
        let travellers = try XCTUnwrap(document["travellers"] as? [[String: Any]])
        XCTAssertNotNil((travellers.first?["consents"] as? [String: Any])?["alerts"] as? Bool, "the alerts consent as it stands")
        XCTAssertNotNil(document["alerts"] as? [Any], "the alerts that concerned them (none here)")
        let photoPath = try XCTUnwrap(files.keys.first { $0.hasPrefix("attachments/") && $0.hasSuffix(".jpg") })
        XCTAssertEqual(files[photoPath], w.photo, "the attachment's bytes")
        XCTAssertTrue(text.contains(photoPath), "the message names its file")
        for file in files.values {
            let content = String(decoding: file, as: UTF8.self)
            for secret in ["OTHER-SECRET", "BETA-SECRET", "Other", "+33699999999", "EXP-OTHER", "BETA-1", "Léo", "EXP-FAMILY"] {
                XCTAssertFalse(content.contains(secret), "leaked: \(secret)")
            }
        }
        // Audited, with what it held.
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.travellerDataExported.rawValue).all()
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit.first?.subjectID, w.traveller.uuidString)
        XCTAssertTrue(audit.first?.detail.contains(#""messages":"4""#) == true, audit.first?.detail ?? "")

        // A second export lists the first in its access log.
        let again = try unzip(try await admin.get(SiteURL.exportTraveller(trip: w.first.id!, traveller: w.traveller).path).body)
        XCTAssertTrue(String(decoding: try XCTUnwrap(again["export.json"]), as: UTF8.self).contains("traveller_data.exported"))
    }

    func testOnlyTheAgencysAdminsAndKeysExportItsTravellers() async throws {
        let w = try await world()
        let path = SiteURL.exportTraveller(trip: w.first.id!, traveller: w.traveller).path
        let agent = try await signedIn("agent@alpha.example")
        let byAgent = try await agent.get(path)
        XCTAssertEqual(byAgent.status, .notFound, "agents do not export personal data")
        let eraseByAgent = try await agent.post(SiteURL.eraseTraveller(trip: w.first.id!, traveller: w.traveller).path, form: ["confirm": "yes"])
        XCTAssertEqual(eraseByAgent.status, .notFound, "nor erase it")
        let intact = try await Traveller.find(w.traveller, on: app.db)
        XCTAssertNotNil(intact?.phone)
        let editPage = try await agent.get(SiteURL.editTraveller(trip: w.first.id!, traveller: w.traveller).path)
        XCTAssertFalse(editPage.body.string.contains(#"id="export-traveller""#))
        let beta = try await signedIn("admin@beta.example")
        let v1 = try await beta.get(path).status
        XCTAssertEqual(v1, .notFound)
        // A traveller of another trip through this trip's address: not found.
        let admin = try await signedIn("admin@alpha.example")
        let v2 = try await admin.get(SiteURL.exportTraveller(trip: w.second.id!, traveller: w.traveller).path).status
        XCTAssertEqual(v2, .notFound)

        // The API: the agency's key exports, another agency's key finds nothing.
        let alphaKey = try await makeApiKey(for: w.alpha)
        let viaAPI = try await app.sendRequest(.GET, "/api/v1/travellers/\(w.traveller)/export", headers: apiHeaders(alphaKey, json: false))
        XCTAssertEqual(viaAPI.status, .ok)
        let files = try unzip(viaAPI.body)
        XCTAssertTrue(String(decoding: try XCTUnwrap(files["export.json"]), as: UTF8.self).contains("ma voiture de location"))
        let betaAgency = try await Agency.query(on: app.db).filter(\.$name == "Beta").first()
        let betaKey = try await makeApiKey(for: try XCTUnwrap(betaAgency))
        let refused = try await app.sendRequest(.GET, "/api/v1/travellers/\(w.traveller)/export", headers: apiHeaders(betaKey, json: false))
        XCTAssertEqual(refused.status, .notFound)
        XCTAssertTrue(refused.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        let unknown = try await app.sendRequest(.GET, "/api/v1/travellers/not-a-uuid/export", headers: apiHeaders(alphaKey, json: false))
        XCTAssertEqual(unknown.status, .notFound)
        let anonymous = try await app.sendRequest(.GET, "/api/v1/travellers/\(w.traveller)/export")
        XCTAssertEqual(anonymous.status, .unauthorized)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.travellerDataExported.rawValue).all()
        XCTAssertEqual(audit.map(\.detail).filter { $0.contains(#""via":"api""#) }.count, 1, "only the export that happened")
    }
}
