import Foundation
import WorkflowEngine
import WorkflowModel

/// Runs and traces as text for people.
enum RunText {
    static func symbol(_ status: StepStatus) -> String {
        switch status {
        case .succeeded: "✓"
        case .failed: "✗"
        case .skipped: "↷"
        case .compensated: "↺"
        }
    }

    /// A duration for people: `212 ms`, `6.0 s`, `4m 10s`, `2h 5m`, `3d 4h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        switch seconds {
        case ..<1: return "\(Int((seconds * 1000).rounded())) ms"
        case ..<60: return String(format: "%.1f s", seconds)
        case ..<3600: return "\(whole / 60)m \(whole % 60)s"
        case ..<86_400: return "\(whole / 3600)h \(whole % 3600 / 60)m"
        default: return "\(whole / 86_400)d \(whole % 86_400 / 3600)h"
        }
    }

    static func progressLine(_ step: StepRecord) -> String {
        var line = "  \(symbol(step.status)) \(step.key.padding(24)) \(step.status.rawValue.padding(11)) \(duration(step.endedAt.timeIntervalSince(step.startedAt)))"
        if step.attempts > 1 { line += ", \(step.attempts) attempts" }
        if let error = step.error { line += "  \(error.code): \(error.message)" }
        return line
    }

    static func summary(_ run: RunRecord) -> String {
        var text = "run \(run.id) (\(run.workflowName) v\(run.version)): \(run.status.rawValue)"
        if let duration = run.duration { text += " in \(RunText.duration(duration))" }
        if let error = run.error { text += "\n  error: \(error.description)" }
        return text
    }

    /// What a waiting run waits for, with the command that completes each callback or approval.
    static func waiting(_ run: RunRecord, waits: [WaitRecord]) -> String {
        var lines: [String] = []
        for wait in waits where wait.resolution == nil {
            var line = "  waiting at \(wait.stepID) for \(article(wait.kind))"
            if let deadline = wait.deadline { line += wait.kind == .timer ? " until \(ISO8601Text.format(deadline))" : " (times out \(ISO8601Text.format(deadline)))" }
            if let message = wait.message { line += "\n    \(message)" }
            if wait.kind != .timer {
                line += "\n    complete it: baton signal \(run.id) \(wait.token) --approve" + (wait.kind == .approval ? " (or --reject)" : " --data '{...}'")
                line += "\n    or over HTTP (baton serve): POST /callbacks/\(wait.token)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func article(_ kind: Step.Wait.Kind) -> String {
        switch kind {
        case .timer: "a timer"
        case .callback: "a callback"
        case .approval: "an approval"
        }
    }

    /// The step-by-step timeline of a run.
    static func trace(_ run: RunRecord, steps: [StepRecord], waits: [WaitRecord], verbose: Bool) -> String {
        let workflow = run.workflowID == 0 ? "\(run.workflowName) (a dry run)" : "\(run.workflowName) (id \(run.workflowID)), version \(run.version)"
        var lines = ["Run \(run.id)", "  workflow   \(workflow)"]
        lines.append("  status     \(run.status.rawValue)" + (run.replayOf.map { " (replay of \($0))" } ?? ""))
        lines.append("  started    \(ISO8601Text.format(run.createdAt))")
        if let ended = run.endedAt { lines.append("  ended      \(ISO8601Text.format(ended)) (\(duration(ended.timeIntervalSince(run.createdAt))))") }
        lines.append("  input      \(run.input.jsonText)")
        if let trigger = run.trigger { lines.append("  trigger    \(truncate(trigger.jsonText, verbose: verbose))") }
        if let output = run.output { lines.append("  output     \(truncate(output.jsonText, verbose: verbose))") }
        if let error = run.error { lines.append("  error      \(error.description)") }
        lines.append("")
        let undone = StepRecord.undone(in: steps)
        let standing = StepRecord.notUndone(in: steps)
        // In the order steps started; a block's record is written after its steps, so its sequence comes later.
        let timeline = steps.sorted { ($0.startedAt, $0.sequence) < ($1.startedAt, $1.sequence) }
        for step in timeline {
            let offset = step.startedAt.timeIntervalSince(run.createdAt)
            var status = step.status.rawValue
            if step.status == .succeeded, undone.contains(step.key) {
                status = "succeeded, compensated"
            } else if step.status == .succeeded, standing.contains(step.key) {
                status = "succeeded, NOT undone (its compensation failed)"
            }
            let at = offset < 1000 ? String(format: "%8.3fs", max(0, offset)) : RunText.duration(offset).leftAligned(9)
            var line = "  +\(at) " + "\(symbol(step.status)) \(step.key.padding(26)) \(step.kind.padding(10)) \(status.padding(12))"
            line += " \(duration(step.endedAt.timeIntervalSince(step.startedAt)))"
            if step.attempts > 1 { line += " · \(step.attempts) attempts" }
            if let compensated = step.compensates { line += " · undoes \(compensated)" }
            lines.append(line)
            if let input = step.input, let method = input["method"]?.stringValue, let url = input["url"]?.stringValue {
                lines.append("              \(method) \(url)")
            }
            if let error = step.error { lines.append("              error: \(error.code): \(error.message)") }
            if verbose {
                if let body = step.input?["body"] ?? (step.kind == "call" ? nil : step.input) { lines.append("              in:  \(body.jsonText)") }
                if let output = step.output { lines.append("              out: \(output.jsonText)") }
            }
        }
        let open = waits.filter { wait in wait.resolution == nil && !steps.contains { $0.key == wait.key } }
        if run.status == .waiting, !open.isEmpty { lines.append(""); lines.append(waiting(run, waits: open)) }
        return lines.joined(separator: "\n")
    }

    private static func truncate(_ text: String, verbose: Bool) -> String {
        verbose || text.count <= 160 ? text : String(text.prefix(157)) + "..."
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftAligned(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
