/// User-facing text in the three working languages. Keys are stable; `{name}` placeholders are filled by `L10n.t`.
public enum L10n {
    public static func t(_ key: String, _ language: Language, _ args: [String: String] = [:]) -> String {
        guard let entry = table[key] else { return key }
        var text: String
        switch language {
        case .fr: text = entry.0
        case .en: text = entry.1
        case .pt: text = entry.2
        }
        for (name, value) in args { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    public static var keys: [String] { Array(table.keys) }

    static let table: [String: (String, String, String)] = general.merging(billing) { a, _ in a }.merging(privacy) { a, _ in a }
        .merging(console) { a, _ in a }.merging(alerts) { a, _ in a }

    /// Whether `key` has a translation: for labels of codes that come from outside (a provider's message type).
    public static func has(_ key: String) -> Bool { table[key] != nil }

    // (fr, en, pt)
    static let general: [String: (String, String, String)] = [
        // Generic errors
        "error.nul": (
            "Le texte envoyé contient un caractère nul (U+0000), refusé.", "The text sent contains a NUL character (U+0000), which is refused.",
            "O texto enviado contém um caractere nulo (U+0000), recusado."
        ),
        "error.required": ("Champ obligatoire.", "This field is required.", "Campo obrigatório."),
        "error.too_long": ("Texte trop long.", "Text is too long.", "Texto longo demais."),
        "error.too_short": ("Texte trop court.", "Text is too short.", "Texto curto demais."),
        "error.characters": (
            "Caractères non admis : lettres, chiffres et + _ - . seulement.", "Characters not allowed: letters, digits and + _ - . only.",
            "Caracteres não permitidos: apenas letras, números e + _ - ."
        ),
        "error.too_many": ("Trop d'éléments.", "Too many items.", "Itens demais."),
        "error.phone_e164": (
            "Numéro au format international attendu, par ex. +33612345678.", "Phone number must be in international format, e.g. +14155550123.",
            "Número em formato internacional, ex. +5521987654321."
        ),
        "error.email": ("Adresse e-mail invalide.", "Invalid email address.", "Endereço de e-mail inválido."),
        "error.date": ("Date invalide (AAAA-MM-JJ).", "Invalid date (YYYY-MM-DD).", "Data inválida (AAAA-MM-DD)."),
        "error.datetime": ("Date et heure invalides.", "Invalid date and time.", "Data e hora inválidas."),
        "error.language": ("Langue non prise en charge (fr, en, pt).", "Unsupported language (fr, en, pt).", "Idioma não suportado (fr, en, pt)."),
        "error.choice": ("Choix invalide.", "Invalid choice.", "Escolha inválida."),
        "error.form": ("Veuillez corriger les erreurs ci-dessous.", "Please correct the errors below.", "Corrija os erros abaixo."),
        "error.not_found": ("Page introuvable.", "Page not found.", "Página não encontrada."),
        "error.recording_unavailable": (
            "L'enregistrement n'est pas joignable chez Twilio pour le moment ; réessayez dans un instant.",
            "The recording cannot be reached at Twilio right now; try again in a moment.",
            "A gravação não está acessível na Twilio agora; tente novamente em instantes."
        ),
        "error.forbidden": ("Accès refusé.", "Access denied.", "Acesso negado."),
        "error.csrf": (
            "Le formulaire a expiré. Rechargez la page et réessayez.", "The form has expired. Reload the page and try again.",
            "O formulário expirou. Recarregue a página e tente novamente."
        ),
        "error.password_short": ("Au moins 10 caractères.", "At least 10 characters.", "Pelo menos 10 caracteres."),
        "error.email_taken": (
            "Un compte existe déjà avec cette adresse.", "An account already exists with this email.", "Já existe uma conta com este e-mail."
        ),
        "error.timezone": ("Fuseau horaire inconnu.", "Unknown time zone.", "Fuso horário desconhecido."),
        "error.amount": ("Montant invalide.", "Invalid amount.", "Valor inválido."),
        "error.colour": ("Couleur au format #RRGGBB.", "Colour must be #RRGGBB.", "Cor no formato #RRGGBB."),
        "error.logo_type": (
            "Logo PNG ou JPEG uniquement (SVG refusé).", "Logo must be PNG or JPEG (SVG refused).", "Logo apenas PNG ou JPEG (SVG recusado)."
        ),
        "error.logo_size": ("Logo trop lourd (200 Ko maximum).", "Logo is too large (200 KB maximum).", "Logo grande demais (200 KB no máximo)."),
        "error.plus_only": ("Réservé au forfait PLUS.", "PLUS plan only.", "Apenas no plano PLUS."),
        "error.agency_closed": ("Ce compte agence est fermé.", "This agency account is closed.", "Esta conta de agência está encerrada."),
        // Trips
        "trip.error.destination_required": (
            "Choisissez au moins une destination.", "Choose at least one destination.", "Escolha pelo menos um destino."
        ),
        "trip.error.unknown_destination": ("Destination inconnue.", "Unknown destination.", "Destino desconhecido."),
        "trip.error.duplicate_destination": ("Destination en double.", "Duplicate destination.", "Destino duplicado."),
        "trip.error.arrival_before_departure": ("L'arrivée précède le départ.", "Arrival is before departure.", "A chegada é antes da partida."),
        "trip.error.return_before_arrival": (
            "Le retour doit suivre l'arrivée.", "Return must be after arrival.", "O retorno deve ser após a chegada."
        ),
        "trip.error.too_long": ("Voyage de plus de 400 jours.", "Trip longer than 400 days.", "Viagem com mais de 400 dias."),
        "trip.error.traveller_required": ("Ajoutez au moins un voyageur.", "Add at least one traveller.", "Adicione pelo menos um viajante."),
        "trip.error.registration_deadline": (
            "Inscription refusée : le voyageur doit être inscrit au plus tard 72 heures avant le départ, soit avant le {deadline}.",
            "Registration refused: travellers must be registered at the latest 72 hours before departure, that is by {deadline}.",
            "Inscrição recusada: o viajante deve ser inscrito no máximo 72 horas antes da partida, ou seja, até {deadline}."
        ),
        "trip.error.cancelled": ("Ce voyage est annulé.", "This trip is cancelled.", "Esta viagem está cancelada."),
        "trip.error.already_cancelled": ("Ce voyage est déjà annulé.", "This trip is already cancelled.", "Esta viagem já está cancelada."),
        "scope.error.answer_once": ("Répondez pour ce domaine.", "Answer for this domain.", "Responda para este domínio."),
        "scope.error.cap_range": ("Plafond hors limites.", "Cap out of range.", "Limite fora do intervalo."),
        "scope.error.cap_required": ("Indiquez un plafond supérieur à zéro.", "Enter a cap above zero.", "Indique um limite maior que zero."),
        // Auth
        "auth.invalid": ("Adresse ou mot de passe incorrect.", "Wrong email or password.", "E-mail ou senha incorretos."),
        "auth.throttled": (
            "Trop de tentatives. Réessayez dans 15 minutes.", "Too many attempts. Try again in 15 minutes.",
            "Tentativas demais. Tente novamente em 15 minutos."
        ),
        "auth.reset_sent": (
            "Si un compte existe, un lien de réinitialisation a été envoyé.", "If an account exists, a reset link has been sent.",
            "Se existir uma conta, um link de redefinição foi enviado."
        ),
        "auth.reset_invalid": ("Lien invalide ou expiré.", "Invalid or expired link.", "Link inválido ou expirado."),
        "auth.reset_done": ("Mot de passe modifié. Connectez-vous.", "Password changed. Please sign in.", "Senha alterada. Entre novamente."),
        "auth.reset_subject": (
            "OnSpot Connect : réinitialisation du mot de passe", "OnSpot Connect: password reset", "OnSpot Connect: redefinição de senha"
        ),
        "auth.reset_body": (
            "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure) :\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
            "Hello,\n\nTo choose a new password, open this link (valid for 1 hour):\n{link}\n\nIf you did not ask for this, ignore this message.",
            "Olá,\n\nPara escolher uma nova senha, abra este link (válido por 1 hora):\n{link}\n\nSe não foi você, ignore esta mensagem."
        ),
        "auth.signed_out": ("Vous êtes déconnecté.", "You are signed out.", "Você saiu."),
        // Navigation and pages
        "nav.dashboard": ("Tableau de bord", "Dashboard", "Painel"),
        "nav.trips": ("Voyages", "Trips", "Viagens"),
        "nav.new_trip": ("Nouveau voyage", "New trip", "Nova viagem"),
        "nav.scope": ("Champ d'action", "Scope of action", "Âmbito de atuação"),
        "nav.branding": ("Marque", "Branding", "Marca"),
        "nav.users": ("Utilisateurs", "Users", "Usuários"),
        "nav.api_keys": ("Clés d'API", "API keys", "Chaves de API"),
        "nav.webhooks": ("Webhooks", "Webhooks", "Webhooks"),
        "nav.account": ("Compte", "Account", "Conta"),
        "nav.admin_destinations": ("Destinations", "Destinations", "Destinos"),
        "nav.admin_plans": ("Forfaits", "Plans", "Planos"),
        "nav.booking_conditions": ("Conditions de vente", "Booking conditions", "Condições de venda"),
        "packs.intro": (
            "Les conditions de vente de vos fournisseurs, en règles versionnées : nos experts y lisent ce qu'une annulation, une cession ou une révision de prix coûtera, clause par clause.",
            "Your suppliers' booking conditions as versioned rule packs: our experts read in them what a cancellation, a transfer or a price revision will cost, clause by clause.",
            "As condições de venda dos seus fornecedores em regras versionadas: nossos especialistas leem nelas quanto custará um cancelamento, uma cessão ou uma revisão de preço, cláusula por cláusula."
        ),
        "packs.upload": ("Ajouter ou remplacer un pack (YAML)", "Add or replace a pack (YAML)", "Adicionar ou substituir um pacote (YAML)"),
        "packs.delete": ("Supprimer", "Delete", "Excluir"),
        "nav.sign_out": ("Déconnexion", "Sign out", "Sair"),
        "page.sign_in": ("Connexion", "Sign in", "Entrar"),
        "page.sign_up": ("Créer un compte agence", "Create an agency account", "Criar conta de agência"),
        "page.forgot": ("Mot de passe oublié", "Forgot password", "Esqueci a senha"),
        "page.reset": ("Nouveau mot de passe", "New password", "Nova senha"),
        "field.email": ("E-mail", "Email", "E-mail"),
        "field.password": ("Mot de passe", "Password", "Senha"),
        "field.name": ("Nom", "Name", "Nome"),
        "field.agency_name": ("Nom de l'agence", "Agency name", "Nome da agência"),
        "field.legal_name": ("Raison sociale", "Legal name", "Razão social"),
        "field.registration_number": ("SIRET / n° d'immatriculation", "Registration number", "CNPJ / registro"),
        "field.address": ("Adresse", "Address", "Endereço"),
        "field.contact_name": ("Contact", "Contact name", "Contato"),
        "field.contact_phone": ("Téléphone du contact", "Contact phone", "Telefone do contato"),
        "field.currency": ("Devise", "Currency", "Moeda"),
        "field.time_zone": ("Fuseau horaire", "Time zone", "Fuso horário"),
        "field.language": ("Langue", "Language", "Idioma"),
        "field.plan": ("Forfait", "Plan", "Plano"),
        "field.reference": ("Référence dossier", "Booking reference", "Referência"),
        "field.destinations": ("Destinations", "Destinations", "Destinos"),
        "field.departure": ("Départ (heure de l'agence)", "Departure (agency time)", "Partida (hora da agência)"),
        "field.arrival": (
            "Arrivée à destination finale (heure locale, facultatif)", "Arrival at final destination (local time, optional)",
            "Chegada ao destino final (hora local, opcional)"
        ),
        "field.return": ("Retour (heure de l'agence)", "Return (agency time)", "Retorno (hora da agência)"),
        "field.notes": ("Notes", "Notes", "Notas"),
        "field.first_name": ("Prénom", "First name", "Nome"),
        "field.last_name": ("Nom", "Last name", "Sobrenome"),
        "field.date_of_birth": ("Date de naissance", "Date of birth", "Data de nascimento"),
        "field.phone": ("Téléphone (international)", "Phone (international)", "Telefone (internacional)"),
        "field.consent_recording": ("Accepte l'enregistrement des appels", "Accepts call recording", "Aceita gravação de chamadas"),
        "field.consent_recommendations": (
            "Accepte les recommandations d'activités", "Accepts activity recommendations", "Aceita recomendações de atividades"
        ),
        "field.consent_alerts": (
            "Accepte les alertes sur WhatsApp ou Messenger (vol annulé ou retardé, alerte météo) — à demander au voyageur",
            "Accepts alerts on WhatsApp or Messenger (flight cancelled or delayed, weather warning) — ask the traveller",
            "Aceita alertas no WhatsApp ou Messenger (voo cancelado ou atrasado, alerta meteorológico) — pergunte ao viajante"
        ),
        "field.role": ("Rôle", "Role", "Função"),
        "field.search": ("Rechercher", "Search", "Buscar"),
        "field.status": ("Statut", "Status", "Status"),
        "field.display_name": ("Nom affiché", "Display name", "Nome exibido"),
        "field.colour": ("Couleur", "Colour", "Cor"),
        "field.logo": ("Logo (PNG ou JPEG, 200 Ko max.)", "Logo (PNG or JPEG, 200 KB max)", "Logo (PNG ou JPEG, máx. 200 KB)"),
        "field.kind": ("Type", "Type", "Tipo"),
        "field.title": ("Intitulé", "Title", "Título"),
        "field.starts_at": ("Début (heure locale)", "Start (local time)", "Início (hora local)"),
        "field.ends_at": ("Fin (heure locale)", "End (local time)", "Fim (hora local)"),
        "field.location": ("Lieu", "Place", "Local"),
        "field.supplier": ("Prestataire", "Supplier", "Fornecedor"),
        "field.confirmation": ("N° de confirmation", "Confirmation number", "Nº de confirmação"),
        "field.details": ("Détails", "Details", "Detalhes"),
        "field.document": ("Confirmation ou voucher (copier-coller)", "Confirmation or voucher (paste)", "Confirmação ou voucher (colar)"),
        "field.reason": ("Motif", "Reason", "Motivo"),
        "field.key_name": ("Nom de la clé", "Key name", "Nome da chave"),
        "button.sign_in": ("Se connecter", "Sign in", "Entrar"),
        "button.create_account": ("Créer le compte", "Create account", "Criar conta"),
        "button.save": ("Enregistrer", "Save", "Salvar"),
        "privacy.erase": ("Effacer ce voyageur", "Erase this traveller", "Apagar este viajante"),
        "privacy.erase_help": (
            "Efface l'identité, les coordonnées, les messages, les pièces jointes et les notes de cette personne sur tous ses voyages chez vous. Les voyages, dossiers, montants et factures restent, sans la personne.",
            "Erases this person's identity, contact details, messages, attachments and notes on all their trips with you. Trips, cases, amounts and invoices stay, without the person.",
            "Apaga a identidade, os contatos, as mensagens, os anexos e as notas desta pessoa em todas as suas viagens com vocês. Viagens, casos, valores e faturas permanecem, sem a pessoa."
        ),
        "privacy.erase_confirm": (
            "Je comprends que l'effacement est définitif", "I understand that erasure cannot be undone", "Entendo que o apagamento é definitivo"
        ),
        "privacy.erased": (
            "Voyageur effacé ({count} enregistrement(s)).", "Traveller erased ({count} registration(s)).", "Viajante apagado ({count} registro(s))."
        ),
        "privacy.error.confirm": (
            "Cochez la case pour confirmer l'effacement.", "Tick the box to confirm the erasure.", "Marque a caixa para confirmar o apagamento."
        ),
        "privacy.export": (
            "Exporter toutes ses données personnelles (zip)", "Export all their personal data (zip)", "Exportar todos os seus dados pessoais (zip)"
        ),
        "button.register_trip": ("Inscrire le voyage", "Register trip", "Inscrever viagem"),
        "button.add_traveller": ("Ajouter un voyageur", "Add a traveller", "Adicionar viajante"),
        "button.add_segment": ("Ajouter l'étape", "Add segment", "Adicionar etapa"),
        "button.add_document": ("Conserver le document", "Keep document", "Guardar documento"),
        "button.cancel_trip": ("Annuler le voyage", "Cancel trip", "Cancelar viagem"),
        "button.filter": ("Filtrer", "Filter", "Filtrar"),
        "button.send_link": ("Envoyer le lien", "Send link", "Enviar link"),
        "button.create_key": ("Créer une clé", "Create key", "Criar chave"),
        "button.revoke": ("Révoquer", "Revoke", "Revogar"),
        "button.add_user": ("Ajouter l'utilisateur", "Add user", "Adicionar usuário"),
        "button.deactivate": ("Désactiver", "Deactivate", "Desativar"),
        "button.unsubscribe": ("Résilier l'abonnement", "Unsubscribe", "Cancelar assinatura"),
        "button.print": ("Imprimer", "Print", "Imprimir"),
        "button.edit": ("Modifier", "Edit", "Editar"),
        "link.forgot": ("Mot de passe oublié ?", "Forgot your password?", "Esqueceu a senha?"),
        "link.sign_up": ("Créer un compte agence", "Create an agency account", "Criar conta de agência"),
        "link.sign_in": ("Déjà client ? Connexion", "Already a customer? Sign in", "Já é cliente? Entrar"),
        "dashboard.upcoming": ("Départs à venir", "Upcoming departures", "Próximas partidas"),
        "dashboard.at_destination": ("Voyageurs à destination", "Travellers at destination now", "Viajantes no destino agora"),
        "dashboard.local_time": ("heure locale", "local time", "hora local"),
        "dashboard.none": ("Aucun.", "None.", "Nenhum."),
        "trips.none": ("Aucun voyage.", "No trips.", "Nenhuma viagem."),
        "trips.travellers": ("Voyageurs", "Travellers", "Viajantes"),
        "trips.itinerary": ("Itinéraire", "Itinerary", "Itinerário"),
        "trips.documents": ("Documents collés", "Pasted documents", "Documentos colados"),
        "extraction.title": ("Étapes trouvées dans le document", "Segments found in the document", "Etapas encontradas no documento"),
        "extraction.explain": (
            "Cochez les étapes à ajouter à l'itinéraire. Les heures sont celles du lieu.",
            "Tick the segments to add to the itinerary. Times are local to each place.",
            "Marque as etapas a adicionar ao roteiro. Os horários são os do local."
        ),
        "extraction.accept": ("Ajouter à l'itinéraire", "Add to the itinerary", "Adicionar ao roteiro"),
        "extraction.already": ("Déjà dans l'itinéraire", "Already in the itinerary", "Já no roteiro"),
        "extraction.none": (
            "Aucune étape reconnue dans ce document ; il reste conservé sur le voyage.",
            "No segment recognised in this document; it stays kept on the trip.",
            "Nenhuma etapa reconhecida neste documento; ele continua guardado na viagem."
        ),
        "extraction.layer.onspot": ("OnSpot", "OnSpot", "OnSpot"),
        "extraction.layer.kitinerary": ("KItinerary", "KItinerary", "KItinerary"),
        "extraction.alternatives": ("KItinerary lit autrement :", "KItinerary read otherwise:", "O KItinerary leu de outra forma:"),
        "extraction.missing": ("À compléter :", "To complete:", "A completar:"),
        "extraction.field.rentalCompany": ("loueur", "rental company", "locadora"),
        "extraction.field.pickupLocation": ("lieu de prise en charge", "pick-up place", "local de retirada"),
        "extraction.field.departureStation": ("gare de départ", "departure station", "estação de partida"),
        "extraction.field.arrivalStation": ("gare d'arrivée", "arrival station", "estação de chegada"),
        "extraction.field.departureBusStop": ("arrêt de départ", "departure stop", "parada de partida"),
        "extraction.field.arrivalBusStop": ("arrêt d'arrivée", "arrival stop", "parada de chegada"),
        "extraction.field.flightNumber": ("vol", "flight", "voo"),
        "extraction.field.iataCode": ("aéroport", "airport", "aeroporto"),
        "extraction.field.departureTime": ("départ", "departure", "partida"),
        "extraction.field.arrivalTime": ("arrivée", "arrival", "chegada"),
        "extraction.field.checkinTime": ("arrivée", "check-in", "check-in"),
        "extraction.field.checkoutTime": ("départ", "check-out", "check-out"),
        "extraction.field.pickupTime": ("prise en charge", "pick-up", "retirada"),
        "extraction.field.dropoffTime": ("restitution", "drop-off", "devolução"),
        "extraction.field.startDate": ("début", "start", "início"),
        "extraction.field.reservationNumber": ("référence", "reference", "referência"),
        "extraction.field.name": ("nom", "name", "nome"),
        "extraction.review_link": ("Revoir les étapes trouvées", "Review the segments found", "Rever as etapas encontradas"),
        "extraction.error.none_chosen": ("Cochez au moins une étape.", "Tick at least one segment.", "Marque pelo menos uma etapa."),
        "extraction.error.unknown": (
            "Cette étape n'existe pas dans le document.", "This segment is not in the document.",
            "Esta etapa não existe no documento."
        ),
        "document.kind.text": ("texte", "text", "texto"),
        "document.kind.pdf": ("PDF", "PDF", "PDF"),
        "document.kind.email": ("e-mail", "email", "e-mail"),
        "document.kind.wallet_pass": ("carte Wallet", "Wallet pass", "cartão Wallet"),
        "document.kind.image": ("image", "image", "imagem"),
        "document.file.label": (
            "Ou déposez un fichier (PDF, e-mail .eml, carte .pkpass, photo de carte d'embarquement)",
            "Or drop a file (PDF, .eml email, .pkpass pass, photo of a boarding pass)",
            "Ou solte um arquivo (PDF, e-mail .eml, cartão .pkpass, foto do cartão de embarque)"
        ),
        "document.file.drop": ("Déposez le fichier ici", "Drop the file here", "Solte o arquivo aqui"),
        "document.file.original": ("Fichier d'origine", "Original file", "Arquivo original"),
        "document.file.read_from": ("Lu depuis : {kind}", "Read from: {kind}", "Lido de: {kind}"),
        "document.file.text_or_file": (
            "Collez un texte ou choisissez un fichier, pas les deux.", "Paste a text or choose a file, not both.",
            "Cole um texto ou escolha um arquivo, não os dois."
        ),
        "document.file.empty": ("Le fichier est vide.", "The file is empty.", "O arquivo está vazio."),
        "document.file.too_large": (
            "Le fichier dépasse 10 Mo.", "The file is larger than 10 MB.", "O arquivo ultrapassa 10 MB."
        ),
        "document.file.unsupported": (
            "Ce fichier n'est ni un PDF, ni un e-mail (.eml), ni une carte Wallet (.pkpass), ni une image (PNG, JPEG, GIF, BMP), ni du texte.",
            "This file is not a PDF, an email (.eml), a Wallet pass (.pkpass), an image (PNG, JPEG, GIF, BMP) or text.",
            "Este arquivo não é um PDF, nem um e-mail (.eml), nem um cartão Wallet (.pkpass), nem uma imagem (PNG, JPEG, GIF, BMP), nem texto."
        ),
        "document.file.unreadable": (
            "Ce fichier n'a pas pu être lu : il est peut-être endommagé ou protégé par un mot de passe.",
            "This file could not be read: it may be damaged or protected by a password.",
            "Não foi possível ler este arquivo: talvez esteja danificado ou protegido por senha."
        ),
        "document.file.nothing_read": (
            "Rien n'a pu être lu dans ce fichier (un PDF scanné sans texte, une image sans code-barres) : collez son texte.",
            "Nothing could be read in this file (a scanned PDF with no text, an image with no barcode): paste its text instead.",
            "Nada pôde ser lido neste arquivo (um PDF digitalizado sem texto, uma imagem sem código de barras): cole o texto dele."
        ),
        "document.file.text_too_long": (
            "Le texte lu dans ce fichier dépasse 200 000 caractères.", "The text read from this file is longer than 200,000 characters.",
            "O texto lido neste arquivo ultrapassa 200.000 caracteres."
        ),
        "document.file.reader_missing": (
            "Ce serveur ne sait pas encore lire ce type de fichier ; collez son texte. L'équipe OnSpot est prévenue.",
            "This server cannot read this kind of file yet; paste its text instead. The OnSpot team has been told.",
            "Este servidor ainda não lê este tipo de arquivo; cole o texto dele. A equipe OnSpot foi avisada."
        ),
        "trips.cards": ("Cartes assistance", "Assistance cards", "Cartões de assistência"),
        "trips.deadline_hint": (
            "Inscription au plus tard 72 h avant le départ.", "Register at the latest 72 hours before departure.",
            "Inscrição no máximo 72 horas antes da partida."
        ),
        "trips.service_window": ("Service du {start} au {end}", "Service from {start} to {end}", "Serviço de {start} a {end}"),
        "trips.registered": (
            "Voyage inscrit. Les cartes assistance sont prêtes.", "Trip registered. Assistance cards are ready.",
            "Viagem inscrita. Os cartões de assistência estão prontos."
        ),
        "trips.cancelled_notice": ("Voyage annulé.", "Trip cancelled.", "Viagem cancelada."),
        "trips.saved": ("Modifications enregistrées.", "Changes saved.", "Alterações salvas."),
        "phase.upcoming": ("À venir", "Upcoming", "Próxima"),
        "phase.in_service": ("En service", "In service", "Em serviço"),
        "phase.ended": ("Terminé", "Ended", "Encerrada"),
        "phase.cancelled": ("Annulé", "Cancelled", "Cancelada"),
        "segment.flight": ("Vol", "Flight", "Voo"),
        "segment.stay": ("Hébergement", "Stay", "Hospedagem"),
        "segment.car_rental": ("Location de voiture", "Car rental", "Aluguel de carro"),
        "segment.transfer": ("Transfert", "Transfer", "Traslado"),
        "segment.train": ("Train", "Train", "Trem"),
        "segment.bus": ("Autocar", "Bus", "Ônibus"),
        "segment.error.end_before_start": ("La fin précède le début.", "The end comes before the start.", "O fim vem antes do início."),
        "segment.activity": ("Activité", "Activity", "Atividade"),
        "segment.other": ("Autre", "Other", "Outro"),
        "scope.read_only": (
            "Seul un administrateur de l'agence peut modifier le champ d'action ; vous le consultez en lecture.",
            "Only an agency admin can change the scope of action; you are reading it.",
            "Apenas um administrador da agência pode alterar o escopo de ação; você o consulta em modo leitura."
        ),
        "webhook.error.url": ("Adresse http(s)://… attendue.", "An http(s)://… URL is required.", "Um endereço http(s)://… é obrigatório."),
        "webhook.error.https": ("Adresse https://… attendue.", "An https://… URL is required.", "Um endereço https://… é obrigatório."),
        "webhook.error.too_many": (
            "Seize adresses actives au plus : désactivez-en une avant d'en ajouter une autre.",
            "Sixteen active endpoints at most: deactivate one before adding another.",
            "Dezesseis endereços ativos no máximo: desative um antes de adicionar outro."
        ),
        "webhook.error.inactive": (
            "Cette adresse est désactivée : ajoutez-en une nouvelle.", "This endpoint is deactivated: add a new one.",
            "Este endereço está desativado: adicione um novo."
        ),
        "webhook.error.rotated_meanwhile": (
            "Le secret vient d'être changé par ailleurs : rechargez la page avant de recommencer.",
            "The secret was just changed elsewhere: reload the page before trying again.",
            "O segredo acabou de ser alterado em outro lugar: recarregue a página antes de tentar de novo."
        ),
        "webhook.title": ("Webhooks", "Webhooks", "Webhooks"),
        "webhook.intro": (
            "OnSpot envoie chaque événement en POST application/json avec les en-têtes OnSpot-Delivery, OnSpot-Timestamp et OnSpot-Signature : v1=hex(HMAC-SHA256(secret, \"<timestamp>.<corps>\")). Pendant le chevauchement d'une rotation, l'en-tête porte deux signatures séparées par une virgule : acceptez l'une ou l'autre.",
            "OnSpot posts each event as application/json with the headers OnSpot-Delivery, OnSpot-Timestamp and OnSpot-Signature: v1=hex(HMAC-SHA256(secret, \"<timestamp>.<body>\")). While a rotation overlaps, the header carries two signatures separated by a comma: accept either.",
            "O OnSpot envia cada evento em POST application/json com os cabeçalhos OnSpot-Delivery, OnSpot-Timestamp e OnSpot-Signature: v1=hex(HMAC-SHA256(segredo, \"<timestamp>.<corpo>\")). Durante a sobreposição de uma rotação, o cabeçalho traz duas assinaturas separadas por vírgula: aceite qualquer uma."
        ),
        "webhook.endpoints": ("Adresses", "Endpoints", "Endereços"),
        "webhook.deliveries": ("Envois", "Deliveries", "Envios"),
        "webhook.address": ("Adresse (URL)", "Address (URL)", "Endereço (URL)"),
        "webhook.add": ("Ajouter l'adresse", "Add the endpoint", "Adicionar o endereço"),
        "webhook.active": ("active", "active", "ativo"),
        "webhook.inactive": ("désactivée", "deactivated", "desativado"),
        "webhook.deactivate": ("Désactiver", "Deactivate", "Desativar"),
        "webhook.replay": ("Renvoyer", "Replay", "Reenviar"),
        "webhook.rotate": ("Nouveau secret", "New secret", "Novo segredo"),
        "webhook.overlap": ("Ancien secret encore valable", "Old secret still valid for", "Segredo antigo ainda válido por"),
        "webhook.overlap.none": ("plus du tout", "no longer", "mais nenhum tempo"),
        "webhook.overlap.hours": ("{hours} h", "{hours} h", "{hours} h"),
        "webhook.overlap.until": (
            "ancien secret valable jusqu'au {date}", "old secret valid until {date}", "segredo antigo válido até {date}"
        ),
        "webhook.delivery.pending": ("en attente", "pending", "pendente"),
        "webhook.delivery.delivered": ("livré", "delivered", "entregue"),
        "webhook.delivery.failed": ("échec", "failed", "falhou"),
        "webhook.when": ("Date", "Date", "Data"),
        "webhook.event": ("Événement", "Event", "Evento"),
        "webhook.status": ("État", "Status", "Situação"),
        "webhook.response": ("Réponse", "Response", "Resposta"),
        "webhook.attempts": ("Essais", "Attempts", "Tentativas"),
        "webhook.none": ("Aucun envoi pour l'instant.", "No deliveries yet.", "Nenhum envio por enquanto."),
        "webhook.error.private": (
            "Cette adresse mène à un réseau privé ou réservé : indiquez l'adresse publique de votre système.",
            "This address leads to a private or reserved network: give your system's public address.",
            "Este endereço leva a uma rede privada ou reservada: informe o endereço público do seu sistema."
        ),
        "scope.intro": (
            "Pour chaque domaine, indiquez jusqu'où nos experts peuvent engager des frais pour votre compte (art. 2.10 et 8). Toute réservation ou modification de réservation demande votre accord écrit.",
            "For each domain, say how far our experts may spend on your behalf (clauses 2.10 and 8). Any booking made or changed always needs your written approval.",
            "Para cada domínio, indique até onde nossos especialistas podem gastar em seu nome (cláusulas 2.10 e 8). Qualquer reserva ou alteração exige sua aprovação por escrito."
        ),
        "scope.version": ("Version {version} du {date}, par {who}", "Version {version} of {date}, by {who}", "Versão {version} de {date}, por {who}"),
        "scope.saved": (
            "Nouvelle version du champ d'action enregistrée.", "New scope-of-action version saved.", "Nova versão do âmbito de atuação salva."
        ),
        "scope.cap": ("Plafond par dossier", "Cap per case", "Limite por caso"),
        "scope.level": ("Implication", "Involvement", "Envolvimento"),
        "scope.domain": ("Domaine", "Domain", "Domínio"),
        "domain.car_rental": ("Location de voiture", "Car rental", "Aluguel de carro"),
        "domain.flights": ("Vols", "Flights", "Voos"),
        "domain.accommodation": ("Hébergement", "Accommodation", "Hospedagem"),
        "domain.activities": ("Activités et excursions", "Activities and excursions", "Atividades e passeios"),
        "domain.transfers": ("Transferts", "Transfers", "Traslados"),
        "domain.lost_items": ("Objets et papiers perdus", "Lost items and documents", "Objetos e documentos perdidos"),
        "domain.itinerary_changes": ("Modifications d'itinéraire", "Itinerary changes", "Mudanças de itinerário"),
        "domain.medical_emergency": ("Médical et urgence", "Medical and emergency", "Médico e emergência"),
        "domain.other": ("Autre", "Other", "Outro"),
        "level.inform_only": ("Informer seulement", "Inform only", "Apenas informar"),
        "level.act_after_approval": ("Agir après accord", "Act after approval", "Agir após aprovação"),
        "level.act_within_cap": ("Agir dans la limite du plafond", "Act within the cap", "Agir dentro do limite"),
        "branding.intro": (
            "Forfait PLUS : nos experts se présentent sous votre nom et vos cartes assistance portent votre marque (art. 3.3, 3.4).",
            "PLUS plan: our experts introduce themselves with your name and your assistance cards carry your brand (clauses 3.3, 3.4).",
            "Plano PLUS: nossos especialistas se apresentam com seu nome e seus cartões levam sua marca (cláusulas 3.3, 3.4)."
        ),
        "branding.saved": ("Marque enregistrée.", "Branding saved.", "Marca salva."),
        "account.unsubscribe_intro": (
            "La résiliation ferme le compte, met fin au contrat et à l'usage des marques (art. 2.11, 11).",
            "Unsubscribing closes the account, ends the contract and the use of brands (clauses 2.11, 11).",
            "O cancelamento encerra a conta, o contrato e o uso das marcas (cláusulas 2.11, 11)."
        ),
        "account.closed": ("Compte fermé.", "Account closed.", "Conta encerrada."),
        "apikeys.shown_once": (
            "Copiez cette clé maintenant : elle ne sera plus affichée.", "Copy this key now: it will not be shown again.",
            "Copie esta chave agora: ela não será mostrada novamente."
        ),
        "apikeys.revoked": ("Clé révoquée.", "Key revoked.", "Chave revogada."),
        "apikeys.access": ("Accès", "Access", "Acesso"),
        "apikeys.access.read_write": ("Lecture et écriture", "Read and write", "Leitura e escrita"),
        "apikeys.access.read_only": (
            "Lecture seule (rapports, exports)", "Read only (reports, exports)", "Somente leitura (relatórios, exportações)"
        ),
        "users.added": (
            "Utilisateur ajouté. Il choisira son mot de passe via le lien reçu par e-mail.",
            "User added. They will choose a password through the emailed link.",
            "Usuário adicionado. Ele escolherá a senha pelo link enviado por e-mail."
        ),
        "role.agency_admin": ("Administrateur agence", "Agency admin", "Administrador da agência"),
        "role.agency_agent": ("Agent", "Agent", "Agente"),
        "role.onspot_expert": ("Expert OnSpot", "OnSpot expert", "Especialista OnSpot"),
        "role.onspot_admin": ("Administrateur OnSpot", "OnSpot admin", "Administrador OnSpot"),
        "admin.saved": ("Enregistré.", "Saved.", "Salvo."),
        "admin.hours_hint": (
            "Créneaux en heure locale, ex. 08:00-12:00,14:00-20:00 ; vide = fermé.",
            "Slots in local time, e.g. 08:00-12:00,14:00-20:00; empty = closed.", "Horários locais, ex. 08:00-12:00,14:00-20:00; vazio = fechado."
        ),
        "error.hours": ("Créneaux invalides.", "Invalid slots.", "Horários inválidos."),
        // Assistance card
        "card.title": ("Carte assistance", "Assistance card", "Cartão de assistência"),
        "card.call": ("Appel gratuit", "Toll-free call", "Ligação gratuita"),
        "card.whatsapp": ("WhatsApp", "WhatsApp", "WhatsApp"),
        "card.messenger": ("Messenger", "Messenger", "Messenger"),
        "card.email": ("E-mail", "Email", "E-mail"),
        "card.hours": ("Horaires (heure locale)", "Opening hours (local time)", "Horário (hora local)"),
        "card.closed_days": (
            "Fermé le 25 décembre et le 1er janvier.", "Closed on 25 December and 1 January.", "Fechado em 25 de dezembro e 1º de janeiro."
        ),
        "card.reference": ("Référence voyageur", "Traveller reference", "Referência do viajante"),
        "card.emergency": ("Urgence vitale : composez le {number}.", "Life-threatening emergency: dial {number}.", "Emergência: ligue {number}."),
        "card.out_of_hours": (
            "En dehors des horaires, laissez un message avec votre numéro : nous vous rappelons dès l'ouverture.",
            "Outside opening hours, leave a message with your number: we call back as soon as we open.",
            "Fora do horário, deixe uma mensagem com seu número: retornamos assim que abrirmos."
        ),
        "card.toll_free_note": (
            "Le numéro vert n'est généralement pas joignable hors des territoires couverts.",
            "The toll-free number is generally not reachable outside the covered territories.",
            "O número gratuito geralmente não funciona fora dos territórios cobertos."
        ),
        "card.valid": ("Service du {start} au {end}", "Service from {start} to {end}", "Serviço de {start} a {end}"),
        "card.save_contact": ("Enregistrer le contact", "Save contact", "Salvar contato"),
        "card.cancelled": (
            "Ce voyage a été annulé : la carte n'est plus valable.", "This trip was cancelled: the card is no longer valid.",
            "Esta viagem foi cancelada: o cartão não é mais válido."
        ),
        "weekday.1": ("Lundi", "Monday", "Segunda"),
        "weekday.2": ("Mardi", "Tuesday", "Terça"),
        "weekday.3": ("Mercredi", "Wednesday", "Quarta"),
        "weekday.4": ("Jeudi", "Thursday", "Quinta"),
        "weekday.5": ("Vendredi", "Friday", "Sexta"),
        "weekday.6": ("Samedi", "Saturday", "Sábado"),
        "weekday.7": ("Dimanche", "Sunday", "Domingo"),
        "auto.unknown_sender": (
            "Bonjour ! Pour que nos experts vous aident, envoyez-nous votre référence de dossier (ou vos nom et dates de voyage).",
            "Hello! So that our experts can help you, please send us your booking reference (or your name and travel dates).",
            "Olá! Para que nossos especialistas possam ajudar, envie sua referência de reserva (ou seu nome e datas de viagem)."
        ),
        "auto.out_of_hours": (
            "Notre équipe de {destination} est fermée pour le moment. Nous revenons le {date} à {time} (heure locale) et traiterons votre message en priorité. Urgence vitale : composez le {emergency}.",
            "Our {destination} team is closed right now. We are back on {date} at {time} (local time) and will handle your message first. Life-threatening emergency: dial {emergency}.",
            "Nossa equipe de {destination} está fechada no momento. Voltamos em {date} às {time} (hora local) e trataremos sua mensagem com prioridade. Emergência: ligue {emergency}."
        ),
        "auto.recommendations_stopped": (
            "C'est noté : vous ne recevrez plus de suggestions d'activités ni d'alertes (vols, météo). Votre expert reste joignable ici pour toute aide.",
            "Done: you will receive no more activity suggestions or alerts (flights, weather). Your expert is still here if you need help.",
            "Anotado: você não receberá mais sugestões de atividades nem alertas (voos, clima). Seu especialista continua disponível aqui para ajudar."
        ),
        "auto.abusive": (
            "Nous ne pouvons pas donner suite à votre demande. Votre agence de voyage a été informée et reste votre interlocutrice.",
            "We cannot follow up on your request. Your travel agency has been informed and remains your contact.",
            "Não podemos dar seguimento ao seu pedido. Sua agência de viagens foi informada e continua sendo seu contato."
        ),
        "mail.resolved_subject": (
            "Dossier résolu : {traveller} – {reference}", "Case resolved: {traveller} – {reference}", "Caso resolvido: {traveller} – {reference}"
        ),
        "mail.resolved_body": (
            "Bonjour,\n\nNotre équipe de {destination} a résolu la demande de {traveller} (dossier {reference}) le {when}.\n\nRésolution :\n{summary}\n\nL'historique complet est sur votre portail OnSpot Connect.",
            "Hello,\n\nOur {destination} team resolved {traveller}'s request (booking {reference}) on {when}.\n\nResolution:\n{summary}\n\nThe full history is on your OnSpot Connect portal.",
            "Olá,\n\nNossa equipe de {destination} resolveu o pedido de {traveller} (reserva {reference}) em {when}.\n\nResolução:\n{summary}\n\nO histórico completo está no seu portal OnSpot Connect."
        ),
        // Rights and conditions summary sent to a traveller
        "rights.summary_title": (
            "Vos droits pour le vol {journey} ({event}), à titre indicatif :", "Your rights for flight {journey} ({event}), as an indication:",
            "Seus direitos para o voo {journey} ({event}), a título indicativo:"
        ),
        "rights.event.delay": ("retard", "delay", "atraso"),
        "rights.event.cancellation": ("annulation", "cancellation", "cancelamento"),
        "rights.event.denied_boarding": ("refus d'embarquement", "denied boarding", "preterição de embarque"),
        "rights.none_applies": (
            "Aucun régime de droits des passagers ne s'applique à ce vol.", "No passenger-rights regime applies to this flight.",
            "Nenhum regime de direitos dos passageiros se aplica a este voo."
        ),
        "rights.compensation": ("indemnisation de {amount}", "compensation of {amount}", "indenização de {amount}"),
        "rights.reducible": (
            "que la compagnie peut réduire à {amount}", "which the airline may reduce to {amount}", "que a companhia pode reduzir a {amount}"
        ),
        "rights.refund": ("remboursement du billet possible", "ticket refund available", "reembolso do bilhete possível"),
        "rights.care": ("prise en charge : {items}", "care: {items}", "assistência: {items}"),
        "rights.care.meals": ("repas", "meals", "refeições"),
        "rights.care.communication": ("communications", "communication", "comunicação"),
        "rights.care.hotel": ("hôtel", "hotel", "hotel"),
        "rights.care.transport": ("transport vers l'hôtel", "transport to the hotel", "transporte até o hotel"),
        "rights.nothing_due": ("rien n'est dû dans ce cas", "nothing is due in this case", "nada é devido neste caso"),
        "rights.regime.EU261": ("Règlement (CE) 261/2004", "Regulation (EC) 261/2004", "Regulamento (CE) 261/2004"),
        "rights.regime.UK261": ("Règlement UK261", "UK Regulation 261", "Regulamento UK261"),
        "rights.regime.APPR": ("Règlement canadien (RPPA)", "Canadian Air Passenger Protection Regulations", "Regulamento canadense (APPR)"),
        "rights.regime.US_DOT": ("Règles du DOT américain", "US DOT rules", "Regras do DOT americano"),
        "rights.regime.BR_ANAC400": ("Résolution ANAC 400 (Brésil)", "ANAC Resolution 400 (Brazil)", "Resolução ANAC 400"),
        "rights.regime.MX": ("Loi fédérale mexicaine (LFPC)", "Mexican consumer law (LFPC)", "Lei mexicana do consumidor (LFPC)"),
        "rights.regime.AU": ("Droit australien de la consommation", "Australian Consumer Law", "Lei australiana do consumidor"),
        "rights.regime.NZ": ("Civil Aviation Act (Nouvelle-Zélande)", "Civil Aviation Act (New Zealand)", "Civil Aviation Act (Nova Zelândia)"),
        "rights.disclaimer": (
            "Ces indications suivent les textes en vigueur ; la compagnie ou le fournisseur reste votre premier interlocuteur. Votre expert OnSpot reste à votre disposition.",
            "These indications follow the rules in force; the airline or supplier remains your first contact. Your OnSpot expert is here to help.",
            "Estas indicações seguem as regras em vigor; a companhia ou o fornecedor continua sendo seu primeiro contato. Seu especialista OnSpot está à disposição."
        ),
        "conditions.summary_title": (
            "Conditions de votre réservation ({pack}) :", "Your booking conditions ({pack}):", "Condições da sua reserva ({pack}):"
        ),
        "conditions.not_allowed": ("non prévu par les conditions", "not provided for by the conditions", "não previsto nas condições"),
        "conditions.charge": ("frais de {amount}", "charges of {amount}", "encargos de {amount}"),
        "conditions.charge_at_least": ("frais d'au moins {amount}", "charges of at least {amount}", "encargos de pelo menos {amount}"),
        "conditions.refund": ("remboursement de {amount}", "refund of {amount}", "reembolso de {amount}"),
        "conditions.indemnity": ("indemnité de {amount}", "indemnity of {amount}", "indenização de {amount}"),
        "conditions.deadline": ("à faire avant le {date}", "to be done by {date}", "a fazer até {date}"),
        "conditions.options": ("vos options : {options}", "your options: {options}", "suas opções: {options}"),
        "conditions.option.accept": ("accepter la modification", "accept the change", "aceitar a alteração"),
        "conditions.option.cancel_free": ("annuler sans frais", "cancel free of charge", "cancelar sem custos"),
        "conditions.option.refund": ("être remboursé", "be refunded", "ser reembolsado"),
        "conditions.option.reroute": ("être réacheminé", "be rerouted", "ser reacomodado"),
        "conditions.option.alternative_trip": ("un voyage de remplacement", "an alternative trip", "uma viagem alternativa"),
        // Costs, approvals, emergency override, audit and reports (clause 2.10, article 8)
        "nav.approvals": ("Accords", "Approvals", "Aprovações"),
        "nav.audit": ("Journal d'audit", "Audit trail", "Trilha de auditoria"),
        "nav.reports": ("Rapports", "Reports", "Relatórios"),
        "nav.admin_rates": ("Taux de change", "Exchange rates", "Taxas de câmbio"),
        "cost.error.amount": ("Montant hors limites.", "Amount out of range.", "Valor fora dos limites."),
        "cost.error.no_contact_attempt": (
            "Avant d'agir seul, notez au moins une tentative de joindre l'agence (dans les 24 dernières heures), sauf si la vie du voyageur est en jeu (case « sécurité »).",
            "Before acting alone, record at least one attempt to reach the agency (in the last 24 hours), unless the traveller's life is at stake (safety flag).",
            "Antes de agir sozinho, registre ao menos uma tentativa de contatar a agência (nas últimas 24 horas), salvo se a vida do viajante estiver em risco (sinal de segurança)."
        ),
        "contact.title": ("Tentatives de joindre l'agence", "Attempts to reach the agency", "Tentativas de contatar a agência"),
        "contact.none": ("Aucune tentative notée.", "No attempt recorded.", "Nenhuma tentativa registrada."),
        "contact.channel": ("Moyen", "Channel", "Meio"),
        "contact.result": ("Résultat", "Result", "Resultado"),
        "contact.note": ("Note (facultative)", "Note (optional)", "Nota (opcional)"),
        "contact.record": ("Noter la tentative", "Record the attempt", "Registrar a tentativa"),
        "contact.recorded": ("Tentative notée.", "Attempt recorded.", "Tentativa registrada."),
        "contact.line": ("{time} · {channel} · {result}", "{time} · {channel} · {result}", "{time} · {channel} · {result}"),
        "contact.channel.phone": ("Téléphone", "Phone", "Telefone"),
        "contact.channel.email": ("E-mail", "Email", "E-mail"),
        "contact.channel.whatsapp": ("WhatsApp", "WhatsApp", "WhatsApp"),
        "contact.channel.portal": ("Portail", "Portal", "Portal"),
        "contact.result.no_answer": ("Pas de réponse", "No answer", "Sem resposta"),
        "contact.result.voicemail": ("Message laissé", "Voicemail left", "Mensagem deixada"),
        "contact.result.busy": ("Occupé", "Busy", "Ocupado"),
        "contact.result.unreachable": ("Injoignable", "Unreachable", "Inalcançável"),
        "contact.result.no_decision": ("Joint, sans décision", "Reached, no decision", "Contatado, sem decisão"),
        "cost.error.not_emergency_case": (
            "L'exception d'urgence ne vaut que pour un dossier médical, d'urgence ou signalé pour la sécurité.",
            "The emergency exception applies only to medical or emergency cases, or cases flagged as a safety situation.",
            "A exceção de emergência vale apenas para casos médicos, de emergência ou sinalizados como de segurança."
        ),
        "cost.error.justification": (
            "Justification écrite obligatoire (20 caractères au moins).", "A written justification is required (at least 20 characters).",
            "Justificativa escrita obrigatória (pelo menos 20 caracteres)."
        ),
        "cost.error.no_rate": (
            "Aucun taux de change vers la devise de l'agence : un administrateur OnSpot doit le saisir.",
            "No exchange rate to the agency's currency: an OnSpot admin must enter it.",
            "Nenhuma taxa de câmbio para a moeda da agência: um administrador OnSpot deve cadastrá-la."
        ),
        "cost.reason.within_cap": ("Dans le plafond du champ d'action.", "Within the scope-of-action cap.", "Dentro do teto do âmbito de atuação."),
        "cost.reason.over_cap": (
            "Au-delà du plafond : accord écrit de l'agence requis.", "Above the cap: the agency's written approval is required.",
            "Acima do teto: aprovação escrita da agência necessária."
        ),
        "cost.reason.approval_level": (
            "Ce domaine demande l'accord écrit de l'agence.", "This domain needs the agency's written approval.",
            "Este domínio exige a aprovação escrita da agência."
        ),
        "cost.reason.booking_change": (
            "Toute réservation créée ou modifiée demande l'accord écrit de l'agence.",
            "Any booking made or changed needs the agency's written approval.",
            "Toda reserva criada ou alterada exige a aprovação escrita da agência."
        ),
        "cost.reason.inform_only": (
            "Domaine « information seulement » : aucune dépense.", "Domain set to inform only: no spending.",
            "Domínio « apenas informar »: nenhum gasto."
        ),
        "cost.reason.emergency": (
            "Exception d'urgence : l'agence est prévenue immédiatement.", "Emergency exception: the agency is told at once.",
            "Exceção de emergência: a agência é avisada imediatamente."
        ),
        "cost.outcome.allowed": ("Autorisé", "Allowed", "Autorizado"),
        "cost.outcome.needs_approval": ("Accord requis", "Needs approval", "Aprovação necessária"),
        "cost.outcome.not_allowed": ("Non autorisé", "Not allowed", "Não autorizado"),
        "cost.outcome.emergency_override": ("Urgence", "Emergency override", "Emergência"),
        "approval.status.pending": ("En attente", "Pending", "Pendente"),
        "approval.status.approved": ("Accordé", "Approved", "Aprovado"),
        "approval.status.denied": ("Refusé", "Denied", "Recusado"),
        "approval.status.expired": ("Expiré", "Expired", "Expirado"),
        "approval.error.delay": ("Délai en minutes, de 5 à 10 080.", "Delay in minutes, from 5 to 10,080.", "Prazo em minutos, de 5 a 10.080."),
        "approval.settings": ("Demandes d'accord", "Approval requests", "Pedidos de aprovação"),
        "approval.escalation_contact": ("Contact d'escalade (e-mail)", "Escalation contact (email)", "Contato de escalonamento (e-mail)"),
        "approval.delay_minutes": (
            "Délai avant escalade (minutes ; rappel à mi-délai)", "Delay before escalation (minutes; reminder at half)",
            "Prazo antes do escalonamento (minutos; lembrete na metade)"
        ),
        "approval.expires": ("Expire le {when}", "Expires on {when}", "Expira em {when}"),
        "audit.intact": (
            "Chaîne d'audit intacte : chaque entrée scelle la précédente.", "Audit chain intact: each entry seals the one before.",
            "Cadeia de auditoria íntegra: cada entrada sela a anterior."
        ),
        "audit.broken": (
            "Chaîne d'audit rompue à l'entrée {sequence} : prévenez OnSpot.", "Audit chain broken at entry {sequence}: tell OnSpot.",
            "Cadeia de auditoria rompida na entrada {sequence}: avise a OnSpot."
        ),
        "report.error.month": ("Mois invalide (AAAA-MM).", "Invalid month (YYYY-MM).", "Mês inválido (AAAA-MM)."),
        "report.cases": ("Dossiers", "Cases", "Casos"),
        "report.opened": ("{n} ouverts", "{n} opened", "{n} abertos"),
        "report.resolved": ("{n} résolus", "{n} resolved", "{n} resolvidos"),
        "report.costs": ("Dépenses engagées", "Committed costs", "Gastos realizados"),
        "report.time_to_decision": (
            "Délai de décision : médiane {median} min, moyenne {mean} min", "Time to decision: median {median} min, mean {mean} min",
            "Tempo de decisão: mediana {median} min, média {mean} min"
        ),
        "report.overrides": ("Urgences : {n} ({total})", "Emergency overrides: {n} ({total})", "Emergências: {n} ({total})"),
        "rate.error": (
            "Taux invalide : nombre positif, 8 décimales au plus.", "Invalid rate: a positive number, at most 8 decimals.",
            "Taxa inválida: número positivo, no máximo 8 casas decimais."
        ),
        "dashboard.notices": ("À savoir", "For your attention", "Para sua atenção"),
        "dashboard.pending_approvals": (
            "{n} demande(s) d'accord en attente de votre décision →", "{n} approval request(s) waiting for your decision →",
            "{n} pedido(s) de aprovação aguardando sua decisão →"
        ),
        "dashboard.overrides": (
            "{n} dépense(s) d'urgence engagée(s) ces 7 derniers jours →", "{n} emergency cost(s) incurred in the last 7 days →",
            "{n} gasto(s) de emergência nos últimos 7 dias →"
        ),
        "approval.approve": ("Accorder", "Approve", "Aprovar"),
        "approval.deny": ("Refuser", "Deny", "Recusar"),
        "approval.comment": ("Commentaire", "Comment", "Comentário"),
        "approval.none": ("Aucune demande d'accord.", "No approval requests.", "Nenhum pedido de aprovação."),
        "approval.decided": ("Décision enregistrée.", "Decision recorded.", "Decisão registrada."),
        "approval.not_pending": (
            "Cette demande a déjà été traitée ({status}).", "This request has already been decided ({status}).",
            "Este pedido já foi decidido ({status})."
        ),
        "approval.expired": ("Ce lien a expiré.", "This link has expired.", "Este link expirou."),
        "approval.invalid_link": ("Lien invalide.", "Invalid link.", "Link inválido."),
        "approval.confirm": ("Confirmez votre décision", "Confirm your decision", "Confirme sua decisão"),
        "approval.shown": (
            "{domain} – {supplier} : {purpose}. Montant : {amount}.", "{domain} – {supplier}: {purpose}. Amount: {amount}.",
            "{domain} – {supplier}: {purpose}. Valor: {amount}."
        ),
        "approval.shown_local": ("(soit {local} au taux {rate})", "({local} at rate {rate})", "({local} à taxa {rate})"),
        "approval.shown_booking": ("Création ou modification de réservation.", "A booking is made or changed.", "Criação ou alteração de reserva."),
        "mail.approval_subject": (
            "Accord demandé : {traveller} – {reference} – {amount}", "Approval needed: {traveller} – {reference} – {amount}",
            "Aprovação necessária: {traveller} – {reference} – {amount}"
        ),
        "mail.approval_body": (
            "Bonjour,\n\nNotre expert demande votre accord écrit pour {traveller} (dossier {reference}) :\n\n{text}\n\nAccorder : {approve}\nRefuser : {deny}\n\nCes liens sont à usage unique et expirent le {expires}. Vous pouvez aussi décider depuis votre portail : {inbox}",
            "Hello,\n\nOur expert asks for your written approval for {traveller} (booking {reference}):\n\n{text}\n\nApprove: {approve}\nDeny: {deny}\n\nThese links work once and expire on {expires}. You can also decide on your portal: {inbox}",
            "Olá,\n\nNosso especialista pede sua aprovação escrita para {traveller} (reserva {reference}):\n\n{text}\n\nAprovar: {approve}\nRecusar: {deny}\n\nEstes links valem uma vez e expiram em {expires}. Você também pode decidir no portal: {inbox}"
        ),
        "mail.approval_reminder_subject": (
            "Rappel : accord en attente depuis {minutes} min", "Reminder: approval waiting for {minutes} min",
            "Lembrete: aprovação pendente há {minutes} min"
        ),
        "mail.approval_body_reminder": (
            "Bonjour,\n\nUne demande d'accord attend votre décision :\n\n{text}\n\nAccorder : {approve}\nRefuser : {deny}\n\nPortail : {inbox}",
            "Hello,\n\nAn approval request is waiting for your decision:\n\n{text}\n\nApprove: {approve}\nDeny: {deny}\n\nPortal: {inbox}",
            "Olá,\n\nUm pedido de aprovação aguarda sua decisão:\n\n{text}\n\nAprovar: {approve}\nRecusar: {deny}\n\nPortal: {inbox}"
        ),
        "mail.approval_escalation_subject": (
            "Escalade : accord sans réponse pour {agency}", "Escalation: approval unanswered for {agency}",
            "Escalonamento: aprovação sem resposta para {agency}"
        ),
        "mail.approval_body_escalation": (
            "Bonjour,\n\nVous êtes le contact d'escalade de {agency}. Cette demande est sans réponse depuis {minutes} min :\n\n{text}\n\nAccorder : {approve}\nRefuser : {deny}\n\nLes liens expirent le {expires}.",
            "Hello,\n\nYou are {agency}'s escalation contact. This request has been unanswered for {minutes} min:\n\n{text}\n\nApprove: {approve}\nDeny: {deny}\n\nThe links expire on {expires}.",
            "Olá,\n\nVocê é o contato de escalonamento de {agency}. Este pedido está sem resposta há {minutes} min:\n\n{text}\n\nAprovar: {approve}\nRecusar: {deny}\n\nOs links expiram em {expires}."
        ),
        "mail.override_subject": (
            "URGENCE : dépense engagée pour {traveller} – {reference}", "EMERGENCY: cost incurred for {traveller} – {reference}",
            "EMERGÊNCIA: gasto realizado para {traveller} – {reference}"
        ),
        "mail.override_body": (
            "Bonjour,\n\nPour la sécurité de {traveller} (dossier {reference}), notre expert a agi sans attendre votre accord (clause 2.10) :\n\n{domain} – {supplier} : {purpose}\nMontant : {amount}\n\nJustification : {justification}\n\nLe détail est dans votre portail et votre journal d'audit.",
            "Hello,\n\nFor the safety of {traveller} (booking {reference}), our expert acted without waiting for your approval (clause 2.10):\n\n{domain} – {supplier}: {purpose}\nAmount: {amount}\n\nJustification: {justification}\n\nThe details are on your portal and in your audit trail.",
            "Olá,\n\nPela segurança de {traveller} (reserva {reference}), nosso especialista agiu sem aguardar sua aprovação (cláusula 2.10):\n\n{domain} – {supplier}: {purpose}\nValor: {amount}\n\nJustificativa: {justification}\n\nOs detalhes estão no portal e na trilha de auditoria."
        ),
        "category.car_rental": ("Location de voiture", "Car rental", "Aluguel de carro"),
        "category.flight_disruption": ("Vol perturbé", "Flight disruption", "Voo com problema"),
        "category.accommodation": ("Hébergement", "Accommodation", "Hospedagem"),
        "category.itinerary_change": ("Changement d'itinéraire", "Itinerary change", "Mudança de itinerário"),
        "category.lost_items": ("Objets ou documents perdus", "Lost items or documents", "Objetos ou documentos perdidos"),
        "category.booking_error": ("Erreur de réservation", "Booking error", "Erro de reserva"),
        "category.payment_on_site": ("Paiement sur place", "Payment on site", "Pagamento no local"),
        "category.information": ("Information ou recommandation", "Information or recommendation", "Informação ou recomendação"),
        "category.activity_booking": ("Réservation d'activité", "Activity booking", "Reserva de atividade"),
        "category.medical_emergency": ("Médical ou urgence", "Medical or emergency", "Médico ou emergência"),
        "category.other": ("Autre", "Other", "Outro"),
        // Console work: SLA, linking, duty, canned replies
        "sla.first_response": ("1re réponse avant", "First response by", "1ª resposta até"),
        "sla.resolution": ("Résolution avant", "Resolution by", "Resolução até"),
        "link.intro": (
            "Voyageur non identifié : rattachez la conversation à son voyage par la référence du dossier.",
            "Unidentified traveller: link the conversation to their trip by its booking reference.",
            "Viajante não identificado: vincule a conversa à viagem pela referência."
        ),
        "link.button": ("Rattacher au voyage", "Link to trip", "Vincular à viagem"),
        "link.error.already": (
            "Ce dossier est déjà rattaché à un voyage.", "This case is already linked to a trip.", "Este caso já está vinculado a uma viagem."
        ),
        "link.error.not_found": (
            "Aucun voyage en cours vers cette destination avec cette référence.", "No trip under way to this destination with this reference.",
            "Nenhuma viagem em curso para este destino com esta referência."
        ),
        "link.error.ambiguous": (
            "Plusieurs voyages portent cette référence : contactez l'agence.", "Several trips carry this reference: contact the agency.",
            "Várias viagens têm esta referência: contate a agência."
        ),
        "link.error.which_traveller": (
            "Plusieurs voyageurs : précisez le nom.", "Several travellers: give the last name.", "Vários viajantes: informe o sobrenome."
        ),
        "duty.on": (
            "Vous êtes de garde : la ligne vous appelle.", "You are on duty: the line will call you.",
            "Você está de plantão: a linha vai ligar para você."
        ),
        "duty.off": ("Vous n'êtes plus de garde.", "You are off duty.", "Você saiu do plantão."),
        "duty.error.phone": (
            "Un numéro est nécessaire pour être de garde.", "A phone number is needed to be on duty.", "É preciso um número para ficar de plantão."
        ),
        "canned.greeting": (
            "Bonjour{first_name}, ici l'équipe OnSpot de {destination}. Je m'occupe de votre demande tout de suite.",
            "Hello{first_name}, this is the OnSpot team in {destination}. I am on your request right away.",
            "Olá{first_name}, aqui é a equipe OnSpot de {destination}. Já estou cuidando do seu pedido."
        ),
        "canned.hours": (
            "L'équipe OnSpot de {destination} répond aujourd'hui {hours}. En dehors de ces heures, écrivez-nous : nous reprenons votre message à l'ouverture ; en cas de danger immédiat, appelez le {emergency}.",
            "The OnSpot team in {destination} answers today {hours}. Outside those hours, write to us: we pick up your message when we open; in immediate danger, call {emergency}.",
            "A equipe OnSpot de {destination} atende hoje {hours}. Fora desse horário, escreva para nós: retomamos sua mensagem na abertura; em perigo imediato, ligue para {emergency}."
        ),
        "canned.hours.title": ("Horaires", "Opening hours", "Horário"),
        "canned.greeting.title": ("Accueil", "Greeting", "Saudação"),
        "canned.reference": (
            "Pouvez-vous m'envoyer votre référence de dossier et le nom du voyageur principal ?",
            "Could you send me your booking reference and the lead traveller's name?",
            "Pode me enviar a referência da reserva e o nome do viajante principal?"
        ),
        "canned.reference.title": ("Demander la référence", "Ask for the reference", "Pedir a referência"),
        "canned.calling_supplier": (
            "J'appelle le prestataire et je reviens vers vous dans quelques minutes.",
            "I am calling the supplier and will come back to you in a few minutes.",
            "Estou ligando para o fornecedor e volto a falar com você em alguns minutos."
        ),
        "canned.calling_supplier.title": ("J'appelle le prestataire", "Calling the supplier", "Ligando para o fornecedor"),
        "canned.agency_approval": (
            "Cette solution demande l'accord de votre agence : je le lui demande maintenant et je vous tiens informé.",
            "This solution needs your agency's approval: I am asking for it now and will keep you posted.",
            "Esta solução precisa da aprovação da sua agência: estou pedindo agora e mantenho você informado."
        ),
        "canned.agency_approval.title": ("Accord de l'agence", "Agency approval", "Aprovação da agência"),
        "canned.emergency": (
            "En cas de danger immédiat, appelez le {emergency}. Je reste en ligne avec vous.",
            "In immediate danger, call {emergency}. I am staying with you.", "Em perigo imediato, ligue para {emergency}. Continuo com você."
        ),
        "canned.emergency.title": ("Urgence", "Emergency", "Emergência"),
        "canned.resolved": (
            "C'est réglé. Bonne suite de voyage, nous restons joignables ici.",
            "It is sorted. Enjoy the rest of your trip; we are here if you need us.", "Está resolvido. Boa viagem; continuamos à disposição aqui."
        ),
        "canned.resolved.title": ("Clôture", "Closing", "Encerramento"),
        "voice.notice": (
            "Bienvenue chez OnSpot {destination}. Cet appel peut être enregistré pour la qualité du service. Pour refuser l'enregistrement, tapez 9. Nous vous mettons en relation.",
            "Welcome to OnSpot {destination}. This call may be recorded for quality. To refuse recording, press 9. Connecting you now.",
            "Bem-vindo à OnSpot {destination}. Esta chamada pode ser gravada para a qualidade do serviço. Para recusar a gravação, digite 9. Estamos transferindo."
        ),
        "voice.closed": (
            "L'équipe OnSpot de {destination} est fermée. Elle rouvre le {back}, heure locale. En cas d'urgence vitale, appelez le {emergency}. Laissez un message après le bip avec votre numéro, nous vous rappelons.",
            "The OnSpot team in {destination} is closed. It opens again on {back}, local time. In a life-threatening emergency call {emergency}. Leave a message after the tone with your number and we will call you back.",
            "A equipe OnSpot de {destination} está fechada. Reabre em {back}, hora local. Em emergência, ligue para {emergency}. Deixe uma mensagem após o sinal com seu número e retornaremos."
        ),
        "voice.nobody": (
            "Tous nos experts sont occupés. Laissez un message après le bip avec votre numéro, nous vous rappelons très vite.",
            "All our experts are busy. Leave a message after the tone with your number and we will call you back shortly.",
            "Todos os nossos especialistas estão ocupados. Deixe uma mensagem após o sinal com seu número e retornaremos em breve."
        ),
        "voice.thanks": ("Merci, votre message est enregistré.", "Thank you, your message has been recorded.", "Obrigado, sua mensagem foi gravada."),
        "trips.cases": ("Dossiers d'assistance", "Assistance cases", "Casos de assistência"),
        "case.status.new": ("Nouveau", "New", "Novo"),
        "case.status.in_progress": ("En cours", "In progress", "Em andamento"),
        "case.status.waiting_for_traveller": ("En attente du voyageur", "Waiting for traveller", "Aguardando o viajante"),
        "case.status.waiting_for_agency": ("En attente de l'agence", "Waiting for agency", "Aguardando a agência"),
        "case.status.resolved": ("Résolu", "Resolved", "Resolvido"),
        "case.status.closed": ("Clos", "Closed", "Encerrado"),
        "closed": ("Fermé", "Closed", "Fechado"),
        "every_day": ("Tous les jours", "Every day", "Todos os dias")
    ]
}
