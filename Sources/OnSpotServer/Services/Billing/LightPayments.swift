import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// LIGHT pays "au moment de la réservation" (clause 4.1): the cards and the service window count only once the trip is
/// paid. An unpaid trip is reminded a day before its 72-hour registration deadline, then released at the deadline,
/// the agency told each time.
enum LightPayments {
    /// Hours before departure at which the agency is reminded (a day before the deadline) and the trip released.
    static let reminderHours: Double = 96
    static let releaseHours: Double = 72

    /// Once what the trip owes is paid (by card or credits), its service starts: marked once, announced once.
    static func markPaidIfSettled(tripID: UUID, app: Application, db: any Database) async throws {
        guard let trip = try await Trip.find(tripID, on: db), trip.awaitsPayment else { return }
        let account = try await CardPayments.account(tripID: tripID, on: db)
        guard account.quote != nil, account.dueMinor == 0, let sql = db as? any SQLDatabase else { return }
        // The version too: the trip's payment state is part of what its ETag names.
        let claimed = try await sql.update(Trip.schema).set("service_paid_at", to: SQLBind(AppClock.now))
            .raisingVersion()
            .where("id", .equal, SQLBind(tripID)).where("service_paid_at", .is, SQLLiteral.null).returning("id").all()
        guard !claimed.isEmpty else { return }
        try await AgencyWebhooks.enqueue(
            agencyID: trip.$agency.id,
            .tripPaid(tripID: tripID, reference: trip.reference ?? "", paidMinor: account.paidMinor - account.refundedMinor), on: db)
    }

    struct Summary: Equatable { var reminders = 0; var released = 0; var extraReminders = 0 }

    /// Unpaid LIGHT trips close to their deadline: reminded once, then released at the deadline. Keyed per trip.
    static func runDue(at now: Date, app: Application, db: any Database) async throws -> Summary {
        let horizon = now.addingTimeInterval(reminderHours * 3600)
        let trips = try await Trip.query(on: db).filter(\.$planCode == PlanCode.light).filter(\.$servicePaidAt == nil)
            .filter(\.$status == .booked).filter(\.$departureAt <= horizon).all()
        var summary = Summary()
        for trip in trips {
            let tripID = try trip.requireID()
            if now >= trip.departureAt.addingTimeInterval(-releaseHours * 3600) {
                // A card payment the bank has not answered yet may still pay it: wait for its answer.
                let account = try await CardPayments.account(tripID: tripID, on: db)
                guard !account.processing else { continue }
                let key = "light-release:\(tripID.uuidString.lowercased())"
                guard try await Invoicing.claimJob(key, on: db) else { continue }
                do {
                    try await release(trip, account: account, app: app, db: db)
                } catch {
                    // Not released: the next run tries again.
                    try await JobRun.query(on: db).filter(\.$key == key).delete()
                    throw error
                }
                summary.released += 1
            } else if try await Invoicing.claimJob("light-reminder:\(tripID.uuidString.lowercased())", on: db) {
                try await tell(trip, kind: .lightPaymentReminder, app: app, db: db)
                summary.reminders += 1
            }
        }
        summary.extraReminders = try await remindExtraDays(at: now, horizon: horizon, app: app, db: db)
        return summary
    }

    /// A paid trip lengthened since owes its extra days: the agency is reminded once per new quote as departure nears
    /// (the service goes on; the days are billed, not withheld).
    static func remindExtraDays(at now: Date, horizon: Date, app: Application, db: any Database) async throws -> Int {
        let trips = try await Trip.query(on: db).filter(\.$planCode == PlanCode.light).filter(\.$servicePaidAt != nil)
            .filter(\.$status == .booked).filter(\.$departureAt <= horizon).filter(\.$departureAt > now).all()
        var reminded = 0
        for trip in trips {
            let account = try await CardPayments.account(tripID: trip.requireID(), on: db)
            guard account.dueMinor > 0, !account.processing, let quoteID = account.quote?.id else { continue }
            guard try await Invoicing.claimJob("light-extra:\(quoteID.uuidString.lowercased())", on: db) else { continue }
            try await tell(trip, kind: .lightPaymentReminder, app: app, db: db, extraMinor: account.dueMinor)
            reminded += 1
        }
        return reminded
    }

    /// Cancels the unpaid trip and tells the agency; whatever was paid towards it (credits, a part by card) goes back.
    static func release(_ trip: Trip, account: CardPayments.TripAccount, app: Application, db: any Database) async throws {
        let tripID = try trip.requireID()
        try await TripService.cancel(trip, reason: SystemCancellation.unpaidBeforeDeadline.stored, userID: nil, now: AppClock.now, on: db)
        let paid = account.paidMinor - account.refundedMinor
        trip.refundState = paid > 0 ? .pending : .notApplicable
        try await trip.save(on: db)
        if paid > 0 { try await Cancellations.settleCancellation(trip, app: app, db: db) }
        try await tell(trip, kind: .lightTripReleased, app: app, db: db)
        try await AgencyWebhooks.enqueue(agencyID: trip.$agency.id, .tripReleased(tripID: tripID, reference: trip.reference ?? ""), on: db)
    }

    /// The agency's administrators, in the agency's language, with the link to pay.
    static func tell(_ trip: Trip, kind: NotificationKind, app: Application, db: any Database, extraMinor: Int64? = nil) async throws {
        guard let agency = try await Agency.find(trip.$agency.id, on: db) else { return }
        let lang = agency.language
        let deadline = trip.departureAt.addingTimeInterval(-releaseHours * 3600)
        let currency = try await Quotes.currentQuote(tripID: trip.requireID(), on: db)?.currency ?? agency.currency
        let values = [
            "amount": extraMinor.map { Money(minorUnits: $0, currency: currency).formatted(lang) } ?? "",
            "reference": trip.reference ?? "—",
            "deadline": LocalDateTime.display(deadline, in: agency.zone, language: lang),
            "link": app.onspot.publicBaseURL + SiteURL.tripPayment(try trip.requireID()).path
        ]
        let key = kind == .lightTripReleased ? "light.released" : extraMinor == nil ? "light.reminder" : "light.extra"
        for admin in try await CardPayments.activeAdmins(of: agency.requireID(), on: db) {
            try await Mailer.send(
                OutgoingMail(to: admin.email, subject: L10n.t("\(key).subject", lang, values), body: L10n.t("\(key).body", lang, values)),
                kind: kind, agencyID: agency.id, userID: admin.id, db: db, app: app)
        }
    }
}
