import Foundation

/// ISO 4217 currencies an agency may bill in, with their minor-unit exponent.
public enum CurrencyCode: String, StoredCode {
    case EUR, USD, CAD, GBP, CHF, AUD, NZD, BRL, MXN, BSD

    public var minorUnitDigits: Int { 2 }
}

/// An amount in integer minor units (cents): money never goes through floating point.
public struct Money: Hashable, Codable, Sendable, Comparable {
    public var minorUnits: Int64
    public var currency: CurrencyCode

    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing amounts in different currencies")
        return lhs.minorUnits < rhs.minorUnits
    }

    /// The largest amount anyone may type (one billion): far above any trip, cost or price, and low enough that
    /// every product of an amount with a rate, a traveller count or a number of days stays inside Int64.
    public static let maximumTypedMinorUnits: Int64 = 100_000_000_000

    /// Parses a user-typed amount such as "1 250,50", "1250.5" or "300" into minor units.
    /// Returns nil for anything that is not a plain non-negative decimal with at most two decimals.
    public static func parseMajorUnits(_ text: String, currency: CurrencyCode) -> Money? {
        var cleaned = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{00A0}", with: "")
            .replacingOccurrences(of: "\u{202F}", with: "")
        cleaned = cleaned.replacingOccurrences(of: ",", with: ".")
        guard !cleaned.isEmpty, cleaned.count <= 15 else { return nil }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, !parts[0].isEmpty,
            parts[0].allSatisfy(\.isNumber)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy(\.isNumber), let f = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? f * 10 : f
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, scaled + fraction <= maximumTypedMinorUnits else { return nil }
        return Money(minorUnits: scaled + fraction, currency: currency)
    }

    /// "1 250,50 EUR" in French, "EUR 1,250.50" in English, "EUR 1.250,50" in Portuguese.
    public func formatted(_ language: Language) -> String {
        let whole = minorUnits / 100
        let cents = abs(minorUnits % 100)
        let digits = String(abs(whole))
        var groups: [String] = []
        var rest = Substring(digits)
        while rest.count > 3 {
            groups.insert(String(rest.suffix(3)), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(String(rest), at: 0)
        let sign = minorUnits < 0 ? "-" : ""
        let centsText = cents < 10 ? "0\(cents)" : "\(cents)"
        switch language {
        case .fr: return "\(sign)\(groups.joined(separator: "\u{202F}")),\(centsText) \(currency.rawValue)"
        case .en: return "\(currency.rawValue) \(sign)\(groups.joined(separator: ",")).\(centsText)"
        case .pt: return "\(currency.rawValue) \(sign)\(groups.joined(separator: ".")),\(centsText)"
        }
    }

    public var majorUnitsText: String {
        let cents = abs(minorUnits % 100)
        return "\(minorUnits < 0 ? "-" : "")\(abs(minorUnits / 100)).\(cents < 10 ? "0" : "")\(cents)"
    }
}

extension Int64 {
    /// Products and sums of amounts saturate instead of trapping: a wrong figure is visible, a trap stops every tenant.
    public func saturatingMultiplied(by other: Int64) -> Int64 {
        let (value, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : value
    }

    public func saturatingAdding(_ other: Int64) -> Int64 {
        let (value, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : value
    }
}
