import Foundation
import Crypto
import OnSpotCore

/// Every setting the server needs, built once from the environment and flags and validated before start.
public struct AppConfiguration: Sendable {
    public enum Mode: String, Sendable { case development, production, testing }

    public enum DatabaseLocation: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)
    }

    public var mode: Mode
    public var database: DatabaseLocation
    /// Signs password-reset tokens and peppers API-key hashes.
    public var secretKey: String
    /// Absolute base URL used in emails and on assistance cards, e.g. https://connect.onspot.example
    public var publicBaseURL: String
    /// Cookies get `Secure` when the public URL is https (the server sits behind TLS).
    public var secureCookies: Bool
    public var seedDemo: Bool
    public var loginAttemptsPerWindow: Int
    public var loginWindow: TimeInterval
    /// Meta's Graph API, versioned; tests point it at a local stand-in.
    public var graphBaseURL: String = "https://graph.facebook.com/v21.0"
    /// SMTP relay for outgoing mail; without it mail is written to the log (development).
    public var smtpHost: String?
    public var smtpPort: Int = 25
    public var mailFrom: String = "no-reply@onspot.example"
    /// Stripe: without a secret key the development gateway takes payments (demo and development only).
    public var stripeBaseURL: String = "https://api.stripe.com"
    public var stripeSecretKey: String?
    public var stripeWebhookSecret: String?
    /// OnSpot's own zone: the 1st of the month and the billing days are counted in it.
    public var billingTimeZone: String = "Europe/Paris"
    /// The miles partner's hand-off API; without it, exports are refused.
    public var milesPartnerURL: String?
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or ranges); nobody's by default.
    public var trustedProxies: [CIDR] = []
    /// `ONSPOT_MAIL=off`: mail deliberately off (logged only). Production refuses to start without SMTP otherwise.
    public var mailDisabled = false
    /// A session ends after this long without a request, and in any case this long after sign-in.
    public var sessionIdleTimeout: TimeInterval = 4 * 3600
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 3600
    /// Outgoing requests to URLs agencies or senders choose (webhook endpoints, attachment URLs) may reach loopback
    /// only in tests, where the stand-ins listen; private, link-local and metadata addresses never.
    public var allowLoopbackOutgoing = false
    /// Twilio's REST API, where call recordings and voicemails are deleted when their retention ends; tests point it at a
    /// stand-in.
    public var twilioBaseURL: String = "https://api.twilio.com"
    /// The bearer token a metrics collector presents at `/metrics`; without one, only loopback may read it.
    public var metricsToken: String?
    /// `ONSPOT_API_RATE_LIMIT`: requests a minute per API key, shared by every server (600 by default); `off` when a
    /// gateway in front already limits (nothing is counted then).
    public var apiRequestsPerMinute: Int? = 600
    /// `ONSPOT_LOG_FORMAT`: text (default) or json.
    public var logFormat: LogFormat = .text
    /// `ONSPOT_DRAIN_SECONDS` (0 to 60): how long `serve` reports not ready after SIGTERM before stopping. 0 by default:
    /// a lone `serve` has no load balancer to tell and stops at once; the web processes' unit sets 5.
    public var drainSeconds = 0
    /// `ONSPOT_PG_CONNECTIONS_PER_LOOP` (1 to 32, default 4): PostgreSQL connections per event loop (one loop per core),
    /// so a process with two cores holds up to eight; Fluent's default of one queued page reads behind each other.
    public var postgresConnectionsPerLoop = 4
    /// `ONSPOT_ALERT_FEEDS=format=url,…` (formats nws, cap, gdacs): the official weather sources polled (issue 14).
    public var alertFeeds: [AlertFeedSetting] = []
    /// `ONSPOT_ALERT_POLL_SECONDS` (5 to 86400, default 300).
    public var alertPollSeconds: Int64 = 300
    /// FlightAware AeroAPI: without a key, flights are not watched.
    public var flightAwareKey: String?
    public var flightAwareBaseURL = "https://aeroapi.flightaware.com/aeroapi"

    public struct AlertFeedSetting: Sendable, Equatable {
        public var format: String
        public var url: String
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Flags taken out of the command line before Vapor parses the rest.
    public struct Flags: Sendable {
        public var demo = false
        public var databasePath: String?
        public var production = false
        /// `serve --no-background`: HTTP only; `onspot worker` does the background work.
        public var noBackground = false
    }

    public static func extractFlags(_ arguments: [String]) throws -> (Flags, [String]) {
        var flags = Flags()
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            switch arg {
            case "--demo": flags.demo = true
            case "--production": flags.production = true
            case "--no-background": flags.noBackground = true
            case "--database":
                guard i + 1 < arguments.count else { throw Problem(description: "--database needs a file path") }
                flags.databasePath = arguments[i + 1]
                i += 1
            default:
                if arg.hasPrefix("--database=") {
                    flags.databasePath = String(arg.dropFirst("--database=".count))
                } else {
                    rest.append(arg)
                }
            }
            i += 1
        }
        return (flags, rest)
    }

    /// Builds and validates the configuration. In production a missing secret refuses to start, naming it;
    /// in development secrets are generated once and kept in a file beside the database.
    public static func load(environment env: [String: String], flags: Flags) throws -> AppConfiguration {
        let modeName = flags.production ? "production" : (env["ONSPOT_MODE"] ?? "development")
        guard let mode = Mode(rawValue: modeName) else {
            throw Problem(description: "ONSPOT_MODE must be development, production or testing, not '\(modeName)'")
        }
        let database: DatabaseLocation
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw Problem(description: "DATABASE_URL must start with postgres:// (got a different scheme)")
            }
            database = .postgres(url)
        } else {
            let path = flags.databasePath ?? env["ONSPOT_DATABASE_PATH"] ?? "onspot-data/onspot.sqlite"
            database = path == ":memory:" ? .sqliteMemory : .sqliteFile(path)
        }
        let publicBaseURL = (env["ONSPOT_PUBLIC_URL"] ?? "http://127.0.0.1:8080").trimmingCharacters(in: ["/"])
        guard publicBaseURL.hasPrefix("http://") || publicBaseURL.hasPrefix("https://") else {
            throw Problem(description: "ONSPOT_PUBLIC_URL must be an absolute http(s) URL")
        }
        var secret = env["ONSPOT_SECRET_KEY"] ?? ""
        if secret.isEmpty {
            switch mode {
            case .production:
                throw Problem(description: "ONSPOT_SECRET_KEY is required in production mode (32 or more random characters)")
            case .testing:
                secret = "testing-secret-key-not-for-production-use"
            case .development:
                secret = try developmentSecret(beside: database)
            }
        }
        if mode == .production {
            guard secret.count >= 32 else {
                throw Problem(description: "ONSPOT_SECRET_KEY must be at least 32 characters in production mode")
            }
            if flags.demo { throw Problem(description: "--demo is refused in production mode") }
            // The development gateway takes any card: never in production.
            if (env["ONSPOT_STRIPE_SECRET_KEY"] ?? "").isEmpty || (env["ONSPOT_STRIPE_WEBHOOK_SECRET"] ?? "").isEmpty {
                throw Problem(description: "ONSPOT_STRIPE_SECRET_KEY and ONSPOT_STRIPE_WEBHOOK_SECRET are required in production mode")
            }
        }
        var trustedProxies: [CIDR] = []
        for item in (env["ONSPOT_TRUSTED_PROXIES"] ?? "").split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let range = CIDR(text) else {
                throw Problem(description: "ONSPOT_TRUSTED_PROXIES must list IP addresses or ranges (e.g. 127.0.0.1,10.0.0.0/8), not '\(text)'")
            }
            trustedProxies.append(range)
        }
        let smtpHost = env["ONSPOT_SMTP_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        let mailSetting = (env["ONSPOT_MAIL"] ?? "").lowercased()
        guard ["", "on", "off"].contains(mailSetting) else { throw Problem(description: "ONSPOT_MAIL must be on or off, not '\(mailSetting)'") }
        if mode == .production && smtpHost == nil && mailSetting != "off" {
            throw Problem(description: "ONSPOT_SMTP_HOST is required in production mode (or ONSPOT_MAIL=off to run without mail on purpose)")
        }
        func minutes(_ name: String, default value: TimeInterval, range: ClosedRange<Int>) throws -> TimeInterval {
            guard let text = env[name], !text.isEmpty else { return value }
            guard let n = Int(text), range.contains(n) else {
                throw Problem(description: "\(name) must be a whole number of minutes from \(range.lowerBound) to \(range.upperBound)")
            }
            return TimeInterval(n * 60)
        }
        let idle = try minutes("ONSPOT_SESSION_IDLE_MINUTES", default: 4 * 3600, range: 5...1440)
        let absolute = try minutes("ONSPOT_SESSION_MAX_MINUTES", default: 12 * 3600, range: 15...10080)
        let loopbackSetting = env["ONSPOT_OUTGOING_LOOPBACK"] ?? ""
        guard ["", "allow", "deny"].contains(loopbackSetting) else {
            throw Problem(description: "ONSPOT_OUTGOING_LOOPBACK must be allow or deny, not '\(loopbackSetting)'")
        }
        if mode == .production && loopbackSetting == "allow" {
            throw Problem(description: "ONSPOT_OUTGOING_LOOPBACK=allow is for local stand-ins only and is refused in production mode")
        }
        let graph = (env["ONSPOT_GRAPH_URL"] ?? "https://graph.facebook.com/v21.0").trimmingCharacters(in: ["/"])
        guard graph.hasPrefix("http://") || graph.hasPrefix("https://") else {
            throw Problem(description: "ONSPOT_GRAPH_URL must be an absolute http(s) URL")
        }
        let metricsToken = env["ONSPOT_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let metricsToken, metricsToken.count < 16 {
            throw Problem(description: "ONSPOT_METRICS_TOKEN must be at least 16 characters")
        }
        let twilio = (env["ONSPOT_TWILIO_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.twilio.com").trimmingCharacters(in: ["/"])
        guard twilio.hasPrefix("http://") || twilio.hasPrefix("https://") else {
            throw Problem(description: "ONSPOT_TWILIO_URL must be an absolute http(s) URL")
        }
        let logSetting = env["ONSPOT_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? LogFormat.text.rawValue
        guard let logFormat = LogFormat(rawValue: logSetting) else {
            throw Problem(description: "ONSPOT_LOG_FORMAT must be text or json")
        }
        var config = AppConfiguration(
            mode: mode, database: database, secretKey: secret, publicBaseURL: publicBaseURL,
            secureCookies: publicBaseURL.hasPrefix("https://") || env["ONSPOT_SECURE_COOKIES"] == "1",
            seedDemo: flags.demo,
            loginAttemptsPerWindow: Int(env["ONSPOT_LOGIN_ATTEMPTS"] ?? "") ?? 5,
            loginWindow: 15 * 60, graphBaseURL: graph,
            smtpHost: smtpHost,
            smtpPort: Int(env["ONSPOT_SMTP_PORT"] ?? "") ?? 25,
            mailFrom: env["ONSPOT_MAIL_FROM"] ?? "no-reply@onspot.example",
            stripeBaseURL: (env["ONSPOT_STRIPE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.stripe.com").trimmingCharacters(in: ["/"]),
            stripeSecretKey: env["ONSPOT_STRIPE_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            stripeWebhookSecret: env["ONSPOT_STRIPE_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 },
            billingTimeZone: env["ONSPOT_BILLING_TIMEZONE"].flatMap { TimeZones.named($0) == nil ? nil : $0 } ?? "Europe/Paris",
            milesPartnerURL: env["ONSPOT_MILES_URL"].flatMap { $0.isEmpty ? nil : $0 },
            trustedProxies: trustedProxies, mailDisabled: mailSetting == "off",
            sessionIdleTimeout: idle, sessionAbsoluteTimeout: absolute, allowLoopbackOutgoing: loopbackSetting == "allow",
            twilioBaseURL: twilio, metricsToken: metricsToken)
        config.logFormat = logFormat
        if let text = env["ONSPOT_PG_CONNECTIONS_PER_LOOP"], !text.isEmpty {
            guard let count = Int(text), (1...32).contains(count) else {
                throw Problem(description: "ONSPOT_PG_CONNECTIONS_PER_LOOP must be a whole number from 1 to 32")
            }
            config.postgresConnectionsPerLoop = count
        }
        if let text = env["ONSPOT_API_RATE_LIMIT"], !text.isEmpty {
            if text == "off" {
                config.apiRequestsPerMinute = nil
            } else {
                guard let limit = Int(text), ApiRateLimit.allowedLimits.contains(limit) else {
                    throw Problem(description: "ONSPOT_API_RATE_LIMIT must be off or a whole number of requests a minute from 10 to 1000000")
                }
                config.apiRequestsPerMinute = limit
            }
        }
        if let text = env["ONSPOT_DRAIN_SECONDS"], !text.isEmpty {
            guard let seconds = Int(text), (0...60).contains(seconds) else {
                throw Problem(description: "ONSPOT_DRAIN_SECONDS must be a whole number from 0 to 60")
            }
            config.drainSeconds = seconds
        }
        config.alertFeeds = try alertFeeds(env["ONSPOT_ALERT_FEEDS"] ?? "")
        if let text = env["ONSPOT_ALERT_POLL_SECONDS"], !text.isEmpty {
            guard let seconds = Int64(text), (5...86400).contains(seconds) else {
                throw Problem(description: "ONSPOT_ALERT_POLL_SECONDS must be a whole number of seconds from 5 to 86400")
            }
            config.alertPollSeconds = seconds
        }
        config.flightAwareKey = env["ONSPOT_FLIGHTAWARE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = env["ONSPOT_FLIGHTAWARE_URL"], !url.isEmpty {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw Problem(description: "ONSPOT_FLIGHTAWARE_URL must be an absolute http(s) URL")
            }
            config.flightAwareBaseURL = url.trimmingCharacters(in: ["/"])
        }
        return config
    }

    /// "nws=https://api.weather.gov/alerts/active?area=FL,gdacs=https://www.gdacs.org/xml/gdacs_cap.xml": a URL may hold
    /// commas of its own, so an item that does not start with a known format continues the previous URL.
    static func alertFeeds(_ text: String) throws -> [AlertFeedSetting] {
        var feeds: [AlertFeedSetting] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let part = item.trimmingCharacters(in: .whitespaces)
            if let equals = part.firstIndex(of: "="), ["nws", "cap", "gdacs"].contains(String(part[..<equals])) {
                let url = String(part[part.index(after: equals)...])
                guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count <= 2_000 else {
                    throw Problem(description: "ONSPOT_ALERT_FEEDS: '\(part.prefix(80))' needs an absolute http(s) URL after the format")
                }
                feeds.append(AlertFeedSetting(format: String(part[..<equals]), url: url))
            } else if let last = feeds.popLast() {
                feeds.append(AlertFeedSetting(format: last.format, url: last.url + "," + part))
            } else {
                throw Problem(description: "ONSPOT_ALERT_FEEDS must be format=url items (formats nws, cap, gdacs), not '\(part.prefix(80))'")
            }
        }
        return feeds
    }

    /// A configuration for tests: in-memory SQLite unless TEST_DATABASE_URL names a PostgreSQL server.
    public static func testing(environment env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfiguration {
        let database: DatabaseLocation = env["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : .postgres($0) } ?? .sqliteMemory
        var config = AppConfiguration(
            mode: .testing, database: database, secretKey: "testing-secret-key-not-for-production-use",
            publicBaseURL: "http://127.0.0.1:8080", secureCookies: false, seedDemo: false,
            loginAttemptsPerWindow: 5, loginWindow: 15 * 60, allowLoopbackOutgoing: true)
        // Suites send thousands of API requests a minute with one key; the limit's own test sets a small one.
        config.apiRequestsPerMinute = 1_000_000
        return config
    }

    static func developmentSecret(beside database: DatabaseLocation) throws -> String {
        let directory: String
        switch database {
        case .sqliteFile(let path): directory = (path as NSString).deletingLastPathComponent
        case .sqliteMemory, .postgres: directory = "onspot-data"
        }
        let dir = directory.isEmpty ? "." : directory
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = (dir as NSString).appendingPathComponent(".secrets.json")
        if let data = FileManager.default.contents(atPath: file),
            let stored = try? JSONDecoder().decode([String: String].self, from: data), let key = stored["secretKey"], !key.isEmpty
        {
            return key
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        let data = try JSONEncoder().encode(["secretKey": key])
        guard FileManager.default.createFile(atPath: file, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Problem(description: "could not write development secrets to \(file)")
        }
        return key
    }
}
