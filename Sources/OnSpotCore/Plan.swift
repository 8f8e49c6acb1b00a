/// The two plans of the terms of sale (clauses 3.3, 3.4, 4.1, 5). Their prices and notices are data an
/// OnSpot admin edits; these codes and billing modes are what the code branches on.
public enum PlanCode: String, StoredCode {
    case light = "LIGHT"
    case plus = "PLUS"
}

public enum BillingMode: String, StoredCode {
    /// LIGHT (4.1): card payment when the service is booked, receipt emailed at once.
    case cardAtBooking = "card_at_booking"
    /// PLUS (4.1): invoice on the 1st of the month for the following month's departures.
    case monthlyInvoice = "monthly_invoice"
}

/// The terms of the two plans. Billing modes, notice periods and white label are the terms of sale's (4.1, 5, 3.3);
/// the prices are not in the terms, which point to the grid on OnSpot's website: the figures below are placeholders
/// seeded at install, and the grid in force is data an OnSpot admin sets at `/admin/plans` (each change a new grid
/// version, kept on every quote).
public struct PlanTerms: Hashable, Codable, Sendable {
    public var code: PlanCode
    public var name: String
    public var billingMode: BillingMode
    /// How long before departure a cancellation is still refunded (article 5).
    public var refundNoticeHours: Int
    public var whiteLabel: Bool
    public var pricePerTravellerPerDayMinorUnits: Int64
    public var minimumPerTripMinorUnits: Int64
    public var currency: CurrencyCode

    public static let defaults: [PlanTerms] = [
        // Article 5: LIGHT "jusqu'à 7 jours de la date du départ". Price and minimum: placeholders, set by an OnSpot admin.
        PlanTerms(
            code: .light, name: "LIGHT", billingMode: .cardAtBooking, refundNoticeHours: 7 * 24,
            whiteLabel: false, pricePerTravellerPerDayMinorUnits: 300, minimumPerTripMinorUnits: 2_500,
            currency: .EUR),
        // Article 5: PLUS "jusqu'à 24 heures de la date du départ"; 3.3/3.4 white label. Price and minimum: placeholders.
        PlanTerms(
            code: .plus, name: "PLUS", billingMode: .monthlyInvoice, refundNoticeHours: 24,
            whiteLabel: true, pricePerTravellerPerDayMinorUnits: 450, minimumPerTripMinorUnits: 4_000,
            currency: .EUR)
    ]
}
