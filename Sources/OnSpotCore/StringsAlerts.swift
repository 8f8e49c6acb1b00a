import Foundation

extension L10n {
    /// Alerts: weather warnings and flight disruptions (issue 14). (fr, en, pt)
    static let alerts: [String: (String, String, String)] = [
        "nav.alerts": ("Alertes", "Alerts", "Alertas"),
        "nav.admin_alerts": ("Alertes", "Alerts", "Alertas"),
        "alerts.title": ("Alertes de vos voyageurs", "Your travellers' alerts", "Alertas dos seus viajantes"),
        "alerts.intro": (
            "Vigilances météo officielles et perturbations de vols qui concernent vos voyageurs. Chacun est prévenu une fois par alerte, dans sa langue.",
            "Official weather warnings and flight disruptions that concern your travellers. Each is told once per alert, in their language.",
            "Alertas meteorológicos oficiais e perturbações de voos que dizem respeito aos seus viajantes. Cada um é avisado uma vez por alerta, no seu idioma."
        ),
        "alerts.none": ("Aucune alerte pour l'instant.", "No alert so far.", "Nenhum alerta até agora."),
        "alerts.col.when": ("Reçue", "Received", "Recebido"),
        "alerts.col.kind": ("Type", "Type", "Tipo"),
        "alerts.col.alert": ("Alerte", "Alert", "Alerta"),
        "alerts.col.traveller": ("Voyageur", "Traveller", "Viajante"),
        "alerts.col.trip": ("Dossier", "File", "Reserva"),
        "alerts.col.told": ("Prévenu", "Told", "Avisado"),
        "alerts.col.until": ("Jusqu'à", "Until", "Até"),
        "alerts.kind.weather": ("Météo", "Weather", "Meteorologia"),
        "alerts.kind.flight": ("Vol", "Flight", "Voo"),
        "alerts.told.yes": ("Oui", "Yes", "Sim"),
        "alerts.told.no": ("Non", "No", "Não"),
        "alerts.told.no_consent": (
            "Non : pas de consentement aux alertes (à prévenir vous-même)", "No: no consent to alerts (tell them yourself)",
            "Não: sem consentimento para alertas (avise-o você mesmo)"
        ),
        "alerts.told.no_phone": (
            "Non : ni numéro WhatsApp joignable ni conversation Messenger du jour",
            "No: no reachable WhatsApp number nor a Messenger conversation today",
            "Não: sem número de WhatsApp válido nem conversa no Messenger hoje"
        ),
        "alerts.told.no_line": (
            "Non : pas de ligne WhatsApp pour cette destination", "No: no WhatsApp line for this destination",
            "Não: sem linha de WhatsApp para este destino"
        ),
        "alerts.told.abusive": (
            "Non : voyageur signalé comme abusif", "No: traveller reported as abusive", "Não: viajante sinalizado como abusivo"
        ),
        "alerts.preferences.title": ("E-mails d'alerte", "Alert emails", "E-mails de alerta"),
        "alerts.preferences.intro": (
            "Le portail, l'API et les webhooks montrent toutes les alertes ; choisissez ici celles qui vous sont envoyées par e-mail, et à quelle adresse (par exemple votre permanence).",
            "The portal, the API and the webhooks show every alert; choose here which ones are emailed to you, and to which address (your duty desk, for instance).",
            "O portal, a API e os webhooks mostram todos os alertas; escolha aqui quais são enviados por e-mail, e para qual endereço (seu plantão, por exemplo)."
        ),
        "alerts.preferences.email": (
            "Adresse des e-mails d'alerte (vide : l'e-mail de contact de l'agence)",
            "Address for alert emails (empty: the agency's contact email)",
            "Endereço dos e-mails de alerta (vazio: o e-mail de contato da agência)"
        ),
        "alerts.preferences.flights": (
            "Vols perturbés (annulation, déroutement, retard, changement de porte)",
            "Disrupted flights (cancellation, diversion, delay, gate change)",
            "Voos com problemas (cancelamento, desvio, atraso, mudança de portão)"
        ),
        "alerts.preferences.weather": (
            "Alertes météo et risques naturels", "Weather and natural hazard alerts", "Alertas meteorológicos e de riscos naturais"
        ),
        "alerts.preferences.saved": ("Préférences d'alerte enregistrées.", "Alert preferences saved.", "Preferências de alerta salvas."),
        "alerts.ended": ("terminée", "ended", "encerrado"),
        "alerts.dashboard_title": ("Alertes en cours", "Alerts in force", "Alertas em vigor"),
        "alerts.dashboard_more": ("Toutes les alertes →", "All alerts →", "Todos os alertas →"),
        "alerts.banner": (
            "⚠️ {event} — {destinations} (jusqu'au {until})", "⚠️ {event} — {destinations} (until {until})", "⚠️ {event} — {destinations} (até {until})"
        ),
        "alerts.field.severity": ("gravité", "severity", "gravidade"),
        "alerts.field.urgency": ("urgence", "urgency", "urgência"),
        "alerts.field.event": ("phénomène", "event", "fenômeno"),
        "alerts.field.headline": ("titre", "headline", "título"),
        "alerts.field.instruction": ("consignes", "instructions", "instruções"),
        "alerts.field.expires": ("fin", "end", "fim"),
        "alerts.field.area": ("zone", "area", "área"),
        "alerts.weather.updated": ("{event} (mise à jour : {changes})", "{event} (update: {changes})", "{event} (atualização: {changes})"),
        "alerts.weather.message": (
            "⚠️ {name}, alerte officielle : {event} — {area}, jusqu'au {until}.\nConsigne : {instruction}\nUrgence : {emergency}. Votre expert OnSpot est là si vous avez besoin d'aide : répondez à ce message.",
            "⚠️ {name}, official alert: {event} — {area}, until {until}.\nInstruction: {instruction}\nEmergency: {emergency}. Your OnSpot expert is here if you need help: reply to this message.",
            "⚠️ {name}, alerta oficial: {event} — {area}, até {until}.\nOrientação: {instruction}\nEmergência: {emergency}. O seu especialista OnSpot está aqui se precisar de ajuda: responda a esta mensagem."
        ),
        "alerts.mail.weather_subject": (
            "Alerte météo : {event} — {n} voyageur(s) concerné(s)", "Weather alert: {event} — {n} traveller(s) concerned",
            "Alerta meteorológico: {event} — {n} viajante(s) afetado(s)"
        ),
        "alerts.mail.weather_body": (
            "{headline}\n\nDestinations : {destinations}\nJusqu'au : {until}\nVoyageurs concernés : {n} (prévenus sur WhatsApp ou Messenger s'ils acceptent les alertes ; les autres sont listés sur votre page des alertes).\n\nLe détail : {link}",
            "{headline}\n\nDestinations: {destinations}\nUntil: {until}\nTravellers concerned: {n} (told on WhatsApp or Messenger if they accept alerts; the others are listed on your alerts page).\n\nDetails: {link}",
            "{headline}\n\nDestinos: {destinations}\nAté: {until}\nViajantes afetados: {n} (avisados pelo WhatsApp ou Messenger se aceitam alertas; os outros estão listados na sua página de alertas).\n\nDetalhes: {link}"
        ),
        "alerts.flight.headline.cancelled": (
            "Vol {flight} {from} → {to} annulé", "Flight {flight} {from} → {to} cancelled", "Voo {flight} {from} → {to} cancelado"
        ),
        "alerts.flight.headline.diverted": (
            "Vol {flight} {from} → {to} dérouté vers {other}", "Flight {flight} {from} → {to} diverted to {other}",
            "Voo {flight} {from} → {to} desviado para {other}"
        ),
        "alerts.flight.headline.departure_delay": (
            "Vol {flight} {from} → {to} : départ retardé de {delay}", "Flight {flight} {from} → {to}: departure delayed by {delay}",
            "Voo {flight} {from} → {to}: partida atrasada em {delay}"
        ),
        "alerts.flight.headline.arrival_delay": (
            "Vol {flight} {from} → {to} : arrivée retardée de {delay}", "Flight {flight} {from} → {to}: arrival delayed by {delay}",
            "Voo {flight} {from} → {to}: chegada atrasada em {delay}"
        ),
        "alerts.flight.headline.gate_change": (
            "Vol {flight} : changement de porte {old} → {new}", "Flight {flight}: gate change {old} → {new}",
            "Voo {flight}: mudança de portão {old} → {new}"
        ),
        "alerts.flight.headline.terminal_change": (
            "Vol {flight} : changement de terminal {old} → {new}", "Flight {flight}: terminal change {old} → {new}",
            "Voo {flight}: mudança de terminal {old} → {new}"
        ),
        "alerts.flight.message.cancelled": (
            "✈️ {name}, votre vol {flight} {from} → {to} est annulé.", "✈️ {name}, your flight {flight} {from} → {to} is cancelled.",
            "✈️ {name}, o seu voo {flight} {from} → {to} foi cancelado."
        ),
        "alerts.flight.message.diverted": ("✈️ {name}, {change}.", "✈️ {name}, {change}.", "✈️ {name}, {change}."),
        "alerts.flight.message.departure_delay": (
            "✈️ {name}, {change}. Départ prévu : {departure}. Arrivée prévue : {arrival}.",
            "✈️ {name}, {change}. Expected departure: {departure}. Expected arrival: {arrival}.",
            "✈️ {name}, {change}. Partida prevista: {departure}. Chegada prevista: {arrival}."
        ),
        "alerts.flight.message.arrival_delay": (
            "✈️ {name}, {change}. Arrivée prévue : {arrival}.", "✈️ {name}, {change}. Expected arrival: {arrival}.",
            "✈️ {name}, {change}. Chegada prevista: {arrival}."
        ),
        "alerts.flight.message.gate_change": (
            "✈️ {name}, {change}. Départ prévu : {departure}.", "✈️ {name}, {change}. Expected departure: {departure}.",
            "✈️ {name}, {change}. Partida prevista: {departure}."
        ),
        "alerts.flight.message.terminal_change": (
            "✈️ {name}, {change}. Départ prévu : {departure}.", "✈️ {name}, {change}. Expected departure: {departure}.",
            "✈️ {name}, {change}. Partida prevista: {departure}."
        ),
        "alerts.flight.help": (
            "Votre expert OnSpot suit votre dossier : il peut vous replacer sur un autre vol, réserver un hôtel ou une voiture dans le cadre fixé par votre agence, et vous dire vos droits (indemnisation, remboursement, assistance). Répondez à ce message.",
            "Your OnSpot expert is on it: they can rebook you on another flight, book a hotel or a car within your agency's scope, and tell you your rights (compensation, refund, care). Reply to this message.",
            "O seu especialista OnSpot está acompanhando: pode remarcá-lo em outro voo, reservar hotel ou carro dentro do que a sua agência permite e explicar os seus direitos (indenização, reembolso, assistência). Responda a esta mensagem."
        ),
        "alerts.flight.times": (
            "Départ : {departure} ; arrivée : {arrival}", "Departure: {departure}; arrival: {arrival}", "Partida: {departure}; chegada: {arrival}"
        ),
        "alerts.mail.flight_subject": ("{change} — dossier {reference}", "{change} — file {reference}", "{change} — reserva {reference}"),
        "alerts.mail.flight_body": (
            "{change}.\n\nVoyageurs : {travellers}\nDossier : {reference}\n\nVos voyageurs qui acceptent les alertes ont été prévenus (les autres sont listés sur votre page des alertes) et un expert OnSpot a ouvert un dossier d'assistance. Le détail : {link}",
            "{change}.\n\nTravellers: {travellers}\nFile: {reference}\n\nYour travellers who accept alerts were told (the others are listed on your alerts page) and an OnSpot expert opened an assistance case. Details: {link}",
            "{change}.\n\nViajantes: {travellers}\nReserva: {reference}\n\nOs seus viajantes que aceitam alertas foram avisados (os outros estão listados na sua página de alertas) e um especialista OnSpot abriu um caso de assistência. Detalhes: {link}"
        ),
        "alerts.weather.lifted": (
            "✅ {name}, l'alerte « {event} » ({area}) est levée par les autorités. Votre expert OnSpot reste joignable ici.",
            "✅ {name}, the authorities have lifted the \"{event}\" alert ({area}). Your OnSpot expert is still here if you need help.",
            "✅ {name}, as autoridades suspenderam o alerta \"{event}\" ({area}). O seu especialista OnSpot continua disponível aqui."
        ),
        // The same, as the case-update template's {{2}} when WhatsApp's window is closed.
        "alerts.weather.lifted_short": (
            "✅ l'alerte « {event} » ({area}) est levée par les autorités", "✅ the authorities have lifted the \"{event}\" alert ({area})",
            "✅ as autoridades suspenderam o alerta \"{event}\" ({area})"
        ),
        "template.onspot_weather_alert.title": ("Alerte météo", "Weather alert", "Alerta meteorológico"),
        "template.onspot_weather_alert.body": (
            "⚠️ {{1}}, alerte officielle là où vous êtes : {{2}}. Consigne : {{3}}. Urgence : {{4}}. Votre expert OnSpot peut vous aider : répondez à ce message.",
            "⚠️ {{1}}, official alert where you are: {{2}}. Instruction: {{3}}. Emergency: {{4}}. Your OnSpot expert can help: reply to this message.",
            "⚠️ {{1}}, alerta oficial onde você está: {{2}}. Orientação: {{3}}. Emergência: {{4}}. O seu especialista OnSpot pode ajudar: responda a esta mensagem."
        ),
        "template.onspot_flight_disruption.title": ("Perturbation de vol", "Flight disruption", "Perturbação de voo"),
        "template.onspot_flight_disruption.body": (
            "✈️ {{1}}, {{2}}. {{3}}. Votre expert OnSpot s'en occupe (autre vol, hôtel, vos droits) : répondez à ce message.",
            "✈️ {{1}}, {{2}}. {{3}}. Your OnSpot expert is on it (another flight, a hotel, your rights): reply to this message.",
            "✈️ {{1}}, {{2}}. {{3}}. O seu especialista OnSpot está cuidando disso (outro voo, hotel, os seus direitos): responda a esta mensagem."
        ),
        "admin.alerts.title": ("Alertes : sources et seuils", "Alerts: sources and thresholds", "Alertas: fontes e limites"),
        "admin.alerts.feeds": (
            "Sources météo (ONSPOT_ALERT_FEEDS)", "Weather sources (ONSPOT_ALERT_FEEDS)", "Fontes meteorológicas (ONSPOT_ALERT_FEEDS)"
        ),
        "admin.alerts.no_feeds": ("Aucune source configurée.", "No source configured.", "Nenhuma fonte configurada."),
        "admin.alerts.col.format": ("Format", "Format", "Formato"),
        "admin.alerts.col.url": ("Adresse", "URL", "Endereço"),
        "admin.alerts.col.polled": ("Dernière lecture", "Last poll", "Última leitura"),
        "admin.alerts.col.status": ("Réponse", "Answer", "Resposta"),
        "admin.alerts.col.error": ("Erreur", "Error", "Erro"),
        "admin.alerts.col.in_force": ("En vigueur", "In force", "Em vigor"),
        "admin.alerts.active": ("Alertes météo en vigueur", "Weather alerts in force", "Alertas meteorológicos em vigor"),
        "admin.alerts.flights": ("Vols surveillés", "Flights watched", "Voos monitorados"),
        "admin.alerts.flights_summary": (
            "{watched} vol(s) surveillé(s), {failed} en erreur. FlightAware : {provider}.",
            "{watched} flight(s) watched, {failed} failing. FlightAware: {provider}.",
            "{watched} voo(s) monitorado(s), {failed} com erro. FlightAware: {provider}."
        ),
        "admin.alerts.provider_on": ("configuré", "configured", "configurado"),
        "admin.alerts.provider_off": (
            "non configuré (ONSPOT_FLIGHTAWARE_KEY)", "not configured (ONSPOT_FLIGHTAWARE_KEY)", "não configurado (ONSPOT_FLIGHTAWARE_KEY)"
        ),
        "admin.alerts.thresholds": ("Seuils de retard", "Delay thresholds", "Limites de atraso"),
        "admin.alerts.departure_delay": ("Retard au départ (minutes)", "Departure delay (minutes)", "Atraso na partida (minutos)"),
        "admin.alerts.arrival_delay": ("Retard à l'arrivée (minutes)", "Arrival delay (minutes)", "Atraso na chegada (minutos)"),
        "admin.alerts.threshold_error": (
            "Un nombre entier de minutes entre {min} et {max}.", "A whole number of minutes from {min} to {max}.",
            "Um número inteiro de minutos entre {min} e {max}."
        ),
        "admin.alerts.saved": ("Seuils enregistrés.", "Thresholds saved.", "Limites salvos."),
        "webhook.callback.invalid": (
            "Ce n'est pas un rappel FlightAware lisible.", "Not a readable FlightAware callback.", "Não é um retorno do FlightAware legível."
        )
    ]
}
