import Foundation

/// `application/x-www-form-urlencoded` bodies (Twilio's callbacks) read without Foundation's URL types, whose
/// setters trap on a malformed escape: a bad `%`, invalid UTF-8 or a control character is an error the caller
/// answers with a 400, never a crash.
public enum FormURLEncoding {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformedEscape(offset: Int)
        case invalidUTF8(field: Int)
        case tooManyFields(limit: Int)
        case nul(field: Int)

        public var description: String {
            switch self {
            case .malformedEscape(let offset): "malformed percent escape at byte \(offset)"
            case .invalidUTF8(let field): "field \(field + 1) is not valid UTF-8"
            case .tooManyFields(let limit): "more than \(limit) form fields"
            case .nul(let field): "field \(field + 1) contains a NUL character"
            }
        }
    }

    /// Name and value pairs in the order sent; `+` is a space, `%XX` a byte; empty pairs (`a&&b`) are skipped.
    public static func decode(_ body: some Collection<UInt8>, maximumFields: Int = 1000) throws(Failure) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var name: [UInt8] = [], value: [UInt8] = []
        var inValue = false
        var pending: UInt8? = nil, escapeDigits = 0, escapeStart = 0
        var offset = 0

        func finishPair() throws(Failure) {
            defer { name.removeAll(keepingCapacity: true); value.removeAll(keepingCapacity: true); inValue = false }
            guard !name.isEmpty || !value.isEmpty || inValue else { return }
            guard pairs.count < maximumFields else { throw .tooManyFields(limit: maximumFields) }
            guard let n = String(validating: name, as: UTF8.self), let v = String(validating: value, as: UTF8.self) else {
                throw .invalidUTF8(field: pairs.count)
            }
            // No provider sends NUL in a form value, and PostgreSQL cannot store one.
            guard !name.contains(0), !value.contains(0) else { throw .nul(field: pairs.count) }
            pairs.append((n, v))
        }

        for byte in body {
            defer { offset += 1 }
            if escapeDigits > 0 {
                guard let digit = hexValue(byte) else { throw .malformedEscape(offset: escapeStart) }
                pending = (pending ?? 0) << 4 | digit
                escapeDigits -= 1
                if escapeDigits == 0, let decoded = pending {
                    if inValue { value.append(decoded) } else { name.append(decoded) }
                    pending = nil
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "&"): try finishPair()
            case UInt8(ascii: "=") where !inValue: inValue = true
            case UInt8(ascii: "%"): escapeDigits = 2; escapeStart = offset; pending = 0
            case UInt8(ascii: "+"): if inValue { value.append(0x20) } else { name.append(0x20) }
            default: if inValue { value.append(byte) } else { name.append(byte) }
            }
        }
        guard escapeDigits == 0 else { throw .malformedEscape(offset: escapeStart) }
        try finishPair()
        return pairs
    }

    /// The inverse: every byte outside the unreserved set escaped, so `decode(encode(p)) == p` for any pairs.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
