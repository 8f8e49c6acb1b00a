import Foundation

/// The words the text extractor reads, in French, English and Portuguese, folded (lower case, no accents).
enum TextLexicon {
    enum Kind: String, CaseIterable {
        // Order breaks ties: a "transfert aéroport - hôtel" heading is a transfer.
        case taxi, car, train, bus, event, lodging, flight
    }

    /// Words that name a kind of service in a heading or label.
    static let kindWords: [Kind: [String]] = [
        .taxi: [
            "transfert", "transfer", "transfers", "traslado", "traslados", "shuttle", "navette", "chauffeur", "motorista", "taxi",
            "private sedan", "private transfer", "shared shuttle", "transportation", "car service", "recogida"
        ],
        .car: [
            "voiture", "car", "carro", "vehicle", "vehicule", "veiculo", "location de voiture", "car rental", "rent a car",
            "aluguel", "loueur", "locadora", "hertz", "avis", "alamo", "enterprise", "europcar", "sixt", "budget", "localiza",
            "movida", "unidas", "thrifty", "dollar", "national"
        ],
        .train: ["train", "trem", "amtrak", "via rail", "gare", "tgv", "eurostar", "rail", "ferroviaire"],
        .bus: ["bus", "autocar", "onibus", "autobus", "greyhound", "flixbus", "ado", "megabus", "rodoviaria"],
        .event: [
            "activite", "activity", "activities", "atividade", "excursion", "excursao", "tour", "passeio", "ingresso", "ingressos",
            "billet", "billets", "ticket", "tickets", "spectacle", "show", "event", "evenement", "evento", "concert", "cirque",
            "musee", "museum", "visite", "day trip", "croisiere", "cruise", "snorkelling", "plongee"
        ],
        .lodging: [
            "hotel", "hebergement", "hospedagem", "pousada", "resort", "hostel", "auberge", "accommodation", "lodging", "motel",
            "room", "chambre", "quarto", "nuits", "nights", "noites"
        ],
        .flight: ["vol", "vols", "flight", "flights", "voo", "voos", "aereo", "aerien", "flug"]
    ]

    static let carBrands = [
        "Hertz", "Avis", "Alamo", "Enterprise", "Europcar", "Sixt", "Budget", "Localiza", "Movida", "Unidas",
        "Thrifty", "Dollar", "National", "Ace", "Fox"
    ]
    static let trainBrands = ["Amtrak", "VIA Rail", "SNCF", "Eurostar", "Renfe", "Trenitalia", "Deutsche Bahn", "Brightline", "Rocky Mountaineer"]
    static let busBrands = ["ADO", "Greyhound", "FlixBus", "Megabus", "Cometa", "ETN", "Primera Plus", "Ouibus", "BlaBlaCar Bus"]

    /// Reference labels, longest first when compiled.
    static let referenceLabels = [
        "individual reservation code", "booking reference", "booking ref", "booking no", "booking number", "booking id", "booking code",
        "confirmation number", "confirmation no", "confirmation #", "confirmation code", "confirmation", "reservation number",
        "reservation code", "reservation no", "reservation", "record locator", "order number", "order no", "voucher no", "voucher number",
        "pnr", "numero de confirmation", "n° de confirmation", "no de confirmation", "numero de reservation", "reference de reservation",
        "reference", "ref. compagnie", "ref compagnie", "dossier", "code de reservation", "codigo da reserva", "codigo de reserva",
        "numero da reserva", "localizador", "confirmacao de reserva", "numero da confirmacao", "numero de confirmacao", "confirmacao", "reserva",
        "codigo", "numero do voucher", "votre numero de confirmation"
    ]

    /// Labels of the people a reservation is for.
    static let personLabels = [
        "passager(s)", "passagers", "passager", "passengers", "passenger", "passageiros", "passageiro", "travellers", "traveller", "traveler",
        "lead traveller", "lead traveler", "lead passenger", "guest name", "primary guest", "guest", "hospede", "client", "cliente",
        "customer", "conducteur", "condutor", "driver", "renter", "name", "nom du passager", "nom", "au nom de", "voyageurs", "voyageur",
        "participants", "participant", "order for", "titular", "nome", "reservation is made on the name",
        "conducteur principal", "main driver", "primary driver", "condutor principal", "titulaire", "nome do hospede", "lead guest"
    ]

    enum Field: Hashable { case name, address, start, end, place, provider, date, time, dropoffPlace }

    /// Field labels per kind of service. A label is followed by its value on the same line, or on the next lines.
    static let fieldLabels: [Kind: [(Field, [String])]] = [
        .lodging: [
            (.name, ["hotel", "hotel name", "nom de l'hotel", "resort", "property", "etablissement", "hebergement", "pousada", "hospedagem"]),
            (.address, ["adresse", "address", "endereco"]),
            (
                .start,
                [
                    "check-in", "checkin", "check in", "arrivee", "arrival", "arrival date", "date d'arrivee", "entrada", "enregistrement",
                    "check-in time", "arrival time", "heure d'arrivee"
                ]
            ),
            (
                .end,
                [
                    "check-out", "checkout", "check out", "depart", "departure", "departure date", "date de depart", "saida",
                    "check-out time", "liberation"
                ]
            )
        ],
        .car: [
            (.provider, ["loueur", "rental company", "locadora", "supplier", "fournisseur", "agence de location"]),
            (
                .start,
                [
                    "prise en charge", "pick-up", "pickup", "pick up", "retirada", "retrait", "collection", "depart", "pick-up location",
                    "pickup location", "lieu de prise en charge", "local de retirada"
                ]
            ),
            (
                .end,
                [
                    "restitution", "return", "drop-off", "dropoff", "drop off", "devolucao", "retour", "remise", "drop-off location",
                    "return location", "lieu de restitution", "local de devolucao"
                ]
            ),
            (.place, ["lieu", "loja", "agence", "branch", "station", "adresse", "address", "endereco"])
        ],
        .taxi: [
            (.provider, ["prestataire", "supplier", "fournisseur", "fornecedor", "operator", "operadora", "provider", "transporteur", "company"]),
            (
                .start,
                [
                    "prise en charge", "pick-up", "pickup", "pick up", "pick-up date", "pick-up time", "pick-up point", "horario de busca",
                    "local de embarque", "lieu de prise en charge", "embarque", "busca", "pick-up location", "pickup location", "local de busca",
                    "p/u", "p/u time", "p/u point", "pick-up from", "pick up from", "pickup from", "hora de recogida", "recogida",
                    "horario da busca", "horario de apresentacao", "saida de", "lieu de prise en charge", "prise en charge a"
                ]
            ),
            (
                .dropoffPlace,
                [
                    "destination", "drop-off", "dropoff", "drop off", "destino", "depose", "drop-off location", "dropoff location",
                    "lieu de depose", "local de desembarque", "drop", "going to", "drop-off at", "dropoff at", "hotel de destino"
                ]
            ),
            (.place, ["lieu", "meeting point", "point de rendez-vous", "ponto de encontro", "punto de encuentro"]),
            (.date, ["date", "data", "svc date", "service date", "date of service", "data do servico", "fecha", "date du transfert"]),
            (.time, ["heure", "horario", "time", "hora"])
        ],
        .train: [
            (.provider, ["operator", "transporteur", "compagnie", "operadora"]),
            (.start, ["depart", "departure", "departs", "partida", "saida", "from"]),
            (.end, ["arrive", "arrival", "arrivee", "chegada", "to"])
        ],
        .bus: [
            (.provider, ["operator", "transporteur", "compagnie", "operadora", "empresa"]),
            (.start, ["depart", "departure", "departs", "partida", "saida", "from"]),
            (.end, ["arrive", "arrival", "arrivee", "chegada", "to"])
        ],
        .event: [
            (
                .name,
                [
                    "activite", "activity", "tour", "excursion", "event", "evenement", "spectacle", "show", "passeio", "atividade", "evento",
                    "experience", "attraction", "visite", "excursao", "titre"
                ]
            ),
            (.provider, ["prestataire", "operator", "operadora", "organisateur", "supplier", "fornecedor", "organizer"]),
            (.date, ["date", "data", "when", "quand", "jour", "dia"]),
            (.time, ["heure", "heure de rendez-vous", "horario", "time", "check-in", "start time", "debut", "inicio", "start", "show time"]),
            (
                .place,
                [
                    "lieu", "venue", "location", "meeting point", "point de rendez-vous", "ponto de encontro", "local", "adresse", "address",
                    "endereco", "lieu de rendez-vous"
                ]
            )
        ]
    ]

    /// Cities of OnSpot's destinations and the gateways travellers pass through, with their zones. Airports' own cities
    /// (airports.tsv) back them up.
    static let cityZones: [String: String] = [
        "miami": "America/New_York", "miami beach": "America/New_York", "orlando": "America/New_York", "new york": "America/New_York",
        "washington": "America/New_York", "boston": "America/New_York", "atlanta": "America/New_York", "fort lauderdale": "America/New_York",
        "key west": "America/New_York", "chicago": "America/Chicago", "new orleans": "America/Chicago", "houston": "America/Chicago",
        "dallas": "America/Chicago", "denver": "America/Denver", "phoenix": "America/Phoenix", "las vegas": "America/Los_Angeles",
        "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "san diego": "America/Los_Angeles",
        "seattle": "America/Los_Angeles", "honolulu": "Pacific/Honolulu", "anchorage": "America/Anchorage",
        "montreal": "America/Toronto", "quebec": "America/Toronto", "toronto": "America/Toronto", "ottawa": "America/Toronto",
        "niagara falls": "America/Toronto", "vancouver": "America/Vancouver", "victoria": "America/Vancouver", "whistler": "America/Vancouver",
        "calgary": "America/Edmonton", "banff": "America/Edmonton", "jasper": "America/Edmonton", "halifax": "America/Halifax",
        "cancun": "America/Cancun", "playa del carmen": "America/Cancun", "tulum": "America/Cancun", "cozumel": "America/Cancun",
        "merida": "America/Merida", "mexico": "America/Mexico_City", "oaxaca": "America/Mexico_City", "los cabos": "America/Mazatlan",
        "nassau": "America/Nassau", "freeport": "America/Nassau", "exuma": "America/Nassau", "paradise island": "America/Nassau",
        "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "brisbane": "Australia/Brisbane", "cairns": "Australia/Brisbane",
        "port douglas": "Australia/Brisbane", "gold coast": "Australia/Brisbane", "perth": "Australia/Perth", "adelaide": "Australia/Adelaide",
        "darwin": "Australia/Darwin", "hobart": "Australia/Hobart", "uluru": "Australia/Darwin", "alice springs": "Australia/Darwin",
        "auckland": "Pacific/Auckland", "queenstown": "Pacific/Auckland", "wellington": "Pacific/Auckland", "christchurch": "Pacific/Auckland",
        "rotorua": "Pacific/Auckland", "rio de janeiro": "America/Sao_Paulo", "sao paulo": "America/Sao_Paulo",
        "salvador": "America/Bahia", "recife": "America/Recife", "fortaleza": "America/Fortaleza", "natal": "America/Fortaleza",
        "manaus": "America/Manaus", "florianopolis": "America/Sao_Paulo", "foz do iguacu": "America/Sao_Paulo", "paraty": "America/Sao_Paulo",
        "buzios": "America/Sao_Paulo", "paris": "Europe/Paris", "lyon": "Europe/Paris", "nice": "Europe/Paris", "london": "Europe/London",
        "lisbon": "Europe/Lisbon", "lisbonne": "Europe/Lisbon", "lisboa": "Europe/Lisbon", "wien": "Europe/Vienna", "vienna": "Europe/Vienna"
    ]

    /// State and province codes as addresses print them ("Miami Beach, FL 33140").
    static let regionZones: [String: String] = [
        "FL": "America/New_York", "NY": "America/New_York", "NJ": "America/New_York", "MA": "America/New_York", "DC": "America/New_York",
        "GA": "America/New_York", "PA": "America/New_York", "VA": "America/New_York", "NC": "America/New_York", "SC": "America/New_York",
        "IL": "America/Chicago", "LA": "America/Chicago", "TN": "America/Chicago", "NV": "America/Los_Angeles", "CA": "America/Los_Angeles",
        "OR": "America/Los_Angeles", "AZ": "America/Phoenix", "CO": "America/Denver", "UT": "America/Denver", "HI": "Pacific/Honolulu",
        "QC": "America/Toronto", "ON": "America/Toronto", "BC": "America/Vancouver", "AB": "America/Edmonton", "NS": "America/Halifax",
        "NSW": "Australia/Sydney", "VIC": "Australia/Melbourne", "QLD": "Australia/Brisbane", "ACT": "Australia/Sydney", "TAS": "Australia/Hobart",
        "NT": "Australia/Darwin", "BA": "America/Bahia", "RJ": "America/Sao_Paulo", "SP": "America/Sao_Paulo", "PE": "America/Recife",
        "CE": "America/Fortaleza", "AM": "America/Manaus", "SC-BR": "America/Sao_Paulo"
    ]

    /// Countries with a single zone.
    static let countryZones: [String: String] = [
        "bahamas": "America/Nassau", "new zealand": "Pacific/Auckland", "nouvelle-zelande": "Pacific/Auckland", "nova zelandia": "Pacific/Auckland",
        "france": "Europe/Paris", "portugal": "Europe/Lisbon", "austria": "Europe/Vienna", "osterreich": "Europe/Vienna"
    ]
}
