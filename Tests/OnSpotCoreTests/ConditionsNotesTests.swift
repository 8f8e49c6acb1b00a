import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 13, item 6: what the booking conditions answer reaches the console in the expert's language. Every pack's
/// every event runs over the consistency sweep (thousands of dates, prices, reasons and plans); every note of every
/// answer, and every input error the engine gives, must have a French and a Portuguese text, whether it is the pack's
/// own (translated in the pack) or the engine's (translated in `ConditionsNotes`).
final class ConditionsNotesTests: XCTestCase {
    static var engine: ConditionsEngine { ConditionsConsistencyTests.engine }

    func testEveryNoteOfEveryAnswerIsTranslated() {
        var notes: [String: Set<String>] = [:]
        for s in ConditionsConsistencyTests.samples { notes[s.answer.pack, default: []].formUnion(s.answer.notes) }
        XCTAssertEqual(Set(notes.keys), Set(Self.engine.packs.keys), "the sweep answers for every pack")
        XCTAssertGreaterThan(notes.values.map(\.count).reduce(0, +), 50, "the sweep reaches most notes")
        for (id, texts) in notes {
            let pack = Self.engine.packs[id]
            let missing = texts.filter { !ConditionsNotes.isKnown($0, pack: pack) }.sorted()
            XCTAssertEqual(missing, [], "\(id): notes without a translation")
            for note in texts {
                for language in [Language.fr, .pt] {
                    let text = ConditionsNotes.localized(note, language, pack: pack)
                    XCTAssertFalse(text.contains("$1") || text.contains("$2"), "every value put back: \(text)")
                    XCTAssertFalse(text.contains(" days") || text.contains(" hours") || text.contains("the scale"), "no English left: \(text)")
                }
                XCTAssertEqual(ConditionsNotes.localized(note, .en, pack: pack), note, "English is the engine's own text")
            }
        }
    }

    func testEveryPackTitleIsTranslated() {
        for pack in Self.engine.packs.values {
            XCTAssertNotEqual(pack.title(in: .fr), pack.title, pack.id)
            XCTAssertNotEqual(pack.title(in: .pt), pack.title, pack.id)
            XCTAssertEqual(pack.title(in: .en), pack.title, pack.id)
        }
    }

    /// Each event asked with nothing, with a bad date, with a negative price and an unknown reason: every error the
    /// engine answers with is translated.
    func testEveryInputErrorIsTranslated() {
        var messages: Set<String> = []
        let breakers: [(inout ConditionsRequest) -> Void] = [
            { _ in },
            {
                $0.eventDate = "01/02/2026"; $0.departure = "2026-13-40"
            },
            {
                $0.eventDate = "2026-01-01"; $0.departure = "2026-03-01"
            },
            {
                $0.eventDate = "2026-01-01"; $0.bookingDate = "2026-01-01"; $0.departure = "2026-03-01"; $0.price = Amount(-1, "EUR")
            },
            {
                $0.eventDate = "2026-01-01"; $0.bookingDate = "2026-01-01"; $0.departure = "2026-03-01"; $0.price = Amount(1000, "EUR")
                $0.reason = "teleportation"; $0.plan = "GOLD"
            },
            {
                $0.eventDate = "1990-01-01"; $0.bookingDate = "1990-01-01"; $0.departure = "1990-03-01"
            }
        ]
        for pack in Self.engine.packs.values {
            for event in Set(pack.versions.flatMap { $0.events.keys }) {
                for breaker in breakers {
                    var request = ConditionsRequest(pack: pack.id, event: event)
                    breaker(&request)
                    do { _ = try Self.engine.assess(request) } catch {
                        let failure = ConditionsJSON.describe(error, engine: Self.engine)
                        messages.formUnion(failure.errors?.map(\.message) ?? [failure.error])
                    }
                }
            }
        }
        for (pack, event) in [("nope", "x"), ("mnk-weopera", "teleport")] {
            do { _ = try Self.engine.assess(ConditionsRequest(pack: pack, event: event)) } catch {
                messages.formUnion(ConditionsJSON.describe(error, engine: Self.engine).errors?.map(\.message) ?? [])
            }
        }
        XCTAssertGreaterThan(messages.count, 8, "the breakers reach the engine's errors")
        XCTAssertEqual(messages.filter { !ConditionsNotes.isKnown($0) }.sorted(), [], "errors without a translation")
    }

    func testCompositeNotesTranslateTheirParts() {
        let late =
            "Notified too late for minimum_participants, which needs notice of at least 21 days before departure (B.10.2.c): "
            + "the exemption does not hold; B.10.2.b governs."
        XCTAssertEqual(
            ConditionsNotes.localized(late, .fr),
            "Notifié trop tard pour « nombre minimum de participants », qui demande un préavis de au moins 21 jours avant le départ (B.10.2.c) : "
                + "l'exonération ne joue pas ; B.10.2.b s'applique.")
        let scale =
            "Notified too late for too_few_participants, which needs notice of more than 1 working day before departure (14.3.a): "
            + "the exemption does not hold; the scale governs."
        XCTAssertEqual(
            ConditionsNotes.localized(scale, .pt),
            "Notificado tarde demais para “participantes insuficientes”, que exige aviso de mais de 1 dia útil antes da partida (14.3.a): "
                + "a isenção não vale; aplica-se a tabela.")
        XCTAssertEqual(ConditionsNotes.localized("Above 8%: the revision is significant.", .fr), "Au-delà de 8 % : la révision est importante.")
        XCTAssertEqual(ConditionsNotes.localized("Something new.", .pt), "Something new.", "an unknown text stays as written")
    }

    /// A pack an agency writes may give its texts in one language or in three; the engine answers with the English one
    /// (else the French), and a text translated two ways is refused with its line.
    func testAPackGivesItsTextsInSeveralLanguages() throws {
        let yaml = """
            id: my-supplier
            title:
              fr: Mon fournisseur
              pt: Meu fornecedor
            currency: EUR
            versions:
              - version: "1"
                effectiveFrom: 2026-01-01
                events:
                  no_show:
                    rule: no_show
                    clause: "7"
                    notes:
                      - en: "No refund."
                        fr: "Aucun remboursement."
                        pt: "Sem reembolso."
                      - "Taxes stay due."
            """
        let pack = try RulePackLoader.load(yaml: yaml, file: "my-supplier.yaml")
        XCTAssertEqual(pack.title, "Mon fournisseur", "no English title: the French one is the pack's own")
        XCTAssertEqual(pack.title(in: .pt), "Meu fornecedor")
        XCTAssertEqual(pack.title(in: .en), "Mon fournisseur")
        XCTAssertEqual(pack.text("No refund.", .fr), "Aucun remboursement.")
        XCTAssertEqual(ConditionsNotes.localized("No refund.", .pt, pack: pack), "Sem reembolso.")
        XCTAssertEqual(ConditionsNotes.localized("Taxes stay due.", .fr, pack: pack), "Taxes stay due.", "written in one language only")
        let engine = ConditionsEngine(packs: [pack])
        var request = ConditionsRequest(pack: "my-supplier", event: "no_show")
        request.eventDate = "2026-02-01"; request.departure = "2026-02-01"; request.price = Amount(100, "EUR")
        XCTAssertEqual(try engine.assess(request).notes, ["No refund.", "Taxes stay due."], "the API answers in the pack's English")

        let german = yaml.replacingOccurrences(of: "pt: \"Sem reembolso.\"", with: "de: \"Keine Erstattung.\"")
        XCTAssertThrowsError(try RulePackLoader.load(yaml: german, file: "x.yaml")) { error in
            XCTAssertEqual(String(describing: error), "x.yaml:16: versions[0].events.no_show.notes[0].de: unknown language 'de'; use en, fr or pt")
        }
        let twice = yaml.replacingOccurrences(of: "- \"Taxes stay due.\"", with: "- {en: \"No refund.\", fr: \"Rien.\"}")
        XCTAssertThrowsError(try RulePackLoader.load(yaml: twice, file: "x.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("translated differently"), "\(error)")
        }
        let empty = yaml.replacingOccurrences(of: "fr: \"Aucun remboursement.\"", with: "fr: \"\"")
        XCTAssertThrowsError(try RulePackLoader.load(yaml: empty, file: "x.yaml")) { error in
            XCTAssertEqual(String(describing: error), "x.yaml:15: versions[0].events.no_show.notes[0].fr: expected text")
        }
    }
}
