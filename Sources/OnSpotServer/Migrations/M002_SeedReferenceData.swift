import Fluent
import Foundation
import OnSpotCore

/// Installs the two plans and the covered destinations; admins edit them afterwards.
struct M002_SeedReferenceData: AsyncMigration {
    func prepare(on db: any Database) async throws {
        for terms in PlanTerms.defaults {
            let plan = PlanRecord()
            plan.code = terms.code
            plan.name = terms.name
            plan.billingMode = terms.billingMode
            plan.refundNoticeHours = terms.refundNoticeHours
            plan.whiteLabel = terms.whiteLabel
            plan.pricePerTravellerDayMinor = terms.pricePerTravellerPerDayMinorUnits
            plan.minimumPerTripMinor = terms.minimumPerTripMinorUnits
            plan.currency = terms.currency
            plan.gridVersion = 1
            plan.updatedAt = AppClock.now
            try await plan.create(on: db)
        }
        for seed in DestinationCatalog.all {
            let d = DestinationRecord()
            d.code = seed.code
            d.countryCode = seed.countryCode
            d.name = seed.name
            d.timeZone = seed.timeZone
            d.setHours(OpeningHours.everyDay(OpeningHours.parseSlots(seed.hours) ?? []))
            d.tollFreeNumber = seed.tollFree
            d.whatsAppNumber = seed.whatsApp
            d.email = seed.email
            d.languages = seed.languages.map(\.rawValue).joined(separator: ",")
            d.emergencyNumber = seed.emergencyNumber
            d.active = true
            d.updatedAt = AppClock.now
            try await d.create(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        try await DestinationRecord.query(on: db).delete()
        try await PlanRecord.query(on: db).delete()
    }
}
