import Foundation

/// Where a scheduled workflow's live version stands.
public struct ScheduleState: Sendable, Hashable, Codable {
    public var workflowID: Int64
    /// The live version this state is about; a new live version starts afresh.
    public var version: Int
    /// Since when the version is live, as the scheduler first saw it: nothing before it is ever due.
    public var activatedAt: Date
    /// The last fire time dealt with (started, skipped or buffered).
    public var lastFire: Date?
    /// A fire time held back until the running run ends.
    public var buffered: Date?
    public var nextFire: Date?

    public init(workflowID: Int64, version: Int, activatedAt: Date, lastFire: Date? = nil, buffered: Date? = nil, nextFire: Date? = nil) {
        self.workflowID = workflowID
        self.version = version
        self.activatedAt = activatedAt
        self.lastFire = lastFire
        self.buffered = buffered
        self.nextFire = nextFire
    }
}
