import Foundation
import Synchronization
internal import GRDB
import WorkflowEngine
import WorkflowRepository

/// Writes journal entries in shared transactions. The first durable writer to find no commit under way commits
/// on its own thread (no hop when runs go one at a time); writers that arrive meanwhile wait, and their entries go
/// together in the next commit, so concurrent runs pay for one fsync between them rather than one each. Leases are
/// checked batch by batch inside the shared transaction: a batch whose run another owner took is left out and fails
/// alone, and the other batches are committed. New runs queued with an idempotency key share commits the same way
/// (`enqueue`), which is what lets a burst of webhook deliveries become pending runs at the disk's pace per commit
/// rather than per run.
final class GroupCommitWriter: Sendable {
    private struct Batch {
        var entries: [JournalEntry]
        var lease: RunLease?
        /// A run to record unless another already has its idempotency key; the batch's outcome is the stored run.
        var enqueued: RunRecord?
        var waiter: CheckedContinuation<RunRecord?, any Error>?
        var leader = false
    }

    private struct State {
        var pending: [Batch] = []
        var hasDurable = false
        var draining = false
        var commits = 0
    }

    /// How many commits a writer makes for others before handing the rest to the background queue.
    private static let leaderRounds = 4

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "baton.journal.commit", qos: .userInitiated)

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many transactions have been committed.
    var commits: Int { state.withLock { $0.commits } }

    /// Whether entries are waiting for a commit.
    var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    /// Queues entries; a durable write returns when they are committed.
    func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws {
        guard durable else {
            state.withLock { $0.pending.append(Batch(entries: entries, lease: lease)) }
            return
        }
        _ = try await commit(Batch(entries: entries, lease: lease))
    }

    /// Records a pending run in the next shared commit, unless a run with its idempotency key exists (in the
    /// database or earlier in the same commit): returns the run that holds the key.
    func enqueue(_ run: RunRecord) async throws -> RunRecord {
        try await commit(Batch(entries: [], enqueued: run)) ?? run
    }

    /// Adds a batch to the next commit and returns its outcome once committed.
    private func commit(_ batch: Batch) async throws -> RunRecord? {
        let leads = state.withLock { state in
            guard !state.draining else { return false }
            state.draining = true
            state.hasDurable = true
            var leader = batch
            leader.leader = true
            state.pending.append(leader)
            return true
        }
        if leads { return try lead() }
        return try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<RunRecord?, any Error>) in
            let start = state.withLock { state in
                var waiting = batch
                waiting.waiter = waiter
                state.pending.append(waiting)
                state.hasDurable = true
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { queue.async { self.drain(rounds: .max) } }
        }
    }

    /// Commits everything queued so far.
    func flush() async throws {
        if hasPending { try await write([], durable: true, lease: nil) }
    }

    /// Commits as the leader: its own entries with everyone's, then a few more rounds for writers that came meanwhile.
    private func lead() throws -> RunRecord? {
        try drain(rounds: Self.leaderRounds)?.get()
    }

    /// Commits queued batches until none with a waiter is left, or `rounds` commits were made (then the background
    /// queue carries on). Returns the leader's outcome when the leader's batch was among them.
    @discardableResult
    private func drain(rounds: Int) -> Result<RunRecord?, any Error>? {
        var leaderOutcome: Result<RunRecord?, any Error>?
        var made = 0
        while true {
            let batches: [Batch]? = state.withLock { state in
                guard state.hasDurable else {
                    state.draining = false
                    return nil
                }
                guard made < rounds else { return [] }
                let taken = state.pending
                state.pending = []
                state.hasDurable = false
                return taken
            }
            guard let batches else { return leaderOutcome }
            if batches.isEmpty {
                queue.async { self.drain(rounds: .max) }
                return leaderOutcome
            }
            if let outcome = commit(batches) { leaderOutcome = outcome }
            made += 1
        }
    }

    /// One transaction for all batches; if it fails, each batch on its own, so one bad entry fails only its writer.
    /// Returns the leader batch's outcome.
    private func commit(_ batches: [Batch]) -> Result<RunRecord?, any Error>? {
        let outcomes: [Result<RunRecord?, any Error>]
        do {
            outcomes = try transaction(batches)
        } catch {
            outcomes = batches.map { batch in
                do { return try transaction([batch])[0] } catch { return .failure(error) }
            }
        }
        var leaderOutcome: Result<RunRecord?, any Error>?
        for (batch, outcome) in zip(batches, outcomes) {
            if batch.leader { leaderOutcome = outcome }
            batch.waiter?.resume(with: outcome)
        }
        return leaderOutcome
    }

    /// Writes the batches' entries in one transaction, each batch under its lease: a batch holding entries of a run
    /// its lease no longer holds has those left out and fails with `leaseLost`.
    private func transaction(_ batches: [Batch]) throws -> [Result<RunRecord?, any Error>] {
        let outcomes = try pool.write { db in
            try batches.map { batch -> Result<RunRecord?, any Error> in
                if let run = batch.enqueued { return .success(try JournalRows.enqueue(run, in: db)) }
                let refused = try JournalRows.write(batch.entries, lease: batch.lease, in: db)
                return refused.min().map { .failure(JournalError.leaseLost($0)) } ?? .success(nil)
            }
        }
        state.withLock { $0.commits += 1 }
        return outcomes
    }
}
