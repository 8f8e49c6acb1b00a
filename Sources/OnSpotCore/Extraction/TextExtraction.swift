import Foundation

/// The text layer of extraction: flights, stays, car rentals, transfers, trains, buses and activities read from a paste
/// in French, English or Portuguese, with no knowledge of who sent it. Flights are found by their flight numbers (and GDS
/// segment lines); the other services by the section they sit in and the labels of their fields.
enum TextExtraction {
    typealias Kind = TextLexicon.Kind
    typealias Field = TextLexicon.Field

    struct Line {
        let text: String
        let folded: String
        var isBlank: Bool { text.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    struct Document {
        let lines: [Line]
        let context: Date
        /// (line, value) of every booking reference, in order.
        let references: [(line: Int, value: String)]
        /// (line, name) of every labelled person, in order.
        let people: [(line: Int, name: String)]
        /// The lines opened by a flight number.
        var flightAnchors: [FlightAnchor] = []
    }

    static func extract(_ raw: String, context: Date) -> [JSONValue] {
        let lines = prepare(raw).map { Line(text: $0, folded: TextScanner.fold($0)) }
        var document = Document(lines: lines, context: context, references: references(in: lines), people: people(in: lines))
        document.flightAnchors = flightAnchors(in: document)
        let headings = self.headings(in: document)
        var results = flights(in: document, headings: headings)
        for section in sections(in: document, headings: headings) {
            if let reservation = reservation(kind: section.kind, lines: section.range, in: document) { results.append(reservation) }
        }
        return results
    }

    // MARK: preparing the text

    /// Lines of plain text: HTML reduced to its text, scripts and styles dropped, entities decoded, odd spaces and arrows unified.
    static func prepare(_ raw: String) -> [String] {
        var text = raw
        if text.unicodeScalars.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        // HTML read by its structure (rows, cells, blocks), not by patterns over its tags.
        if HTMLText.looksLikeHTML(text) { text = HTMLText.text(of: text) }
        if text.contains("=>") { text = text.replacingOccurrences(of: "=>", with: " -> ") }
        // Odd spaces, arrows, dashes and quotes unified in one pass over the scalars (twelve passes cost a sixth of the time).
        var unified = String.UnicodeScalarView()
        unified.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{00A0}", "\u{202F}", "\u{2009}": unified.append(" ")
            case "\t": unified.append(contentsOf: "    ".unicodeScalars)
            case "→", "⟶", "➔": unified.append(contentsOf: " -> ".unicodeScalars)
            case "–", "—": unified.append("-")
            case "’": unified.append("'")
            case "\u{200B}": continue
            default: unified.append(scalar)
            }
        }
        return String(unified).split(separator: "\n", omittingEmptySubsequences: false).map(String.init).flatMap(wrapped)
    }

    /// No confirmation writes a line of thousands of characters; one that does (minified text) is cut at spaces so that
    /// every line stays short enough to scan quickly.
    static func wrapped(_ line: String) -> [String] {
        guard line.utf16.count > 2_000 else { return [line] }
        var pieces: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if current.utf16.count + word.utf16.count > 1_000, !current.isEmpty { pieces.append(current); current = "" }
            current += current.isEmpty ? String(word.prefix(1_000)) : " " + word.prefix(1_000)
        }
        pieces.append(current)
        return pieces
    }

    // MARK: references and people

    private static let referenceLabel = Pattern(
        #"(?<![a-z])("#
            + TextLexicon.referenceLabels.sorted { $0.count > $1.count }
            .map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + #")(?![a-z])"#)
    private static let referenceValue = Pattern(
        #"^\s*(?:\([^)]{0,30}\))?\s*(?:(?:n°|nº|no|#|number|:|-|\.|is|est|é|es)\s*)*+(?:\*\*\s*)?(?:[A-Z]{2,10}\s*:\s*)?([A-Z0-9][A-Za-z0-9\-./]*[A-Za-z0-9])"#,
        caseInsensitive: false)

    /// A GDS record's header: "K4PT9W/7Q SAOGY", "3XK7PL/KC ATLWS" (the locator, the agent's sign, the office).
    private static let gdsHeader = Pattern(#"^\s*([A-Z0-9]{6})/[A-Z0-9]{2}\s+[A-Z]{3,}"#, caseInsensitive: false)

    static func references(in lines: [Line]) -> [(line: Int, value: String)] {
        var found: [(Int, String)] = []
        for (index, line) in lines.enumerated() {
            if let header = gdsHeader.first(line.text), let locator = header.group(1, in: line.text),
                locator.contains(where: \.isLetter), locator.contains(where: \.isNumber)
            {
                found.append((index, locator))
            }
            for label in referenceLabel.matches(line.folded) {
                var after = (line.text as NSString).substring(from: label.range.location + label.range.length)
                // A label alone on its line (a table cell flattened from a PDF or a page): its value is the next line.
                if after.trimmingCharacters(in: .whitespaces).isEmpty, line.folded.trimmingCharacters(in: .whitespaces).count == label.range.length,
                    let next = lines[(index + 1)...].prefix(2).first(where: { !$0.isBlank }),
                    !next.text.trimmingCharacters(in: .whitespaces).contains(" ")
                {
                    after = next.text
                }
                guard let match = referenceValue.first(after), var value = match.group(1, in: after) else { continue }
                // "DL/123456": the airline's prefix goes.
                if let slash = value.firstIndex(of: "/"), value[..<slash].count == 2 { value = String(value[value.index(after: slash)...]) }
                let hasDigit = value.contains(where: \.isNumber)
                let isLocator = value.count == 6 && value.allSatisfy { $0.isUppercase || $0.isNumber }
                guard value.count >= 4, value.count <= 24, hasDigit || isLocator, value.contains(where: { $0.isLetter || $0.isNumber }),
                    TextScanner.dates(in: TextScanner.fold(value)).isEmpty
                else { continue }
                if !found.contains(where: { $0.0 == index && $0.1 == value }) { found.append((index, value)) }
            }
        }
        return found
    }

    private static let personLabel = Pattern(
        #"(?<![a-z])("#
            + TextLexicon.personLabels.sorted { $0.count > $1.count }
            .map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + #")\s*(?:\d+\s*)?:\s*(.+)$"#)
    private static let gdsName = Pattern(
        #"(?:^|\s)\d{1,2}\.\d?\s?([A-Z][A-Z'\- ]*?)/([A-Z][A-Z'\-]*(?: [A-Z][A-Z'\-]*)*?)(?:\s(?:MR|MRS|MS|MISS|MSTR|CHD|INF|DR))?(?=\s{2,}|\*|$)"#,
        caseInsensitive: false)

    /// Person labels that head a column or a list ("Passenger", "PASSAGEIROS", "Prepared For"), names on the lines below.
    private static let loneLabels: Set<String> = [
        "passenger", "passengers", "passager", "passagers", "passager(s)", "passageiro", "passageiros", "traveller", "travellers",
        "traveler", "travelers", "voyageur", "voyageurs", "guest", "guests", "hospede", "hospedes", "passenger name", "passenger(s)",
        "nom du passager", "nome do passageiro", "passenger info", "passenger information", "prepared for", "informations passagers",
        "liste des passagers", "dados dos passageiros", "viajantes", "travel party"
    ]
    private static let enumerator = Pattern(#"^\s*\d{1,2}[.)]\s*"#)

    /// A name as lists write them: with a title, in capitals ("MARC LAURENT   SkyMiles…"), numbered ("1. CARLA MENDES
    /// RIBEIRO - Adulto"), or as GDS names ("HARRIS/OLIVIA MS"); a header cell ("Ticket number") is none.
    static func listedName(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        var numbered = false
        if let m = enumerator.first(text) {
            text = String(text.dropFirst(m.range.length))
            numbered = true
        }
        let head = text.components(separatedBy: "  ").first ?? text
        let letters = head.filter(\.isLetter)
        let capitals = !letters.isEmpty && letters.allSatisfy(\.isUppercase)
        guard TextScanner.startsWithTitle(text) || capitals || numbered || head.contains("/"), let name = TextScanner.personName(text),
            name.split(separator: " ").count >= 2
        else { return nil }
        return name
    }

    private static let gdsSharedSurname = Pattern(
        #"(?:^|\s)\d{1,2}\.([2-9])([A-Z][A-Z'\- ]*?)/([A-Z][A-Z'\- ]*(?:/[A-Z][A-Z'\- ]*)+?)(?=\s{2,}|\*|$)"#, caseInsensitive: false)

    static func people(in lines: [Line]) -> [(line: Int, name: String)] {
        var found: [(Int, String)] = []
        var seenNames = Set<String>()
        func add(_ index: Int, _ name: String) { if seenNames.insert(name).inserted { found.append((index, name)) } }
        var index = 0
        // Lines already read as names under a label are not read again (a paste of thousands of them stays linear), and
        // no booking has more travellers than a group's: past that, it is not a list of travellers.
        var resumeAt = 0
        while index < lines.count, found.count < maximumTravellers {
            defer { index = max(index + 1, resumeAt) }
            let line = lines[index]
            if let m = personLabel.first(line.folded) {
                let valueRange = m.range(at: 2)
                let value = (line.text as NSString).substring(with: valueRange)
                if let name = TextScanner.personName(value) {
                    add(index, name)
                    // Further travellers listed under the first, each with a title.
                    var next = index + 1
                    while next < lines.count, !lines[next].isBlank, lines[next].text.first?.isWhitespace == true,
                        let more = listedName(lines[next].text)
                    {
                        add(next, more)
                        next += 1
                    }
                    resumeAt = next
                }
            }
            // A label alone on its line, its travellers below among the table's other header cells, each with a title.
            if loneLabels.contains(line.folded.trimmingCharacters(in: .whitespaces)) {
                var next = index + 1
                var seen = 0
                var named = false
                while next < lines.count, seen < 8 {
                    if let name = listedName(lines[next].text) {
                        add(next, name)
                        named = true
                    } else if named {
                        break  // the list of names has ended
                    }
                    if !lines[next].isBlank { seen += 1 }
                    next += 1
                }
            }
            // "1.2TREMBLAY/ETIENNE MR/NATHALIE MRS": two travellers of one surname in one name field.
            var shared = false
            for m in gdsSharedSurname.matches(line.text) {
                guard let count = m.group(1, in: line.text).flatMap({ Int($0) }), count >= 2, let family = m.group(2, in: line.text),
                    let rest = m.group(3, in: line.text)
                else { continue }
                let givens = rest.split(separator: "/").map {
                    $0.replacingOccurrences(of: #"\s+(MR|MRS|MS|MISS|MSTR|CHD|INF|DR)$"#, with: "", options: .regularExpression)
                        .trimmingCharacters(in: .whitespaces)
                }
                guard givens.count == count, givens.allSatisfy({ !$0.isEmpty }) else { continue }
                for given in givens { add(index, given + " " + family.trimmingCharacters(in: .whitespaces)) }
                shared = true
            }
            if !shared {
                for m in gdsName.matches(line.text) {
                    let family = m.group(1, in: line.text)!.trimmingCharacters(in: .whitespaces)
                    let given = m.group(2, in: line.text)!.trimmingCharacters(in: .whitespaces)
                    add(index, given + " " + family)
                }
            }
        }
        return found
    }

    /// The most travellers read from one document (a group booking's size).
    static let maximumTravellers = 40

    /// The reference of a reservation read from `range`: one inside it, else the nearest before it, else the first of the paste.
    static func reference(for range: Range<Int>, in document: Document) -> String? {
        document.references.last(where: { range.contains($0.line) })?.value
            ?? document.references.last(where: { $0.line < range.lowerBound })?.value
            ?? document.references.first?.value
    }

    static func people(for range: Range<Int>, in document: Document) -> [String] {
        let inside = document.people.filter { range.contains($0.line) }.map(\.name)
        return inside.isEmpty ? document.people.map(\.name) : inside
    }

    // MARK: sections

    struct Heading { let line: Int; let kind: Kind }

    private static let coachNumber = Pattern(#"^\s*(voiture|car|coach|carro|vagao|carriage)\b[^a-z0-9]{0,14}\d{1,3}\b"#)

    /// Lines that open a service: the words before their colon (or the whole short line) name a kind of service.
    static func headings(in document: Document) -> [Heading] {
        var result: [Heading] = []
        for (index, line) in document.lines.enumerated() where !line.isBlank {
            let labelPart: String
            if let colon = line.folded.firstIndex(of: ":") { labelPart = String(line.folded[..<colon]) } else { labelPart = line.folded }
            guard labelPart.count <= 60 else { continue }
            guard let kind = dominantKind(in: labelPart, minimum: 1) else { continue }
            // "Voiture 14", "Voiture | Car : 4", "Coach 3": a train's coach, not a car rental.
            if kind == .car, coachNumber.first(line.folded) != nil { continue }
            result.append(Heading(line: index, kind: kind))
        }
        return result
    }

    private static let kindPatterns: [(Kind, Pattern)] = Kind.allCases.map { kind in
        (
            kind,
            Pattern(
                #"(?<![a-z])("# + TextLexicon.kindWords[kind]!.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + #")(?![a-z])"#)
        )
    }

    static func kindScores(in folded: String) -> [Kind: Int] {
        var scores: [Kind: Int] = [:]
        for (kind, pattern) in kindPatterns { scores[kind] = pattern.matches(folded).count }
        return scores
    }

    static func dominantKind(in folded: String, minimum: Int) -> Kind? {
        let scores = kindScores(in: folded)
        var best: (Kind, Int)?
        for kind in Kind.allCases { if let s = scores[kind], s >= minimum, s > (best?.1 ?? 0) { best = (kind, s) } }
        return best?.0
    }

    struct Section { let kind: Kind; let range: Range<Int> }

    /// The paste cut where a heading names another kind of service; the lines before the first heading join the first section.
    static func sections(in document: Document, headings: [Heading]) -> [Section] {
        let count = document.lines.count
        var cuts: [Heading] = []
        for heading in headings where cuts.last?.kind != heading.kind { cuts.append(heading) }
        if cuts.isEmpty {
            guard let kind = wholeKind(of: document) else { return [] }
            return kind == .flight ? [] : [Section(kind: kind, range: 0..<count)]
        }
        var sections: [Section] = []
        for (i, cut) in cuts.enumerated() {
            let start = i == 0 ? 0 : cut.line
            let end = i + 1 < cuts.count ? cuts[i + 1].line : count
            var kind = cut.kind
            // A single service under a generic heading ("Your tickets…" on a hotel voucher) is judged on its labels.
            if cuts.count == 1, let whole = wholeKind(of: document) { kind = whole }
            if kind != .flight { sections.append(Section(kind: kind, range: start..<end)) }
        }
        return sections
    }

    /// The kind of a paste with one service: its words, and the labels only that kind uses.
    static func wholeKind(of document: Document) -> Kind? {
        let folded = document.lines.map(\.folded).joined(separator: "\n")
        var scores = kindScores(in: folded)
        func has(_ kind: Kind, _ field: Field) -> Bool {
            document.lines.contains { line in !labelMatches(line.folded, kind: kind, field: field).isEmpty }
        }
        if has(.lodging, .start), has(.lodging, .end), folded.contains("check") { scores[.lodging, default: 0] += 2 }
        if has(.car, .start), has(.car, .end) { scores[.car, default: 0] += 1 }
        if !document.flightAnchors.isEmpty { scores[.flight, default: 0] += 3 }
        // A voucher with a pick-up and a drop-off is a transfer, even when it names the flight it meets.
        if has(.taxi, .start), has(.taxi, .dropoffPlace) { scores[.taxi, default: 0] += 4 }
        var best: (Kind, Int)?
        for kind in Kind.allCases { if let s = scores[kind], s > 0, s > (best?.1 ?? 0) { best = (kind, s) } }
        return best?.0
    }

    // MARK: labelled fields

    struct LabelMatch { let field: Field; let range: NSRange }

    /// One pattern per kind and field, compiled once.
    static let labelPatterns: [Kind: [Field: Pattern]] = TextLexicon.fieldLabels.mapValues { table in
        Dictionary(
            table.map { field, labels in
                (
                    field,
                    Pattern(
                        #"(?<![a-z\-])("#
                            + labels.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:))
                            .joined(separator: "|") + #")(?![a-z])(?:\s*\([^)]{0,20}\))?\s*(?:n°|nº|#)?\s*:?"#)
                )
            }, uniquingKeysWith: { a, _ in a })
    }

    static func labelMatches(_ folded: String, kind: Kind, field: Field) -> [NSRange] {
        labelPatterns[kind]?[field]?.matches(folded).map(\.range) ?? []
    }

    /// What a label says: a date, a time, and the words left (a place, a name).
    struct FieldValue {
        var date: TextDate?
        var time: TextTime?
        var text: String = ""
        var line: Int
    }

    /// Every labelled field in `range`, its value read up to the next label on the line, or from the following lines when the
    /// label stands alone.
    static func fields(kind: Kind, range: Range<Int>, in document: Document) -> [Field: FieldValue] {
        let table = TextLexicon.fieldLabels[kind] ?? []
        var result: [Field: FieldValue] = [:]
        var lastTimed: Field?
        let lines = document.lines
        func matches(in line: Line) -> [LabelMatch] {
            var all: [LabelMatch] = []
            for (field, _) in table {
                for r in labelMatches(line.folded, kind: kind, field: field)
                where !all.contains(where: { NSIntersectionRange($0.range, r).length > 0 }) {
                    all.append(LabelMatch(field: field, range: r))
                }
            }
            // A label is a label when it opens the line, follows a gap, or ends with a colon.
            return all.filter { m in
                let ns = line.folded as NSString
                let from = max(0, m.range.location - 4)
                let before = ns.substring(with: NSRange(location: from, length: m.range.location - from))
                let labelText = ns.substring(with: m.range)
                return (m.range.location == 0 || ns.substring(to: m.range.location).allSatisfy(\.isWhitespace)) || labelText.hasSuffix(":")
                    || before.hasSuffix("  ")
                    || before.hasSuffix("- ") || before.hasSuffix("/ ") || before.hasSuffix(", ")
            }.sorted { $0.range.location < $1.range.location }
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let line = lines[index]
            let found = matches(in: line)
            for (i, m) in found.enumerated() {
                let start = m.range.location + m.range.length
                let end = i + 1 < found.count ? found[i + 1].range.location : (line.text as NSString).length
                var value = read(line, from: start, to: end, index: index)
                // A label alone on its line takes the following lines, up to a blank line or another label.
                if value.date == nil && value.text.isEmpty || (value.text.isEmpty && [.start, .end].contains(m.field) && i + 1 == found.count) {
                    var next = index + 1
                    while next < range.upperBound, next <= index + 3, !lines[next].isBlank, matches(in: lines[next]).isEmpty {
                        let more = read(lines[next], from: 0, to: (lines[next].text as NSString).length, index: next)
                        if value.date == nil { value.date = more.date }
                        if value.time == nil { value.time = more.time }
                        if value.text.isEmpty, more.date == nil || !more.text.isEmpty { value.text = more.text }
                        next += 1
                    }
                }
                merge(value, into: m.field, &result, lastTimed: &lastTimed)
            }
            index += 1
        }
        return result
    }

    private static func merge(_ value: FieldValue, into field: Field, _ result: inout [Field: FieldValue], lastTimed: inout Field?) {
        // A place on its own line ("Lieu :", "Loja:") belongs to the pick-up or return just above that has none.
        if field == .place, let timed = lastTimed, result[timed]?.text.isEmpty == true, !value.text.isEmpty {
            result[timed]!.text = value.text
            return
        }
        if [.start, .end].contains(field), value.date != nil || value.time != nil { lastTimed = field }
        if var existing = result[field] {
            if existing.date == nil { existing.date = value.date }
            if existing.time == nil { existing.time = value.time }
            if existing.text.isEmpty, !value.text.isEmpty { existing.text = value.text; existing.line = value.line }
            result[field] = existing
        } else {
            result[field] = value
        }
    }

    static func read(_ line: Line, from start: Int, to end: Int, index: Int) -> FieldValue {
        let length = max(0, end - start)
        let text = (line.text as NSString).substring(with: NSRange(location: start, length: length))
        let folded = (line.folded as NSString).substring(with: NSRange(location: start, length: length))
        let dates = TextScanner.dates(in: folded)
        let times = TextScanner.times(in: folded, excluding: dates.map(\.range))
        let cut = dates.map(\.range) + times.map(\.range) + TextScanner.weekdayRanges(in: folded)
        return FieldValue(date: dates.first?.value, time: times.first?.value, text: TextScanner.remainder(of: text, removing: cut), line: index)
    }

    // MARK: dates and zones

    /// The year of a date that has none: within three months before to nine after the context date, or on or after `notBefore`.
    static func resolve(_ date: TextDate, context: Date, notBefore: DateComponents? = nil) -> DateComponents {
        if let year = date.year { return DateComponents(year: year, month: date.month, day: date.day) }
        let utc = utcCalendar
        let contextYear = utc.component(.year, from: context)
        let candidates = [contextYear - 1, contextYear, contextYear + 1].compactMap { year -> (Date, DateComponents)? in
            let c = DateComponents(year: year, month: date.month, day: date.day, hour: 12)
            guard c.isValidDate(in: utc), let d = utc.date(from: c) else { return nil }
            return (d, DateComponents(year: year, month: date.month, day: date.day))
        }
        if let notBefore, let floor = utc.date(from: DateComponents(year: notBefore.year, month: notBefore.month, day: notBefore.day, hour: 0)) {
            if let next = candidates.first(where: { $0.0 >= floor }) { return next.1 }
        }
        let window = context.addingTimeInterval(-90 * 86400)..<context.addingTimeInterval(275 * 86400)
        return
            (candidates.first { window.contains($0.0) }
            ?? candidates.min { abs($0.0.timeIntervalSince(context)) < abs($1.0.timeIntervalSince(context)) })?.1
            ?? DateComponents(year: contextYear, month: date.month, day: date.day)
    }

    static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func adding(days: Int, to day: DateComponents) -> DateComponents {
        guard days != 0, let d = utcCalendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)),
            let moved = utcCalendar.date(byAdding: .day, value: days, to: d)
        else { return day }
        return utcCalendar.dateComponents([.year, .month, .day], from: moved)
    }

    /// The instant of a wall-clock time in a zone.
    static func instant(_ day: DateComponents, _ time: TextTime, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute))
    }

    /// "2026-07-14T10:35:00-04:00"; without a zone, the local time alone; without a time, the day alone.
    static func iso(_ day: DateComponents, _ time: TextTime?, zone: TimeZone?) -> String {
        let dayText = String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
        guard let time else { return dayText }
        let local = dayText + String(format: "T%02d:%02d:00", time.hour, time.minute)
        guard let zone, let moment = instant(day, time, in: zone) else { return local }
        let offset = zone.secondsFromGMT(for: moment)
        let sign = offset < 0 ? "-" : "+"
        return local + String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    private static let codeInBrackets = Pattern(#"\(([A-Z]{3})\)"#, caseInsensitive: false)

    /// Known airports named by their code in brackets ("Miami (MIA)"), with where each code stands in the text.
    static func bracketedAirports(in text: String) -> [(location: Int, airport: Airport)] {
        codeInBrackets.matches(text).compactMap { m in
            ReferenceData.airports[m.group(1, in: text)!].map { (m.range.location, $0) }
        }
    }
    private static let regionCode = Pattern(#"(?<![A-Za-z])([A-Z]{2,3})(?![A-Za-z])"#, caseInsensitive: false)

    /// Airports' cities that name one zone only.
    static let airportCityZones: [String: String] = {
        var zones: [String: Set<String>] = [:]
        for airport in ReferenceData.airports.values where !airport.city.isEmpty {
            zones[TextScanner.fold(airport.city), default: []].insert(airport.timeZone)
        }
        return zones.compactMapValues { $0.count == 1 ? $0.first : nil }
    }()

    /// The zone of a place: an airport code in brackets, a known city, a state or province code, a country.
    static func zone(of texts: [String]) -> TimeZone? {
        for text in texts {
            if let first = bracketedAirports(in: text).first { return first.airport.zone }
        }
        for text in texts {
            let words = TextScanner.fold(text).components(separatedBy: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-'")).inverted)
                .filter { !$0.isEmpty }
            for n in stride(from: 3, through: 1, by: -1) where words.count >= n {
                for i in 0...(words.count - n) {
                    let phrase = words[i..<(i + n)].joined(separator: " ")
                    if let zone = TextLexicon.cityZones[phrase] { return TimeZones.named(zone) }
                }
            }
        }
        for text in texts {
            for part in text.components(separatedBy: ",") {
                let cleaned = TextScanner.fold(part).trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                if let zone = airportCityZones[cleaned] { return TimeZones.named(zone) }
            }
            for m in regionCode.matches(text) {
                if let zone = TextLexicon.regionZones[m.group(1, in: text)!] { return TimeZones.named(zone) }
            }
            let folded = TextScanner.fold(text)
            for (country, zone) in TextLexicon.countryZones where folded.contains(country) { return TimeZones.named(zone) }
        }
        return nil
    }

    // MARK: places and addresses

    private static let streetNumber = Pattern(#"^\s*\d+[a-z]?\b"#)
    /// "26700 SW 8th St", "1 Spence Street", "Rua Cosme Velho": a number and words (not the "80 - Ipanema" of a Brazilian
    /// street's number), or a street word.
    private static let streetStart = Pattern(
        #"^\s*(\d+[a-z]?\s+[a-z]|(rua|av\.|avenida|rue|avenue|boulevard|bd|calle|travessa|alameda|estrada|rodovia)\s)"#)
    private static let postalCode = Pattern(#"\b(\d{4,5}(-\d{3})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b"#, caseInsensitive: false)

    /// "Everglades Safari Park, 26700 SW 8th St, Miami, FL 33194" → the place's name, and its address when one follows.
    static func splitPlace(_ text: String) -> (name: String, address: String?) {
        let parts = text.components(separatedBy: ", ")
        for i in 1..<max(parts.count, 1) where streetStart.first(parts[i]) != nil {
            return (parts[..<i].joined(separator: ", "), parts[i...].joined(separator: ", "))
        }
        return (text, nil)
    }

    /// Street and locality of an address as agents paste it, in the French, North American, Australian or Brazilian layout.
    static func parseAddress(_ text: String) -> (street: String?, locality: String?) {
        var parts = text.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return (nil, nil) }
        var street = parts.removeFirst()
        if street.allSatisfy(\.isNumber), !parts.isEmpty {
            street += ", " + parts.removeFirst()
        }  // "2050, rue Mansfield"
        else if let next = parts.first, let m = streetNumber.first(next) {  // "Av. Vieira Souto, 80 - Ipanema"
            street += ", " + (next as NSString).substring(with: m.range).trimmingCharacters(in: .whitespaces)
            parts.removeFirst()
        }
        for part in parts {
            var candidate = part
            if let dash = candidate.range(of: " - ") { candidate = String(candidate[..<dash.lowerBound]) }  // "Salvador - BA"
            candidate = candidate.replacingOccurrences(of: #"\([^)]*\)"#, with: " ", options: .regularExpression)
            candidate = postalCode.regex.stringByReplacingMatches(
                in: candidate, range: NSRange(location: 0, length: (candidate as NSString).length), withTemplate: " ")
            candidate = candidate.replacingOccurrences(of: #"(?<![A-Za-z])[A-Z]{2,3}(?![A-Za-z])"#, with: " ", options: .regularExpression)
            candidate = candidate.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression).trimmingCharacters(in: .whitespaces)
            if !candidate.isEmpty, !candidate.contains(where: \.isNumber) { return (street, candidate) }
        }
        return (street, nil)
    }
}
