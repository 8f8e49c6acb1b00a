import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, item 7: at resolution the traveller is asked, in one tap and in their language, whether they are happy
/// with the help; the answer and a comment land on the case and in the agency's report.
final class SatisfactionTests: GraphTestCase {
    /// A WhatsApp message of any type from the case's traveller, as Meta posts it, stored and processed.
    func receive(_ message: String) async throws {
        let body = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"16505551234","id":"wamid.\#(UUID().uuidString)","timestamp":"\#(Int(Date().timeIntervalSince1970))",\#(message)}]}}]}]}"#
                .utf8)
        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: try MetaWebhook.whatsapp(body), on: app.db)
        _ = try await InboundProcessor.sweep(on: app.db)
    }

    func buttons(of request: GraphStandIn.Recorded) -> [(id: String, title: String)] {
        let action = ((request.json["interactive"] as? [String: Any])?["action"] as? [String: Any])?["buttons"] as? [[String: Any]] ?? []
        return action.compactMap { b in
            (b["reply"] as? [String: Any]).flatMap { r in (r["id"] as? String).map { ($0, r["title"] as? String ?? "") } }
        }
    }

    func testTheTravellerAnswersInOneTapAndTheCommentLandsOnTheCase() async throws {
        let thanksText = L10n.t("csat.thanks", .pt)
        let record = try await travellerCase()
        let browser = try await expert(covering: ["us-nyc"])
        let resolved = try await browser.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Carro trocado no balcão."])
        XCTAssertEqual(resolved.status, .seeOther)
        try await sent()
        let request = try XCTUnwrap(graph.requests.first { $0.json["type"] as? String == "interactive" }, "\(graph.requests.map(\.json))")
        XCTAssertEqual(request.json["to"] as? String, "16505551234")
        let body = ((request.json["interactive"] as? [String: Any])?["body"] as? [String: Any])?["text"] as? String
        XCTAssertEqual(body, "Olá Zoé, o seu pedido à OnSpot New York foi resolvido. Ficou satisfeito com a nossa ajuda?")
        let choices = buttons(of: request)
        XCTAssertEqual(choices.map(\.title), ["😀 Muito satisfeito", "😐 Mais ou menos", "🙁 Insatisfeito"])
        XCTAssertEqual(choices.first?.id, "csat:\(record.id!.uuidString.lowercased()):3")
        XCTAssertTrue(choices.allSatisfy { $0.title.count <= 20 }, "WhatsApp cuts button titles at 20 characters")
        let casesBefore = try await CaseRecord.query(on: app.db).count()

        // The traveller taps "very happy", then writes a comment.
        try await receive(
            #""type":"interactive","context":{"id":"wamid.OUT1"},"interactive":{"type":"button_reply","button_reply":{"id":"\#(choices[0].id)","title":"\#(choices[0].title)"}}"#
        )
        var updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(updated.satisfaction, .good)
        XCTAssertNotNil(updated.satisfactionAnsweredAt)
        try await receive(#""type":"text","text":{"body":"Muito obrigado, atendimento rápido!"}"#)
        updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(updated.satisfactionComment, "Muito obrigado, atendimento rápido!")
        let casesAfterAnswer = try await CaseRecord.query(on: app.db).count()
        XCTAssertEqual(casesAfterAnswer, casesBefore, "neither the answer nor its comment opens a case")
        _ = try await OutboxSender.runDue(app: app)
        XCTAssertTrue(graph.requests.contains { ($0.json["text"] as? [String: Any])?["body"] as? String == thanksText }, "the thanks reached Meta")
        let thanks = try await MessageRecord.query(on: app.db).filter(\.$kind == OutboundMessageKind.autoSatisfactionThanks.rawValue).all()
        XCTAssertEqual(thanks.count, 1)
        XCTAssertEqual(thanks.first?.body, thanksText, "thanked in Portuguese")

        // Anything written after the comment is a new request.
        try await receive(#""type":"text","text":{"body":"Agora perdi o passaporte"}"#)
        let open = try await CaseRecord.query(on: app.db).filter(\.$status == .new).count()
        XCTAssertEqual(open, 1)

        // The case page shows the answer; the agency's report counts it for New York this month.
        let page = try await browser.get("/console/cases/\(record.id!)").body.string
        XCTAssertTrue(page.contains("très satisfait"), "in the expert's language")
        XCTAssertTrue(page.contains("Muito obrigado, atendimento rápido!"))
        try await makeUser("manager@a.example", role: .agencyAdmin, agency: try await Agency.find(record.agencyID, on: app.db))
        let manager = try await signedIn("manager@a.example")
        let report = try await manager.get("/reports").body.string
        XCTAssertTrue(report.contains(#"data-destination="New York""#), report)
        XCTAssertTrue(
            report.contains(#"<td class="num answers">1</td><td class="num satisfied">100 %</td><td class="num first-met">100 %</td>"#), report)
        let csv = try await manager.get("/reports.csv").body.string
        XCTAssertTrue(csv.contains("New York answers\",\"1"), csv)
    }

    func testOutsideTheWindowTheApprovedTemplateCarriesTheButtons() async throws {
        let record = try await travellerCase(ago: 30 * 3600)
        let browser = try await expert(covering: ["us-nyc"])
        _ = try await browser.post("/console/cases/\(record.id!)/resolve", form: ["summary": "Done."])
        try await sent()
        let request = try XCTUnwrap(graph.requests.first { $0.json["type"] as? String == "template" })
        let template = try XCTUnwrap(request.json["template"] as? [String: Any])
        XCTAssertEqual(template["name"] as? String, "onspot_satisfaction")
        XCTAssertEqual((template["language"] as? [String: Any])?["code"] as? String, "pt_BR")
        let components = template["components"] as? [[String: Any]] ?? []
        let quickReplies = components.filter { $0["sub_type"] as? String == "quick_reply" }
        XCTAssertEqual(quickReplies.map { $0["index"] as? String }, ["0", "1", "2"])
        let payloads = quickReplies.compactMap { (($0["parameters"] as? [[String: Any]])?.first?["payload"]) as? String }
        XCTAssertEqual(payloads.last, "csat:\(record.id!.uuidString.lowercased()):1")
        // A template's quick reply comes back as type "button" with its payload.
        try await receive(#""type":"button","button":{"text":"🙁 Insatisfeito","payload":"\#(payloads[2])"}"#)
        var updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(updated.satisfaction, .poor)
        let answeredAt = updated.satisfactionAnsweredAt
        // A change of mind updates the rating, thanks once, and keeps the comment window from the first answer.
        try await receive(#""type":"button","button":{"text":"😐 Mais ou menos","payload":"\#(payloads[1])"}"#)
        updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(updated.satisfaction, .fair)
        XCTAssertEqual(updated.satisfactionAnsweredAt, answeredAt)
        let thanks = try await MessageRecord.query(on: app.db).filter(\.$kind == OutboundMessageKind.autoSatisfactionThanks.rawValue).count()
        XCTAssertEqual(thanks, 1)
        // An unhappy traveller's text is their comment and a request: it opens a case too, nothing is swallowed.
        try await receive(#""type":"text","text":{"body":"O carro de substituição nunca chegou"}"#)
        updated = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertEqual(updated.satisfactionComment, "O carro de substituição nunca chegou")
        let opened = try await CaseRecord.query(on: app.db).filter(\.$status == .new).count()
        XCTAssertEqual(opened, 1, "the text also reaches the queue")
    }

    func testALateOrUnknownTapOpensNothing() async throws {
        let record = try await travellerCase()
        record.status = .resolved
        record.resolvedAt = Date().addingTimeInterval(-10 * 86400)
        record.satisfactionRequestedAt = record.resolvedAt
        try await record.save(on: app.db)
        let late = SatisfactionPayload.make(caseID: record.id!, rating: .good)
        try await receive(#""type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"\#(late)","title":"😀"}}"#)
        let unchanged = try await CaseRecord.find(record.id, on: app.db)!
        XCTAssertNil(unchanged.satisfactionRating, "past the 7-day window")
        let open = try await CaseRecord.query(on: app.db).filter(\.$status ~~ CaseStatus.open).count()
        XCTAssertEqual(open, 0, "a button tap is no request")
        let stored = try await MessageRecord.query(on: app.db).filter(\.$direction == .inbound).filter(\.$kind == "interactive").count()
        XCTAssertEqual(stored, 1, "kept in the thread all the same")
    }

    func testNotAskedWhereItCannotBeAskedAndForeignAnswersAreIgnored() async throws {
        // Messenger after 24 hours: the human-agent tag is not for surveys.
        let messenger = try await travellerCase(channel: .messenger, ago: 2 * 86400)
        let browser = try await expert(covering: ["us-nyc"])
        _ = try await browser.post("/console/cases/\(messenger.id!)/resolve", form: ["summary": "Done."])
        try await sent()
        XCTAssertTrue(graph.requests.isEmpty, "\(graph.requests.map(\.json))")
        let asked = try await CaseRecord.find(messenger.id, on: app.db)!.satisfactionRequestedAt
        XCTAssertNil(asked)

        // An answer naming a case of another conversation changes nothing and is handled as an ordinary message.
        let whatsapp = try await travellerCase(agency: "B")
        let forged = "csat:\(messenger.id!.uuidString.lowercased()):1"
        try await receive(#""type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"\#(forged)","title":"x"}}"#)
        let untouched = try await CaseRecord.find(messenger.id, on: app.db)!
        XCTAssertNil(untouched.satisfactionRating)
        let stillOpen = try await CaseRecord.find(whatsapp.id, on: app.db)!
        XCTAssertEqual(stillOpen.status, .new, "the message went to the open case of its conversation")
    }

    func testTheAnswerStaysInItsAgencysReport() async throws {
        let record = try await travellerCase(agency: "A")
        record.status = .resolved
        record.resolvedAt = Date()
        record.satisfactionRating = 1
        try await record.save(on: app.db)
        let other = try await makeAgency("B")
        try await makeUser("manager@b.example", role: .agencyAdmin, agency: other)
        let manager = try await signedIn("manager@b.example")
        let report = try await manager.get("/reports").body.string
        XCTAssertFalse(report.contains(#"data-destination="New York""#), "agency B does not see agency A's cases")
        XCTAssertTrue(report.contains(#"id="satisfaction-none""#))
    }

    func testPayloadsAreParsedStrictly() {
        let id = UUID()
        XCTAssertEqual(SatisfactionPayload.parse(SatisfactionPayload.make(caseID: id, rating: .fair))?.caseID, id)
        for bad in [nil, "", "csat:", "csat:\(id):4", "csat:\(id):0", "csat:not-a-uuid:3", "csat:\(id):3:extra", "other:\(id):3", "csat:\(id):-1"] {
            XCTAssertNil(SatisfactionPayload.parse(bad), bad ?? "nil")
        }
    }
}
