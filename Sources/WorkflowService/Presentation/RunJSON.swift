import Foundation
import WorkflowEngine
import WorkflowModel

/// Runs, steps and waits as JSON: what `--json` prints and the HTTP API answers.
public enum RunJSON {
    public static func run(_ run: RunRecord) -> JSONValue {
        var object = JSONObject([
            ("id", .string(run.id)), ("workflowId", .number(Double(run.workflowID))), ("workflow", .string(run.workflowName)),
            ("version", .number(Double(run.version))), ("status", .string(run.status.rawValue)), ("input", run.input),
            ("startedAt", .string(ISO8601Text.format(run.createdAt))),
        ])
        if let ended = run.endedAt {
            object["endedAt"] = .string(ISO8601Text.format(ended))
            object["durationMs"] = .number((ended.timeIntervalSince(run.createdAt) * 1000).rounded())
        }
        if let trigger = run.trigger { object["trigger"] = trigger }
        if let output = run.output { object["output"] = output }
        if let error = run.error { object["error"] = error.scopeValue }
        if let wake = run.wakeAt { object["wakeAt"] = .string(ISO8601Text.format(wake)) }
        if let replayOf = run.replayOf { object["replayOf"] = .string(replayOf) }
        return .object(object)
    }

    /// A step; `undo` says what became of its compensation: `compensated`, or `compensation-failed` (it stands).
    public static func step(_ step: StepRecord, undo: String? = nil) -> JSONValue {
        var object = JSONObject([
            ("key", .string(step.key)), ("step", .string(step.stepID)), ("kind", .string(step.kind)), ("status", .string(step.status.rawValue)),
            ("attempts", .number(Double(step.attempts))), ("startedAt", .string(ISO8601Text.format(step.startedAt))),
            ("endedAt", .string(ISO8601Text.format(step.endedAt))),
            ("durationMs", .number((step.endedAt.timeIntervalSince(step.startedAt) * 1000).rounded())),
            ("sequence", .number(Double(step.sequence))),
        ])
        if let input = step.input { object["input"] = input }
        if let output = step.output { object["output"] = output }
        if let error = step.error { object["error"] = error.scopeValue }
        if let compensates = step.compensates { object["compensates"] = .string(compensates) }
        if let undo { object["undo"] = .string(undo) }
        return .object(object)
    }

    public static func wait(_ wait: WaitRecord) -> JSONValue {
        var object = JSONObject([
            ("step", .string(wait.stepID)), ("key", .string(wait.key)), ("for", .string(wait.kind.rawValue)),
            ("createdAt", .string(ISO8601Text.format(wait.createdAt))),
        ])
        if wait.kind != .timer {
            object["token"] = .string(wait.token)
            // Where `baton serve` takes the completion, with the token alone.
            object["callbackPath"] = .string("/callbacks/\(wait.token)")
        }
        if let deadline = wait.deadline { object["deadline"] = .string(ISO8601Text.format(deadline)) }
        if let message = wait.message { object["message"] = .string(message) }
        if let resolution = wait.resolution { object["resolution"] = resolution.output }
        return .object(object)
    }

    public static func trace(_ run: RunRecord, steps: [StepRecord], waits: [WaitRecord]) -> JSONValue {
        var object = self.run(run).objectValue ?? JSONObject()
        let undone = StepRecord.undone(in: steps)
        let standing = StepRecord.notUndone(in: steps)
        object["steps"] = .array(steps.map { record in
            let undo = undone.contains(record.key) ? "compensated" : standing.contains(record.key) ? "compensation-failed" : nil
            return step(record, undo: undo)
        })
        object["waits"] = .array(waits.map(wait))
        return .object(object)
    }

    public static func print(_ value: JSONValue) { Swift.print(value.prettyJSON()) }
}
