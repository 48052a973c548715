import Foundation
import Synchronization
import WorkflowModel

/// A run must stop until `wakeAt` or until one of its waits is completed.
struct Suspension: Error {
    var wakeAt: Date?

    static func earliest(_ suspensions: [Suspension]) -> Suspension {
        Suspension(wakeAt: suspensions.compactMap(\.wakeAt).min())
    }
}

/// One pass over a run's definition. Recorded outcomes are reused, so a resumed run does again only what it had not
/// recorded; new outcomes are written to the journal, durably for side effects before the next step starts.
final class RunExecution: Sendable {
    let run: RunRecord
    let definition: WorkflowDefinition
    let environment: EngineEnvironment
    let recorded: [String: StepRecord]
    let waits: [String: WaitRecord]
    let redactor: Redactor
    let idempotency: IdempotencyKeys
    let deadline: Date?
    private let sequence: Atomic<Int>
    private let saga = Mutex<[SagaEntry]>([])
    /// Keys recorded during this pass, besides those read at its start, with when their steps began.
    private let written = Mutex<[String: Date]>([:])
    /// Whether the workflow's timeout still applies: not to compensations and failure steps.
    private let deadlineApplies = Atomic<Bool>(true)

    /// A completed step whose compensation runs if the run fails for good.
    struct SagaEntry: Sendable {
        var sequence: Int
        var key: String
        var prefix: String
        var compensation: Step
        var scope: RunScope
    }

    init(
        run: RunRecord, definition: WorkflowDefinition, environment: EngineEnvironment, redactor: Redactor, steps: [StepRecord],
        waits: [WaitRecord], idempotency: IdempotencyKeys? = nil
    ) {
        self.idempotency = idempotency ?? IdempotencyKeys(runID: run.id)
        self.run = run
        self.definition = definition
        self.environment = environment
        recorded = Dictionary(steps.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        self.waits = Dictionary(waits.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        self.redactor = redactor
        deadline = definition.timeout.map { run.createdAt.addingTimeInterval($0.seconds) }
        sequence = Atomic(steps.map(\.sequence).max() ?? 0)
    }

    var now: Date { environment.clock.now }

    /// Runs the definition to its end, or until it must wait, and returns the run as it then is.
    func execute() async -> RunRecord {
        var result = run
        var scope = RunScope(run: run, now: now)
        do {
            let output = try await runBlock(definition.steps, scope: &scope, prefix: "")
            result.status = .completed
            result.output = output
        } catch let suspension as Suspension {
            result.status = .waiting
            result.wakeAt = [suspension.wakeAt, deadline].compactMap { $0 }.min()
            return result
        } catch let failure as StepFailure {
            result = await fail(result, failure: failure, scope: scope)
        } catch is CancellationError {
            result.status = .cancelled
            result.error = RunError(step: nil, code: "cancelled", message: "the run was cancelled")
        } catch JournalError.leaseLost {
            // Another owner goes on with the run: nothing more is done or written here, not even compensations.
            return result
        } catch {
            result = await fail(result, failure: StepFailure(code: "internal", message: "\(error)", transient: false), scope: scope)
        }
        result.endedAt = result.endedAt ?? now
        result.wakeAt = nil
        return result
    }

    /// Applies the workflow-level policy to a failure: compensations, then the policy's own steps.
    private func fail(_ run: RunRecord, failure: StepFailure, scope: RunScope) async -> RunRecord {
        var result = run
        result.error = failure.runError
        result.status = .failed
        deadlineApplies.store(false, ordering: .relaxed)
        let entries = saga.withLock { $0 }.sorted { $0.sequence > $1.sequence }
        if definition.onError.action == .compensate, !entries.isEmpty {
            var compensating = result
            compensating.status = .compensating
            try? await environment.journal.write([.run(compensating)], durable: false)
            var failures: [RunError] = []
            for entry in entries {
                do {
                    try await compensate(entry)
                } catch let failure as StepFailure {
                    failures.append(failure.runError)
                } catch is Suspension {
                    failures.append(RunError(step: entry.compensation.id, code: "compensation.waits", message: "a compensation cannot wait"))
                } catch {
                    result.status = .cancelled
                    return result
                }
            }
            if failures.isEmpty {
                result.status = .compensated
            } else {
                let list = failures.map(\.description).joined(separator: "; ")
                result.error?.message += " (compensation failed: \(list))"
            }
        }
        if !definition.onError.steps.isEmpty {
            var handlerScope = scope
            handlerScope["error"] = failure.runError.scopeValue
            _ = try? await runBlock(definition.onError.steps, scope: &handlerScope, prefix: "")
        }
        return result
    }

    private func compensate(_ entry: SagaEntry) async throws {
        var scope = entry.scope
        scope.now = now
        _ = try await runStep(entry.compensation, scope: &scope, prefix: entry.prefix, compensating: entry.key)
    }

    func remember(_ entry: SagaEntry) { saga.withLock { $0.append(entry) } }

    // MARK: Recording

    func nextSequence() -> Int { sequence.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Records a step outcome once; `durable` waits for the commit.
    @discardableResult
    func record(
        _ step: Step, key: String, status: StepStatus, attempts: Int = 1, input: JSONValue? = nil, output: JSONValue?,
        error: RunError? = nil, startedAt: Date, durable: Bool, compensates: String? = nil
    ) async throws -> StepRecord {
        let record = redactor.redact(StepRecord(
            runID: run.id, key: key, stepID: step.id, kind: step.kind?.rawValue ?? "unknown", status: status, attempts: attempts,
            input: input, output: output, error: error, startedAt: startedAt, endedAt: now, sequence: nextSequence(),
            compensates: compensates))
        written.withLock { $0[key] = record.startedAt }
        try await environment.journal.write([.step(record)], durable: durable)
        let operation: String? = if case .call(let call) = step.body { "\(call.connector).\(call.operation)" } else { nil }
        environment.onEvent(.stepFinished(record, operation: operation))
        return record
    }

    /// Whether the step instance has an outcome, read back or written in this pass.
    func isRecorded(_ key: String) -> Bool {
        recorded[key] != nil || written.withLock { $0[key] != nil }
    }

    /// When the first step recorded under `prefix` among `stepIDs` began, in this pass or before it.
    func earliestStart(prefix: String, stepIDs: Set<String>) -> Date? {
        func inside(_ key: String, _ stepID: String) -> Bool { key.hasPrefix(prefix) && stepIDs.contains(stepID) }
        let before = recorded.values.lazy.filter { inside($0.key, $0.stepID) }.map(\.startedAt).min()
        let now = written.withLock { written in
            written.lazy.filter { inside($0.key, String($0.key.split(separator: "/").last ?? "")) }.map(\.value).min()
        }
        return [before, now].compactMap { $0 }.min()
    }

    /// The workflow's deadline while it applies.
    var activeDeadline: Date? { deadlineApplies.load(ordering: .relaxed) ? deadline : nil }

    /// Fails with the workflow timeout when it has passed.
    func checkDeadline(_ step: Step) throws(StepFailure) {
        if let deadline = activeDeadline, now >= deadline {
            throw StepFailure(
                code: "workflow.timeout", message: "the workflow's timeout of \(definition.timeout!) passed before \(step.id)",
                transient: false, step: step.id)
        }
    }
}
