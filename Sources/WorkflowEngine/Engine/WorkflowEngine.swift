import Foundation
import Synchronization
import WorkflowModel

/// Starts, resumes, signals and cancels runs. Each run executes as a task until it ends or must wait; a waiting
/// run holds no task and no thread, only its records in the journal, and is resumed from them.
public final class WorkflowEngine: Sendable {
    public let environment: EngineEnvironment
    private let source: any WorkflowSource
    /// Who this engine is in the journal: the owner of the runs it executes.
    public let owner: RunOwner
    /// How long a claim or a renewal holds a run; the engine renews every third of it while it executes the run.
    public let leaseDuration: TimeInterval
    /// The lease this engine takes and writes under, from now.
    let lease: @Sendable () -> RunLease
    let active: ActiveRuns
    private let definitions = Mutex<[String: WorkflowDefinition]>([:])
    /// Masks the catalog's secrets in everything recorded or returned; their values are looked up once.
    private let redactor: Redactor
    /// The environment runs execute in: `environment` with its journal behind the redactor and the lease.
    private let recording: EngineEnvironment

    /// `owner` names this engine in the journal; each engine should have its own.
    public init(
        environment: EngineEnvironment, source: any WorkflowSource, owner: RunOwner = RunOwner(), leaseDuration: TimeInterval = 30
    ) {
        self.environment = environment
        self.source = source
        self.owner = owner
        self.leaseDuration = leaseDuration
        let clock = environment.clock
        let lease: @Sendable () -> RunLease = { RunLease(owner: owner, expiresAt: clock.now.addingTimeInterval(leaseDuration)) }
        self.lease = lease
        let redactor = Redactor(catalog: environment.catalog, secrets: environment.secrets)
        self.redactor = redactor
        let active = ActiveRuns()
        self.active = active
        var recording = environment
        recording.journal = RecordingJournal(base: environment.journal, redactor: redactor, lease: lease, lost: { active.leaseLost($0) })
        self.recording = recording
    }

    /// Every write of the engine goes through here, and so through the redactor and under the lease.
    var journal: any RunJournal { recording.journal }

    /// Starts a run of a workflow version and executes it until it ends or waits.
    /// `reusing` outcomes (from an earlier run being replayed) are recorded first and not executed again.
    public func start(
        workflowID: Int64, name: String, version: Int, definition: WorkflowDefinition, input: JSONObject,
        trigger: JSONValue? = nil, replayOf: String? = nil, reusing: [StepRecord] = []
    ) async throws -> RunRecord {
        let resolved = try RunInputs.resolve(input, declared: definition.inputs)
        let run = RunRecord(
            id: RunID.make(at: environment.clock.now), workflowID: workflowID, workflowName: name, version: version, status: .running,
            input: resolved, trigger: trigger, createdAt: environment.clock.now, replayOf: replayOf)
        let copies = reusing.map { record -> JournalEntry in
            var copy = record
            copy.runID = run.id
            return .step(copy)
        }
        // A run that can make calls is committed before any call leaves, so a journal that cannot take it (a
        // read-only or damaged database) fails the start with nothing sent, and every call belongs to a known run.
        try await journal.write([.run(run)] + copies, durable: definition.makesCalls)
        environment.onEvent(.runStarted(run))
        var known = reusing
        for i in known.indices { known[i].runID = run.id }
        return await drive(run, definition: definition, known: known)
    }

    /// Records a pending run for a worker (this process or another) to start, and returns it at once. When a run
    /// already has `idempotencyKey`, nothing is recorded and that run is returned instead (`created` is false).
    @discardableResult
    public func enqueue(
        workflowID: Int64, name: String, version: Int, definition: WorkflowDefinition, input: JSONObject, trigger: JSONValue? = nil,
        idempotencyKey: String? = nil
    ) async throws -> (run: RunRecord, created: Bool) {
        let resolved = try RunInputs.resolve(input, declared: definition.inputs)
        let run = RunRecord(
            id: RunID.make(at: environment.clock.now), workflowID: workflowID, workflowName: name, version: version, status: .pending,
            input: resolved, trigger: trigger, createdAt: environment.clock.now, idempotencyKey: idempotencyKey)
        let recorded = try await journal.enqueue(run)
        return (recorded, recorded.id == run.id)
    }

    /// Continues an unfinished run from its records; `nil` when another owner's lease on it holds or it is finished.
    public func resume(_ runID: String) async throws -> RunRecord? {
        // Reserve the run in this engine first, so two resumes of it here cannot both go on.
        let reserved: Bool = active.withLock { runs in
            if runs[runID] != nil {
                runs[runID]!.wakeRequested = true
                return false
            }
            runs[runID] = ActiveRuns.Run(task: nil)
            return true
        }
        guard reserved else { return nil }
        let release = { self.active.withLock { $0[runID] = nil } }
        do {
            // Claimed first, then read: what is read is what no other owner can change any more.
            guard try await journal.claim(runID, lease: lease(), at: environment.clock.now), var run = try await journal.run(runID),
                !run.status.isTerminal
            else {
                release()
                return nil
            }
            if run.cancelRequested {
                run.status = .cancelled
                run.endedAt = environment.clock.now
                run.error = RunError(step: nil, code: "cancelled", message: "the run was cancelled")
                release()
                try await finish(run)
                return run
            }
            let definition = try await definition(of: run)
            if run.status == .pending { environment.onEvent(.runStarted(run)) }
            return await drive(run, definition: definition)
        } catch {
            release()
            throw error
        }
    }

    /// Completes a callback or approval with its token and continues the run.
    public func signal(_ runID: String, token: String, resolution: WaitResolution) async throws -> RunRecord? {
        _ = try await journal.resolveWait(runID: runID, token: token, resolution: resolution)
        return try await resume(runID)
    }

    /// Cancels a run: at once when it runs here or waits; otherwise it is marked and its process stops it.
    @discardableResult
    public func cancel(_ runID: String) async throws -> RunRecord {
        let task = active.withLock { $0[runID]?.task }
        if let task {
            task.cancel()
            return await task.value
        }
        let marked = try await journal.requestCancel(runID)
        return try await resume(runID) ?? marked
    }

    /// Cancels the runs of this process that another process asked to cancel.
    public func honourCancellationRequests() async throws {
        let ids = active.withLock { Array($0.keys) }
        for id in ids where try await journal.run(id)?.cancelRequested == true {
            active.withLock { $0[id]?.task }?.cancel()
        }
    }

    /// Resumes every run that can go on now: interrupted by a crash, or waiting on a timer that is due or a wait
    /// that was completed. Returns the runs as they then are.
    public func resumeDue(limit: Int = 10_000) async throws -> [RunRecord] {
        let due = try await journal.runs(RunQuery(resumableAt: environment.clock.now, limit: limit))
        return try await withThrowingTaskGroup(of: RunRecord?.self) { group in
            for run in due { group.addTask { try await self.resume(run.id) } }
            var results: [RunRecord] = []
            for try await run in group { if let run { results.append(run) } }
            return results
        }
    }

    /// The definition a run is pinned to, read once per version.
    private func definition(of run: RunRecord) async throws -> WorkflowDefinition {
        let key = "\(run.workflowID)/\(run.version)"
        if let known = definitions.withLock({ $0[key] }) { return known }
        let definition = try await source.definition(workflowID: run.workflowID, version: run.version)
        definitions.withLock { $0[key] = definition }
        return definition
    }

    /// Executes a run, again as long as waits of it are completed meanwhile. `known` are its records when they are
    /// already at hand (a new run's), saving a read. A run whose lease another owner took stops, writing nothing
    /// more, and is returned as the journal now has it.
    private func drive(_ initial: RunRecord, definition: WorkflowDefinition, known: [StepRecord]? = nil) async -> RunRecord {
        var run = initial
        var known = known
        run.status = run.status == .compensating ? .compensating : .running
        while true {
            let current = run
            let records = known
            known = nil
            let task = Task { await self.execute(current, definition: definition, known: records) }
            let lostAlready = active.withLock { runs in
                runs[run.id, default: ActiveRuns.Run()].task = task
                return runs[run.id]!.leaseLost
            }
            if lostAlready { task.cancel() }
            keepLeases()
            // What is returned, reported and stored is the redacted run.
            run = redactor.redact(await task.value)
            let (again, lost) = active.withLock { runs in
                let entry = runs[run.id] ?? ActiveRuns.Run()
                let again = entry.wakeRequested && !entry.leaseLost
                runs[run.id] = again ? ActiveRuns.Run(task: nil) : nil
                return (again, entry.leaseLost)
            }
            if lost { return await standing(run) }
            do { try await finish(run) } catch JournalError.leaseLost {
                active.withLock { $0[run.id] = nil }
                return await standing(run)
            } catch {
                environment.onEvent(.runFinished(run))
                active.withLock { $0[run.id] = nil }
                return run
            }
            // Writing the waiting run released it: take it again to go on.
            guard again, run.status == .waiting, (try? await journal.claim(run.id, lease: lease(), at: environment.clock.now)) == true else {
                active.withLock { $0[run.id] = nil }
                return run
            }
        }
    }

    /// A run as the journal has it, after another owner took it from this engine.
    private func standing(_ run: RunRecord) async -> RunRecord {
        (try? await journal.run(run.id)) ?? run
    }

    private func execute(_ run: RunRecord, definition: WorkflowDefinition, known: [StepRecord]?) async -> RunRecord {
        do {
            var steps: [StepRecord]
            if let known { steps = known } else { steps = try await journal.steps(of: run.id) }
            let waits = known == nil ? try await journal.waits(of: run.id) : []
            let idempotency = run.replayOf == nil ? nil : try await IdempotencyKeys.of(run, journal: journal)
            let execution = RunExecution(
                run: run, definition: definition, environment: recording, redactor: redactor, steps: steps, waits: waits,
                idempotency: idempotency)
            return await execution.execute()
        } catch {
            var failed = run
            failed.status = .failed
            failed.error = RunError(step: nil, code: "journal", message: "\(error)")
            failed.endedAt = environment.clock.now
            return failed
        }
    }

    /// Records where the run now is. Waiting and cancelled runs are committed at once; a finished run's status may
    /// ride on a later commit, since running it again from its records reaches the same end.
    private func finish(_ run: RunRecord) async throws {
        try await journal.write([.run(run)], durable: run.status == .waiting || run.status == .cancelled)
        if run.status == .waiting {
            environment.onEvent(.runWaiting(run, try await journal.waits(of: run.id).filter { $0.resolution == nil }))
        } else {
            environment.onEvent(.runFinished(run))
        }
    }
}
