import Foundation

/// An activity booked for a traveller: by the expert (`booked`) or declared by the agency and approved (`claimed`);
/// `cancelled` when the booking fell through afterwards (its commission is then reversed).
public enum ActivityBookingStatus: String, StoredCode { case booked, claimed, cancelled }

public enum CommissionClaimStatus: String, StoredCode { case pending, approved, rejected }

/// What an OnSpot admin decides on a commission claim.
public enum ClaimDecision: String, StoredCode { case approve, reject }

public enum MilesExportStatus: String, StoredCode { case pending, succeeded, failed }

/// What an agency gets back when a credit note lands on an invoice it already paid (article 5): the money, to the card
/// or credits it was paid with, or everything as OnSpot credits.
public enum RefundPreference: String, StoredCode, CaseIterable {
    case originalPayment = "original_payment"
    case credits
}
