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

/// The latest `TriggerIndex` with the workflows stamp it was built at.
final class TriggerIndexCache: Sendable {
    private let cached = Mutex<(stamp: String, index: TriggerIndex)?>(nil)

    /// The index for the repository as it is now: the cached one unless a workflow changed since it was built.
    func index(of repository: any WorkflowRepository) async throws -> TriggerIndex {
        let stamp = try await repository.workflowsStamp()
        if let hit = cached.withLock({ $0?.stamp == stamp ? $0?.index : nil }) { return hit }
        let index = try await TriggerIndex.build(from: repository)
        cached.withLock { $0 = (stamp, index) }
        return index
    }
}
