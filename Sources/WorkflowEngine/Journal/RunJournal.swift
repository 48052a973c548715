import Foundation

/// What the engine needs from durable storage: runs, the outcome of every step, and waits.
///
/// `write(_:durable:lease:)` is the only write path for run progress. A durable write returns once its entries, and
/// every entry written before them, are committed; a deferred write is committed with the next durable one
/// (or `flush()`). Implementations may share one commit among concurrent durable writes.
///
/// Runs are executed under leases (`RunLease`), so that processes on several machines sharing the journal never
/// execute one run at once: an owner claims a run, renews its lease while it executes it, and writes under it.
public protocol RunJournal: Sendable {
    /// Records entries. Under a `lease`, the write is fenced, in the same transaction: the entries of a run that
    /// exists and is not held by `lease.owner` are refused with `JournalError.leaseLost` and none of them is
    /// written, while the entries of other runs are; a run written under it that is neither pending, waiting nor
    /// finished is held by `lease.owner` until `lease.expiresAt`. Without a lease nothing is checked and holders
    /// are left as they are. A deferred write may be refused only when it is committed, unheard: its entries are
    /// left out all the same.
    func write(_ entries: [JournalEntry], durable: Bool, lease: RunLease?) async throws
    /// Commits every deferred entry.
    func flush() async throws

    func run(_ id: String) async throws -> RunRecord?
    /// The recorded outcomes of a run, in the order they were recorded.
    func steps(of runID: String) async throws -> [StepRecord]
    func waits(of runID: String) async throws -> [WaitRecord]
    /// Runs matching `query`, newest first.
    func runs(_ query: RunQuery) async throws -> [RunRecord]

    /// Records a pending run at once (durably), unless another run already has its idempotency key: then nothing
    /// is written and that run is returned.
    func enqueue(_ run: RunRecord) async throws -> RunRecord
    /// Takes an unfinished run under `lease`: true when nobody holds it, its holder's lease no longer holds at
    /// `now`, or `lease.owner` holds it already; false (and nothing changes) otherwise, or for a finished or
    /// unknown run.
    func claim(_ runID: String, lease: RunLease, at now: Date) async throws -> Bool
    /// Extends to `lease.expiresAt`, in one go, the leases `lease.owner` holds on `runIDs`, and returns those of
    /// them it no longer holds (another owner took them, or they were released).
    func renewLeases(_ runIDs: [String], lease: RunLease) async throws -> Set<String>
    /// Completes a callback or approval once. Throws `JournalError` for an unknown or used token.
    func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord
    /// Marks an unfinished run for cancellation and returns it as it now is.
    func requestCancel(_ runID: String) async throws -> RunRecord
}

extension RunJournal {
    /// Records entries without a lease: for tools and tests that write runs no engine executes.
    public func write(_ entries: [JournalEntry], durable: Bool) async throws {
        try await write(entries, durable: durable, lease: nil)
    }
}

/// One thing to record.
public enum JournalEntry: Sendable {
    /// Inserts or updates a run. Writing a pending, waiting or final run releases its holder.
    case run(RunRecord)
    /// Inserts a step outcome; a second outcome for the same key is an error.
    case step(StepRecord)
    /// Inserts or updates a wait.
    case wait(WaitRecord)
}

extension JournalEntry {
    /// The run the entry belongs to.
    public var runID: String {
        switch self {
        case .run(let run): run.id
        case .step(let step): step.runID
        case .wait(let wait): wait.runID
        }
    }
}

/// Which runs to list.
public struct RunQuery: Sendable {
    public var workflowID: Int64?
    public var statuses: Set<RunStatus>?
    /// Only runs that can be picked up now: unfinished, and held by nobody or under a lease that no longer holds
    /// (expired, or its owner died on this machine); waiting runs only once their wake time has come or a wait of
    /// theirs was completed.
    public var resumableAt: Date?
    public var limit: Int

    public init(workflowID: Int64? = nil, statuses: Set<RunStatus>? = nil, resumableAt: Date? = nil, limit: Int = 1000) {
        self.workflowID = workflowID
        self.statuses = statuses
        self.resumableAt = resumableAt
        self.limit = limit
    }
}

/// A journal request that cannot be met.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    case runNotFound(String)
    case tokenNotFound(run: String)
    case tokenUsed(run: String, step: String)
    case runFinished(String, RunStatus)
    case duplicateStep(run: String, key: String)
    /// Another owner took the run (or it was released): its former owner must stop executing it.
    case leaseLost(String)

    public var description: String {
        switch self {
        case .runNotFound(let id): "no run \(id)"
        case .tokenNotFound(let run): "run \(run) has no wait with that token"
        case .tokenUsed(let run, let step): "the wait \(step) of run \(run) was already completed; a token works once"
        case .runFinished(let id, let status): "run \(id) is already \(status.rawValue)"
        case .duplicateStep(let run, let key): "run \(run) already has an outcome for step \(key)"
        case .leaseLost(let id): "run \(id) is no longer held by this process: another one took it over"
        }
    }
}
