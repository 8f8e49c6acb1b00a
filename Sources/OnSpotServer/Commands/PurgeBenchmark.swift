import Fluent
import NIOConcurrencyHelpers
import Foundation
import OnSpotCore
import SQLKit
import Vapor

/// `onspot bench-purge`: seeds a database with agencies, travellers, conversations, messages, attachments, notifications
/// and raw webhook bodies, half of them past their retention, then runs the retention purge while a probe commits a raw
/// webhook every 20 ms as the intake does, and prints how long the purge took and how long the intake waited before and
/// during it. Use a fresh database (`--database` file, or DATABASE_URL for PostgreSQL): it writes a lot (BENCHMARKS.md).
struct PurgeBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "agencies", help: "Agencies (default 50)") var agencies: Int?
        @Option(name: "travellers", help: "Travellers per agency, half on a trip back 40 months ago (default 20)") var travellers: Int?
        @Option(name: "messages", help: "Messages per traveller (default 200)") var messages: Int?
    }
    var help: String { "Seeds expired and current data, then measures the retention purge and the intake's latency during it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate().get()
        // It seeds fake agencies and runs a real purge: never on a database that holds anything already.
        guard try await Agency.query(on: app.db).count() == 0 else {
            throw Abort(.conflict, reason: "bench-purge needs a fresh database (--database PATH of a new file, or an empty DATABASE_URL)")
        }
        let agencies = min(max(signature.agencies ?? 50, 1), 10_000)
        let travellers = min(max(signature.travellers ?? 20, 2), 10_000)
        let messages = min(max(signature.messages ?? 200, 1), 100_000)
        let clock = ContinuousClock()
        let seedStart = clock.now
        let seeded = try await PurgeBenchmark.seed(agencies: agencies, travellers: travellers, messages: messages, app: app)
        context.console.print("seeded in \(PurgeBenchmark.seconds(clock.now - seedStart)) s: \(seeded)")

        let before = try await PurgeBenchmark.probe(app: app, seconds: 3) {}
        context.console.print("intake alone: \(before.line)")
        let outcome = NIOLockedValueBox((RetentionPurge.Report(), Duration.zero))
        let during = try await PurgeBenchmark.probe(app: app, seconds: nil) {
            let start = clock.now
            let report = try await RetentionPurge.run(at: AppClock.now, app: app)
            outcome.withLockedValue { $0 = (report, clock.now - start) }
        }
        let (report, took) = outcome.withLockedValue { $0 }
        let rows =
            report.total.travellers + report.total.messages + report.total.cases + report.total.conversations
            + report.total.attachments + report.total.notifications + report.total.logs
        context.console.print(
            "purge: \(PurgeBenchmark.seconds(took)) s, \(Int(Double(rows) / max(0.001, took.inSeconds))) rows/s: \(report.total.line)"
        )
        context.console.print(
            "purge steps: "
                + report.seconds.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", "))
        context.console.print("intake during the purge: \(during.line)")
        let again = try await RetentionPurge.run(at: AppClock.now, app: app)
        context.console.print("second run: \(again.total.isEmpty ? "nothing left to remove" : again.total.line)")
    }
}

enum PurgeBenchmark {
    static func seconds(_ d: Duration) -> String { String(format: "%.2f", d.inSeconds) }

    struct Latencies {
        var samples: [Double] = []
        var failures = 0
        func percentile(_ p: Double) -> Double { Percentile.of(samples, p) }
        var line: String {
            String(
                format: "%d commits, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms", samples.count - failures, failures, percentile(0.5),
                percentile(0.99), samples.max() ?? 0)
        }
    }

    /// Commits a raw webhook body every 20 ms on the intake's connection while `work` runs (or for `seconds`), and
    /// returns each commit's latency.
    static func probe(app: Application, seconds: Double?, _ work: @escaping @Sendable () async throws -> Void) async throws -> Latencies {
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: Latencies?.self) { group in
            let done = ManagedFlag()
            group.addTask {
                if let seconds { try await Task.sleep(for: .seconds(seconds)) } else { try await work() }
                done.set()
                return nil
            }
            group.addTask {
                var latencies = Latencies()
                var i = 0
                while !done.isSet {
                    let body = Data(#"{"probe":\#(i)}"#.utf8)
                    let start = clock.now
                    do {
                        _ = try await InboundIntake.store(channel: .whatsapp, body: body, items: [], on: app.intakeDB)
                    } catch {
                        latencies.failures += 1
                        app.logger.error("intake probe: \(String(reflecting: error))")
                    }
                    let elapsed = clock.now - start
                    latencies.samples.append(elapsed.inMilliseconds)
                    i += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                return latencies
            }
            var result = Latencies()
            for try await item in group { if let item { result = item } }
            return result
        }
    }

    final class ManagedFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// Per agency: `travellers` travellers, half on a trip back 40 months ago (due), half on one back last month
    /// (kept), each with a WhatsApp conversation of `messages` messages, a photo every tenth message, and a
    /// notification per traveller; plus as many processed raw webhook bodies as messages, half older than 6 months.
    static func seed(agencies: Int, travellers: Int, messages: Int, app: Application) async throws -> String {
        let db = app.db
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        guard let plan = try await PlanRecord.query(on: db).filter(\.$code == .plus).first(),
            let nyc = try await DestinationRecord.query(on: db).filter(\.$code == "us-nyc").first()
        else { throw Abort(.internalServerError, reason: "reference data missing") }
        let now = AppClock.now
        let old = now.addingTimeInterval(-40 * 30.5 * 86400)
        let recent = now.addingTimeInterval(-30 * 86400)
        var counts = (messages: 0, attachments: 0, raw: 0)
        for a in 0..<agencies {
            let agency = Agency()
            agency.name = "Bench \(a)"
            agency.contactName = "Bench"
            agency.contactEmail = "bench\(a)@bench.example"
            agency.currency = .EUR
            agency.timeZone = "Europe/Paris"
            agency.language = .fr
            agency.$plan.id = try plan.requireID()
            agency.status = .active
            agency.createdAt = now
            try await agency.create(on: db)
            for t in 0..<travellers {
                let returned = t % 2 == 0 ? old : recent
                let draft = TripDraft(
                    reference: "B\(a)-\(t)", destinationCodes: ["us-nyc"], departure: returned.addingTimeInterval(-10 * 86400), arrival: nil,
                    returnDate: returned, notes: nil,
                    travellers: [TravellerDraft(firstName: "T\(t)", lastName: "Bench\(a)", phone: "+1650\(String(format: "%04d%03d", a, t))")])
                guard
                    case .success(let valid) = TripValidation.validate(
                        draft, knownDestinations: ["us-nyc"], now: now, purpose: .seed, defaultLanguage: .fr)
                else { throw Abort(.internalServerError, reason: "bench trip invalid") }
                let trip = try await TripService.create(valid, agency: agency, userID: nil, on: db)
                let link = try await TripTraveller.query(on: db).filter(\.$trip.$id == trip.requireID()).first()
                let conversation = Conversation()
                conversation.channel = .whatsapp
                conversation.externalUserID = "1650\(String(format: "%04d%03d", a, t))"
                conversation.destinationID = nyc.id
                conversation.agencyID = agency.id
                conversation.travellerID = link?.$traveller.id
                conversation.tripID = trip.id
                conversation.identified = true
                conversation.lastInboundAt = returned
                conversation.createdAt = returned.addingTimeInterval(-20 * 86400)
                try await conversation.create(on: db)
                var messageRows: [[any SQLExpression]] = []
                var attachmentRows: [[any SQLExpression]] = []
                var rawRows: [[any SQLExpression]] = []
                for m in 0..<messages {
                    let id = UUID()
                    let at = returned.addingTimeInterval(-Double(messages - m) * 60)
                    messageRows.append([
                        SQLBind(id), SQLBind(try conversation.requireID()), SQLBind("inbound"), SQLBind("whatsapp"), SQLBind("wamid.\(id)"),
                        SQLBind("text"), SQLBind("Bench message \(m) from traveller \(t) of agency \(a)"), SQLBind("received"), SQLBind(at)
                    ])
                    if m % 10 == 0 {
                        attachmentRows.append([
                            SQLBind(UUID()), SQLBind(id), SQLBind("media-\(id)"), SQLBind("image/jpeg"), SQLBind(Data(count: 2048)),
                            SQLBind("stored"), SQLBind(1), SQLBind(at)
                        ])
                    }
                    rawRows.append([
                        SQLBind(UUID()), SQLBind("whatsapp"), SQLBind(Data(#"{"bench":"\#(id)"}"#.utf8)), SQLBind(at), SQLBind(at), SQLBind(1)
                    ])
                }
                for chunk in messageRows.chunked(500) {
                    try await sql.insert(into: "messages")
                        .columns("id", "conversation_id", "direction", "channel", "provider_message_id", "kind", "body", "status", "created_at")
                        .rows(chunk).run()
                }
                for chunk in attachmentRows.chunked(500) {
                    try await sql.insert(into: "attachments")
                        .columns("id", "message_id", "provider_media_id", "mime_type", "data", "status", "attempts", "created_at").rows(chunk).run()
                }
                for chunk in rawRows.chunked(500) {
                    try await sql.insert(into: "inbound_events").columns("id", "channel", "body", "received_at", "processed_at", "attempts")
                        .rows(chunk).run()
                }
                counts.messages += messageRows.count
                counts.attachments += attachmentRows.count
                counts.raw += rawRows.count
                let notice = NotificationRecord()
                notice.agencyID = agency.id
                notice.kind = .caseResolved
                notice.channel = .email
                notice.recipient = "bench\(a)@bench.example"
                notice.subject = "Case resolved for T\(t) Bench\(a)"
                notice.body = "Bench"
                notice.status = .sent
                notice.attempts = 1
                notice.createdAt = returned
                try await notice.create(on: db)
            }
        }
        return
            "\(agencies) agencies, \(agencies * travellers) travellers and trips (half back 40 months ago), \(counts.messages) messages, \(counts.attachments) attachments, \(counts.raw) raw webhook bodies, \(agencies * travellers) notifications"
    }
}
