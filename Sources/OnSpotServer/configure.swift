import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import OnSpotCore
import Vapor

/// Composes the application from a validated configuration.
public func configure(_ app: Application, _ config: AppConfiguration) async throws {
    app.onspot = config
    // Rule packs are validated at start: a broken pack stops the server with its file, line and field.
    app.storage[ConditionsEngineKey.self] = try ConditionsEngine.bundled()
    // Tests name the layer they use: whether KItinerary is installed must not change their results.
    app.kitinerary = config.mode == .testing ? nil : CommandLineKItinerary.configured()
    switch config.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .sqliteFile(let path):
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        app.databases.use(
            .postgres(configuration: try SQLPostgresConfiguration(url: url), maxConnectionsPerEventLoop: config.postgresConnectionsPerLoop),
            as: .psql)
    }
    // Rate limits per API key: shared through the database when several servers may share it, in the process otherwise.
    if case .postgres = config.database { app.apiRateCounter = DatabaseRateCounter() } else { app.apiRateCounter = InProcessRateCounter() }
    app.databases.middleware.use(VersionedModelMiddleware<Trip>())
    app.databases.middleware.use(VersionedModelMiddleware<Traveller>())
    app.migrations.add(M001_CreateSchema())
    app.migrations.add(M002_SeedReferenceData())
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(M003_CreateAgencyRulePacks())
    app.migrations.add(M004_CreateChannelIntake())
    app.migrations.add(M005_CreateOutbox())
    app.migrations.add(M006_WebhookDeliveryLease())
    app.migrations.add(M007_CostsAndApprovals())
    app.migrations.add(M008_ProcessingIndexes())
    app.migrations.add(M009_CaseWork())
    app.migrations.add(M010_MailRetry())
    app.migrations.add(M011_Billing())
    app.migrations.add(M012_CommissionClaims())
    app.migrations.add(M013_Hardening())
    app.migrations.add(M014_LeaseTokens())
    app.migrations.add(M015_SupplementaryInvoices())
    app.migrations.add(M016_CommissionCredits())
    app.migrations.add(M017_AgencyContactAttempts())
    app.migrations.add(M018_PartialRefunds())
    app.migrations.add(M019_ServicePaid())
    app.migrations.add(M020_InvoiceDocuments())
    app.migrations.add(M021_RefundChoiceAndReversals())
    app.migrations.add(M022_ConsentHistory())
    app.migrations.add(M023_Erasure())
    app.migrations.add(M024_RetentionAndRequests())
    app.migrations.add(M025_InboundEventsByChannel())
    app.migrations.add(M026_WorkLeases())
    app.migrations.add(M027_Satisfaction())
    app.migrations.add(M028_AuditBySubject())
    app.migrations.add(M029_CasesByTrip())
    app.migrations.add(M030_SegmentVersions())
    app.migrations.add(M031_ApiKeyAccess())
    app.migrations.add(M032_WebhookSecretRotation())
    app.migrations.add(M033_InvoicesByAgency())
    app.migrations.add(M034_ApiRateWindows())
    app.migrations.add(M035_TripAndTravellerVersions())
    app.migrations.add(M036_DocumentFiles())
    app.migrations.add(M037_KItineraryLayer())
    app.migrations.add(M038_Alerts())
    app.migrations.add(M039_AlertConsentAndPreferences())
    app.migrations.add(M040_ConversationsByTraveller())

    // Tests hash many passwords: a lower cost there keeps suites fast; production keeps bcrypt's default 12.
    app.passwords.use(config.mode == .testing ? .bcrypt(cost: 4) : .bcrypt)
    app.sessions.use { app in ChangedSessionsDriver(base: app.fluent.sessions.driver(nil)) }
    let secure = config.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: "onspot_session") { id in
        HTTPCookies.Value(
            string: id.string, expires: AppClock.now.addingTimeInterval(12 * 3600), maxAge: nil, domain: nil, path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
    if let host = config.smtpHost {
        app.mailTransport = SMTPTransport(host: host, port: config.smtpPort, from: config.mailFrom, group: app.eventLoopGroup)
    }
    TextInputGuard.install()
    app.routes.defaultMaxBodySize = "1mb"
    app.middleware = Middlewares()
    // Outermost: the request's id is on every log line written for it, the error middleware's included.
    app.middleware.use(RequestContextMiddleware())
    // Next: it times the answer every client got, errors included.
    app.middleware.use(RequestMetricsMiddleware())
    app.middleware.use(OnSpotErrorMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(NULURLMiddleware())
    // Shared state created once, before any request can race to create it.
    _ = app.inboundIntake
    _ = app.inboundLoop
    _ = app.channelSecrets
    _ = app.liveHub
    _ = app.backgroundWork
    _ = app.draining
    try routes(app)
}

/// Conservative headers on every answer; pages use no inline script except the card's print call.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        if response.headers.first(name: "Referrer-Policy") == nil {
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        }
        return response
    }
}
