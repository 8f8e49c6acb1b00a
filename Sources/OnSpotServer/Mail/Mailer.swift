import Crypto
import Fluent
import Foundation
import Vapor

struct OutgoingMail: Sendable {
    var to: String
    var subject: String
    var body: String
    /// Parts of the body that grant access (reset and approval tokens): delivered, but never stored or logged in clear.
    var secrets: [String] = []

    /// The body with each secret replaced by a numbered placeholder.
    var redactedBody: String {
        secrets.enumerated().reduce(body) { text, item in
            item.element.isEmpty ? text : text.replacingOccurrences(of: item.element, with: MailSecrets.placeholder(item.offset))
        }
    }
}

/// Secrets of a mail kept for its retries, sealed (ChaChaPoly) with a key derived from the server's secret: a copy of
/// the database alone does not give anyone a reset or approval link.
enum MailSecrets {
    static func placeholder(_ index: Int) -> String { "[redacted-\(index + 1)]" }

    static func key(_ serverSecret: String) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data(("notifications|" + serverSecret).utf8)))
    }

    static func seal(_ secrets: [String], serverSecret: String) throws -> String? {
        guard !secrets.isEmpty else { return nil }
        let box = try ChaChaPoly.seal(try JSONEncoder().encode(secrets), using: key(serverSecret))
        return box.combined.base64EncodedString()
    }

    static func open(_ sealed: String?, serverSecret: String) -> [String] {
        guard let sealed, let data = Data(base64Encoded: sealed), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(box, using: key(serverSecret))
        else { return [] }
        return (try? JSONDecoder().decode([String].self, from: plain)) ?? []
    }

    /// The stored body with its secrets put back, for a delivery attempt.
    static func restore(_ body: String, secrets: [String]) -> String {
        secrets.enumerated().reduce(body) { text, item in text.replacingOccurrences(of: placeholder(item.offset), with: item.element) }
    }
}

/// How mail leaves the building. The channels issue brings the SMTP transport; until then the log transport
/// writes each mail to the log. Every mail is also kept in `notifications` so nothing sent is lost.
protocol MailTransport: Sendable {
    func deliver(_ mail: OutgoingMail, logger: Logger) async throws
}

struct LogMailTransport: MailTransport {
    func deliver(_ mail: OutgoingMail, logger: Logger) async throws {
        logger.notice("mail to \(mail.to): \(mail.subject)\n\(mail.redactedBody)")
    }
}

struct MailTransportKey: StorageKey { typealias Value = any MailTransport }

extension Application {
    var mailTransport: any MailTransport {
        get { storage[MailTransportKey.self] ?? LogMailTransport() }
        set { storage[MailTransportKey.self] = newValue }
    }
}

enum Mailer {
    /// Records the mail as a notification, then hands it to the transport and marks it sent.
    static func send(_ mail: OutgoingMail, kind: NotificationKind, agencyID: UUID?, userID: UUID?, on req: Request) async throws {
        try await send(mail, kind: kind, agencyID: agencyID, userID: userID, db: req.db, app: req.application)
    }

    /// The same from background work, which has the application and no request.
    static func send(_ mail: OutgoingMail, kind: NotificationKind, agencyID: UUID?, userID: UUID?, db: any Database, app: Application) async throws {
        let n = NotificationRecord()
        n.agencyID = agencyID
        n.userID = userID
        n.kind = kind
        n.channel = .email
        n.recipient = mail.to
        n.subject = mail.subject
        n.body = mail.redactedBody
        n.sealedSecrets = try MailSecrets.seal(mail.secrets, serverSecret: app.onspot.secretKey)
        n.status = .pending
        n.attempts = 0
        n.createdAt = AppClock.now
        try await n.create(on: db)
        try await attempt(n, app: app, db: db)
    }

    static let maximumAttempts = 6

    /// One delivery attempt; a failure is retried later with backoff (1, 2, 4, 8, 16 minutes), then left as failed.
    static func attempt(_ n: NotificationRecord, app: Application, db: any Database) async throws {
        n.attempts += 1
        do {
            let secrets = MailSecrets.open(n.sealedSecrets, serverSecret: app.onspot.secretKey)
            let mail = OutgoingMail(to: n.recipient, subject: n.subject, body: MailSecrets.restore(n.body, secrets: secrets), secrets: secrets)
            try await app.mailTransport.deliver(mail, logger: app.logger)
            n.status = .sent
            n.sentAt = AppClock.now
            n.nextAttemptAt = nil
        } catch {
            app.logger.error("mail delivery failed (attempt \(n.attempts)): \(String(reflecting: error))")
            n.status = .failed
            n.nextAttemptAt = n.attempts < maximumAttempts ? AppClock.now.addingTimeInterval(60 * pow(2, Double(n.attempts - 1))) : nil
        }
        try await n.save(on: db)
    }

    /// Retries the failed mails that are due, claimed so that two workers never send the same one (the lease covers an
    /// SMTP conversation's timeouts several times over).
    @discardableResult
    static func retryDue(app: Application, now: Date) async throws -> Int {
        let failed = NotificationStatus.failed.rawValue
        let (claim, due) = try await Lease.claimRows(
            NotificationRecord.self,
            due: "channel = \(bind: NotificationChannel.email.rawValue) AND status = \(bind: failed) AND next_attempt_at <= \(bind: now)",
            order: "next_attempt_at", limit: 50, seconds: 300, on: app.db)
        return try await Lease.workThrough(due, of: claim, pending: failed, seconds: 300, on: app.db) { n in
            try await attempt(n, app: app, db: app.db)
            return n.status == .sent
        }
    }

    static func startRetrying(_ app: Application, every seconds: Int64 = 30) {
        app.repeatInBackground(every: seconds, after: 5, name: "mail retry") { try await retryDue(app: app, now: AppClock.now) }
    }
}

/// Called by `onspot serve`.
public func startMailRetries(_ app: Application) { Mailer.startRetrying(app) }
