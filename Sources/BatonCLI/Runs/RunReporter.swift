import Foundation
import Synchronization
import WorkflowEngine
import WorkflowModel

/// Shows runs as they go: a line per finished step for people, or JSON log lines (`--log-json`) for machines.
final class RunReporter: Sendable {
    private let showSteps: Bool
    private let logJSON: Bool
    private let lock = Mutex(())

    init(showSteps: Bool, logJSON: Bool) {
        self.showSteps = showSteps
        self.logJSON = logJSON
    }

    func report(_ event: EngineEvent) {
        if logJSON { log(event) }
        guard showSteps else { return }
        switch event {
        case .runStarted(let run):
            say("run \(run.id) of \(run.workflowName) v\(run.version) started" + (run.replayOf.map { " (a replay of \($0))" } ?? ""))
        case .stepFinished(let step, _):
            say(RunText.progressLine(step))
        case .runWaiting(let run, let waits):
            say(RunText.waiting(run, waits: waits))
        case .runFinished:
            break
        }
    }

    private func say(_ line: String) {
        lock.withLock { _ in print(line) }
    }

    private func log(_ event: EngineEvent) {
        var line = JSONObject([("time", .string(ISO8601Text.format(Date())))])
        switch event {
        case .runStarted(let run):
            line["event"] = .string("run")
            line["run"] = .string(run.id)
            line["workflow"] = .string(run.workflowName)
            line["status"] = .string(run.status.rawValue)
        case .stepFinished(let step, _):
            line["event"] = .string("step")
            line["run"] = .string(step.runID)
            line["step"] = .string(step.key)
            line["kind"] = .string(step.kind)
            line["status"] = .string(step.status.rawValue)
            line["attempts"] = .number(Double(step.attempts))
            line["durationMs"] = .number((step.endedAt.timeIntervalSince(step.startedAt) * 1000).rounded())
            if let error = step.error { line["error"] = .string(error.description) }
        case .runWaiting(let run, let waits):
            line["event"] = .string("run")
            line["run"] = .string(run.id)
            line["status"] = .string(run.status.rawValue)
            line["waitingFor"] = .array(waits.map { .string($0.stepID) })
        case .runFinished(let run):
            line["event"] = .string("run")
            line["run"] = .string(run.id)
            line["workflow"] = .string(run.workflowName)
            line["status"] = .string(run.status.rawValue)
            if let duration = run.duration { line["durationMs"] = .number((duration * 1000).rounded()) }
            if let error = run.error { line["error"] = .string(error.description) }
        }
        write(JSONValue.object(line).jsonText + "\n", to: .standardError)
    }

    private func write(_ text: String, to handle: FileHandle) {
        lock.withLock { _ in handle.write(Data(text.utf8)) }
    }
}
