/// How the store uses SQLite. The defaults favour durability: a workflow reported saved survives a power cut.
public struct StoreConfiguration: Sendable, Hashable {
    /// SQLite's `PRAGMA synchronous` in WAL mode.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// Every commit is flushed to disk before it returns.
        case full = "FULL"
        /// Commits are flushed at checkpoints only: faster, and a power cut can lose the last few commits
        /// (never corrupt the file).
        case normal = "NORMAL"
    }

    public var synchronous: Synchronous
    /// How long a write waits for another process's write to finish before failing with `busy`.
    public var busyTimeout: Duration

    /// Opens the file for reading only: every write fails with `readOnly`, as on a file that cannot be written.
    public var readOnly: Bool

    /// Copies the write-ahead log into the database from a connection of its own, every second, instead of in
    /// the commit that fills it: commits never wait for a checkpoint. For long-running processes (`serve`,
    /// `worker`); a short command keeps SQLite's automatic checkpoints.
    public var checkpointsInBackground: Bool

    public init(
        synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5), readOnly: Bool = false, checkpointsInBackground: Bool = false
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.readOnly = readOnly
        self.checkpointsInBackground = checkpointsInBackground
    }
}
