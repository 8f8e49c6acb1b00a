import Foundation
import XCTest
@testable import OnSpotCore

func fixture(_ path: String) throws -> Data {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil), path)
    return try Data(contentsOf: url)
}

final class ChannelsTests: XCTestCase {
    func testMetaSignatureMatchesTheDocumentedVector() {
        let body = Data(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        let expected = "sha256=09eceea024af6e6343b760cc9bd3ae7c056938dd636e24e92109eb8219500384"
        XCTAssertEqual(WebhookSignatures.metaSignature(secret: "appsecret", body: body), expected)
        XCTAssertTrue(WebhookSignatures.isValidMeta(header: expected, secret: "appsecret", body: body))
        XCTAssertTrue(
            WebhookSignatures.isValidMeta(
                header: expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
                secret: "appsecret", body: body))
        XCTAssertFalse(WebhookSignatures.isValidMeta(header: expected, secret: "other", body: body))
        XCTAssertFalse(
            WebhookSignatures.isValidMeta(header: expected, secret: "appsecret", body: body + Data(" ".utf8)),
            "the raw bytes are signed: re-serialising breaks it")
        for bad in [nil, "", "sha256=", "sha1=09ec", String(expected.dropLast())] {
            XCTAssertFalse(WebhookSignatures.isValidMeta(header: bad, secret: "appsecret", body: body))
        }
    }

    func testTwilioSignatureMatchesTheDocumentedVectors() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        var params = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"),
            ("To", "+18005551212")
        ]
        XCTAssertEqual(WebhookSignatures.twilioSignature(authToken: "12345", url: url, parameters: params), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        XCTAssertTrue(
            WebhookSignatures.isValidTwilio(
                header: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authToken: "12345", url: url,
                parameters: params.reversed()))
        params[1].1 = "+14158675310"
        params[3].1 = "+14158675310"
        XCTAssertEqual(WebhookSignatures.twilioSignature(authToken: "12345", url: url, parameters: params), "GvWf1cFY/Q7PnoempGyD5oXAezc=")
        XCTAssertFalse(WebhookSignatures.isValidTwilio(header: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authToken: "12345", url: url, parameters: params))
    }

    func testStripeSignatureRefusesReplays() {
        let body = Data(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let t = Int(now.timeIntervalSince1970) - 10
        var signed = Data("\(t).".utf8)
        signed.append(body)
        let mac = WebhookSignatures.hex(HMACSHA256(secret: "whsec_test", data: signed))
        let header = "t=\(t),v1=\(mac),v0=ignored"
        XCTAssertTrue(WebhookSignatures.isValidStripe(header: header, secret: "whsec_test", body: body, now: now))
        XCTAssertFalse(
            WebhookSignatures.isValidStripe(header: header, secret: "whsec_test", body: body, now: now.addingTimeInterval(301)),
            "older than the 300 s tolerance")
        XCTAssertFalse(WebhookSignatures.isValidStripe(header: "t=\(t),v1=00", secret: "whsec_test", body: body, now: now))
        XCTAssertFalse(WebhookSignatures.isValidStripe(header: nil, secret: "whsec_test", body: body, now: now))
    }

    func testWhatsAppTextMessage() throws {
        let items = try MetaWebhook.whatsapp(try fixture("whatsapp/text.json"))
        guard case .message(let m) = try XCTUnwrap(items.first), items.count == 1 else { return XCTFail("\(items)") }
        XCTAssertEqual(m.endpointID, "106540352242922", "the channel is found by phone_number_id, not the display number")
        XCTAssertEqual(m.senderID, "16505551234")
        XCTAssertEqual(m.text, "Is my 8am shuttle still running?")
        XCTAssertEqual(m.contactName, "Sheena Nelson")
        XCTAssertEqual(m.timestamp, Date(timeIntervalSince1970: 1_749_416_383))
    }

    func testWhatsAppBatchWalksEveryEntryChangeMessageAndStatus() throws {
        let items = try MetaWebhook.whatsapp(try fixture("whatsapp/batch-mixed.json"))
        let messages = items.compactMap { if case .message(let m) = $0 { m } else { nil } }
        let statuses = items.compactMap { if case .status(let s) = $0 { s } else { nil } }
        XCTAssertEqual(messages.map(\.kind), ["image", "location", "interactive", "unknown"], "the item without sender is skipped, not the batch")
        XCTAssertEqual(messages[0].mediaID, "1479537139650973")
        XCTAssertEqual(messages[0].text, "My voucher")
        XCTAssertEqual(messages[1].latitude, 40.7128)
        XCTAssertEqual(messages[2].text, "Oui")
        XCTAssertEqual(messages[2].replyTo, "wamid.OUT9")
        XCTAssertEqual(statuses.map(\.status), [.read, .delivered, .failed], "an unknown status value is skipped")
        XCTAssertEqual(statuses[2].errorCode, 131047)
    }

    func testMessengerDropsEchoesAndReadsAttachmentsPostbacksAndDeliveries() throws {
        let items = try MetaWebhook.messenger(try fixture("messenger/batch.json"))
        let messages = items.compactMap { if case .message(let m) = $0 { m } else { nil } }
        XCTAssertEqual(messages.map(\.providerMessageID), ["m_1", "m_2", "m_3"])
        XCTAssertEqual(messages[1].mediaURL, "https://cdn.example/img.jpg")
        XCTAssertEqual(messages[2].kind, "postback")
        XCTAssertEqual(items.count, 4)
    }

    func testWrongBodiesAreRefusedWhole() {
        XCTAssertThrowsError(try MetaWebhook.whatsapp(Data("not json".utf8))) { XCTAssertEqual($0 as? WebhookParseError, .notJSON) }
        XCTAssertThrowsError(try MetaWebhook.whatsapp(Data(#"{"object":"page","entry":[]}"#.utf8))) {
            XCTAssertEqual($0 as? WebhookParseError, .wrongObject("page"))
        }
    }

    func testReceiptsNeverMoveAMessageBackwards() {
        XCTAssertTrue(DeliveryStatus.sent.canReplace(nil))
        XCTAssertTrue(DeliveryStatus.read.canReplace(.delivered))
        XCTAssertFalse(DeliveryStatus.delivered.canReplace(.read), "a late 'delivered' after 'read' changes nothing")
        XCTAssertFalse(DeliveryStatus.sent.canReplace(.delivered))
        XCTAssertTrue(DeliveryStatus.failed.canReplace(.sent))
        XCTAssertFalse(DeliveryStatus.failed.canReplace(.read))
        XCTAssertFalse(DeliveryStatus.read.canReplace(.read), "applying the same receipt twice is a no-op")
    }
}

import Crypto
func HMACSHA256(secret: String, data: Data) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(secret.utf8))))
}

final class OutboundRulesTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func testWindowsOfEachChannel() {
        XCTAssertEqual(MessagingWindow.allowed(channel: .whatsapp, lastInbound: now.addingTimeInterval(-24 * 3600), now: now), .freeText)
        XCTAssertEqual(MessagingWindow.allowed(channel: .whatsapp, lastInbound: now.addingTimeInterval(-24 * 3600 - 1), now: now), .templateOnly)
        XCTAssertEqual(MessagingWindow.allowed(channel: .whatsapp, lastInbound: nil, now: now), .templateOnly)
        XCTAssertEqual(MessagingWindow.allowed(channel: .messenger, lastInbound: now.addingTimeInterval(-3600), now: now), .freeText)
        XCTAssertEqual(MessagingWindow.allowed(channel: .messenger, lastInbound: now.addingTimeInterval(-3 * 86400), now: now), .humanAgentTag)
        XCTAssertEqual(MessagingWindow.allowed(channel: .messenger, lastInbound: now.addingTimeInterval(-7 * 86400 - 1), now: now), .closed)
    }

    func testGraphAnswersAreClassified() {
        func error(_ code: Int) -> Data { Data(#"{"error":{"message":"m","type":"OAuthException","code":\#(code),"fbtrace_id":"x"}}"#.utf8) }
        XCTAssertEqual(
            GraphOutcome.classify(
                status: 200,
                body: Data(#"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.X"}]}"#.utf8)),
            .accepted(messageID: "wamid.X"))
        XCTAssertEqual(GraphOutcome.classify(status: 200, body: Data(#"{"recipient_id":"1","message_id":"m_9"}"#.utf8)), .accepted(messageID: "m_9"))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(130429)), .retryLater(code: 130429))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(131056)), .retryLater(code: 131056))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(131026)), .undeliverable(code: 131026))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(131047)), .windowClosed(code: 131047))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(10)), .windowClosed(code: 10))
        XCTAssertEqual(GraphOutcome.classify(status: 401, body: error(190)), .tokenExpired)
        XCTAssertEqual(GraphOutcome.classify(status: 503, body: Data()), .retryLater(code: nil))
        XCTAssertEqual(GraphOutcome.classify(status: 400, body: error(100)), .rejected(code: 100, message: "m"))
        XCTAssertEqual(GraphOutcome.backoff(attempt: 1), 2)
        XCTAssertEqual(GraphOutcome.backoff(attempt: 50), 600)
    }

    func testRequestBodiesFollowTheDocumentedShapes() throws {
        let text = try JSONSerialization.data(
            withJSONObject: GraphRequests.whatsappText(to: "16505551234", body: "Your shuttle leaves at 08:00."),
            options: [.sortedKeys])
        XCTAssertEqual(
            String(decoding: text, as: UTF8.self),
            #"{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"Your shuttle leaves at 08:00.","preview_url":false},"to":"16505551234","type":"text"}"#
        )
        let tagged = GraphRequests.messengerText(psid: "P1", text: "Hi", humanAgent: true)
        XCTAssertEqual(tagged["tag"] as? String, "HUMAN_AGENT")
        XCTAssertEqual(tagged["messaging_type"] as? String, "MESSAGE_TAG")
    }
}

final class TwilioVoiceTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    func testCallbacksBecomeMessagesAndTwiMLIsEscaped() throws {
        let call = try XCTUnwrap(TwilioVoice.message([("CallSid", "CA1"), ("From", "+1 415-555-0100"), ("To", "+18005550199")], now: Self.now))
        XCTAssertEqual(call.senderID, "14155550100")
        XCTAssertEqual(call.providerMessageID, "CA1")
        XCTAssertEqual(call.kind, "call")
        let mail = try XCTUnwrap(
            TwilioVoice.message(
                [
                    ("CallSid", "CA1"), ("From", "+14155550100"), ("To", "+18005550199"),
                    ("RecordingSid", "RE9"), ("RecordingDuration", "31")
                ], now: Self.now))
        XCTAssertEqual(mail.providerMessageID, "RE9", "a voicemail is its own message, keyed by its recording")
        XCTAssertEqual(mail.kind, "voicemail")
        XCTAssertNil(TwilioVoice.message([("From", "+14155550100"), ("To", "+1800")], now: Self.now), "no CallSid, no message")
        XCTAssertNil(TwilioVoice.message([("CallSid", "CA2"), ("From", "anonymous"), ("To", "+1800")], now: Self.now), "no number to call back")
        let params = [("From", "+14155550100"), ("Note", "a&b=c%d é")]
        XCTAssertEqual(TwilioVoice.decodedParameters(TwilioVoice.body(params)).map { $0.1 }, params.map { $0.1 }, "stored bodies read back exactly")
        let xml = TwiML.notice(say: "Tapez <9> & \"raccrochez\"", language: .fr, base: "https://onspot.example")
        XCTAssertTrue(xml.contains("Tapez &lt;9&gt; &amp; &quot;raccrochez&quot;"), xml)
        XCTAssertTrue(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><Response><Gather"#))
        XCTAssertEqual(
            TwiML.dial(["+12125550142"], record: false),
            #"<?xml version="1.0" encoding="UTF-8"?><Response><Dial record="do-not-record" timeout="25"><Number>+12125550142</Number></Dial></Response>"#
        )
    }

    func testMessagesStampedInOneSecondKeepTheOrderTheyArrivedIn() {
        let second = Date(timeIntervalSince1970: 1_780_000_000)
        // Three webhooks for the same second, stored 0.2 s, 0.5 s and 3 s after it; then two in one run.
        let a = ArrivalOrder.stamp(second, storedAt: second.addingTimeInterval(0.2), position: 0)
        let b = ArrivalOrder.stamp(second, storedAt: second.addingTimeInterval(0.5), position: 0)
        let c = ArrivalOrder.stamp(second, storedAt: second.addingTimeInterval(3), position: 0)
        let d = ArrivalOrder.stamp(second, storedAt: second.addingTimeInterval(3), position: 1)
        XCTAssertLessThan(a, b)
        XCTAssertLessThan(b, c)
        XCTAssertLessThan(c, d)
        XCTAssertLessThan(d, second.addingTimeInterval(1), "never into the next second")
        let next = ArrivalOrder.stamp(second.addingTimeInterval(1), storedAt: second.addingTimeInterval(1.1), position: 0)
        XCTAssertLessThan(d, next, "a later second stays later")
        let early = ArrivalOrder.stamp(second, storedAt: second.addingTimeInterval(-30), position: 2)
        XCTAssertEqual(early.timeIntervalSince(second), 0.00002, accuracy: 1e-6, "a clock behind the provider's adds nothing but the position")
        let messenger = Date(timeIntervalSince1970: 1_780_000_000.123)
        XCTAssertEqual(ArrivalOrder.stamp(messenger, storedAt: messenger.addingTimeInterval(0.5), position: 4), messenger)
    }
}

final class MessageTemplateTests: XCTestCase {
    func testEveryTemplateHasItsPlaceholdersInEveryLanguage() {
        for template in MessageTemplate.expertPicks + [MessageTemplate.satisfaction] {
            XCTAssertEqual(MessageTemplate.named(template.name), template)
            for language in Language.allCases {
                let body = template.body(language)
                XCTAssertFalse(body.hasPrefix("template."), "\(template.name) has a body in \(language)")
                for n in 1...template.variables.count { XCTAssertTrue(body.contains("{{\(n)}}"), "\(template.name) \(language) {{\(n)}}") }
                XCTAssertFalse(body.contains("{{\(template.variables.count + 1)}}"))
                XCTAssertFalse(template.title(language).hasPrefix("template."))
                let rendered = template.render(language, parameters: template.variables.map(\.rawValue))
                XCTAssertFalse(rendered.contains("{{"), rendered)
            }
        }
        XCTAssertEqual(MessageTemplate.languageCode(.pt), "pt_BR")
        XCTAssertEqual(
            MessageTemplate.caseUpdate.render(.en, parameters: ["{{2}}", "x"]),
            "Hello {{2}}, an update on your request: x. Reply to this message to talk it over with your OnSpot expert.",
            "one pass, as Meta fills it: a value is never filled in turn")
        XCTAssertEqual(TemplateParameterCheck.problem("a\u{2028}b"), .lineBreak)
        XCTAssertTrue(SatisfactionPayload.isRemark("Merci, super !", rating: .good))
        XCTAssertFalse(SatisfactionPayload.isRemark("Merci ! Et pour demain ?", rating: .good))
        XCTAssertFalse(SatisfactionPayload.isRemark("Merci", rating: .poor))
        XCTAssertNil(MessageTemplate.named("hello_world"))
    }

    func testParametersAreCheckedAsMetaChecksThem() {
        XCTAssertNil(TemplateParameterCheck.problem("Zoé"))
        XCTAssertEqual(TemplateParameterCheck.problem(""), .empty)
        XCTAssertEqual(TemplateParameterCheck.problem("   "), .empty)
        XCTAssertEqual(TemplateParameterCheck.problem("a\nb"), .lineBreak)
        XCTAssertEqual(TemplateParameterCheck.problem("a\r\nb"), .lineBreak)
        XCTAssertEqual(TemplateParameterCheck.problem("a\tb"), .lineBreak)
        XCTAssertEqual(TemplateParameterCheck.problem("a     b"), .spaces)
        XCTAssertNil(TemplateParameterCheck.problem("a    b"), "four spaces are allowed")
        XCTAssertEqual(TemplateParameterCheck.problem(String(repeating: "é", count: 1025)), .tooLong)
        XCTAssertNil(TemplateParameterCheck.problem(String(repeating: "é", count: 1024)))
    }

    func testTheWindowClosesTwentyFourHoursOrSevenDaysAfterTheLastMessage() {
        let last = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(
            MessagingWindow.closes(channel: .whatsapp, lastInbound: last, now: last.addingTimeInterval(3600)), last.addingTimeInterval(86400))
        XCTAssertNil(MessagingWindow.closes(channel: .whatsapp, lastInbound: last, now: last.addingTimeInterval(86401)))
        XCTAssertEqual(
            MessagingWindow.closes(channel: .messenger, lastInbound: last, now: last.addingTimeInterval(2 * 86400)),
            last.addingTimeInterval(7 * 86400))
        XCTAssertNil(MessagingWindow.closes(channel: .messenger, lastInbound: last, now: last.addingTimeInterval(8 * 86400)))
        XCTAssertNil(MessagingWindow.closes(channel: .whatsapp, lastInbound: nil, now: last))
    }

    func testTodaysSlotsInTheDestinationsZone() throws {
        let zone = try XCTUnwrap(TimeZone(identifier: "America/New_York"))
        let slots = try XCTUnwrap(OpeningHours.parseSlots("08:00-12:00,14:00-20:00"))
        var hours = OpeningHours.everyDay(slots)
        hours.weekly[.sunday] = []
        // Saturday 2026-11-28 23:30 in New York is already Sunday in UTC.
        let saturdayNight = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-11-29T04:30:00Z"))
        XCTAssertEqual(hours.slotsText(on: saturdayNight, in: zone), "08:00–12:00, 14:00–20:00")
        XCTAssertNil(hours.slotsText(on: saturdayNight.addingTimeInterval(3600), in: zone), "Sunday: closed")
        let christmas = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-12-25T15:00:00Z"))
        XCTAssertNil(OpeningHours.everyDay(slots).slotsText(on: christmas, in: zone), "a closure day")
    }
}

final class ButtonPayloadTests: XCTestCase {
    func testEveryKindOfButtonBringsItsPayloadBack() throws {
        let whatsapp = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"P"},"messages":[{"from":"1","id":"a","timestamp":"1","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"csat:x:3","title":"Yes"}}},{"from":"1","id":"b","timestamp":"1","type":"button","button":{"text":"No","payload":"csat:x:1"}}]}}]}]}"#
                .utf8)
        let messages = try MetaWebhook.whatsapp(whatsapp).compactMap { item -> InboundMessage? in
            if case .message(let m) = item { return m }
            return nil
        }
        XCTAssertEqual(messages.map(\.payload), ["csat:x:3", "csat:x:1"])
        XCTAssertEqual(messages.map(\.text), ["Yes", "No"])
        let messenger = Data(
            #"{"object":"page","entry":[{"id":"PAGE","time":1,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"PAGE"},"timestamp":1000,"message":{"mid":"m_1","text":"😐 So-so","quick_reply":{"payload":"csat:x:2"}}}]}]}"#
                .utf8)
        guard case .message(let m)? = try MetaWebhook.messenger(messenger).first else { return XCTFail("no message") }
        XCTAssertEqual(m.payload, "csat:x:2")
        XCTAssertEqual(m.kind, "quick_reply")
        XCTAssertEqual(m.text, "😐 So-so")
    }
}
