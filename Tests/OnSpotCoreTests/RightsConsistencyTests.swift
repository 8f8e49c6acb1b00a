import Foundation
import XCTest
@testable import OnSpotCore

/// Every amount of a passenger-rights answer has its article in `basis`, and every article in `basis` contributes
/// to the answer: to whether the regime applies, to an amount, a refund, care, an exemption, or to a note that says
/// why nothing is due.
final class RightsConsistencyTests: XCTestCase {
    enum Contribution: Hashable {
        /// Whether and how the regime applies: always contributes.
        case scope
        /// The compensation: an amount, or an exemption, or a note saying why none is due or what is missing to compute it.
        case compensation
        /// The reduction of the compensation (EU261 Art. 7(2)).
        case reduction
        /// A refund: given, or a note saying why not.
        case refund
        /// Care: given, or a note saying why not.
        case care
        /// Hotel and transport for a night's wait.
        case careNight
        /// Takes the compensation away: contributes when there is none.
        case exemption
        /// Volunteers' benefits, stated in a note.
        case volunteers
        /// Rebooking, stated in a note.
        case rebooking
    }

    /// The articles each regime cites and what each gives, read from the texts (the calculator names them in its source).
    static func contributions(_ regime: String, _ article: String) -> Set<Contribution>? {
        switch regime {
        case "EU261", "UK261":
            switch article {
            case "Art. 3(1)", "Art. 3(1)(a)", "Art. 3(1)(b)": return [.scope]
            case "Art. 6(1)(a)", "Art. 6(1)(b)", "Art. 6(1)(c)", "Art. 9(1)(a), 9(2)", "Art. 5(1)(b)": return [.care]
            case "Art. 9(1)(b), 9(1)(c)": return [.careNight]
            case "Art. 6(1)(iii), 8(1)(a)", "Art. 5(1)(a)", "Art. 8(1)": return [.refund]
            // Art. 4(1): volunteers receive the benefits they agree and the assistance of Art. 8.
            case "Art. 4(1)": return [.volunteers, .refund]
            case "Art. 7(1)(a)", "Art. 7(1)(b)", "Art. 7(1)(c)", "CJEU C-402/07 and C-432/07 Sturgeon", "Art. 5(1)(c)", "Art. 4(3)":
                return [.compensation]
            case "Art. 7(2)(a)", "Art. 7(2)(b)", "Art. 7(2)(c)": return [.reduction]
            case "Art. 5(3)", "Art. 5(1)(c)(i)", "Art. 5(1)(c)(ii)", "Art. 5(1)(c)(iii)": return [.exemption]
            default: return nil
            }
        case "APPR":
            switch article {
            case "Canada Transportation Act s. 86.11": return [.scope]
            case "s. 10(1)", "s. 11", "s. 12(2)(d)": return [.exemption]
            case "s. 12", "s. 19(1)", "s. 19(1)(a)", "s. 19(1)(b)", "s. 19(2)", "s. 20(1)": return [.compensation]
            case "s. 14": return [.care]
            case "s. 17": return [.refund]
            case "s. 18": return [.refund, .rebooking]
            case "s. 15": return [.volunteers]
            default: return nil
            }
        case "US_DOT":
            switch article {
            case "14 CFR 250.2", "14 CFR 260.1": return [.scope]
            case "14 CFR 260.2", "14 CFR 260.6": return [.refund]
            case "14 CFR 250.2b": return [.volunteers]
            case "14 CFR 250.5(a)(1)", "14 CFR 250.5(b)(1)": return [.exemption]
            case "14 CFR 250.5(a)", "14 CFR 250.5(b)", "14 CFR 250.5(a)(2)", "14 CFR 250.5(a)(3)", "14 CFR 250.5(b)(2)", "14 CFR 250.5(b)(3)",
                "80 FR 30144", "86 FR 2534", "89 FR 84815":
                return [.compensation]
            default: return nil
            }
        case "BR_ANAC400":
            switch article {
            case "Res. 400 art. 1": return [.scope]
            case "Res. 400 art. 26", "Res. 400 art. 27": return [.care]
            case "Res. 400 art. 21": return [.refund]
            case "Res. 400 art. 22": return [.scope]
            case "Res. 400 art. 23": return [.volunteers]
            case "Res. 400 art. 24": return [.compensation]
            default: return nil
            }
        case "MX":
            switch article {
            case "LAC art. 47 Bis": return [.scope]
            case "LAC art. 47 Bis fr. I": return [.care]
            case "LAC art. 47 Bis fr. II": return [.compensation, .care]
            case "LAC art. 47 Bis fr. III": return [.compensation, .refund, .care]
            case "LAC art. 52": return [.compensation, .refund, .volunteers]
            default: return nil
            }
        case "AU":
            switch article {
            case "Competition and Consumer Act 2010 Sch. 2", "Competition and Consumer Act 2010 Sch. 2 (Australian Consumer Law) ss. 60–62":
                return [.scope]
            case "ACL s. 267": return [.refund]
            default: return nil
            }
        case "NZ":
            switch article {
            case "Civil Aviation Act 2023 s. 274", "Civil Aviation Act 1990 s. 91Z": return [.scope]
            case "Civil Aviation Act 2023 s. 277", "Civil Aviation Act 1990 s. 91ZC": return [.compensation]
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A note that says why no compensation is due, or what is missing to compute it.
    static let noCompensationNote =
        "no compensation|gives no compensation|nothing due|no cash compensation|no statutory compensation|no liability|give the|depends on"
    static let noRefundNote = "no refund"
    static let noCareNote = "no (care|assistance)"

    static func matches(_ notes: [String], _ pattern: String) -> Bool {
        notes.contains { $0.range(of: pattern, options: [.regularExpression, .caseInsensitive]) != nil }
    }

    /// Rights (not amounts) the calculator gives without an article in `basis` for them, found by this test: the article
    /// is not among the calculator's sources, so none is invented here; each is left for a legal review, and any other
    /// right without its article fails.
    static let knownGaps: [String: String] = [
        "US_DOT refund denied_boarding":
            "a bumped passenger's ticket refund: part 250 sets compensation only; the refund comes from the carrier's obligations outside the cited sections",
        "BR_ANAC400 refund denied_boarding":
            "volunteers (art. 23) are given the refund of art. 21 without citing it: whether art. 21 covers volunteers is not settled here",
        "MX refund cancellation":
            "a cancellation not attributable to the airline keeps a refund under the bare 'art. 47 Bis': the fraction that gives it is not identified",
        "MX care denied_boarding": "meals and communication after overbooking are cited to art. 52 only"
    ]

    nonisolated(unsafe) static var gapsSeen: Set<String> = []

    static func problems(_ a: RegimeAssessment, event: DisruptionEvent) -> [String] {
        func gap(_ right: String) -> Bool {
            let key = "\(a.regime) \(right) \(event.rawValue)"
            guard knownGaps[key] != nil else { return false }
            gapsSeen.insert(key)
            return true
        }
        var problems: [String] = []
        var given: Set<Contribution> = []
        for article in a.basis {
            guard let kinds = contributions(a.regime, article) else {
                problems.append("\(a.regime): '\(article)' is cited but not classified in RightsConsistencyTests")
                continue
            }
            given.formUnion(kinds)
        }
        // Every amount and right has its article.
        if a.compensation != nil && !given.contains(.compensation) { problems.append("\(a.regime): compensation without its article") }
        if a.reducibleTo != nil && !given.contains(.reduction) { problems.append("\(a.regime): reducibleTo without its article") }
        if a.refund && !given.contains(.refund) && !gap("refund") { problems.append("\(a.regime): refund without its article (\(event))") }
        if !a.care.isEmpty && !given.contains(.care) && !given.contains(.careNight) && !gap("care") {
            problems.append("\(a.regime): care without its article (\(event))")
        }
        if a.care.contains(.hotel), ["EU261", "UK261"].contains(a.regime), !given.contains(.careNight) {
            problems.append("\(a.regime): hotel and transport without Art. 9(1)(b), (c)")
        }
        // Every article contributes.
        let exempt = a.basis.contains { contributions(a.regime, $0)?.contains(.exemption) == true }
        for article in a.basis {
            guard let kinds = contributions(a.regime, article) else { continue }
            let contributes = kinds.contains { kind in
                switch kind {
                case .scope: true
                case .compensation: a.compensation != nil || exempt || matches(a.notes, noCompensationNote)
                case .reduction: a.reducibleTo != nil
                case .refund: a.refund || matches(a.notes, noRefundNote)
                case .care: !a.care.isEmpty || matches(a.notes, noCareNote)
                case .careNight: a.care.contains(.hotel)
                case .exemption: a.compensation == nil
                case .volunteers: matches(a.notes, "volunteer")
                case .rebooking: matches(a.notes, "rebook")
                }
            }
            if !contributes { problems.append("\(a.regime): '\(article)' is cited but contributes nothing (\(kinds))") }
        }
        return problems
    }

    static let journeys: [[String]] = [
        ["CDG", "YUL"], ["YUL", "CDG"], ["CDG", "JFK"], ["JFK", "CDG"], ["LHR", "JFK"], ["JFK", "LHR"], ["ORY", "RUN"],
        ["CDG", "LIS"], ["LHR", "CDG"], ["YUL", "YQB"], ["JFK", "LAX"], ["GRU", "GIG"], ["CDG", "GIG"], ["MEX", "CUN"],
        ["MEX", "MAD"], ["SYD", "MEL"], ["AKL", "ZQN"], ["AKL", "SYD"], ["NAS", "MIA"], ["CDG", "JFK", "LAX"]
    ]
    static let carriers: [String?] = ["AF", "AC", "DL", "AA", "BA", "SS", "G3", "Y4", "QF", "NZ", "XX", nil]
    static let delays: [Double] = [0, 30, 59, 60, 61, 119, 120, 121, 179, 180, 181, 239, 240, 241, 299, 300, 301, 359, 360, 539, 540, 900, 1440]
    static let departures = [
        "2020-06-01T08:00:00Z", "2022-06-01T08:00:00Z", "2022-09-08T08:00:00Z", "2024-06-01T08:00:00Z",
        "2025-04-05T08:00:00Z", "2026-06-01T22:00:00Z"
    ]

    func testEveryAmountHasItsArticleAndEveryArticleContributes() throws {
        var g = SeededGenerator(seed: 0x261_2004)
        var found: [String: (count: Int, example: String)] = [:]
        var answers = 0
        for journey in Self.journeys {
            for event in [DisruptionEvent.delay, .cancellation, .deniedBoarding] {
                for cause in DisruptionCause.allCases {
                    for minutes in Self.delays {
                        let fare: Amount? = [nil, Amount(300, "USD"), Amount(2000, "MXN"), Amount(200, "NZD"), Amount(500, "EUR")]
                            .randomElement(using: &g)!
                        let c = flightCase(
                            journey, carrier: Self.carriers.randomElement(using: &g)!, event: event,
                            departure: Self.departures.randomElement(using: &g)!, flightHours: Double.random(in: 1...12, using: &g),
                            delayMinutes: event == .delay ? minutes : nil,
                            rerouteLeavesMinutes: event == .delay ? nil : [-120, -61, -60, 0, 60, 600].randomElement(using: &g)!,
                            rerouteLateMinutes: event == .delay || Int.random(in: 0..<5, using: &g) == 0 ? nil : minutes,
                            noticeDays: [nil, 0, 6, 7, 13, 14, 20].randomElement(using: &g)!, cause: cause, fare: fare,
                            provenLoss: fare.map { Amount(Decimal(Int.random(in: 0...5000, using: &g)), $0.currency) },
                            choice: [nil, .refund, .reroute].randomElement(using: &g)!,
                            voluntary: [nil, true, false].randomElement(using: &g)!)
                        let result = try RightsCalculator.assess(c)
                        for a in result.assessments {
                            answers += 1
                            for problem in Self.problems(a, event: event) {
                                found[
                                    problem,
                                    default: (
                                        0,
                                        "\(journey) \(event) \(cause) \(minutes) min, carrier \(c.operatingCarrier ?? "-"), notice \(c.noticeDays.map(String.init) ?? "-"), voluntary \(c.voluntary.map(String.init) ?? "-"), choice \(c.passengerChoice?.rawValue ?? "-"), \(c.scheduledDeparture)"
                                    )
                                ].count += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(answers, 100_000)
        XCTAssertEqual(Self.gapsSeen, Set(Self.knownGaps.keys), "a known gap no answer shows any more: take it off the list")
        for (problem, seen) in found.sorted(by: { $0.key < $1.key }).prefix(60) {
            XCTFail("\(problem) — \(seen.count) answer(s), e.g. \(seen.example)")
        }
    }
}
