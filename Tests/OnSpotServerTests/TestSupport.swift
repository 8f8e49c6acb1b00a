import Fluent
import FluentSQL
import Foundation
import OnSpotCore
@testable import OnSpotServer
import XCTest
import XCTVapor
import WebSocketKit
import NIOConcurrencyHelpers

/// A fresh application and database for each test: in-memory SQLite, or PostgreSQL when TEST_DATABASE_URL is set
/// (the schema is dropped and migrated again, so tests never see each other's rows).
func makeTestApp() async throws -> Application {
    let app = try await Application.make(.testing)
    let config = AppConfiguration.testing()
    try await configure(app, config)
    if case .postgres = config.database, let sql = app.db as? any SQLDatabase {
        try await sql.raw("DROP SCHEMA public CASCADE").run()
        try await sql.raw("CREATE SCHEMA public").run()
    }
    try await app.autoMigrate().get()
    return app
}

var onPostgres: Bool { !(ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? "").isEmpty }

class ServerTestCase: XCTestCase {
    var app: Application!

    override func setUp() async throws {
        app = try await makeTestApp()
    }

    override func tearDown() async throws {
        app.clock.release()
        try await app.asyncShutdown()
        app = nil
    }

    /// Another server process on the same database, as a second `onspot` would be (PostgreSQL only: an in-memory SQLite
    /// database belongs to one process). The caller shuts it down.
    func makeSecondProcess() async throws -> Application {
        let other = try await Application.make(.testing)
        try await configure(other, AppConfiguration.testing())
        other.onspot.graphBaseURL = app.onspot.graphBaseURL
        return other
    }

    // MARK: Factories

    @discardableResult
    func makeAgency(_ name: String, plan: PlanCode = .plus, timeZone: String = "Europe/Paris", language: Language = .fr) async throws -> Agency {
        let planRecord = try await PlanRecord.query(on: app.db).filter(\.$code == plan).first()!
        let agency = Agency()
        agency.name = name
        agency.contactName = "Contact"
        agency.contactEmail = "contact@\(name.lowercased()).example"
        agency.currency = .EUR
        agency.timeZone = timeZone
        agency.language = language
        agency.$plan.id = try planRecord.requireID()
        agency.status = .active
        agency.createdAt = Date()
        try await agency.create(on: app.db)
        _ = try await ScopeService.saveVersion(.cautiousDefault, agencyID: try agency.requireID(), by: nil, on: app.db)
        return agency
    }

    static let password = "correct horse battery"

    @discardableResult
    func makeUser(_ email: String, role: Role, agency: Agency?, language: Language = .fr) async throws -> User {
        let user = User(
            agencyID: agency?.id, role: role, email: email, name: email.components(separatedBy: "@")[0],
            passwordHash: try Bcrypt.hash(Self.password, cost: 4), language: language)
        try await user.create(on: app.db)
        return user
    }

    func signedIn(_ email: String) async throws -> TestBrowser {
        let browser = TestBrowser(app: app)
        let res = try await browser.post("/login", form: ["email": email, "password": Self.password])
        XCTAssertEqual(res.status, .seeOther, "sign-in of \(email) failed: \(res.body.string.prefix(300))")
        // Like a browser, follow the redirect: the new session has its own CSRF token.
        _ = try await browser.get(res.location ?? "/")
        return browser
    }

    func registerTrip(
        _ browser: TestBrowser, departure: Date, zone: String = "Europe/Paris", destination: String = "us-nyc",
        reference: String = "REF-1"
    ) async throws -> XCTHTTPResponse {
        let tz = TimeZone(identifier: zone)!
        return try await browser.post(
            "/trips",
            form: [
                "reference": reference, "destinations[]": destination,
                "departure": LocalDateTime.inputValue(departure, in: tz),
                "returnAt": LocalDateTime.inputValue(departure.addingTimeInterval(10 * 86400), in: tz),
                "travellers[0][firstName]": "Ana", "travellers[0][lastName]": "Costa", "travellers[0][phone]": "+351912345678",
                "travellers[0][email]": "ana@example.pt", "travellers[0][language]": "pt", "travellers[0][consentRecording]": "on"
            ])
    }

    /// Creates a trip directly, without the 72-hour check, for tests that need one in the past or near.
    func makeTrip(
        for agency: Agency, departure: Date, destination: String = "us-nyc", reference: String = "T-1", consentsToAlerts: Bool = true
    ) async throws -> Trip {
        let draft = TripDraft(
            reference: reference, destinationCodes: [destination], departure: departure, arrival: nil,
            returnDate: departure.addingTimeInterval(7 * 86400), notes: nil,
            travellers: [TravellerDraft(firstName: "Zoé", lastName: "Traveller", phone: "+33612345678", consentsToAlerts: consentsToAlerts)])
        guard
            case .success(let valid) = TripValidation.validate(
                draft, knownDestinations: [destination], now: Date(),
                purpose: .seed, defaultLanguage: .fr)
        else {
            throw Abort(.internalServerError)
        }
        let trip = try await TripService.create(valid, agency: agency, userID: nil, on: app.db)
        return try await TripService.find(trip.requireID(), agencyID: agency.requireID(), on: app.db)!
    }

    /// Opens the console's live feed as `browser` would from a page of `origin`, and waits for the server's greeting
    /// (or for the socket to be refused), however slow the database is.
    func connectLiveFeed(_ browser: TestBrowser, origin: String?, port: Int, received: NIOLockedValueBox<[String]>) async throws -> WebSocket? {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: browser.cookieHeader)
        if let origin { headers.replaceOrAdd(name: .origin, value: origin) }
        let socket = NIOLockedValueBox<WebSocket?>(nil)
        let client = WebSocketClient(eventLoopGroupProvider: .shared(app.eventLoopGroup))
        try await client.connect(scheme: "ws", host: "127.0.0.1", port: port, path: "/console/live", headers: headers) { ws in
            socket.withLockedValue { $0 = ws }
            ws.onText { _, text in received.withLockedValue { $0.append(text) } }
        }.get()
        for _ in 0..<500 where !received.withLockedValue({ $0.contains { $0.hasPrefix(#"{"type":"hello""#) } }) {
            if socket.withLockedValue({ $0?.isClosed }) == true { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return socket.withLockedValue { $0 }
    }

    func makeApiKey(for agency: Agency, access: ApiKeyAccess = .readWrite) async throws -> String {
        let secret = "osk_" + Tokens.random()
        let key = ApiKey()
        key.$agency.id = try agency.requireID()
        key.name = "test"
        key.prefix = String(secret.prefix(12))
        key.keyHash = Tokens.keyedDigest(secret, secret: app.onspot.secretKey)
        key.createdAt = Date()
        key.access = access
        try await key.create(on: app.db)
        return secret
    }
}

/// Keeps cookies like a browser and sends the page's CSRF token with every form.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    /// Tests fire requests from one browser in parallel (sign-in throttling, double submits): its cookies and CSRF
    /// token are shared state, so they live behind a lock.
    private let state = NIOLockedValueBox<(cookies: [String: String], csrf: String?)>(([:], nil))
    var cookies: [String: String] {
        get { state.withLockedValue { $0.cookies } }
        set { state.withLockedValue { $0.cookies = newValue } }
    }
    var csrf: String? {
        get { state.withLockedValue { $0.csrf } }
        set { state.withLockedValue { $0.csrf = newValue } }
    }

    init(app: Application) { self.app = app }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> XCTHTTPResponse {
        var headers = extra
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let res = try await app.sendRequest(.GET, path, headers: headers)
        absorb(res)
        return res
    }

    /// Posts a urlencoded form; fetches a page first when no CSRF token is known yet.
    func post(_ path: String, form: [String: String], csrf override: String? = nil, multiValue: [(String, String)] = []) async throws
        -> XCTHTTPResponse
    {
        if csrf == nil && override == nil { _ = try await get("/login") }
        var pairs = form.map { ($0.key, $0.value) } + multiValue
        pairs.append(("_csrf", override ?? csrf ?? ""))
        let body = pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        var buffer = ByteBufferAllocator().buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        let res = try await app.sendRequest(.POST, path, headers: headers, body: buffer)
        absorb(res)
        return res
    }

    func postRaw(_ path: String, contentType: HTTPMediaType, body: ByteBuffer) async throws -> XCTHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = contentType
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let res = try await app.sendRequest(.POST, path, headers: headers, body: body)
        absorb(res)
        return res
    }

    /// Posts a multipart form (a file input), with the CSRF token as a field, as a browser does.
    func postMultipart(_ path: String, fields: [(String, String)], files: [MultipartFile]) async throws -> XCTHTTPResponse {
        if csrf == nil { _ = try await get("/login") }
        let (body, type) = multipartBody(fields: fields + [("_csrf", csrf ?? "")], files: files)
        return try await postRaw(path, contentType: type, body: body)
    }

    private func absorb(_ res: XCTHTTPResponse) {
        let setCookies = res.headers.setCookie?.all ?? [:]
        let html = res.body.string
        var token: String?
        if let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
            let match = String(html[range])
            token = match.components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
        }
        // Expiries are read on the server's clock, which a test may have stopped at another day: on the system clock, a
        // cookie set at a stopped 09:00 for twelve hours expired at 21:00 real time, whatever the test's day.
        let now = AppClock.now
        state.withLockedValue { state in
            for (name, value) in setCookies {
                if value.string.isEmpty || (value.expires.map { $0 < now } ?? false) {
                    state.cookies[name] = nil
                } else {
                    state.cookies[name] = value.string
                }
            }
            if let token { state.csrf = token }
        }
    }

    private func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension XCTHTTPResponse {
    var location: String? { headers.first(name: .location) }
}

func apiHeaders(_ key: String?, json: Bool = true) -> HTTPHeaders {
    var h = HTTPHeaders()
    if let key { h.bearerAuthorization = BearerAuthorization(token: key) }
    if json { h.contentType = .json }
    return h
}

struct MultipartFile {
    var field = "file"
    var filename: String
    var contentType = "application/octet-stream"
    var data: Data
}

/// A multipart/form-data body with a fresh boundary each time, as browsers and generated clients draw one per request.
func multipartBody(fields: [(String, String)], files: [MultipartFile]) -> (ByteBuffer, HTTPMediaType) {
    let boundary = "----onspot-test-\(UUID().uuidString)"
    var data = Data()
    for (name, value) in fields {
        data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    for file in files {
        data += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n"
                .utf8)
        data += file.data
        data += Data("\r\n".utf8)
    }
    data += Data("--\(boundary)--\r\n".utf8)
    var buffer = ByteBufferAllocator().buffer(capacity: data.count)
    buffer.writeBytes(data)
    return (buffer, HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
}

func jsonBody(_ object: Any) -> ByteBuffer {
    let data = try! JSONSerialization.data(withJSONObject: object)
    var buffer = ByteBufferAllocator().buffer(capacity: data.count)
    buffer.writeBytes(data)
    return buffer
}

func jsonObject(_ res: XCTHTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))) as? [String: Any] ?? [:]
}

func isoString(_ date: Date, _ zone: String = "Europe/Paris") -> String {
    LocalDateTime.iso8601(date, in: TimeZone(identifier: zone)!)
}
