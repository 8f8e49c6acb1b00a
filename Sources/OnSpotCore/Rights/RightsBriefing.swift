import Foundation

/// What a case's "rights and conditions" panel starts from, and what it sends the traveller: the facts read from the
/// trip's flight segments and pasted documents, and a short summary of the answer in the traveller's language.
public enum RightsBriefing {
    /// The flight a segment describes, read from text such as "AF 066 Paris CDG → Los Angeles LAX": the airports in
    /// order (IATA codes the airport data knows), the operating carrier, and the scheduled times in the airports' zones.
    /// Nil when fewer than two airports can be found: the expert then types the journey.
    public static func flight(text: String, departure: Date?, arrival: Date?) -> DisruptionCase? {
        let tokens = text.prefix(2_000).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        var journey: [Airport] = []
        for token in tokens where token.count == 3 && token == token.uppercased() && token.allSatisfy(\.isLetter) {
            if let airport = ReferenceData.airports[token], journey.last?.iata != airport.iata { journey.append(airport) }
        }
        guard journey.count >= 2, journey.count <= 10 else { return nil }
        var carrier: String?
        for (i, token) in tokens.enumerated() {
            // "AF066", or "AF" followed by "066"
            let code = String(token.prefix(2)).uppercased()
            let rest = token.dropFirst(2)
            let isNumber = { (s: Substring) in !s.isEmpty && s.count <= 4 && s.allSatisfy(\.isNumber) }
            guard token.count >= 2, ReferenceData.airlines[code] != nil, token.prefix(2) == code else { continue }
            if isNumber(rest) || (rest.isEmpty && i + 1 < tokens.count && isNumber(Substring(tokens[i + 1]))) {
                carrier = code
                break
            }
        }
        var flight = DisruptionCase(
            journey: journey.map(\.iata), event: .delay,
            scheduledDeparture: departure.map { LocalDateTime.iso8601($0, in: journey.first!.zone) } ?? "",
            scheduledArrival: arrival.map { LocalDateTime.iso8601($0, in: journey.last!.zone) } ?? "")
        flight.operatingCarrier = carrier
        return flight
    }

    /// The booking-conditions pack whose name appears in the pasted documents, so the panel opens on the right one.
    public static func pack(in documents: [String], among packs: [RulePack]) -> String? {
        let words = Set(documents.joined(separator: "\n").prefix(200_000).lowercased().split { !$0.isLetter && !$0.isNumber })
        guard !words.isEmpty else { return nil }
        for pack in packs.sorted(by: { $0.id < $1.id }) {
            // "lastminute-sejour" is found by the word "lastminute", "mnk-weopera" by "weopera" or "mnk"; words every
            // French confirmation carries ("séjour", "CGV") name no supplier.
            let names = pack.id.split(separator: "-").map { $0.lowercased() }.filter { $0.count >= 3 && !genericWords.contains($0) }
            if names.contains(where: { words.contains(Substring($0)) }) { return pack.id }
        }
        return nil
    }

    static let genericWords: Set<String> = ["sejour", "cgv", "cgu", "voyage", "travel", "conditions", "terms"]

    /// A message for the traveller, in their language: what each regime that applies gives, and what the booking
    /// conditions say. It states that these are indications, with their sources, so nothing reads as a promise.
    /// `pack` names the conditions by their title in the traveller's language (else by their id).
    public static func summary(
        journey: [String], event: DisruptionEvent, rights: RightsAssessment?,
        conditions: ConditionsAssessment?, pack: RulePack? = nil, language: Language
    ) -> String {
        var lines: [String] = []
        if let rights {
            lines.append(
                L10n.t(
                    "rights.summary_title", language,
                    [
                        "journey": journey.joined(separator: " → "),
                        "event": L10n.t("rights.event.\(event.rawValue)", language)
                    ]))
            let applying = rights.assessments.filter(\.applies)
            if applying.isEmpty { lines.append("• " + L10n.t("rights.none_applies", language)) }
            for regime in applying {
                var parts: [String] = []
                if let c = regime.compensation {
                    parts.append(L10n.t("rights.compensation", language, ["amount": format(c, language)]))
                    if let r = regime.reducibleTo { parts.append(L10n.t("rights.reducible", language, ["amount": format(r, language)])) }
                }
                if regime.refund { parts.append(L10n.t("rights.refund", language)) }
                if !regime.care.isEmpty {
                    parts.append(
                        L10n.t(
                            "rights.care", language,
                            [
                                "items": regime.care.map { L10n.t("rights.care.\($0.rawValue)", language) }
                                    .joined(separator: ", ")
                            ]))
                }
                if parts.isEmpty { parts.append(L10n.t("rights.nothing_due", language)) }
                lines.append(
                    "• \(L10n.t("rights.regime.\(regime.regime)", language)) (\(regime.basis.joined(separator: ", "))): "
                        + parts.joined(separator: "; ") + ".")
            }
        }
        if let conditions {
            lines.append(L10n.t("conditions.summary_title", language, ["pack": pack?.title(in: language) ?? conditions.pack]))
            var parts: [String] = []
            if !conditions.allowed { parts.append(L10n.t("conditions.not_allowed", language)) }
            for charge in conditions.charges {
                parts.append(
                    L10n.t(
                        charge.atLeast ? "conditions.charge_at_least" : "conditions.charge", language,
                        ["amount": format(Amount(charge.amount, charge.currency), language)]))
            }
            if let refund = conditions.refund { parts.append(L10n.t("conditions.refund", language, ["amount": format(refund, language)])) }
            if let i = conditions.indemnity {
                parts.append(L10n.t("conditions.indemnity", language, ["amount": format(Amount(i.amount, i.currency), language)]))
            }
            for d in conditions.deadlines { parts.append(L10n.t("conditions.deadline", language, ["date": d.date])) }
            if !conditions.options.isEmpty {
                parts.append(
                    L10n.t(
                        "conditions.options", language,
                        [
                            "options": conditions.options.map { L10n.t("conditions.option.\($0)", language) }
                                .joined(separator: ", ")
                        ]))
            }
            if parts.isEmpty { parts.append(L10n.t("rights.nothing_due", language)) }
            lines.append("• " + parts.joined(separator: "; ") + " (" + conditions.citations.joined(separator: ", ") + ").")
        }
        lines.append(L10n.t("rights.disclaimer", language))
        return lines.joined(separator: "\n")
    }

    static func format(_ amount: Amount, _ language: Language) -> String {
        if let code = CurrencyCode(rawValue: amount.currency) {
            var cents = amount.amount * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &cents, 0, .plain)
            let minor = NSDecimalNumber(decimal: rounded).int64Value
            return Money(minorUnits: minor, currency: code).formatted(language)
        }
        return "\(amount.amount) \(amount.currency)"
    }
}

extension DisruptionCase {
    public init(journey: [String], event: DisruptionEvent, scheduledDeparture: String, scheduledArrival: String) {
        self.journey = journey
        self.event = event
        self.scheduledDeparture = scheduledDeparture
        self.scheduledArrival = scheduledArrival
    }
}

extension DisruptionCase {
    /// Sets the alternative flight's times; nil when neither is known.
    public mutating func setReroute(departure: String?, arrival: String?) {
        reroute = departure == nil && arrival == nil ? nil : Reroute(departure: departure, arrival: arrival)
    }
}
