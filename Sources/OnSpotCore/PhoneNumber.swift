/// A phone number normalised to E.164 (`+` then 8 to 15 digits, no leading zero).
public struct PhoneNumber: Hashable, Codable, Sendable, CustomStringConvertible {
    public let e164: String

    /// Accepts what people type: spaces, dots, dashes, parentheses, and a `00` international prefix.
    /// National numbers without a country code are refused: the traveller's country is not known here.
    public init?(_ input: String) {
        var text = input.trimmingCharacters(in: .whitespaces)
        guard text.count <= 32 else { return nil }
        text.removeAll { " .-()/\u{00A0}".contains($0) }
        if text.hasPrefix("00") { text = "+" + text.dropFirst(2) }
        guard text.hasPrefix("+") else { return nil }
        let digits = text.dropFirst()
        guard (8...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits.first != "0"
        else { return nil }
        e164 = text
    }

    public var description: String { e164 }
    /// WhatsApp ids and wa.me links use the digits without the `+`.
    public var digits: String { String(e164.dropFirst()) }
}

import Foundation
