import Foundation

/// The booking-conditions engine's notes and input errors in the expert's language. The engine answers in English, the
/// language of the API's contract (`/api/v1/conditions`); a pack's own texts (its notes, what silence means) come in
/// the languages the pack gives them (`RulePack.translations`), and what the engine writes around them comes from this
/// catalogue, keyed by the English text like `RightsNotes`. A note missing here stays in English and fails
/// `ConditionsNotesTests`, which runs every pack's every event over the consistency sweep.
public enum ConditionsNotes {
    public static func localized(_ english: String, _ language: Language, pack: RulePack? = nil) -> String {
        if let own = pack?.translations[english]?[language] { return own }
        guard language != .en else { return english }
        if let entry = exact[english] { return language == .fr ? entry.0 : entry.1 }
        let whole = NSRange(english.startIndex..., in: english)
        for (regex, render) in compiled {
            guard let match = regex.firstMatch(in: english, range: whole) else { continue }
            return render(RightsNotes.captures(of: match, in: english), language, pack)
        }
        return english
    }

    /// Whether `english` has a translation in both other languages (tests).
    public static func isKnown(_ english: String, pack: RulePack? = nil) -> Bool {
        localized(english, .fr, pack: pack) != english && localized(english, .pt, pack: pack) != english
    }

    /// English → (French, Portuguese).
    static let exact: [String: (String, String)] = [
        "No step of the scale covers these dates.": (
            "Aucun palier du barème ne couvre ces dates.", "Nenhuma faixa da tabela cobre essas datas."
        ),
        "The penalty is a minimum: the refund is at most the amount shown.": (
            "La pénalité est un minimum : le remboursement est au plus le montant indiqué.",
            "A multa é um mínimo: o reembolso é no máximo o valor indicado."
        ),
        "Give the price to compute the percentage fees.": (
            "Indiquez le prix pour calculer les frais en pourcentage.", "Informe o preço para calcular as taxas percentuais."
        ),
        "Card payment when the service is booked; the receipt is emailed at once.": (
            "Paiement par carte à la réservation du service ; le reçu est envoyé aussitôt par e-mail.",
            "Pagamento com cartão na reserva do serviço; o recibo é enviado na hora por e-mail."
        ),
        "Too close to departure: the price can no longer be revised.": (
            "Trop près du départ : le prix ne peut plus être révisé.", "Perto demais da partida: o preço não pode mais ser revisto."
        ),
        "This version has no Bonus balance conversion.": (
            "Cette version ne prévoit pas de conversion en solde Bonus.", "Esta versão não prevê conversão em saldo Bonus."
        ),
        // Input errors the panel shows.
        "Expected YYYY-MM-DD or an ISO 8601 date-time with offset.": (
            "Une date AAAA-MM-JJ ou une date et heure ISO 8601 avec décalage est attendue.",
            "Esperava-se uma data AAAA-MM-DD ou uma data e hora ISO 8601 com fuso."
        ),
        "Required to choose the version of the conditions in force.": (
            "Obligatoire pour choisir la version des conditions en vigueur.", "Obrigatório para escolher a versão das condições em vigor."
        ),
        "Required for this event.": ("Obligatoire pour cet événement.", "Obrigatório para este evento."),
        "Required for a price revision.": ("Obligatoire pour une révision de prix.", "Obrigatório para uma revisão de preço."),
        "LIGHT or PLUS.": ("LIGHT ou PLUS.", "LIGHT ou PLUS."),
        "A date the calendar can count months from.": (
            "Une date à partir de laquelle le calendrier peut compter des mois.", "Uma data a partir da qual o calendário possa contar meses."
        ),
        "The points to convert.": ("Les points à convertir.", "Os pontos a converter."),
        "The passenger's age in years.": ("L'âge du passager, en années.", "A idade do passageiro, em anos."),
        "Unknown pack.": ("Conditions de vente inconnues.", "Condições de venda desconhecidas."),
        "Unknown event for this pack.": ("Événement inconnu dans ces conditions.", "Evento desconhecido nestas condições."),
        "Invalid request.": ("Demande invalide.", "Pedido inválido.")
    ]

    typealias Render = @Sendable (_ values: [String], _ language: Language, _ pack: RulePack?) -> String

    /// Texts with values: (pattern over the English text, how to write it), the values captured as `$1`… in order.
    static let patterns: [(String, Render)] = [
        (
            #"^This event does not exist in the version in force \((.+)\)\.$"#,
            both("Cet événement n'existe pas dans la version en vigueur ($1).", "Este evento não existe na versão em vigor ($1).")
        ),
        (
            #"^Instalment (\d+) is a maximum the seller may ask\.$"#,
            both("L'échéance $1 est un maximum que le vendeur peut demander.", "A parcela $1 é um máximo que o vendedor pode pedir.")
        ),
        (
            #"^Above ([\d.]+)%: the revision is significant\.$"#,
            both("Au-delà de $1 % : la révision est importante.", "Acima de $1%: a revisão é significativa.")
        ),
        (
            #"^Converted by tranches of ([\d.]+); the remainder waits for the next tranche\.$"#,
            both(
                "Converti par tranches de $1 ; le reste attend la tranche suivante.",
                "Convertido em faixas de $1; o restante aguarda a próxima faixa.")
        ),
        (
            #"^Infant \(under (\d+)\): earns nothing\.$"#,
            both("Bébé (moins de $1 ans) : n'acquiert rien.", "Bebê (menos de $1 anos): não acumula nada.")
        ),
        (
            #"^Child \(under (\d+)\): earns nothing\.$"#,
            both("Enfant (moins de $1 ans) : n'acquiert rien.", "Criança (menos de $1 anos): não acumula nada.")
        ),
        (#"^A non-negative amount in ([A-Z]{3})\.$"#, both("Un montant positif ou nul en $1.", "Um valor não negativo em $1.")),
        (#"^One of (.+)\.$"#, both("L'une des valeurs : $1.", "Um destes valores: $1.")),
        (
            #"^No version of '(.+)' is in force on (.+)\.$"#,
            both("Aucune version de « $1 » n'est en vigueur le $2.", "Nenhuma versão de “$1” está em vigor em $2.")
        ),
        (
            // What silence means is the pack's own text.
            #"^Silence by then means: (.+)\.$"#,
            { values, language, pack in
                let meaning = pack?.text(values[1], language) ?? values[1]
                return language == .fr ? "Sans réponse d'ici là : \(meaning)." : "Sem resposta até lá: \(meaning)."
            }
        ),
        (
            #"^Notified too late for ([a-z0-9_]+), which needs notice of (.+?) before departure(?: \((.+)\))?: the exemption does not hold, and this pack states no other rule; only the refund of the price is shown\.$"#,
            { values, language, _ in
                let late = tooLate(reason: values[1], notice: values[2], clauses: values[3], language)
                return language == .fr
                    ? "\(late) : l'exonération ne joue pas, et ces conditions ne prévoient pas d'autre règle ; seul le remboursement du prix est indiqué."
                    : "\(late): a isenção não vale, e estas condições não preveem outra regra; só o reembolso do preço é mostrado."
            }
        ),
        (
            #"^Notified too late for ([a-z0-9_]+), which needs notice of (.+?) before departure(?: \((.+)\))?: the exemption does not hold; (.+) governs\.$"#,
            { values, language, _ in
                let late = tooLate(reason: values[1], notice: values[2], clauses: values[3], language)
                let governing: String
                switch values[4] {
                case "the scale": governing = language == .fr ? "le barème" : "a tabela"
                case let other where other.range(of: #"^[a-z0-9_]+$"#, options: .regularExpression) != nil: governing = reason(other, language)
                case let clauses: governing = clauses
                }
                return language == .fr
                    ? "\(late) : l'exonération ne joue pas ; \(governing) s'applique."
                    : "\(late): a isenção não vale; aplica-se \(governing)."
            }
        )
    ]

    static let compiled: [(NSRegularExpression, Render)] = patterns.compactMap { pattern, render in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, render) }
    }

    /// A render that puts the captured values into a French and a Portuguese text.
    static func both(_ fr: String, _ pt: String) -> Render {
        { values, language, _ in RightsNotes.fill(language == .fr ? fr : pt, with: values) }
    }

    static func tooLate(reason code: String, notice: String, clauses: String, _ language: Language) -> String {
        let cited = clauses.isEmpty ? "" : " (\(clauses))"
        return language == .fr
            ? "Notifié trop tard pour « \(reason(code, language)) », qui demande un préavis de \(span(notice, language)) avant le départ\(cited)"
            : "Notificado tarde demais para “\(reason(code, language))”, que exige aviso de \(span(notice, language)) antes da partida\(cited)"
    }

    /// The reasons of an organiser's cancellation the shipped packs name; a pack's own reason shows as its code in words.
    static let reasons: [String: (String, String)] = [
        "external_event": ("événement extérieur", "evento externo"),
        "no_justification": ("sans justification", "sem justificativa"),
        "minimum_participants": ("nombre minimum de participants", "número mínimo de participantes"),
        "too_few_participants": ("nombre de participants insuffisant", "participantes insuficientes"),
        "force_majeure": ("force majeure", "força maior")
    ]

    static func reason(_ code: String, _ language: Language) -> String {
        guard let words = reasons[code] else { return code.replacingOccurrences(of: "_", with: " ") }
        return language == .fr ? words.0 : words.1
    }

    /// "more than 21 days", "at least 48 hours", "any time" (as `ConditionsEngine.describe` writes them).
    static func span(_ english: String, _ language: Language) -> String {
        if english == "any time" { return language == .fr ? "n'importe quand" : "qualquer prazo" }
        let words = english.split(separator: " ").map(String.init)
        guard words.count >= 4, let count = Int(words[2]) else { return english }
        let lead: String
        switch words.prefix(2).joined(separator: " ") {
        case "more than": lead = language == .fr ? "plus de" : "mais de"
        case "at least": lead = language == .fr ? "au moins" : "pelo menos"
        default: return english
        }
        let unit = words.dropFirst(3).joined(separator: " ")
        let one = count == 1
        let translated: String
        switch unit {
        case "hour", "hours": translated = language == .fr ? (one ? "heure" : "heures") : (one ? "hora" : "horas")
        case "day", "days": translated = language == .fr ? (one ? "jour" : "jours") : (one ? "dia" : "dias")
        case "working day", "working days": translated = language == .fr ? (one ? "jour ouvré" : "jours ouvrés") : (one ? "dia útil" : "dias úteis")
        case "month", "months": translated = language == .fr ? "mois" : (one ? "mês" : "meses")
        case "calendar years": translated = language == .fr ? "années civiles" : "anos civis"
        default: return english
        }
        return "\(lead) \(count) \(translated)"
    }
}
