import Foundation

/// Resolves the facts of a disrupted flight and asks every regime what it gives.
public enum RightsCalculator {
    public static func assess(_ input: DisruptionCase) throws -> RightsAssessment {
        let facts = try resolve(input)
        let assessments = [
            EU261.assess(facts, variant: EU261.eu),
            EU261.assess(facts, variant: EU261.uk),
            APPR.assess(facts),
            USDOT.assess(facts),
            ANAC400.assess(facts),
            MexicoLAC.assess(facts),
            AustraliaACL.assess(facts),
            NewZealandCAA.assess(facts)
        ]
        return RightsAssessment(distanceKm: Int(facts.distanceKm.rounded()), assessments: assessments)
    }

    public static func resolve(_ c: DisruptionCase) throws -> DisruptionFacts {
        var errors: [FieldError] = []
        if c.journey.count < 2 {
            errors.append(FieldError(field: "journey", message: "Give at least the origin and the final destination (IATA codes)."))
        }
        if c.journey.count > 10 { errors.append(FieldError(field: "journey", message: "At most 10 airports.")) }
        var airports: [Airport] = []
        for (i, code) in c.journey.enumerated() {
            if let a = ReferenceData.airports[code.uppercased()] {
                airports.append(a)
            } else {
                errors.append(FieldError(field: "journey[\(i)]", message: "Unknown IATA airport code '\(code.prefix(10))'."))
            }
        }
        func instant(_ text: String?, _ field: String, required: Bool) -> Date? {
            guard let text, !text.isEmpty else {
                if required { errors.append(FieldError(field: field, message: "Required: an ISO 8601 date-time with offset.")) }
                return nil
            }
            guard text.count <= 40, let d = isoFormatter.date(from: text) else {
                errors.append(FieldError(field: field, message: "Expected an ISO 8601 date-time with offset, e.g. 2026-06-01T10:00:00+02:00."))
                return nil
            }
            return d
        }
        let scheduledDeparture = instant(c.scheduledDeparture, "scheduledDeparture", required: true)
        let scheduledArrival = instant(c.scheduledArrival, "scheduledArrival", required: true)
        let actualArrival = instant(c.actualArrival, "actualArrival", required: c.event == .delay)
        let rerouteDeparture = instant(c.reroute?.departure, "reroute.departure", required: false)
        let rerouteArrival = instant(c.reroute?.arrival, "reroute.arrival", required: false)
        if let d = scheduledDeparture, let a = scheduledArrival, a <= d {
            errors.append(FieldError(field: "scheduledArrival", message: "The scheduled arrival must follow the scheduled departure."))
        }
        if let n = c.noticeDays, n < 0 || n > 400 { errors.append(FieldError(field: "noticeDays", message: "Days from 0 to 400.")) }
        for (amount, field) in [(c.fare, "fare"), (c.provenLoss, "provenLoss")] {
            if let amount, amount.amount < 0 || amount.currency.count != 3 {
                errors.append(FieldError(field: field, message: "A non-negative amount with a 3-letter ISO currency."))
            }
        }
        let carrierCode = c.operatingCarrier?.uppercased()
        if let code = carrierCode, code.count != 2 {
            errors.append(FieldError(field: "operatingCarrier", message: "A 2-character IATA airline code."))
        }
        guard errors.isEmpty, airports.count >= 2, let dep = scheduledDeparture, let arr = scheduledArrival else {
            throw RightsError.invalid(errors)
        }
        let airline = carrierCode.flatMap { ReferenceData.airlines[$0] }
        return DisruptionFacts(
            origin: airports.first!, destination: airports.last!,
            distanceKm: ReferenceData.greatCircleKm(airports.first!, airports.last!),
            carrierCode: carrierCode, carrierCountry: c.carrier?.country?.uppercased() ?? airline?.country,
            canadaSize: c.carrier?.canadaSize ?? airline?.canadaSize, event: c.event,
            scheduledDeparture: dep, scheduledArrival: arr, actualArrival: actualArrival,
            rerouteDeparture: rerouteDeparture, rerouteArrival: rerouteArrival, noticeDays: c.noticeDays,
            cause: c.cause ?? .unknown, fare: c.fare, provenLoss: c.provenLoss, passengerChoice: c.passengerChoice,
            voluntary: c.voluntary ?? false)
    }
}
