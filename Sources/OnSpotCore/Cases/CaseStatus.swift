import Foundation

/// Where a case stands. Stored as the raw value; an unknown stored value is an error, never a silent default.
public enum CaseStatus: String, StoredCode {
    case new
    case inProgress = "in_progress"
    case waitingForTraveller = "waiting_for_traveller"
    case waitingForAgency = "waiting_for_agency"
    case resolved

    /// Every status of a case still being worked on: the queue shows these.
    public static let open: [CaseStatus] = [.new, .inProgress, .waitingForTraveller, .waitingForAgency]
    public var isOpen: Bool { self != .resolved }
    /// The working states an expert moves an open case between; resolving has its own form, with its summary.
    public static let settableByExpert: [CaseStatus] = [.inProgress, .waitingForTraveller, .waitingForAgency]
}
