/// The languages the product speaks to its users (agencies are mostly French).
public enum Language: String, StoredCode {
    case fr, en, pt

    /// Picks the best supported language from an `Accept-Language` header value.
    public static func negotiate(_ acceptLanguage: String?, fallback: Language = .fr) -> Language {
        guard let header = acceptLanguage else { return fallback }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            if let q = pieces.dropFirst().first(where: { $0.hasPrefix("q=") }) {
                quality = Double(q.dropFirst(2)) ?? 0
            }
            return (tag.lowercased(), quality)
        }.sorted { $0.1 > $1.1 }
        for (tag, _) in ranked {
            let primary = String(tag.prefix { $0 != "-" && $0 != "_" })
            if let language = Language(rawValue: primary) { return language }
        }
        return fallback
    }

    public var displayName: String {
        switch self {
        case .fr: "Français"
        case .en: "English"
        case .pt: "Português"
        }
    }
}

import Foundation
