import Foundation
import Logging
import PostgresNIO
import Synchronization
import WorkflowEngine
import WorkflowRepository

/// Writes journal entries in shared transactions (group commit). One commit is under way at a time per process;
/// durable writers that arrive meanwhile wait, and their entries, with every deferred one, go together in the next,
/// so concurrent runs pay for one round of statements and one WAL flush between them rather than one each. Leases
/// are checked batch by batch inside the shared transaction: a batch whose run another owner took is left out and
/// fails alone. If the shared transaction fails (a second outcome for a step), each batch is committed on its own,
/// so one bad batch fails only its writer.
final class PostgresCommitQueue: Sendable {
    private struct Pending {
        var batch: PostgresJournalRows.Batch
        /// A run to record unless another already has its idempotency key; the outcome is the run holding the key.
        var enqueued: RunRecord?
        var waiter: CheckedContinuation<RunRecord?, any Error>?
    }

    private struct State {
        var pending: [Pending] = []
        var hasDurable = false
        var committing = false
        var commits = 0
    }

    private let client: PostgresClient
    private let location: PostgresLocation
    private let channel: String
    private let logger: Logger
    private let state = Mutex(State())

    init(client: PostgresClient, location: PostgresLocation, channel: String, logger: Logger) {
        self.client = client
        self.location = location
        self.channel = channel
        self.logger = logger
    }

    /// How many transactions have been committed.
    var commits: Int { state.withLock { $0.commits } }

    var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws {
        let batch = PostgresJournalRows.Batch(entries: entries, lease: lease)
        guard durable else {
            state.withLock { $0.pending.append(Pending(batch: batch)) }
            return
        }
        _ = try await submit(Pending(batch: batch))
    }

    func enqueue(_ run: RunRecord) async throws -> RunRecord {
        try await submit(Pending(batch: .init(entries: [], lease: nil), enqueued: run)) ?? run
    }

    func flush() async throws {
        if hasPending { try await write([], durable: true, lease: nil) }
    }

    private func submit(_ pending: Pending) async throws -> RunRecord? {
        try await withCheckedThrowingContinuation { waiter in
            let start = state.withLock { state in
                var waiting = pending
                waiting.waiter = waiter
                state.pending.append(waiting)
                state.hasDurable = true
                guard !state.committing else { return false }
                state.committing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Commits queued entries until no durable writer is waiting.
    private func drain() async {
        while true {
            let taken: [Pending]? = state.withLock { state in
                guard state.hasDurable else {
                    state.committing = false
                    return nil
                }
                let taken = state.pending
                state.pending = []
                state.hasDurable = false
                return taken
            }
            guard let taken else { return }
            let outcomes = await commit(taken)
            state.withLock { $0.commits += 1 }
            for (pending, outcome) in zip(taken, outcomes) { pending.waiter?.resume(with: outcome) }
        }
    }

    /// One transaction for everything; if it fails, each batch in its own.
    private func commit(_ taken: [Pending]) async -> [Result<RunRecord?, any Error>] {
        do {
            return try await transaction { connection in try await self.apply(taken, on: connection) }.map { $0.mapError { $0 } }
        } catch {
            guard taken.count > 1 else { return [.failure(await explained(error, taken[0]))] }
        }
        var outcomes: [Result<RunRecord?, any Error>] = []
        for pending in taken {
            do {
                let outcome = try await transaction { connection in try await self.apply([pending], on: connection) }
                outcomes.append(outcome[0].mapError { $0 })
            } catch {
                outcomes.append(.failure(await explained(error, pending)))
            }
        }
        return outcomes
    }

    /// Writes batches in the caller's transaction; a batch whose run was lost comes out as `leaseLost`.
    private func apply(_ taken: [Pending], on connection: PostgresConnection) async throws -> [Result<RunRecord?, JournalError>] {
        let enqueued = taken.compactMap(\.enqueued)
        var holders = try await PostgresJournalRows.enqueue(enqueued, on: connection, logger: logger)[...]
        if !enqueued.isEmpty {
            try await connection.query("SELECT pg_notify(\(channel), '')", logger: logger)
        }
        let refusals = try await PostgresJournalRows.write(
            taken.filter { $0.enqueued == nil }.map(\.batch), on: connection, logger: logger)[...]
        var refused = refusals.makeIterator()
        return taken.map { pending in
            if pending.enqueued != nil { return .success(holders.popFirst()) }
            return (refused.next() ?? []).min().map { .failure(JournalError.leaseLost($0)) } ?? .success(nil)
        }
    }

    private func transaction(
        _ body: @Sendable (PostgresConnection) async throws -> [Result<RunRecord?, JournalError>]
    ) async throws -> [Result<RunRecord?, JournalError>] {
        try await Postgres.translating(location) {
            try await client.withConnection { connection in try await Postgres.transaction(on: connection, logger: logger, body) }
        }
    }

    /// A failed batch's error: a second outcome for a step is named as such; anything else is PostgreSQL's.
    private func explained(_ error: any Error, _ pending: Pending) async -> any Error {
        guard (error as? StoreError)?.message.contains("(23505)") == true else { return error }
        let steps = pending.batch.entries.compactMap { entry -> StepRecord? in
            if case .step(let step) = entry { return step }
            return nil
        }
        guard !steps.isEmpty else { return error }
        let ids = Array(Set(steps.map(\.runID)))
        let recorded = (try? await client.withConnection { connection in
            try await Postgres.rows("SELECT run_id, key FROM run_step WHERE run_id = ANY(\(ids))", on: connection, logger: logger)
                .map { "\(try $0.value("run_id", as: String.self))\u{0}\(try $0.value("key", as: String.self))" }
        }).map(Set.init) ?? []
        var seen: Set<String> = recorded
        for step in steps {
            if !seen.insert("\(step.runID)\u{0}\(step.key)").inserted { return JournalError.duplicateStep(run: step.runID, key: step.key) }
        }
        return error
    }
}
