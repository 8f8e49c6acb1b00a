import Foundation
import XCTest
@testable import OnSpotCore

final class ValuesTests: XCTestCase {
    func testPhoneNumbersAreNormalisedToE164() {
        XCTAssertEqual(PhoneNumber("+33 6 12 34 56 78")?.e164, "+33612345678")
        XCTAssertEqual(PhoneNumber("0033 (6) 12.34.56.78")?.e164, "+33612345678")
        XCTAssertEqual(PhoneNumber("+1-415-555-0123")?.digits, "14155550123")
        for bad in ["0612345678", "+0612345678", "+33", "+33612345678901234", "+33 6 12 34 56 7x", "", "++33612345678"] {
            XCTAssertNil(PhoneNumber(bad), bad)
        }
    }

    func testMoneyParsesWhatPeopleTypeAndNeverUsesFloatingPoint() {
        XCTAssertEqual(Money.parseMajorUnits("150", currency: .EUR)?.minorUnits, 15_000)
        XCTAssertEqual(Money.parseMajorUnits("1 250,5", currency: .EUR)?.minorUnits, 125_050)
        XCTAssertEqual(Money.parseMajorUnits("0.07", currency: .USD)?.minorUnits, 7)
        for bad in ["", "-5", "1.234", "1,2,3", "abc", "1e3", "99999999999999999"] {
            XCTAssertNil(Money.parseMajorUnits(bad, currency: .EUR), bad)
        }
        let m = Money(minorUnits: 125_050, currency: .EUR)
        XCTAssertEqual(m.formatted(.en), "EUR 1,250.50")
        XCTAssertEqual(m.formatted(.fr), "1\u{202F}250,50 EUR")
        XCTAssertEqual(m.formatted(.pt), "EUR 1.250,50")
        XCTAssertEqual(m.majorUnitsText, "1250.50")
    }

    func testLanguageNegotiation() {
        XCTAssertEqual(Language.negotiate("pt-BR,pt;q=0.9,en;q=0.8"), .pt)
        XCTAssertEqual(Language.negotiate("de-DE,en;q=0.5"), .en)
        XCTAssertEqual(Language.negotiate("de-DE"), .fr)
        XCTAssertEqual(Language.negotiate(nil, fallback: .en), .en)
        XCTAssertEqual(Language.negotiate("en;q=0.2, fr;q=0.9"), .fr)
    }

    func testEveryTextExistsInTheThreeLanguagesWithTheSamePlaceholders() {
        let placeholder = try! NSRegularExpression(pattern: "\\{[a-z]+\\}")
        func names(_ s: String) -> Set<String> {
            Set(placeholder.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) })
        }
        for (key, (fr, en, pt)) in L10n.table {
            XCTAssertFalse(fr.isEmpty || en.isEmpty || pt.isEmpty, key)
            XCTAssertEqual(names(fr), names(en), key)
            XCTAssertEqual(names(fr), names(pt), key)
        }
        XCTAssertEqual(L10n.t("trip.error.registration_deadline", .en, ["deadline": "X"]).contains("by X"), true)
    }

    func testScopeOfActionValidation() {
        XCTAssertEqual(ScopeOfAction.cautiousDefault.validate(), [])
        var rules = ScopeOfAction.cautiousDefault.rules
        rules[0] = ScopeRule(domain: rules[0].domain, level: .actWithinCap, capMinorUnits: 0)
        rules.removeLast()
        let errors = ScopeOfAction(rules: rules).validate()
        XCTAssertEqual(Set(errors.map(\.message)), ["scope.error.cap_required", "scope.error.answer_once"])
        XCTAssertEqual(ScopeDomain.allCases.count, 9)
    }

    func testVCardEscapesTextValues() {
        let card = VCard.assistanceLine(
            organisation: "Horizon; Voyages, Paris", destination: "New York", tollFree: "+18005550100",
            whatsApp: "+12135550100", email: "us@x.example", note: "Ref\nHZ-1")
        XCTAssertTrue(card.contains("ORG:Horizon\\; Voyages\\, Paris\r\n"))
        XCTAssertTrue(card.contains("NOTE:Ref\\nHZ-1\r\n"))
        XCTAssertTrue(card.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
        XCTAssertTrue(card.hasSuffix("END:VCARD\r\n"))
    }

    func testDestinationCatalogueCoversTheSevenCountries() {
        let all = DestinationCatalog.all
        XCTAssertGreaterThanOrEqual(all.count, 30)
        XCTAssertEqual(Set(all.map(\.countryCode)), ["US", "CA", "BS", "MX", "AU", "NZ", "BR"])
        XCTAssertEqual(Set(all.map(\.code)).count, all.count, "codes are unique")
        for d in all {
            XCTAssertNotNil(TimeZone(identifier: d.timeZone), d.code)
            XCTAssertNotNil(PhoneNumber(d.tollFree), "\(d.code) toll-free \(d.tollFree)")
            XCTAssertNotNil(PhoneNumber(d.whatsApp), "\(d.code) WhatsApp \(d.whatsApp)")
            XCTAssertTrue(EmailAddress.isValid(d.email), d.email)
            XCTAssertNotNil(OpeningHours.parseSlots(d.hours), d.code)
        }
        XCTAssertEqual(Set(all.map(\.tollFree)).count, all.count, "each destination has its own line")
    }
}

final class StoredCodeValuesTests: XCTestCase {
    func testAStoredCodeReadsAsItsStoredString() {
        XCTAssertEqual("\(CaseStatus.waitingForAgency)", "waiting_for_agency")
        XCTAssertEqual("case.status.\(CaseStatus.inProgress)", "case.status.in_progress")
        XCTAssertEqual(String(describing: CostOutcome.needsApproval), "needs_approval")
        XCTAssertNil(CaseStatus(rawValue: "inProgress"), "the Swift name is not a stored value")
        XCTAssertThrowsError(try JSONDecoder().decode(TripStatus.self, from: Data(#""archived""#.utf8)))
    }

    /// The tables are merged into one: a key written in two of them would silently lose one of its translations.
    func testTranslationTablesShareNoKeyAndEveryEntryHasThreeTexts() {
        let tables = [("general", L10n.general), ("billing", L10n.billing), ("privacy", L10n.privacy), ("console", L10n.console)]
        for (i, a) in tables.enumerated() {
            for b in tables[(i + 1)...] {
                XCTAssertEqual(Set(a.1.keys).intersection(b.1.keys), [], "keys in both \(a.0) and \(b.0)")
            }
        }
        for (key, texts) in L10n.table {
            XCTAssertFalse(texts.0.isEmpty || texts.1.isEmpty || texts.2.isEmpty, key)
        }
    }

    /// Stricter than Foundation's, which takes "…95438\u{0}" (sscanf stops at the NUL).
    func testTheFastUUIDParserAgreesWithFoundationAndRefusesEverythingElse() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            var bytes = [UInt8](repeating: 0, count: 16)
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                    bytes[12], bytes[13], bytes[14], bytes[15]
                ))
            XCTAssertEqual(UUID(fastString: uuid.uuidString), uuid)
            XCTAssertEqual(UUID(fastString: uuid.uuidString.lowercased()), uuid)
        }
        let good = "5C2601C1-5A51-400D-A02A-FDA1D3D95438"
        for bad in [
            "", "5C2601C1-5A51-400D-A02A-FDA1D3D9543", "5C2601C1-5A51-400D-A02A-FDA1D3D954388", "5C2601C1X5A51-400D-A02A-FDA1D3D95438",
            "5C2601C1-5A51-400D-A02A-FDA1D3D9543G", "5C2601C15A51-400D-A02A-FDA1D3D954388", "é" + good.dropFirst(), good + "\u{0}"
        ] {
            XCTAssertNil(UUID(fastString: bad), bad)
        }
    }
}
