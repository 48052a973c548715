import Foundation
import Logging
import ServiceLifecycle
import WorkflowEngine

/// Keeps runs going: resumes runs that a stopped process left unfinished, fires due timers, continues runs whose
/// waits were completed, and stops runs another process asked to cancel. Between looks it sleeps for `poll`, or less
/// when the journal announces work (`WorkSignalling`). A `Service`: it ends gracefully when its
/// service group shuts down (SIGTERM, SIGINT), after the pass it is in; runs it leaves are resumed by the next worker.
public struct RunWorker: Service {
    public let engine: WorkflowEngine
    /// The pause between looks when nothing could go on.
    public var poll: Duration
    /// End once no run can go on now, instead of waiting for more.
    public var untilIdle: Bool
    let logger: Logger
    let finished: @Sendable (Int) -> Void

    /// `finished` is told, at the end, how many runs this worker brought to an end.
    public init(
        engine: WorkflowEngine, poll: Duration = .milliseconds(500), untilIdle: Bool = false,
        logger: Logger = Logger(label: "baton.worker"), finished: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.engine = engine
        self.poll = poll
        self.untilIdle = untilIdle
        self.logger = logger
        self.finished = finished
    }

    public func run() async throws {
        var count = 0
        defer { finished(count) }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try await engine.honourCancellationRequests()
            let resumed = try await engine.resumeDue()
            count += resumed.filter(\.status.isTerminal).count
            if resumed.isEmpty {
                if untilIdle, try await engine.environment.journal.runs(RunQuery(resumableAt: engine.environment.clock.now, limit: 1)).isEmpty {
                    return
                }
                // Sleep until the poll interval passes, work is announced (on journals that announce it) or shutdown
                // begins, whichever is first.
                try? await cancelWhenGracefulShutdown { [poll] in
                    if let signals = engine.environment.journal as? any WorkSignalling {
                        await signals.waitForWork(upTo: poll)
                    } else {
                        try await Task.sleep(for: poll)
                    }
                }
            }
        }
        logger.info("worker stopping", metadata: ["finished": "\(count)"])
    }
}

