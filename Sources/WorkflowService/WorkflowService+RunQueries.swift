import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// Runs, newest first: of one workflow (an id or name) when given, with any of `statuses` when given.
    public func runs(workflow reference: String? = nil, statuses: Set<RunStatus>? = nil, limit: Int = 50) async throws -> [RunRecord] {
        guard (1...1000).contains(limit) else { throw ServiceError(.notAllowed, "a limit is 1 to 1000, not \(limit)") }
        let workflowID: Int64? = if let reference { try await repository.workflow(reference).id } else { nil }
        return try await journal.runs(RunQuery(workflowID: workflowID, statuses: statuses, limit: limit))
    }

    /// Runs that failed for good (failed, or compensated after a failure): what `replay` starts again.
    public func deadLetters(workflow reference: String? = nil, limit: Int = 50) async throws -> [RunRecord] {
        try await runs(workflow: reference, statuses: [.failed, .compensated], limit: limit)
    }

    /// A run with every recorded step outcome and wait.
    public func detail(_ id: String) async throws -> (run: RunRecord, steps: [StepRecord], waits: [WaitRecord]) {
        let record = try await run(id)
        return (record, try await journal.steps(of: record.id), try await journal.waits(of: record.id))
    }

    /// A run with every recorded step outcome and wait, as JSON.
    public func trace(_ id: String) async throws -> JSONValue {
        let (record, steps, waits) = try await detail(id)
        return RunJSON.trace(record, steps: steps, waits: waits)
    }

    /// Waits until a run ends, or waits for something from outside (a callback, an approval), or `timeout` passes,
    /// and returns it as it then stands.
    public func awaitOutcome(of id: String, timeout: Duration, clock: ContinuousClock = ContinuousClock()) async throws -> RunRecord {
        let deadline = clock.now.advanced(by: timeout)
        var record = try await run(id)
        while !record.status.isTerminal, try await !waitsForOutside(record), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(25))
            record = try await run(id)
        }
        return record
    }

    /// Whether a run waits for a callback or approval rather than for its timer: only the outside continues it.
    func waitsForOutside(_ run: RunRecord) async throws -> Bool {
        guard run.status == .waiting else { return false }
        return try await journal.waits(of: run.id).contains { $0.kind != .timer && $0.resolution == nil }
    }

    /// Continues a queued or due run in this process, in the background, instead of waiting for a worker's next look.
    public func continueInBackground(_ id: String) {
        let engine = engine
        Task { _ = try? await engine.resume(id) }
    }
}
