import Fluent
import Foundation
import Vapor

struct OutgoingMail: Sendable {
    var to: String
    var subject: String
    var body: String
}

/// How mail leaves the building. The channels issue brings the SMTP transport; until then the log transport
/// writes each mail to the log. Every mail is also kept in `notifications` so nothing sent is lost.
protocol MailTransport: Sendable {
    func deliver(_ mail: OutgoingMail, logger: Logger) async throws
}

struct LogMailTransport: MailTransport {
    func deliver(_ mail: OutgoingMail, logger: Logger) async throws {
        logger.notice("mail to \(mail.to): \(mail.subject)\n\(mail.body)")
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
    static func send(_ mail: OutgoingMail, kind: String, agencyID: UUID?, userID: UUID?, on req: Request) async throws {
        try await send(mail, kind: kind, agencyID: agencyID, userID: userID, db: req.db, app: req.application)
    }

    /// The same from background work, which has the application and no request.
    static func send(_ mail: OutgoingMail, kind: String, agencyID: UUID?, userID: UUID?, db: any Database, app: Application) async throws {
        let n = NotificationRecord()
        n.agencyID = agencyID
        n.userID = userID
        n.kind = kind
        n.channel = "email"
        n.recipient = mail.to
        n.subject = mail.subject
        n.body = mail.body
        n.status = "pending"
        n.attempts = 0
        n.createdAt = Date()
        try await n.create(on: db)
        try await attempt(n, app: app, db: db)
    }

    static let maximumAttempts = 6

    /// One delivery attempt; a failure is retried later with backoff (1, 2, 4, 8, 16 minutes), then left as failed.
    static func attempt(_ n: NotificationRecord, app: Application, db: any Database) async throws {
        n.attempts += 1
        do {
            try await app.mailTransport.deliver(OutgoingMail(to: n.recipient, subject: n.subject, body: n.body), logger: app.logger)
            n.status = "sent"
            n.sentAt = Date()
            n.nextAttemptAt = nil
        } catch {
            app.logger.error("mail delivery failed (attempt \(n.attempts)): \(String(reflecting: error))")
            n.status = "failed"
            n.nextAttemptAt = n.attempts < maximumAttempts ? Date().addingTimeInterval(60 * pow(2, Double(n.attempts - 1))) : nil
        }
        try await n.save(on: db)
    }

    /// Retries the failed mails that are due.
    @discardableResult
    static func retryDue(app: Application, now: Date = Date()) async throws -> Int {
        let due = try await NotificationRecord.query(on: app.db).filter(\.$channel == "email").filter(\.$status == "failed")
            .filter(\.$nextAttemptAt <= now).sort(\.$nextAttemptAt).limit(50).all()
        for n in due { try await attempt(n, app: app, db: app.db) }
        return due.filter { $0.status == "sent" }.count
    }

    static func startRetrying(_ app: Application, every seconds: Int64 = 30) {
        app.repeatInBackground(every: seconds, after: 5, name: "mail retry") { try await retryDue(app: app) }
    }
}

final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "channel") var channel: String
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    init() {}
}

/// Called by `onspot serve`.
public func startMailRetries(_ app: Application) { Mailer.startRetrying(app) }
