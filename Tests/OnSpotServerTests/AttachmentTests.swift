import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// A photo sent on WhatsApp is looked up through the Graph media API, downloaded with the endpoint's token, kept, and
/// shown to the experts who cover the case only.
final class AttachmentTests: GraphTestCase {
    func image(id: String, media: String) -> Data {
        Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"4915100000077","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"image","image":{"id":"\#(media)","mime_type":"image/jpeg","sha256":"x","caption":"Contrat de location"}}]}}]}]}"#
                .utf8)
    }

    func receive(_ body: Data) async throws {
        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        _ = try await InboundProcessor.sweep(on: app.db)
    }

    func testAPhotoIsFetchedThroughTheMediaAPIAndShownToCoveringExpertsOnly() async throws {
        _ = try await openCase()  // the New York WhatsApp endpoint, token EAAG-token
        try await receive(image(id: "wamid.IMG1", media: "1234567890"))
        let pending = try await Attachment.query(on: app.db).all()
        XCTAssertEqual(pending.map(\.status), [.pending])
        let stored = try await AttachmentFetcher.runDue(app: app)
        XCTAssertEqual(stored, 1)
        let lookup = try XCTUnwrap(graph.requests.first { $0.path == "/v21.0/1234567890" })
        XCTAssertEqual(lookup.authorization, "Bearer EAAG-token")
        let download = try XCTUnwrap(graph.requests.first { $0.path == "/media/1234567890" })
        XCTAssertEqual(download.authorization, "Bearer EAAG-token", "the download needs the token too")
        let attachment = try await Attachment.query(on: app.db).first()!
        XCTAssertEqual(attachment.status, .stored)
        XCTAssertEqual(attachment.data, GraphStandIn.jpeg)
        XCTAssertEqual(attachment.mimeType, "image/jpeg")
        // Nothing left to do: a second run fetches nothing again.
        let again = try await AttachmentFetcher.runDue(app: app)
        XCTAssertEqual(again, 0)

        let message = try await MessageRecord.find(attachment.messageID, on: app.db)!
        let record = try await CaseRecord.query(on: app.db).filter(\.$conversationID == message.conversationID).first()!
        let browser = try await expert(covering: ["us-nyc"])
        let page = try await browser.get("/console/cases/\(record.id!)")
        XCTAssertTrue(page.body.string.contains("/console/attachments/\(attachment.id!)"))
        let bytes = try await browser.get("/console/attachments/\(attachment.id!)")
        XCTAssertEqual(bytes.status, .ok)
        XCTAssertEqual(bytes.headers.contentType?.description, "image/jpeg")
        XCTAssertEqual(Data(bytes.body.readableBytesView), GraphStandIn.jpeg)
        XCTAssertTrue(bytes.headers.first(name: "Content-Security-Policy")?.contains("sandbox") == true)

        try await makeUser("rio@onspot.example", role: .expert, agency: nil)
        let rioUser = try await User.query(on: app.db).filter(\.$email == "rio@onspot.example").first()!
        let link = ExpertDestination()
        link.$user.id = try rioUser.requireID()
        link.$destination.id = try await DestinationRecord.query(on: app.db).filter(\.$code == "br-rio").first()!.requireID()
        try await link.create(on: app.db)
        let rio = try await signedIn("rio@onspot.example")
        let hidden = try await rio.get("/console/attachments/\(attachment.id!)")
        XCTAssertEqual(hidden.status, .notFound)
        let garbage = try await browser.get("/console/attachments/not-an-id")
        XCTAssertEqual(garbage.status, .notFound)
    }

    func testAMissingMediaFailsForGoodAndATransientErrorIsRetried() async throws {
        _ = try await openCase()
        try await receive(image(id: "wamid.IMG2", media: "555"))
        graph.script([(500, "{}")])
        _ = try await AttachmentFetcher.runDue(app: app)
        var a = try await Attachment.query(on: app.db).first()!
        XCTAssertEqual(a.status, .pending, "a 500 is retried")
        XCTAssertEqual(a.attempts, 1)
        XCTAssertGreaterThan(try XCTUnwrap(a.nextAttemptAt), Date(), "tried again later, not on every pass")
        let early = try await AttachmentFetcher.runDue(app: app)
        XCTAssertEqual(early, 0)
        a = try await Attachment.query(on: app.db).first()!
        XCTAssertEqual(a.attempts, 1)
        a.nextAttemptAt = Date().addingTimeInterval(-1)
        try await a.save(on: app.db)
        graph.script([(404, #"{"error":{"code":100}}"#)])
        _ = try await AttachmentFetcher.runDue(app: app)
        a = try await Attachment.query(on: app.db).first()!
        XCTAssertEqual(a.status, .failed, "a media Meta no longer has is not asked for again")
        XCTAssertNotNil(a.lastError)
    }
}
