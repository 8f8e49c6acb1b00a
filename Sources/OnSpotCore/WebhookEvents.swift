import Foundation

/// The event types OnSpot posts to agencies' webhook endpoints. The OpenAPI document's `webhooks` section describes
/// each one's payload; a test holds the two together.
public enum WebhookEventType: String, CaseIterable, Codable, Sendable {
    case caseResolved = "case.resolved"
    case approvalRequested = "approval.requested"
    case approvalDecided = "approval.decided"
    case costEmergencyOverride = "cost.emergency_override"
    case tripPaid = "trip.paid"
    case tripReleased = "trip.released"
    case weatherAlert = "weather.alert"
    case flightDisrupted = "flight.disrupted"
}

/// One event's `data`, built only through the constructors below so that every event of a type carries the same
/// fields, the ones the catalogue documents. Values are strings (amounts in minor units written as digits) since the
/// first version of the API; `/api/v1` keeps them so.
public struct WebhookEvent: Equatable, Sendable {
    public let type: WebhookEventType
    public let data: [String: String]

    public init(type: WebhookEventType, data: [String: String]) {
        self.type = type
        self.data = data
    }

    public static func caseResolved(
        caseID: UUID?, tripID: UUID?, traveller: String, reference: String, destination: String, summary: String, resolvedAt: String
    ) -> WebhookEvent {
        WebhookEvent(
            type: .caseResolved,
            data: [
                "caseID": caseID?.uuidString ?? "", "tripId": tripID?.uuidString ?? "", "traveller": traveller, "reference": reference,
                "destination": destination, "summary": summary, "resolvedAt": resolvedAt
            ])
    }

    public static func approvalRequested(
        approvalID: UUID, caseID: UUID?, text: String, amountMinor: Int64, currency: String, expiresAt: String, inbox: String
    ) -> WebhookEvent {
        WebhookEvent(
            type: .approvalRequested,
            data: [
                "approvalID": approvalID.uuidString, "caseID": caseID?.uuidString ?? "", "text": text, "amountMinor": String(amountMinor),
                "currency": currency, "expiresAt": expiresAt, "inbox": inbox
            ])
    }

    public static func approvalDecided(approvalID: UUID?, caseID: UUID, decision: String, via: String, comment: String) -> WebhookEvent {
        WebhookEvent(
            type: .approvalDecided,
            data: [
                "approvalID": approvalID?.uuidString ?? "", "caseID": caseID.uuidString, "decision": decision, "via": via,
                "comment": comment
            ])
    }

    public static func costEmergencyOverride(
        caseID: UUID?, costActionID: UUID?, domain: String, supplier: String, purpose: String, amountMinor: Int64, currency: String,
        justification: String
    ) -> WebhookEvent {
        WebhookEvent(
            type: .costEmergencyOverride,
            data: [
                "caseID": caseID?.uuidString ?? "", "costActionID": costActionID?.uuidString ?? "", "domain": domain, "supplier": supplier,
                "purpose": purpose, "amountMinor": String(amountMinor), "currency": currency, "justification": justification
            ])
    }

    public static func tripPaid(tripID: UUID, reference: String, paidMinor: Int64) -> WebhookEvent {
        WebhookEvent(type: .tripPaid, data: ["tripId": tripID.uuidString, "reference": reference, "paidMinor": String(paidMinor)])
    }

    public static func tripReleased(tripID: UUID, reference: String) -> WebhookEvent {
        WebhookEvent(type: .tripReleased, data: ["tripId": tripID.uuidString, "reference": reference])
    }

    /// An official weather or hazard alert concerns some of the agency's travellers (once per alert message: an update
    /// comes again with `changes`).
    public static func weatherAlert(
        alertID: UUID, event: String, severity: String, headline: String, area: String, expiresAt: String, changes: String, travellers: Int,
        destinations: [String]
    ) -> WebhookEvent {
        WebhookEvent(
            type: .weatherAlert,
            data: [
                "alertID": alertID.uuidString, "event": event, "severity": severity, "headline": headline, "area": area, "expiresAt": expiresAt,
                "changes": changes, "travellers": String(travellers), "destinations": destinations.joined(separator: ", ")
            ])
    }

    /// A watched flight of the agency's traveller is cancelled, diverted, late past the threshold, or changes gate or
    /// terminal (once per flight and change).
    public static func flightDisrupted(
        alertID: UUID, tripID: UUID, reference: String, caseID: UUID?, flight: String, origin: String, destination: String, change: String,
        scheduledDeparture: String, estimatedDeparture: String, estimatedArrival: String, travellers: [String]
    ) -> WebhookEvent {
        WebhookEvent(
            type: .flightDisrupted,
            data: [
                "alertID": alertID.uuidString, "tripId": tripID.uuidString, "reference": reference, "caseID": caseID?.uuidString ?? "",
                "flight": flight, "origin": origin, "destination": destination, "change": change, "scheduledDeparture": scheduledDeparture,
                "estimatedDeparture": estimatedDeparture, "estimatedArrival": estimatedArrival, "travellers": travellers.joined(separator: ", ")
            ])
    }
}
