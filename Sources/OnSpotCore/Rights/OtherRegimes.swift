import Foundation

/// Canada: Air Passenger Protection Regulations, SOR/2019-150 (as amended by SOR/2022-134, 8 September 2022).
public enum APPR {
    enum Control { case outside, safety, within }

    /// s. 10(1) lists situations outside the carrier's control (weather, ATC instructions, security threats, wildlife
    /// collisions, airport operation issues, labour disruptions within the carrier or an essential service provider);
    /// s. 11 covers delays within its control but required for safety (mechanical malfunctions).
    static func control(_ cause: DisruptionCause) -> (Control, String) {
        switch cause {
        case .weather: (.outside, "s. 10(1)")
        case .atc: (.outside, "s. 10(1)")
        case .atcStrike: (.outside, "s. 10(1)")
        case .birdStrike: (.outside, "s. 10(1)")
        case .security: (.outside, "s. 10(1)")
        case .airportClosure: (.outside, "s. 10(1)")
        case .airlineStaffStrike: (.outside, "s. 10(1)")
        case .technical: (.safety, "s. 11")
        case .crew, .overbooking, .itFailure, .unknown: (.within, "s. 12")
        }
    }

    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        guard f.origin.country == "CA" || f.destination.country == "CA" else {
            return RegimeAssessment(
                regime: "APPR", applies: false, basis: ["Canada Transportation Act s. 86.11"],
                notes: ["APPR covers flights to, from and within Canada only."])
        }
        var notes: [String] = []
        let size = f.canadaSize ?? .large
        if f.canadaSize == nil { notes.append("Carrier size unknown: large-carrier amounts shown (s. 1(1) definitions).") }
        let hours = f.arrivalDelay.map { $0 / 3600 }
        let (control, section) = control(f.cause)
        if f.cause == .unknown { notes.append("Cause unknown: assessed as within the carrier's control; the carrier must show otherwise.") }
        var basis = ["Canada Transportation Act s. 86.11", section]
        // s. 14 (care) and s. 17 (rebooking, refund) are cited only with what they give.
        func rights(care: [CareItem], refund: Bool) -> [String] { (care.isEmpty ? [] : ["s. 14"]) + (refund ? ["s. 17"] : []) }

        if f.event == .deniedBoarding {
            // s. 11 and s. 12 govern delays and cancellations: a denial of boarding is s. 10(1) when outside the carrier's
            // control, else ss. 15 to 20 alone.
            basis = ["Canada Transportation Act s. 86.11"]
            if f.voluntary {
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: false, basis: basis + ["s. 15"],
                    notes: notes + ["Volunteers receive the benefits they accept in writing (s. 15)."])
            }
            guard control != .outside else {
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: true, basis: basis + [section, "s. 18"],
                    notes: notes + ["Denied boarding outside the carrier's control: rebooking or refund, no compensation."])
            }
            // s. 20(1): $900 under 6 hours late, $1,800 from 6 to 9 hours, $2,400 from 9 hours, whatever the carrier's size.
            guard let h = hours else {
                let care: [CareItem] = [.meals, .communication]
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: true, care: care, basis: basis + rights(care: care, refund: true) + ["s. 20(1)"],
                    notes: notes + ["Compensation depends on the arrival delay: $900 (< 6 h), $1,800 (6–9 h), $2,400 (≥ 9 h)."])
            }
            let amount: Decimal = h < 6 ? 900 : (h < 9 ? 1800 : 2400)
            let care = careItems(f)
            return RegimeAssessment(
                regime: "APPR", applies: true, compensation: Amount(amount, "CAD"), refund: true,
                care: care, basis: basis + rights(care: care, refund: true) + ["s. 20(1)"],
                notes: notes + ["Payable on the spot; paid within 48 hours at the latest (s. 20(2))."])
        }

        switch control {
        case .outside:
            let amended = f.scheduledDeparture >= iso("2022-09-08T00:00:00Z")
            notes.append(
                amended
                    ? "Rebooking on a flight leaving within 48 hours; otherwise, the passenger's choice of a refund or alternate arrangements (s. 18(1.1))."
                    : "Rebooking on the next available flight (s. 18); before 8 September 2022, no refund was required for situations outside the carrier's control."
            )
            return RegimeAssessment(regime: "APPR", applies: true, refund: amended, basis: basis + ["s. 18"], notes: notes)
        case .safety:
            // s. 17: rebooking or refund after a cancellation or a delay of 3 hours or more.
            let refund = f.event == .cancellation || (hours ?? 0) >= 3
            let care = careItems(f)
            return RegimeAssessment(
                regime: "APPR", applies: true, refund: refund, care: care, basis: basis + rights(care: care, refund: refund),
                notes: notes + ["Within the carrier's control but required for safety: care and rebooking or refund, no compensation."])
        case .within:
            if f.event == .cancellation, let days = f.noticeDays, days >= 14 {
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: true, care: [], basis: basis + rights(care: [], refund: true) + ["s. 12(2)(d)"],
                    notes: notes + ["Announced 14 days or more before departure: no compensation."])
            }
            if f.passengerChoice == .refund {
                // s. 19(2): a passenger who takes the refund receives $400 (large) or $125 (small).
                let care = careItems(f)
                return RegimeAssessment(
                    regime: "APPR", applies: true, compensation: Amount(size == .large ? 400 : 125, "CAD"), refund: true,
                    care: care, basis: basis + rights(care: care, refund: true) + ["s. 19(2)"], notes: notes)
            }
            guard let h = hours else {
                let care: [CareItem] = [.meals, .communication]
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: true, care: care, basis: basis + rights(care: care, refund: true) + ["s. 19(1)"],
                    notes: notes + ["Compensation depends on the arrival delay at the destination on the original ticket."])
            }
            // s. 19(1): large $400 (3–6 h), $700 (6–9 h), $1,000 (≥ 9 h); small $125, $250, $500.
            guard h >= 3 else {
                let care = careItems(f)
                return RegimeAssessment(
                    regime: "APPR", applies: true, refund: false, care: care, basis: basis + rights(care: care, refund: false) + ["s. 19(1)"],
                    notes: notes + ["Arrival less than 3 hours late: no compensation."])
            }
            let table: [Decimal] = size == .large ? [400, 700, 1000] : [125, 250, 500]
            let amount = h < 6 ? table[0] : (h < 9 ? table[1] : table[2])
            let care = careItems(f)
            return RegimeAssessment(
                regime: "APPR", applies: true, compensation: Amount(amount, "CAD"), refund: true,
                care: care, basis: basis + rights(care: care, refund: true) + ["s. 19(1)(\(size == .large ? "a" : "b"))"],
                notes: notes + ["Claim within one year; the carrier answers within 30 days (s. 19(3), (4))."])
        }
    }

    /// s. 14(1): food and drink and a means of communication after 2 hours; hotel and transport for a night's wait.
    static func careItems(_ f: DisruptionFacts) -> [CareItem] {
        let waited = f.arrivalDelay ?? (f.event == .delay ? 0 : 2 * 3600)
        var care: [CareItem] = waited >= 2 * 3600 ? [.meals, .communication] : []
        if f.overnight { care += [.hotel, .transport] }
        return care
    }
}

/// United States: 14 CFR part 250 (oversales) and part 260 (refunds). No federal compensation for delays.
public enum USDOT {
    /// § 250.5 limits, adjusted every two years: 86 FR 2534 (in force 13 April 2021), 89 FR 84815 (22 January 2025).
    static func caps(on date: Date) -> (Decimal, Decimal, String) {
        if date >= iso("2025-01-22T00:00:00Z") { return (1075, 2150, "89 FR 84815") }
        if date >= iso("2021-04-13T00:00:00Z") { return (775, 1550, "86 FR 2534") }
        return (675, 1350, "80 FR 30144")
    }

    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        let touchesUS = f.origin.country == "US" || f.destination.country == "US"
        guard touchesUS else {
            return RegimeAssessment(
                regime: "US_DOT", applies: false, basis: ["14 CFR 250.2", "14 CFR 260.1"],
                notes: ["The US rules cover flights to, from and within the United States."])
        }
        let hours = f.arrivalDelay.map { $0 / 3600 }
        let domestic = f.isDomestic
        switch f.event {
        case .delay:
            // § 260.2: a significant change is a departure or arrival 3 hours later (domestic) or 6 hours (international).
            let threshold = domestic ? 3.0 : 6.0
            let refund = (hours ?? 0) >= threshold
            // § 260.6 refunds only a significant change (§ 260.2): cited only when there is one.
            return RegimeAssessment(
                regime: "US_DOT", applies: true, refund: refund, basis: ["14 CFR 260.2"] + (refund ? ["14 CFR 260.6"] : []),
                notes: ["US law gives no compensation for delays."]
                    + (refund
                        ? ["A significant change: the passenger who declines the new itinerary is refunded."]
                        : ["Less than \(Int(threshold)) hours late is not a significant change (§ 260.2): no refund."]))
        case .cancellation:
            return RegimeAssessment(
                regime: "US_DOT", applies: true, refund: true, basis: ["14 CFR 260.6"],
                notes: ["Refund if the passenger declines the alternative; no compensation for cancellations."])
        case .deniedBoarding:
            guard f.origin.country == "US" else {
                return RegimeAssessment(
                    regime: "US_DOT", applies: true, refund: true, basis: ["14 CFR 250.2"],
                    notes: ["Denied boarding compensation covers flights departing from a US airport only."])
            }
            if f.voluntary {
                return RegimeAssessment(
                    regime: "US_DOT", applies: true, refund: false, basis: ["14 CFR 250.2b"],
                    notes: ["Volunteers are paid what they agree with the carrier."])
            }
            let (low, high, source) = caps(on: f.scheduledDeparture)
            let upper = domestic ? 2.0 : 4.0
            let paragraph = domestic ? "(a)" : "(b)"
            var basis = ["14 CFR 250.5\(paragraph)", source]
            // No reroute offered counts as the longest delay (§ 250.5(a)(3), (b)(3)).
            let h = hours ?? .infinity
            if h <= 1 {
                return RegimeAssessment(
                    regime: "US_DOT", applies: true, refund: true, basis: basis + ["14 CFR 250.5\(paragraph)(1)"],
                    notes: ["Alternative arriving within 1 hour of the original: no compensation."])
            }
            let (percent, cap, item): (Decimal, Decimal, String) = h < upper ? (2, low, "(2)") : (4, high, "(3)")
            basis.append("14 CFR 250.5\(paragraph)\(item)")
            guard let fare = f.fare else {
                return RegimeAssessment(
                    regime: "US_DOT", applies: true, refund: true, basis: basis,
                    notes: ["\(percent * 100)% of the one-way fare, at most $\(cap): give the fare to get the amount."])
            }
            // The caps are in US dollars: without an exchange rate no amount is given for another currency.
            guard fare.currency == "USD" else {
                return RegimeAssessment(
                    regime: "US_DOT", applies: true, refund: true, basis: basis,
                    notes: ["\(percent * 100)% of the one-way fare, at most $\(cap): give the fare in USD to get the amount."])
            }
            let notes = ["Paid in cash or check on the day (§ 250.8)."]
            let amount = min((fare.amount * percent).rounded(2), cap)
            return RegimeAssessment(
                regime: "US_DOT", applies: true, compensation: Amount(amount, fare.currency), refund: true,
                basis: basis, notes: notes)
        }
    }
}

/// Brazil: ANAC Resolution No. 400 of 13 December 2016.
public enum ANAC400 {
    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        guard f.origin.country == "BR" || f.destination.country == "BR" else {
            return RegimeAssessment(
                regime: "BR_ANAC400", applies: false, basis: ["Res. 400 art. 1"],
                notes: ["ANAC Resolution 400 covers flights operated to, from and within Brazil."])
        }
        let wait = f.arrivalDelay ?? 0
        // Art. 27: communication from 1 hour, food from 2 hours, accommodation and transport from 4 hours (a night's stay).
        var care: [CareItem] = []
        if wait >= 3600 || f.event != .delay { care.append(.communication) }
        if wait >= 2 * 3600 { care.append(.meals) }
        if wait >= 4 * 3600 && (f.overnight || f.event != .delay) { care += [.hotel, .transport] }
        var basis = ["Res. 400 art. 26", "Res. 400 art. 27"]
        var notes = ["Damages beyond these rights are claimed under the Consumer Defence Code (CDC art. 14)."]
        switch f.event {
        case .delay:
            if care.isEmpty { notes.append("Less than an hour late: no assistance is due yet (art. 27).") }
            let refund = wait > 4 * 3600
            if refund {
                basis.append("Res. 400 art. 21");
                notes.append("Delay over 4 hours: rerouting, refund or another mode of transport, at the passenger's choice.")
            }
            return RegimeAssessment(regime: "BR_ANAC400", applies: true, refund: refund, care: care, basis: basis, notes: notes)
        case .cancellation:
            return RegimeAssessment(regime: "BR_ANAC400", applies: true, refund: true, care: care, basis: basis + ["Res. 400 art. 21"], notes: notes)
        case .deniedBoarding:
            if f.voluntary {
                return RegimeAssessment(
                    regime: "BR_ANAC400", applies: true, refund: true, care: care, basis: basis + ["Res. 400 art. 23"],
                    notes: ["Volunteers receive the compensation they negotiate with the carrier."])
            }
            // Art. 24: immediate compensation of 250 SDR (domestic) or 500 SDR (international).
            let amount: Decimal = f.isDomestic ? 250 : 500
            return RegimeAssessment(
                regime: "BR_ANAC400", applies: true, compensation: Amount(amount, "XDR"), refund: true, care: care,
                basis: basis + ["Res. 400 art. 21", "Res. 400 art. 22", "Res. 400 art. 24"],
                notes: notes + ["Amount in Special Drawing Rights (XDR), paid immediately in cash, transfer or voucher."])
        }
    }
}

/// Mexico: Ley de Aviación Civil, art. 47 Bis (DOF 26 June 2017) and art. 52 (overbooking).
public enum MexicoLAC {
    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        guard f.origin.country == "MX" || f.destination.country == "MX" else {
            return RegimeAssessment(
                regime: "MX", applies: false, basis: ["LAC art. 47 Bis"],
                notes: ["Mexican rules cover flights operated to, from and within Mexico."])
        }
        let atFault = ![.weather, .atc, .atcStrike, .security, .airportClosure, .birdStrike].contains(f.cause)
        var notes: [String] = []
        if f.cause == .unknown { notes.append("Cause unknown: assessed as attributable to the airline.") }
        guard atFault else {
            return RegimeAssessment(
                regime: "MX", applies: true, refund: f.event == .cancellation, basis: ["LAC art. 47 Bis"],
                notes: ["Causes not attributable to the airline give no compensation."])
        }
        func percentOfFare(_ p: Decimal) -> Amount? { f.fare.map { Amount(($0.amount * p / 100).rounded(2), $0.currency) } }
        if f.fare == nil { notes.append("Give the ticket price to get the amount.") }
        switch f.event {
        case .delay:
            let h = (f.arrivalDelay ?? 0) / 3600
            if h >= 4 {
                return RegimeAssessment(
                    regime: "MX", applies: true, compensation: percentOfFare(25), refund: true,
                    care: [.meals, .communication] + (f.overnight ? [.hotel, .transport] : []),
                    basis: ["LAC art. 47 Bis fr. III", "LAC art. 52"],
                    notes: notes + ["At least 25% of the ticket price, with a refund or a new flight."])
            }
            if h >= 2 {
                // Fraction II: "more than two and less than four hours"; 2 hours exactly is read as included.
                return RegimeAssessment(
                    regime: "MX", applies: true, compensation: percentOfFare(7.5), refund: false,
                    care: [.meals, .communication], basis: ["LAC art. 47 Bis fr. II"],
                    notes: notes + ["At least 7.5% of the ticket price."])
            }
            if h > 1 {
                return RegimeAssessment(
                    regime: "MX", applies: true, refund: false, care: [.meals], basis: ["LAC art. 47 Bis fr. I"],
                    notes: ["Food and drink or discounts on future flights; no cash compensation."])
            }
            return RegimeAssessment(regime: "MX", applies: true, refund: false, basis: ["LAC art. 47 Bis"], notes: ["Under 1 hour: nothing due."])
        case .cancellation:
            return RegimeAssessment(
                regime: "MX", applies: true, compensation: percentOfFare(25), refund: true, care: [.meals, .communication],
                basis: ["LAC art. 47 Bis fr. III", "LAC art. 52"], notes: notes + ["At least 25% of the ticket price."])
        case .deniedBoarding:
            if f.voluntary {
                return RegimeAssessment(
                    regime: "MX", applies: true, refund: true, basis: ["LAC art. 52"], notes: ["Volunteers receive the benefits they agree."])
            }
            return RegimeAssessment(
                regime: "MX", applies: true, compensation: percentOfFare(25), refund: true, care: [.meals, .communication],
                basis: ["LAC art. 52"], notes: notes + ["At least 25% of the ticket price, with a new flight or a refund."])
        }
    }
}

/// Australia: no statutory compensation; the consumer guarantees of the Australian Consumer Law apply to the service.
public enum AustraliaACL {
    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        guard f.origin.country == "AU" || f.destination.country == "AU" else {
            return RegimeAssessment(
                regime: "AU", applies: false, basis: ["Competition and Consumer Act 2010 Sch. 2"],
                notes: ["Australian consumer law concerns services supplied in Australia."])
        }
        // s. 267 (the remedies of a major failure, a refund among them) is cited where the answer gives that refund.
        let refund = f.event != .delay
        return RegimeAssessment(
            regime: "AU", applies: true, refund: refund,
            basis: ["Competition and Consumer Act 2010 Sch. 2 (Australian Consumer Law) ss. 60–62"] + (refund ? ["ACL s. 267"] : []),
            notes: [
                "Australia has no statutory compensation for delays, cancellations or denied boarding.",
                "A major failure of the service (such as a cancellation not remedied) allows a refund; other losses are claimed under the consumer guarantees; the airline's customer charter may offer more."
            ])
    }
}

/// New Zealand domestic carriage: Civil Aviation Act 2023 ss. 274, 276, 277 (from 5 April 2025); before that,
/// Civil Aviation Act 1990 ss. 91Z, 91ZC. Liability for delay is the lesser of the proven loss and ten times the fare.
public enum NewZealandCAA {
    public static func assess(_ f: DisruptionFacts) -> RegimeAssessment {
        guard f.origin.country == "NZ" && f.destination.country == "NZ" else {
            return RegimeAssessment(
                regime: "NZ", applies: false, basis: ["Civil Aviation Act 2023 s. 274"],
                notes: ["New Zealand's domestic rules cover journeys within New Zealand; international carriage falls under the Montreal Convention."]
            )
        }
        let newAct = f.scheduledDeparture >= iso("2025-04-05T00:00:00Z")
        let liability = newAct ? "Civil Aviation Act 2023 s. 274" : "Civil Aviation Act 1990 s. 91Z"
        let limit = newAct ? "Civil Aviation Act 2023 s. 277" : "Civil Aviation Act 1990 s. 91ZC"
        if [.weather, .atc, .atcStrike, .security].contains(f.cause) {
            return RegimeAssessment(
                regime: "NZ", applies: true, refund: false, basis: [liability],
                notes: ["No liability for delay caused by weather, air traffic control instructions or a lawful authority's orders."])
        }
        var notes = ["The carrier is not liable if it proves it took all reasonable measures to avoid the damage (\(newAct ? "s. 276" : "s. 91ZA"))."]
        guard let fare = f.fare, let loss = f.provenLoss else {
            notes.append("Give the fare and the proven loss: the carrier owes the lesser of the loss and ten times the fare.")
            return RegimeAssessment(regime: "NZ", applies: true, refund: false, basis: [liability, limit], notes: notes)
        }
        guard fare.currency == loss.currency else {
            notes.append("Fare and loss must be in the same currency to compare them.")
            return RegimeAssessment(regime: "NZ", applies: true, refund: false, basis: [liability, limit], notes: notes)
        }
        let amount = min(loss.amount, fare.amount * 10)
        return RegimeAssessment(
            regime: "NZ", applies: true, compensation: Amount(amount.rounded(2), fare.currency), refund: false,
            basis: [liability, limit], notes: notes)
    }
}

func iso(_ text: String) -> Date { isoFormatter.date(from: text)! }

/// ISO8601DateFormatter is thread-safe and costly to create: one for the module.
nonisolated(unsafe) let isoFormatter: ISO8601DateFormatter = {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f
}()
