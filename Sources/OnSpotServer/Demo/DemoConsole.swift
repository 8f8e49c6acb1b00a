import Fluent
import Foundation
import OnSpotCore
import Vapor

/// The console as a night shift sees it (issue 13, item 9): about thirty open cases across destinations, channels and
/// languages, some answered and some past their deadline, with a photo, a voicemail, a shared location, a window
/// closed for a day, a reply that failed and an approval waiting; and a few cases resolved this week with the
/// travellers' ratings, so the reports have something to show. Every name, number and text here is invented.
enum DemoConsole {
    enum Extra { case none, photo, voicemail, location, closedWindow, failedReply, approval }

    struct Script {
        /// An identified traveller: the Horizon trip's index in DemoSeed's plan and the traveller's position on it;
        /// nil for a sender nobody has identified yet.
        var trip: (index: Int, traveller: Int)?
        var destination: String
        var channel: MessagingChannel = .whatsapp
        var sender: String
        var category: CaseCategory = .other
        var priority: CasePriority = .normal
        var openedMinutesAgo: Double
        /// (from the traveller?, minutes ago, text)
        var messages: [(inbound: Bool, minutesAgo: Double, text: String)]
        var extra: Extra = .none
        var held = false
    }

    static let scripts: [Script] = [
        Script(
            trip: (8, 1), destination: "us-mia", sender: "", category: .carRental, priority: .high, openedMinutesAgo: 14,
            messages: [(true, 14, "Le loueur nous réclame 300 $ de caution en plus, c'est normal ?")], extra: .photo),
        Script(
            trip: (8, 2), destination: "us-mia", sender: "", category: .accommodation, openedMinutesAgo: 52,
            messages: [
                (true, 52, "Notre chambre à l'hôtel d'Orlando sent le tabac, peut-on changer ?"),
                (false, 40, "J'appelle l'hôtel maintenant et je reviens vers vous dans quelques minutes."),
                (true, 6, "Des nouvelles ? Nous attendons dans le hall.")
            ], held: true),
        Script(
            trip: (9, 0), destination: "ca-yvr", sender: "", category: .carRental, priority: .high, openedMinutesAgo: 95,
            messages: [
                (true, 95, "La voiture est en panne sur la route de Whistler, la dépanneuse demande 340 $."),
                (false, 80, "Je demande l'accord de votre agence pour la dépanneuse et je reviens vers vous.")
            ], extra: .approval, held: true),
        Script(
            trip: (10, 0), destination: "us-hnl", sender: "", category: .flightDisruption, priority: .urgent, openedMinutesAgo: 240,
            messages: [(true, 240, "Notre vol inter-îles pour Maui est annulé, que faire ?")]),
        Script(
            trip: (10, 1), destination: "us-hnl", sender: "", category: .other, openedMinutesAgo: 1800,
            messages: [
                (true, 1800, "Pouvez-vous nous conseiller une sortie pour voir les baleines ?"),
                (false, 1790, "Avec plaisir : je vous envoie trois idées dès l'ouverture des agences locales.")
            ], extra: .closedWindow),
        Script(
            trip: (11, 1), destination: "br-rio", sender: "", category: .lostItems, priority: .urgent, openedMinutesAgo: 33,
            messages: [(true, 33, "On m'a volé mon sac à Copacabana avec le passeport dedans.")], extra: .location),
        Script(
            trip: (11, 2), destination: "br-rio", channel: .messenger, sender: "", category: .information, openedMinutesAgo: 8,
            messages: [(true, 8, "Il pleut très fort, le Pain de Sucre est-il ouvert aujourd'hui ?")]),
        Script(
            trip: (12, 0), destination: "mx-mex", sender: "", category: .flightDisruption, openedMinutesAgo: 75,
            messages: [(true, 75, "Retard de 5 heures annoncé sur Mexico – Oaxaca, on a droit à quoi ?")]),
        Script(
            trip: (13, 0), destination: "au-mel", sender: "", category: .accommodation, openedMinutesAgo: 20,
            messages: [(true, 20, "L'hôtel dit que notre réservation n'existe pas.")], extra: .photo),
        Script(
            trip: (13, 1), destination: "au-mel", sender: "", category: .other, openedMinutesAgo: 3,
            messages: [(true, 3, "La Great Ocean Road est-elle ouverte après la tempête ?")]),
        Script(
            destination: "us-nyc", sender: "447700900311", category: .flightDisruption, priority: .high, openedMinutesAgo: 130,
            messages: [
                (true, 130, "My flight to Boston is cancelled, I am at JFK terminal 4."),
                (false, 120, "I am looking at the next flights and trains to Boston for you.")
            ], extra: .failedReply),
        Script(
            destination: "us-nyc", channel: .voice, sender: "33612345677", category: .lostItems, priority: .high, openedMinutesAgo: 45,
            messages: [], extra: .voicemail),
        Script(
            destination: "us-nyc", sender: "33612345678", category: .other, openedMinutesAgo: 2,
            messages: [(true, 2, "Bonjour, on cherche une pharmacie ouverte près de Times Square.")]),
        Script(
            destination: "us-lax", sender: "32470123499", category: .carRental, openedMinutesAgo: 61,
            messages: [(true, 61, "Un voyant moteur s'allume sur la voiture de location, on continue ?")]),
        Script(
            destination: "us-sfo", sender: "41791234599", category: .itineraryChange, openedMinutesAgo: 18,
            messages: [(true, 18, "La navette pour l'aéroport n'est pas venue, notre vol part dans 3 h.")]),
        Script(
            destination: "us-las", sender: "33612345680", category: .accommodation, openedMinutesAgo: 310,
            messages: [(true, 310, "L'hôtel nous facture une resort fee de 45 $ par nuit non prévue.")]),
        Script(
            destination: "us-orl", sender: "447700900322", category: .other, openedMinutesAgo: 27,
            messages: [(true, 27, "Can we still get tickets for the Kennedy Space Center tomorrow?")]),
        Script(
            destination: "us-bos", sender: "351912345699", category: .information, openedMinutesAgo: 140,
            messages: [(true, 140, "Há um alerta de nevasca para amanhã, devemos mudar o voo?")]),
        Script(
            destination: "us-chi", channel: .messenger, sender: "", category: .other, openedMinutesAgo: 11,
            messages: [(true, 11, "Bonjour, quel quartier conseillez-vous pour dîner ce soir ?")]),
        Script(
            destination: "us-sea", sender: "33612345681", category: .itineraryChange, openedMinutesAgo: 38,
            messages: [
                (true, 38, "Le ferry pour Bainbridge est complet, une alternative ?"),
                (false, 30, "Il y a un bus à 18 h 10 depuis le centre : je vous envoie l'horaire.")
            ], held: true),
        Script(
            destination: "ca-yul", sender: "33612345682", category: .lostItems, openedMinutesAgo: 200,
            messages: [(true, 200, "J'ai oublié mon téléphone dans un taxi à Montréal.")]),
        Script(
            destination: "ca-yyz", sender: "33612345683", category: .flightDisruption, openedMinutesAgo: 9,
            messages: [(true, 9, "Vol Toronto – Paris surbooké, on nous propose 400 $ pour partir demain.")]),
        Script(
            destination: "ca-yqb", sender: "447700900333", category: .other, openedMinutesAgo: 66,
            messages: [(true, 66, "Is the Ice Hotel visit still on with this cold?")]),
        Script(
            destination: "br-ssa", sender: "5571998765432", category: .itineraryChange, openedMinutesAgo: 55,
            messages: [(true, 55, "O transfer para a Praia do Forte não apareceu.")]),
        Script(
            destination: "br-sao", sender: "5511998765433", category: .medicalEmergency, openedMinutesAgo: 4,
            messages: [(true, 4, "Preciso de um médico que fale francês em São Paulo.")]),
        Script(
            destination: "mx-cun", sender: "33612345684", category: .information, priority: .high, openedMinutesAgo: 22,
            messages: [(true, 22, "On annonce une tempête tropicale à Cancún, faut-il quitter l'hôtel ?")]),
        Script(
            destination: "bs-nas", sender: "447700900344", category: .other, openedMinutesAgo: 47,
            messages: [(true, 47, "The boat to Exuma left without us.")]),
        Script(
            destination: "nz-akl", sender: "33612345685", category: .carRental, openedMinutesAgo: 90,
            messages: [(true, 90, "Le camping-car a un pneu crevé près de Rotorua.")])
    ]

    /// Resolved this week, with the travellers' answers: (destination, days ago, rating, comment).
    static let resolved: [(String, Double, SatisfactionRating?, String?)] = [
        ("us-nyc", 1, .good, "Très réactifs, merci !"), ("us-mia", 2, .good, nil), ("br-rio", 2, .fair, "Un peu long à répondre la nuit."),
        ("ca-yul", 3, .good, nil), ("us-lax", 4, .poor, "Personne ne m'a rappelé."), ("us-nyc", 5, nil, nil)
    ]

    static func seed(app: Application, horizon: Agency, expert: User, now: Date) async throws {
        let db = app.db
        let destinations = Dictionary(try await DestinationRecord.query(on: db).all().map { ($0.code, $0) }) { a, _ in a }
        let references = Set(scripts.compactMap { $0.trip.map { String(format: "HZ-%04d", 2601 + $0.index) } })
        let trips = try await Trip.query(on: db).filter(\.$agency.$id == horizon.requireID()).filter(\.$reference ~~ references).all()
        let tripsByReference = Dictionary(trips.map { ($0.reference, $0) }) { a, _ in a }
        let links = try await TripTraveller.query(on: db).filter(\.$trip.$id ~~ trips.compactMap(\.id)).with(\.$traveller).sort(\.$position).all()
        for (n, script) in scripts.enumerated() {
            guard let destination = destinations[script.destination], let destinationID = destination.id else { continue }
            var traveller: Traveller?
            var trip: Trip?
            if let (index, position) = script.trip {
                trip = tripsByReference[String(format: "HZ-%04d", 2601 + index)]
                traveller = links.filter { $0.$trip.id == trip?.id }.dropFirst(position).first?.traveller
                guard traveller != nil else { continue }
            }
            let conversation = Conversation()
            conversation.channel = script.channel
            conversation.externalUserID =
                script.channel == .messenger
                ? "70\(String(format: "%014d", 31_415_926 + n))" : (traveller?.phone.map { String($0.dropFirst()) } ?? script.sender)
            conversation.destinationID = destinationID
            conversation.identified = traveller != nil
            conversation.travellerID = traveller?.id
            conversation.tripID = trip?.id
            conversation.agencyID = trip?.$agency.id
            let lastInbound = script.messages.filter(\.inbound).map(\.minutesAgo).min() ?? script.openedMinutesAgo
            conversation.lastInboundAt = now.addingTimeInterval(-lastInbound * 60)
            conversation.createdAt = now.addingTimeInterval(-script.openedMinutesAgo * 60)
            try await conversation.create(on: db)
            var stored: [MessageRecord] = []
            for (inbound, minutesAgo, text) in script.messages {
                stored.append(
                    message(
                        in: conversation, inbound: inbound, kind: "text", body: text, at: now.addingTimeInterval(-minutesAgo * 60),
                        author: inbound ? nil : expert.id))
            }
            try await stored.create(on: db)
            let record = InboundProcessor.newCase(for: conversation, at: now.addingTimeInterval(-script.openedMinutesAgo * 60))
            record.category = script.category
            record.priority = script.priority
            if let reply = script.messages.first(where: { !$0.inbound }) {
                record.firstResponseAt = now.addingTimeInterval(-reply.minutesAgo * 60)
                record.status = .inProgress
            }
            if script.held { record.assigneeID = expert.id }
            try await record.create(on: db)
            try await extra(
                script, record: record, conversation: conversation, replies: stored.filter { $0.direction == .outbound }, app: app, now: now)
        }
        try await seedResolved(horizon: horizon, expert: expert, destinations: destinations, now: now, on: db)
    }

    static func extra(
        _ script: Script, record: CaseRecord, conversation: Conversation, replies: [MessageRecord], app: Application, now: Date
    ) async throws {
        let db = app.db
        func inbound(_ kind: String, _ body: String?, media: String?, minutesAgo: Double) async throws -> MessageRecord {
            let m = message(in: conversation, inbound: true, kind: kind, body: body, media: media, at: now.addingTimeInterval(-minutesAgo * 60))
            try await m.create(on: db)
            return m
        }
        switch script.extra {
        case .none: break
        case .photo:
            let m = try await inbound(
                "image", "Photo", media: #"{"id":"DEMO-MEDIA","mime":"image/svg+xml"}"#, minutesAgo: script.openedMinutesAgo - 1)
            let a = Attachment()
            a.messageID = try m.requireID()
            a.providerMediaID = "DEMO-MEDIA-\(UUID().uuidString.prefix(8))"
            a.mimeType = "image/svg+xml"
            a.data = Data(photo.utf8)
            a.size = photo.utf8.count
            a.status = .stored
            a.attempts = 1
            a.createdAt = m.createdAt
            a.fetchedAt = m.createdAt
            try await a.create(on: db)
        case .voicemail:
            let recording = "RE" + String(repeating: "0d", count: 16)
            _ = try await inbound(
                "voicemail",
                "Voicemail (38 s). Call back: +\(conversation.externalUserID)\n« Bonjour, j'ai perdu mon passeport dans le métro, je suis à Brooklyn, rappelez-moi s'il vous plaît. »",
                media:
                    #"{"id":"\#(recording)","url":"https://api.twilio.com/2010-04-01/Accounts/AC\#(String(repeating: "0d", count: 16))/Recordings/\#(recording)"}"#,
                minutesAgo: script.openedMinutesAgo)
        case .location:
            _ = try await inbound(
                "location", "Posto 5, Avenida Atlântica, Copacabana", media: #"{"lat":"-22.97683","lon":"-43.18877"}"#,
                minutesAgo: script.openedMinutesAgo - 2)
        case .closedWindow:
            break  // the script's last inbound message is 30 hours old
        case .failedReply:
            if let reply = replies.last {
                reply.status = .failed
                reply.failedReason = "131026 undeliverable"
                try await reply.save(on: db)
            }
        case .approval:
            let recorded = try await CostService.record(
                CostService.Input(
                    domain: ScopeDomain.carRental.rawValue, supplier: "Whistler Towing", purpose: "Dépannage et remorquage jusqu'à Squamish",
                    amount: "240", currency: "EUR"),
                on: record, by: record.assigneeID, app: app, db: db)
            // Asked just after the expert's reply, not when the demo was seeded.
            let asked = replies.last.map { $0.createdAt.addingTimeInterval(60) } ?? now
            recorded.action.createdAt = asked
            try await recorded.action.save(on: db)
            if let approval = recorded.approval {
                approval.createdAt = asked
                try await approval.save(on: db)
            }
        }
    }

    /// A demo message of the conversation: the traveller's, received, or an expert's, read.
    static func message(
        in conversation: Conversation, inbound: Bool, kind: String, body: String?, media: String? = nil, at: Date, author: UUID? = nil
    ) -> MessageRecord {
        let m = MessageRecord()
        m.conversationID = conversation.id ?? UUID()
        m.direction = inbound ? .inbound : .outbound
        m.channel = conversation.channel
        m.providerMessageID = (conversation.channel == .messenger ? "m_demo" : "wamid.DEMO") + UUID().uuidString.prefix(12)
        m.kind = kind
        m.body = body
        m.media = media
        m.status = inbound ? .received : .read
        m.authorID = author
        m.createdAt = at
        return m
    }

    static func seedResolved(
        horizon: Agency, expert: User, destinations: [String: DestinationRecord], now: Date, on db: any Database
    ) async throws {
        for (n, (code, daysAgo, rating, comment)) in resolved.enumerated() {
            guard let destination = destinations[code] else { continue }
            let conversation = Conversation()
            conversation.channel = .whatsapp
            conversation.externalUserID = "4477009004\(String(format: "%02d", n))"
            conversation.destinationID = destination.id
            conversation.identified = false
            conversation.agencyID = horizon.id
            let opened = now.addingTimeInterval(-daysAgo * 86400)
            conversation.lastInboundAt = opened
            conversation.createdAt = opened
            try await conversation.create(on: db)
            let record = InboundProcessor.newCase(for: conversation, at: opened)
            record.agencyID = horizon.id
            record.status = .resolved
            record.firstResponseAt = opened.addingTimeInterval(Double(4 + n * 3) * 60)
            record.resolvedAt = opened.addingTimeInterval(Double(1 + n) * 3600)
            record.resolutionSummary = "Résolu (démo)."
            record.assigneeID = expert.id
            record.satisfactionRequestedAt = record.resolvedAt
            record.satisfactionRating = rating?.rawValue
            record.satisfactionComment = comment
            record.satisfactionAnsweredAt = rating == nil ? nil : record.resolvedAt?.addingTimeInterval(600)
            try await record.create(on: db)
        }
    }

    /// The demo's "photo": a drawing, so the repository carries no real picture of anyone.
    static let photo = """
        <svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">\
        <rect width="320" height="200" fill="#cbd5e1"/><rect x="30" y="60" width="260" height="90" rx="18" fill="#1e3a8a"/>\
        <circle cx="90" cy="150" r="28" fill="#0f172a"/><circle cx="230" cy="150" r="28" fill="#0f172a"/>\
        <text x="160" y="40" font-family="sans-serif" font-size="18" text-anchor="middle" fill="#0f172a">photo (démo)</text></svg>
        """
}
