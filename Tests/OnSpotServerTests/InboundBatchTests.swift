import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Many events processed in one batch give what one event at a time would: one message per provider id, one
/// conversation and one case per sender, one unknown-sender reply per conversation, matches by phone.
final class InboundBatchTests: GraphTestCase {
    func payload(from: String, id: String, at time: Date, text: String) -> Data {
        Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int(time.timeIntervalSince1970))","type":"text","text":{"body":"\#(text)"}}]}}]}]}"#
                .utf8)
    }

    func testABatchStoresEachMessageOnceAndDecidesLikeOneAtATime() async throws {
        _ = try await openCase()  // creates the New York WhatsApp endpoint (and an unrelated conversation)
        let agency = try await makeAgency("Horizon")
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-1")
        let travellerPhone = try XCTUnwrap(trip.travellerLinks[0].traveller.phone).dropFirst()
        let senders = ["4915100000001", "4915100000002", "4915100000003", "4915100000004", String(travellerPhone)]
        let start = Date().addingTimeInterval(-600)
        var unique = Set<String>()
        for i in 0..<60 {
            let id = "wamid.B\(i % 50)"  // ten duplicates of earlier ids, as Meta's retries
            unique.insert(id)
            let body = payload(from: senders[i % senders.count], id: id, at: start.addingTimeInterval(Double(i)), text: "message \(i)")
            _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        }
        let seen = try await InboundProcessor.sweep(on: app.db)
        XCTAssertEqual(seen, 60)
        let stored = try await MessageRecord.query(on: app.db).filter(\.$direction == .inbound).all()
        XCTAssertEqual(stored.count, unique.count)
        XCTAssertEqual(Set(stored.compactMap(\.providerMessageID)).count, unique.count, "none twice")
        let conversations = try await Conversation.query(on: app.db).filter(\.$externalUserID ~~ senders).all()
        XCTAssertEqual(conversations.count, 5)
        let known = try XCTUnwrap(conversations.first { $0.externalUserID == String(travellerPhone) })
        XCTAssertTrue(known.identified)
        XCTAssertEqual(known.tripID, trip.id)
        let latest = stored.filter { $0.conversationID == known.id }.map(\.createdAt).max()
        XCTAssertEqual(known.lastInboundAt, latest)
        let cases = try await CaseRecord.query(on: app.db).filter(\.$conversationID ~~ conversations.map { $0.id! }).count()
        XCTAssertEqual(cases, 5, "one open case per conversation")
        let askReference = try await MessageRecord.query(on: app.db).filter(\.$kind == "auto_unknown_sender").count()
        XCTAssertEqual(askReference, 4, "one request for the booking reference per unknown sender, none for the traveller")
        let pending = try await InboundEvent.query(on: app.db).filter(\.$processedAt == nil).count()
        XCTAssertEqual(pending, 0)
        // Processing again changes nothing.
        _ = try await InboundProcessor.sweep(on: app.db)
        let again = try await MessageRecord.query(on: app.db).filter(\.$direction == .inbound).count()
        XCTAssertEqual(again, unique.count)
    }
}
