import Foundation

/// A date given as "YYYY-MM-DD" (read at 00:00 UTC, day arithmetic) or as an ISO date-time with offset (hours matter).
public struct ConditionDate: Sendable {
    public let instant: Date
    /// Seconds from UTC for date-times; nil for plain dates.
    public let offset: Int?

    public static func parse(_ text: String) -> ConditionDate? {
        if text.count == 10, let d = CivilDate(text) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = utc
            return cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day)).map { ConditionDate(instant: $0, offset: nil) }
        }
        guard text.count <= 40, let instant = isoFormatter.date(from: text) else { return nil }
        var offset = 0
        let tail = Array(text.suffix(6))
        if !text.hasSuffix("Z"), tail.count == 6, tail[0] == "+" || tail[0] == "-", tail[3] == ":",
            let h = Int(String(tail[1...2])), let m = Int(String(tail[4...5]))
        {
            offset = (tail[0] == "-" ? -1 : 1) * (h * 3600 + m * 60)
        }
        return ConditionDate(instant: instant, offset: offset)
    }

    var zone: TimeZone { TimeZone(secondsFromGMT: offset ?? 0) ?? utc }

    /// Writes a computed instant the way the reference was given: a date, or a date-time in the same offset.
    func format(_ instant: Date) -> String {
        guard offset != nil else {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = utc
            let p = cal.dateComponents([.year, .month, .day], from: instant)
            return String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
        }
        return LocalDateTime.iso8601(instant, in: zone)
    }

    func moved(_ span: Span, after: Bool) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let sign = after ? 1 : -1
        switch span.unit {
        case .hours: return instant.addingTimeInterval(Double(sign * span.count) * 3600)
        case .days: return cal.date(byAdding: .day, value: sign * span.count, to: instant)!
        case .months: return cal.date(byAdding: .month, value: sign * span.count, to: instant)!
        case .workingDays:
            var date = instant
            var left = span.count
            while left > 0 {
                date = cal.date(byAdding: .day, value: sign, to: date)!
                let weekday = cal.component(.weekday, from: date)
                if weekday != 1 && weekday != 7 { left -= 1 }
            }
            return date
        case .endOfYear:
            let year = cal.component(.year, from: instant) + sign * span.count
            return cal.date(from: DateComponents(year: year, month: 12, day: 31))!
        }
    }
}

let utc = TimeZone(identifier: "UTC")!

/// Answers "what will it cost" for an event under a pack, citing the clauses.
public struct ConditionsEngine: Sendable {
    public let packs: [String: RulePack]

    public init(packs: [RulePack]) { self.packs = Dictionary(packs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }

    /// The packs shipped with the product (000–004); a broken one stops the start with its file, line and field.
    public static func bundled() throws -> ConditionsEngine {
        let directory = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let urls = names.filter { $0.hasPrefix("pack-") && $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
        return ConditionsEngine(
            packs: try urls.map { url in
                try RulePackLoader.load(yaml: try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
            })
    }

    public func assess(_ r: ConditionsRequest) throws -> ConditionsAssessment {
        guard let pack = packs[r.pack] else { throw ConditionsError.unknownPack(r.pack) }
        var errors: [FieldError] = []
        var dates: [String: ConditionDate] = [:]
        for field in ConditionsRequest.dateFields {
            guard let text = r.dateText(field) else { continue }
            if let d = ConditionDate.parse(text) {
                dates[field] = d
            } else {
                errors.append(FieldError(field: field, message: "Expected YYYY-MM-DD or an ISO 8601 date-time with offset."))
            }
        }
        for (amount, field) in [(r.price, "price"), (r.supplierRefund, "supplierRefund"), (r.refundableTaxes, "refundableTaxes")] {
            if let a = amount, a.amount < 0 || a.currency != pack.currency {
                errors.append(FieldError(field: field, message: "A non-negative amount in \(pack.currency)."))
            }
        }
        if !errors.isEmpty { throw ConditionsError.invalid(errors) }
        let anyVersionEvents = Set(pack.versions.flatMap { $0.events.keys })
        guard anyVersionEvents.contains(r.event) else {
            throw ConditionsError.unknownEvent(pack: r.pack, event: r.event, known: anyVersionEvents.sorted())
        }
        // The version in force on the event's own date (the travel date for a points claim, and so on).
        // Versions may choose by different dates (points issued, last increase): take the one the request gives.
        let fields = pack.versions.compactMap { $0.events[r.event]?.versionDate }
        let field = fields.first { dates[$0] != nil } ?? fields.first ?? "eventDate"
        guard let versionDate = dates[field] ?? dates["eventDate"] ?? dates["bookingDate"] ?? dates["departure"] else {
            throw ConditionsError.invalid([FieldError(field: field, message: "Required to choose the version of the conditions in force.")])
        }
        guard let version = pack.version(on: versionDate.instant) else {
            throw ConditionsError.noVersion(pack: r.pack, date: versionDate.format(versionDate.instant))
        }
        guard let spec = version.events[r.event] else {
            return ConditionsAssessment(
                pack: pack.id, version: version.version, event: r.event, allowed: false,
                citations: [version.source], notes: ["This event does not exist in the version in force (\(version.version))."])
        }
        var result = ConditionsAssessment(pack: pack.id, version: version.version, event: r.event, allowed: true)
        var evaluation = Evaluation(request: r, dates: dates, currency: pack.currency, result: result)
        try evaluation.run(spec.rule)
        for extra in spec.also {
            // A deadline that belongs to an option (a free cancellation) comes only with that option.
            if let option = extra.ifOption, !evaluation.result.options.contains(option) { continue }
            if let ref = dates[extra.reference] {
                evaluation.result.deadlines.append(Deadline(kind: extra.kind, date: ref.format(ref.moved(extra.span, after: extra.after))))
                evaluation.cite(extra.clause, [])
            }
        }
        result = evaluation.result
        if result.citations.isEmpty { result.citations = [version.source] }
        return result
    }
}

/// The evaluation of one event, accumulating the answer.
struct Evaluation {
    let request: ConditionsRequest
    let dates: [String: ConditionDate]
    let currency: String
    var result: ConditionsAssessment

    func date(_ field: String) throws -> ConditionDate {
        guard let d = dates[field] else { throw ConditionsError.invalid([FieldError(field: field, message: "Required for this event.")]) }
        return d
    }

    func price() throws -> Decimal {
        guard let p = request.price else { throw ConditionsError.invalid([FieldError(field: "price", message: "Required for this event.")]) }
        return p.amount
    }

    func money(_ d: Decimal) -> Amount { Amount(d.rounded(2), currency) }

    /// Does `event` fall far enough before `reference` for the step?
    static func holds(_ c: StepCondition, event: ConditionDate, reference: ConditionDate) -> Bool {
        switch c {
        case .moreThan(let span): event.instant < reference.moved(span, after: false)
        case .atLeast(let span): event.instant <= reference.moved(span, after: false)
        case .otherwise: true
        }
    }

    func pick(_ steps: [Step], event: ConditionDate, reference: ConditionDate, price: Decimal?) -> Step? {
        steps.first { s in
            Self.holds(s.condition, event: event, reference: reference) && (s.priceAtLeast.map { (price ?? 0) >= $0 } ?? true)
        }
    }

    /// "21 days", "48 hours": the condition of a step as it reads in a note.
    static func describe(_ c: StepCondition) -> String {
        func span(_ s: Span) -> String {
            let unit: String
            switch s.unit {
            case .hours: unit = s.count == 1 ? "hour" : "hours"
            case .days: unit = s.count == 1 ? "day" : "days"
            case .workingDays: unit = s.count == 1 ? "working day" : "working days"
            case .months: unit = s.count == 1 ? "month" : "months"
            case .endOfYear: unit = "calendar years"
            }
            return "\(s.count) \(unit)"
        }
        switch c {
        case .moreThan(let s): return "more than \(span(s))"
        case .atLeast(let s): return "at least \(span(s))"
        case .otherwise: return "any time"
        }
    }

    /// The organiser's cancellation without an exempting reason: full refund, the traveller's choices, the indemnity of the scale.
    mutating func organiserScale(_ scale: [Step], options: [String], price: Decimal) throws {
        let event = try date("eventDate"), departure = try date("departure")
        result.refund = money(price)
        result.options = options
        if let step = pick(scale, event: event, reference: departure, price: price) {
            cite(step.clause, step.notes)
            if !step.options.isEmpty { result.options = step.options }
            if let p = step.percent, p > 0 {
                result.indemnity = Indemnity(amount: (price * p / 100).rounded(2), currency: currency, atLeast: step.atLeast)
            }
        }
    }

    mutating func cite(_ clauses: [String], _ notes: [String]) {
        for c in clauses where !result.citations.contains(c) { result.citations.append(c) }
        result.notes += notes
    }

    func fees(_ rules: [FeeRule], price: Decimal?) -> [Charge] {
        rules.map { f in
            var amount = f.amount ?? 0
            if let p = f.percent { amount = (price ?? 0) * p / 100 }
            if let minimum = f.minimum { amount = max(amount, minimum) }
            return Charge(kind: f.kind, amount: amount.rounded(2), currency: currency, atLeast: f.atLeast)
        }
    }

    /// Applies one rule of the event to the request: each kind of rule in its own method below.
    mutating func run(_ rule: EventRule) throws {
        switch rule {
        case let .deadline(primary, gate, clause, notes):
            try applyDeadline(primary: primary, gate: gate, clause: clause, notes: notes)
        case let .stepsOnPrice(kind, from, reference, byPlan, steps, clause, notes):
            try applyStepsOnPrice(kind: kind, from: from, reference: reference, byPlan: byPlan, steps: steps, clause: clause, notes: notes)
        case let .planBilling(light, monthsBefore, dueDaysBefore, plus):
            try applyPlanBilling(light: light, monthsBefore: monthsBefore, dueDaysBefore: dueDaysBefore, plus: plus)
        case let .supplierRefund(fee, waived, taxesDays, clause, notes):
            try applySupplierRefund(fee: fee, waived: waived, taxesDays: taxesDays, clause: clause, notes: notes)
        case let .organiser(reasons, scale, options, clause, notes):
            try applyOrganiser(reasons: reasons, scale: scale, options: options, clause: clause, notes: notes)
        case let .priceRevision(steps, cancelFreeAbove, cancelFreeClause, maxPercent, answerDays, silenceMeans, clause, notes):
            try applyPriceRevision(
                steps: steps, cancelFreeAbove: cancelFreeAbove, cancelFreeClause: cancelFreeClause, maxPercent: maxPercent, answerDays: answerDays,
                silenceMeans: silenceMeans, clause: clause, notes: notes)
        case let .noShow(refundTaxes, clause, notes):
            try applyNoShow(refundTaxes: refundTaxes, clause: clause, notes: notes)
        case let .bonusConversion(trancheNew, trancheOther, clause, notes):
            try applyBonusConversion(trancheNew: trancheNew, trancheOther: trancheOther, clause: clause, notes: notes)
        case let .ageEligibility(childUnder, infantUnder, clause, notes):
            try applyAgeEligibility(childUnder: childUnder, infantUnder: infantUnder, clause: clause, notes: notes)
        }
    }

    mutating func applyDeadline(primary: DeadlineRule, gate: Bool, clause: [String], notes: [String]) throws {
        let ref = try date(primary.reference)
        let deadline = ref.moved(primary.span, after: primary.after)
        result.deadlines.append(Deadline(kind: primary.kind, date: ref.format(deadline)))
        if gate {
            result.allowed = try date("eventDate").instant <= deadline
        }
        cite(clause, notes)
    }

    mutating func applyStepsOnPrice(
        kind: String, from: String, reference: String, byPlan: [String: [Step]]?, steps: [Step], clause: [String], notes: [String]
    ) throws {
        var list = steps
        if let byPlan {
            guard let plan = request.plan?.uppercased(), let planSteps = byPlan[plan] else {
                throw ConditionsError.invalid([FieldError(field: "plan", message: "One of \(byPlan.keys.sorted().joined(separator: ", ")).")])
            }
            list = planSteps
        }
        let event = try date(from)
        let ref = try date(reference)
        let price = kind == "fees" ? request.price?.amount : try price()
        guard let step = pick(list, event: event, reference: ref, price: price) else {
            result.allowed = false
            cite(clause, notes + ["No step of the scale covers these dates."])
            return
        }
        result.allowed = step.allowed
        result.options = step.options
        cite(clause + step.clause, notes + step.notes)
        // Every kind but "fees" has a price here: `price()` throws without one.
        let stated = price ?? 0
        switch kind {
        case "cancellation_penalty":
            let penalty = (stated * (step.percent ?? 0) / 100).rounded(2)
            result.charges.append(Charge(kind: "cancellation_penalty", amount: penalty, currency: currency, atLeast: step.atLeast))
            result.refund = money(stated - penalty)
            if step.atLeast { result.notes.append("The penalty is a minimum: the refund is at most the amount shown.") }
        case "refund":
            result.refund = money(stated * (step.percent ?? 0) / 100)
        case "installments":
            var remaining = stated
            for (i, inst) in step.installments.enumerated() {
                let amount = inst.percent.map { (stated * $0 / 100).rounded(2) } ?? remaining
                remaining -= amount
                let due = inst.daysBefore.map { ref.format(ref.moved(Span(count: $0, unit: .days), after: false)) } ?? event.format(event.instant)
                result.installments.append(Installment(dueDate: due, amount: amount, currency: currency))
                if inst.atMost { result.notes.append("Instalment \(i + 1) is a maximum the seller may ask.") }
            }
        default:
            result.charges += fees(step.fees, price: price)
            if step.fees.contains(where: { $0.percent != nil }) && request.price == nil {
                result.notes.append("Give the price to compute the percentage fees.")
            }
        }
    }

    mutating func applyPlanBilling(light: [String], monthsBefore: Int, dueDaysBefore: Int, plus: [String]) throws {
        let price = try price()
        guard let plan = request.plan?.uppercased(), plan == "LIGHT" || plan == "PLUS" else {
            throw ConditionsError.invalid([FieldError(field: "plan", message: "LIGHT or PLUS.")])
        }
        if plan == "LIGHT" {
            let booking = try date("bookingDate")
            result.installments = [Installment(dueDate: booking.format(booking.instant), amount: price.rounded(2), currency: currency)]
            result.notes.append("Card payment when the service is booked; the receipt is emailed at once.")
            cite(light, [])
        } else {
            let departure = try date("departure")
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = departure.zone
            let month = cal.dateComponents([.year, .month], from: departure.instant)
            guard let firstOfMonth = cal.date(from: month), let invoice = cal.date(byAdding: .month, value: -monthsBefore, to: firstOfMonth)
            else { throw ConditionsError.invalid([FieldError(field: "departure", message: "A date the calendar can count months from.")]) }
            let due = departure.moved(Span(count: dueDaysBefore, unit: .days), after: false)
            let plain = ConditionDate(instant: invoice, offset: departure.offset)
            result.deadlines = [
                Deadline(kind: "invoice_issued", date: plain.format(invoice)), Deadline(kind: "pay_by", date: departure.format(due))
            ]
            result.installments = [Installment(dueDate: departure.format(due), amount: price.rounded(2), currency: currency)]
            cite(plus, [])
        }
    }

    mutating func applySupplierRefund(fee: Decimal, waived: Decimal, taxesDays: Int, clause: [String], notes: [String]) throws {
        let supplier = request.supplierRefund?.amount ?? 0
        let taxes = request.refundableTaxes?.amount ?? 0
        var refundFromSuppliers = supplier
        if supplier > waived {
            refundFromSuppliers = max(0, supplier - fee)
            // The fee is taken from the partial refund: never more than that refund.
            result.charges.append(
                Charge(kind: "management_fee", amount: (supplier - refundFromSuppliers).rounded(2), currency: currency, atLeast: false))
        }
        result.refund = money(taxes + refundFromSuppliers)
        if let event = dates["eventDate"], taxes > 0 {
            result.deadlines.append(
                Deadline(kind: "taxes_refund_by", date: event.format(event.moved(Span(count: taxesDays, unit: .days), after: true))))
        }
        if let p = request.price?.amount {
            // What the suppliers keep: the price less the taxes and the partial refund before the management fee, which
            // is its own charge (counted once: penalty + fee + refund = price).
            result.charges.insert(
                Charge(
                    kind: "cancellation_penalty", amount: max(0, p - taxes - supplier).rounded(2),
                    currency: currency, atLeast: false), at: 0)
        }
        cite(clause, notes)
    }

    mutating func applyOrganiser(reasons: [String: Step], scale: [Step], options: [String], clause: [String], notes: [String]) throws {
        let price = try price()
        cite(clause, notes)
        guard let name = request.reason, reasons[name] != nil else {
            if !reasons.isEmpty && scale.isEmpty {
                throw ConditionsError.invalid([FieldError(field: "reason", message: "One of \(reasons.keys.sorted().joined(separator: ", ")).")])
            }
            try organiserScale(scale, options: options, price: price)
            return
        }
        // A reason governs only when its condition holds; otherwise the rule that governs without it does, with its
        // own amounts, options and clauses: the reason it falls back to, or else the scale.
        var current = name
        while let step = reasons[current] {
            let event = try date("eventDate"), departure = try date("departure")
            if Self.holds(step.condition, event: event, reference: departure) {
                cite(step.clause, step.notes)
                result.options = step.options
                result.refund = money(price * (step.percent ?? 100) / 100)
                if let f = step.fees.first(where: { $0.kind == "indemnity" }) {
                    let c = fees([f], price: price)[0]
                    result.indemnity = Indemnity(amount: c.amount, currency: currency, atLeast: f.atLeast)
                }
                return
            }
            let governing: String
            if let next = step.fallback, let target = reasons[next] {
                governing = target.clause.isEmpty ? next : target.clause.joined(separator: ", ")
            } else if !scale.isEmpty {
                governing = "the scale"
            } else {
                governing = ""
            }
            let cited = step.clause.isEmpty ? "" : " (\(step.clause.joined(separator: ", ")))"
            let late = "Notified too late for \(current), which needs notice of \(Self.describe(step.condition)) before departure\(cited)"
            if governing.isEmpty {
                cite(
                    step.clause,
                    ["\(late): the exemption does not hold, and this pack states no other rule; only the refund of the price is shown."])
                result.refund = money(price)
                result.options = ["refund"]
                return
            }
            cite(step.clause, ["\(late): the exemption does not hold; \(governing) governs."])
            guard let next = step.fallback else {
                try organiserScale(scale, options: options, price: price)
                return
            }
            current = next
        }
    }

    mutating func applyPriceRevision(
        steps: [Step], cancelFreeAbove: Decimal, cancelFreeClause: [String], maxPercent: Decimal?, answerDays: Int?, silenceMeans: String?,
        clause: [String], notes: [String]
    ) throws {
        guard let increase = request.increasePercent else {
            throw ConditionsError.invalid([FieldError(field: "increasePercent", message: "Required for a price revision.")])
        }
        let event = try date("eventDate"), departure = try date("departure")
        cite(clause, notes)
        guard let step = pick(steps, event: event, reference: departure, price: nil), step.allowed else {
            result.allowed = false
            result.notes.append("Too close to departure: the price can no longer be revised.")
            cite(steps.last?.clause ?? [], [])
            return
        }
        cite(step.clause, step.notes)
        if let price = request.price?.amount { result.value = money(price * (100 + increase) / 100) }
        if let maxPercent, increase > maxPercent {
            result.notes.append("Above \(maxPercent)%: the revision is significant.")
        }
        result.options = increase > cancelFreeAbove ? ["accept", "cancel_free"] : ["accept"]
        if increase > cancelFreeAbove { cite(cancelFreeClause, []) }
        if increase > cancelFreeAbove, let days = answerDays {
            result.deadlines.append(Deadline(kind: "answer_by", date: event.format(event.moved(Span(count: days, unit: .days), after: true))))
            if let silenceMeans { result.notes.append("Silence by then means: \(silenceMeans).") }
        }
    }

    mutating func applyNoShow(refundTaxes: Bool, clause: [String], notes: [String]) throws {
        result.refund = money(refundTaxes ? (request.refundableTaxes?.amount ?? 0) : 0)
        if let p = request.price?.amount {
            result.charges.append(
                Charge(kind: "no_show", amount: (p - (result.refund?.amount ?? 0)).rounded(2), currency: currency, atLeast: false))
        }
        cite(clause, notes)
    }

    mutating func applyBonusConversion(trancheNew: Decimal?, trancheOther: Decimal?, clause: [String], notes: [String]) throws {
        cite(clause, notes)
        guard let amount = request.amount else {
            throw ConditionsError.invalid([FieldError(field: "amount", message: "The points to convert.")])
        }
        guard let tranche = (request.newAccount ?? false) ? trancheNew : trancheOther, tranche > 0 else {
            result.allowed = false
            result.notes.append("This version has no Bonus balance conversion.")
            return
        }
        var whole = Decimal()
        var q = amount / tranche
        NSDecimalRound(&whole, &q, 0, .down)
        result.value = money(whole * tranche)
        result.allowed = whole > 0
        result.notes.append("Converted by tranches of \(tranche); the remainder waits for the next tranche.")
    }

    mutating func applyAgeEligibility(childUnder: Int, infantUnder: Int, clause: [String], notes: [String]) throws {
        guard let age = request.passengerAge, (0...130).contains(age) else {
            throw ConditionsError.invalid([FieldError(field: "passengerAge", message: "The passenger's age in years.")])
        }
        result.allowed = age >= childUnder
        cite(clause, notes)
        if age < infantUnder {
            result.notes.append("Infant (under \(infantUnder)): earns nothing.")
        } else if age < childUnder {
            result.notes.append("Child (under \(childUnder)): earns nothing.")
        }
    }
}
