import Foundation

/// An activity booked for a traveller: by the expert (`booked`) or declared by the agency and approved (`claimed`).
public enum ActivityBookingStatus: String, StoredCode { case booked, claimed }

public enum CommissionClaimStatus: String, StoredCode { case pending, approved, rejected }

/// What an OnSpot admin decides on a commission claim.
public enum ClaimDecision: String, StoredCode { case approve, reject }

public enum MilesExportStatus: String, StoredCode { case pending, succeeded, failed }
