import Synchronization

/// The runs an engine is executing, by id, and whether its heartbeat is going.
final class ActiveRuns: Sendable {
    struct Run: Sendable {
        var task: Task<RunRecord, Never>?
        /// A wait of the run was completed while it was executing: go round again before leaving it waiting.
        var wakeRequested = false
        /// Another owner took the run: its execution is cancelled and nothing more of it is written.
        var leaseLost = false
    }

    private struct State {
        var runs: [String: Run] = [:]
        var beating = false
    }

    private let state = Mutex(State())

    func withLock<T: Sendable>(_ body: (inout [String: Run]) -> T) -> T {
        state.withLock { body(&$0.runs) }
    }

    /// Marks a run as lost and cancels its execution; with `task`, only while that task is the one executing it.
    func leaseLost(_ runID: String, task: Task<RunRecord, Never>? = nil) {
        let running: Task<RunRecord, Never>? = state.withLock { state in
            guard state.runs[runID] != nil, task == nil || state.runs[runID]?.task == task else { return nil }
            state.runs[runID]?.leaseLost = true
            return state.runs[runID]?.task
        }
        running?.cancel()
    }

    /// Records that the heartbeat is going; true when it was not, and the caller is to start it.
    func startBeating() -> Bool {
        state.withLock { state in
            defer { state.beating = true }
            return !state.beating
        }
    }

    /// The runs being executed, with their tasks. When there are none the heartbeat is recorded as stopped, in the
    /// same step, so a run that starts afterwards starts it again.
    func executingOrStop() -> [String: Task<RunRecord, Never>] {
        state.withLock { state in
            let executing = state.runs.compactMapValues(\.task)
            if executing.isEmpty { state.beating = false }
            return executing
        }
    }
}
