import Foundation
@testable import OnSpotCore
import XCTest

/// Input that used to reach trapping code, and the small parsers that now stand in front of it (issue 12).
final class HardeningTests: XCTestCase {
    // MARK: Form bodies (Twilio)

    func testFormBodiesDecodeLikeTwilioSendsThem() throws {
        let pairs = try FormURLEncoding.decode(Array("CallSid=CA1&From=%2B14155550100&Caller=a+b&Empty=&Flag&&Digits=9".utf8))
        XCTAssertEqual(pairs.map { $0.0 }, ["CallSid", "From", "Caller", "Empty", "Flag", "Digits"])
        XCTAssertEqual(pairs.map { $0.1 }, ["CA1", "+14155550100", "a b", "", "", "9"])
        XCTAssertEqual(try FormURLEncoding.decode(Array("x=%C3%A9t%C3%A9".utf8)).first?.1, "été")
    }

    func testMalformedFormBodiesAreErrorsNotTraps() {
        for body in ["a=%zz", "%", "a=%", "a=%4", "a=%G1", "{=%%%"] {
            XCTAssertThrowsError(try FormURLEncoding.decode(Array(body.utf8)), body)
        }
        XCTAssertThrowsError(try FormURLEncoding.decode([0x61, 0x3D, 0xFF, 0xFE]), "invalid UTF-8")
        XCTAssertThrowsError(try FormURLEncoding.decode(Array("a=%FF".utf8)), "escaped invalid UTF-8")
        XCTAssertThrowsError(try FormURLEncoding.decode(Array("To=%00".utf8)), "NUL, which PostgreSQL cannot store") { error in
            XCTAssertEqual(error as? FormURLEncoding.Failure, .nul(field: 0))
        }
        XCTAssertThrowsError(try FormURLEncoding.decode(Array(repeating: "a=1&", count: 1001).joined().utf8)) { error in
            XCTAssertEqual(error as? FormURLEncoding.Failure, .tooManyFields(limit: 1000))
        }
        // Characters a browser would escape are taken as they come, as Twilio's own parser does.
        XCTAssertEqual(try FormURLEncoding.decode(Array("a b#c={".utf8)).first?.1, "{")
    }

    func testEncodedBodiesReadBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aé+%=& #\u{1}\n\r/?:日本😀-._~")
        for _ in 0..<300 {
            let pairs = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                (
                    String((0..<Int.random(in: 1...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }),
                    String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                )
            }
            let decoded = try FormURLEncoding.decode(Array(FormURLEncoding.encode(pairs).utf8))
            XCTAssertEqual(decoded.map { $0.0 }, pairs.map { $0.0 })
            XCTAssertEqual(decoded.map { $0.1 }, pairs.map { $0.1 })
        }
    }

    // MARK: Pages

    func testPagesAreBoundedSoOffsetsCannotOverflow() {
        let huge = PageRequest(clamping: Int.max, perPage: Int.max)
        XCTAssertEqual(huge.page, 100_000)
        XCTAssertEqual(huge.perPage, 100)
        XCTAssertEqual(huge.range, 9_999_900..<10_000_000)
        XCTAssertEqual(PageRequest(clamping: Int.min, perPage: -5).range, 0..<1)
        XCTAssertEqual(PageRequest.pageCount(total: 0, perPage: 25), 1)
        XCTAssertEqual(PageRequest.pageCount(total: 51, perPage: 25), 3)
        XCTAssertEqual(PageRequest.pageCount(total: Int.max, perPage: 0), Int.max)
    }

    // MARK: Addresses

    func testAddressesParseAndClassify() throws {
        for forbidden in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "[::1]"
        ] {
            XCTAssertEqual(IPAddress(forbidden)?.isForbiddenDestination, true, forbidden)
        }
        for allowed in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            XCTAssertEqual(IPAddress(allowed)?.isForbiddenDestination, false, allowed)
        }
        for junk in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "::1::", "", "12345::", "%"] {
            XCTAssertNil(IPAddress(junk), junk)
        }
        XCTAssertEqual(IPAddress("2001:db8::1")?.description, "2001:db8:0:0:0:0:0:1")
        XCTAssertNil(CIDR("10.0.0.0/33"))
        XCTAssertEqual(CIDR("10.0.0.0/8")?.contains(IPAddress("10.255.0.1")!), true)
        XCTAssertEqual(CIDR("10.0.0.0/8")?.contains(IPAddress("::ffff:10.0.0.1")!), true)
        XCTAssertEqual(CIDR("10.0.0.0/8")?.contains(IPAddress("11.0.0.1")!), false)
    }

    func testForwardedForIsBelievedOnlyFromTrustedProxies() {
        let proxies = [CIDR("127.0.0.1")!, CIDR("10.0.0.0/8")!]
        // A client talking directly chooses nothing by sending the header.
        XCTAssertEqual(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: "1.2.3.4", trusted: proxies), "203.0.113.9")
        // Behind the proxy: the rightmost address that is not a trusted proxy.
        XCTAssertEqual(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "1.2.3.4, 198.51.100.7", trusted: proxies), "198.51.100.7")
        XCTAssertEqual(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "198.51.100.7, 10.0.0.5", trusted: proxies), "198.51.100.7")
        XCTAssertEqual(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "garbage", trusted: proxies), "127.0.0.1")
        XCTAssertEqual(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: nil, trusted: proxies), "127.0.0.1")
        XCTAssertEqual(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "1.2.3.4", trusted: []), "127.0.0.1")
    }

    // MARK: Redirects after sign-in

    func testOnlyPathsOfThisSiteAreFollowed() {
        for good in ["/", "/trips?page=2", "/console/cases/5A1E", "/a%20b"] { XCTAssertEqual(LocalPath.validated(good), good) }
        for bad in [
            "/\t/evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example", "/%09/evil.example",
            "/%2F/evil.example", "/%5cevil.example", "/\n/evil.example", " /x", "evil.example", "/" + String(repeating: "a", count: 400),
            "/é", "/\u{0}"
        ] {
            XCTAssertNil(LocalPath.validated(bad), bad.debugDescription)
        }
        XCTAssertNil(LocalPath.validated(nil))
    }

    // MARK: CSV

    func testCSVCellsAreQuotedAndCannotStartFormulas() {
        XCTAssertEqual(CSVExport.line(["a", "b,c", "say \"hi\""]), #""a","b,c","say ""hi""""#)
        XCTAssertEqual(CSVExport.cell("=HYPERLINK(\"http://x\")"), #""'=HYPERLINK(""http://x"")""#)
        for dangerous in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1", "＝1"] {
            XCTAssertTrue(
                CSVExport.neutralised(dangerous).hasPrefix("'") || CSVExport.neutralised(dangerous).hasPrefix("  '"),
                dangerous.debugDescription)
        }
        XCTAssertEqual(CSVExport.neutralised("Ana;=cmd|' /C calc'!A0"), "Ana;'=cmd|' /C calc'!A0")
        XCTAssertEqual(CSVExport.neutralised("a; -2"), "a; '-2")
        XCTAssertEqual(CSVExport.neutralised("Costa=ok"), "Costa=ok", "a sign inside a cell is harmless")
    }

    // MARK: Rule packs

    func testAliasBombsAndDeepNestingAreRefusedBeforeComposition() {
        var bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        for i in 1..<12 {
            bomb +=
                "\(Character(UnicodeScalar(97 + i)!)): &\(Character(UnicodeScalar(97 + i)!)) ["
                + Array(repeating: "*\(Character(UnicodeScalar(96 + i)!))", count: 9).joined(separator: ",") + "]\n"
        }
        XCTAssertLessThan(bomb.utf8.count, 4096)
        XCTAssertThrowsError(try RulePackLoader.load(yaml: bomb, file: "bomb.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("anchors and aliases"), "\(error)")
        }
        let deep = String(repeating: "[", count: 100_000)
        XCTAssertThrowsError(try RulePackLoader.load(yaml: deep, file: "deep.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("nested more than"), "\(error)")
        }
        // Quoted ampersands and asterisks are text, not anchors.
        XCTAssertNoThrow(try YAMLGuard.check("title: \"Fees & charges *apply*\"\nnote: 'a & b'\n"))
    }

    func testRulePackCountsAreBoundedSoDateArithmeticCannotOverflow() {
        let pack = """
            id: far-future
            title: T
            currency: EUR
            versions:
              - version: "1"
                effectiveFrom: 2026-01-01
                events:
                  complaint:
                    rule: complaint
                    kind: complaint
                    also:
                      - {kind: answer_by, reference: eventDate, direction: after, span: {end_of_year: 9223372036854775807}}
            """
        XCTAssertThrowsError(try RulePackLoader.load(yaml: pack, file: "far.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("no larger than 10000"), "\(error)")
        }
    }

    // MARK: Extraction

    func testNonASCIIDigitsNeverReachIntegerConversions() throws {
        for text in [
            "AF ١٢٣", "Vol AF ١٢٣ le ١٥ jan", "Départ ١٢:٣٠", "٢٠٢٦-٠١-٠١", "١٥ jan", "１２:３０", "AF １２３ 10:30",
            "2  AC 870 Y 28MAR 6 YVRCDG HK1  １７１５ 1145+1", "12/٠٣/2026 10:00", "Vol: AF 99999999999999999999"
        ] {
            XCTAssertNoThrow(try Extraction.extract(text, contextDate: Date(timeIntervalSince1970: 1_780_000_000)), text)
        }
        XCTAssertNil(asciiNumber("١٢"))
        XCTAssertNil(asciiNumber("99999999999999999999"))
        XCTAssertEqual(asciiNumber("0870"), 870)
    }

    func testMicrodataNestingIsBounded() throws {
        let open = String(repeating: #"<div itemprop="x" itemscope itemtype="https://schema.org/Thing">"#, count: 300)
        let html = #"<div itemscope itemtype="https://schema.org/FlightReservation">"# + open + String(repeating: "</div>", count: 301)
        let items = Microdata.items(in: html)
        func depth(_ v: JSONValue) -> Int {
            if case .object(let o) = v { return 1 + (o.values.map(depth).max() ?? 0) }
            if case .array(let a) = v { return a.map(depth).max() ?? 0 }
            return 0
        }
        XCTAssertLessThanOrEqual(items.map(depth).max() ?? 0, 17)
        XCTAssertNoThrow(try Extraction.extract(html, contextDate: Date(timeIntervalSince1970: 1_780_000_000)))
    }

    func testExtractedInstantsOutsideAnyTripAreRefused() {
        let utc = TimeZone(identifier: "UTC")!
        XCTAssertNil(SegmentProposal.instant("300000-01-01", zone: utc))
        XCTAssertNil(SegmentProposal.instant("1200-01-01", zone: utc))
        XCTAssertNotNil(SegmentProposal.instant("2027-03-12", zone: utc))
        XCTAssertNotNil(SegmentProposal.instant("2027-03-12T10:00:00+01:00", zone: utc))
    }

    func testWebhookTimestampsAreKeptOnlyWhenPlausible() {
        XCTAssertEqual(MetaWebhook.instant(1e300), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(MetaWebhook.instant(.nan), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(MetaWebhook.instant(-.infinity), Date(timeIntervalSince1970: 0))
        XCTAssertEqual(MetaWebhook.instant(1_749_416_383), Date(timeIntervalSince1970: 1_749_416_383))
        let body = Data(
            #"{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"9"},"recipient":{"id":"1"},"timestamp":1e300,"postback":{"title":"Hi","payload":"P"}}]}]}"#
                .utf8)
        XCTAssertNoThrow(try MetaWebhook.messenger(body))
    }

    func testNULCharactersAreCutFromSignedPayloadsRatherThanLosingTheMessage() throws {
        let body = Data(
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"P"},"contacts":[{"profile":{"name":"A\u0000na"},"wa_id":"4915100000000"}],"messages":[{"from":"4915100000000","id":"wamid.\u0000x","timestamp":"1749416383","type":"text","text":{"body":"Hel\u0000lo"}}]}}]}]}"#
                .utf8)
        let items = try MetaWebhook.whatsapp(body)
        guard case .message(let m) = items.first else { return XCTFail("no message") }
        XCTAssertEqual(m.text, "Hello")
        XCTAssertEqual(m.contactName, "Ana")
        XCTAssertEqual(m.providerMessageID, "wamid.x")
    }

    func testHexIsLowercaseTwoDigitsPerByte() {
        XCTAssertEqual(WebhookSignatures.hex([0x00, 0x0F, 0xA5, 0xFF]), "000fa5ff")
        XCTAssertEqual(WebhookSignatures.hex([UInt8]()), "")
        let all = WebhookSignatures.hex((0...255).map { UInt8($0) })
        XCTAssertEqual(all, (0...255).map { String(format: "%02x", $0) }.joined())
    }

    // MARK: Money

    func testAmountsAreBoundedAndProductsSaturate() {
        XCTAssertNil(Money.parseMajorUnits("99999999999999", currency: .EUR), "above one billion")
        XCTAssertEqual(Money.parseMajorUnits("1000000000", currency: .EUR)?.minorUnits, 100_000_000_000)
        XCTAssertEqual(CommissionPolicy.amount(base: .max, rateBasisPoints: 1200), Int64.max / 10_000)
        XCTAssertEqual(Int64.max.saturatingMultiplied(by: -2), .min)
        XCTAssertEqual(Int64.min.saturatingAdding(-1), .min)
        var terms = PlanTerms.defaults[0]
        terms.pricePerTravellerPerDayMinorUnits = .max / 2
        let quote = Quote.make(
            terms: terms, gridVersion: 1, travellers: 20, arrival: Date(timeIntervalSince1970: 1_780_000_000),
            returnDate: Date(timeIntervalSince1970: 1_780_000_000 + 400 * 86_400), zone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(quote.amount.minorUnits, .max)
    }
}
