import Foundation
import XCTest
@testable import OnSpotCore

/// Issue 13, item 6: the rights engine's notes reach the console in the expert's language. The engine runs over
/// thousands of generated disruptions (every regime, event, cause, notice and choice); every note it writes must have a
/// French and a Portuguese text.
final class RightsNotesTests: XCTestCase {
    func testEveryNoteTheEngineWritesIsTranslated() throws {
        let property = PassengerRightsPropertyTests(name: "generator", testClosure: { _ in })
        var g = SeededGenerator(seed: 0x1313_0006)
        var notes: Set<String> = []
        for _ in 0..<4000 {
            let minutes = Double(Int.random(in: 0...1200, using: &g))
            let result = try RightsCalculator.assess(property.randomCase(&g, delayMinutes: minutes))
            for a in result.assessments { notes.formUnion(a.notes) }
        }
        XCTAssertGreaterThan(notes.count, 40, "the generator reaches most notes")
        let missing = notes.filter { !RightsNotes.isKnown($0) }.sorted()
        XCTAssertEqual(missing, [], "notes without a translation")
        for note in notes {
            let fr = RightsNotes.localized(note, .fr)
            let pt = RightsNotes.localized(note, .pt)
            XCTAssertNotEqual(fr, note, note)
            XCTAssertNotEqual(pt, note, note)
            XCTAssertFalse(fr.contains("$1") || pt.contains("$1") || fr.contains("$2"), "every value put back: \(fr) / \(pt)")
            XCTAssertEqual(RightsNotes.localized(note, .en), note, "English is the engine's own text")
        }
    }

    func testNotesWithValuesKeepThem() {
        XCTAssertEqual(
            RightsNotes.localized("Less than 3 hours late is not a significant change (§ 260.2): no refund.", .fr),
            "Moins de 3 heures de retard n'est pas un changement important (§ 260.2) : pas de remboursement.")
        XCTAssertEqual(
            RightsNotes.localized("400% of the one-way fare, at most $2150: give the fare to get the amount.", .pt),
            "400% da tarifa só de ida, no máximo US$ 2150: informe a tarifa para obter o valor.")
        XCTAssertEqual(RightsNotes.localized("Unknown IATA airport code 'ZZZ'.", .fr), "Code d'aéroport IATA inconnu « ZZZ ».")
        XCTAssertEqual(RightsNotes.localized("Something new.", .fr), "Something new.", "an unknown text stays as written")
    }
}
