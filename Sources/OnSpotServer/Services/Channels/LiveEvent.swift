import Foundation
import OnSpotCore

/// What the console's live feed announces. It only says what changed; the page reads the data itself. Encoded with
/// sorted keys, and only the fields an event has, as the console's script reads them.
struct LiveEvent: Encodable, Sendable, Equatable {
    enum Kind: String, StoredCode {
        case message
        case caseUpdated = "case_updated"
        case caseResolved = "case_resolved"
        case approvalDecided = "approval_decided"
        case costRecorded = "cost_recorded"
        /// Another expert has the case open or is typing on it (`decision`: viewing or typing, `from`: their name).
        case presence
    }

    var type: Kind
    var caseID: UUID? = nil
    /// The destination the case is handled from: who receives the event depends on it.
    var destinationID: UUID? = nil
    var status: CaseStatus? = nil
    var text: String? = nil
    var from: String? = nil
    var approvalID: UUID? = nil
    /// The approval's new status, or the scope's outcome for a cost.
    var decision: String? = nil
    var comment: String? = nil
    /// Who the presence is of: their own page ignores it.
    var userID: UUID? = nil

    static func caseChanged(_ type: Kind, _ record: CaseRecord) -> LiveEvent {
        LiveEvent(type: type, caseID: record.id, status: record.status)
    }

    private enum CodingKeys: String, CodingKey { case type, caseID, destinationID, status, text, from, approvalID, decision, comment, userID }

    /// Every event names its case (empty when it has none) and a message its destination, as the script expects.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(caseID?.uuidString ?? "", forKey: .caseID)
        if type == .message { try container.encode(destinationID?.uuidString ?? "", forKey: .destinationID) }
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(approvalID?.uuidString, forKey: .approvalID)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(userID?.uuidString, forKey: .userID)
    }
}
