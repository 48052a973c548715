import Foundation
import Synchronization

/// A journal kept in memory: for tests, dry runs and measuring the engine alone. Nothing survives the process.
public final class InMemoryJournal: RunJournal {
    private struct State {
        var runs: [String: RunRecord] = [:]
        var order: [String] = []
        var holders: [String: RunLease] = [:]
        var steps: [String: [StepRecord]] = [:]
        var stepKeys: [String: Set<String>] = [:]
        var waits: [String: [WaitRecord]] = [:]
        /// Run ids by idempotency key.
        var keys: [String: String] = [:]
        var commits = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// How many durable writes were made, each standing for one commit.
    public var commits: Int { state.withLock { $0.commits } }

    public func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws {
        try state.withLock { state in
            let refused = lease.map { lease in
                Set(entries.map(\.runID).filter { state.runs[$0] != nil && state.holders[$0]?.owner != lease.owner })
            } ?? []
            for entry in entries where !refused.contains(entry.runID) {
                switch entry {
                case .run(let run):
                    if let old = state.runs[run.id] {
                        var updated = run
                        updated.cancelRequested = old.cancelRequested && !run.status.isTerminal
                        state.runs[run.id] = updated
                    } else {
                        state.runs[run.id] = run
                        state.order.append(run.id)
                    }
                    if run.status.releasesHolder {
                        state.holders[run.id] = nil
                    } else if let lease {
                        state.holders[run.id] = lease
                    }
                case .step(let step):
                    guard state.stepKeys[step.runID, default: []].insert(step.key).inserted else {
                        throw JournalError.duplicateStep(run: step.runID, key: step.key)
                    }
                    state.steps[step.runID, default: []].append(step)
                case .wait(let wait):
                    if let i = state.waits[wait.runID]?.firstIndex(where: { $0.key == wait.key }) {
                        state.waits[wait.runID]![i] = wait
                    } else {
                        state.waits[wait.runID, default: []].append(wait)
                    }
                }
            }
            if durable { state.commits += 1 }
            if let lost = refused.min() { throw JournalError.leaseLost(lost) }
        }
    }

    public func flush() async throws {}

    public func enqueue(_ run: RunRecord) async throws -> RunRecord {
        state.withLock { state in
            if let key = run.idempotencyKey, let holder = state.keys[key], let existing = state.runs[holder] { return existing }
            if let key = run.idempotencyKey { state.keys[key] = run.id }
            state.runs[run.id] = run
            state.order.append(run.id)
            state.commits += 1
            return run
        }
    }

    public func run(_ id: String) async throws -> RunRecord? { state.withLock { $0.runs[id] } }

    public func steps(of runID: String) async throws -> [StepRecord] {
        state.withLock { ($0.steps[runID] ?? []).sorted { $0.sequence < $1.sequence } }
    }

    public func waits(of runID: String) async throws -> [WaitRecord] { state.withLock { $0.waits[runID] ?? [] } }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        state.withLock { state in
            var found: [RunRecord] = []
            for id in state.order.reversed() {
                guard let run = state.runs[id] else { continue }
                if let workflow = query.workflowID, run.workflowID != workflow { continue }
                if let statuses = query.statuses, !statuses.contains(run.status) { continue }
                if let now = query.resumableAt {
                    guard !run.status.isTerminal, !(state.holders[id]?.holds(at: now) ?? false) else { continue }
                    if run.status == .waiting {
                        let due = run.wakeAt.map { $0 <= now } ?? false
                        let signalled = state.waits[id]?.contains { $0.resolution != nil && !(state.stepKeys[id]?.contains($0.key) ?? false) } ?? false
                        guard due || signalled || run.cancelRequested else { continue }
                    }
                }
                found.append(run)
                if found.count >= query.limit { break }
            }
            return found
        }
    }

    public func claim(_ runID: String, lease: RunLease, at now: Date) async throws -> Bool {
        state.withLock { state in
            guard let run = state.runs[runID], !run.status.isTerminal, lease.mayTake(from: state.holders[runID], at: now) else { return false }
            state.holders[runID] = lease
            return true
        }
    }

    public func renewLeases(_ runIDs: [String], lease: RunLease) async throws -> Set<String> {
        state.withLock { state in
            var lost: Set<String> = []
            for id in runIDs {
                if state.holders[id]?.owner == lease.owner { state.holders[id] = lease } else { lost.insert(id) }
            }
            return lost
        }
    }

    public func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord {
        try state.withLock { state in
            guard let run = state.runs[runID] else { throw JournalError.runNotFound(runID) }
            guard let i = state.waits[runID]?.firstIndex(where: { $0.token == token }) else { throw JournalError.tokenNotFound(run: runID) }
            var wait = state.waits[runID]![i]
            guard wait.resolution == nil, !(state.stepKeys[runID]?.contains(wait.key) ?? false) else {
                throw JournalError.tokenUsed(run: runID, step: wait.stepID)
            }
            guard !run.status.isTerminal else { throw JournalError.runFinished(runID, run.status) }
            wait.resolution = resolution
            state.waits[runID]![i] = wait
            state.commits += 1
            return wait
        }
    }

    public func requestCancel(_ runID: String) async throws -> RunRecord {
        try state.withLock { state in
            guard var run = state.runs[runID] else { throw JournalError.runNotFound(runID) }
            guard !run.status.isTerminal else { throw JournalError.runFinished(runID, run.status) }
            run.cancelRequested = true
            state.runs[runID] = run
            state.commits += 1
            return run
        }
    }
}
