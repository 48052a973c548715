import Foundation

extension WorkflowEngine {
    /// Drives a waiting run to its end on a virtual clock, for dry runs and tests: an open callback or approval
    /// that `decide` answers is completed with that answer; otherwise the clock jumps to the run's wake time, so
    /// timers fire and unanswered waits time out. Gives up after `limit` turns.
    public func runToEnd(
        _ started: RunRecord, clock: VirtualClock, limit: Int = 1000, decide: (WaitRecord) -> WaitResolution?
    ) async throws -> RunRecord {
        var run = started
        for _ in 0..<limit where run.status == .waiting {
            let done = Set(try await environment.journal.steps(of: run.id).map(\.key))
            let open = try await environment.journal.waits(of: run.id).filter { $0.resolution == nil && !done.contains($0.key) }
            var answered: (WaitRecord, WaitResolution)?
            for wait in open where answered == nil { answered = decide(wait).map { (wait, $0) } }
            if let (wait, resolution) = answered {
                run = try await signal(run.id, token: wait.token, resolution: resolution) ?? run
            } else if let wake = run.wakeAt {
                clock.advance(by: max(0, wake.timeIntervalSince(clock.now)) + 0.001)
                run = try await resume(run.id) ?? run
            } else {
                break
            }
        }
        return run
    }
}
