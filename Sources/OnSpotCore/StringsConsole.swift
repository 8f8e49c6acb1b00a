import Foundation

extension L10n {
    /// The expert console and the rights panel, in the expert's own language (issue 13). (fr, en, pt)
    static let console: [String: (String, String, String)] = [
        "nav.main": ("Navigation principale", "Main navigation", "Navegação principal"),
        // The same word in the three languages.
        "nav.console": ("Console", "Console", "Console"),
        "queue.time_left": ("reste {time}", "{time} left", "faltam {time}"),
        "queue.late_by": ("en retard de {time}", "{time} late", "atrasado {time}"),
        "queue.wrote_since_reply": (
            "Le voyageur a écrit depuis la dernière réponse", "The traveller wrote since the last reply",
            "O viajante escreveu desde a última resposta"
        ),
        "queue.channel": ("Canal", "Channel", "Canal"),
        "queue.holder": ("Pris par", "Held by", "Com"),
        "queue.mine": ("Mes dossiers", "Mine", "Meus casos"),
        "queue.unassigned": ("Personne", "Nobody", "Ninguém"),
        "queue.last_message": ("Dernier message", "Last message", "Última mensagem"),
        "queue.last_at": ("Reçu à", "Received at", "Recebida às"),
        "queue.deadline": ("Échéance", "Deadline", "Prazo"),
        "channel.whatsapp": ("WhatsApp", "WhatsApp", "WhatsApp"),
        "channel.messenger": ("Messenger", "Messenger", "Messenger"),
        "channel.voice": ("Téléphone", "Phone", "Telefone"),
        "console.title": ("Console des experts", "Expert console", "Console dos especialistas"),
        "console.case": ("Dossier", "Case", "Caso"),
        "console.context": ("Contexte", "Context", "Contexto"),
        "console.activities": ("Activités", "Activities", "Atividades"),
        "console.on_duty": ("De garde (ligne vocale)", "On duty (voice line)", "De plantão (linha de voz)"),
        "console.duty_phone": ("Téléphone de garde", "Duty phone", "Telefone de plantão"),
        "console.live": ("en direct", "live", "ao vivo"),
        "console.reconnecting": ("reconnexion…", "reconnecting…", "reconectando…"),
        "console.now": ("à l'instant", "just now", "agora"),
        "console.conversation": ("Conversation", "Conversation", "Conversa"),
        "console.reply": ("Réponse", "Reply", "Resposta"),
        "console.template_only": (
            "Modèle seulement (fenêtre de 24 h fermée)", "Template only (24 h window closed)", "Somente modelo (janela de 24 h fechada)"
        ),
        "console.canned": ("Réponses types", "Canned replies", "Respostas prontas"),
        "console.canned_pick": ("Réponse type…", "Canned reply…", "Resposta pronta…"),
        "console.send": ("Envoyer", "Send", "Enviar"),
        "console.take": ("Prendre le dossier", "Take the case", "Assumir o caso"),
        "console.resolution_summary": ("Résumé de la résolution", "Resolution summary", "Resumo da resolução"),
        "console.resolve": ("Résoudre", "Resolve", "Resolver"),
        "console.rights_link": ("Droits et conditions →", "Rights and conditions →", "Direitos e condições →"),
        "console.assignee": ("Responsable : {name}", "Assignee: {name}", "Responsável: {name}"),
        "console.assign_to": ("Attribuer à", "Assign to", "Atribuir a"),
        "console.assign": ("Attribuer", "Assign", "Atribuir"),
        "console.transfer_to": ("Transférer vers", "Transfer to", "Transferir para"),
        "console.transfer": ("Transférer", "Transfer", "Transferir"),
        "console.notes": ("Notes internes", "Internal notes", "Notas internas"),
        "console.note_label": ("Note (jamais envoyée au voyageur)", "Note (never sent to the traveller)", "Nota (nunca enviada ao viajante)"),
        "console.add_note": ("Ajouter la note", "Add the note", "Adicionar a nota"),
        "console.category": ("Catégorie", "Category", "Categoria"),
        "console.priority": ("Priorité", "Priority", "Prioridade"),
        "console.safety": ("Situation de sécurité", "Safety situation", "Situação de segurança"),
        "console.save_classification": ("Enregistrer le classement", "Save the classification", "Salvar a classificação"),
        "console.costs": ("Dépenses", "Costs", "Despesas"),
        "console.domain": ("Domaine", "Domain", "Domínio"),
        "console.what_for": ("Pour quoi", "What for", "Para quê"),
        "console.booking_change": ("Crée ou modifie une réservation", "Makes or changes a booking", "Cria ou altera uma reserva"),
        "console.emergency": (
            "Urgence : agir tout de suite (cas médicaux, d'urgence ou de sécurité seulement)",
            "Emergency: act now (medical, emergency or safety cases only)",
            "Emergência: agir agora (somente casos médicos, de emergência ou de segurança)"
        ),
        "console.justification": ("Justification écrite (urgence)", "Written justification (emergency)", "Justificativa escrita (emergência)"),
        "console.record_cost": ("Enregistrer la dépense", "Record the cost", "Registrar a despesa"),
        "console.file": ("fichier", "file", "arquivo"),
        "priority.low": ("Basse", "Low", "Baixa"),
        "priority.normal": ("Normale", "Normal", "Normal"),
        "priority.high": ("Haute", "High", "Alta"),
        "priority.urgent": ("Urgente", "Urgent", "Urgente"),
        "message.kind.text": ("texte", "text", "texto"),
        "message.kind.image": ("image", "image", "imagem"),
        "message.kind.audio": ("audio", "audio", "áudio"),
        "message.kind.video": ("vidéo", "video", "vídeo"),
        "message.kind.document": ("document", "document", "documento"),
        "message.kind.file": ("fichier", "file", "arquivo"),
        "message.kind.location": ("position", "location", "localização"),
        "message.kind.sticker": ("autocollant", "sticker", "figurinha"),
        "message.kind.contacts": ("contact", "contact", "contato"),
        "message.kind.interactive": ("réponse à un bouton", "button reply", "resposta a um botão"),
        "message.kind.button": ("réponse à un bouton", "button reply", "resposta a um botão"),
        "message.kind.postback": ("réponse à un bouton", "button reply", "resposta a um botão"),
        "message.kind.reaction": ("réaction", "reaction", "reação"),
        "message.kind.template": ("modèle", "template", "modelo"),
        "message.kind.voicemail": ("message vocal", "voicemail", "correio de voz"),
        "message.kind.call": ("appel", "call", "chamada"),
        "message.kind.other": ("autre", "other", "outro"),
        "message.kind.quick_reply": ("réponse à un bouton", "button reply", "resposta a um botão"),
        "message.kind.satisfaction_request": ("question de satisfaction", "satisfaction question", "pergunta de satisfação"),
        "message.kind.auto_satisfaction_thanks": ("remerciement automatique", "automatic thanks", "agradecimento automático"),
        "message.kind.auto_out_of_hours": ("réponse automatique (fermé)", "automatic reply (closed)", "resposta automática (fechado)"),
        "message.kind.auto_abusive": ("réponse automatique (article 7)", "automatic reply (article 7)", "resposta automática (artigo 7)"),
        "message.kind.auto_unknown_sender": (
            "réponse automatique (expéditeur inconnu)", "automatic reply (unknown sender)", "resposta automática (remetente desconhecido)"
        ),
        "message.kind.auto_recommendations_stopped": (
            "réponse automatique (STOP)", "automatic reply (STOP)", "resposta automática (PARAR)"
        ),
        // The satisfaction question's buttons (20 characters at most) and the thanks for an answer, to the traveller.
        "csat.button.3": ("😀 Très satisfait", "😀 Very happy", "😀 Muito satisfeito"),
        "csat.button.2": ("😐 Moyennement", "😐 So-so", "😐 Mais ou menos"),
        "csat.button.1": ("🙁 Pas satisfait", "🙁 Not happy", "🙁 Insatisfeito"),
        "csat.thanks": (
            "Merci pour votre réponse ! Un commentaire ? Écrivez-le ici. Pour toute nouvelle demande, nous restons joignables.",
            "Thank you for your answer! Any comment? Write it here. For anything new, we are still here.",
            "Obrigado pela sua resposta! Algum comentário? Escreva aqui. Para qualquer novo pedido, continuamos à disposição."
        ),
        "csat.title": ("Satisfaction des voyageurs", "Traveller satisfaction", "Satisfação dos viajantes"),
        "csat.rating": ("Satisfaction", "Satisfaction", "Satisfação"),
        "csat.rating.3": ("très satisfait", "very happy", "muito satisfeito"),
        "csat.rating.2": ("moyennement satisfait", "so-so", "mais ou menos"),
        "csat.rating.1": ("pas satisfait", "not happy", "insatisfeito"),
        "csat.asked": ("Question envoyée le {when}", "Question sent on {when}", "Pergunta enviada em {when}"),
        "csat.comment": ("Commentaire", "Comment", "Comentário"),
        "csat.month": ("Mois", "Month", "Mês"),
        "csat.destination": ("Destination", "Destination", "Destino"),
        "csat.cases": ("Dossiers", "Cases", "Casos"),
        "csat.answers": ("Réponses", "Answers", "Respostas"),
        "csat.satisfied": ("Satisfaits", "Satisfied", "Satisfeitos"),
        "csat.first_response_met": ("1re réponse dans les délais", "First response on time", "1ª resposta no prazo"),
        "csat.resolution_met": ("Résolution dans les délais", "Resolution on time", "Resolução no prazo"),
        "nav.admin_supervision": ("Supervision", "Supervision", "Supervisão"),
        "supervision.open_cases": ("Dossiers ouverts par destination", "Open cases by destination", "Casos abertos por destino"),
        "supervision.open": ("Ouverts", "Open", "Abertos"),
        "supervision.breached": ("Hors délai", "Past deadline", "Fora do prazo"),
        "supervision.unassigned": ("Sans responsable", "Unassigned", "Sem responsável"),
        "supervision.waiting": ("Attente la plus longue", "Longest wait", "Maior espera"),
        "supervision.waiting_for": ("attend depuis {time}", "waiting for {time}", "esperando há {time}"),
        "supervision.oldest": (
            "Le voyageur qui attend depuis le plus longtemps : {destination}, depuis {time}.",
            "The traveller waiting longest: {destination}, for {time}.", "O viajante que espera há mais tempo: {destination}, há {time}."
        ),
        "supervision.nobody_waiting": (
            "Aucun voyageur n'attend de réponse.", "No traveller is waiting for an answer.", "Nenhum viajante espera resposta."
        ),
        "supervision.no_open_case": ("Aucun dossier ouvert.", "No open case.", "Nenhum caso aberto."),
        "supervision.experts": ("Experts et charge", "Experts and load", "Especialistas e carga"),
        "supervision.expert": ("Expert", "Expert", "Especialista"),
        "supervision.duty": ("Garde", "Duty", "Plantão"),
        "supervision.on_duty": ("de garde", "on duty", "de plantão"),
        "supervision.holding": ("Dossiers ouverts pris", "Open cases held", "Casos abertos com ele"),
        "supervision.covers": ("Destinations", "Destinations", "Destinos"),
        // The thread's events, notes and messages.
        "thread.someone": ("quelqu'un", "someone", "alguém"),
        "thread.automatic": ("automatique", "automatic", "automática"),
        "thread.opened": ("Dossier ouvert", "Case opened", "Caso aberto"),
        "thread.assigned": ("{who} a attribué le dossier à {to}", "{who} assigned the case to {to}", "{who} atribuiu o caso a {to}"),
        "thread.transferred": ("{who} a transféré le dossier à {to}", "{who} transferred the case to {to}", "{who} transferiu o caso para {to}"),
        "thread.linked": ("{who} a relié la conversation au voyage", "{who} linked the conversation to the trip", "{who} ligou a conversa à viagem"),
        "thread.cost": (
            "Dépense {amount} ({domain}, {supplier}) : {outcome}", "Cost {amount} ({domain}, {supplier}): {outcome}",
            "Despesa {amount} ({domain}, {supplier}): {outcome}"
        ),
        "thread.approval_requested": ("Accord demandé à l'agence", "Approval requested from the agency", "Aprovação pedida à agência"),
        "thread.approval_decided": ("Réponse de l'agence : {status}", "The agency's answer: {status}", "Resposta da agência: {status}"),
        "thread.booked": ("Activité réservée : {activity}", "Activity booked: {activity}", "Atividade reservada: {activity}"),
        "thread.resolved": ("Dossier résolu par {who}", "Case resolved by {who}", "Caso resolvido por {who}"),
        "thread.satisfaction": ("Le voyageur a répondu : {rating}", "The traveller answered: {rating}", "O viajante respondeu: {rating}"),
        "thread.note": ("Note interne, jamais envoyée", "Internal note, never sent", "Nota interna, nunca enviada"),
        "thread.location": ("Position sur la carte", "Location on the map", "Localização no mapa"),
        "thread.voicemail": (
            "Message vocal de {seconds} s, rappeler le {phone}", "Voicemail of {seconds} s, call back {phone}",
            "Correio de voz de {seconds} s, ligar para {phone}"
        ),
        // Meta's delivery errors in words (WhatsApp Cloud API and Messenger error codes).
        "delivery.error.131026": (
            "Ce numéro ne peut pas recevoir de message WhatsApp (pas de compte WhatsApp, ou application trop ancienne).",
            "This number cannot receive WhatsApp messages (no WhatsApp account, or an outdated app).",
            "Este número não pode receber mensagens do WhatsApp (sem conta WhatsApp, ou aplicativo desatualizado)."
        ),
        "delivery.error.131047": (
            "Plus de 24 heures depuis le dernier message du voyageur : seul un modèle peut partir.",
            "More than 24 hours since the traveller's last message: only a template can go.",
            "Mais de 24 horas desde a última mensagem do viajante: só um modelo pode ser enviado."
        ),
        "delivery.error.10": (
            "Hors de la fenêtre de Messenger : plus de réponse possible.", "Outside Messenger's window: no reply is possible.",
            "Fora da janela do Messenger: não é possível responder."
        ),
        "delivery.error.131049": (
            "Meta a retenu le message pour limiter les envois à ce numéro ; réessayez plus tard ou appelez.",
            "Meta held the message back to limit what this number receives; try later or call.",
            "A Meta reteve a mensagem para limitar o que este número recebe; tente mais tarde ou ligue."
        ),
        "delivery.error.131051": ("Type de message non pris en charge.", "Unsupported message type.", "Tipo de mensagem não suportado."),
        "delivery.error.131052": (
            "Le fichier envoyé par le voyageur n'a pas pu être téléchargé.", "The traveller's file could not be downloaded.",
            "O arquivo do viajante não pôde ser baixado."
        ),
        "delivery.error.131053": ("Le fichier n'a pas pu être envoyé.", "The file could not be sent.", "O arquivo não pôde ser enviado."),
        "delivery.error.131021": (
            "Le destinataire est notre propre numéro.", "The recipient is our own number.", "O destinatário é o nosso próprio número."
        ),
        "delivery.error.132000": (
            "Le nombre de variables ne correspond pas au modèle approuvé.", "The number of variables does not match the approved template.",
            "O número de variáveis não corresponde ao modelo aprovado."
        ),
        "delivery.error.132001": (
            "Ce modèle n'existe pas dans cette langue chez Meta.", "This template does not exist in this language at Meta.",
            "Este modelo não existe neste idioma na Meta."
        ),
        "delivery.error.132015": ("Le modèle est suspendu par Meta.", "Meta has paused the template.", "A Meta pausou o modelo."),
        "delivery.error.132016": ("Le modèle est désactivé par Meta.", "Meta has disabled the template.", "A Meta desativou o modelo."),
        "delivery.error.132018": (
            "Une variable du modèle contient un caractère refusé par Meta.", "A template variable holds a character Meta refuses.",
            "Uma variável do modelo contém um caractere recusado pela Meta."
        ),
        "delivery.error.131000": ("Erreur inconnue chez Meta.", "Unknown error at Meta.", "Erro desconhecido na Meta."),
        "delivery.error.other": ("Échec : {reason}", "Failed: {reason}", "Falha: {reason}"),
        "scope.spent": ("Engagé sur ce dossier", "Committed on this case", "Comprometido neste caso"),
        "scope.left": ("Reste", "Left", "Resta"),
        "scope.waiting": ("En attente d'accord", "Awaiting approval", "Aguardando aprovação"),
        "scope.approvals_waiting": ("Accords en attente", "Approvals waiting", "Aprovações pendentes"),
        "scope.approval_line": (
            "{amount} – {supplier} : demandé à {at}, sans réponse depuis {since}", "{amount} – {supplier}: asked at {at}, no answer for {since}",
            "{amount} – {supplier}: pedido às {at}, sem resposta há {since}"
        ),
        "console.keys": (
            "Clavier : j / k dossier suivant / précédent, r répondre, n note, x résoudre",
            "Keys: j / k next / previous case, r reply, n note, x resolve",
            "Teclado: j / k caso seguinte / anterior, r responder, n nota, x resolver"
        ),
        "console.keys_queue": (
            "Clavier : j / k pour choisir un dossier, Entrée pour l'ouvrir", "Keys: j / k to pick a case, Enter to open it",
            "Teclado: j / k para escolher um caso, Enter para abri-lo"
        ),
        "console.error.held_by": (
            "{name} a pris ce dossier. Envoyer quand même votre réponse ?", "{name} holds this case. Send your reply anyway?",
            "{name} está com este caso. Enviar sua resposta mesmo assim?"
        ),
        "presence.viewing": ("{name} a ce dossier ouvert", "{name} has this case open", "{name} está com este caso aberto"),
        "presence.typing": ("{name} écrit…", "{name} is typing…", "{name} está escrevendo…"),
        "csat.none": ("Aucun dossier sur la période.", "No case in the period.", "Nenhum caso no período."),

        "message.status.received": ("reçu", "received", "recebida"),
        "message.status.queued": ("en file d'attente", "queued", "na fila"),
        "message.status.accepted": ("accepté par le fournisseur", "accepted by the provider", "aceita pelo provedor"),
        "message.status.sent": ("envoyé", "sent", "enviada"),
        "message.status.delivered": ("distribué", "delivered", "entregue"),
        "message.status.read": ("lu", "read", "lida"),
        "message.status.failed": ("échec", "failed", "falhou"),
        "attachment.status.pending": ("en cours de téléchargement", "downloading", "baixando"),
        "attachment.status.stored": ("conservé", "stored", "guardado"),
        "attachment.status.failed": ("téléchargement impossible", "could not be downloaded", "não foi possível baixar"),
        "attachment.status.erased": ("effacé", "erased", "apagado"),
        "attachment.status.expired": ("expiré", "expired", "expirado"),
        // WhatsApp templates as submitted to Meta for approval (MessageTemplate); {{n}} are Meta's placeholders.
        "template.onspot_follow_up.title": ("Reprendre contact", "Follow up", "Retomar contato"),
        "template.onspot_follow_up.body": (
            "Bonjour {{1}}, ici {{2}}, votre expert OnSpot à {{3}}. Nous avons du nouveau sur votre demande : répondez à ce message pour continuer.",
            "Hello {{1}}, this is {{2}}, your OnSpot expert in {{3}}. We have news on your request: reply to this message to carry on.",
            "Olá {{1}}, aqui é {{2}}, seu especialista OnSpot em {{3}}. Temos novidades sobre o seu pedido: responda a esta mensagem para continuar."
        ),
        "template.onspot_case_update.title": ("Point sur la demande", "Request update", "Atualização do pedido"),
        "template.onspot_case_update.body": (
            "Bonjour {{1}}, du nouveau sur votre demande : {{2}}. Répondez à ce message pour en parler avec votre expert OnSpot.",
            "Hello {{1}}, an update on your request: {{2}}. Reply to this message to talk it over with your OnSpot expert.",
            "Olá {{1}}, novidades sobre o seu pedido: {{2}}. Responda a esta mensagem para falar com o seu especialista OnSpot."
        ),
        "template.onspot_call_back.title": ("Nous n'avons pas pu vous joindre", "We could not reach you", "Não conseguimos falar com você"),
        "template.onspot_call_back.body": (
            "Bonjour {{1}}, nous avons essayé de vous joindre. Appelez-nous au {{2}} (aujourd'hui {{3}}) ou répondez ici. En cas de danger immédiat : {{4}}.",
            "Hello {{1}}, we tried to reach you. Call us on {{2}} (today {{3}}) or reply here. In immediate danger: {{4}}.",
            "Olá {{1}}, tentamos falar com você. Ligue para {{2}} (hoje {{3}}) ou responda aqui. Em perigo imediato: {{4}}."
        ),
        "template.onspot_satisfaction.title": ("Satisfaction", "Satisfaction", "Satisfação"),
        "template.onspot_satisfaction.body": (
            "Bonjour {{1}}, votre demande auprès d'OnSpot {{2}} est réglée. Êtes-vous satisfait de notre aide ?",
            "Hello {{1}}, your request to OnSpot {{2}} is resolved. Are you happy with our help?",
            "Olá {{1}}, o seu pedido à OnSpot {{2}} foi resolvido. Ficou satisfeito com a nossa ajuda?"
        ),
        "template.variable.traveller_first_name": ("Prénom du voyageur", "Traveller's first name", "Nome do viajante"),
        "template.variable.expert_first_name": ("Votre prénom", "Your first name", "Seu nome"),
        "template.variable.destination_name": ("Destination", "Destination", "Destino"),
        "template.variable.destination_hours": ("Horaires du jour", "Today's hours", "Horário de hoje"),
        "template.variable.emergency_number": ("Numéro d'urgence", "Emergency number", "Número de emergência"),
        "template.variable.toll_free_number": ("Numéro gratuit", "Toll-free number", "Número gratuito"),
        "template.variable.trip_reference": ("Référence du voyage", "Trip reference", "Referência da viagem"),
        "template.variable.free_text": ("Votre message", "Your message", "Sua mensagem"),
        "template.hours_closed": ("fermé aujourd'hui", "closed today", "fechado hoje"),
        "template.hours_zone": ("{hours}, heure de {place}", "{hours}, {place} time", "{hours}, horário de {place}"),
        "console.template_pick": ("Modèle…", "Template…", "Modelo…"),
        "console.template_preview": ("Ce que lira le voyageur", "What the traveller will read", "O que o viajante vai ler"),
        "console.send_template": ("Envoyer le modèle", "Send the template", "Enviar o modelo"),
        "console.window_open": (
            "Fenêtre ouverte : encore {time} pour répondre librement", "Window open: {time} left to reply freely",
            "Janela aberta: faltam {time} para responder livremente"
        ),
        "console.window_human_agent": (
            "Plus de 24 h : réponse d'un agent humain possible encore {time}", "Over 24 h: a human agent's reply is allowed for {time} more",
            "Mais de 24 h: resposta de um agente humano permitida por mais {time}"
        ),
        "console.window_closed_whatsapp": (
            "Fenêtre de 24 h fermée : seul un modèle approuvé peut être envoyé", "24-hour window closed: only an approved template can be sent",
            "Janela de 24 h fechada: só um modelo aprovado pode ser enviado"
        ),
        "console.window_closed_messenger": (
            "Fenêtre fermée : Messenger n'autorise plus de réponse, appelez le voyageur",
            "Window closed: Messenger allows no more replies, call the traveller",
            "Janela fechada: o Messenger não permite mais respostas, ligue para o viajante"
        ),
        "console.error.template_unknown": (
            "Ce modèle n'existe pas ou n'est pas proposé aux experts.", "This template does not exist or is not offered to experts.",
            "Este modelo não existe ou não é oferecido aos especialistas."
        ),
        "console.error.template_whatsapp_only": (
            "Les modèles ne s'envoient que sur WhatsApp.", "Templates can only be sent on WhatsApp.", "Modelos só podem ser enviados pelo WhatsApp."
        ),
        "console.error.template_param_empty": ("Ce champ est vide.", "This field is empty.", "Este campo está vazio."),
        "console.error.template_param_too_long": ("1 024 caractères au plus.", "At most 1,024 characters.", "No máximo 1.024 caracteres."),
        "console.error.template_param_line_break": (
            "WhatsApp refuse les retours à la ligne et les tabulations dans un modèle.",
            "WhatsApp refuses line breaks and tabs in a template.", "O WhatsApp recusa quebras de linha e tabulações em um modelo."
        ),
        "console.error.template_param_spaces": (
            "WhatsApp refuse plus de quatre espaces de suite dans un modèle.", "WhatsApp refuses more than four spaces in a row in a template.",
            "O WhatsApp recusa mais de quatro espaços seguidos em um modelo."
        ),
        // The reply box's errors, shown under it.
        "console.error.no_conversation": (
            "Ce dossier n'a pas de conversation de messagerie à laquelle répondre.", "This case has no messaging conversation to answer.",
            "Este caso não tem conversa de mensagens para responder."
        ),
        "console.error.phone_case": (
            "Ce dossier est arrivé par téléphone : rappelez le voyageur au +{phone}.",
            "This case came by phone: call the traveller back on +{phone}.", "Este caso chegou por telefone: ligue para o viajante no +{phone}."
        ),
        "console.error.no_channel": (
            "La destination n'a pas de numéro {channel} actif.", "The destination has no active {channel} number.",
            "O destino não tem número {channel} ativo."
        ),
        "console.error.too_long": ("{max} caractères au plus.", "At most {max} characters.", "No máximo {max} caracteres."),
        "console.error.window_whatsapp": (
            "Le dernier message du voyageur date de plus de 24 heures : seul un modèle approuvé peut être envoyé.",
            "The traveller's last message is more than 24 hours old: only an approved template can be sent.",
            "A última mensagem do viajante tem mais de 24 horas: só um modelo aprovado pode ser enviado."
        ),
        "console.error.window_messenger": (
            "Le dernier message du voyageur date de plus de 7 jours : Messenger n'autorise aucune réponse.",
            "The traveller's last message is more than 7 days old: Messenger allows no reply.",
            "A última mensagem do viajante tem mais de 7 dias: o Messenger não permite resposta."
        ),
        "console.error.outside_window": ("Hors de la fenêtre de messagerie.", "Outside the messaging window.", "Fora da janela de mensagens."),
        "console.error.template": (
            "Nom et code de langue du modèle.", "The template's name and language code.", "Nome e código de idioma do modelo."
        ),
        "console.error.nothing": (
            "Écrivez un texte, ou choisissez un modèle sur WhatsApp.", "Write a text, or pick a template on WhatsApp.",
            "Escreva um texto, ou escolha um modelo no WhatsApp."
        ),
        // The rights and conditions panel.
        "panel.title": ("Droits et conditions", "Rights and conditions", "Direitos e condições"),
        "panel.no_flight": (
            "Aucun vol dans l'itinéraire : saisissez le trajet.", "No flight in the itinerary: type the journey.",
            "Nenhum voo no itinerário: digite o trajeto."
        ),
        "panel.flight": ("Vol", "Flight", "Voo"),
        "panel.journey": ("Trajet (codes IATA)", "Journey (IATA codes)", "Trajeto (códigos IATA)"),
        "panel.carrier": ("Transporteur effectif", "Operating carrier", "Companhia operadora"),
        "panel.event": ("Événement", "Event", "Evento"),
        "panel.event.delay": ("Retard", "Delay", "Atraso"),
        "panel.event.cancellation": ("Annulation", "Cancellation", "Cancelamento"),
        "panel.event.denied_boarding": ("Refus d'embarquement", "Denied boarding", "Embarque negado"),
        // The events booking conditions name (rule packs), in the panel's list.
        "panel.event.complaint": ("réclamation", "complaint", "reclamação"),
        "panel.event.modification": ("modification", "modification", "alteração"),
        "panel.event.no_show": ("non-présentation", "no-show", "não comparecimento"),
        "panel.event.organiser_cancellation": ("annulation par l'organisateur", "cancellation by the organiser", "cancelamento pelo organizador"),
        "panel.event.payment_schedule": ("échéancier de paiement", "payment schedule", "cronograma de pagamento"),
        "panel.event.price_revision": ("révision du prix", "price revision", "revisão de preço"),
        "panel.event.transfer": ("cession du contrat", "transfer of the contract", "cessão do contrato"),
        "panel.event.traveller_cancellation": ("annulation par le voyageur", "cancellation by the traveller", "cancelamento pelo viajante"),
        "panel.event.balance_expiry": ("expiration du solde", "balance expiry", "expiração do saldo"),
        "panel.event.bonus_conversion": ("conversion des bonus", "bonus conversion", "conversão de bônus"),
        "panel.event.earning_eligibility": ("droit au cumul", "earning eligibility", "elegibilidade de acúmulo"),
        "panel.event.points_claim": ("réclamation de points", "points claim", "reivindicação de pontos"),
        "panel.event.registration": ("inscription", "registration", "inscrição"),
        "panel.event.service_cancellation": ("annulation du service", "service cancellation", "cancelamento do serviço"),
        "panel.event.service_payment": ("paiement du service", "service payment", "pagamento do serviço"),
        "panel.event.service_start": ("début du service", "service start", "início do serviço"),
        "panel.scheduled_departure": ("Départ prévu", "Scheduled departure", "Partida prevista"),
        "panel.scheduled_arrival": ("Arrivée prévue", "Scheduled arrival", "Chegada prevista"),
        "panel.actual_arrival": ("Arrivée réelle", "Actual arrival", "Chegada real"),
        "panel.reroute_departure": ("Départ du vol de remplacement", "Alternative flight departs", "Partida do voo alternativo"),
        "panel.reroute_arrival": ("Arrivée du vol de remplacement", "Alternative flight arrives", "Chegada do voo alternativo"),
        "panel.notice_days": ("Jours de préavis", "Days of notice", "Dias de aviso prévio"),
        "panel.cause": ("Cause", "Cause", "Causa"),
        "panel.cause.technical": ("Problème technique", "Technical problem", "Problema técnico"),
        "panel.cause.crew": ("Équipage", "Crew", "Tripulação"),
        "panel.cause.airline_staff_strike": ("Grève du personnel de la compagnie", "Airline staff strike", "Greve do pessoal da companhia"),
        "panel.cause.overbooking": ("Surréservation", "Overbooking", "Overbooking"),
        "panel.cause.it_failure": ("Panne informatique", "IT failure", "Falha de informática"),
        "panel.cause.atc": ("Contrôle aérien", "Air traffic control", "Controle de tráfego aéreo"),
        "panel.cause.atc_strike": ("Grève du contrôle aérien", "Air traffic control strike", "Greve do controle de tráfego aéreo"),
        "panel.cause.weather": ("Météo", "Weather", "Meteorologia"),
        "panel.cause.bird_strike": ("Impact d'oiseau", "Bird strike", "Colisão com ave"),
        "panel.cause.security": ("Sûreté", "Security", "Segurança"),
        "panel.cause.airport_closure": ("Fermeture d'aéroport", "Airport closure", "Fechamento de aeroporto"),
        "panel.cause.unknown": ("Inconnue", "Unknown", "Desconhecida"),
        "panel.fare": ("Tarif", "Fare", "Tarifa"),
        "panel.fare_currency": ("Devise du tarif", "Fare currency", "Moeda da tarifa"),
        "panel.choice": ("Choix du passager", "Passenger's choice", "Escolha do passageiro"),
        "panel.choice.reroute": ("Réacheminement", "Rerouting", "Reacomodação"),
        "panel.choice.refund": ("Remboursement", "Refund", "Reembolso"),
        "panel.pack_event": ("Conditions et événement", "Conditions and event", "Condições e evento"),
        "panel.event_date": ("Date de l'événement", "Date of the event", "Data do evento"),
        "panel.booking_date": ("Date de réservation", "Booking date", "Data da reserva"),
        "panel.departure": ("Départ", "Departure", "Partida"),
        "panel.return": ("Retour", "Return", "Retorno"),
        "panel.price": ("Prix de la réservation", "Price of the booking", "Preço da reserva"),
        "panel.assess": ("Évaluer", "Assess", "Avaliar"),
        "panel.passenger_rights": ("Droits des passagers · {km} km", "Passenger rights · {km} km", "Direitos dos passageiros · {km} km"),
        "panel.col.regime": ("Régime", "Regime", "Regime"),
        "panel.col.compensation": ("Indemnisation", "Compensation", "Indenização"),
        "panel.col.refund": ("Remboursement", "Refund", "Reembolso"),
        "panel.col.care": ("Prise en charge", "Care", "Assistência"),
        "panel.col.basis": ("Fondement", "Basis", "Fundamento"),
        "panel.applies": ("s'applique", "applies", "aplica-se"),
        "panel.does_not_apply": ("ne s'applique pas", "does not apply", "não se aplica"),
        "panel.reducible": ("réductible à {amount}", "reducible to {amount}", "redutível a {amount}"),
        "panel.summary_for": (
            "Résumé pour le voyageur ({language})", "Summary for the traveller ({language})", "Resumo para o viajante ({language})"
        ),
        "panel.send": ("Envoyer au voyageur", "Send to the traveller", "Enviar ao viajante"),
        "panel.allowed": ("Autorisé", "Allowed", "Permitido"),
        "panel.not_allowed": ("Non autorisé", "Not allowed", "Não permitido"),
        "panel.at_least": ("au moins {amount}", "at least {amount}", "no mínimo {amount}"),
        "panel.refund": ("Remboursement : {amount}", "Refund: {amount}", "Reembolso: {amount}"),
        "panel.indemnity": ("Indemnité : {amount}", "Indemnity: {amount}", "Indenização: {amount}"),
        "panel.due": ("Échéance du {date} : {amount}", "Due {date}: {amount}", "Vencimento em {date}: {amount}"),
        "panel.options": ("Options : {options}", "Options: {options}", "Opções: {options}"),
        "panel.error.notice_days": ("De 0 à 400 jours.", "Days from 0 to 400.", "De 0 a 400 dias."),
        "panel.error.fare": (
            "Un montant positif ou nul avec une devise ISO de 3 lettres.", "A non-negative amount with a 3-letter ISO currency.",
            "Um valor não negativo com uma moeda ISO de 3 letras."
        ),
        "panel.error.price": ("Montant attendu, par exemple 1250.50.", "Expected an amount, e.g. 1250.50.", "Valor esperado, por exemplo 1250.50."),
        "activity.field.pitch": ("Argumentaire ({language})", "Pitch ({language})", "Argumento de venda ({language})")
    ]
}
