import Foundation
import Metrics
import Prometheus
import WorkflowEngine
import WorkflowModel

/// What `/metrics` shows, in Prometheus's text format: runs started and finished, step durations by connector
/// operation, retries, compensations, compositions, webhook deliveries by response code, and (read at each scrape)
/// runs by status. Kept in its own registry, so several servers in one process (tests) do not mix their figures.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            .seconds(300),
        ]
        self.factory = factory
    }

    /// Counts what the engine reports.
    public func record(_ event: EngineEvent) {
        switch event {
        case .runStarted(let run):
            Counter(label: "baton_runs_started_total", dimensions: [("workflow", run.workflowName)], factory: factory).increment()
        case .runFinished(let run):
            Counter(
                label: "baton_runs_finished_total", dimensions: [("workflow", run.workflowName), ("status", run.status.rawValue)],
                factory: factory
            ).increment()
        case .runWaiting:
            break
        case .stepFinished(let step, let operation):
            let nanoseconds = Int64((step.endedAt.timeIntervalSince(step.startedAt) * 1e9).rounded())
            Timer(
                label: "baton_step_duration_seconds",
                dimensions: [("kind", step.kind), ("operation", operation ?? ""), ("status", step.status.rawValue)], factory: factory
            ).recordNanoseconds(max(0, nanoseconds))
            if step.attempts > 1 {
                Counter(label: "baton_step_retries_total", dimensions: [("operation", operation ?? step.kind)], factory: factory)
                    .increment(by: step.attempts - 1)
            }
            if step.compensates != nil {
                Counter(label: "baton_compensations_total", dimensions: [("status", step.status.rawValue)], factory: factory).increment()
            }
        }
    }

    /// Counts a composition by its outcome, with the time the model took.
    func composition(outcome: String, milliseconds: Int) {
        Counter(label: "baton_compositions_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        Timer(label: "baton_composition_seconds", dimensions: [("outcome", outcome)], factory: factory).recordMilliseconds(milliseconds)
    }

    /// Counts a webhook delivery by the status it was answered with.
    func webhook(status: Int) {
        Counter(label: "baton_webhook_deliveries_total", dimensions: [("code", String(status))], factory: factory).increment()
    }

    /// The registry's text, with the number of runs in each unfinished status read just now.
    func exposition(runsByStatus: [String: Int]) -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var text = String(decoding: buffer, as: UTF8.self)
        text += "# HELP baton_runs Runs by status, read from the database at this scrape.\n# TYPE baton_runs gauge\n"
        for status in RunStatus.allCases where !status.isTerminal {
            text += "baton_runs{status=\"\(status.rawValue)\"} \(runsByStatus[status.rawValue] ?? 0)\n"
        }
        return text
    }
}
