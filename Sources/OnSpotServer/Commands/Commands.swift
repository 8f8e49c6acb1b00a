import Fluent
import OnSpotCore
import Vapor

/// `onspot migrate`: applies pending migrations without asking (CI and deploy scripts have no terminal).
struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate().get()
        context.console.print("Migrations applied.")
    }
}

extension Application {
    /// Registers the project's commands beside Vapor's `serve`.
    public func registerOnSpotCommands() {
        asyncCommands.use(DrainingServeCommand(), as: "serve", isDefault: true)
        asyncCommands.use(MigrateNowCommand(), as: "migrate")
        asyncCommands.use(DemoCommand(), as: "demo")
        asyncCommands.use(JobsCommand(), as: "jobs")
        asyncCommands.use(WorkerCommand(), as: "worker")
        asyncCommands.use(PurgeBenchmarkCommand(), as: "bench-purge")
        asyncCommands.use(AlertsBenchmarkCommand(), as: "bench-alerts")
    }
}

/// `onspot jobs JOB [--date YYYY-MM-DD]`: one scheduled run for a given day (invoices, dunning, expiry or all), at noon
/// in OnSpot's billing zone. Job keys make a rerun harmless: the invoice run of a month issues once.
struct JobsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "job", help: "invoices, dunning, expiry, purge or all")
        var job: String
        @Option(name: "date", help: "The day to run for, YYYY-MM-DD in OnSpot's billing zone (default: now)")
        var date: String?
    }
    var help: String { "Runs the scheduled work for a day: invoices, dunning, expiry, the retention purge, or all." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate().get()
        var when = AppClock.now
        if let text = signature.date {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, let day = app.billingCalendar.date(year: parts[0], month: parts[1], day: parts[2], hour: 12) else {
                throw Abort(.badRequest, reason: "--date needs YYYY-MM-DD")
            }
            when = day
        }
        guard ["invoices", "dunning", "expiry", "purge", "all"].contains(signature.job) else {
            throw Abort(.badRequest, reason: "job must be invoices, dunning, expiry, purge or all")
        }
        for line in try await ScheduledWork.run(signature.job, at: when, app: app) { context.console.print(line) }
    }
}

/// `onspot demo [--scale N]`: the demo data, and with `--scale` N agencies of a realistic size beside it (see
/// `DemoScale`), into the configured database, then exits.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "scale", help: "agencies of 1,000 trips and 10,000 messages each to add (1 to 1000)")
        var scale: Int?
    }
    var help: String { "Seeds the demo data; with --scale N, N agencies of realistic size beside it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let scale = signature.scale else {
            try await DemoSeed.run(on: app, now: AppClock.now)
            context.console.print("Demo data seeded.")
            return
        }
        guard (1...1000).contains(scale) else { throw Abort(.badRequest, reason: "--scale must be a whole number from 1 to 1000") }
        let started = ContinuousClock.now
        let summary = try await DemoScale.run(agencies: scale, app: app, now: AppClock.now)
        let seconds = (ContinuousClock.now - started).inSeconds
        context.console.print("Seeded \(summary) in \(String(format: "%.1f", seconds)) s.")
        context.console.print("Agency admins: \(DemoScale.adminEmail(1)) … \(DemoScale.adminEmail(scale)) / \(DemoSeed.password)")
    }
}

/// `onspot worker`: all the background work and no HTTP, for deployments that run web processes with
/// `serve --no-background`; it stops on SIGTERM or SIGINT after the work under way is done.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Runs all the background work (webhook processing, replies, deliveries, mail, scheduled work) until stopped." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate().get()
        try await startBackgroundWork(app)
        context.console.print("OnSpot worker: background work running; SIGTERM or SIGINT stops it")
        await BackgroundWork.untilSignalled()
        context.console.print("OnSpot worker: stopping after the work under way")
        await app.backgroundWork.stop()
    }
}

enum ScheduledWork {
    static func run(_ job: String, at when: Date, app: Application) async throws -> [String] {
        var lines: [String] = []
        if job == "invoices" || job == "all" {
            if let summary = try await Invoicing.runInvoices(on: when, app: app, db: app.db) {
                lines.append(
                    summary.alreadyRun
                        ? "invoices \(summary.period): already issued, nothing done"
                        : "invoices \(summary.period): \(summary.invoices) invoice(s), \(summary.lines) line(s)")
            } else if job == "invoices" {
                lines.append("invoices: not the 1st of the month in \(app.onspot.billingTimeZone), no monthly run")
            }
            let catchUp = try await Invoicing.runCatchUp(at: when, app: app, db: app.db)
            if catchUp != Invoicing.CatchUpSummary() {
                lines.append(
                    "supplementary invoices: \(catchUp.invoices) invoice(s), \(catchUp.lines) line(s); \(catchUp.creditNotes) credit note(s)")
            }
            let refunds = try await Cancellations.runDue(at: when, app: app, db: app.db)
            if refunds.resent + refunds.retried > 0 {
                lines.append("refunds: \(refunds.resent) unanswered sent again, \(refunds.retried) refused tried again")
            }
        }
        if job == "dunning" || job == "all" {
            let d = try await Dunning.runDunning(on: when, app: app, db: app.db)
            lines.append("dunning: \(d.reminders) reminder(s), \(d.finalReminders) final reminder(s), \(d.cancellations) cancellation(s)")
            let light = try await LightPayments.runDue(at: when, app: app, db: app.db)
            if light != LightPayments.Summary() {
                lines.append(
                    "unpaid LIGHT trips: \(light.reminders) reminder(s), \(light.released) released, \(light.extraReminders) extra-days reminder(s)")
            }
        }
        if job == "expiry" || job == "all" {
            let expiry = try await CreditsService.runExpiry(on: when, app: app, db: app.db)
            let credited = try await CreditsService.creditPendingCommissions(on: app.db)
            lines.append(
                "credits: \(credited) commission(s) credited, \(expiry.notices) expiry notice(s), \(expiry.expired) agency balance(s) expired")
        }
        // Last, and on its own: a long or failing purge never holds back or skips the billing work above. Never for a
        // day ahead: a future date would move every cut-off forward and erase what is still kept.
        if job == "purge" || job == "all" {
            if when > AppClock.now.addingTimeInterval(3600) {
                lines.append("retention purge: not run for a future date")
            } else {
                do {
                    if let report = try await RetentionPurge.runDaily(at: when, app: app) {
                        lines.append("retention purge: \(report.total.line)")
                    } else if job == "purge" {
                        lines.append("retention purge: already run today, nothing done")
                    }
                } catch {
                    app.logger.error("retention purge failed: \(String(reflecting: error))")
                    lines.append("retention purge failed: \(error)")
                }
            }
        }
        return lines
    }

    /// While serving: the same work every minute (in one process at a time: `WorkLease`), or every
    /// `ONSPOT_SCHEDULED_WORK_SECONDS` (1 to 3600; the browser suite uses a few seconds so a late registration's
    /// supplementary invoice appears while it waits).
    static func start(_ app: Application) {
        let seconds = Environment.get("ONSPOT_SCHEDULED_WORK_SECONDS").flatMap(Int64.init).flatMap { (1...3600).contains($0) ? $0 : nil } ?? 60
        app.repeatInBackground(every: seconds, after: min(10, seconds), name: "scheduled billing") {
            // One process at a time among all those on the database.
            try await WorkLease.run(.scheduledWork, on: app.db) { _ = try await run("all", at: AppClock.now, app: app) }
        }
    }
}

public func startScheduledBilling(_ app: Application) { ScheduledWork.start(app) }
