import Fluent
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// Quotes: the price of a trip's service from its plan's grid, kept with the grid version used (clause 4.1).
enum Quotes {
    /// Prices a trip from its plan's current grid and keeps the quote with the grid version. A previous quote is
    /// superseded only when the trip's days or travellers changed: an edit of its notes or reference, or a new grid
    /// an admin saved since, does not reprice a trip already quoted.
    @discardableResult
    static func requote(trip: Trip, travellers: Int, zone: TimeZone, on db: any Database) async throws -> QuoteRecord {
        let tripID = try trip.requireID()
        let plan = try await PlanRecord.query(on: db).filter(\.$code == trip.planCode).first()
        let defaults = PlanTerms.defaults.first { $0.code == trip.planCode } ?? PlanTerms.defaults[0]
        var terms = defaults
        if let plan {
            terms.pricePerTravellerPerDayMinorUnits = plan.pricePerTravellerDayMinor
            terms.minimumPerTripMinorUnits = plan.minimumPerTripMinor
            terms.currency = plan.currency
        }
        let quote = Quote.make(
            terms: terms, gridVersion: plan?.gridVersion ?? 1, travellers: travellers, arrival: trip.arrivalAt,
            returnDate: trip.returnAt, zone: zone)
        if let current = try await currentQuote(tripID: tripID, on: db), current.travellers == quote.travellers, current.days == quote.days {
            return current
        }
        try await QuoteRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$supersededAt == nil).set(\.$supersededAt, to: AppClock.now).update()
        let record = QuoteRecord()
        record.tripID = tripID
        record.agencyID = trip.$agency.id
        record.planCode = quote.planCode
        record.gridVersion = quote.gridVersion
        record.travellers = quote.travellers
        record.days = quote.days
        record.amountMinor = quote.amount.minorUnits
        record.currency = quote.amount.currency
        record.createdAt = AppClock.now
        try await record.create(on: db)
        return record
    }

    static func currentQuote(tripID: UUID, on db: any Database) async throws -> QuoteRecord? {
        try await QuoteRecord.query(on: db).filter(\.$tripID == tripID).filter(\.$supersededAt == nil).sort(\.$createdAt, .descending).first()
    }
}
