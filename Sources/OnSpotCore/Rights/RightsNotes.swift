import Foundation

/// The passenger-rights engine's notes and input errors in the expert's language. The engine writes them in English,
/// the language of the API's contract (`/api/v1/rights`); the console shows them through this catalogue, keyed by the
/// English text as gettext keys by its source text. Notes that carry a value are matched by pattern. A note missing
/// here is shown in English and fails `RightsNotesTests`, which runs the engine over thousands of cases.
public enum RightsNotes {
    public static func localized(_ english: String, _ language: Language) -> String {
        guard language != .en else { return english }
        if let entry = exact[english] { return language == .fr ? entry.0 : entry.1 }
        for (regex, fr, pt) in compiled {
            guard let match = regex.firstMatch(in: english, range: NSRange(english.startIndex..., in: english)) else { continue }
            return fill(language == .fr ? fr : pt, with: captures(of: match, in: english))
        }
        return english
    }

    /// The texts a pattern captured, `[0]` the whole match; a group that took no part is empty.
    static func captures(of match: NSTextCheckingResult, in text: String) -> [String] {
        (0..<match.numberOfRanges).map { group in Range(match.range(at: group), in: text).map { String(text[$0]) } ?? "" }
    }

    /// Puts captured values back into a translation: `$1`… replaced from the highest number down, so `$1` never eats the
    /// start of `$12`. Shared with `ConditionsNotes`.
    static func fill(_ template: String, with values: [String]) -> String {
        var text = template
        for group in stride(from: values.count - 1, through: 1, by: -1) {
            text = text.replacingOccurrences(of: "$\(group)", with: values[group])
        }
        return text
    }

    /// Whether `english` has a translation (tests).
    public static func isKnown(_ english: String) -> Bool { localized(english, .fr) != english || localized(english, .pt) != english }

    /// English → (French, Portuguese).
    static let exact: [String: (String, String)] = [
        // EU261 / UK261: causes (Art. 5(3)).
        "Air traffic management decisions are extraordinary circumstances (Recital 14).": (
            "Les décisions de gestion du trafic aérien sont des circonstances extraordinaires (considérant 14).",
            "As decisões de gestão do tráfego aéreo são circunstâncias extraordinárias (considerando 14)."
        ),
        "A strike of air traffic controllers, outside the carrier, is an extraordinary circumstance (Recital 14).": (
            "Une grève des contrôleurs aériens, extérieure au transporteur, est une circonstance extraordinaire (considérant 14).",
            "Uma greve de controladores de tráfego aéreo, externa à companhia, é uma circunstância extraordinária (considerando 14)."
        ),
        "Meteorological conditions incompatible with the flight are extraordinary circumstances (Recital 14).": (
            "Des conditions météorologiques incompatibles avec le vol sont des circonstances extraordinaires (considérant 14).",
            "Condições meteorológicas incompatíveis com o voo são circunstâncias extraordinárias (considerando 14)."
        ),
        "A bird strike is an extraordinary circumstance (CJEU C-315/15 Pešková).": (
            "Une collision avec un oiseau est une circonstance extraordinaire (CJUE C-315/15 Pešková).",
            "A colisão com uma ave é uma circunstância extraordinária (TJUE C-315/15 Pešková)."
        ),
        "Security risks are extraordinary circumstances (Recital 14).": (
            "Les risques pour la sûreté sont des circonstances extraordinaires (considérant 14).",
            "Os riscos de segurança são circunstâncias extraordinárias (considerando 14)."
        ),
        "An airport closure decided by the authorities is an extraordinary circumstance (Recital 14).": (
            "La fermeture d'un aéroport décidée par les autorités est une circonstance extraordinaire (considérant 14).",
            "O fechamento de um aeroporto decidido pelas autoridades é uma circunstância extraordinária (considerando 14)."
        ),
        "Technical problems found in maintenance or caused by its failure are not extraordinary (CJEU C-549/07 Wallentin-Hermann).": (
            "Les problèmes techniques révélés par l'entretien ou dus à son défaut ne sont pas extraordinaires (CJUE C-549/07 Wallentin-Hermann).",
            "Problemas técnicos revelados na manutenção ou causados por falha dela não são extraordinários (TJUE C-549/07 Wallentin-Hermann)."
        ),
        "Unexpected absence of crew is inherent in the carrier's activity, not extraordinary (CJEU C-156/22 TAP Portugal).": (
            "L'absence imprévue d'un membre d'équipage est inhérente à l'activité du transporteur, pas extraordinaire (CJUE C-156/22 TAP Portugal).",
            "A ausência imprevista de tripulação é inerente à atividade da companhia, não extraordinária (TJUE C-156/22 TAP Portugal)."
        ),
        "A strike of the carrier's own staff is not extraordinary (CJEU C-195/17 Krüsemann, C-28/20 Airhelp).": (
            "Une grève du personnel du transporteur lui-même n'est pas extraordinaire (CJUE C-195/17 Krüsemann, C-28/20 Airhelp).",
            "Uma greve do próprio pessoal da companhia não é extraordinária (TJUE C-195/17 Krüsemann, C-28/20 Airhelp)."
        ),
        "Overbooking is the carrier's commercial choice, never extraordinary.": (
            "La surréservation est un choix commercial du transporteur, jamais extraordinaire.",
            "O overbooking é uma escolha comercial da companhia, nunca extraordinária."
        ),
        "A failure of the carrier's own systems is inherent in its activity (test of CJEU C-549/07), not extraordinary.": (
            "Une panne des systèmes du transporteur est inhérente à son activité (critère de CJUE C-549/07), pas extraordinaire.",
            "Uma falha dos sistemas da própria companhia é inerente à sua atividade (critério do TJUE C-549/07), não extraordinária."
        ),
        "Compensation is due unless the carrier proves extraordinary circumstances that could not have been avoided (Art. 5(3)).": (
            "L'indemnisation est due sauf si le transporteur prouve des circonstances extraordinaires qui n'auraient pas pu être évitées (art. 5(3)).",
            "A indenização é devida, salvo se a companhia provar circunstâncias extraordinárias que não poderiam ter sido evitadas (art. 5(3))."
        ),
        "A journey into the territory is covered only on a carrier licensed there (Art. 3(1)(b)); the operating carrier is not.": (
            "Un voyage vers le territoire n'est couvert que sur un transporteur qui y est licencié (art. 3(1)(b)) ; le transporteur effectif ne l'est pas.",
            "Uma viagem para o território só é coberta numa companhia licenciada lá (art. 3(1)(b)); a companhia operadora não é."
        ),
        "Not due if the passenger already received benefits or compensation and assistance in the third country of departure (Art. 3(1)(b)).": (
            "Non dû si le passager a déjà reçu des prestations ou une indemnisation et une assistance dans le pays tiers de départ (art. 3(1)(b)).",
            "Não é devida se o passageiro já recebeu benefícios ou indenização e assistência no país terceiro de partida (art. 3(1)(b))."
        ),
        "Care thresholds run on the departure delay; the arrival delay is used as its measure.": (
            "Les seuils d'assistance courent sur le retard au départ ; le retard à l'arrivée sert de mesure.",
            "Os limites de assistência contam pelo atraso na partida; o atraso na chegada é usado como medida."
        ),
        "An arrival delay under 3 hours gives no compensation (CJEU C-402/07 Sturgeon).": (
            "Un retard à l'arrivée de moins de 3 heures ne donne pas d'indemnisation (CJUE C-402/07 Sturgeon).",
            "Um atraso na chegada inferior a 3 horas não dá indenização (TJUE C-402/07 Sturgeon)."
        ),
        "Notice not given: assessed as announced less than 7 days before departure.": (
            "Délai d'annonce non indiqué : évalué comme annoncé moins de 7 jours avant le départ.",
            "Aviso não informado: avaliado como anunciado menos de 7 dias antes da partida."
        ),
        "Volunteers receive the benefits they agree with the carrier and the choice of Art. 8, not Art. 7 compensation.": (
            "Les volontaires reçoivent les prestations convenues avec le transporteur et le choix de l'art. 8, pas l'indemnisation de l'art. 7.",
            "Os voluntários recebem os benefícios acordados com a companhia e a escolha do art. 8, não a indenização do art. 7."
        ),
        "Boarding refused for security reasons is not a denied boarding under Art. 2(j): no compensation if those grounds are reasonable.": (
            "Un embarquement refusé pour des raisons de sûreté n'est pas un refus d'embarquement au sens de l'art. 2(j) : pas d'indemnisation si ces motifs sont raisonnables.",
            "O embarque recusado por razões de segurança não é uma recusa de embarque nos termos do art. 2(j): sem indenização se esses motivos forem razoáveis."
        ),
        "Announced at least two weeks before departure: no compensation.": (
            "Annoncé au moins deux semaines avant le départ : pas d'indemnisation.",
            "Anunciado pelo menos duas semanas antes da partida: sem indenização."
        ),
        "Announced 7 to 14 days ahead with an alternative leaving at most 2 h earlier and arriving less than 4 h later: no compensation.": (
            "Annoncé 7 à 14 jours avant avec une alternative partant au plus 2 h plus tôt et arrivant moins de 4 h plus tard : pas d'indemnisation.",
            "Anunciado 7 a 14 dias antes com uma alternativa partindo no máximo 2 h antes e chegando menos de 4 h depois: sem indenização."
        ),
        "Announced less than 7 days ahead with an alternative leaving at most 1 h earlier and arriving less than 2 h later: no compensation.": (
            "Annoncé moins de 7 jours avant avec une alternative partant au plus 1 h plus tôt et arrivant moins de 2 h plus tard : pas d'indemnisation.",
            "Anunciado menos de 7 dias antes com uma alternativa partindo no máximo 1 h antes e chegando menos de 2 h depois: sem indenização."
        ),
        // APPR (Canada).
        "APPR covers flights to, from and within Canada only.": (
            "Le RPPA ne couvre que les vols à destination, en provenance ou à l'intérieur du Canada.",
            "O APPR cobre apenas voos de, para e dentro do Canadá."
        ),
        "Carrier size unknown: large-carrier amounts shown (s. 1(1) definitions).": (
            "Taille du transporteur inconnue : montants des gros transporteurs affichés (définitions de l'art. 1(1)).",
            "Porte da companhia desconhecido: valores de grande companhia mostrados (definições do art. 1(1))."
        ),
        "Cause unknown: assessed as within the carrier's control; the carrier must show otherwise.": (
            "Cause inconnue : évaluée comme relevant du transporteur ; à lui de prouver le contraire.",
            "Causa desconhecida: avaliada como sob controle da companhia; cabe a ela provar o contrário."
        ),
        "Volunteers receive the benefits they accept in writing (s. 15).": (
            "Les volontaires reçoivent les avantages qu'ils acceptent par écrit (art. 15).",
            "Os voluntários recebem os benefícios que aceitam por escrito (art. 15)."
        ),
        "Denied boarding outside the carrier's control: rebooking or refund, no compensation.": (
            "Refus d'embarquement indépendant du transporteur : réacheminement ou remboursement, pas d'indemnisation.",
            "Recusa de embarque fora do controle da companhia: reacomodação ou reembolso, sem indenização."
        ),
        "Compensation depends on the arrival delay: $900 (< 6 h), $1,800 (6–9 h), $2,400 (≥ 9 h).": (
            "L'indemnité dépend du retard à l'arrivée : 900 $ (< 6 h), 1 800 $ (6–9 h), 2 400 $ (≥ 9 h).",
            "A indenização depende do atraso na chegada: US$ 900 (< 6 h), US$ 1.800 (6–9 h), US$ 2.400 (≥ 9 h)."
        ),
        "Payable on the spot; paid within 48 hours at the latest (s. 20(2)).": (
            "Payable sur place ; versée au plus tard dans les 48 heures (art. 20(2)).", "Pagável na hora; paga em até 48 horas (art. 20(2))."
        ),
        "Rebooking on a flight leaving within 48 hours; otherwise, the passenger's choice of a refund or alternate arrangements (s. 18(1.1)).": (
            "Réacheminement sur un vol partant dans les 48 heures ; sinon, au choix du passager, remboursement ou autres arrangements (art. 18(1.1)).",
            "Reacomodação num voo partindo em até 48 horas; caso contrário, à escolha do passageiro, reembolso ou outros arranjos (art. 18(1.1))."
        ),
        "Rebooking on the next available flight (s. 18); before 8 September 2022, no refund was required for situations outside the carrier's control.":
            (
                "Réacheminement sur le prochain vol disponible (art. 18) ; avant le 8 septembre 2022, aucun remboursement n'était exigé pour les situations indépendantes du transporteur.",
                "Reacomodação no próximo voo disponível (art. 18); antes de 8 de setembro de 2022, nenhum reembolso era exigido em situações fora do controle da companhia."
            ),
        "Within the carrier's control but required for safety: care and rebooking or refund, no compensation.": (
            "Relevant du transporteur mais nécessaire à la sécurité : assistance et réacheminement ou remboursement, pas d'indemnisation.",
            "Sob controle da companhia mas necessário à segurança: assistência e reacomodação ou reembolso, sem indenização."
        ),
        "Announced 14 days or more before departure: no compensation.": (
            "Annoncé 14 jours ou plus avant le départ : pas d'indemnisation.", "Anunciado 14 dias ou mais antes da partida: sem indenização."
        ),
        "Compensation depends on the arrival delay at the destination on the original ticket.": (
            "L'indemnité dépend du retard à l'arrivée à la destination du billet d'origine.",
            "A indenização depende do atraso na chegada ao destino do bilhete original."
        ),
        "Arrival less than 3 hours late: no compensation.": (
            "Arrivée avec moins de 3 heures de retard : pas d'indemnisation.", "Chegada com menos de 3 horas de atraso: sem indenização."
        ),
        "Claim within one year; the carrier answers within 30 days (s. 19(3), (4)).": (
            "Réclamer dans l'année ; le transporteur répond sous 30 jours (art. 19(3), (4)).",
            "Reclamar em até um ano; a companhia responde em até 30 dias (art. 19(3), (4))."
        ),
        // US DOT.
        "The US rules cover flights to, from and within the United States.": (
            "Les règles américaines couvrent les vols à destination, en provenance ou à l'intérieur des États-Unis.",
            "As regras americanas cobrem voos de, para e dentro dos Estados Unidos."
        ),
        "US law gives no compensation for delays.": (
            "Le droit américain ne prévoit pas d'indemnisation pour les retards.", "A lei americana não prevê indenização por atrasos."
        ),
        "A significant change: the passenger who declines the new itinerary is refunded.": (
            "Changement important : le passager qui refuse le nouvel itinéraire est remboursé.",
            "Mudança significativa: o passageiro que recusa o novo itinerário é reembolsado."
        ),
        "Refund if the passenger declines the alternative; no compensation for cancellations.": (
            "Remboursement si le passager refuse l'alternative ; pas d'indemnisation pour les annulations.",
            "Reembolso se o passageiro recusar a alternativa; sem indenização por cancelamentos."
        ),
        "Denied boarding compensation covers flights departing from a US airport only.": (
            "L'indemnité de refus d'embarquement ne couvre que les vols au départ d'un aéroport américain.",
            "A indenização por recusa de embarque cobre apenas voos partindo de um aeroporto americano."
        ),
        "Volunteers are paid what they agree with the carrier.": (
            "Les volontaires reçoivent ce qu'ils conviennent avec le transporteur.", "Os voluntários recebem o que combinam com a companhia."
        ),
        "Alternative arriving within 1 hour of the original: no compensation.": (
            "Alternative arrivant moins d'une heure après l'horaire d'origine : pas d'indemnisation.",
            "Alternativa chegando até 1 hora após o horário original: sem indenização."
        ),
        "Paid in cash or check on the day (§ 250.8).": (
            "Payée en espèces ou par chèque le jour même (§ 250.8).", "Paga em dinheiro ou cheque no mesmo dia (§ 250.8)."
        ),
        // ANAC 400 (Brazil).
        "ANAC Resolution 400 covers flights operated to, from and within Brazil.": (
            "La résolution ANAC 400 couvre les vols opérés à destination, en provenance ou à l'intérieur du Brésil.",
            "A Resolução ANAC 400 cobre voos operados de, para e dentro do Brasil."
        ),
        "Damages beyond these rights are claimed under the Consumer Defence Code (CDC art. 14).": (
            "Les préjudices au-delà de ces droits se réclament au titre du Code de défense du consommateur (CDC art. 14).",
            "Danos além desses direitos são reclamados pelo Código de Defesa do Consumidor (CDC art. 14)."
        ),
        "Less than an hour late: no assistance is due yet (art. 27).": (
            "Moins d'une heure de retard : aucune assistance n'est encore due (art. 27).",
            "Menos de uma hora de atraso: nenhuma assistência é devida ainda (art. 27)."
        ),
        "Delay over 4 hours: rerouting, refund or another mode of transport, at the passenger's choice.": (
            "Retard de plus de 4 heures : réacheminement, remboursement ou autre mode de transport, au choix du passager.",
            "Atraso acima de 4 horas: reacomodação, reembolso ou outro meio de transporte, à escolha do passageiro."
        ),
        "Volunteers receive the compensation they negotiate with the carrier.": (
            "Les volontaires reçoivent la compensation qu'ils négocient avec le transporteur.",
            "Os voluntários recebem a compensação que negociam com a companhia."
        ),
        "Amount in Special Drawing Rights (XDR), paid immediately in cash, transfer or voucher.": (
            "Montant en droits de tirage spéciaux (XDR), versé immédiatement en espèces, par virement ou en bon.",
            "Valor em Direitos Especiais de Saque (XDR), pago imediatamente em dinheiro, transferência ou voucher."
        ),
        // Mexico.
        "Mexican rules cover flights operated to, from and within Mexico.": (
            "Les règles mexicaines couvrent les vols opérés à destination, en provenance ou à l'intérieur du Mexique.",
            "As regras mexicanas cobrem voos operados de, para e dentro do México."
        ),
        "Cause unknown: assessed as attributable to the airline.": (
            "Cause inconnue : évaluée comme imputable à la compagnie.", "Causa desconhecida: avaliada como atribuível à companhia."
        ),
        "Causes not attributable to the airline give no compensation.": (
            "Les causes non imputables à la compagnie ne donnent pas d'indemnisation.", "Causas não atribuíveis à companhia não dão indenização."
        ),
        "Give the ticket price to get the amount.": (
            "Indiquez le prix du billet pour obtenir le montant.", "Informe o preço do bilhete para obter o valor."
        ),
        "At least 25% of the ticket price, with a refund or a new flight.": (
            "Au moins 25 % du prix du billet, avec un remboursement ou un nouveau vol.",
            "Pelo menos 25% do preço do bilhete, com reembolso ou novo voo."
        ),
        "At least 7.5% of the ticket price.": ("Au moins 7,5 % du prix du billet.", "Pelo menos 7,5% do preço do bilhete."),
        "Food and drink or discounts on future flights; no cash compensation.": (
            "Repas et boissons ou réductions sur de futurs vols ; pas d'indemnité en espèces.",
            "Comida e bebida ou descontos em voos futuros; sem indenização em dinheiro."
        ),
        "Under 1 hour: nothing due.": ("Moins d'une heure : rien n'est dû.", "Menos de 1 hora: nada é devido."),
        "At least 25% of the ticket price.": ("Au moins 25 % du prix du billet.", "Pelo menos 25% do preço do bilhete."),
        "Volunteers receive the benefits they agree.": (
            "Les volontaires reçoivent les avantages convenus.", "Os voluntários recebem os benefícios acordados."
        ),
        "At least 25% of the ticket price, with a new flight or a refund.": (
            "Au moins 25 % du prix du billet, avec un nouveau vol ou un remboursement.",
            "Pelo menos 25% do preço do bilhete, com novo voo ou reembolso."
        ),
        // Australia, New Zealand.
        "Australian consumer law concerns services supplied in Australia.": (
            "Le droit australien de la consommation concerne les services fournis en Australie.",
            "A lei australiana do consumidor trata de serviços prestados na Austrália."
        ),
        "Australia has no statutory compensation for delays, cancellations or denied boarding.": (
            "L'Australie ne prévoit pas d'indemnisation légale pour les retards, annulations ou refus d'embarquement.",
            "A Austrália não tem indenização legal por atrasos, cancelamentos ou recusa de embarque."
        ),
        "A major failure of the service (such as a cancellation not remedied) allows a refund; other losses are claimed under the consumer guarantees; the airline's customer charter may offer more.":
            (
                "Un manquement majeur (comme une annulation non réparée) ouvre droit au remboursement ; les autres pertes se réclament au titre des garanties légales ; la charte client de la compagnie peut offrir davantage.",
                "Uma falha grave do serviço (como um cancelamento não remediado) dá direito a reembolso; outras perdas são reclamadas pelas garantias do consumidor; a carta de clientes da companhia pode oferecer mais."
            ),
        "New Zealand's domestic rules cover journeys within New Zealand; international carriage falls under the Montreal Convention.": (
            "Les règles intérieures néo-zélandaises couvrent les trajets en Nouvelle-Zélande ; le transport international relève de la convention de Montréal.",
            "As regras domésticas da Nova Zelândia cobrem viagens dentro do país; o transporte internacional segue a Convenção de Montreal."
        ),
        "No liability for delay caused by weather, air traffic control instructions or a lawful authority's orders.": (
            "Aucune responsabilité pour un retard dû à la météo, aux instructions du contrôle aérien ou aux ordres d'une autorité légale.",
            "Nenhuma responsabilidade por atraso causado pelo tempo, por instruções do controle aéreo ou por ordens de autoridade legal."
        ),
        "Give the fare and the proven loss: the carrier owes the lesser of the loss and ten times the fare.": (
            "Indiquez le tarif et la perte prouvée : le transporteur doit le moindre de la perte et de dix fois le tarif.",
            "Informe a tarifa e a perda comprovada: a companhia deve o menor entre a perda e dez vezes a tarifa."
        ),
        "Fare and loss must be in the same currency to compare them.": (
            "Le tarif et la perte doivent être dans la même devise pour être comparés.",
            "A tarifa e a perda devem estar na mesma moeda para serem comparadas."
        ),
        // Input errors the panel shows.
        "Give at least the origin and the final destination (IATA codes).": (
            "Indiquez au moins l'origine et la destination finale (codes IATA).", "Informe pelo menos a origem e o destino final (códigos IATA)."
        ),
        "At most 10 airports.": ("10 aéroports au plus.", "No máximo 10 aeroportos."),
        "Required: an ISO 8601 date-time with offset.": (
            "Obligatoire : une date et heure ISO 8601 avec décalage.", "Obrigatório: uma data e hora ISO 8601 com fuso."
        ),
        "Expected an ISO 8601 date-time with offset, e.g. 2026-06-01T10:00:00+02:00.": (
            "Une date et heure ISO 8601 avec décalage est attendue, par ex. 2026-06-01T10:00:00+02:00.",
            "Esperava-se uma data e hora ISO 8601 com fuso, p. ex. 2026-06-01T10:00:00+02:00."
        ),
        "The scheduled arrival must follow the scheduled departure.": (
            "L'arrivée prévue doit suivre le départ prévu.", "A chegada prevista deve vir depois da partida prevista."
        ),
        "Days from 0 to 400.": ("De 0 à 400 jours.", "De 0 a 400 dias."),
        "A non-negative amount with a 3-letter ISO currency.": (
            "Un montant positif ou nul avec une devise ISO à 3 lettres.", "Um valor não negativo com uma moeda ISO de 3 letras."
        ),
        "A 2-character IATA airline code.": ("Un code IATA de compagnie à 2 caractères.", "Um código IATA de companhia com 2 caracteres.")
    ]

    /// The patterns compiled once (a panel shows a dozen notes; each would otherwise compile all of them).
    static let compiled: [(NSRegularExpression, String, String)] = patterns.compactMap { pattern, fr, pt in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, fr, pt) }
    }

    /// Notes that carry a value: (pattern over the English text, French, Portuguese), `$1`… the captured values.
    static let patterns: [(String, String, String)] = [
        (
            #"^The journey neither departs from nor arrives in the territory where (.+) applies \(Art\. 3\(1\)\)\.$"#,
            "Le voyage ne part pas du territoire où s'applique $1 et n'y arrive pas (art. 3(1)).",
            "A viagem não parte nem chega ao território onde se aplica o $1 (art. 3(1))."
        ),
        (
            #"^Less than (\d+) hours late is not a significant change \(§ 260\.2\): no refund\.$"#,
            "Moins de $1 heures de retard n'est pas un changement important (§ 260.2) : pas de remboursement.",
            "Menos de $1 horas de atraso não é uma mudança significativa (§ 260.2): sem reembolso."
        ),
        (
            #"^([\d.]+)% of the one-way fare, at most \$([\d,.]+): give the fare to get the amount\.$"#,
            "$1 % du tarif aller simple, au plus $2 $ : indiquez le tarif pour obtenir le montant.",
            "$1% da tarifa só de ida, no máximo US$ $2: informe a tarifa para obter o valor."
        ),
        (
            #"^([\d.]+)% of the one-way fare, at most \$([\d,.]+): give the fare in USD to get the amount\.$"#,
            "$1 % du tarif aller simple, au plus $2 $ : indiquez le tarif en USD pour obtenir le montant.",
            "$1% da tarifa só de ida, no máximo US$ $2: informe a tarifa em USD para obter o valor."
        ),
        (
            #"^The carrier is not liable if it proves it took all reasonable measures to avoid the damage \((s\. \w+)\)\.$"#,
            "Le transporteur n'est pas responsable s'il prouve avoir pris toutes les mesures raisonnables pour éviter le dommage ($1).",
            "A companhia não é responsável se provar que tomou todas as medidas razoáveis para evitar o dano ($1)."
        ),
        (
            #"^Unknown IATA airport code '(.{0,10})'\.$"#, "Code d'aéroport IATA inconnu « $1 ».", "Código de aeroporto IATA desconhecido “$1”."
        )
    ]
}
