import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Background work of a server process, stopped and drained before the databases close.
final class BackgroundWork: Sendable {
    private let state = NIOLockedValueBox<(stopped: Bool, running: Int, tasks: [RepeatedTask])>((false, 0, []))

    var isStopped: Bool { state.withLockedValue { $0.stopped } }

    func add(_ task: RepeatedTask) { state.withLockedValue { $0.tasks.append(task) } }

    func begin() -> Bool {
        state.withLockedValue { s in
            guard !s.stopped else { return false }
            s.running += 1
            return true
        }
    }

    func end() { state.withLockedValue { $0.running -= 1 } }

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
    func repeatInBackground(every seconds: Int64, after delay: Int64, name: String, _ work: @escaping @Sendable () async throws -> Void) {
        let logger = self.logger
        let loop = eventLoopGroup.next()
        let background = backgroundWork
        let task = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(delay), delay: .seconds(seconds)) { _ in
            loop.makeFutureWithTask {
                guard background.begin() else { return }
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
