/// One problem with one input field, reported to forms and as RFC 9457 `errors` in the API.
public struct FieldError: Error, Hashable, Codable, Sendable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

public struct ValidationFailure: Error, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// The checks every free-text field shares, worded once: "error.required" when a required field is empty (after
/// trimming), "error.too_long" past its limit in characters.
public enum TextField {
    /// The one error of a text field, worded once: required, too short, too long, or a character it does not allow.
    public static func check(
        _ value: String?, field: String, required: Bool = true, minimum: Int = 0, limit: Int, allowed: ((Character) -> Bool)? = nil
    ) -> FieldError? {
        let text = value ?? ""
        let blank = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if blank && required { return FieldError(field: field, message: "error.required") }
        if text.count > limit { return FieldError(field: field, message: "error.too_long") }
        if blank { return nil }
        if text.count < minimum { return FieldError(field: field, message: "error.too_short") }
        if let allowed, !text.allSatisfy(allowed) { return FieldError(field: field, message: "error.characters") }
        return nil
    }

    /// The errors of several fields at once, in order.
    public static func check(_ fields: [(value: String?, field: String, required: Bool, limit: Int)]) -> [FieldError] {
        fields.compactMap { check($0.value, field: $0.field, required: $0.required, limit: $0.limit) }
    }
}

extension Array where Element == FieldError {
    /// Adds the error of a check, if it found one.
    public mutating func append(_ error: FieldError?) { if let error { append(error) } }
}

public enum EmailAddress {
    /// A deliberately plain check: one `@`, a dot in the domain, no spaces, at most 254 characters.
    public static func isValid(_ text: String) -> Bool {
        guard text.count <= 254, !text.contains(where: { $0.isWhitespace }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3 else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }

    public static func normalised(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

import Foundation

extension UUID {
    /// Parses "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" (either case) without Foundation's parser, which on Linux goes
    /// through sscanf and cost the console queue 15 ms for the 800 ids of its open cases (SQLite keeps ids as text).
    public init?(fastString text: String) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var index = 0
        var high: UInt8?
        var position = 0
        for c in text.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            guard index < 16 else { return nil }
            if let h = high {
                bytes[index] = h << 4 | nibble
                index += 1
                high = nil
            } else {
                high = nibble
            }
        }
        guard position == 36, index == 16, high == nil else { return nil }
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

/// An id read from a row: SQLite keeps ids as text (parsed quickly), PostgreSQL as uuid (decoded as it is).
public struct RowID: Decodable, Hashable, Sendable {
    public let value: UUID

    public init(_ value: UUID) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let parsed = UUID(fastString: text) {
            value = parsed
        } else {
            value = try container.decode(UUID.self)
        }
    }
}
