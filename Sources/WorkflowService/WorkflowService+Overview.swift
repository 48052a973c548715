import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

extension WorkflowService {
    /// A workflow as a list of them shows it: its summary, the trigger of its live version (or of its latest before
    /// the first activation), when a schedule fires next, and its last run.
    public struct Overview: Sendable {
        public var summary: WorkflowSummary
        public var trigger: Trigger?
        public var nextFire: Date?
        public var lastRun: RunRecord?

        public init(summary: WorkflowSummary, trigger: Trigger?, nextFire: Date?, lastRun: RunRecord?) {
            self.summary = summary
            self.trigger = trigger
            self.nextFire = nextFire
            self.lastRun = lastRun
        }
    }

    /// Workflows with their triggers and last runs, newest first as `listWorkflows` orders them.
    public func overview(state: LifecycleState? = nil, limit: Int = 200, now: Date = Date()) async throws -> [Overview] {
        let schedules = try await schedules(now: now)
        var found: [Overview] = []
        for summary in try await repository.listWorkflows(state: state, limit: limit, offset: 0) {
            let version = try await repository.version(workflowID: summary.id, number: summary.activeVersion ?? summary.latestVersion)
            found.append(Overview(
                summary: summary, trigger: (try? JSONParser.parse(version.definition)).map(Trigger.init(readingFrom:)),
                nextFire: schedules.first { $0.summary.id == summary.id }?.nextFire,
                lastRun: try await runs(workflow: String(summary.id), limit: 1).first))
        }
        return found
    }
}
