import Foundation

/// Regulation (EC) No 261/2004, and the UK's retained version ("UK261", The Air Passenger Rights and Air Travel
/// Organisers' Licensing (Amendment) (EU Exit) Regulations 2019), which keeps its article numbers.
public enum EU261 {
    public struct Variant: Sendable {
        public let regime: String
        public let currency: String
        /// Art. 7(1)(a), (b), (c).
        public let amounts: (Decimal, Decimal, Decimal)
        /// Where the regulation applies to departures.
        public let territory: Set<String>
        /// Carriers whose flights into the territory are covered (Art. 3(1)(b)).
        public let coveredCarrierCountries: Set<String>
        public let hasIntraCommunityBand: Bool
    }

    /// EU member states, the outermost regions that keep their own country codes (Art. 349 TFEU: Guadeloupe,
    /// French Guiana, Martinique, Réunion, Mayotte, Saint-Martin; the Azores, Madeira and the Canaries are PT/ES),
    /// and the EEA states and Switzerland, which apply the Regulation by agreement.
    public static let euTerritory: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GP", "GF", "MQ", "RE", "YT", "MF", "IS", "NO", "LI", "CH"
    ]

    public static let eu = Variant(
        regime: "EU261", currency: "EUR", amounts: (250, 400, 600), territory: euTerritory,
        coveredCarrierCountries: euTerritory, hasIntraCommunityBand: true)
    /// UK261 Art. 7(1): £220, £350, £520; Art. 3(1)(b) covers UK and EU carriers flying into the UK (CAA guidance).
    public static let uk = Variant(
        regime: "UK261", currency: "GBP", amounts: (220, 350, 520), territory: ["GB"],
        coveredCarrierCountries: euTerritory.union(["GB"]), hasIntraCommunityBand: false)

    public struct Band: Equatable, Sendable {
        /// "a", "b" or "c" of Art. 7(1).
        public let letter: String
        public let amount: Decimal
        /// Art. 7(2) and Art. 6(1): 2, 3 or 4 hours.
        public let thresholdHours: Double
    }

    /// Art. 7(1): (a) 1,500 km or less; (b) intra-Community flights over 1,500 km and all others between 1,500 and
    /// 3,500 km; (c) the rest.
    public static func band(distanceKm: Double, intraCommunity: Bool, variant: Variant) -> Band {
        if distanceKm <= 1500 { return Band(letter: "a", amount: variant.amounts.0, thresholdHours: 2) }
        if distanceKm <= 3500 || (intraCommunity && variant.hasIntraCommunityBand) {
            return Band(letter: "b", amount: variant.amounts.1, thresholdHours: 3)
        }
        return Band(letter: "c", amount: variant.amounts.2, thresholdHours: 4)
    }

    /// Recital 14 and the Court's case law: which causes are extraordinary circumstances (Art. 5(3)).
    static func extraordinary(_ cause: DisruptionCause) -> (Bool?, String) {
        switch cause {
        case .atc: (true, "Air traffic management decisions are extraordinary circumstances (Recital 14).")
        case .atcStrike: (true, "A strike of air traffic controllers, outside the carrier, is an extraordinary circumstance (Recital 14).")
        case .weather: (true, "Meteorological conditions incompatible with the flight are extraordinary circumstances (Recital 14).")
        case .birdStrike: (true, "A bird strike is an extraordinary circumstance (CJEU C-315/15 Pešková).")
        case .security: (true, "Security risks are extraordinary circumstances (Recital 14).")
        case .airportClosure: (true, "An airport closure decided by the authorities is an extraordinary circumstance (Recital 14).")
        case .technical:
            (false, "Technical problems found in maintenance or caused by its failure are not extraordinary (CJEU C-549/07 Wallentin-Hermann).")
        case .crew: (false, "Unexpected absence of crew is inherent in the carrier's activity, not extraordinary (CJEU C-156/22 TAP Portugal).")
        case .airlineStaffStrike: (false, "A strike of the carrier's own staff is not extraordinary (CJEU C-195/17 Krüsemann, C-28/20 Airhelp).")
        case .overbooking: (false, "Overbooking is the carrier's commercial choice, never extraordinary.")
        case .itFailure: (false, "A failure of the carrier's own systems is inherent in its activity (test of CJEU C-549/07), not extraordinary.")
        case .unknown:
            (nil, "Compensation is due unless the carrier proves extraordinary circumstances that could not have been avoided (Art. 5(3)).")
        }
    }

    public static func assess(_ f: DisruptionFacts, variant v: Variant) -> RegimeAssessment {
        let departs = v.territory.contains(f.origin.country)
        let arrives = v.territory.contains(f.destination.country)
        let carrierCovered = f.carrierCountry.map { v.coveredCarrierCountries.contains($0) } ?? false
        guard departs || (arrives && carrierCovered) else {
            let why =
                arrives
                ? "A journey into the territory is covered only on a carrier licensed there (Art. 3(1)(b)); the operating carrier is not."
                : "The journey neither departs from nor arrives in the territory where \(v.regime) applies (Art. 3(1))."
            return RegimeAssessment(regime: v.regime, applies: false, basis: ["Art. 3(1)"], notes: [why])
        }
        var basis = [departs ? "Art. 3(1)(a)" : "Art. 3(1)(b)"]
        var notes: [String] = []
        if !departs {
            notes.append(
                "Not due if the passenger already received benefits or compensation and assistance in the third country of departure (Art. 3(1)(b)).")
        }
        let intra = departs && arrives
        let band = band(distanceKm: f.distanceKm, intraCommunity: intra, variant: v)
        let full = Amount(band.amount, v.currency)
        let half = Amount((band.amount / 2).rounded(2), v.currency)
        let delayHours = f.arrivalDelay.map { $0 / 3600 }
        let (extraordinary, causeNote) = extraordinary(f.cause)

        switch f.event {
        case .delay:
            let hours = delayHours ?? 0
            var care: [CareItem] = []
            // Art. 6(1): care once the delay reaches the band's threshold; a night to spend adds hotel and transport.
            if hours >= band.thresholdHours {
                care = [.meals, .communication]
                basis.append("Art. 6(1)(\(band.letter))")
                basis.append("Art. 9(1)(a), 9(2)")
                if f.overnight {
                    care += [.hotel, .transport]
                    basis.append("Art. 9(1)(b), 9(1)(c)")
                }
                notes.append("Care thresholds run on the departure delay; the arrival delay is used as its measure.")
            }
            let refund = hours >= 5
            if refund { basis.append("Art. 6(1)(iii), 8(1)(a)") }
            guard hours >= 3 else {
                notes.append("An arrival delay under 3 hours gives no compensation (CJEU C-402/07 Sturgeon).")
                return RegimeAssessment(regime: v.regime, applies: true, refund: refund, care: care, basis: basis, notes: notes)
            }
            basis.append("Art. 7(1)(\(band.letter))")
            basis.append("CJEU C-402/07 and C-432/07 Sturgeon")
            if extraordinary == true {
                notes.append(causeNote)
                return RegimeAssessment(regime: v.regime, applies: true, refund: refund, care: care, basis: basis + ["Art. 5(3)"], notes: notes)
            }
            notes.append(causeNote)
            // Sturgeon: a 3-to-4-hour delay on a band (c) flight may be halved under Art. 7(2)(c); read literally,
            // "does not exceed" includes the threshold itself.
            let reducible = hours <= band.thresholdHours
            if reducible { basis.append("Art. 7(2)(\(band.letter))") }
            return RegimeAssessment(
                regime: v.regime, applies: true, compensation: full, reducibleTo: reducible ? half : nil,
                refund: refund, care: care, basis: basis, notes: notes)

        case .cancellation:
            basis += ["Art. 5(1)(a)", "Art. 8(1)", "Art. 5(1)(b)", "Art. 9(1)(a), 9(2)"]
            var care: [CareItem] = [.meals, .communication]
            if f.overnight {
                care += [.hotel, .transport]
                basis.append("Art. 9(1)(b), 9(1)(c)")
            }
            if let exempt = noticeExemption(f) {
                notes.append(exempt.1)
                return RegimeAssessment(regime: v.regime, applies: true, refund: true, care: care, basis: basis + [exempt.0], notes: notes)
            }
            if f.noticeDays == nil { notes.append("Notice not given: assessed as announced less than 7 days before departure.") }
            basis.append("Art. 5(1)(c)")
            basis.append("Art. 7(1)(\(band.letter))")
            if extraordinary == true {
                notes.append(causeNote)
                return RegimeAssessment(regime: v.regime, applies: true, refund: true, care: care, basis: basis + ["Art. 5(3)"], notes: notes)
            }
            notes.append(causeNote)
            let reducible = delayHours.map { $0 <= band.thresholdHours } ?? false
            if reducible { basis.append("Art. 7(2)(\(band.letter))") }
            return RegimeAssessment(
                regime: v.regime, applies: true, compensation: full, reducibleTo: reducible ? half : nil,
                refund: true, care: care, basis: basis, notes: notes)

        case .deniedBoarding:
            if f.voluntary {
                notes.append("Volunteers receive the benefits they agree with the carrier and the choice of Art. 8, not Art. 7 compensation.")
                return RegimeAssessment(regime: v.regime, applies: true, refund: true, basis: basis + ["Art. 4(1)", "Art. 8(1)"], notes: notes)
            }
            basis += ["Art. 4(3)", "Art. 7(1)(\(band.letter))", "Art. 8(1)", "Art. 9(1)(a), 9(2)"]
            var care: [CareItem] = [.meals, .communication]
            if f.overnight {
                care += [.hotel, .transport]
                basis.append("Art. 9(1)(b), 9(1)(c)")
            }
            if f.cause == .security {
                notes.append(
                    "Boarding refused for security reasons is not a denied boarding under Art. 2(j): no compensation if those grounds are reasonable."
                )
            }
            let reducible = delayHours.map { $0 <= band.thresholdHours } ?? false
            if reducible { basis.append("Art. 7(2)(\(band.letter))") }
            return RegimeAssessment(
                regime: v.regime, applies: true, compensation: full, reducibleTo: reducible ? half : nil,
                refund: true, care: care, basis: basis, notes: notes)
        }
    }

    /// Art. 5(1)(c): no compensation when the cancellation was announced early enough, with a close alternative.
    static func noticeExemption(_ f: DisruptionFacts) -> (String, String)? {
        guard let days = f.noticeDays else { return nil }
        if days >= 14 { return ("Art. 5(1)(c)(i)", "Announced at least two weeks before departure: no compensation.") }
        guard let dep = f.rerouteDeparture, let arr = f.rerouteArrival else { return nil }
        let earlier = f.scheduledDeparture.timeIntervalSince(dep) / 3600
        let later = arr.timeIntervalSince(f.scheduledArrival) / 3600
        if days >= 7, earlier <= 2, later < 4 {
            return (
                "Art. 5(1)(c)(ii)",
                "Announced 7 to 14 days ahead with an alternative leaving at most 2 h earlier and arriving less than 4 h later: no compensation."
            )
        }
        if days < 7, earlier <= 1, later < 2 {
            return (
                "Art. 5(1)(c)(iii)",
                "Announced less than 7 days ahead with an alternative leaving at most 1 h earlier and arriving less than 2 h later: no compensation."
            )
        }
        return nil
    }
}
