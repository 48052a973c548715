import Foundation
import Synchronization
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// The live workflows by what starts them: webhook paths, event names and schedules. Built from the store and kept
/// until a workflow changes, so a webhook delivery or an event looks its workflows up instead of reading them all.
struct TriggerIndex: Sendable {
    var webhooks: [String: WorkflowService.LiveWorkflow] = [:]
    /// Paused workflows by webhook path, so a delivery to one is told it is paused rather than unknown.
    var pausedWebhooks: [String: WorkflowSummary] = [:]
    var events: [String: [WorkflowService.LiveWorkflow]] = [:]
    var schedules: [(WorkflowService.LiveWorkflow, SchedulePlan)] = []

    static func build(from repository: any WorkflowRepository) async throws -> TriggerIndex {
        var index = TriggerIndex()
        for summary in try await repository.listWorkflows() where summary.state == .active || summary.state == .paused {
            guard let version = summary.activeVersion else { continue }
            let definition = try await repository.definition(workflowID: summary.id, version: version)
            let trigger = definition.trigger
            if summary.state == .paused {
                if trigger.kind == .webhook, let path = trigger.path { index.pausedWebhooks[path] = summary }
                continue
            }
            let live = WorkflowService.LiveWorkflow(summary: summary, version: version, definition: definition)
            switch trigger.kind {
            case .webhook: if let path = trigger.path { index.webhooks[path] = live }
            case .event: if let name = trigger.event { index.events[name, default: []].append(live) }
            case .schedule: if let plan = SchedulePlan(trigger: trigger) { index.schedules.append((live, plan)) }
            case .manual: break
            }
        }
        return index
    }
}

/// The latest `TriggerIndex` with the workflows stamp it was built at. The stamp is read again at most every
/// `recheck` (a change made in another process is seen within that time); a change made through this process's
/// service clears the cache at once.
final class TriggerIndexCache: Sendable {
    private struct Entry {
        var stamp: String
        var index: TriggerIndex
        var checked: ContinuousClock.Instant
    }

    private let cached = Mutex<Entry?>(nil)
    private let recheck: Duration

    init(recheck: Duration = .milliseconds(250)) { self.recheck = recheck }

    /// The index for the repository as it is now: the cached one unless a workflow changed since it was built.
    func index(of repository: any WorkflowRepository) async throws -> TriggerIndex {
        let now = ContinuousClock.now
        if let fresh = cached.withLock({ entry in entry.flatMap { now - $0.checked < recheck ? $0.index : nil } }) { return fresh }
        let stamp = try await repository.workflowsStamp()
        let hit = cached.withLock { entry -> TriggerIndex? in
            guard let current = entry, current.stamp == stamp else { return nil }
            entry?.checked = now
            return current.index
        }
        if let hit { return hit }
        let index = try await TriggerIndex.build(from: repository)
        cached.withLock { $0 = Entry(stamp: stamp, index: index, checked: now) }
        return index
    }

    /// Forgets the index, after a change to a workflow's live version or state.
    func invalidate() { cached.withLock { $0 = nil } }
}
