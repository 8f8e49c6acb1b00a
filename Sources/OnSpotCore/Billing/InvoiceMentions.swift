import Foundation

/// Who sells on OnSpot's invoices and what a French B2B invoice must say besides the lines (Code de commerce L441-9,
/// L441-10, D441-5; CGI 242 nonies A). The seller is the company the terms name; an OnSpot admin sets the real
/// identity through the environment (`ONSPOT_SELLER_NAME`, `ONSPOT_SELLER_ADDRESS`, `ONSPOT_SELLER_TAX_ID`).
public struct SellerIdentity: Hashable, Sendable {
    public var name: String
    public var address: String
    public var taxID: String?

    public static let terms = SellerIdentity(name: "Onspot Travel Solutions, Inc.", address: "Carson City, Nevada, USA", taxID: nil)

    public static func from(environment: [String: String]) -> SellerIdentity {
        func value(_ key: String) -> String? { environment[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        return SellerIdentity(
            name: value("ONSPOT_SELLER_NAME") ?? terms.name, address: value("ONSPOT_SELLER_ADDRESS") ?? terms.address,
            taxID: value("ONSPOT_SELLER_TAX_ID") ?? terms.taxID)
    }
}

/// What an invoice says of VAT. The seller is established outside the EU (the terms: Carson City), so a customer in
/// the EU accounts for the VAT itself (reverse charge: Directive 2006/112/EC articles 44 and 196; CGI 283-2 in France),
/// and a customer elsewhere is supplied outside the scope of EU VAT. Decided by the agency's country (an agency that
/// gave none is taken as French, as most are); an OnSpot admin may force one with `ONSPOT_VAT_TREATMENT`.
public enum VATTreatment: String, StoredCode {
    case reverseCharge = "reverse_charge"
    case outOfScope = "out_of_scope"

    public static let euCountries: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL",
        "PT", "RO", "SE", "SI", "SK"
    ]

    public static func of(buyerCountry: String?, setting: String?) -> VATTreatment {
        if let setting, let forced = VATTreatment(rawValue: setting.trimmingCharacters(in: .whitespaces)) { return forced }
        guard let country = buyerCountry?.trimmingCharacters(in: .whitespaces).uppercased(), !country.isEmpty else { return .reverseCharge }
        return euCountries.contains(country) ? .reverseCharge : .outOfScope
    }

    /// The sentence printed below the lines.
    public var mentionKey: String { self == .reverseCharge ? "invoice.mention.vat" : "invoice.mention.vat_out_of_scope" }
}
