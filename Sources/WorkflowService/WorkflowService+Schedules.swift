import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// A scheduled workflow and when it fires next.
    public struct ScheduledWorkflow: Sendable {
        public var summary: WorkflowSummary
        public var trigger: Trigger
        public var nextFire: Date?
    }

    /// The active workflows with a schedule trigger, soonest first.
    public func schedules(now: Date) async throws -> [ScheduledWorkflow] {
        var found: [ScheduledWorkflow] = []
        for (live, plan) in try await triggers().schedules {
            found.append(ScheduledWorkflow(summary: live.summary, trigger: live.definition.trigger, nextFire: plan.calendar.nextFire(after: now)))
        }
        return found.sorted { ($0.nextFire ?? .distantFuture) < ($1.nextFire ?? .distantFuture) }
    }

    /// Starts the runs that schedules owe at `now`, following each trigger's `catchUp` and `overlap`. Each fire time
    /// is the run's idempotency key, so however many processes tick at once, a fire time starts at most one run.
    /// Runs are queued for a worker, many at once so that their commits can be shared; the runs started are returned.
    /// A schedule whose next fire time has not come costs no database work.
    @discardableResult
    public func fireSchedules(now: Date) async throws -> [RunRecord] {
        let states = try await repository.scheduleStates()
        var owed: [(live: LiveWorkflow, time: Date)] = []
        var changed: [ScheduleState] = []
        for (live, plan) in try await triggers().schedules {
            let id = live.summary.id
            let stored = states[id].flatMap { $0.version == live.version ? $0 : nil }
            if let stored, stored.buffered == nil, let next = stored.nextFire, next > now { continue }
            var state = stored ?? ScheduleState(workflowID: id, version: live.version, activatedAt: now)
            let unfinished = try await journal.runs(
                RunQuery(workflowID: id, statuses: [.pending, .running, .waiting, .compensating], limit: 1))
            let decision = plan.decide(.init(
                lastFire: state.lastFire, activatedAt: state.activatedAt, now: now, previousRunActive: !unfinished.isEmpty,
                buffered: state.buffered))
            owed += decision.start.map { (live, $0) }
            state.lastFire = decision.lastFire
            state.buffered = decision.buffered
            state.nextFire = decision.nextFire
            if state != states[id] { changed.append(state) }
        }
        let started = try await startAll(owed)
        // Saved after the runs: a process that stops in between owes the same fire times again, whose keys start nothing.
        try await repository.saveSchedules(changed)
        return started
    }

    /// Starts one queued run per fire time, up to 64 at once; returns them in the order owed (oldest fire time first
    /// for each schedule), whichever finished starting first.
    private func startAll(_ owed: [(live: LiveWorkflow, time: Date)]) async throws -> [RunRecord] {
        try await withThrowingTaskGroup(of: (Int, RunRecord).self) { group in
            var started: [(Int, RunRecord)] = []
            for (index, (live, time)) in owed.enumerated() {
                if index >= 64, let run = try await group.next() { started.append(run) }
                group.addTask {
                    let trigger = JSONValue.object(JSONObject([("scheduledAt", .string(ISO8601Text.format(time)))]))
                    return (index, try await self.start(
                        live, input: JSONObject(), trigger: trigger, queue: true, idempotencyKey: "schedule:\(live.summary.id):\(time.milliseconds)"
                    ).run)
                }
            }
            for try await run in group { started.append(run) }
            return started.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

extension Date {
    fileprivate var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
