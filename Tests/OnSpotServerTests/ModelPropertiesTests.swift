import FluentKit
import Foundation
@testable import OnSpotServer
import XCTest

/// The property lists of ModelProperties.swift against what reflection finds: same wrappers, same order, none missing.
final class ModelPropertiesTests: XCTestCase {
    func testEveryListedModelNamesExactlyItsPropertyWrappers() {
        let models: [any Model.Type] = [
            Agency.self, User.self, ExpertDestination.self, ScopeVersion.self, ApiKey.self, PasswordReset.self, LoginAttempt.self,
            IdempotencyRecord.self, AuditEntry.self, AuditCheckpoint.self, AgencyContactAttempt.self, AgencyRulePack.self, WebhookEndpointRecord.self,
            WebhookDelivery.self, AlertFeed.self, WeatherAlert.self, FlightWatch.self, FlightEvent.self, TravellerAlert.self, AlertSetting.self,
            AgencyAlertPreferences.self, AlertZone.self, QuoteRecord.self, PaymentRecord.self, RefundRecord.self, InvoiceRecord.self,
            InvoiceLineRecord.self, CreditNoteRecord.self, DunningNotice.self, JobRun.self, StripeEventRecord.self, ActivityRecord.self,
            ActivityBookingRecord.self, CommissionRecord.self, LedgerEntryRecord.self, RecommendationRecord.self, MilesExportRecord.self,
            CommissionClaim.self, ChannelEndpoint.self, InboundEvent.self, InboundDedupe.self, Conversation.self, MessageRecord.self, CaseRecord.self,
            CaseNote.self, Attachment.self, ConsentEvent.self, CostAction.self, Approval.self, ExchangeRateRecord.self, NotificationRecord.self,
            OutboxEntry.self, RetentionBoundsRecord.self, RetentionPolicyRecord.self, DataSubjectRequest.self, PlanRecord.self,
            DestinationRecord.self, ServiceLevelRecord.self, Traveller.self, Trip.self, TripTraveller.self, TripDestination.self,
            ItinerarySegment.self, PastedDocument.self, DocumentFileData.self
        ]
        for type in models {
            let model = type.init()
            let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
            XCTAssertEqual(listed, reflected, "\(type): ModelProperties.swift lists \(listed.count) wrappers, the class has \(reflected.count)")
        }
    }
}
