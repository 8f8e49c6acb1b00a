import Foundation
import XCTest
@testable import OnSpotCore

/// An answer must carry what its notes and citations promise, and nothing they do not: every shipped pack, every event,
/// swept over event dates around the departure, prices and the inputs each rule reads.
final class ConditionsConsistencyTests: XCTestCase {
    static let engine: ConditionsEngine = try! ConditionsEngine.bundled()

    struct Sample {
        let request: ConditionsRequest
        let answer: ConditionsAssessment
        var label: String {
            let r = request
            return
                "\(r.pack)/\(r.event) [\(answer.version)] eventDate=\(r.eventDate ?? "-") departure=\(r.departure ?? "-") price=\(r.price.map { "\($0.amount)" } ?? "-")"
                + (r.reason.map { " reason=\($0)" } ?? "") + (r.plan.map { " plan=\($0)" } ?? "")
                + (r.increasePercent.map { " increase=\($0)%" } ?? "") + (r.supplierRefund.map { " supplierRefund=\($0.amount)" } ?? "")
                + (r.refundableTaxes.map { " taxes=\($0.amount)" } ?? "") + (r.amount.map { " amount=\($0)" } ?? "")
                + (r.passengerAge.map { " age=\($0)" } ?? "")
        }
        var price: Decimal? { request.price?.amount }
        var taxes: Decimal { request.refundableTaxes?.amount ?? 0 }
        var supplier: Decimal { request.supplierRefund?.amount ?? 0 }
        var refund: Decimal? { answer.refund?.amount }
        func charge(_ kind: String) -> Charge? { answer.charges.first { $0.kind == kind } }
        func percentOfPrice(_ p: Decimal) -> Decimal? { price.map { ($0 * p / 100).rounded(2) } }
        func cites(_ clause: String) -> Bool { answer.citations.contains(clause) }
        /// The answer says that the exemption of `clause` does not hold (a late notice), so the clause is cited for that.
        func liftsExemption(_ clause: String) -> Bool { answer.notes.contains { $0.contains("(\(clause))") && $0.contains("does not hold") } }
    }

    // MARK: - The sweep

    static let dayOffsets = [
        -130, -125, -122, -121, -120, -35, -31, -30, -29, -8, -7, -3, -1, 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16,
        19, 20, 21, 22, 29, 30, 31, 45, 59, 60, 61, 62, 63, 89, 90, 91, 120, 400
    ]
    static let hourOffsets = [1, 23, 24, 25, 47, 48, 49, 60, 71, 72, 73]
    static let departures = ["2025-06-01", "2026-04-01"]
    static let prices: [Decimal?] = [
        nil, 0, Decimal(string: "19.99")!, 50, Decimal(string: "399.99")!, 1000, Decimal(string: "1499.99")!, 1500, 2000,
        Decimal(string: "12345.67")!
    ]

    typealias Fill = (inout ConditionsRequest) -> Void

    /// The inputs each kind of rule reads, beside the dates and the price.
    static func variants(_ rule: EventRule) -> [Fill] {
        switch rule {
        case let .organiser(reasons, _, _, _, _):
            return [{ _ in }] + reasons.keys.sorted().map { name in { $0.reason = name } }
        case let .stepsOnPrice(_, _, _, byPlan, _, _, _) where byPlan != nil:
            return [{ _ in }] + byPlan!.keys.sorted().map { plan in { $0.plan = plan } }
        case .planBilling:
            return ["LIGHT", "PLUS"].map { plan in { $0.plan = plan } }
        case .priceRevision:
            return ([nil, 0, 5, 8, Decimal(string: "8.01")!, 15, Decimal(string: "15.01")!, 30] as [Decimal?]).map { p in { $0.increasePercent = p } }
        case .supplierRefund:
            return ([nil, 0, 30, 50, Decimal(string: "50.01")!, 300] as [Decimal?]).flatMap { s in
                ([nil, 0, 80] as [Decimal?]).map { t in
                    { (r: inout ConditionsRequest) in
                        r.supplierRefund = s.map { eur($0) }; r.refundableTaxes = t.map { eur($0) }
                    }
                }
            }
        case .noShow:
            return ([nil, 0, 80] as [Decimal?]).map { t in { $0.refundableTaxes = t.map { eur($0) } } }
        case .bonusConversion:
            return ([nil, 0, 4, 5, 49, 50, 120] as [Decimal?]).flatMap { a in
                ([nil, true, false] as [Bool?]).map { n in
                    { (r: inout ConditionsRequest) in
                        r.amount = a; r.newAccount = n
                    }
                }
            }
        case .ageEligibility:
            return ([nil, 0, 1, 2, 11, 12, 40] as [Int?]).map { age in { $0.passengerAge = age } }
        default:
            return [{ _ in }]
        }
    }

    static func readsPrice(_ rule: EventRule) -> Bool {
        switch rule {
        case .bonusConversion, .ageEligibility, .deadline: false
        default: true
        }
    }

    /// Every date field is set from the departure, so that each rule finds the reference it reads.
    static func dated(_ departure: String, before: (Int, Span.Unit)) -> Fill {
        let dep = ConditionDate.parse(departure)!
        let plain = ConditionDate(instant: dep.instant, offset: nil)
        let event = before.1 == .hours ? ConditionDate.parse(departure + "T10:00:00+02:00")! : dep
        let eventInstant = event.moved(Span(count: abs(before.0), unit: before.1), after: before.0 < 0)
        return { r in
            r.departure = before.1 == .hours ? departure + "T10:00:00+02:00" : departure
            r.eventDate = event.format(eventInstant)
            r.bookingDate = r.eventDate
            r.travelDate = departure
            r.issueDate = departure
            r.lastIncreaseDate = departure
            r.arrival = plain.format(plain.moved(Span(count: 1, unit: .days), after: true))
            r.returnDate = plain.format(plain.moved(Span(count: 7, unit: .days), after: true))
        }
    }

    static let samples: [Sample] = {
        var out: [Sample] = []
        for pack in engine.packs.values.sorted(by: { $0.id < $1.id }) {
            for version in pack.versions {
                for (event, spec) in version.events.sorted(by: { $0.key < $1.key }) {
                    let dates = departures.flatMap { d in
                        dayOffsets.map { dated(d, before: ($0, .days)) } + hourOffsets.map { dated(d, before: ($0, .hours)) }
                    }
                    let prices: [Decimal?] = readsPrice(spec.rule) ? ConditionsConsistencyTests.prices : [nil, 1000]
                    for date in dates {
                        for price in prices {
                            for variant in variants(spec.rule) {
                                var r = ConditionsRequest(pack: pack.id, event: event)
                                date(&r)
                                r.price = price.map { eur($0) }
                                variant(&r)
                                // Requests missing an input the rule needs are refused with the field: nothing to check.
                                if let a = try? engine.assess(r) { out.append(Sample(request: r, answer: a)) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }()

    /// Collects failures by kind so that a broken rule reports once with an example, not ten thousand times.
    struct Failures {
        var found: [String: (count: Int, example: String)] = [:]
        mutating func add(_ problem: String, _ sample: Sample) {
            found[problem, default: (0, sample.label)].count += 1
        }
        func report(file: StaticString = #filePath, line: UInt = #line) {
            for (problem, seen) in found.sorted(by: { $0.key < $1.key }).prefix(60) {
                XCTFail("\(problem) — \(seen.count) answer(s), e.g. \(seen.example)", file: file, line: line)
            }
        }
    }

    func testTheSweepCoversEveryPackVersionAndEvent() {
        let covered = Set(Self.samples.map { "\($0.answer.pack)/\($0.answer.version)/\($0.answer.event)" })
        for pack in Self.engine.packs.values {
            for version in pack.versions {
                for event in version.events.keys {
                    XCTAssertTrue(
                        covered.contains("\(pack.id)/\(version.version)/\(event)"), "no answer swept for \(pack.id) \(version.version) \(event)")
                }
            }
        }
        XCTAssertGreaterThan(Self.samples.count, 20_000)
        print("ConditionsConsistencyTests: \(Self.samples.count) answers swept")
    }

    // MARK: - Notes: every note that names an indemnity, a refund, a charge or an option is matched by the field

    enum Topic: String, CaseIterable {
        case indemnity, refund, charge, option
        /// The words that make a note speak of the topic.
        var words: String {
            switch self {
            case .indemnity: "indemnit"
            case .refund: "refund|reimburs"
            case .charge: "\\bfees?\\b|penalt|\\bcharge"
            case .option: "alternative|substitute|\\baccept|cancel free|free cancellation|reroute"
            }
        }
    }

    struct NoteClaim {
        /// A regular expression (case-insensitive) the note matches.
        let pattern: String
        /// The topics the note speaks of that this claim answers for.
        let topics: Set<Topic>
        /// nil when the fields carry what the note says; otherwise what is wrong.
        let check: (Sample, String) -> String?
    }

    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) != nil
    }

    static func capture(_ text: String, _ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
            let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
            let r = Range(m.range(at: 1), in: text)
        else { return nil }
        return String(text[r])
    }

    static func expect(_ ok: Bool, _ message: @autoclosure () -> String) -> String? { ok ? nil : message() }

    /// What each note of the packs and of the engine says, read as a claim on the fields. A note that names a topic and
    /// matches no claim fails the test: whoever writes it says here what it promises.
    nonisolated(unsafe) static let claims: [NoteClaim] = [
        // Whatever the note, these words promise or deny an indemnity, a refund or a choice.
        NoteClaim(pattern: "\\b(no|without|not any)\\b[^.;:]*indemnit", topics: [.indemnity]) { s, _ in
            expect((s.answer.indemnity?.amount ?? 0) == 0, "the note denies an indemnity the field gives")
        },
        NoteClaim(pattern: "plus an indemnity|indemnity (scale )?(applies|is due)", topics: [.indemnity]) { s, _ in
            expect(s.answer.indemnity != nil, "the note promises an indemnity and the field is null")
        },
        NoteClaim(pattern: "\\b(no|without) refund\\b(?! except)", topics: [.refund]) { s, _ in
            expect((s.refund ?? 0) == 0, "the note denies a refund the field gives")
        },
        NoteClaim(pattern: "full refund|\\bis refunded\\b", topics: [.refund]) { s, _ in
            expect(s.refund != nil && s.refund == s.price, "the note promises a full refund")
        },
        NoteClaim(pattern: "substitute stay|another trip|alternative trip", topics: [.option]) { s, _ in
            expect(s.answer.options.contains("alternative_trip"), "the note offers another trip the options do not")
        },
        NoteClaim(pattern: "accept the changes", topics: [.option]) { s, _ in
            expect(s.answer.options.contains("accept"), "the note offers to accept the changes and the options do not")
        },
        // An exemption that does not hold names the rule that governs instead: that rule's clauses are cited.
        NoteClaim(pattern: "does not hold; .* governs", topics: []) { s, note in
            let governing = capture(note, "does not hold; (.*) governs") ?? ""
            if governing == "the scale" { return nil }
            let clauses = governing.components(separatedBy: ", ")
            return expect(clauses.allSatisfy(s.cites), "the rule said to govern (\(governing)) is not cited")
        },
        NoteClaim(pattern: "the scale governs", topics: []) { s, _ in
            guard case let .organiser(_, scale, _, _, _)? = rule(s) else { return "only an organiser's rule has a scale" }
            let clauses = Set(scale.flatMap(\.clause))
            return expect(s.answer.citations.contains(where: clauses.contains), "the scale is said to govern but none of its clauses is cited")
        },
        NoteClaim(pattern: "this pack states no other rule", topics: [.refund]) { s, _ in
            expect(s.refund == s.price && s.answer.indemnity == nil && s.answer.options == ["refund"], "a refund only, as the note says")
        },
        // lastminute-sejour (002)
        NoteClaim(pattern: "^No refund except boarding-dependent taxes", topics: [.refund]) { s, _ in
            if s.refund == nil { return "no refund field although the taxes are refunded" }
            if s.refund! > s.taxes + s.supplier { return "refund above the taxes and the suppliers' partial refund" }
            return expect(
                s.taxes == 0 || s.answer.deadlines.contains { $0.kind == "taxes_refund_by" }, "taxes refunded 'within 30 days' without the date")
        },
        NoteClaim(pattern: "partial refund obtained from suppliers is reduced by .* management fee", topics: [.refund, .charge]) { s, _ in
            let fee = s.charge("management_fee")
            if s.supplier > 50 {
                if fee?.amount != 50 { return "a partial refund over 50 EUR bears the 50 EUR management fee" }
                return expect(s.refund == s.taxes + s.supplier - 50, "the partial refund is reduced by the fee")
            }
            return expect(fee == nil && s.refund == s.taxes + s.supplier, "a partial refund of 50 EUR or less bears no fee")
        },
        NoteClaim(pattern: "^Booking fees, file fees and insurance premiums are never refunded", topics: [.refund, .charge]) { _, _ in
            nil  // these are outside the price the answer works on: nothing in the fields to match
        },
        NoteClaim(pattern: "^Cancelled because of an outside event: full refund, or accept the changes", topics: [.refund, .option]) { s, _ in
            expect(
                s.refund == s.price && s.answer.options == ["refund", "accept"] && s.answer.indemnity == nil, "full refund or accept, no indemnity")
        },
        NoteClaim(
            pattern:
                "^Without outside justification: full refund plus an indemnity .*the amount shown is that ceiling: under B.10.1 the traveller would have lost the whole price\\), or a substitute stay",
            topics: [.refund, .indemnity, .charge, .option]
        ) { s, _ in
            guard let i = s.answer.indemnity else { return "an indemnity is promised and none is given" }
            if i.atLeast || i.amount != s.price { return "the indemnity is a ceiling equal to the whole price (B.10.1)" }
            return expect(s.refund == s.price && s.answer.options == ["refund", "alternative_trip"], "full refund, or the substitute stay")
        },
        NoteClaim(
            pattern: "^Too few participants, notified at the latest 21 days before departure: refund without indemnity", topics: [.refund, .indemnity]
        ) { s, _ in
            expect(s.refund == s.price && s.answer.indemnity == nil && s.answer.options == ["refund"], "refund without indemnity")
        },
        NoteClaim(pattern: "^No modification is possible on a Séjour; .* 50 EUR management fee are charged", topics: [.charge]) { s, _ in
            expect(!s.answer.allowed && s.charge("management_fee")?.amount == 50, "not allowed, 50 EUR if exceptionally")
        },
        NoteClaim(pattern: "^Written notice at least 7 days before the start; suppliers' fees come on top", topics: [.charge]) { s, _ in
            expect(
                s.answer.allowed && s.answer.charges.map(\.kind) == ["management_fee", "transfer_fee"], "the seller's own fees, the suppliers' on top"
            )
        },
        NoteClaim(pattern: "B.2.3.c lets the traveller cancel free above (\\d+)%", topics: [.option]) { s, note in
            let above = Decimal(string: capture(note, "cancel free above (\\d+)%") ?? "") ?? 0
            let offered = s.answer.options.contains("cancel_free")
            return expect(offered == (s.answer.allowed && (s.request.increasePercent ?? 0) > above), "free cancellation above \(above)% only")
        },
        NoteClaim(pattern: "^Too close to departure: the price can no longer be revised", topics: []) { s, _ in
            expect(!s.answer.allowed && s.answer.value == nil && s.answer.options.isEmpty, "no revised price and nothing to choose")
        },
        NoteClaim(pattern: "^A no-show is treated like a cancellation: only boarding-dependent taxes are refunded", topics: [.refund]) { s, _ in
            expect(s.refund == s.taxes && (s.price == nil || s.charge("no_show")?.amount == s.price! - s.taxes), "the taxes back, the rest lost")
        },
        // mnk-weopera (004)
        NoteClaim(
            pattern: "^Management and cancellation fees of the services come on top; show tickets are never refunded", topics: [.charge, .refund]
        ) { s, _ in
            expect(s.answer.charges.map(\.kind) == ["cancellation_penalty"], "the services' fees come on top of the penalty shown")
        },
        NoteClaim(pattern: "^The penalty is a minimum: the refund is at most the amount shown", topics: [.charge, .refund]) { s, _ in
            expect(s.charge("cancellation_penalty")?.atLeast == true && s.refund != nil, "a minimum penalty and a refund at most")
        },
        NoteClaim(pattern: "^Too few participants: no indemnity if notified", topics: [.indemnity]) { s, _ in
            expect(s.answer.indemnity == nil && s.refund == s.price, "no indemnity")
        },
        NoteClaim(pattern: "^Force majeure: no indemnity", topics: [.indemnity]) { s, _ in
            expect(s.answer.indemnity == nil && s.refund == s.price, "no indemnity")
        },
        NoteClaim(pattern: "no indemnity under 14.2", topics: [.indemnity]) { s, _ in
            expect(s.answer.indemnity == nil && s.refund == s.price, "no indemnity")
        },
        NoteClaim(pattern: "read here as still (\\d+)%", topics: []) { s, note in
            let p = Decimal(string: capture(note, "read here as still (\\d+)%") ?? "") ?? -1
            return expect(s.answer.indemnity?.amount == s.percentOfPrice(p), "the note's \(p)% is the indemnity")
        },
        NoteClaim(
            pattern: "the management fee may not exceed 5% of the price, with a minimum of 20 EUR \\(read here at its ceiling\\)", topics: [.charge]
        ) { s, _ in
            expect(s.charge("management_fee")?.amount == max(s.percentOfPrice(5) ?? 0, 20), "5% of the price, at least 20 EUR")
        },
        NoteClaim(pattern: "^Later, the agency may accept and charge at most 5% of the price, with a minimum of 20 EUR", topics: [.charge, .option]) {
            s, _ in
            // "accept" is the agency's, not a choice of the traveller.
            expect(s.charge("management_fee")?.amount == max(s.percentOfPrice(5) ?? 0, 20), "5% of the price, at least 20 EUR")
        },
        NoteClaim(pattern: "^Free with at least 15 days' notice", topics: []) { s, _ in
            expect(s.answer.charges.isEmpty, "free")
        },
        NoteClaim(pattern: "^Give the price to compute the percentage fees", topics: [.charge]) { s, _ in
            expect(s.price == nil && !s.answer.charges.isEmpty, "only the minimum is shown without the price")
        },
        NoteClaim(pattern: "^A no-show loses the sums paid", topics: []) { s, _ in
            expect(s.refund == 0 && (s.price == nil || s.charge("no_show")?.amount == s.price), "nothing back")
        },
        // 15.2 is a case the request does not state (force majeure at the departure): the fields answer 15.1, and the
        // note tells the expert what force majeure would change.
        NoteClaim(
            pattern: "^Force majeure \\(death, serious accident or illness\\) allows a refund less management and cancellation fees \\(15.2\\)",
            topics: [.refund, .charge]
        ) { s, _ in
            expect(s.cites("15.2"), "the conditional refund is cited")
        },
        // onspot-cgv (000)
        NoteClaim(pattern: "^Cancellation, modification and refund requests go through the portal only", topics: [.refund]) { _, _ in nil },
        NoteClaim(pattern: "^(LIGHT|PLUS): cancelled at least .* before departure, the service is refunded", topics: [.refund]) { s, _ in
            expect(s.refund == s.price && s.answer.options == ["refund"], "refunded in full")
        },
        NoteClaim(pattern: "^(LIGHT|PLUS): within .* of departure the cancellation is accepted without refund", topics: [.refund, .option]) { s, _ in
            expect((s.refund ?? 0) == 0 && s.answer.options.isEmpty, "no refund and nothing to choose")
        },
        // onbusiness (001, 003)
        NoteClaim(pattern: "^Converted by tranches of (\\d+)", topics: []) { s, note in
            let tranche = Decimal(string: capture(note, "tranches of (\\d+)") ?? "") ?? 1
            var whole = Decimal(), q = (s.request.amount ?? 0) / tranche
            NSDecimalRound(&whole, &q, 0, .down)
            return expect(s.answer.value?.amount == whole * tranche, "whole tranches of \(tranche)")
        },
        NoteClaim(pattern: "^This version has no Bonus balance conversion", topics: []) { s, _ in
            expect(!s.answer.allowed && s.answer.value == nil, "nothing converted")
        },
        NoteClaim(pattern: "earns nothing", topics: []) { s, _ in expect(!s.answer.allowed, "not eligible") }
    ]

    static func rule(_ s: Sample) -> EventRule? {
        engine.packs[s.answer.pack]?.versions.first { $0.version == s.answer.version }?.events[s.answer.event]?.rule
    }

    /// Notes are few distinct texts: each is read once.
    nonisolated(unsafe) static var readings: [String: (claims: [NoteClaim], unclassified: [Topic])] = [:]

    static func noteProblems(_ s: Sample) -> [String] {
        var problems: [String] = []
        for note in s.answer.notes {
            if readings[note] == nil {
                let claims = Self.claims.filter { matches(note, $0.pattern) }
                let topics = Topic.allCases.filter { matches(note, $0.words) }
                readings[note] = (claims, topics.filter { t in !claims.contains { $0.topics.contains(t) } })
            }
            let (claims, unclassified) = readings[note]!
            for topic in unclassified {
                problems.append("unclassified note naming \(topic.rawValue): \"\(note)\" — say in ConditionsConsistencyTests.claims what it promises")
            }
            for claim in claims {
                if let problem = claim.check(s, note) {
                    problems.append("\(s.answer.pack)/\(s.answer.event): note \"\(note.prefix(90))\": \(problem)")
                }
            }
        }
        return problems
    }

    func testEveryNoteThatNamesAnAmountOrAnOptionIsMatchedByTheFields() {
        var failures = Failures()
        for s in Self.samples {
            for problem in Self.noteProblems(s) { failures.add(problem, s) }
        }
        failures.report()
    }

    // MARK: - Fields: every non-null field is cited by a clause of the source that grants it

    /// Which clauses of each source document grant each field, read from the documents in shared/seeds.
    static let grounds: [String: [String: Set<String>]] = [
        "onspot-cgv": [
            "refund": ["5"], "option.refund": ["5"], "installments": ["4.1"],
            "deadline.register_by": ["Comment ça marche, étape 1"], "deadline.service_start": ["2.7"],
            "deadline.invoice_issued": ["4.1"], "deadline.pay_by": ["4.1"]
        ],
        "lastminute-sejour": [
            "installments": ["B.3.1", "B.3.2", "B.3.3", "A.3.2"],
            "refund": ["B.10.1", "B.10.2.a", "B.10.2.b", "B.10.2.c"], "indemnity": ["B.10.2.b"],
            "charge.cancellation_penalty": ["B.10.1"], "charge.no_show": ["B.10.1"], "charge.management_fee": ["B.10.1", "B.11.1", "B.12"],
            "charge.transfer_fee": ["B.12"], "deadline.taxes_refund_by": ["B.10.1"],
            "option.refund": ["B.10.2.a", "B.10.2.b", "B.10.2.c"], "option.accept": ["B.10.2.a", "B.2.3.a", "B.2.3.b"],
            "option.alternative_trip": ["B.10.2.b"], "option.cancel_free": ["B.2.3.c"], "deadline.cancel_free_by": ["B.2.3.c"],
            "value": ["B.2.3.a", "B.2.3.b"], "deadline.notify_by": ["B.12"], "deadline.write_within": ["A.5.b"], "deadline.acknowledged_by": ["A.5.b"]
        ],
        "mnk-weopera": [
            "installments": ["4.1", "4.2"], "charge.cancellation_penalty": ["13.1.a", "13.1.b"], "refund": ["13.1", "11", "14.3.a", "14.3.b", "15.1"],
            "indemnity": ["14.2.a", "14.2.b", "14.2.c"], "charge.management_fee": ["9.1", "12.2"], "charge.no_show": ["15.1"],
            "option.refund": ["11"], "option.alternative_trip": ["11"], "option.accept": ["10.1", "10.3"], "option.cancel_free": ["10.3"],
            "value": ["10.1"], "deadline.free_until": ["12.2"], "deadline.answer_by": ["10.3"], "deadline.answered_by": ["29.2"],
            "deadline.legal_action_by": ["31.2"]
        ],
        "onbusiness": [
            "deadline.claim_by": ["8.11.1", "8.14"], "deadline.credited_by": ["8.12"], "deadline.points_expire": ["8.4"],
            "deadline.balance_expires": ["8.4"], "value": ["8.10"]
        ]
    ]

    static func fields(_ a: ConditionsAssessment) -> [String] {
        var keys: [String] = []
        if a.refund != nil { keys.append("refund") }
        if a.indemnity != nil { keys.append("indemnity") }
        if a.value != nil { keys.append("value") }
        if !a.installments.isEmpty { keys.append("installments") }
        keys += a.charges.map { "charge.\($0.kind)" } + a.options.map { "option.\($0)" } + a.deadlines.map { "deadline.\($0.kind)" }
        return keys
    }

    static func groundProblems(_ s: Sample) -> [String] {
        guard let table = grounds[s.answer.pack] else { return ["pack \(s.answer.pack) has no grounds table in ConditionsConsistencyTests"] }
        return fields(s.answer).compactMap { field in
            guard let clauses = table[field] else { return "\(s.answer.pack)/\(s.answer.event): \(field) is granted by no clause known to the test" }
            return s.answer.citations.contains(where: clauses.contains)
                ? nil
                : "\(s.answer.pack)/\(s.answer.event): \(field) is given without citing \(clauses.sorted().joined(separator: " or ")) (cited: \(s.answer.citations))"
        }
    }

    func testEveryNonNullFieldIsCitedByTheClauseThatGrantsIt() {
        var failures = Failures()
        for s in Self.samples {
            for problem in Self.groundProblems(s) { failures.add(problem, s) }
        }
        failures.report()
    }

    // MARK: - Citations: a clause that grants something, once cited, is carried by the fields

    /// What citing a clause promises. An exemption cited with a note saying it does not hold promises nothing.
    nonisolated(unsafe) static let promises: [String: [String: (Sample) -> String?]] = [
        "lastminute-sejour": [
            "B.10.2.a": { s in
                expect(s.refund == s.price && s.answer.options == ["refund", "accept"] && s.answer.indemnity == nil, "refund or accept the changes")
            },
            "B.10.2.b": { s in
                expect(
                    s.refund == s.price && s.answer.indemnity != nil && Set(["refund", "alternative_trip"]).isSubset(of: s.answer.options),
                    "refund with an indemnity, or a substitute stay")
            },
            "B.10.2.c": { s in
                s.liftsExemption("B.10.2.c")
                    ? nil
                    : expect(s.refund == s.price && s.answer.indemnity == nil && s.answer.options == ["refund"], "refund without indemnity")
            },
            "B.2.3.c": { s in expect(s.answer.options.contains("cancel_free"), "a free cancellation") },
            "B.11.1": { s in expect(!s.answer.allowed && s.charge("management_fee")?.amount == 50, "no modification; 50 EUR if exceptionally") },
            "B.12": { s in
                s.answer.allowed
                    ? expect(s.answer.charges.map(\.amount) == [30, 70], "30 + 70 EUR") : expect(s.answer.charges.isEmpty, "no transfer, no fee")
            },
            "B.10.1": { s in
                if s.answer.event == "no_show" { return expect(s.refund == s.taxes, "only the taxes back") }
                return expect((s.refund ?? 0) <= s.taxes + s.supplier, "nothing back beyond the taxes and the suppliers' partial refund")
            }
        ],
        "mnk-weopera": [
            "13.1.a": { s in expect(s.charge("cancellation_penalty").map { $0.amount == s.percentOfPrice(50) && $0.atLeast } == true, "at least 50%")
            },
            "13.1.b": { s in expect(s.charge("cancellation_penalty")?.amount == s.price, "100%") },
            "14.2.a": { s in expect(s.answer.indemnity.map { $0.amount == s.percentOfPrice(5) && $0.atLeast } == true, "at least 5%") },
            "14.2.b": { s in expect(s.answer.indemnity.map { $0.amount == s.percentOfPrice(10) && $0.atLeast } == true, "at least 10%") },
            // The text is silent between 72 and 48 hours before departure (14.2.b: "entre 14 et 3 jours", 14.2.c: "dans les
            // 48 heures"): the pack cites both and reads 10%, saying so in a note. Genuine ambiguity of the source.
            "14.2.c": { s in
                s.answer.notes.contains { $0.contains("silent between 72 and 48 hours") }
                    ? expect(s.answer.indemnity?.amount == s.percentOfPrice(10), "the gap is read at 10%")
                    : expect(s.answer.indemnity.map { $0.amount == s.percentOfPrice(15) && $0.atLeast } == true, "at least 15%")
            },
            "14.3.a": { s in s.liftsExemption("14.3.a") ? nil : expect(s.answer.indemnity == nil, "no indemnity") },
            "14.3.b": { s in expect(s.answer.indemnity == nil, "no indemnity") },
            // 14.1 sends every cancellation by the organiser to 11.1: a refund, or another trip if the agency offers one.
            "11": { s in expect(s.refund == s.price && Set(["refund", "alternative_trip"]).isSubset(of: s.answer.options), "refund or another trip")
            },
            "10.3": { s in
                expect(
                    s.answer.options.contains("cancel_free") == (s.answer.allowed && (s.request.increasePercent ?? 0) > 15),
                    "termination offered above 15% only")
            },
            "15.1": { s in expect(s.refund == 0, "the sums paid are lost") }
        ]
    ]

    static func promiseProblems(_ s: Sample) -> [String] {
        s.answer.citations.compactMap { clause in
            promises[s.answer.pack]?[clause]?(s).map { "\(s.answer.pack)/\(s.answer.event): cites \(clause) (\($0)) but the fields do not carry it" }
        }
    }

    func testEveryCitedClauseThatGrantsSomethingIsCarriedByTheFields() {
        var failures = Failures()
        for s in Self.samples {
            for problem in Self.promiseProblems(s) { failures.add(problem, s) }
        }
        failures.report()
    }

    /// The answer the issue reported (a late "too few participants" notice on a lastminute.com package), as the engine
    /// gave it: the checks must refuse it, and accept what the engine answers now.
    func testTheChecksRefuseTheAnswerOfTheIssue() throws {
        let request = req("lastminute-sejour", "organiser_cancellation") {
            $0.reason = "minimum_participants"; $0.eventDate = "2026-03-17"; $0.departure = "2026-04-01"; $0.price = eur(1500)
        }
        var reported = ConditionsAssessment(pack: "lastminute-sejour", version: "2022-06-27", event: "organiser_cancellation", allowed: true)
        reported.refund = eur(1500)
        reported.options = ["refund"]
        reported.citations = ["B.10.2", "B.10.2.c"]
        reported.notes = [
            "A reason is required: external_event, no_justification or minimum_participants.",
            "Too few participants, notified at the latest 21 days before departure: refund without indemnity.",
            "Notified later than this reason allows: the exemption does not hold and the indemnity scale applies."
        ]
        let old = Sample(request: request, answer: reported)
        XCTAssertFalse(Self.noteProblems(old).isEmpty, "the note promises the scale's indemnity and the field is null")
        let now = Sample(request: request, answer: try Self.engine.assess(request))
        XCTAssertEqual(Self.noteProblems(now) + Self.groundProblems(now) + Self.promiseProblems(now), [])
    }

    // MARK: - Amounts add up

    func testWhatTheTravellerGetsBackAndPaysMakesThePrice() {
        var failures = Failures()
        for s in Self.samples {
            guard let price = s.price else { continue }
            let a = s.answer
            if a.charges.contains(where: { ["cancellation_penalty", "no_show"].contains($0.kind) }), s.taxes + s.supplier <= price {
                let total = (a.refund?.amount ?? 0) + a.charges.reduce(Decimal(0)) { $0 + $1.amount }
                if total != price { failures.add("\(a.pack)/\(a.event): refund + charges = \(total), not the price", s) }
            }
            if a.event == "organiser_cancellation", a.refund?.amount != price {
                failures.add("\(a.pack)/\(a.event): an organiser's cancellation refunds the whole price", s)
            }
            if let i = a.indemnity, i.amount > price { failures.add("\(a.pack)/\(a.event): indemnity above the price", s) }
        }
        failures.report()
    }

    // MARK: - Fallbacks in packs

    func testAReasonFallsBackOnlyToAnotherReasonAndNeverInACircle() throws {
        func pack(_ reasons: String) -> String {
            """
            id: fallback-pack
            title: T
            currency: EUR
            versions:
              - version: "1"
                effectiveFrom: 2026-01-01
                events:
                  organiser_cancellation:
                    rule: organiser_cancellation
                    reasons:

            """ + reasons
        }
        let circle = pack(
            """
                      late:
                        atLeast: {days: 21}
                        fallback: other
                      other:
                        percent: 100
                        fallback: late
            """)
        XCTAssertThrowsError(try RulePackLoader.load(yaml: circle, file: "f.yaml")) { error in
            XCTAssertTrue(
                String(describing: error).contains("reasons.late.fallback: the fallbacks come back to 'late'")
                    || String(describing: error).contains("reasons.other.fallback: the fallbacks come back to 'other'"), "\(error)")
        }
        let unknown = pack(
            """
                      late:
                        atLeast: {days: 21}
                        fallback: nobody
            """)
        XCTAssertThrowsError(try RulePackLoader.load(yaml: unknown, file: "f.yaml")) { error in
            XCTAssertTrue(
                String(describing: error).hasPrefix(
                    "f.yaml:13: versions[0].events.organiser_cancellation.reasons.late.fallback: unknown reason 'nobody'"),
                "\(error)")
        }
        let chain = pack(
            """
                      late:
                        atLeast: {days: 21}
                        options: [refund]
                        clause: "X.1"
                        fallback: other
                      other:
                        percent: 100
                        options: [refund, alternative_trip]
                        clause: "X.2"
                        fees:
                          - {kind: indemnity, percent: 10, atLeast: true}
            """)
        let engine = ConditionsEngine(packs: [try RulePackLoader.load(yaml: chain, file: "f.yaml")])
        let late = try engine.assess(
            req("fallback-pack", "organiser_cancellation") {
                $0.reason = "late"; $0.eventDate = "2026-03-20"; $0.departure = "2026-04-01"; $0.price = eur(100)
            })
        XCTAssertEqual(late.indemnity, Indemnity(amount: 10, currency: "EUR", atLeast: true))
        XCTAssertEqual(late.options, ["refund", "alternative_trip"])
        XCTAssertEqual(late.citations, ["X.1", "X.2"])
        let early = try engine.assess(
            req("fallback-pack", "organiser_cancellation") {
                $0.reason = "late"; $0.eventDate = "2026-03-01"; $0.departure = "2026-04-01"; $0.price = eur(100)
            })
        XCTAssertNil(early.indemnity)
        XCTAssertEqual(early.options, ["refund"])
        // With no scale and no fallback, a late notice says so instead of promising a scale.
        let alone = pack(
            """
                      late:
                        atLeast: {days: 21}
                        options: [refund]
            """)
        let lone = ConditionsEngine(packs: [try RulePackLoader.load(yaml: alone, file: "f.yaml")])
        let answer = try lone.assess(
            req("fallback-pack", "organiser_cancellation") {
                $0.reason = "late"; $0.eventDate = "2026-03-20"; $0.departure = "2026-04-01"; $0.price = eur(100)
            })
        XCTAssertEqual(answer.refund, eur(100))
        XCTAssertEqual(answer.options, ["refund"])
        XCTAssertNil(answer.indemnity)
        XCTAssertTrue(answer.notes.contains { $0.contains("states no other rule") }, "\(answer.notes)")
    }
}
