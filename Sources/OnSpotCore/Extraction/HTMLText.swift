import Foundation

/// An HTML page or email as the text a reader sees, its structure taken from the markup: each table row on a line with
/// its cells apart (two spaces, or a label cell and its value as "label: value"), block elements and `<br>` as line
/// breaks, list items as lines, scripts, styles, comments and head left out, character references decoded. A tokenizer
/// of its own (no HTML parser is available to this package); it never fails: whatever is not a tag is text.
public enum HTMLText {
    /// Elements that end a line.
    static let blocks: Set<String> = [
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead", "tfoot", "section", "article",
        "header", "footer", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "address", "center", "form", "fieldset", "main", "nav"
    ]
    /// Elements whose content is not text a reader sees.
    static let hidden: Set<String> = ["script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"]

    /// Whether a text is HTML rather than text mentioning a tag.
    public static func looksLikeHTML(_ text: String) -> Bool {
        text.range(of: #"<(html|body|table|div|p|br|td|span)\b"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    public static func text(of html: String) -> String {
        var output = ""
        var line = ""
        var cells: [String] = []
        var inCell = false
        var hiddenDepth: [String] = []
        var scalars = Array(html.unicodeScalars)
        if scalars.count > 4_000_000 { scalars = Array(scalars.prefix(4_000_000)) }
        var i = 0

        func clean(_ s: String) -> String { s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        func flushLine() {
            if inCell { endCell() }
            let row = cells.filter { !$0.isEmpty }
            let lead = clean(line)
            var text = lead
            if !row.isEmpty {
                // A label cell and its value ("Check-in" | "Thursday…"): a labelled line, as the text layer reads them.
                let labelled = row.count == 2 && row[0].count <= 40 && !row[0].contains(where: \.isNumber)
                let body = labelled ? row[0] + (row[0].hasSuffix(":") ? " " : " : ") + row[1] : row.joined(separator: "  ")
                text = lead.isEmpty ? body : lead + "  " + body
            }
            if !text.isEmpty {
                output += text + "\n"
            } else if !output.isEmpty, !output.hasSuffix("\n\n") {
                output += "\n"
            }
            line = ""
            cells = []
        }
        func endCell() {
            cells.append(clean(line))
            line = ""
            inCell = false
        }
        func append(_ text: String) {
            guard hiddenDepth.isEmpty else { return }
            for scalar in text.unicodeScalars {
                if scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == "\u{A0}" {
                    line.append(" ")
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }

        var textRun = ""
        while i < scalars.count {
            let c = scalars[i]
            if c == "<" {
                // A comment, a declaration, or a tag; anything else is a "<" in the text.
                if i + 3 < scalars.count, scalars[i + 1] == "!", scalars[i + 2] == "-", scalars[i + 3] == "-" {
                    append(decode(textRun))
                    textRun = ""
                    var j = i + 4
                    while j + 2 < scalars.count, !(scalars[j] == "-" && scalars[j + 1] == "-" && scalars[j + 2] == ">") { j += 1 }
                    i = min(scalars.count, j + 3)
                    continue
                }
                guard i + 1 < scalars.count, scalars[i + 1].properties.isAlphabetic || scalars[i + 1] == "/" || scalars[i + 1] == "!"
                else {
                    textRun.unicodeScalars.append(c)
                    i += 1
                    continue
                }
                // The tag runs to the next ">" outside quoted attribute values (a quote opens one only after "="), within
                // a bound: a "<" with no ">" near it is text.
                var j = i + 1
                var quote: Unicode.Scalar?
                let limit = min(scalars.count, i + maximumTagLength)
                while j < limit {
                    let s = scalars[j]
                    if let q = quote {
                        if s == q { quote = nil }
                    } else if (s == "\"" || s == "'"), j > i + 1,
                        scalars[j - 1] == "=" || (scalars[j - 1] == " " && j > i + 2 && scalars[j - 2] == "=")
                    {
                        quote = s
                    } else if s == ">" {
                        break
                    }
                    j += 1
                }
                guard j < limit else {
                    textRun.unicodeScalars.append(c)
                    i += 1
                    continue
                }
                var tag = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
                i = min(scalars.count, j + 1)
                append(decode(textRun))
                textRun = ""
                let closing = tag.hasPrefix("/")
                if closing { tag.removeFirst() }
                let name = String(tag.prefix { $0.isLetter || $0.isNumber }).lowercased()
                guard !name.isEmpty else { continue }
                // The body ends a head left open (its end tag is optional).
                if name == "body", !closing { hiddenDepth.removeAll { $0 == "head" || $0 == "title" } }
                if hidden.contains(name) {
                    if closing {
                        if let k = hiddenDepth.lastIndex(of: name) { hiddenDepth.removeSubrange(k...) }
                    } else if !tag.hasSuffix("/"), hiddenDepth.count < 64 {
                        hiddenDepth.append(name)
                        // Raw text elements: their content runs to their own end tag, "<" and all.
                        if name == "script" || name == "style" { i = endOfRawText(name, in: scalars, from: i) }
                    }
                    continue
                }
                guard hiddenDepth.isEmpty else { continue }
                switch name {
                case "td", "th":
                    if closing {
                        if inCell { endCell() }
                    } else {
                        if inCell { endCell() }
                        if !line.trimmingCharacters(in: .whitespaces).isEmpty, cells.isEmpty {
                            // Text before the first cell of a row belongs to a line of its own.
                            output += clean(line) + "\n"
                        }
                        line = ""
                        inCell = true
                    }
                case "tr":
                    flushLine()
                case "li":
                    flushLine()
                    if !closing { line = "- " }
                default:
                    if blocks.contains(name) {
                        if inCell {
                            line += " "
                        } else {
                            flushLine()
                        }
                    } else if name == "img" {
                        // An image's text stands for it ("alt").
                        if let alt = attribute("alt", in: tag) { append(" " + alt + " ") }
                    }
                }
                continue
            }
            textRun.unicodeScalars.append(c)
            i += 1
        }
        append(decode(textRun))
        flushLine()
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A tag longer than this is no tag (the longest real ones, with inline styles, are a few hundred characters).
    static let maximumTagLength = 4_000

    /// Where `</script` (or `</style`) starts, case aside, compared in place.
    static func endOfRawText(_ name: String, in scalars: [Unicode.Scalar], from start: Int) -> Int {
        let end = Array("</\(name)".unicodeScalars)
        var k = start
        while k + end.count <= scalars.count {
            var matches = true
            for (offset, expected) in end.enumerated() {
                let actual = scalars[k + offset]
                let lowered = (0x41...0x5A).contains(actual.value) ? Unicode.Scalar(actual.value + 0x20) ?? actual : actual
                if lowered != expected {
                    matches = false
                    break
                }
            }
            if matches { return k }
            k += 1
        }
        return scalars.count
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: #"\b\#(name)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#, options: [.regularExpression, .caseInsensitive]) else {
            return nil
        }
        let value = tag[range].split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        return decode(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")))
    }

    static let entities: [String: String] = [
        "nbsp": "\u{A0}", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "eacute": "é", "egrave": "è", "ecirc": "ê",
        "euml": "ë", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã", "auml": "ä", "ccedil": "ç", "iacute": "í", "icirc": "î",
        "iuml": "ï", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "uacute": "ú", "ugrave": "ù", "ucirc": "û", "uuml": "ü",
        "ntilde": "ñ", "Eacute": "É", "Egrave": "È", "Agrave": "À", "Aacute": "Á", "Ccedil": "Ç", "Oacute": "Ó", "Uacute": "Ú",
        "Atilde": "Ã", "Otilde": "Õ", "ndash": "–", "mdash": "—", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "hellip": "…",
        "euro": "€", "deg": "°", "middot": "·", "rarr": "→", "bull": "•", "copy": "©", "reg": "®", "trade": "™", "ordm": "º", "ordf": "ª",
        "laquo": "«", "raquo": "»", "times": "×", "shy": ""
    ]

    /// Named and numeric character references; an unknown or broken one stays as written.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let name = String(after[..<semicolon])
            var decoded: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                decoded = entities[name]
            }
            if let decoded, decoded != "\u{0}" {
                result += decoded
                rest = after[after.index(after: semicolon)...]
            } else {
                result += "&"
                rest = after
            }
        }
        result += rest
        return result
    }
}
