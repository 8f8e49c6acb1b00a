import Foundation

/// What a confirmation file is, told from its first bytes, never from its name or the type its sender claims: a PDF, a
/// saved email, an Apple Wallet pass, an image of a boarding pass, or plain text (a saved page or a .txt).
public enum DocumentFileKind: String, Codable, Sendable, CaseIterable {
    case text, pdf, email
    case walletPass = "wallet_pass"
    case image

    /// The media type the file is kept and served with.
    public func mediaType(of data: Data) -> String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .pdf: "application/pdf"
        case .email: "message/rfc822"
        case .walletPass: "application/vnd.apple.pkpass"
        case .image: DocumentFile.imageType(data) ?? "application/octet-stream"
        }
    }

    /// The L10n key naming the kind to a user ("PDF", "email", ...).
    public var labelKey: String { "document.kind.\(rawValue)" }
}

/// Why a file was not taken; each has a message in the three languages (`messageKey`).
public enum DocumentFileRefusal: Error, Equatable, Sendable {
    case empty
    case tooLarge
    case unsupported
    /// Damaged, password-protected, or a zip without `pass.json`.
    case unreadable
    /// A PDF with no text layer (a scan), an image with no barcode.
    case nothingRead
    case textTooLong
    /// The server lacks the program that reads this kind (poppler, zxing): an operator's matter, said as such.
    case readerMissing

    public var messageKey: String {
        switch self {
        case .empty: "document.file.empty"
        case .tooLarge: "document.file.too_large"
        case .unsupported: "document.file.unsupported"
        case .unreadable: "document.file.unreadable"
        case .nothingRead: "document.file.nothing_read"
        case .textTooLong: "document.file.text_too_long"
        case .readerMissing: "document.file.reader_missing"
        }
    }
}

public enum DocumentFile {
    /// The largest file taken: a long PDF itinerary with its logos is a few hundred kilobytes; photos of passes are a few MB.
    public static let maximumBytes = 10 * 1024 * 1024
    /// The most a wallet pass's `pass.json` may expand to (passes are a few kilobytes; a zip bomb is not read).
    public static let maximumPassJSONBytes = 512 * 1024

    /// The kind of a file from its content; nil when it is none of the kinds taken (a Word file, an executable, a zip of
    /// anything but a pass is told apart later, when `pass.json` is looked for).
    public static func kind(of data: Data, fileName: String? = nil) -> DocumentFileKind? {
        guard !data.isEmpty else { return nil }
        let head = [UInt8](data.prefix(1_024))
        // PDF readers accept the header anywhere in the first kilobyte (ISO 32000 notes junk before it).
        if let marker = head.firstRange(of: Array("%PDF-".utf8)), marker.lowerBound < 1_024 { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .walletPass }
        if imageType(data) != nil { return .image }
        // Text: no NUL, and UTF-8 or Latin-1 that is mostly printable.
        // The first 64 KB, cut back to a character boundary (a multi-byte character may straddle the cut).
        var sample = Data(data.prefix(64 * 1_024))
        if sample.count < data.count, let lead = sample.indices.suffix(4).last(where: { sample[$0] & 0xC0 != 0x80 }), sample[lead] >= 0xC0 {
            // The last character's first byte says its length; cut it off when its bytes are not all there.
            let length = sample[lead] >= 0xF0 ? 4 : sample[lead] >= 0xE0 ? 3 : 2
            if sample.endIndex - lead < length { sample.removeSubrange(lead...) }
        }
        guard !data.contains(0), let text = String(data: sample, encoding: .utf8) ?? latin1Text(sample) else { return nil }
        let control = text.unicodeScalars.filter { $0.value < 0x20 && !["\n", "\r", "\t", "\u{0C}"].contains($0) }.count
        guard control * 100 <= max(text.unicodeScalars.count, 1) else { return nil }
        // An email starts with header lines, among which one only mail has (a pasted "From: Paris" is not one).
        if let (headers, _) = try? EmailMessage.split(data.prefix(64 * 1_024)),
            headers.contains(where: {
                ["received", "mime-version", "message-id"].contains($0.name.lowercased())
                    || ($0.name.lowercased() == "from" && $0.value.contains("@"))
            })
        {
            return .email
        }
        return .text
    }

    static func latin1Text(_ data: Data) -> String? {
        // Latin-1 decodes anything; only call it text when few bytes are C1 controls (0x80–0x9F outside Windows-1252).
        let c1 = data.filter { (0x80...0x9F).contains($0) }.count
        guard c1 * 20 <= data.count else { return nil }
        return String(data: data, encoding: .isoLatin1)
    }

    /// PNG, JPEG, GIF or BMP, the images a barcode reader is given.
    public static func imageType(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        // "BM", then the file's size and, at 14, a header size of 12, 40, 52, 56, 108 or 124 (not a text that starts "BMW").
        if head.starts(with: Array("BM".utf8)), data.count >= 18 {
            let bytes = [UInt8](data.prefix(18))
            let header = Int(bytes[14]) | Int(bytes[15]) << 8 | Int(bytes[16]) << 16 | Int(bytes[17]) << 24
            if [12, 40, 52, 56, 108, 124].contains(header) { return "image/bmp" }
        }
        return nil
    }

    /// The text of a file that is text: UTF-8 (a byte-order mark dropped), else Windows-1252.
    public static func text(of data: Data) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return String(data: bytes, encoding: .utf8) ?? EmailMessage.decode(bytes, charset: "windows-1252")
    }

    /// A file name as a user may see it and a download may carry it: the last path component, without control characters
    /// or quotes, at most 200 characters; nil when nothing is left.
    public static func cleanFileName(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        // No control, format (bidi overrides, zero-width) or quote characters: a name shows as what it is.
        let cleaned = String(
            last.unicodeScalars.filter {
                $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" && !(0x80...0x9F).contains($0.value) && $0.properties.generalCategory != .format
            }
        ).trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { return nil }
        return String(cleaned.unicodeScalars.prefix(200))
    }
}

/// An Apple Wallet pass's `pass.json` as text the extraction reads: the issuer, the description, every field as
/// "label: value", the relevant date, and each barcode's message (a boarding pass's is an IATA BCBP string, which the
/// boarding-pass decoder reads exactly).
public enum WalletPass {
    public static func text(passJSON data: Data) throws(DocumentFileRefusal) -> String {
        guard data.count <= DocumentFile.maximumPassJSONBytes,
            let root = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let pass) = root
        else { throw DocumentFileRefusal.unreadable }
        var lines: [String] = []
        for key in ["organizationName", "description", "logoText"] { if let value = pass[key]?.string { lines.append(value) } }
        for style in ["boardingPass", "eventTicket", "generic", "coupon", "storeCard"] {
            guard case .object(let body)? = pass[style] else { continue }
            for group in ["headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields"] {
                guard case .array(let fields)? = body[group] else { continue }
                for case .object(let field) in fields {
                    let value: String? =
                        switch field["value"] {
                        case .string(let s): s
                        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                        default: nil
                        }
                    guard let value, !value.isEmpty else { continue }
                    let label = field["label"]?.string ?? field["key"]?.string ?? ""
                    lines.append(label.isEmpty ? value : "\(label): \(value)")
                }
            }
        }
        if let date = pass["relevantDate"]?.string { lines.append("Date: \(date)") }
        var messages: [String] = []
        if let message = pass["barcode"]?["message"]?.string { messages.append(message) }
        if case .array(let barcodes)? = pass["barcodes"] {
            for barcode in barcodes { if let message = barcode["message"]?.string, !messages.contains(message) { messages.append(message) } }
        }
        lines += messages
        guard !lines.isEmpty else { throw DocumentFileRefusal.nothingRead }
        return lines.joined(separator: "\n")
    }
}
