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
