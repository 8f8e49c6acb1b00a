import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The server's "now": the one place that reads the system clock. A test stops it at an instant and moves it,
/// instead of waiting or computing offsets; production never sets it.
///
/// One clock per process, as SwiftPackageIndex-Server's `Current.date`: rules deep in the services and the models'
/// initialisers run with a database and no application at hand, and threading a clock through each would touch every
/// signature for nothing a process-wide value doesn't give. Tests run one at a time; `TestSupport` releases the clock
/// after each.
public final class AppClock: Sendable {
    private let frozen = NIOLockedValueBox<Date?>(nil)

    private init() {}

    public static let current = AppClock()

    /// The current instant of the process clock.
    public static var now: Date { current.now() }

    public func now() -> Date { frozen.withLockedValue { $0 } ?? Date() }

    /// Stops the clock at `instant`: `now()` answers it until the clock is moved or released.
    public func set(_ instant: Date) { frozen.withLockedValue { $0 = instant } }

    /// Moves the clock forward, stopping it first at the current time if it runs.
    public func advance(by interval: TimeInterval) {
        frozen.withLockedValue { $0 = ($0 ?? Date()).addingTimeInterval(interval) }
    }

    /// Lets the clock follow the system's again.
    public func release() { frozen.withLockedValue { $0 = nil } }
}

extension Application {
    public var clock: AppClock { .current }
}

extension Request {
    /// The process clock's current instant.
    var now: Date { AppClock.now }
}
