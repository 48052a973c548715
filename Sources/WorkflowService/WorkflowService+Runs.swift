import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// A workflow that may start runs: active, with its live version's definition.
    public struct LiveWorkflow: Sendable {
        public var summary: WorkflowSummary
        public var version: Int
        public var definition: WorkflowDefinition
    }

    /// The live version of an active workflow. Only active workflows start runs: a draft, a paused or an archived
    /// one is refused, saying what to do.
    public func live(_ reference: String) async throws -> LiveWorkflow {
        let summary = try await repository.workflow(reference)
        guard summary.state == .active, let version = summary.activeVersion else {
            let advice = switch summary.state {
            case .draft: "activate it first (baton activate \(summary.id)), or try it with --dry-run"
            case .paused: "paused workflows start no new runs (baton resume \(summary.id)); its running runs continue"
            default: "archived workflows start no runs"
            }
            throw ServiceError(.notAllowed, "workflow \(summary.id) (\(summary.name)) is \(summary.state.rawValue): \(advice)")
        }
        return LiveWorkflow(summary: summary, version: version, definition: try await repository.definition(workflowID: summary.id, version: version))
    }

    /// Starts a run of the live version and executes it until it ends or waits; with `queue`, only records it as
    /// pending for a worker. Inputs that do not fit the workflow throw `RunInputError`, and no run is made.
    ///
    /// With an `idempotencyKey`, a second request with the same key starts nothing and gets the first run as it
    /// now stands (check `created`); the run is recorded before it executes, so the key holds across processes.
    public func start(
        _ workflow: LiveWorkflow, input: JSONObject, trigger: JSONValue? = nil, queue: Bool = false, idempotencyKey: String? = nil
    ) async throws -> (run: RunRecord, created: Bool) {
        let summary = workflow.summary
        if queue || idempotencyKey != nil {
            let (pending, created) = try await engine.enqueue(
                workflowID: summary.id, name: summary.name, version: workflow.version, definition: workflow.definition, input: input,
                trigger: trigger, idempotencyKey: idempotencyKey)
            if queue || !created { return (pending, created) }
            return (try await engine.resume(pending.id) ?? pending, true)
        }
        let run = try await engine.start(
            workflowID: summary.id, name: summary.name, version: workflow.version, definition: workflow.definition, input: input,
            trigger: trigger)
        return (run, true)
    }

    /// A run by its id, or a clear refusal.
    public func run(_ id: String) async throws -> RunRecord {
        guard let run = try await journal.run(id.lowercased()) else {
            throw ServiceError(.notFound, "no run \(id); list them with `baton runs`")
        }
        return run
    }

    /// Completes a run's callback or approval with its one-time token and continues the run here; when another
    /// process is running it, that process picks the completed wait up, and the run is returned as it stands.
    public func signal(_ id: String, token: String, resolution: WaitResolution) async throws -> RunRecord {
        let record = try await run(id)
        do {
            if let resumed = try await engine.signal(record.id, token: token, resolution: resolution) { return resumed }
            return try await journal.run(record.id) ?? record
        } catch let error as JournalError {
            throw ServiceError(.notAllowed, error.description)
        }
    }

    /// Completes the open wait with key `key` of a run (as the run's page does, without showing its token).
    public func decide(_ id: String, wait key: String, resolution: WaitResolution) async throws -> RunRecord {
        let record = try await run(id)
        guard let wait = try await journal.waits(of: record.id).first(where: { $0.key == key && $0.resolution == nil }) else {
            throw ServiceError(.notAllowed, "run \(record.id) has no open wait \(key); it may have been answered or timed out already")
        }
        return try await signal(record.id, token: wait.token, resolution: resolution)
    }

    /// Cancels an unfinished run: at once when it waits or runs here, otherwise its process stops it at its next step.
    public func cancel(_ id: String) async throws -> RunRecord {
        let record = try await run(id)
        guard !record.status.isTerminal else { throw ServiceError(.notAllowed, "run \(record.id) is already \(record.status.rawValue)") }
        return try await engine.cancel(record.id)
    }

    /// Starts a new run of a finished run's version with its inputs, reusing the outcomes recorded before `step` (by
    /// default the failing one) except those a successful compensation undid. Only active workflows start runs.
    public func replay(_ id: String, from step: String? = nil) async throws -> (run: RunRecord, reused: Int) {
        let original = try await run(id)
        guard original.status.isTerminal else {
            throw ServiceError(.notAllowed, "run \(original.id) is \(original.status.rawValue); only finished runs are replayed")
        }
        let summary = try await repository.workflow(id: original.workflowID)
        guard summary.state == .active else {
            throw ServiceError(
                .notAllowed,
                "workflow \(summary.id) (\(summary.name)) is \(summary.state.rawValue); a replay is a new run, and only active workflows start runs")
        }
        let steps = try await engine.environment.journal.steps(of: original.id)
        let reused = try ReplayPlan.reusable(steps, from: step ?? original.error?.step, run: original)
        let definition = try await repository.definition(workflowID: original.workflowID, version: original.version)
        guard case .object(let input) = original.input else { throw ServiceError(.notAllowed, "run \(original.id) has no input object") }
        let result = try await engine.start(
            workflowID: original.workflowID, name: original.workflowName, version: original.version, definition: definition, input: input,
            replayOf: original.id, reusing: reused)
        return (result, reused.count)
    }
}

/// Which recorded outcomes a replay reuses.
enum ReplayPlan {
    /// The outcomes recorded before `step`'s first one that succeeded or were skipped and were not undone by a
    /// compensation that succeeded. A step whose compensation failed still stands, so its outcome is reused.
    static func reusable(_ steps: [StepRecord], from step: String?, run: RunRecord) throws -> [StepRecord] {
        var limit = Int.max
        if let step {
            guard let first = steps.first(where: { $0.stepID == step || $0.key == step }) else {
                let known = steps.filter { $0.compensates == nil }.map(\.key)
                throw ServiceError(.notAllowed, "run \(run.id) has no record of step \(step); recorded: \(known.joined(separator: ", "))")
            }
            limit = first.sequence
        }
        let undone = StepRecord.undone(in: steps)
        return steps.filter { $0.sequence < limit && $0.compensates == nil && !undone.contains($0.key) && $0.status != .failed }
    }
}

extension WorkflowService {
    /// Starts every active workflow whose trigger is the event `name`, each with `payload` as `${trigger...}`. With an
    /// `id`, delivering the same event again starts nothing new: each workflow's run for it is returned instead.
    public func publish(event name: String, payload: JSONValue, id: String? = nil, queue: Bool = false) async throws
        -> [(run: RunRecord, created: Bool)]
    {
        var started: [(run: RunRecord, created: Bool)] = []
        for live in try await triggers().events[name] ?? [] {
            let key = id.map { "event:\(name):\($0):\(live.summary.id)" }
            started.append(try await start(live, input: JSONObject(), trigger: payload, queue: queue, idempotencyKey: key))
        }
        return started
    }
}

extension WorkflowService {
    /// Completes the callback or approval that `token` names, once, and continues its run: what a callback URL
    /// (`/callbacks/{token}`) does. The token alone identifies the wait; it carries 128 random bits.
    public func complete(callback token: String, resolution: WaitResolution) async throws -> RunRecord {
        guard token.count >= 32, token.count <= 64, token.allSatisfy(\.isHexDigit), let runID = try await repository.runID(waitToken: token) else {
            throw ServiceError(.notFound, "no wait has that callback token")
        }
        return try await signal(runID, token: token, resolution: resolution)
    }
}
