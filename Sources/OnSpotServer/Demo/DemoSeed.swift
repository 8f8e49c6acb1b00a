import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Demo data for `onspot serve --demo`: a PLUS agency with an admin and an agent, a LIGHT agency, an expert,
/// an OnSpot admin and about twenty trips across destinations and states. Runs once per database.
public enum DemoSeed {
    public struct Login: Sendable { public let role: String; public let email: String; public let password: String }

    public static let password = "onspot-demo-2026"
    public static let logins = [
        Login(role: "agency admin (PLUS)", email: "admin@horizon-demo.example", password: password),
        Login(role: "agency agent (PLUS)", email: "agent@horizon-demo.example", password: password),
        Login(role: "agency admin (LIGHT)", email: "admin@evasion-demo.example", password: password),
        Login(role: "OnSpot expert", email: "expert@onspot-demo.example", password: password),
        Login(role: "OnSpot admin", email: "admin@onspot-demo.example", password: password)
    ]

    public static func run(on app: Application, now: Date) async throws {
        let db = app.db
        if try await User.query(on: db).filter(\.$email == logins[0].email).first() != nil { return }
        let hash = try await app.password.async.hash(password)
        guard let plus = try await PlanRecord.query(on: db).filter(\.$code == PlanCode.plus).first(),
            let light = try await PlanRecord.query(on: db).filter(\.$code == PlanCode.light).first()
        else {
            throw Abort(.internalServerError, reason: "plans missing: run the migrations first")
        }
        let horizon = try await agency("Voyages Horizon", plan: plus, email: "contact@horizon-demo.example", on: db)
        horizon.brandDisplayName = "Horizon Assistance"
        horizon.brandColour = "#8a2be2"
        try await horizon.save(on: db)
        let evasion = try await agency("Évasion Light", plan: light, email: "contact@evasion-demo.example", on: db)

        let admin = User(agencyID: horizon.id, role: .agencyAdmin, email: logins[0].email, name: "Claire Martin", passwordHash: hash, language: .fr)
        let agent = User(agencyID: horizon.id, role: .agencyAgent, email: logins[1].email, name: "Julien Petit", passwordHash: hash, language: .fr)
        let lightAdmin = User(
            agencyID: evasion.id, role: .agencyAdmin, email: logins[2].email, name: "Sophie Bernard", passwordHash: hash, language: .fr)
        let expert = User(agencyID: nil, role: .expert, email: logins[3].email, name: "Maria Souza", passwordHash: hash, language: .pt)
        let onspotAdmin = User(agencyID: nil, role: .onspotAdmin, email: logins[4].email, name: "Benoît Admin", passwordHash: hash, language: .fr)
        for user in [admin, agent, lightAdmin, expert, onspotAdmin] { try await user.create(on: db) }

        let destinations = try await DestinationRecord.query(on: db).all()
        for d in destinations where d.code.hasPrefix("us-") || d.code.hasPrefix("ca-") || d.code.hasPrefix("br-") {
            let link = ExpertDestination()
            link.$user.id = try expert.requireID()
            link.$destination.id = try d.requireID()
            try await link.create(on: db)
        }
        if let rio = destinations.first(where: { $0.code == "br-rio" }) {
            rio.messengerPage = "onspot.demo.rio"
            try await rio.save(on: db)
        }

        var rules = ScopeOfAction.cautiousDefault.rules
        rules = rules.map { rule in
            switch rule.domain {
            case .carRental: ScopeRule(domain: .carRental, level: .actWithinCap, capMinorUnits: 15_000)
            case .transfers: ScopeRule(domain: .transfers, level: .actWithinCap, capMinorUnits: 8_000)
            case .medicalEmergency: ScopeRule(domain: .medicalEmergency, level: .actWithinCap, capMinorUnits: 50_000)
            case .activities: ScopeRule(domain: .activities, level: .informOnly, capMinorUnits: 0)
            default: rule
            }
        }
        _ = try await ScopeService.saveVersion(ScopeOfAction(rules: rules), agencyID: try horizon.requireID(), by: admin.id, on: db)

        let people: [(String, String, String, Language)] = [
            ("Camille", "Durand", "+33612345601", .fr), ("Lucas", "Moreau", "+33612345602", .fr), ("Emma", "Lefebvre", "+33612345603", .fr),
            ("Hugo", "Garnier", "+33612345604", .fr), ("Léa", "Rousseau", "+32470123405", .fr), ("Tom", "Wilson", "+447700900106", .en),
            ("Inès", "Faure", "+41791234507", .fr), ("Ana", "Costa", "+351912345608", .pt), ("Noah", "Girard", "+33612345609", .fr),
            ("Chloé", "Mercier", "+33612345610", .fr), ("Jules", "Blanc", "+33612345611", .fr), ("Manon", "Guerin", "+33612345612", .fr)
        ]
        // (destination codes, days from now to departure, length in days, cancelled)
        let plan: [([String], Double, Double, Bool)] = [
            (["us-nyc"], 5, 10, false), (["us-lax", "us-las", "us-sfo"], 9, 16, false), (["ca-yul", "ca-yqb"], 14, 12, false),
            (["mx-cun"], 21, 9, false), (["au-syd", "au-cns"], 30, 20, false), (["nz-akl", "nz-zqn"], 45, 18, false),
            (["br-rio"], 60, 11, false), (["bs-nas"], 12, 7, true), (["us-mia", "us-orl"], -2, 12, false),
            (["ca-yvr", "ca-yyc"], -6, 14, false), (["us-hnl"], -3, 9, false), (["br-rio", "br-ssa"], -4, 15, false),
            (["mx-mex", "mx-oax"], -1, 10, false), (["au-mel"], -8, 16, false), (["us-gcn", "us-las"], -20, 10, false),
            (["ca-yyz"], -40, 7, false), (["us-bos", "us-nyc"], -15, 8, true), (["us-chi"], 33, 6, false)
        ]
        for (i, entry) in plan.enumerated() {
            let (codes, inDays, length, cancelled) = entry
            let departure = now.addingTimeInterval(inDays * 86400).roundedToQuarterHour()
            let travellers = (0..<(i % 3 + 1)).map { k -> TravellerDraft in
                let p = people[(i + k * 5) % people.count]
                return TravellerDraft(
                    firstName: p.0, lastName: p.1, phone: p.2,
                    email: "\(p.0.lowercased().folding(options: .diacriticInsensitive, locale: nil)).\(p.1.lowercased())@traveller-demo.example",
                    language: p.3.rawValue, consentsToCallRecording: k != 1, consentsToRecommendations: k == 0,
                    consentsToAlerts: k != 2)
            }
            let draft = TripDraft(
                reference: String(format: "HZ-%04d", 2601 + i), destinationCodes: codes, departure: departure,
                arrival: departure.addingTimeInterval(11 * 3600), returnDate: departure.addingTimeInterval(length * 86400),
                notes: i == 1 ? "Road trip Ouest américain, voiture de location Alamo." : nil, travellers: travellers)
            guard
                case .success(let valid) = TripValidation.validate(
                    draft, knownDestinations: Set(destinations.map(\.code)), now: now,
                    purpose: .seed, defaultLanguage: .fr)
            else { continue }
            let trip = try await TripService.create(valid, agency: horizon, userID: agent.id, on: db)
            if i == 1 {
                try await segment(
                    trip, .flight, "AF 066 Paris CDG → Los Angeles LAX", departure, departure.addingTimeInterval(11.5 * 3600),
                    "America/Los_Angeles", "Air France", "K7XQ2P", on: db)
                try await segment(
                    trip, .carRental, "Alamo – SUV intermédiaire", departure.addingTimeInterval(13 * 3600),
                    departure.addingTimeInterval(15 * 86400), "America/Los_Angeles", "Alamo", "1234567890COUNT", on: db)
                let doc = PastedDocument()
                doc.$trip.id = try trip.requireID()
                doc.title = "Voucher Alamo"
                doc.text = "ALAMO RENT A CAR\nConfirmation: 1234567890COUNT\nPick-up: LAX Airport\nReturn: SFO Airport\nVehicle: Intermediate SUV"
                doc.createdAt = now
                doc.createdBy = agent.id
                try await doc.create(on: db)
            }
            if cancelled { try await TripService.cancel(trip, reason: "Client malade", userID: agent.id, now: now, on: db) }
            // Travellers on the road write in: open cases for the console, linked to their trips.
            if let opening = demoCases[i] {
                try await openCase(
                    trip: trip, destinationCode: codes[0], opening: opening, category: i == 8 ? .carRental : .flightDisruption,
                    now: now, on: db)
            }
        }
        try await seedBilling(app: app, horizon: horizon, expert: expert, now: now)
        try await DemoConsole.seed(app: app, horizon: horizon, expert: expert, now: now)
        // Two trips for the LIGHT agency, so isolation can be seen with two logins.
        for (i, code) in ["us-sea", "br-sao"].enumerated() {
            let departure = now.addingTimeInterval(Double(10 + i * 7) * 86400).roundedToQuarterHour()
            let draft = TripDraft(
                reference: "EV-\(100 + i)", destinationCodes: [code], departure: departure, arrival: nil,
                returnDate: departure.addingTimeInterval(8 * 86400), notes: nil,
                travellers: [TravellerDraft(firstName: "Paul", lastName: "Lambert\(i)", phone: "+3361234570\(i)", language: "fr")])
            if case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: Set(destinations.map(\.code)), now: now,
                purpose: .seed, defaultLanguage: .fr)
            {
                _ = try await TripService.create(valid, agency: evasion, userID: lightAdmin.id, on: db)
            }
        }
    }

    /// Issue 5 in the demo: an activity catalogue, two activities booked on the Miami case (commissions, hence credits),
    /// and this month's PLUS invoice for Horizon, its lines already past due paid so that dunning has nothing to chase.
    static func seedBilling(app: Application, horizon: Agency, expert: User, now: Date) async throws {
        let db = app.db
        let catalogue: [(String, String, String, String, String, Int64, Bool, String, String, String)] = [
            (
                "us-mia", "Everglades Airboat Tour", "excursion", "airboat tour", "Everglades Safari Park", 4_500, true,
                "Balade en hydroglisseur dans les Everglades, 1 h 30, départ toutes les 30 min.",
                "Airboat ride in the Everglades, 90 minutes, every half hour.",
                "Passeio de aerobarco nos Everglades, 1h30, a cada 30 min."
            ),
            (
                "us-mia", "Key West Day Trip", "excursion", "coach day trip", "Miami Tour Company", 9_900, true,
                "Journée à Key West en autocar, arrêts photo sur la Seven Mile Bridge.",
                "Coach day trip to Key West with photo stops on the Seven Mile Bridge.",
                "Dia em Key West de ônibus, com paradas na Seven Mile Bridge."
            ),
            (
                "us-mia", "Little Havana Food Tour", "restaurant", "food walking tour", "Miami Culinary Tours", 7_000, false,
                "Dégustations à Little Havana, 2 h 30 à pied.", "Tastings in Little Havana, a 2.5-hour walk.",
                "Degustações em Little Havana, 2h30 a pé."
            ),
            (
                "us-nyc", "Circle Line Harbor Cruise", "excursion", "boat tour", "Circle Line", 4_200, true,
                "Croisière autour de Manhattan, 2 h 30.", "Cruise around Manhattan, 2.5 hours.", "Cruzeiro ao redor de Manhattan, 2h30."
            ),
            (
                "br-ssa", "Passeio de escuna na Baía de Todos os Santos", "excursion", "schooner tour", "Bahia Escunas", 3_800, true,
                "Journée en goélette vers l'île des Frades et Itaparica.", "Schooner day to Frades and Itaparica islands.",
                "Dia de escuna até as ilhas dos Frades e Itaparica."
            ),
            (
                "ca-yul", "Vieux-Montréal à pied", "attraction", "guided walk", "Guidatour", 2_500, true,
                "Visite guidée du Vieux-Montréal, 2 h.", "Guided walk through Old Montreal, 2 hours.", "Passeio guiado pela Velha Montreal, 2h."
            )
        ]
        let destinations = Dictionary(try await DestinationRecord.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var created: [String: ActivityRecord] = [:]
        for (code, name, type, nature, supplier, price, commissionable, fr, en, pt) in catalogue {
            guard let destination = destinations[code] else { continue }
            let a = ActivityRecord()
            a.destinationID = try destination.requireID()
            a.name = name; a.activityType = type; a.nature = nature; a.supplier = supplier; a.priceMinor = price; a.currency = .EUR
            a.commissionable = commissionable; a.active = true; a.pitchFR = fr; a.pitchEN = en; a.pitchPT = pt; a.createdAt = now
            try await a.create(on: db)
            created[name] = a
        }
        // The Miami case's traveller booked two excursions through the expert.
        if let miami = destinations["us-mia"], let record = try await CaseRecord.query(on: db).filter(\.$destinationID == miami.id).first(),
            let travellerID = record.travellerID, let agencyID = record.agencyID
        {
            for (name, billed, fees, extra, daysAgo) in [
                ("Everglades Airboat Tour", Int64(18_000), Int64(360), Int64(1_000), 1.0),
                ("Key West Day Trip", Int64(39_600), Int64(790), Int64(0), 0.5)
            ] {
                guard let activity = created[name] else { continue }
                let b = ActivityBookingRecord(
                    activity: activity, agencyID: agencyID, travellerID: travellerID, tripID: record.tripID, caseID: record.id,
                    billedMinor: billed, cardFeesMinor: fees, extraCostsMinor: extra, currency: activity.currency,
                    requestedAt: now.addingTimeInterval(-daysAgo * 86400), bookedBy: expert.id, status: .booked)
                _ = try await CreditsService.book(b, plan: .plus, zone: horizon.zone, on: db)
            }
        }
        // This month's invoice (issued on the 1st for next month's departures); lines already due are paid.
        let calendar = app.billingCalendar
        let parts = calendar.period(of: now).split(separator: "-").compactMap { Int($0) }
        if parts.count == 2, let first = calendar.date(year: parts[0], month: parts[1], day: 1, hour: 6),
            try await Invoicing.runInvoices(on: first, app: app, db: db) != nil,
            let invoice = try await InvoiceRecord.query(on: db).filter(\.$agencyID == horizon.requireID()).first()
        {
            let account = try await Invoicing.invoiceAccount(invoice, on: db)
            let overdue = account.lines.filter { $0.dueAt <= now }.reduce(Int64(0)) { $0 + $1.amountMinor }
            if overdue > 0 {
                let p = PaymentRecord()
                p.agencyID = invoice.agencyID; p.invoiceID = invoice.id; p.provider = .development; p.providerReference = "dev_pi_demo_transfer"
                p.kind = .card; p.amountMinor = overdue; p.currency = invoice.currency; p.status = .succeeded; p.receiptSentAt = now
                p.createdAt = now; p.updatedAt = now
                try await p.create(on: db)
            }
        }
    }

    /// Opening messages of the demo's open cases, by trip index (trips already under way).
    static let demoCases: [Int: String] = [
        8: "Bonjour, pneu crevé sur la voiture de location en sortant de Miami, que faire ?",
        11: "Bonjour, mon vol pour Salvador est annulé, que dois-je faire ?"
    ]

    static func openCase(trip: Trip, destinationCode: String, opening: String, category: CaseCategory, now: Date, on db: any Database) async throws {
        guard let link = try await TripTraveller.query(on: db).filter(\.$trip.$id == trip.requireID()).with(\.$traveller).sort(\.$position).first(),
            let destination = try await DestinationRecord.query(on: db).filter(\.$code == destinationCode).first()
        else { return }
        let traveller = link.traveller
        let conversation = Conversation()
        conversation.channel = MessagingChannel.whatsapp
        conversation.externalUserID = String((traveller.phone ?? "+0").dropFirst())
        conversation.destinationID = destination.id
        conversation.agencyID = trip.$agency.id
        conversation.travellerID = traveller.id
        conversation.tripID = trip.id
        conversation.identified = true
        conversation.lastInboundAt = now.addingTimeInterval(-600)
        conversation.createdAt = now.addingTimeInterval(-600)
        try await conversation.create(on: db)
        let message = MessageRecord()
        message.conversationID = try conversation.requireID()
        message.direction = .inbound
        message.channel = conversation.channel
        message.providerMessageID = "wamid.DEMO\(UUID().uuidString.prefix(8))"
        message.kind = OutboundMessageKind.text.rawValue
        message.body = opening
        message.status = .received
        message.createdAt = now.addingTimeInterval(-600)
        try await message.create(on: db)
        let record = InboundProcessor.newCase(for: conversation, at: now.addingTimeInterval(-600))
        record.category = category
        try await record.create(on: db)
    }

    static func agency(_ name: String, plan: PlanRecord, email: String, on db: any Database) async throws -> Agency {
        let a = Agency()
        a.name = name
        a.legalName = "\(name) SAS (démo)"
        // Fictional buyer details, so the demo's invoices show where they go.
        a.address = "1 rue de la Démo, 75001 Paris"
        a.vatNumber = "FR00000000000"
        a.contactName = "Contact démo"
        a.contactEmail = email
        a.currency = CurrencyCode.EUR
        a.timeZone = "Europe/Paris"
        a.language = Language.fr
        a.$plan.id = try plan.requireID()
        a.status = AgencyStatus.active
        a.createdAt = AppClock.now
        try await a.create(on: db)
        _ = try await ScopeService.saveVersion(.cautiousDefault, agencyID: try a.requireID(), by: nil, on: db)
        return a
    }

    static func segment(
        _ trip: Trip, _ kind: SegmentKind, _ title: String, _ start: Date, _ end: Date, _ zone: String, _ supplier: String,
        _ confirmation: String, on db: any Database
    ) async throws {
        let s = ItinerarySegment(
            tripID: try trip.requireID(), kind: kind, title: title, startsAt: start, endsAt: end, timeZone: zone,
            supplier: supplier, confirmation: confirmation)
        try await s.create(on: db)
    }
}

extension Date {
    func roundedToQuarterHour() -> Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 / 900).rounded() * 900)
    }
}
