import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Background work of a server process, stopped and drained before the databases close.
final class BackgroundWork: Sendable {
    private let state = NIOLockedValueBox<(stopped: Bool, running: Int, tasks: [RepeatedTask], disabled: Bool)>((false, 0, [], false))

    var isStopped: Bool { state.withLockedValue { $0.stopped } }

    /// A web process started with `--no-background` does none: no loops, and the work a request would start at once
    /// (processing a webhook, sending a reply, delivering an agency webhook) is left to the worker's loops, which find
    /// it in the tables within seconds.
    var isDisabled: Bool {
        get { state.withLockedValue { $0.disabled } }
        set { state.withLockedValue { $0.disabled = newValue } }
    }

    func add(_ task: RepeatedTask) { state.withLockedValue { $0.tasks.append(task) } }

    /// `web`: work that belongs to the web process itself (its own sockets), done even with `--no-background`.
    func begin(web: Bool = false) -> Bool {
        state.withLockedValue { s in
            guard !s.stopped, web || !s.disabled else { return false }
            s.running += 1
            return true
        }
    }

    func end() { state.withLockedValue { $0.running -= 1 } }

    /// Waits until the process is told to stop (SIGTERM or SIGINT): the worker's whole life.
    static func untilSignalled() async {
        let once = NIOLockedValueBox(false)
        var sources: [any DispatchSourceSignal] = []
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    guard
                        once.withLockedValue({ first in
                            defer { first = true }; return !first
                        })
                    else { return }
                    done.resume()
                }
                source.resume()
                sources.append(source)
            }
        }
        for source in sources { source.cancel() }
    }

    /// Cancels the repeating tasks, refuses new work, and waits up to 10 s for what runs.
    func stop() async {
        let tasks = state.withLockedValue { s -> [RepeatedTask] in
            s.stopped = true
            defer { s.tasks = [] }
            return s.tasks
        }
        for task in tasks { task.cancel() }
        for _ in 0..<500 where state.withLockedValue({ $0.running }) > 0 {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}

struct BackgroundWorkKey: StorageKey { typealias Value = BackgroundWork }

struct BackgroundWorkStopper: LifecycleHandler {
    func shutdownAsync(_ application: Application) async { await application.backgroundWork.stop() }
}

extension Application {
    /// Runs `work` every few seconds while serving; a failing run is logged and the next one tries again.
    func repeatInBackground(
        every seconds: Int64, after delay: Int64, name: String, web: Bool = false, _ work: @escaping @Sendable () async throws -> Void
    ) {
        let logger = self.logger
        let loop = eventLoopGroup.next()
        let background = backgroundWork
        guard web || !background.isDisabled else { return }
        let task = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(delay), delay: .seconds(seconds)) { _ in
            loop.makeFutureWithTask {
                guard background.begin(web: web) else { return }
                defer { background.end() }
                do { try await work() } catch { logger.error("\(name) failed: \(String(reflecting: error))") }
            }
        }
        background.add(task)
    }

    /// Work started by a request that outlives it (a delivery, a processing run): never after shutdown has begun,
    /// and shutdown waits for it, so nothing touches the databases once they are closed.
    func inBackground(_ work: @escaping @Sendable () async -> Void) {
        let background = backgroundWork
        guard background.begin() else { return }
        Task {
            defer { background.end() }
            await work()
        }
    }

    var backgroundWork: BackgroundWork {
        if let existing = storage[BackgroundWorkKey.self] { return existing }
        let created = BackgroundWork()
        storage[BackgroundWorkKey.self] = created
        lifecycle.use(BackgroundWorkStopper())
        return created
    }
}

/// Everything a process does beside answering requests: raw webhooks stored before a crash are processed first, then
/// the loops (webhook processing, replies, agency webhooks, approval reminders, attachments, mail, scheduled work with
/// the retention purge). `onspot serve` runs it unless `--no-background`; `onspot worker` runs only this.
public func startBackgroundWork(_ app: Application) async throws {
    _ = try await InboundProcessor.sweep(on: app.db)
    InboundProcessor.startSweeping(app)
    OutboxSender.startSending(app)
    AgencyWebhooks.startDelivering(app)
    ApprovalService.startBackgroundRuns(app)
    AttachmentFetcher.startFetching(app)
    Mailer.startRetrying(app)
    ScheduledWork.start(app)
    WeatherAlerts.start(app)
    FlightAlerts.start(app)
}

/// `serve --no-background`: this process answers requests only.
public func disableBackgroundWork(_ app: Application) { app.backgroundWork.isDisabled = true }
