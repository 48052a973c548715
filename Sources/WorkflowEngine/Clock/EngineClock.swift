import Foundation
import Synchronization

/// Where the engine gets the time and how it waits: the wall clock in production, a virtual one in tests and
/// dry runs, so backoff and timeouts take no real time there.
public protocol EngineClock: Sendable {
    var now: Date { get }
    /// Returns at `deadline` (at once when it has passed); throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The wall clock.
public struct SystemClock: EngineClock {
    public init() {}
    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) } else { try Task.checkCancellation() }
    }
}

/// A clock that jumps forward when asked to sleep, and records how long each sleep was.
public final class VirtualClock: EngineClock {
    private let state: Mutex<(now: Date, sleeps: [TimeInterval])>

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex((start, []))
    }

    public var now: Date { state.withLock { $0.now } }
    /// Every sleep asked for, in seconds, in order.
    public var sleeps: [TimeInterval] { state.withLock { $0.sleeps } }

    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(max(0, deadline.timeIntervalSince(state.now)))
            if deadline > state.now { state.now = deadline }
        }
        await Task.yield()
    }

    public func advance(by seconds: TimeInterval) {
        state.withLock { $0.now += seconds }
    }
}
