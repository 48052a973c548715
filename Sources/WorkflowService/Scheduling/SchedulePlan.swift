import Foundation
import WorkflowModel

/// Decides, for one scheduled workflow, which fire times to start runs for now. It reads no clock and no store:
/// the caller passes what it recorded and the time, starts the runs (each keyed by workflow and fire time, so
/// a repeated decision starts nothing twice) and records what the decision says.
///
/// A fire time is *due* when it is after the last one dealt with and not after now. Catch-up chooses among the
/// due times; overlap then decides what happens to them while the previous run is still going. Overlap looks at
/// the run already going: the times one decision chooses (catch-up `all` after downtime) start together.
public struct SchedulePlan: Sendable, Hashable {
    public let calendar: CronCalendar
    public let catchUp: Trigger.CatchUp
    /// With `catchUp` `all`, the most missed times started: the most recent ones.
    public let maxCatchUp: Int
    public let overlap: Trigger.Overlap
    /// How late a fire time may be dealt with and still count as on time under `catchUp` `none`.
    public let grace: TimeInterval

    public init(
        calendar: CronCalendar, catchUp: Trigger.CatchUp = .latest, maxCatchUp: Int = Trigger.defaultMaxCatchUp,
        overlap: Trigger.Overlap = .skip, grace: TimeInterval = 60
    ) {
        self.calendar = calendar
        self.catchUp = catchUp
        self.maxCatchUp = max(1, maxCatchUp)
        self.overlap = overlap
        self.grace = grace
    }

    /// The plan of a schedule trigger, or nil when the trigger is not a schedule or its cron or zone does not
    /// read (a validated document never has either problem).
    public init?(trigger: Trigger, grace: TimeInterval = 60) {
        guard trigger.kind == .schedule, let text = trigger.cron, let cron = try? CronSchedule(parsing: text),
            let zone = TimeZone(identifier: trigger.timezone ?? "UTC")
        else { return nil }
        self.init(
            calendar: CronCalendar(cron: cron, timeZone: zone), catchUp: trigger.catchUpPolicy, maxCatchUp: trigger.catchUpLimit,
            overlap: trigger.overlapPolicy, grace: grace)
    }

    /// What the caller recorded, and the moment.
    public struct Situation: Sendable, Hashable {
        /// The last fire time dealt with (started, skipped or buffered); nil for a workflow that has not fired
        /// since it was activated.
        public var lastFire: Date?
        /// When the workflow was activated. Nothing before it is ever due, so a new workflow catches up nothing.
        public var activatedAt: Date
        public var now: Date
        /// Whether the previous run of this workflow is still going.
        public var previousRunActive: Bool
        /// A fire time held back by `buffer` until the running run ends.
        public var buffered: Date?

        public init(lastFire: Date?, activatedAt: Date, now: Date, previousRunActive: Bool = false, buffered: Date? = nil) {
            self.lastFire = lastFire
            self.activatedAt = activatedAt
            self.now = now
            self.previousRunActive = previousRunActive
            self.buffered = buffered
        }
    }

    /// What overlap did with the fire times catch-up chose, when the previous run was still going.
    public enum OverlapAction: Sendable, Hashable {
        /// Nothing started for them (`skip`, or `buffer` with one already waiting).
        case skipped
        /// Started alongside the running one (`allow`).
        case startedAlongside
        /// The first held back until the running run ends; any others skipped (`buffer`).
        case buffered
    }

    public struct Decision: Sendable, Hashable {
        /// The fire times to start runs for now, oldest first. Each, with the workflow, is the run's idempotency key.
        public var start: [Date]
        /// The fire time to keep waiting for the running run to end (nil: none).
        public var buffered: Date?
        /// The due times catch-up chose but overlap did not start, oldest first.
        public var skipped: [Date]
        /// What overlap did, when the previous run was going and something was due.
        public var overlap: OverlapAction?
        /// The last fire time dealt with, to record (unchanged when nothing was due).
        public var lastFire: Date?
        /// When to decide again: the first fire time after now (nil: the expression never fires again).
        public var nextFire: Date?
    }

    public func decide(_ situation: Situation) -> Decision {
        let cursor = max(situation.lastFire ?? situation.activatedAt, situation.activatedAt)
        let chosen = dueTimes(after: cursor, now: situation.now)
        var decision = Decision(
            start: [], buffered: situation.buffered, skipped: [], overlap: nil,
            lastFire: chosen.newest ?? situation.lastFire, nextFire: calendar.nextFire(after: situation.now))
        var running = situation.previousRunActive
        if !running, let held = situation.buffered {
            // The run it waited for has ended: the held time starts first, being the oldest, and is now the one going.
            decision.start = [held]
            decision.buffered = nil
            running = true
        }
        guard running else {
            decision.start = chosen.times
            return decision
        }
        guard !chosen.times.isEmpty else { return decision }
        switch overlap {
        case .allow:
            decision.start += chosen.times
            decision.overlap = .startedAlongside
        case .buffer where decision.buffered == nil:
            decision.buffered = chosen.times[0]
            decision.skipped = Array(chosen.times.dropFirst())
            decision.overlap = .buffered
        case .skip, .buffer:
            decision.skipped = chosen.times
            decision.overlap = .skipped
        }
        return decision
    }

    /// The due fire times catch-up chooses (oldest first), and the newest due time, chosen or not.
    private func dueTimes(after cursor: Date, now: Date) -> (times: [Date], newest: Date?) {
        guard let newest = calendar.previousFire(atOrBefore: now), newest > cursor else { return ([], nil) }
        switch catchUp {
        case .none:
            return (now.timeIntervalSince(newest) <= grace ? [newest] : [], newest)
        case .latest:
            return ([newest], newest)
        case .all:
            var times = [newest]
            while times.count < maxCatchUp, let earlier = calendar.previousFire(atOrBefore: times[times.count - 1].addingTimeInterval(-1)),
                earlier > cursor
            {
                times.append(earlier)
            }
            return (times.reversed(), newest)
        }
    }
}
