import Foundation

extension L10n {
    /// Data protection: the record of processing, retention, data-subject requests (issue 15). (fr, en, pt)
    static let privacy: [String: (String, String, String)] = [
        "nav.privacy": ("Données personnelles", "Personal data", "Dados pessoais"),
        "nav.admin_retention": ("Conservation", "Retention", "Retenção"),
        "privacy.record_title": (
            "Registre des traitements (RGPD, art. 30.2)", "Record of processing (GDPR, art. 30(2))",
            "Registro das operações de tratamento (RGPD, art. 30.º, n.º 2)"
        ),
        "privacy.record_intro": (
            "OnSpot traite ces données pour le compte de {agency}, responsable du traitement, uniquement pour rendre le service (conditions générales, articles 2.6, 3.1 et 6).",
            "OnSpot processes this data on behalf of {agency}, the controller, only to deliver the service (terms of sale, articles 2.6, 3.1 and 6).",
            "A OnSpot trata esses dados por conta de {agency}, responsável pelo tratamento, apenas para prestar o serviço (condições gerais, artigos 2.6, 3.1 e 6)."
        ),
        "privacy.subjects": ("Personnes concernées", "Data subjects", "Titulares dos dados"),
        "privacy.subjects_body": (
            "Les voyageurs que l'agence inscrit, et les utilisateurs de l'agence sur le portail.",
            "The travellers the agency registers, and the agency's users of the portal.",
            "Os viajantes que a agência cadastra e os usuários da agência no portal."
        ),
        "privacy.data": ("Catégories de données", "Categories of data", "Categorias de dados"),
        "privacy.data.identity": (
            "Identité et contact : nom, prénom, date de naissance, téléphone, e-mail, langue.",
            "Identity and contact: first and last name, date of birth, phone, email, language.",
            "Identidade e contato: nome, sobrenome, data de nascimento, telefone, e-mail, idioma."
        ),
        "privacy.data.trips": (
            "Voyages : dates, destinations, itinéraires, confirmations et bons collés par l'agence.",
            "Trips: dates, destinations, itineraries, the confirmations and vouchers the agency pasted.",
            "Viagens: datas, destinos, itinerários, confirmações e vouchers colados pela agência."
        ),
        "privacy.data.conversations": (
            "Conversations WhatsApp et Messenger : messages, photos, documents, positions.",
            "WhatsApp and Messenger conversations: messages, photos, documents, locations.",
            "Conversas no WhatsApp e no Messenger: mensagens, fotos, documentos, localizações."
        ),
        "privacy.data.calls": (
            "Appels au numéro gratuit : messages vocaux et leur transcription, enregistrements (sauf refus du voyageur).",
            "Calls to the toll-free number: voicemails and their transcripts, recordings (unless the traveller refused).",
            "Chamadas ao número gratuito: mensagens de voz e suas transcrições, gravações (salvo recusa do viajante)."
        ),
        "privacy.data.cases": (
            "Dossiers : notes des experts, frais engagés, accords de l'agence, activités réservées.",
            "Cases: experts' notes, costs incurred, the agency's approvals, activities booked.",
            "Atendimentos: notas dos especialistas, despesas, aprovações da agência, atividades reservadas."
        ),
        "privacy.data.consents": (
            "Consentements (enregistrement des appels, recommandations) et leur historique.",
            "Consents (call recording, recommendations) and their history.",
            "Consentimentos (gravação das chamadas, recomendações) e seu histórico."
        ),
        "privacy.purposes": ("Finalités", "Purposes", "Finalidades"),
        "privacy.purpose.assistance": (
            "Assister les voyageurs sur place : fournisseurs, locations, vols, hébergements, documents, météo (2.2, 2.3).",
            "Assisting travellers on the spot: suppliers, rentals, flights, stays, documents, weather (2.2, 2.3).",
            "Assistir os viajantes no local: fornecedores, locações, voos, hospedagens, documentos, clima (2.2, 2.3)."
        ),
        "privacy.purpose.costs": (
            "Engager des frais dans le périmètre d'action et demander l'accord écrit de l'agence au-delà (2.10).",
            "Incurring costs within the scope of action and asking the agency's written approval beyond it (2.10).",
            "Realizar despesas dentro do escopo de atuação e pedir a aprovação escrita da agência além dele (2.10)."
        ),
        "privacy.purpose.billing": (
            "Facturer le service et verser les commissions (2.4, 4).", "Billing the service and paying commissions (2.4, 4).",
            "Faturar o serviço e pagar as comissões (2.4, 4)."
        ),
        "privacy.purpose.recommendations": (
            "Recommander des activités, avec le consentement du voyageur.", "Recommending activities, with the traveller's consent.",
            "Recomendar atividades, com o consentimento do viajante."
        ),
        "privacy.purpose.alerts": (
            "Prévenir le voyageur d'un vol perturbé ou d'une alerte météo officielle là où il est, avec son consentement ; les sources météo et FlightAware ne reçoivent aucune donnée personnelle.",
            "Telling the traveller about a disrupted flight or an official weather alert where they are, with their consent; the weather sources and FlightAware receive no personal data.",
            "Avisar o viajante de um voo com problema ou de um alerta meteorológico oficial onde ele está, com o seu consentimento; as fontes meteorológicas e a FlightAware não recebem dados pessoais."
        ),
        "privacy.purpose.recordings": (
            "Former les experts grâce aux appels enregistrés ; le voyageur peut refuser à tout moment (6).",
            "Training experts with recorded calls; the traveller may refuse at any time (6).",
            "Treinar os especialistas com as chamadas gravadas; o viajante pode recusar a qualquer momento (6)."
        ),
        "privacy.retention": ("Durées de conservation", "Retention", "Prazos de conservação"),
        "privacy.retention_help": (
            "En mois, dans les limites fixées par OnSpot. Chaque jour, la purge supprime ce qui a dépassé sa durée et l'inscrit au journal d'audit.",
            "In months, within the bounds OnSpot sets. Every day the purge removes what has outlived its duration and records it in the audit log.",
            "Em meses, dentro dos limites definidos pela OnSpot. Todos os dias a purga remove o que ultrapassou seu prazo e registra no log de auditoria."
        ),
        "privacy.retention_bounds": ("de {min} à {max} mois", "{min} to {max} months", "de {min} a {max} meses"),
        "privacy.retention_saved": (
            "Durées de conservation enregistrées.", "Retention durations saved.", "Prazos de conservação salvos."
        ),
        "privacy.closure": (
            "Exportez les données de vos voyageurs avant de résilier : après la résiliation, le portail et l'API se ferment, et ces données sont effacées {days} jours plus tard (le délai de répondre à une demande faite au support).",
            "Export your travellers' data before closing the account: once it is closed, the portal and the API close, and that data is erased {days} days later (time to answer a request made to support).",
            "Exporte os dados dos seus viajantes antes de encerrar a conta: após o encerramento, o portal e a API se fecham, e esses dados são apagados {days} dias depois (prazo para atender a um pedido feito ao suporte)."
        ),
        "privacy.processors": ("Sous-traitants ultérieurs en service", "Sub-processors in use", "Suboperadores em uso"),
        "privacy.processors_none": (
            "Aucun service extérieur n'est configuré sur cette installation.", "No outside service is configured on this installation.",
            "Nenhum serviço externo está configurado nesta instalação."
        ),
        "privacy.processor.meta": (
            "Meta Platforms (WhatsApp, Messenger) : acheminer les messages des voyageurs et les réponses des experts.",
            "Meta Platforms (WhatsApp, Messenger): carrying travellers' messages and the experts' replies.",
            "Meta Platforms (WhatsApp, Messenger): transportar as mensagens dos viajantes e as respostas dos especialistas."
        ),
        "privacy.processor.twilio": (
            "Twilio (numéro gratuit) : acheminer les appels, conserver les enregistrements et messages vocaux jusqu'à leur effacement.",
            "Twilio (toll-free number): carrying calls, holding recordings and voicemails until they are deleted.",
            "Twilio (número gratuito): transportar as chamadas, guardar gravações e mensagens de voz até serem apagadas."
        ),
        "privacy.processor.stripe": (
            "Stripe : paiements par carte de l'agence (aucune donnée de voyageur).", "Stripe: the agency's card payments (no traveller data).",
            "Stripe: pagamentos com cartão da agência (nenhum dado de viajante)."
        ),
        "privacy.processor.mail": (
            "Serveur de messagerie {host} : e-mails envoyés à l'agence.", "Mail server {host}: emails sent to the agency.",
            "Servidor de e-mail {host}: e-mails enviados à agência."
        ),
        "privacy.transfers": (
            "Meta, Twilio et Stripe peuvent traiter des données aux États-Unis : transferts encadrés par les clauses contractuelles types de la Commission européenne et le cadre UE–États-Unis de protection des données.",
            "Meta, Twilio and Stripe may process data in the United States: transfers under the European Commission's standard contractual clauses and the EU–US Data Privacy Framework.",
            "Meta, Twilio e Stripe podem tratar dados nos Estados Unidos: transferências amparadas pelas cláusulas contratuais-tipo da Comissão Europeia e pelo Quadro de Privacidade de Dados UE–EUA."
        ),
        "privacy.security": ("Mesures de sécurité", "Security measures", "Medidas de segurança"),
        "privacy.security_body": (
            "Chaque agence ne voit que ses données ; mots de passe et clés d'API stockés hachés ; sessions limitées dans le temps ; webhooks signés dans les deux sens ; journal d'audit chaîné par empreintes SHA-256, sans texte libre en clair.",
            "Each agency sees only its own data; passwords and API keys stored hashed; sessions limited in time; webhooks signed both ways; an audit log chained by SHA-256 digests, with no free text in clear.",
            "Cada agência vê apenas os seus dados; senhas e chaves de API armazenadas com hash; sessões limitadas no tempo; webhooks assinados nos dois sentidos; log de auditoria encadeado por resumos SHA-256, sem texto livre em claro."
        ),
        "privacy.rights": ("Droits des personnes", "Data subjects' rights", "Direitos dos titulares"),
        "privacy.rights_body": (
            "Export et effacement d'un voyageur depuis sa fiche ; demandes reçues et leurs échéances dans le journal des demandes.",
            "Export and erase a traveller from their page; requests received and their deadlines in the request log.",
            "Exportar e apagar um viajante na sua ficha; pedidos recebidos e seus prazos no registro de pedidos."
        ),
        "retention.category.travellers": ("Voyageurs", "Travellers", "Viajantes"),
        "retention.category.conversations": ("Conversations et dossiers", "Conversations and cases", "Conversas e atendimentos"),
        "retention.category.recordings": ("Enregistrements et messages vocaux", "Recordings and voicemails", "Gravações e mensagens de voz"),
        "retention.category.attachments": ("Pièces jointes", "Attachments", "Anexos"),
        "retention.category.notifications": ("Notifications", "Notifications", "Notificações"),
        "retention.category.logs": ("Journaux techniques", "Technical logs", "Logs técnicos"),
        "retention.help.travellers": (
            "après le retour de leur dernier voyage", "after the return of their latest trip", "após o retorno da última viagem"
        ),
        "retention.help.conversations": (
            "après le retour du voyage concerné", "after the return of the trip concerned", "após o retorno da viagem em questão"
        ),
        "retention.help.recordings": (
            "après l'appel (6 mois recommandés par la CNIL)", "after the call (6 months, as the CNIL recommends)",
            "após a chamada (6 meses, como recomenda a CNIL)"
        ),
        "retention.help.attachments": ("après la réception", "after receipt", "após o recebimento"),
        "retention.help.notifications": ("après l'envoi", "after sending", "após o envio"),
        "retention.help.logs": ("après l'écriture", "after writing", "após o registro"),
        "retention.error.months": (
            "Nombre de mois hors des limites permises.", "Number of months outside the allowed bounds.",
            "Número de meses fora dos limites permitidos."
        ),
        "retention.error.order": (
            "Il faut minimum ≤ par défaut ≤ maximum.", "Minimum ≤ default ≤ maximum is required.", "É preciso mínimo ≤ padrão ≤ máximo."
        ),
        "retention.minimum": ("Minimum (mois)", "Minimum (months)", "Mínimo (meses)"),
        "retention.maximum": ("Maximum (mois)", "Maximum (months)", "Máximo (meses)"),
        "retention.default": ("Par défaut (mois)", "Default (months)", "Padrão (meses)"),
        "retention.months": ("Mois", "Months", "Meses"),
        "retention.bounds_saved": ("Limites enregistrées.", "Bounds saved.", "Limites salvos."),
        "retention.runs": ("Dernières purges", "Latest purges", "Últimas purgas"),
        "retention.no_runs": ("Aucune purge encore.", "No purge yet.", "Nenhuma purga ainda."),
        "retention.running": ("en cours", "running", "em andamento"),
        "dsr.title": ("Demandes des personnes concernées", "Data subject requests", "Pedidos dos titulares"),
        "dsr.intro": (
            "Répondez dans le mois qui suit la réception ; pour une demande complexe ou des demandes nombreuses, ce délai peut être prolongé de deux mois, en prévenant la personne dans le premier mois (RGPD, art. 12.3).",
            "Answer within one month of receipt; for a complex request or many requests this may be extended by two further months, telling the person within the first month (GDPR, art. 12(3)).",
            "Responda no prazo de um mês a contar do recebimento; para um pedido complexo ou numerosos pedidos, o prazo pode ser prorrogado por mais dois meses, avisando a pessoa no primeiro mês (RGPD, art. 12.º, n.º 3)."
        ),
        "dsr.kind.access": ("Accès (art. 15)", "Access (art. 15)", "Acesso (art. 15.º)"),
        "dsr.kind.rectification": ("Rectification (art. 16)", "Rectification (art. 16)", "Retificação (art. 16.º)"),
        "dsr.kind.erasure": ("Effacement (art. 17)", "Erasure (art. 17)", "Apagamento (art. 17.º)"),
        "dsr.kind.restriction": ("Limitation (art. 18)", "Restriction (art. 18)", "Limitação (art. 18.º)"),
        "dsr.kind.portability": ("Portabilité (art. 20)", "Portability (art. 20)", "Portabilidade (art. 20.º)"),
        "dsr.kind.objection": ("Opposition (art. 21)", "Objection (art. 21)", "Oposição (art. 21.º)"),
        "dsr.status.open": ("Ouverte", "Open", "Aberto"),
        "dsr.status.extended": ("Prolongée", "Extended", "Prorrogado"),
        "dsr.status.done": ("Traitée", "Done", "Atendido"),
        "dsr.status.refused": ("Refusée", "Refused", "Recusado"),
        "dsr.kind": ("Demande", "Request", "Pedido"),
        "dsr.subject": ("Personne (référence)", "Person (reference)", "Pessoa (referência)"),
        "dsr.subject_help": (
            "Une référence suffit (dossier, initiales) : ce journal est conservé comme preuve, même après un effacement.",
            "A reference is enough (file number, initials): this log is kept as proof, even after an erasure.",
            "Uma referência basta (processo, iniciais): este registro é mantido como prova, mesmo após um apagamento."
        ),
        "dsr.received": ("Reçue le", "Received on", "Recebido em"),
        "dsr.due": ("Échéance", "Deadline", "Prazo"),
        "dsr.status": ("Statut", "Status", "Situação"),
        "dsr.days_left": ("{days} j restants", "{days} days left", "faltam {days} dias"),
        "dsr.overdue": ("en retard de {days} j", "{days} days overdue", "atrasado {days} dias"),
        "dsr.extension_reason": ("Motif de la prolongation", "Reason for the extension", "Motivo da prorrogação"),
        "dsr.outcome": ("Réponse apportée", "Answer given", "Resposta dada"),
        "dsr.record": ("Inscrire la demande", "Record the request", "Registrar o pedido"),
        "dsr.extend": ("Prolonger de deux mois", "Extend by two months", "Prorrogar por dois meses"),
        "dsr.close_done": ("Clore : traitée", "Close: done", "Encerrar: atendido"),
        "dsr.close_refused": ("Clore : refusée", "Close: refused", "Encerrar: recusado"),
        "dsr.recorded": ("Demande inscrite, échéance le {due}.", "Request recorded, due on {due}.", "Pedido registrado, prazo em {due}."),
        "dsr.extended": ("Échéance reportée au {due}.", "Deadline moved to {due}.", "Prazo adiado para {due}."),
        "dsr.closed": ("Demande close.", "Request closed.", "Pedido encerrado."),
        "dsr.empty": ("Aucune demande inscrite.", "No request recorded.", "Nenhum pedido registrado."),
        "dsr.overdue_count": (
            "{count} demande(s) en retard.", "{count} request(s) overdue.", "{count} pedido(s) atrasado(s)."
        ),
        "dsr.error.received": (
            "Date de réception invalide ou dans le futur.", "Receipt date invalid or in the future.", "Data de recebimento inválida ou no futuro."
        ),
        "dsr.error.closed": ("Cette demande est déjà close.", "This request is already closed.", "Este pedido já está encerrado."),
        "dsr.error.already_extended": (
            "Cette demande a déjà été prolongée.", "This request was already extended.", "Este pedido já foi prorrogado."
        ),
        "dsr.error.too_late_to_extend": (
            "La prolongation doit être décidée avant l'échéance.", "An extension must be decided before the deadline.",
            "A prorrogação deve ser decidida antes do prazo."
        ),
        "dsr.error.outcome": (
            "Dites à la personne pourquoi sa demande est refusée.", "Tell the person why their request is refused.",
            "Diga à pessoa por que o pedido é recusado."
        ),
        "dsr.error.status": ("Choisissez traitée ou refusée.", "Choose done or refused.", "Escolha atendido ou recusado.")
    ]
}
