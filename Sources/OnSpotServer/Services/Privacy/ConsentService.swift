import Fluent
import Foundation
import OnSpotCore

/// Consents and their history (GDPR article 7): every change is recorded with how it was made.
enum ConsentService {
    typealias Values = (callRecording: Bool, recommendations: Bool, alerts: Bool)

    static func values(_ traveller: Traveller) -> Values {
        (traveller.consentCallRecording, traveller.consentRecommendations, traveller.consentAlerts)
    }

    /// Records what differs between `before` and the traveller's consents now; a new traveller (`before` nil) records all.
    static func recordChanges(_ traveller: Traveller, before: Values?, source: ConsentSource, actor: UUID?, on db: any Database) async throws {
        let now: [(ConsentKind, Bool, Bool?)] = [
            (.callRecording, traveller.consentCallRecording, before?.callRecording),
            (.recommendations, traveller.consentRecommendations, before?.recommendations),
            (.alerts, traveller.consentAlerts, before?.alerts)
        ]
        for (kind, value, previous) in now where previous != value {
            try await record(traveller, kind: kind, granted: value, source: source, actor: actor, caseID: nil, on: db)
        }
    }

    static func record(
        _ traveller: Traveller, kind: ConsentKind, granted: Bool, source: ConsentSource, actor: UUID?, caseID: UUID?, on db: any Database
    ) async throws {
        let event = ConsentEvent()
        event.agencyID = traveller.$agency.id
        event.travellerID = try traveller.requireID()
        event.kind = kind
        event.granted = granted
        event.source = source
        event.actorUserID = actor
        event.caseID = caseID
        event.createdAt = AppClock.now
        try await event.create(on: db)
    }

    /// STOP written on a channel: nothing more sent unasked (recommendations, alerts), on every registration of the
    /// person in that agency (same phone). Returns whether anything changed.
    @discardableResult
    static func stopUnaskedMessages(for traveller: Traveller, on db: any Database) async throws -> Bool {
        var people = [traveller]
        if let phone = traveller.phone, !phone.isEmpty {
            people += try await Traveller.query(on: db).filter(\.$agency.$id == traveller.$agency.id).filter(\.$phone == phone).all()
        }
        var changed = false
        var seen = Set<UUID>()
        for person in people where person.consentRecommendations || person.consentAlerts {
            guard let id = person.id, seen.insert(id).inserted else { continue }
            let before = values(person)
            person.consentRecommendations = false
            person.consentAlerts = false
            person.updatedAt = AppClock.now
            try await person.save(on: db)
            try await recordChanges(person, before: before, source: .keyword, actor: nil, on: db)
            changed = true
        }
        return changed
    }
}
