import Foundation

/// A compiled regular expression shared by all extractions (NSRegularExpression is immutable once built).
/// A run of ASCII digits as a number, nil for anything else (or too long to be a date, a time or a flight number).
func asciiNumber(_ text: String?) -> Int? {
    guard let text, (1...9).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
    return Int(text)
}

struct Pattern: @unchecked Sendable {
    let regex: NSRegularExpression
    /// `\d` is made ASCII: ICU's matches every Unicode digit ("١٢:٣٠", "１２"), which `Int(_:)` then refuses.
    init(_ pattern: String, caseInsensitive: Bool = true) {
        regex = try! NSRegularExpression(
            pattern: pattern.replacingOccurrences(of: #"\d"#, with: "[0-9]"),
            options: caseInsensitive ? [.caseInsensitive] : [])
    }
    func matches(_ text: String) -> [NSTextCheckingResult] {
        regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }
    func first(_ text: String) -> NSTextCheckingResult? {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }
}

extension NSTextCheckingResult {
    func group(_ index: Int, in text: String) -> String? {
        let r = range(at: index)
        return r.location == NSNotFound ? nil : (text as NSString).substring(with: r)
    }
}

/// A calendar day as a document writes it; the year may be missing ("15 JUN", "12/03").
struct TextDate: Equatable {
    var year: Int?
    var month: Int
    var day: Int
}

/// A wall-clock time, with the "+1" day marker timetables print after an arrival.
struct TextTime: Equatable {
    var hour: Int
    var minute: Int
    var plusDays: Int = 0
}

/// Dates, times and cleaned-up values found in one line of a document.
enum TextScanner {
    // Months and weekdays in French, English and Portuguese, accents folded (lines are matched folded).
    static let months: [String: Int] = [
        "january": 1, "jan": 1, "janvier": 1, "janv": 1, "janeiro": 1,
        "february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2, "fevereiro": 2,
        "march": 3, "mar": 3, "mars": 3, "marco": 3,
        "april": 4, "apr": 4, "avril": 4, "avr": 4, "abril": 4, "abr": 4,
        "may": 5, "mai": 5, "maio": 5,
        "june": 6, "jun": 6, "juin": 6, "junho": 6,
        "july": 7, "jul": 7, "juillet": 7, "juil": 7, "julho": 7,
        "august": 8, "aug": 8, "aout": 8, "agosto": 8, "ago": 8,
        "september": 9, "sept": 9, "sep": 9, "septembre": 9, "setembro": 9, "set": 9,
        "october": 10, "oct": 10, "octobre": 10, "outubro": 10, "out": 10,
        "november": 11, "nov": 11, "novembre": 11, "novembro": 11,
        "december": 12, "dec": 12, "decembre": 12, "dezembro": 12, "dez": 12
    ]
    static let weekdays = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
        "segunda-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sabado", "domingo",
        "segunda", "terca", "quarta", "quinta", "sexta", "seg", "ter", "qua", "qui", "sex", "sab", "dom"
    ]

    private static let monthAlternation = months.keys.sorted { $0.count > $1.count }.joined(separator: "|")
    private static let isoDate = Pattern(#"\b(\d{4})-(\d{2})-(\d{2})\b"#)
    /// "14/07/2026", "14.07.26", and with dashes only with a four-digit year ("30-10-2026"; "10-12" stays a range).
    private static let numericDate = Pattern(
        #"(?<![\d.\-])(\d{1,2})(?:[./](\d{1,2})[./](\d{4}|\d{2})|-(\d{1,2})-(\d{4}))(?![\d.\-])"#)
    private static let dayMonth = Pattern(
        #"(?<![\d:])(\d{1,2})(?:er|st|nd|rd|th|º)?\s*(?:de\s+)?("# + monthAlternation
            + #")(?![a-z])\.?(?:,?\s*(?:de\s+)?(\d{4})(?!\d))?"#)
    private static let monthDay = Pattern(#"(?<![a-z])("# + monthAlternation + #")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{4})(?!\d))?"#)
    private static let clock = Pattern(#"(?<![\d:.,/])(\d{1,2})\s?[:h]\s?(\d{2})(?![\d])(?:\s?([ap])\.?\s?m\b\.?)?"#)
    private static let hourOnly = Pattern(#"(?<![\d:.,/])(\d{1,2})\s?(?:h(?![a-z0-9])|([ap])\.?m\b\.?)"#)
    private static let noon = Pattern(#"\b(midi|noon|midday|meio-dia|minuit|midnight|meia-noite)\b"#)
    private static let plusDay = Pattern(#"^\s*\(?\+\s?(\d)\)?"#)
    private static let weekday = Pattern(#"(?<![a-z])("# + weekdays.sorted { $0.count > $1.count }.joined(separator: "|") + #")(?![a-z])\.?,?"#)

    /// Lower-cased and accent-free, one character for one, so that ranges found in the folded line apply to the original.
    static func fold(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if ch.isASCII { out.append(ch.lowercased()); continue }
            let original = String(ch)
            let folded = original.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            let lower = original.lowercased()
            out += folded.utf16.count == original.utf16.count ? folded : lower.utf16.count == original.utf16.count ? lower : original
        }
        return out
    }

    struct Found<Value> { var value: Value; var range: NSRange }

    /// Every date in a folded line, left to right; overlapping readings keep the first found.
    static func dates(in folded: String) -> [Found<TextDate>] {
        var found: [Found<TextDate>] = []
        func add(_ date: TextDate, _ range: NSRange) {
            guard (1...12).contains(date.month), (1...31).contains(date.day),
                !found.contains(where: { NSIntersectionRange($0.range, range).length > 0 })
            else { return }
            found.append(Found(value: date, range: range))
        }
        for m in isoDate.matches(folded) {
            guard let month = asciiNumber(m.group(2, in: folded)), let day = asciiNumber(m.group(3, in: folded)) else { continue }
            add(TextDate(year: asciiNumber(m.group(1, in: folded)), month: month, day: day), m.range)
        }
        for m in numericDate.matches(folded) {
            guard var year = asciiNumber(m.group(3, in: folded) ?? m.group(5, in: folded)), let a = asciiNumber(m.group(1, in: folded)),
                let b = asciiNumber(m.group(2, in: folded) ?? m.group(4, in: folded))
            else { continue }
            if year < 100 { year += 2000 }
            // Day first, as in Europe and Brazil, unless the second number cannot be a month.
            add(b > 12 && a <= 12 ? TextDate(year: year, month: a, day: b) : TextDate(year: year, month: b, day: a), m.range)
        }
        for m in dayMonth.matches(folded) {
            guard let month = months[m.group(2, in: folded)!] else { continue }
            guard let day = asciiNumber(m.group(1, in: folded)) else { continue }
            add(TextDate(year: asciiNumber(m.group(3, in: folded)), month: month, day: day), m.range)
        }
        for m in monthDay.matches(folded) {
            guard let month = months[m.group(1, in: folded)!] else { continue }
            guard let day = asciiNumber(m.group(2, in: folded)) else { continue }
            add(TextDate(year: asciiNumber(m.group(3, in: folded)), month: month, day: day), m.range)
        }
        return found.sorted { $0.range.location < $1.range.location }
    }

    /// Every time of day in a folded line: "10:35", "12h55", "13 h 30", "7:41 PM", "3 PM", "15 h", "midi".
    static func times(in folded: String, excluding taken: [NSRange] = []) -> [Found<TextTime>] {
        var found: [Found<TextTime>] = []
        let ns = folded as NSString
        func add(_ hour: Int, _ minute: Int, _ meridiem: String?, _ range: NSRange) {
            var h = hour
            if let meridiem {
                guard (1...12).contains(hour) else { return }
                h = hour % 12 + (meridiem == "p" ? 12 : 0)
            }
            guard (0...23).contains(h), (0...59).contains(minute),
                !(found.map(\.range) + taken).contains(where: { NSIntersectionRange($0, range).length > 0 })
            else { return }
            var time = TextTime(hour: h, minute: minute)
            let afterStart = range.location + range.length
            let after = ns.substring(with: NSRange(location: afterStart, length: min(8, ns.length - afterStart)))
            if let plus = plusDay.first(after), let days = asciiNumber(plus.group(1, in: after)) {
                time.plusDays = days
                found.append(Found(value: time, range: NSRange(location: range.location, length: range.length + plus.range.length)))
            } else {
                found.append(Found(value: time, range: range))
            }
        }
        for m in clock.matches(folded) {
            guard let hour = asciiNumber(m.group(1, in: folded)), let minute = asciiNumber(m.group(2, in: folded)) else { continue }
            add(hour, minute, m.group(3, in: folded), m.range)
        }
        for m in hourOnly.matches(folded) {
            guard let hour = asciiNumber(m.group(1, in: folded)) else { continue }
            add(hour, 0, m.group(2, in: folded), m.range)
        }
        for m in noon.matches(folded) {
            add(["midi", "noon", "midday", "meio-dia"].contains(m.group(1, in: folded)!) ? 12 : 0, 0, nil, m.range)
        }
        return found.sorted { $0.range.location < $1.range.location }
    }

    static func weekdayRanges(in folded: String) -> [NSRange] { weekday.matches(folded).map(\.range) }

    // Words left around a place once its date and time are taken out: "Montréal (gare Centrale), le  à".
    private static let fillers: Set<String> = [
        "a", "as", "at", "on", "le", "la", "du", "de", "des", "da", "do", "em", "the", "from", "des",
        "partir", "until", "jusqu'a", "jusqu", "ate", "dès", "apres", "after", "before", "avant",
        "et", "and", "e", "to", "vers", "por", "par", "by", "le:", "h"
    ]
    private static let articles: Set<String> = ["the", "le", "la", "du", "da", "do", "des", "de"]
    private static let edgePunctuation = CharacterSet(charactersIn: " \t,;:|-–—/•*·>").union(.whitespaces)

    /// What remains of `text` once `ranges` are cut out: trimmed of connecting words, punctuation and empty brackets.
    static func remainder(of text: String, removing ranges: [NSRange]) -> String {
        let ns = NSMutableString(string: text)
        for r in ranges.sorted(by: { $0.location > $1.location }) where r.location + r.length <= ns.length {
            ns.replaceCharacters(in: r, with: "  ")
        }
        var s = (ns as String).replacingOccurrences(
            of: #"\((?:[^()a-zA-Z0-9]|\b(?:a|partir|de|des|dès|from|until|jusqu'à|até|às|as|a partir das)\b)*\)"#,
            with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        return trimFillers(s)
    }

    static func trimFillers(_ text: String) -> String {
        var words = text.components(separatedBy: " ").filter { !$0.isEmpty }
        func clean(_ w: String) -> String { fold(w).trimmingCharacters(in: edgePunctuation) }
        // Articles open names ("The Palms", "Le Germain"): only connecting words go at the start.
        while let first = words.first, clean(first).isEmpty || fillers.subtracting(articles).contains(clean(first)) { words.removeFirst() }
        while let last = words.last, clean(last).isEmpty || fillers.contains(clean(last)) { words.removeLast() }
        var s = words.joined(separator: " ")
        s = s.trimmingCharacters(in: edgePunctuation)
        // Balance a bracket opened but cut: "Sydney (SYD" never happens, "(YVR) 23:40 -" loses its dash above.
        if s.hasSuffix("(") { s.removeLast() }
        return s.trimmingCharacters(in: edgePunctuation)
    }

    // MARK: names

    private static let titles: Set<String> = [
        "m", "m.", "mme", "mme.", "mlle", "mlle.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mstr",
        "sr", "sr.", "sra", "sra.", "srta", "srta.", "dr", "dr.", "monsieur", "madame", "mister"
    ]

    static func startsWithTitle(_ text: String) -> Bool {
        guard let first = text.split(separator: " ").first else { return false }
        return titles.contains(fold(String(first)))
    }

    /// "M. Jean DUPONT" → "Jean DUPONT"; "SMITH/ANNA MS" → "ANNA SMITH"; "GARCIA, LUCIA" → "LUCIA GARCIA"; nil if it is not a name.
    static func personName(_ raw: String) -> String? {
        var text = raw
        // "2 adultes (Jean DUPONT)": the name in brackets.
        if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")"), text.first?.isNumber == true {
            text = String(text[text.index(after: open)..<close])
        }
        // A name ends where the layout puts a gap, a dash or a bracket.
        for stop in ["  ", " - ", " | ", "(", "\t", " / "] { if let r = text.range(of: stop) { text = String(text[..<r.lowerBound]) } }
        text = text.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters.subtracting(CharacterSet(charactersIn: "'"))))
        if text.contains("/") {
            let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            text = parts.count == 2 ? parts[1] + " " + parts[0] : text
        } else if text.filter({ $0 == "," }).count == 1 {
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].contains(" ") { text = parts[1] + " " + parts[0] }
        }
        var words = text.split(separator: " ").map(String.init).filter { !titles.contains(fold($0)) }
        words = words.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",;:")) }.filter { !$0.isEmpty }
        guard (1...6).contains(words.count), words.allSatisfy({ w in w.allSatisfy { $0.isLetter || "-'.".contains($0) } }),
            words.contains(where: { $0.count > 1 })
        else { return nil }
        return words.joined(separator: " ")
    }
}
