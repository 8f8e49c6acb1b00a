import Foundation

/// A path of this site to return to after sign-in. Browsers drop tabs and line breaks from URLs and read `\\` as `/`,
/// so `/\t/evil.example` or `/\\evil.example` would leave the site: only printable ASCII, one leading slash, no
/// backslash, no scheme-relative `//`, and nothing percent-encoded that decodes to those.
public enum LocalPath {
    public static func validated(_ candidate: String?) -> String? {
        guard let path = candidate, path.utf8.count < 300, path.hasPrefix("/") else { return nil }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return nil }
        let decodedStart = path.prefix(12).replacingOccurrences(of: "%2f", with: "/", options: .caseInsensitive)
            .replacingOccurrences(of: "%5c", with: "/", options: .caseInsensitive)
            .replacingOccurrences(of: "%09", with: "").replacingOccurrences(of: "%0a", with: "", options: .caseInsensitive)
            .replacingOccurrences(of: "%0d", with: "", options: .caseInsensitive)
        guard !decodedStart.hasPrefix("//"), !path.hasPrefix("//") else { return nil }
        return path
    }
}
