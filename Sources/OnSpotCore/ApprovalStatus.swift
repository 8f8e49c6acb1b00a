import Foundation

/// A request for the agency's written agreement (clause 2.10), from its request to its end.
public enum ApprovalStatus: String, StoredCode {
    case pending, approved, denied, expired
}

/// Where the agency gave its decision: part of the written agreement's record.
public enum ApprovalChannel: String, StoredCode {
    case portal
    case emailLink = "email_link"
    case api
}

/// What an agency answers to an approval request.
public enum ApprovalDecision: String, StoredCode { case approve, deny }
