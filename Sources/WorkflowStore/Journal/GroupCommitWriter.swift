import Foundation
import Synchronization
internal import GRDB
import WorkflowEngine

/// Writes journal entries in shared transactions: while one commit is being made, the writes that arrive wait and
/// then go together in the next, so concurrent runs pay for one fsync between them rather than one each.
final class GroupCommitWriter: Sendable {
    private struct Batch {
        var entries: [JournalEntry]
        var waiter: CheckedContinuation<Void, any Error>?
    }

    private struct State {
        var pending: [Batch] = []
        var hasDurable = false
        var draining = false
        var commits = 0
    }

    private let pool: DatabasePool
    private let owner: Int32
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "baton.journal.commit", qos: .userInitiated)

    init(pool: DatabasePool, owner: Int32) {
        self.pool = pool
        self.owner = owner
    }

    /// How many transactions have been committed.
    var commits: Int { state.withLock { $0.commits } }

    /// Whether entries are waiting for a commit.
    var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    /// Queues entries; a durable write returns when they are committed.
    func write(_ entries: [JournalEntry], durable: Bool) async throws {
        guard durable else {
            state.withLock { $0.pending.append(Batch(entries: entries)) }
            return
        }
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { state in
                state.pending.append(Batch(entries: entries, waiter: waiter))
                state.hasDurable = true
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// Commits everything queued so far.
    func flush() async throws {
        if hasPending { try await write([], durable: true) }
    }

    /// Commits queued batches until none with a waiter is left.
    private func drain() {
        while true {
            let batches: [Batch]? = state.withLock { state in
                guard state.hasDurable else {
                    state.draining = false
                    return nil
                }
                let taken = state.pending
                state.pending = []
                state.hasDurable = false
                return taken
            }
            guard let batches else { return }
            commit(batches)
        }
    }

    /// One transaction for all batches; if it fails, each batch on its own, so one bad entry fails only its writer.
    private func commit(_ batches: [Batch]) {
        do {
            try pool.write { db in
                for batch in batches { for entry in batch.entries { try JournalRows.write(entry, owner: owner, in: db) } }
            }
            state.withLock { $0.commits += 1 }
            for batch in batches { batch.waiter?.resume() }
        } catch {
            for batch in batches {
                do {
                    try pool.write { db in for entry in batch.entries { try JournalRows.write(entry, owner: owner, in: db) } }
                    state.withLock { $0.commits += 1 }
                    batch.waiter?.resume()
                } catch {
                    batch.waiter?.resume(throwing: (error as? JournalError) ?? error)
                }
            }
        }
    }
}
