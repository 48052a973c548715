import Foundation

/// What the engine needs from durable storage: runs, the outcome of every step, and waits.
///
/// `write(_:durable:)` is the only write path for run progress. A durable write returns once its entries, and
/// every entry written before them, are committed; a deferred write is committed with the next durable one
/// (or `flush()`). Implementations may share one commit among concurrent durable writes.
public protocol RunJournal: Sendable {
    func write(_ entries: [JournalEntry], durable: Bool) async throws
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
    /// Takes a run for `owner`: true unless another live process holds it.
    func claim(_ runID: String, owner: RunOwner) async throws -> Bool
    /// Completes a callback or approval once. Throws `JournalError` for an unknown or used token.
    func resolveWait(runID: String, token: String, resolution: WaitResolution) async throws -> WaitRecord
    /// Marks an unfinished run for cancellation and returns it as it now is.
    func requestCancel(_ runID: String) async throws -> RunRecord
}

/// One thing to record.
public enum JournalEntry: Sendable {
    /// Inserts or updates a run. Writing a pending, waiting or final run releases its owner.
    case run(RunRecord)
    /// Inserts a step outcome; a second outcome for the same key is an error.
    case step(StepRecord)
    /// Inserts or updates a wait.
    case wait(WaitRecord)
}

/// Which runs to list.
public struct RunQuery: Sendable {
    public var workflowID: Int64?
    public var statuses: Set<RunStatus>?
    /// Only runs that can be picked up now: unfinished and not held by a live process; waiting runs only once
    /// their wake time has come or a wait of theirs was completed.
    public var resumableAt: Date?
    public var limit: Int

    public init(workflowID: Int64? = nil, statuses: Set<RunStatus>? = nil, resumableAt: Date? = nil, limit: Int = 1000) {
        self.workflowID = workflowID
        self.statuses = statuses
        self.resumableAt = resumableAt
        self.limit = limit
    }
}

/// The process that runs a run, so that two processes never run the same one.
public struct RunOwner: Sendable, Hashable {
    public var pid: Int32

    public init(pid: Int32) { self.pid = pid }

    public static var current: RunOwner { RunOwner(pid: getpid()) }

    /// Whether the process is still alive on this machine. A zombie (exited, not yet reaped by its parent) is not:
    /// `kill(pid, 0)` still succeeds on it, but it will never run a step again.
    public var isAlive: Bool {
        if pid == getpid() { return true }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return !Self.hasExited(pid)
    }

    /// Whether `/proc` shows the process as a zombie (`Z`) or dead (`X`); false where there is no `/proc`.
    static func hasExited(_ pid: Int32) -> Bool {
        let handle = open("/proc/\(pid)/stat", O_RDONLY)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(handle, &buffer, buffer.count)
        guard count > 0 else { return false }
        return processState(stat: String(decoding: buffer[..<count], as: UTF8.self)).map { $0 == "Z" || $0 == "X" } ?? false
    }

    /// The state letter of a `/proc/PID/stat` line: the first field after the command name, which is in
    /// parentheses and may itself hold spaces and `)`.
    static func processState(stat: String) -> Character? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }
}

/// A journal request that cannot be met.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    case runNotFound(String)
    case tokenNotFound(run: String)
    case tokenUsed(run: String, step: String)
    case runFinished(String, RunStatus)
    case duplicateStep(run: String, key: String)

    public var description: String {
        switch self {
        case .runNotFound(let id): "no run \(id)"
        case .tokenNotFound(let run): "run \(run) has no wait with that token"
        case .tokenUsed(let run, let step): "the wait \(step) of run \(run) was already completed; a token works once"
        case .runFinished(let id, let status): "run \(id) is already \(status.rawValue)"
        case .duplicateStep(let run, let key): "run \(run) already has an outcome for step \(key)"
        }
    }
}
