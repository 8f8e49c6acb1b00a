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
