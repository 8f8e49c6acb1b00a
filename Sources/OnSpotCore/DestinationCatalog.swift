import Foundation

/// A covered destination as shipped at install; an OnSpot admin edits it afterwards in the database.
/// Phone numbers are fictional demo numbers (NANP 555-01xx, ACMA's drama range): the real lines are
/// configured per destination by an admin.
public struct DestinationSeed: Hashable, Sendable {
    public var code: String
    public var countryCode: String
    public var name: String
    public var timeZone: String
    public var hours: String
    public var tollFree: String
    public var whatsApp: String
    public var email: String
    public var languages: [Language]
    public var emergencyNumber: String
}

public enum DestinationCatalog {
    /// The seven countries of the marketing page (000, "Destinations couvertes").
    public static let countries: [String: [Language: String]] = [
        "US": [.fr: "États-Unis", .en: "United States", .pt: "Estados Unidos"],
        "CA": [.fr: "Canada", .en: "Canada", .pt: "Canadá"],
        "BS": [.fr: "Bahamas", .en: "Bahamas", .pt: "Bahamas"],
        "MX": [.fr: "Mexique", .en: "Mexico", .pt: "México"],
        "AU": [.fr: "Australie", .en: "Australia", .pt: "Austrália"],
        "NZ": [.fr: "Nouvelle-Zélande", .en: "New Zealand", .pt: "Nova Zelândia"],
        "BR": [.fr: "Brésil", .en: "Brazil", .pt: "Brasil"]
    ]

    public static let all: [DestinationSeed] = {
        // (code, country, name, zone, hours)
        let rows: [(String, String, String, String, String)] = [
            ("us-nyc", "US", "New York", "America/New_York", "07:00-22:00"),
            ("us-bos", "US", "Boston", "America/New_York", "08:00-20:00"),
            ("us-was", "US", "Washington DC", "America/New_York", "08:00-20:00"),
            ("us-mia", "US", "Miami & Florida Keys", "America/New_York", "07:00-21:00"),
            ("us-orl", "US", "Orlando", "America/New_York", "07:00-21:00"),
            ("us-msy", "US", "New Orleans", "America/Chicago", "08:00-20:00"),
            ("us-chi", "US", "Chicago", "America/Chicago", "08:00-20:00"),
            ("us-den", "US", "Denver & Rocky Mountains", "America/Denver", "08:00-20:00"),
            ("us-gcn", "US", "Arizona & Grand Canyon", "America/Phoenix", "07:00-20:00"),
            ("us-las", "US", "Las Vegas", "America/Los_Angeles", "07:00-22:00"),
            ("us-lax", "US", "Los Angeles", "America/Los_Angeles", "07:00-22:00"),
            ("us-sfo", "US", "San Francisco", "America/Los_Angeles", "07:00-21:00"),
            ("us-sea", "US", "Seattle", "America/Los_Angeles", "08:00-20:00"),
            ("us-hnl", "US", "Hawaii", "Pacific/Honolulu", "07:00-19:00"),
            ("us-anc", "US", "Alaska", "America/Anchorage", "08:00-19:00"),
            ("ca-yvr", "CA", "Vancouver", "America/Vancouver", "08:00-20:00"),
            ("ca-yyc", "CA", "Calgary & Rocheuses", "America/Edmonton", "08:00-20:00"),
            ("ca-yyz", "CA", "Toronto & Niagara", "America/Toronto", "08:00-20:00"),
            ("ca-yul", "CA", "Montréal", "America/Toronto", "08:00-20:00"),
            ("ca-yqb", "CA", "Québec", "America/Toronto", "08:00-12:00,13:00-20:00"),
            ("ca-yhz", "CA", "Halifax & Maritimes", "America/Halifax", "08:00-19:00"),
            ("ca-yyt", "CA", "Terre-Neuve", "America/St_Johns", "08:00-18:00"),
            ("bs-nas", "BS", "Nassau & Paradise Island", "America/Nassau", "08:00-19:00"),
            ("bs-exu", "BS", "Exumas", "America/Nassau", "08:00-18:00"),
            ("mx-cun", "MX", "Cancún & Riviera Maya", "America/Cancun", "07:00-21:00"),
            ("mx-mex", "MX", "Mexico", "America/Mexico_City", "08:00-20:00"),
            ("mx-oax", "MX", "Oaxaca", "America/Mexico_City", "08:00-19:00"),
            ("mx-sjd", "MX", "Los Cabos", "America/Mazatlan", "08:00-19:00"),
            ("au-syd", "AU", "Sydney", "Australia/Sydney", "08:00-20:00"),
            ("au-mel", "AU", "Melbourne", "Australia/Melbourne", "08:00-20:00"),
            ("au-cns", "AU", "Cairns & Great Barrier Reef", "Australia/Brisbane", "07:00-19:00"),
            ("au-adl", "AU", "Adelaide & Kangaroo Island", "Australia/Adelaide", "08:00-18:00"),
            ("au-per", "AU", "Perth", "Australia/Perth", "08:00-18:00"),
            ("au-drw", "AU", "Darwin & Top End", "Australia/Darwin", "08:00-18:00"),
            ("nz-akl", "NZ", "Auckland & North Island", "Pacific/Auckland", "08:00-20:00"),
            ("nz-zqn", "NZ", "Queenstown & South Island", "Pacific/Auckland", "08:00-20:00"),
            ("br-rio", "BR", "Rio de Janeiro", "America/Sao_Paulo", "08:00-20:00"),
            ("br-sao", "BR", "São Paulo", "America/Sao_Paulo", "08:00-20:00"),
            ("br-ssa", "BR", "Salvador de Bahia", "America/Bahia", "08:00-19:00"),
            ("br-mao", "BR", "Manaus & Amazonie", "America/Manaus", "08:00-18:00")
        ]
        var perCountry: [String: Int] = [:]
        return rows.map { code, country, name, zone, hours in
            let n = perCountry[country, default: 0]
            perCountry[country] = n + 1
            let suffix = String(format: "%02d", n + 1)
            let (tollFree, whatsApp, emergency, languages): (String, String, String, [Language]) =
                switch country {
                case "US": ("+1800555\(String(format: "%04d", 100 + n))", "+1213555\(String(format: "%04d", 100 + n))", "911", [.fr, .en])
                case "CA": ("+1888555\(String(format: "%04d", 100 + n))", "+1514555\(String(format: "%04d", 100 + n))", "911", [.fr, .en])
                case "BS": ("+1242555\(String(format: "%04d", 100 + n))", "+1242555\(String(format: "%04d", 150 + n))", "919", [.fr, .en])
                case "MX": ("+52800555\(String(format: "%04d", 100 + n))", "+52998555\(String(format: "%04d", 100 + n))", "911", [.fr, .en])
                case "AU": ("+611800160\(String(format: "%03d", 401 + n))", "+61491570\(String(format: "%03d", 110 + n))", "000", [.fr, .en])
                case "NZ": ("+64800555\(String(format: "%03d", 100 + n))", "+6421555\(String(format: "%04d", 100 + n))", "111", [.fr, .en])
                default:
                    (
                        "+55800555\(String(format: "%04d", 100 + n))", "+5521555\(String(format: "%05d", 10100 + n))", "192 / 190 / 193",
                        [.fr, .pt, .en]
                    )
                }
            return DestinationSeed(
                code: code, countryCode: country, name: name, timeZone: zone, hours: hours,
                tollFree: tollFree, whatsApp: whatsApp,
                email: "\(country.lowercased())\(suffix)@assistance.onspot.example",
                languages: languages, emergencyNumber: emergency)
        }
    }()
}
