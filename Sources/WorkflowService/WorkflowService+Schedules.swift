import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowStore

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
        for (live, plan) in try await scheduledWorkflows() {
            found.append(ScheduledWorkflow(summary: live.summary, trigger: live.definition.trigger, nextFire: plan.calendar.nextFire(after: now)))
        }
        return found.sorted { ($0.nextFire ?? .distantFuture) < ($1.nextFire ?? .distantFuture) }
    }

    /// Starts the runs that schedules owe at `now`, following each trigger's `catchUp` and `overlap`. Each fire time
    /// is the run's idempotency key, so however many processes tick at once, a fire time starts at most one run.
    /// Runs are queued for a worker; the runs started are returned.
    @discardableResult
    public func fireSchedules(now: Date) async throws -> [RunRecord] {
        var states = try store.scheduleStates()
        var started: [RunRecord] = []
        for (live, plan) in try await scheduledWorkflows() {
            let id = live.summary.id
            var state = states[id].flatMap { $0.version == live.version ? $0 : nil }
                ?? ScheduleState(workflowID: id, version: live.version, activatedAt: now)
            let unfinished = try await store.runJournal().runs(
                RunQuery(workflowID: id, statuses: [.pending, .running, .waiting, .compensating], limit: 1))
            let decision = plan.decide(.init(
                lastFire: state.lastFire, activatedAt: state.activatedAt, now: now, previousRunActive: !unfinished.isEmpty,
                buffered: state.buffered))
            for time in decision.start {
                let trigger = JSONValue.object(JSONObject([("scheduledAt", .string(ISO8601Text.format(time)))]))
                let (run, _) = try await start(
                    live, input: JSONObject(), trigger: trigger, queue: true, idempotencyKey: "schedule:\(id):\(time.milliseconds)")
                started.append(run)
            }
            state.lastFire = decision.lastFire
            state.buffered = decision.buffered
            state.nextFire = decision.nextFire
            if state != states[id] { try store.saveSchedule(state) }
            states[id] = state
        }
        return started
    }

    private func scheduledWorkflows() async throws -> [(LiveWorkflow, SchedulePlan)] {
        var found: [(LiveWorkflow, SchedulePlan)] = []
        for summary in try store.listWorkflows(state: .active) {
            guard let version = summary.activeVersion else { continue }
            let definition = try await store.definition(workflowID: summary.id, version: version)
            guard definition.trigger.kind == .schedule, let plan = SchedulePlan(trigger: definition.trigger) else { continue }
            found.append((LiveWorkflow(summary: summary, version: version, definition: definition), plan))
        }
        return found
    }
}

extension Date {
    fileprivate var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
