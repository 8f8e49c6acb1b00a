import Foundation
import Yams

/// A bad pack is refused with its file, line and field, so whoever wrote it can fix it.
public struct PackError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
    public var description: String { "\(file):\(line): \(field): \(message)" }
}

/// A span of time before or after a reference date: "7 days", "24 hours", "2 months", "7 working days",
/// or the end of the N-th calendar year after the reference.
public struct Span: Hashable, Sendable {
    public enum Unit: String, Sendable { case hours, days, workingDays = "working_days", months, endOfYear = "end_of_year" }
    public let count: Int
    public let unit: Unit
}

/// When a step of a scale applies, relative to a reference date (usually the departure).
public enum StepCondition: Hashable, Sendable {
    /// The event comes more than the span before the reference.
    case moreThan(Span)
    /// The event comes at least the span before the reference (the boundary included).
    case atLeast(Span)
    case otherwise
}

public struct FeeRule: Hashable, Sendable {
    public let kind: String
    public let amount: Decimal?
    public let percent: Decimal?
    public let minimum: Decimal?
    public let atLeast: Bool
}

public struct Step: Hashable, Sendable {
    public let condition: StepCondition
    public let percent: Decimal?
    public let atLeast: Bool
    public let allowed: Bool
    public let priceAtLeast: Decimal?
    public let fees: [FeeRule]
    public let installments: [InstallmentRule]
    public let options: [String]
    public let clause: [String]
    public let notes: [String]
    /// For a reason of an organiser's cancellation: the reason whose rule governs when this one's condition fails
    /// (nil: the pack's scale).
    public var fallback: String? = nil
}

public struct InstallmentRule: Hashable, Sendable {
    /// nil: at booking.
    public let daysBefore: Int?
    /// nil: the rest of the price.
    public let percent: Decimal?
    public let atMost: Bool
}

public struct DeadlineRule: Hashable, Sendable {
    public let kind: String
    public let reference: String
    public let span: Span
    public let after: Bool
    /// The clauses that set an extra (`also`) deadline, cited with it.
    public var clause: [String] = []
    /// An extra deadline that belongs to an option (a free cancellation by a date) is given only with that option.
    public var ifOption: String? = nil
}

/// What an event does, with its numbers and clause ids; the code behind each kind is in ConditionsEngine.
public enum EventRule: Hashable, Sendable {
    case deadline(primary: DeadlineRule, gate: Bool, clause: [String], notes: [String])
    /// Steps chosen by how long before `reference` the `from` date falls: penalties, refunds, fees, instalments.
    case stepsOnPrice(kind: String, from: String, reference: String, byPlan: [String: [Step]]?, steps: [Step], clause: [String], notes: [String])
    case planBilling(light: [String], plusInvoiceMonthsBefore: Int, plusDueDaysBefore: Int, plus: [String])
    case supplierRefund(managementFee: Decimal, waivedAtOrBelow: Decimal, taxesWithinDays: Int, clause: [String], notes: [String])
    /// `options`: the traveller's choices when the scale governs (a reason carries its own).
    case organiser(reasons: [String: Step], scale: [Step], options: [String], clause: [String], notes: [String])
    /// `cancelFreeClause`: the clause that gives the free cancellation above `cancelFreeAbovePercent`, cited with it.
    case priceRevision(
        steps: [Step], cancelFreeAbovePercent: Decimal, cancelFreeClause: [String], maxPercent: Decimal?, answerDays: Int?,
        silenceMeans: String?, clause: [String], notes: [String])
    case noShow(refundTaxes: Bool, clause: [String], notes: [String])
    case bonusConversion(trancheNewAccount: Decimal?, trancheOther: Decimal?, clause: [String], notes: [String])
    case ageEligibility(childUnder: Int, infantUnder: Int, clause: [String], notes: [String])
}

/// An event of a pack version: its rule, the extra deadlines it states, and which date chooses the version.
public struct EventSpec: Sendable {
    public let rule: EventRule
    public let also: [DeadlineRule]
    public let versionDate: String?
}

public struct PackVersion: Sendable {
    public let version: String
    public let effectiveFrom: Date
    public let effectiveTo: Date?
    public let source: String
    public let events: [String: EventSpec]
}

public struct RulePack: Sendable {
    public let id: String
    /// As written (in English for the packs OnSpot ships); `title(in:)` gives it in a user's language.
    public let title: String
    public let currency: String
    public let versions: [PackVersion]
    /// The pack's texts (title, notes, what silence means) in the other languages they were written in, keyed by the
    /// text the engine answers with (the `en` one, else `fr`, else `pt`).
    public var translations: [String: [Language: String]] = [:]

    /// A text of this pack (a note the engine answered with, its title) in `language`, as written when the pack has
    /// no translation of it.
    public func text(_ written: String, _ language: Language) -> String { translations[written]?[language] ?? written }

    public func title(in language: Language) -> String { text(title, language) }

    public func version(on date: Date) -> PackVersion? {
        versions.filter { $0.effectiveFrom <= date && ($0.effectiveTo.map { date < $0 } ?? true) }
            .max { $0.effectiveFrom < $1.effectiveFrom }
    }
}

/// Reads a pack from YAML, checking every field and remembering where it stands.
public struct RulePackLoader {
    let file: String
    /// The translations met while reading (a pack's texts are read in many places of the tree).
    let book = TranslationBook()

    final class TranslationBook {
        var entries: [String: [Language: String]] = [:]
    }

    public static func load(yaml: String, file: String) throws -> RulePack {
        let root: Node?
        do {
            try YAMLGuard.check(yaml)
        } catch {
            throw PackError(file: file, line: error.line, field: "(yaml)", message: error.message)
        }
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let YamlError.scanner(_, problem, mark, _) {
            throw PackError(file: file, line: mark.line, field: "(yaml)", message: problem)
        } catch let YamlError.parser(_, problem, mark, _) {
            throw PackError(file: file, line: mark.line, field: "(yaml)", message: problem)
        } catch {
            throw PackError(file: file, line: 1, field: "(yaml)", message: "not valid YAML")
        }
        guard let root else { throw PackError(file: file, line: 1, field: "(root)", message: "the file is empty") }
        return try RulePackLoader(file: file).pack(root)
    }

    func fail(_ node: Node?, _ field: String, _ message: String) -> PackError {
        PackError(file: file, line: node?.mark?.line ?? 1, field: field, message: message)
    }

    func mapping(_ node: Node?, _ field: String) throws -> Node.Mapping {
        guard let m = node?.mapping else { throw fail(node, field, "expected a mapping") }
        return m
    }

    func child(_ m: Node.Mapping, _ key: String, _ path: String) throws -> Node {
        guard let n = m[key] else { throw PackError(file: file, line: m.mark?.line ?? 1, field: "\(path).\(key)", message: "missing") }
        return n
    }

    func string(_ m: Node.Mapping, _ key: String, _ path: String) throws -> String {
        let n = try child(m, key, path)
        guard let s = n.scalar?.string, !s.isEmpty else { throw fail(n, "\(path).\(key)", "expected text") }
        return s
    }

    func optionalString(_ m: Node.Mapping, _ key: String, _ path: String) throws -> String? {
        guard let n = m[key] else { return nil }
        guard let s = n.scalar?.string else { throw fail(n, "\(path).\(key)", "expected text") }
        return s
    }

    func decimal(_ n: Node, _ path: String) throws -> Decimal {
        guard let s = n.scalar?.string, let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")), d >= 0 else {
            throw fail(n, path, "expected a non-negative number")
        }
        return d
    }

    func optionalDecimal(_ m: Node.Mapping, _ key: String, _ path: String) throws -> Decimal? {
        try m[key].map { try decimal($0, "\(path).\(key)") }
    }

    /// Counts of days, months, hours, years and ages: bounded, so that no date arithmetic on them can overflow and no
    /// working-day walk can run for long (10,000 is 27 years of days, 833 of months).
    static let largestCount = 10_000

    func int(_ n: Node, _ path: String) throws -> Int {
        guard let s = n.scalar?.string, let i = Int(s), i >= 0 else { throw fail(n, path, "expected a whole number") }
        guard i <= Self.largestCount else { throw fail(n, path, "expected a whole number no larger than \(Self.largestCount)") }
        return i
    }

    func bool(_ m: Node.Mapping, _ key: String, _ path: String, default value: Bool) throws -> Bool {
        guard let n = m[key] else { return value }
        switch n.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw fail(n, "\(path).\(key)", "expected true or false")
        }
    }

    func strings(_ m: Node.Mapping, _ key: String, _ path: String) throws -> [String] {
        guard let n = m[key] else { return [] }
        if let s = n.scalar?.string { return [s] }
        guard let seq = n.sequence else { throw fail(n, "\(path).\(key)", "expected text or a list of texts") }
        return try seq.enumerated().map { i, item in
            guard let s = item.scalar?.string else { throw fail(item, "\(path).\(key)[\(i)]", "expected text") }
            return s
        }
    }

    /// A text shown to experts: plain text, or a mapping of `en`, `fr` and `pt` (at least one). The engine answers with
    /// the `en` text (else `fr`, else `pt`); the others are kept for the console.
    func text(_ n: Node, _ path: String) throws -> String {
        if let s = n.scalar?.string {
            guard !s.isEmpty else { throw fail(n, path, "expected text") }
            return s
        }
        guard let m = n.mapping, !m.isEmpty else { throw fail(n, path, "expected text, or a mapping of en, fr and pt") }
        var byLanguage: [Language: String] = [:]
        for (key, value) in m {
            let name = key.scalar?.string ?? ""
            guard let language = Language(rawValue: name) else { throw fail(key, "\(path).\(name)", "unknown language '\(name)'; use en, fr or pt") }
            guard let s = value.scalar?.string, !s.isEmpty else { throw fail(value, "\(path).\(name)", "expected text") }
            byLanguage[language] = s
        }
        guard let written = byLanguage[.en] ?? byLanguage[.fr] ?? byLanguage[.pt] else { throw fail(n, path, "expected en, fr or pt") }
        if let known = book.entries[written], known != byLanguage {
            throw fail(n, path, "the same text is translated differently elsewhere in the pack")
        }
        book.entries[written] = byLanguage
        return written
    }

    /// `notes`: one text or a list of texts (each plain or a language mapping).
    func texts(_ m: Node.Mapping, _ key: String, _ path: String) throws -> [String] {
        guard let n = m[key] else { return [] }
        guard let seq = n.sequence else { return [try text(n, "\(path).\(key)")] }
        return try seq.enumerated().map { i, item in try text(item, "\(path).\(key)[\(i)]") }
    }

    func date(_ n: Node, _ path: String) throws -> Date {
        guard let s = n.scalar?.string, let d = ConditionDate.parse(s)?.instant else { throw fail(n, path, "expected a date YYYY-MM-DD") }
        return d
    }

    func span(_ n: Node, _ path: String) throws -> Span {
        let m = try mapping(n, path)
        guard m.count == 1, let (key, value) = m.first.map({ ($0.key.scalar?.string ?? "", $0.value) }),
            let unit = Span.Unit(rawValue: key)
        else {
            throw fail(n, path, "expected one of hours, days, working_days, months, end_of_year with a number")
        }
        return Span(count: try int(value, "\(path).\(key)"), unit: unit)
    }

    func condition(_ m: Node.Mapping, _ path: String) throws -> StepCondition {
        if let n = m["moreThan"] { return .moreThan(try span(n, "\(path).moreThan")) }
        if let n = m["atLeast"] { return .atLeast(try span(n, "\(path).atLeast")) }
        return .otherwise
    }

    static let optionVocabulary: Set<String> = ["accept", "cancel_free", "refund", "reroute", "alternative_trip"]

    func options(_ m: Node.Mapping, _ path: String) throws -> [String] {
        let options = try strings(m, "options", path)
        for (i, o) in options.enumerated() where !Self.optionVocabulary.contains(o) {
            throw fail(m["options"], "\(path).options[\(i)]", "unknown option '\(o)'; use accept, cancel_free, refund, reroute or alternative_trip")
        }
        return options
    }

    func step(_ n: Node, _ path: String) throws -> Step {
        let m = try mapping(n, path)
        let options = try options(m, path)
        let fees = try (m["fees"]?.sequence.map(Array.init) ?? []).enumerated().map { i, f in try fee(f, "\(path).fees[\(i)]") }
        let installments = try (m["installments"]?.sequence.map(Array.init) ?? []).enumerated().map { i, f in
            try installment(f, "\(path).installments[\(i)]")
        }
        if let p = try optionalDecimal(m, "percent", path), p > 100 { throw fail(m["percent"], "\(path).percent", "a percentage from 0 to 100") }
        return Step(
            condition: try condition(m, path), percent: try optionalDecimal(m, "percent", path),
            atLeast: try bool(m, "isMinimum", path, default: false), allowed: try bool(m, "allowed", path, default: true),
            priceAtLeast: try optionalDecimal(m, "priceAtLeast", path), fees: fees, installments: installments,
            options: options, clause: try strings(m, "clause", path), notes: try texts(m, "notes", path))
    }

    func steps(_ m: Node.Mapping, _ key: String, _ path: String) throws -> [Step] {
        let n = try child(m, key, path)
        guard let seq = n.sequence, !seq.isEmpty else { throw fail(n, "\(path).\(key)", "expected a non-empty list of steps") }
        return try seq.enumerated().map { i, s in try step(s, "\(path).\(key)[\(i)]") }
    }

    func fee(_ n: Node, _ path: String) throws -> FeeRule {
        let m = try mapping(n, path)
        let rule = FeeRule(
            kind: try string(m, "kind", path), amount: try optionalDecimal(m, "amount", path),
            percent: try optionalDecimal(m, "percent", path), minimum: try optionalDecimal(m, "minimum", path),
            atLeast: try bool(m, "atLeast", path, default: false))
        if rule.amount == nil && rule.percent == nil { throw fail(n, path, "a fee needs an amount or a percent") }
        return rule
    }

    func installment(_ n: Node, _ path: String) throws -> InstallmentRule {
        let m = try mapping(n, path)
        let rest = try bool(m, "rest", path, default: false)
        let percent = try optionalDecimal(m, "percent", path)
        if rest == (percent != nil) { throw fail(n, path, "give either a percent or rest: true") }
        return InstallmentRule(
            daysBefore: try m["daysBefore"].map { try int($0, "\(path).daysBefore") }, percent: percent,
            atMost: try bool(m, "atMost", path, default: false))
    }

    func deadlineRule(_ n: Node, _ path: String) throws -> DeadlineRule {
        let m = try mapping(n, path)
        let reference = try string(m, "reference", path)
        guard ConditionsRequest.dateFields.contains(reference) else {
            throw fail(m["reference"], "\(path).reference", "unknown date field '\(reference)'")
        }
        let direction = try optionalString(m, "direction", path) ?? "before"
        guard direction == "before" || direction == "after" else { throw fail(m["direction"], "\(path).direction", "before or after") }
        let ifOption = try optionalString(m, "ifOption", path)
        if let o = ifOption, !Self.optionVocabulary.contains(o) {
            throw fail(m["ifOption"], "\(path).ifOption", "unknown option '\(o)'; use accept, cancel_free, refund, reroute or alternative_trip")
        }
        return DeadlineRule(
            kind: try string(m, "kind", path), reference: reference, span: try span(try child(m, "span", path), "\(path).span"),
            after: direction == "after", clause: try strings(m, "clause", path), ifOption: ifOption)
    }

    func event(_ n: Node, _ path: String) throws -> EventRule {
        let m = try mapping(n, path)
        let rule = try string(m, "rule", path)
        let clause = try strings(m, "clause", path)
        let notes = try texts(m, "notes", path)
        switch rule {
        case "deadline":
            return .deadline(primary: try deadlineRule(n, path), gate: try bool(m, "gate", path, default: true), clause: clause, notes: notes)
        case "steps_on_price":
            var byPlan: [String: [Step]]?
            if let plans = m["byPlan"] {
                var result: [String: [Step]] = [:]
                for (k, v) in try mapping(plans, "\(path).byPlan") {
                    let name = k.scalar?.string ?? ""
                    guard let seq = v.sequence else { throw fail(v, "\(path).byPlan.\(name)", "expected a list of steps") }
                    result[name] = try seq.enumerated().map { i, s in try step(s, "\(path).byPlan.\(name)[\(i)]") }
                }
                byPlan = result
            }
            let kind = try string(m, "kind", path)
            guard ["cancellation_penalty", "refund", "installments", "fees"].contains(kind) else {
                throw fail(m["kind"], "\(path).kind", "one of cancellation_penalty, refund, installments, fees")
            }
            let from = try optionalString(m, "from", path) ?? "eventDate"
            guard ConditionsRequest.dateFields.contains(from) else { throw fail(m["from"], "\(path).from", "unknown date field '\(from)'") }
            return .stepsOnPrice(
                kind: kind, from: from, reference: try optionalString(m, "reference", path) ?? "departure",
                byPlan: byPlan, steps: byPlan == nil ? try steps(m, "steps", path) : [], clause: clause, notes: notes)
        case "plan_billing":
            let light = try mapping(try child(m, "LIGHT", path), "\(path).LIGHT")
            let plus = try mapping(try child(m, "PLUS", path), "\(path).PLUS")
            return .planBilling(
                light: try strings(light, "clause", "\(path).LIGHT"),
                plusInvoiceMonthsBefore: try int(try child(plus, "invoiceMonthsBefore", "\(path).PLUS"), "\(path).PLUS.invoiceMonthsBefore"),
                plusDueDaysBefore: try int(try child(plus, "dueDaysBefore", "\(path).PLUS"), "\(path).PLUS.dueDaysBefore"),
                plus: try strings(plus, "clause", "\(path).PLUS"))
        case "supplier_refund":
            return .supplierRefund(
                managementFee: try decimal(try child(m, "managementFee", path), "\(path).managementFee"),
                waivedAtOrBelow: try decimal(try child(m, "waivedAtOrBelow", path), "\(path).waivedAtOrBelow"),
                taxesWithinDays: try int(try child(m, "taxesWithinDays", path), "\(path).taxesWithinDays"),
                clause: clause, notes: notes)
        case "organiser_cancellation":
            var reasons: [String: Step] = [:]
            var fallbackNodes: [String: Node] = [:]
            if let r = m["reasons"] {
                for (k, v) in try mapping(r, "\(path).reasons") {
                    let name = k.scalar?.string ?? ""
                    var reason = try step(v, "\(path).reasons.\(name)")
                    if let n = v.mapping?["fallback"] {
                        reason.fallback = try optionalString(try mapping(v, "\(path).reasons.\(name)"), "fallback", "\(path).reasons.\(name)")
                        fallbackNodes[name] = n
                    }
                    reasons[name] = reason
                }
            }
            // A fallback names another reason, and following fallbacks never comes back to where it started.
            for (name, node) in fallbackNodes {
                var seen: Set<String> = [name]
                var next = reasons[name]?.fallback
                while let target = next {
                    guard let reason = reasons[target] else {
                        throw fail(
                            node, "\(path).reasons.\(name).fallback",
                            "unknown reason '\(target)'; one of \(reasons.keys.sorted().joined(separator: ", "))")
                    }
                    guard seen.insert(target).inserted else {
                        throw fail(node, "\(path).reasons.\(name).fallback", "the fallbacks come back to '\(target)'")
                    }
                    next = reason.fallback
                }
            }
            let options = m["options"] == nil ? ["refund", "alternative_trip"] : try options(m, path)
            return .organiser(
                reasons: reasons, scale: m["scale"] == nil ? [] : try steps(m, "scale", path), options: options,
                clause: clause, notes: notes)
        case "price_revision":
            return .priceRevision(
                steps: try steps(m, "steps", path),
                cancelFreeAbovePercent: try decimal(try child(m, "cancelFreeAbovePercent", path), "\(path).cancelFreeAbovePercent"),
                cancelFreeClause: try strings(m, "cancelFreeClause", path),
                maxPercent: try optionalDecimal(m, "maxPercent", path),
                answerDays: try m["answerDays"].map { try int($0, "\(path).answerDays") },
                silenceMeans: try m["silenceMeans"].map { try text($0, "\(path).silenceMeans") }, clause: clause, notes: notes)
        case "no_show":
            return .noShow(refundTaxes: try bool(m, "refundTaxes", path, default: false), clause: clause, notes: notes)
        case "bonus_conversion":
            return .bonusConversion(
                trancheNewAccount: try optionalDecimal(m, "trancheNewAccount", path),
                trancheOther: try optionalDecimal(m, "trancheOther", path), clause: clause, notes: notes)
        case "age_eligibility":
            return .ageEligibility(
                childUnder: try int(try child(m, "childUnder", path), "\(path).childUnder"),
                infantUnder: try int(try child(m, "infantUnder", path), "\(path).infantUnder"), clause: clause, notes: notes)
        default:
            throw fail(m["rule"], "\(path).rule", "unknown rule '\(rule)'")
        }
    }

    func pack(_ root: Node) throws -> RulePack {
        let m = try mapping(root, "(root)")
        let id = try string(m, "id", "")
        guard id.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil else {
            throw fail(m["id"], "id", "lowercase letters, digits and dashes")
        }
        let currency = try string(m, "currency", "")
        guard currency.count == 3 else { throw fail(m["currency"], "currency", "a 3-letter ISO currency") }
        let versionsNode = try child(m, "versions", "")
        guard let seq = versionsNode.sequence, !seq.isEmpty else { throw fail(versionsNode, "versions", "expected a non-empty list") }
        var versions: [PackVersion] = []
        for (i, vn) in seq.enumerated() {
            let path = "versions[\(i)]"
            let vm = try mapping(vn, path)
            let eventsMap = try mapping(try child(vm, "events", path), "\(path).events")
            var events: [String: EventSpec] = [:]
            for (k, v) in eventsMap {
                let name = k.scalar?.string ?? ""
                let ep = "\(path).events.\(name)"
                let em = try mapping(v, ep)
                let also = try (em["also"]?.sequence.map(Array.init) ?? []).enumerated().map { i, d in try deadlineRule(d, "\(ep).also[\(i)]") }
                let versionDate = try optionalString(em, "versionDate", ep)
                if let f = versionDate, !ConditionsRequest.dateFields.contains(f) {
                    throw fail(em["versionDate"], "\(ep).versionDate", "unknown date field '\(f)'")
                }
                events[name] = EventSpec(rule: try event(v, ep), also: also, versionDate: versionDate)
            }
            let from = try date(try child(vm, "effectiveFrom", path), "\(path).effectiveFrom")
            let to = try vm["effectiveTo"].map { try date($0, "\(path).effectiveTo") }
            if let to, to <= from { throw fail(vm["effectiveTo"], "\(path).effectiveTo", "must follow effectiveFrom") }
            versions.append(
                PackVersion(
                    version: try string(vm, "version", path), effectiveFrom: from, effectiveTo: to,
                    source: try optionalString(vm, "source", path) ?? "", events: events))
        }
        let title = try text(try child(m, "title", ""), "title")
        var pack = RulePack(id: id, title: title, currency: currency, versions: versions)
        pack.translations = book.entries.compactMapValues { byLanguage in
            byLanguage.count > 1 || byLanguage[.en] == nil ? byLanguage : nil
        }
        return pack
    }
}
