import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Stripe's signed events, stored once by id and applied: payment and refund outcomes.
enum StripeEvents {
    enum EventOutcome: Equatable { case processed, duplicate, ignored(String) }

    /// A verified Stripe event, stored once by its id (a replay or a retry is acknowledged and changes nothing), then
    /// applied: payment successes and failures, refunds' final states.
    static func receive(event body: Data, app: Application, db: any Database) async throws -> EventOutcome {
        guard let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], let id = json["id"] as? String,
            let type = json["type"] as? String, let object = (json["data"] as? [String: Any])?["object"] as? [String: Any]
        else {
            throw Abort(.badRequest, reason: "not a Stripe event: id, type and data.object are required")
        }
        let record = StripeEventRecord()
        record.eventID = id
        record.type = type
        record.receivedAt = AppClock.now
        record.payload = String(decoding: body, as: UTF8.self)
        do { try await record.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return .duplicate }
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        switch type {
        case "payment_intent.succeeded", "payment_intent.payment_failed":
            let reference = object["id"] as? String
            var payment: PaymentRecord?
            if let key = metadata["payment_id"] as? String, let uuid = UUID(uuidString: key) { payment = try await PaymentRecord.find(uuid, on: db) }
            if payment == nil, let reference {
                payment = try await PaymentRecord.query(on: db).filter(\.$providerReference == reference).first()
            }
            guard let payment else { return .ignored("no payment for \(reference ?? "?")") }
            if payment.providerReference == nil, let reference {
                payment.providerReference = reference
                try await payment.save(on: db)
            }
            let message = (object["last_payment_error"] as? [String: Any])?["message"] as? String
            try await CardPayments.settle(
                paymentID: payment.requireID(), succeeded: type == "payment_intent.succeeded", message: message, app: app, db: db)
        case "refund.updated", "charge.refund.updated", "refund.created":
            guard let reference = object["id"] as? String, let status = (object["status"] as? String).flatMap(RefundStatus.init(rawValue:)),
                let refund = try await RefundRecord.query(on: db).filter(\.$providerReference == reference).first()
            else { return .ignored(type) }
            refund.status = status
            try await refund.save(on: db)
        default:
            return .ignored(type)
        }
        record.processedAt = AppClock.now
        try await record.save(on: db)
        return .processed
    }
}
