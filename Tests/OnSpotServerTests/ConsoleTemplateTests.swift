import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor

/// Issue 13, item 3: once WhatsApp's 24-hour window has closed, the reply box becomes a template picker whose variables
/// are read from the case; the template goes out in the traveller's language and the thread keeps what they read.
final class ConsoleTemplateTests: GraphTestCase {
    func testOutsideTheWindowTheTemplateGoesWithTheCaseValuesInTheTravellersLanguage() async throws {
        let record = try await travellerCase(ago: 25 * 3600)
        let browser = try await expert(covering: ["us-nyc"])
        let refused = try await reply(browser, record, ["text": "Olá?"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue((jsonObject(refused)["type"] as? String)?.hasSuffix("window-closed") == true)

        let res = try await reply(browser, record, ["template": ["name": "onspot_follow_up"]])
        XCTAssertEqual(res.status, .accepted, res.body.string)
        let expected =
            "Olá Zoé, aqui é expert, seu especialista OnSpot em New York. Temos novidades sobre o seu pedido: responda a esta mensagem para continuar."
        XCTAssertEqual(jsonObject(res)["body"] as? String, expected, "the answer carries what the traveller reads")
        try await sent()
        let request = try XCTUnwrap(graph.requests.first)
        XCTAssertEqual(request.path, "/v21.0/106540352242922/messages")
        let template = try XCTUnwrap(request.json["template"] as? [String: Any])
        XCTAssertEqual(template["name"] as? String, "onspot_follow_up")
        XCTAssertEqual((template["language"] as? [String: Any])?["code"] as? String, "pt_BR")
        let parameters = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap {
            $0["text"] as? String
        }
        XCTAssertEqual(parameters, ["Zoé", "expert", "New York"])
        let message = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).first()!
        XCTAssertEqual(message.kind, "template")
        XCTAssertEqual(message.body, expected, "the thread shows the template's text, not its name")
        let page = try await browser.get("/console/cases/\(record.id!)")
        XCTAssertTrue(page.body.string.contains(expected.replacingOccurrences(of: "'", with: "&#39;")))
    }

    func testTheExpertsTextAndCorrectionsReplaceTheCaseValues() async throws {
        let record = try await travellerCase(ago: 30 * 3600)
        let browser = try await expert(covering: ["us-nyc"])
        let res = try await reply(
            browser, record, ["template": ["name": "onspot_case_update", "parameters": ["Zoé Maria", "o carro está pronto no balcão 4"]]])
        XCTAssertEqual(res.status, .accepted, res.body.string)
        try await sent()
        let template = try XCTUnwrap(graph.requests.first?.json["template"] as? [String: Any])
        let parameters = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap {
            $0["text"] as? String
        }
        XCTAssertEqual(parameters, ["Zoé Maria", "o carro está pronto no balcão 4"])
    }

    func testRefusedTemplatesSayWhyFieldByField() async throws {
        let record = try await openCase(ago: 25 * 3600)  // unidentified: no first name to read
        let browser = try await expert(covering: ["us-nyc"])
        func refusal(_ template: [String: Any]) async throws -> (status: HTTPStatus, fields: [String]) {
            let res = try await reply(browser, record, ["template": template])
            let errors = (jsonObject(res)["errors"] as? [[String: Any]]) ?? []
            return (res.status, errors.compactMap { $0["field"] as? String })
        }
        var r = try await refusal(["name": "hello_world"])
        XCTAssertEqual(r.status, .unprocessableEntity)
        XCTAssertEqual(r.fields, ["template"], "only the catalogue's templates: Meta refuses the others anyway")
        r = try await refusal(["name": "onspot_follow_up"])
        XCTAssertEqual(r.status, .unprocessableEntity)
        XCTAssertEqual(r.fields, ["template.parameters.0"], "no traveller, no first name: the expert must type it")
        r = try await refusal(["name": "onspot_case_update", "parameters": ["Zoé", "line one\nline two"]])
        XCTAssertEqual(r.fields, ["template.parameters.1"], "Meta refuses a new line in a parameter (132018)")
        r = try await refusal(["name": "onspot_case_update", "parameters": ["Zoé", "too      many spaces"]])
        XCTAssertEqual(r.fields, ["template.parameters.1"])
        r = try await refusal(["name": "onspot_case_update", "parameters": ["Zoé", String(repeating: "x", count: 1025)]])
        XCTAssertEqual(r.fields, ["template.parameters.1"])
        r = try await refusal(["name": "onspot_case_update", "parameters": ["a", "b", "c"]])
        XCTAssertEqual(r.fields, ["template.parameters"])
        let french = try await reply(browser, record, ["template": ["name": "onspot_case_update", "parameters": ["Zoé", "a\tb"]]])
        XCTAssertTrue(String(describing: jsonObject(french)["detail"]).contains("tabulations"), "in the expert's language")
        XCTAssertTrue(graph.requests.isEmpty, "nothing refused reaches Meta")
        let outbound = try await MessageRecord.query(on: app.db).filter(\.$direction == .outbound).count()
        XCTAssertEqual(outbound, 0)

        let messenger = try await openCase(channel: .messenger, ago: 3 * 86400)
        let onMessenger = try await reply(browser, messenger, ["template": ["name": "onspot_follow_up", "parameters": ["Zoé"]]])
        XCTAssertEqual(onMessenger.status, .unprocessableEntity)
    }

    func testTheReplyBoxSaysHowLongTheWindowStaysOpenAndTurnsIntoThePicker() async throws {
        let open = try await travellerCase(ago: 3600)
        let browser = try await expert(covering: ["us-nyc"])
        var page = try await browser.get("/console/cases/\(open.id!)").body.string
        XCTAssertTrue(page.contains(#"data-mode="free""#))
        XCTAssertTrue(
            page.contains("Fenêtre ouverte : encore 23 h 00 pour répondre librement")
                || page.contains("Fenêtre ouverte : encore 22 h 59 pour répondre librement"), "the expert's language (French), the time left")
        XCTAssertTrue(page.contains(#"id="template-reply" hidden"#), "the picker waits for the window to close")

        let conversation = try await Conversation.find(open.conversationID, on: app.db)!
        conversation.lastInboundAt = Date().addingTimeInterval(-26 * 3600)
        try await conversation.save(on: app.db)
        page = try await browser.get("/console/cases/\(open.id!)").body.string
        XCTAssertTrue(page.contains(#"data-mode="template""#))
        XCTAssertTrue(page.contains("Fenêtre de 24 h fermée"))
        XCTAssertTrue(page.contains(#"id="free-reply" hidden"#))
        for template in MessageTemplate.expertPicks {
            XCTAssertTrue(page.contains(#"<option value="\#(template.name)">"#), template.name)
            XCTAssertTrue(page.contains(#"data-template="\#(template.name)""#), template.name)
        }
        XCTAssertTrue(page.contains(#"value="Zoé""#), "the first name read from the case")
        XCTAssertTrue(page.contains(#"value="+18005550100""#), "the toll-free number read from the destination")
        XCTAssertTrue(page.contains(#"value="07:00–22:00, horário de New York""#), "today's hours in the destination's time, for the traveller")
        XCTAssertTrue(page.contains("Olá {{1}}, aqui é {{2}}"), "the preview is in the traveller's language (Portuguese)")

        let messengerCase = try await openCase(channel: .messenger, ago: 3 * 86400)
        page = try await browser.get("/console/cases/\(messengerCase.id!)").body.string
        XCTAssertTrue(page.contains(#"data-mode="human""#))
        XCTAssertFalse(page.contains(#"id="template-reply""#), "no templates on Messenger")
    }
}
