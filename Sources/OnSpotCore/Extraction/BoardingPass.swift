import Foundation

/// IATA Resolution 792 bar-coded boarding passes (BCBP), found anywhere in a paste: the mandatory fixed-width fields of
/// every leg, the conditional sections when present (version, issue date, document number, frequent flyer), and the
/// deviations real passes show (short or missing fields, a missing e-ticket indicator, lower-case hex sizes).
public struct BoardingPass: Equatable, Sendable {
    public struct Leg: Equatable, Sendable {
        public var pnr: String
        public var from: String
        public var to: String
        public var carrier: String
        public var flightNumber: String
        /// Day of the year of the flight, 1–366.
        public var dayOfYear: Int
        public var compartment: String
        public var seat: String
        public var sequence: String
        public var marketingCarrier: String?
        public var frequentFlyer: String?
    }

    public var passengerName: String
    public var legs: [Leg]
    /// The year digit and day of issue, when the pass carries them: they fix the year of the flights.
    public var issueYearDigit: Int?
    public var issueDayOfYear: Int?
    /// The whole string as found, for the ticket token.
    public var raw: String

    /// "DESMARAIS/LUC" → ("DESMARAIS", "LUC").
    public var names: (family: String, given: String) {
        let parts = passengerName.split(separator: "/", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }

    static let maximumLength = 1_500

    /// Every boarding pass in a text: a line, or part of one, that starts with M and a leg count and decodes.
    public static func find(in text: String) -> [BoardingPass] {
        var found: [BoardingPass] = []
        for line in text.prefix(Extraction.maximumInputCharacters).split(whereSeparator: \.isNewline) {
            var rest = Substring(line)
            // "aztecCode:M1…", "BCBP: M1…": the pass may follow a label.
            // A pass is at most about 1,300 characters: each candidate is read from a bounded window, so a long line of
            // near-passes stays linear. At most 50 passes per paste.
            while found.count < 50, let start = rest.firstIndex(where: { $0 == "M" }) {
                // A look at the first 36 characters rejects most non-passes before a full decode.
                if looksLikePass(rest[start...].prefix(36)), let pass = decode(String(rest[start...].prefix(maximumLength))) {
                    found.append(pass)
                    break
                }
                rest = rest[rest.index(after: start)...]
            }
        }
        return found
    }

    /// Format code, leg count, a name starting with a letter, and two airport codes where the first leg puts them.
    static func looksLikePass(_ head: Substring) -> Bool {
        let c = Array(head)
        guard c.count == 36, c[0] == "M", let legs = c[1].wholeNumberValue, (1...4).contains(legs), c[2].isLetter else { return false }
        return c[30..<36].allSatisfy { $0.isASCII && $0.isUppercase }
    }

    public static func decode(_ text: String) -> BoardingPass? {
        let chars = Array(text.prefix(maximumLength).trimmingCharacters(in: .whitespacesAndNewlines))
        guard chars.count >= 36, chars[0] == "M", let legCount = chars[1].wholeNumberValue, (1...4).contains(legCount) else { return nil }
        var i = 2
        func take(_ n: Int) -> String? {
            guard i + n <= chars.count else { return nil }
            defer { i += n }
            return String(chars[i..<(i + n)])
        }
        func takeTrimmed(_ n: Int) -> String { (take(n) ?? "").trimmingCharacters(in: .whitespaces) }
        guard let name = take(20), name.contains("/") || name.first?.isLetter == true else { return nil }
        // The e-ticket indicator is sometimes left blank (a space).
        _ = take(1)
        var pass = BoardingPass(passengerName: name.trimmingCharacters(in: .whitespaces), legs: [], raw: String(chars))
        for legIndex in 0..<legCount {
            guard let pnr = take(7), let from = take(3), let to = take(3), let carrier = take(3), let flight = take(5), let day = take(3) else {
                return legIndex == 0 ? nil : pass
            }
            let airport = { (s: String) in s.count == 3 && s.allSatisfy { $0.isLetter && $0.isUppercase } }
            guard airport(from), airport(to), let dayOfYear = Int(day.trimmingCharacters(in: .whitespaces)), (1...366).contains(dayOfYear) else {
                return legIndex == 0 ? nil : pass
            }
            var leg = Leg(
                pnr: pnr.trimmingCharacters(in: .whitespaces), from: from, to: to, carrier: carrier.trimmingCharacters(in: .whitespaces),
                flightNumber: flight.trimmingCharacters(in: .whitespaces).drop { $0 == "0" }.description, dayOfYear: dayOfYear,
                compartment: takeTrimmed(1), seat: takeTrimmed(4).drop { $0 == "0" }.description,
                sequence: takeTrimmed(5).drop { $0 == "0" }.description)
            _ = take(1)  // passenger status
            let variableSize = Int(take(2)?.trimmingCharacters(in: .whitespaces) ?? "", radix: 16) ?? 0
            let variableEnd = min(chars.count, i + variableSize)
            if variableSize > 0, i < chars.count, chars[i] == ">" {
                // Conditional items: the unique part on the first leg, then the repeated part of this leg.
                i += 1
                _ = take(1)  // version
                if legIndex == 0, let uniqueSize = Int(take(2) ?? "", radix: 16) {
                    let uniqueEnd = min(variableEnd, i + uniqueSize)
                    if uniqueSize >= 7 {
                        _ = take(3)  // passenger description, check-in source, issuance source
                        if let issue = take(4), let y = issue.first?.wholeNumberValue, let d = Int(issue.dropFirst()), (1...366).contains(d) {
                            pass.issueYearDigit = y
                            pass.issueDayOfYear = d
                        }
                    }
                    i = max(i, uniqueEnd)
                }
                if i + 2 <= variableEnd, let repeatedSize = Int(take(2) ?? "", radix: 16) {
                    let repeatedEnd = min(variableEnd, i + repeatedSize)
                    if repeatedSize >= 21 {
                        _ = take(3 + 10 + 1 + 1)  // airline numeric code, document number, selectee, document verification
                        let marketing = takeTrimmed(3)
                        _ = take(3)
                        let frequentFlyer = takeTrimmed(min(16, max(0, repeatedEnd - i)))
                        leg.marketingCarrier = marketing.isEmpty ? nil : marketing
                        leg.frequentFlyer = frequentFlyer.isEmpty ? nil : frequentFlyer
                    }
                    i = max(i, repeatedEnd)
                }
            }
            i = max(i, variableEnd)
            pass.legs.append(leg)
        }
        return pass
    }

    /// The flight's date: from the issue date when the pass has one, else the year that puts it nearest the context date.
    public func date(of leg: Leg, context: Date, calendar: Calendar) -> DateComponents {
        let contextYear = calendar.component(.year, from: context)
        var years: [Int] = [contextYear - 1, contextYear, contextYear + 1]
        // Without an issue date: a pass is for a flight from three months before the context date to nine after.
        let window = context.addingTimeInterval(-90 * 86400)..<context.addingTimeInterval(275 * 86400)
        if let digit = issueYearDigit, let issueDay = issueDayOfYear {
            // The issue year ends in `digit`: the latest such year not after the context year.
            var year = contextYear - ((contextYear % 10 - digit + 10) % 10)
            if year > contextYear { year -= 10 }
            years = [leg.dayOfYear >= issueDay ? year : year + 1]
        }
        let candidates = years.compactMap { year -> (Date, DateComponents)? in
            guard let jan1 = calendar.date(from: DateComponents(year: year, month: 1, day: 1)),
                let day = calendar.date(byAdding: .day, value: leg.dayOfYear - 1, to: jan1),
                calendar.component(.year, from: day) == year
            else { return nil }
            return (day, calendar.dateComponents([.year, .month, .day], from: day))
        }
        if issueYearDigit == nil, let inWindow = candidates.first(where: { window.contains($0.0) }) { return inWindow.1 }
        return candidates.min { abs($0.0.timeIntervalSince(context)) < abs($1.0.timeIntervalSince(context)) }?.1 ?? DateComponents()
    }
}
