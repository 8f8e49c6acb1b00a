import Foundation

/// An email as saved to a file (`.eml`, RFC 5322 with MIME): headers unfolded and their encoded words decoded (RFC 2047),
/// multipart bodies walked (RFC 2046), quoted-printable and base64 undone, charsets decoded. Written here rather than
/// taken from a library because no maintained MIME package is available to this project; it reads what mail programs
/// save, and is bounded (depth, parts, sizes) so that a hostile file costs little.
public struct EmailMessage: Sendable {
    public struct Part: Sendable {
        public var headers: [(name: String, value: String)]
        /// The content type's type/subtype, lower-cased ("text/plain" when none is given).
        public var mediaType: String
        public var parameters: [String: String]
        /// The body with its transfer encoding undone, still in its charset.
        public var body: Data

        public func header(_ name: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }

        /// The body decoded from its charset; unknown or wrong charsets fall back to UTF-8, then Latin-1 (which never fails).
        public var text: String { EmailMessage.decode(body, charset: parameters["charset"]) }
    }

    public enum ParseError: Error, Equatable, Sendable { case notAnEmail, tooDeep }

    public var headers: [(name: String, value: String)]
    /// The leaves of the message, in order (a single-part message is one leaf).
    public var parts: [Part]

    static let maximumDepth = 8
    static let maximumParts = 200

    public func header(_ name: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }

    /// The sender's address, as `From` gives it ("Iberia <confirmacion@iberia.com>" → "confirmacion@iberia.com").
    public var fromAddress: String? {
        guard let from = header("From") else { return nil }
        if let open = from.lastIndex(of: "<"), let close = from[open...].firstIndex(of: ">") {
            return String(from[from.index(after: open)..<close]).trimmingCharacters(in: .whitespaces).nilIfBlank
        }
        return from.trimmingCharacters(in: .whitespaces).nilIfBlank
    }

    /// The day the email was sent (RFC 5322 `Date`), from which the years of its dates are inferred.
    public var sentAt: Date? {
        guard let raw = header("Date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        // Comments such as "(UTC)" are dropped; the weekday is optional.
        let cleaned = raw.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
        for format in ["EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z", "d MMM yyyy HH:mm Z"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: cleaned) { return date }
        }
        return nil
    }

    /// What extraction reads: the HTML part when it carries schema.org markup or when there is no plain part (the text
    /// layer keeps its table rows as lines), else the plain part; forwarded messages and text attachments follow.
    public var readableText: String {
        let texts = parts.filter { $0.mediaType.hasPrefix("text/") && $0.header("Content-Disposition")?.lowercased().hasPrefix("attachment") != true }
        let plain = texts.filter { $0.mediaType == "text/plain" }.map(\.text)
        let html = texts.filter { $0.mediaType == "text/html" }.map(\.text)
        let structured = html.contains { $0.range(of: "application/ld+json", options: .caseInsensitive) != nil || $0.contains("itemscope") }
        var chosen = (structured || plain.isEmpty) ? html : plain
        if chosen.isEmpty { chosen = texts.map(\.text) }
        let attachments = parts.filter {
            $0.mediaType == "text/plain" && $0.header("Content-Disposition")?.lowercased().hasPrefix("attachment") == true
        }
        return (chosen + attachments.map(\.text)).joined(separator: "\n\n")
    }

    /// Parses a saved email; `notAnEmail` when the file does not start with header lines.
    public static func parse(_ data: Data) throws -> EmailMessage {
        let (headers, body) = try split(data)
        guard !headers.isEmpty,
            headers.contains(where: { ["from", "subject", "date", "mime-version", "received", "to", "message-id"].contains($0.name.lowercased()) })
        else { throw ParseError.notAnEmail }
        var leaves: [Part] = []
        var visited = 0
        try walk(headers: headers, body: body, depth: 0, visited: &visited, into: &leaves)
        return EmailMessage(headers: headers, parts: leaves)
    }

    // MARK: structure

    /// Header lines (unfolded) and the body after the first empty line.
    static func split(_ data: Data) throws -> ([(name: String, value: String)], Data) {
        let bytes = [UInt8](data)
        // A part that starts with an empty line has no headers (RFC 2046 5.1: it is text/plain).
        if bytes.first == 0x0A { return ([], Data(bytes.dropFirst())) }
        if bytes.starts(with: [0x0D, 0x0A]) { return ([], Data(bytes.dropFirst(2))) }
        var end = bytes.count
        var bodyStart = bytes.count
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                // "\n\n" or "\n\r\n" ends the headers.
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { end = i; bodyStart = i + 2; break }
                if i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A { end = i; bodyStart = i + 3; break }
            }
            i += 1
        }
        let headerText = decodeHeaderBytes(Data(bytes[0..<end]))
        var headers: [(name: String, value: String)] = []
        // "\r\n" is one Character in Swift: normalise before splitting.
        for rawLine in headerText.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
            if let first = line.first, first == " " || first == "\t" {
                guard !headers.isEmpty else { throw ParseError.notAnEmail }
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                guard !name.isEmpty, name.count <= 76, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { throw ParseError.notAnEmail }
                headers.append((name, String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ParseError.notAnEmail
            }
        }
        guard !headers.isEmpty else { throw ParseError.notAnEmail }
        headers = headers.map { ($0.name, decodeEncodedWords($0.value)) }
        return (headers, bodyStart < bytes.count ? Data(bytes[bodyStart...]) : Data())
    }

    static func walk(headers: [(name: String, value: String)], body: Data, depth: Int, visited: inout Int, into leaves: inout [Part]) throws {
        guard depth <= maximumDepth else { throw ParseError.tooDeep }
        // Every part counts, containers too: empty multiparts cost as much to walk as leaves.
        visited += 1
        guard leaves.count < maximumParts, visited <= 4 * maximumParts else { return }
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? "text/plain"
        let (mediaType, parameters) = parseContentType(contentType)
        let encoding = headers.first { $0.name.lowercased() == "content-transfer-encoding" }?.value.lowercased()
            .trimmingCharacters(in: .whitespaces)
        if mediaType.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty {
            for piece in multipartPieces(body, boundary: boundary) {
                guard let (partHeaders, partBody) = try? split(piece) else {
                    // What is not headers is a text/plain body (RFC 2046 5.1).
                    if leaves.count < maximumParts { leaves.append(Part(headers: [], mediaType: "text/plain", parameters: [:], body: piece)) }
                    continue
                }
                try walk(headers: partHeaders, body: partBody, depth: depth + 1, visited: &visited, into: &leaves)
            }
            return
        }
        let decoded = transferDecoded(body, encoding: encoding)
        if mediaType == "message/rfc822", let (innerHeaders, innerBody) = try? split(decoded) {
            try walk(headers: innerHeaders, body: innerBody, depth: depth + 1, visited: &visited, into: &leaves)
            return
        }
        leaves.append(Part(headers: headers, mediaType: mediaType, parameters: parameters, body: decoded))
    }

    /// "text/html; charset="utf-8"" → ("text/html", ["charset": "utf-8"]).
    static func parseContentType(_ value: String) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for c in value {
            if c == "\"" { quoted.toggle(); continue }
            if c == ";", !quoted { pieces.append(current); current = ""; continue }
            current.append(c)
        }
        pieces.append(current)
        let mediaType = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            parameters[name] = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        return (mediaType.isEmpty ? "text/plain" : mediaType, parameters)
    }

    /// The bodies between `--boundary` lines, up to `--boundary--`.
    static func multipartPieces(_ body: Data, boundary: String) -> [Data] {
        let bytes = [UInt8](body)
        let delimiter = [UInt8](("--" + boundary).utf8)
        var starts: [(lineStart: Int, contentStart: Int, closing: Bool)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if lineEnd - lineStart >= delimiter.count, Array(bytes[lineStart..<(lineStart + delimiter.count)]) == delimiter {
                let rest = bytes[(lineStart + delimiter.count)..<lineEnd]
                let closing = rest.starts(with: [0x2D, 0x2D])
                let onlySpace = rest.dropFirst(closing ? 2 : 0).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                if onlySpace { starts.append((lineStart, min(lineEnd + 1, bytes.count), closing)) }
                if closing, onlySpace { break }
            }
            lineStart = lineEnd + 1
        }
        var pieces: [Data] = []
        for (index, start) in starts.enumerated() where !start.closing {
            var end = index + 1 < starts.count ? starts[index + 1].lineStart : bytes.count
            // The line break before a delimiter belongs to the delimiter.
            if end > start.contentStart, bytes[end - 1] == 0x0A { end -= 1 }
            if end > start.contentStart, bytes[end - 1] == 0x0D { end -= 1 }
            pieces.append(end > start.contentStart ? Data(bytes[start.contentStart..<end]) : Data())
            if pieces.count >= maximumParts { break }
        }
        return pieces
    }

    // MARK: encodings

    static func transferDecoded(_ body: Data, encoding: String?) -> Data {
        switch encoding {
        case "base64":
            // The alphabet's bytes only: line breaks, spaces and stray bytes dropped.
            var compact = body.filter {
                (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2F
            }
            compact.append(contentsOf: [UInt8](repeating: 0x3D, count: (4 - compact.count % 4) % 4))
            return Data(base64Encoded: compact) ?? body
        case "quoted-printable": return quotedPrintableDecoded([UInt8](body), underscoreIsSpace: false)
        default: return body
        }
    }

    static func quotedPrintableDecoded(_ bytes: [UInt8], underscoreIsSpace: Bool) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x3D {  // "="
                if i + 1 < bytes.count {
                    // Soft line break: "=\n" or "=\r\n".
                    if bytes[i + 1] == 0x0A { i += 2; continue }
                    if bytes[i + 1] == 0x0D, i + 2 < bytes.count, bytes[i + 2] == 0x0A { i += 3; continue }
                    if i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                        out.append(high << 4 | low)
                        i += 3
                        continue
                    }
                }
                out.append(b)
                i += 1
            } else if b == 0x5F, underscoreIsSpace {
                out.append(0x20)
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return Data(out)
    }

    /// "=?UTF-8?B?...?=" and "=?iso-8859-1?Q?...?=" decoded; the space between two encoded words is dropped (RFC 2047 6.2).
    static func decodeEncodedWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let pattern = #"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?="#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return value }
        let ns = value as NSString
        var result = ""
        var cursor = 0
        var lastWasEncoded = false
        for match in regex.matches(in: value, range: NSRange(location: 0, length: ns.length)) {
            let between = ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            if !(lastWasEncoded && between.trimmingCharacters(in: .whitespaces).isEmpty) { result += between }
            let charset = ns.substring(with: match.range(at: 1)).split(separator: "*").first.map(String.init)
            let payload = ns.substring(with: match.range(at: 3))
            let bytes: Data?
            if ns.substring(with: match.range(at: 2)).uppercased() == "B" {
                bytes = Data(base64Encoded: payload + String(repeating: "=", count: (4 - payload.count % 4) % 4))
            } else {
                bytes = quotedPrintableDecoded([UInt8](payload.utf8), underscoreIsSpace: true)
            }
            if let bytes { result += decode(bytes, charset: charset) } else { result += ns.substring(with: match.range) }
            cursor = match.range.location + match.range.length
            lastWasEncoded = true
        }
        result += ns.substring(from: cursor)
        return result
    }

    /// Header bytes: UTF-8 when they are, else Latin-1 (8-bit headers written by old mailers).
    static func decodeHeaderBytes(_ data: Data) -> String {
        String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
    }

    /// Bytes in a named charset. Windows-1252 is what "iso-8859-1" mail usually is, so Latin-1 names decode as 1252.
    public static func decode(_ data: Data, charset: String?) -> String {
        let name = (charset ?? "utf-8").lowercased().trimmingCharacters(in: .whitespaces)
        let encoding: String.Encoding? =
            switch name {
            case "utf-8", "utf8", "us-ascii", "ascii": .utf8
            case "iso-8859-1", "latin1", "iso8859-1", "iso-8859-15", "windows-1252", "cp1252": .windowsCP1252
            case "iso-8859-2", "latin2": .isoLatin2
            case "windows-1250": .windowsCP1250
            case "utf-16": .utf16
            case "utf-16le": .utf16LittleEndian
            case "utf-16be": .utf16BigEndian
            default: nil
            }
        if let encoding, let text = String(data: data, encoding: encoding) { return text }
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(data: data, encoding: .isoLatin1) ?? ""
    }
}
