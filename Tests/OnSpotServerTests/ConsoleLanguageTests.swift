import Fluent
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTVapor
import XCTest

/// Issue 13, item 6: every word of the console is in the expert's own language. The same pages are read by a French,
/// an English and a Portuguese expert; a text that is the same in all three is either data (a name, a message, a
/// code) or a label nobody translated, and the test fails on the second kind, naming it.
final class ConsoleLanguageTests: GraphTestCase {
    /// Labels that are the same word in the three languages, on purpose.
    static let sameInEveryLanguage: Set<String> = ["Console", "OnSpot Connect", "WhatsApp", "Messenger", "—", "…", "→", "·"]

    func testNoConsolePageLeavesAWordUntranslated() async throws {
        let agency = try await makeAgency("Horizon Voyages")
        let rules = ScopeDomain.allCases.map { ScopeRule(domain: $0, level: .actAfterApproval, capMinorUnits: 0) }
        _ = try await ScopeService.saveVersion(ScopeOfAction(rules: rules), agencyID: agency.requireID(), by: nil, on: app.db)
        let trip = try await makeTrip(for: agency, departure: Date().addingTimeInterval(-86400), reference: "HZ-2604")
        let nyc = try await DestinationRecord.query(on: app.db).filter(\.$code == "us-nyc").first()!
        let endpoint = ChannelEndpoint()
        endpoint.$destination.id = try nyc.requireID()
        endpoint.channel = .whatsapp; endpoint.externalID = "106540352242922"; endpoint.appSecret = "appsecret"
        endpoint.accessToken = "EAAG-token"; endpoint.active = true; endpoint.createdAt = Date()
        try await endpoint.create(on: app.db)
        try await receiveWhatsApp(from: "33612345678", id: "wamid.lang1", text: "Pneu crevé sur la I-95")
        let record = try await CaseRecord.query(on: app.db).filter(\.$tripID == trip.id).first()
        let caseID = try XCTUnwrap(record?.id, "the traveller's message opened a case on the trip")

        var browsers: [Language: TestBrowser] = [:]
        for language in Language.allCases {
            let user = try await makeUser("expert-\(language.rawValue)@onspot.example", role: .expert, agency: nil, language: language)
            let link = ExpertDestination()
            link.$user.id = try user.requireID()
            link.$destination.id = try nyc.requireID()
            try await link.create(on: app.db)
            browsers[language] = try await signedIn("expert-\(language.rawValue)@onspot.example")
        }
        let fr = try XCTUnwrap(browsers[.fr])
        // Work on the case so that every panel has rows: a reply, a note, a cost waiting for approval.
        let replied = try await reply(fr, try XCTUnwrap(record), ["text": "Un dépanneur arrive."])
        XCTAssertEqual(replied.status, .accepted, replied.body.string)
        let note = try await fr.post("/console/cases/\(caseID)/notes", form: ["body": "Rappeler Hertz à 22 h."])
        XCTAssertEqual(note.status, .seeOther, note.body.string)
        let cost = try await fr.post(
            "/console/cases/\(caseID)/costs",
            form: ["domain": "car_rental", "supplier": "Hertz JFK", "purpose": "Voiture de remplacement", "amount": "120", "currency": "USD"])
        XCTAssertEqual(cost.status, .seeOther, cost.body.string)

        // Everything the test itself wrote, and the reference data the pages show: the same in every language.
        let destinations = try await DestinationRecord.query(on: app.db).all().map(\.name)
        // What the traveller was sent is in the traveller's language, whoever reads it: the automatic answer of a
        // destination closed at the hour the test runs, besides the expert's reply.
        let sent = try await MessageRecord.query(on: app.db).all().compactMap(\.body)
        let data: [String] =
            [
                "Zoé Traveller", "Zoé", "Traveller", "Horizon Voyages", "HZ-2604", "Pneu crevé sur la I-95", "Un dépanneur arrive.",
                "Rappeler Hertz à 22 h.", "Hertz JFK", "Voiture de remplacement", "AF", "CDG LAX", "+1 555 0100", "33612345678",
                "+33612345678", "(expert)", "expert-fr", "expert-en", "expert-pt"
            ] + destinations + sent + Language.allCases.map(\.displayName)

        let assessed =
            "/console/cases/\(caseID)/rights?assess=1&journey=CDG%20JFK&event=delay&cause=technical"
            + "&scheduledDeparture=2026-07-01T10:00:00%2B02:00&scheduledArrival=2026-07-01T13:00:00-04:00&actualArrival=2026-07-01T18:30:00-04:00"
        // Booking conditions: a reason notified too late (a note the engine composes around the pack's clauses), the
        // pack's own notes, a price revision whose input is missing, and a date the engine refuses.
        let rights = "/console/cases/\(caseID)/rights?assess=1"
        let late =
            rights + "&packEvent=lastminute-sejour:organiser_cancellation&eventDate=2026-06-20&departure=2026-07-01&price=1000"
            + "&reason=minimum_participants"
        let scale = rights + "&packEvent=mnk-weopera:organiser_cancellation&eventDate=2026-06-25&departure=2026-07-01&price=1000"
        let revision = rights + "&packEvent=mnk-weopera:price_revision&eventDate=2026-06-01&departure=2026-07-01&price=1000"
        let badDate = rights + "&packEvent=lastminute-sejour:traveller_cancellation&eventDate=01/06/2026&departure=2026-07-01&price=1000"
        let pages: [(String, HTTPStatus)] = [
            (late, .ok), (scale, .ok), (revision, .unprocessableEntity), (badDate, .unprocessableEntity),
            ("/console", .ok), ("/console/cases/\(caseID)", .ok), ("/console/queue-list?current=\(caseID)", .ok),
            ("/console/cases/\(caseID)/rights", .ok),
            ("/console/cases/\(caseID)/rights?assess=1&journey=CDG%20JFK&noticeDays=forty", .unprocessableEntity),
            ("/console/cases/\(caseID)/rights?assess=1&journey=CDG%20QQQ", .unprocessableEntity), (assessed, .ok),
            // The window closed: the reply box turns into the template picker.
            ("/console/cases/\(caseID)#closed", .ok)
        ]
        for (path, expected) in pages {
            if path.hasSuffix("#closed"), let conversationID = record?.conversationID,
                let conversation = try await Conversation.find(conversationID, on: app.db)
            {
                conversation.lastInboundAt = Date().addingTimeInterval(-26 * 3600)
                try await conversation.save(on: app.db)
            }
            var texts: [Language: Set<String>] = [:]
            for (language, browser) in browsers {
                let page = try await browser.get(path)
                XCTAssertEqual(page.status, expected, path)
                let visible = Self.visibleTexts(page.body.string)
                let keys = visible.filter { $0.range(of: #"^[a-z_]+(\.[a-z0-9_]+)+$"#, options: .regularExpression) != nil }
                XCTAssertEqual(keys, [], "\(path) in \(language): translation keys shown as text")
                texts[language] = visible
            }
            let same = (texts[.fr] ?? []).intersection(texts[.en] ?? []).intersection(texts[.pt] ?? [])
            // The summary for the traveller is in the traveller's language whoever reads it (Zoé reads French), and legal
            // citations are the texts' own names.
            let citations = [
                "Canada Transportation Act", "Civil Aviation Act", "Competition and Consumer Act", "CJEU", "Sturgeon", "Sch.", "LAC", "Bis", "Art.",
                "art.", "Res.", " and C-", "(iii)"
            ]
            let untranslated = same.filter {
                !Self.isData($0, data + citations) && !$0.hasPrefix("Vos droits pour le vol") && !$0.hasPrefix("Conditions de votre réservation")
            }
            XCTAssertEqual(untranslated.sorted(), [], "\(path): the same text in French, English and Portuguese")
            XCTAssertGreaterThan((texts[.pt] ?? []).count, path.contains("queue-list") ? 2 : 20, "\(path): the page was read")
        }
        // The reply box's errors come back in the expert's language too.
        let pt = try XCTUnwrap(browsers[.pt])
        let empty = try await reply(pt, try XCTUnwrap(record), ["text": " "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("Escreva um texto, ou escolha um modelo no WhatsApp."), empty.body.string)
    }

    /// A text is data when, once the values the test wrote, numbers, times, codes and punctuation are taken out, no
    /// word is left.
    static func isData(_ text: String, _ data: [String]) -> Bool {
        if sameInEveryLanguage.contains(text) { return true }
        var rest = text
        for value in data.sorted(by: { $0.count > $1.count }) { rest = rest.replacingOccurrences(of: value, with: " ") }
        for word in sameInEveryLanguage { rest = rest.replacingOccurrences(of: word, with: " ") }
        // Currency and IATA codes, amounts, times, dates, ids, units and signs.
        rest = rest.replacingOccurrences(
            of: #"\b[A-Z]{2,3}\b|\b[A-Z0-9]{8}(-[A-Z0-9]{4}){3}-[A-Z0-9]{12}\b|\bKB\b"#, with: " ", options: .regularExpression)
        return rest.range(of: #"\p{L}{2,}"#, options: .regularExpression) == nil
    }

    /// The texts a person reads on a page: text nodes outside scripts and styles, option labels, and the placeholder,
    /// aria-label and title attributes; the words the console script writes (its data-words) as well.
    static func visibleTexts(_ html: String) -> Set<String> {
        var page = html
        for block in [#"<script\b[^>]*>.*?</script>"#, #"<style\b[^>]*>.*?</style>"#, #"<textarea\b[^>]*>.*?</textarea>"#] {
            page = page.replacingOccurrences(of: block, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        var texts: Set<String> = []
        func add(_ raw: String) {
            let text = decodeEntities(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { texts.insert(text) }
        }
        for node in page.components(separatedBy: "<") {
            guard let end = node.firstIndex(of: ">") else { continue }
            add(String(node[node.index(after: end)...]))
        }
        let attributes = try? NSRegularExpression(pattern: #"\b(placeholder|aria-label|title|data-words)="([^"]*)""#)
        let range = NSRange(page.startIndex..., in: page)
        for match in attributes?.matches(in: page, range: range) ?? [] {
            guard let name = Range(match.range(at: 1), in: page), let value = Range(match.range(at: 2), in: page) else { continue }
            if page[name] == "data-words" {
                let json = Data(decodeEntities(String(page[value])).utf8)
                let words = (try? JSONSerialization.jsonObject(with: json)) as? [String: String] ?? [:]
                words.values.forEach(add)
            } else {
                add(String(page[value]))
            }
        }
        return texts
    }

    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
