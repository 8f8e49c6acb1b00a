import Fluent
import NIOConcurrencyHelpers
import Foundation
import OnSpotCore

final class PlanRecord: Model, @unchecked Sendable {
    static let schema = "plans"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: PlanCode
    @Field(key: "name") var name: String
    @Field(key: "billing_mode") var billingMode: BillingMode
    @Field(key: "refund_notice_hours") var refundNoticeHours: Int
    @Field(key: "white_label") var whiteLabel: Bool
    @Field(key: "price_per_traveller_day_minor") var pricePerTravellerDayMinor: Int64
    @Field(key: "minimum_per_trip_minor") var minimumPerTripMinor: Int64
    @Field(key: "currency") var currency: CurrencyCode
    /// Bumped at each edit so quotes can cite the grid they used.
    @Field(key: "grid_version") var gridVersion: Int
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    init() {}
}

final class DestinationRecord: Model, @unchecked Sendable {
    static let schema = "destinations"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "country_code") var countryCode: String
    @Field(key: "name") var name: String
    @Field(key: "time_zone") var timeZone: String
    /// JSON: weekday number (1 = Monday) to "08:00-12:00,14:00-20:00".
    @Field(key: "opening_hours") var openingHours: String
    /// JSON: [{"month":12,"day":25}, …]
    @Field(key: "closure_days") var closureDays: String
    @Field(key: "toll_free_number") var tollFreeNumber: String
    @Field(key: "whatsapp_number") var whatsAppNumber: String
    @OptionalField(key: "messenger_page") var messengerPage: String?
    @Field(key: "email") var email: String
    /// Comma-separated language codes.
    @Field(key: "languages") var languages: String
    @Field(key: "emergency_number") var emergencyNumber: String
    @Field(key: "active") var active: Bool
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    /// Where the destination lies: what weather alerts' areas are matched against (the catalogue's, by code).
    var centre: GeoPoint? { DestinationCatalog.centres[code] }

    var zone: TimeZone { TimeZones.named(timeZone) ?? TimeZone(identifier: "UTC")! }

    /// Parsed once per distinct text: the console computes SLA clocks for every queued case from these.
    var hours: OpeningHours {
        let key = openingHours + "\u{0}" + closureDays
        if let known = DestinationRecord.parsedHours.withLockedValue({ $0[key] }) { return known }
        let parsed = parseHours()
        DestinationRecord.parsedHours.withLockedValue { cache in
            if cache.count > 512 { cache.removeAll() }
            cache[key] = parsed
        }
        return parsed
    }

    private static let parsedHours = NIOLockedValueBox<[String: OpeningHours]>([:])

    private func parseHours() -> OpeningHours {
        let weekly = (try? JSONDecoder().decode([String: String].self, from: Data(openingHours.utf8))) ?? [:]
        var result: [Weekday: [TimeSlot]] = [:]
        for (key, text) in weekly {
            if let n = Int(key), let day = Weekday(rawValue: n), let slots = OpeningHours.parseSlots(text) { result[day] = slots }
        }
        let closures = (try? JSONDecoder().decode([ClosureDay].self, from: Data(closureDays.utf8))) ?? ClosureDay.contractual
        return OpeningHours(weekly: result, closures: closures)
    }

    func setHours(_ hours: OpeningHours) {
        var weekly: [String: String] = [:]
        for day in Weekday.allCases { weekly[String(day.rawValue)] = OpeningHours.formatSlots(hours.weekly[day] ?? []) }
        openingHours = String(decoding: try! JSONEncoder.sorted.encode(weekly), as: UTF8.self)
        closureDays = String(decoding: try! JSONEncoder.sorted.encode(hours.closures), as: UTF8.self)
    }

    var languageList: [Language] { languages.split(separator: ",").compactMap { Language(rawValue: String($0)) } }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// SLA targets per plan, in minutes of the destination's opening hours.
final class ServiceLevelRecord: Model, @unchecked Sendable {
    static let schema = "service_levels"
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_code") var planCode: PlanCode
    @Field(key: "first_response_minutes") var firstResponseMinutes: Int
    @Field(key: "resolution_minutes") var resolutionMinutes: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var level: ServiceLevel { ServiceLevel(firstResponseMinutes: firstResponseMinutes, resolutionMinutes: resolutionMinutes) }
}
