extension WorkflowDefinition {
    /// A readable outline of the workflow: its trigger, inputs and numbered steps, nested blocks indented.
    public func outline() -> String {
        var lines: [String] = [description.map { "\(name) — \($0)" } ?? name]
        lines.append("trigger: " + self.trigger.outline)
        if !inputs.isEmpty {
            let list = inputs.map { input in
                var text = "\(input.name) (\(input.type.rawValue)"
                if input.required { text += ", required" }
                if let value = input.defaultValue { text += " = \(value.compactText)" }
                return text + ")"
            }
            lines.append("inputs: " + list.joined(separator: ", "))
        }
        Self.outline(steps, prefix: "", indent: "", into: &lines)
        if onError.action != .compensate || !onError.steps.isEmpty {
            lines.append("on failure: \(onError.action.rawValue)")
            Self.outline(onError.steps, prefix: "", indent: "  ", into: &lines)
        } else if allSteps.contains(where: { if case .call(let c) = $0.body { c.compensate != nil } else { false } }) {
            lines.append("on failure: undo completed steps in reverse order")
        }
        return lines.joined(separator: "\n")
    }

    /// Numbers steps `prefix` + 1, 2, ... from `first`; the blocks of one step share its numbering, so a `then` and
    /// an `else` branch never both have a `4.1`.
    private static func outline(_ steps: [Step], prefix: String, indent: String, first: Int = 1, into lines: inout [String]) {
        for (i, step) in steps.enumerated() {
            let number = "\(prefix)\(first + i)"
            var line = "\(indent)\(number). \(step.id)  \(step.summary)"
            if let name = step.name { line += "  — \(name)" }
            lines.append(line)
            var extras: [String] = []
            if let retry = step.retry {
                extras.append("retry \(retry.maxAttempts)× \(retry.backoff.rawValue) from \(retry.initialDelay)")
            }
            if let timeout = step.timeout { extras.append("timeout \(timeout)") }
            if let onError = step.onError { extras.append("on error \(onError.action.rawValue)") }
            if !extras.isEmpty { lines.append("\(indent)    " + extras.joined(separator: ", ")) }
            var next = 1
            for block in step.blocks {
                var label = JSONPointer.tokens(block.pointer).suffix(block.pointer.contains("/cases/") ? 3 : 1)
                    .filter { $0 != "steps" }.joined(separator: " ")
                if block.role == .compensation { label = "undo" }
                if let branch = block.branch, case .parallel(let parallel) = step.body, branch < parallel.branches.count {
                    label = "branch \(parallel.branches[branch].name)"
                }
                lines.append("\(indent)    \(label):")
                outline(block.steps, prefix: "\(number).", indent: indent + "      ", first: next, into: &lines)
                next += block.steps.count
            }
        }
    }
}

extension Step {
    /// The step's kind and its essentials in a few words, e.g. `call crm.createCustomer` or `wait for approval 48h`.
    public var summary: String {
        switch body {
        case .call(let call): "call \(call.connector).\(call.operation)"
        case .transform: "transform"
        case .condition(let c): "condition if \(c.test)"
        case .switch(let s): "switch (\(s.cases.count) case\(s.cases.count == 1 ? "" : "s"))"
        case .parallel(let p): "parallel (\(p.branches.map(\.name).joined(separator: ", ")))"
        case .foreach(let f): "foreach \(f.variable) in \(f.items)" + (f.concurrency > 1 ? ", \(f.concurrency) at a time" : "")
        case .wait(let w):
            "wait for \(w.kind.rawValue)" + (w.duration.map { " \($0)" } ?? "") + (timeout.map { ", timeout \($0)" } ?? "")
        case .fail(let f): "fail \(f.error)"
        case .group(let steps): "group of \(steps.count)"
        case .unknown: "unknown"
        }
    }
}

extension Trigger {
    /// One line: the kind, what fires it, and for schedules and webhooks the policies in force, briefly.
    public var outline: String {
        var text = kind.rawValue
        if let cron { text += " \"\(cron)\"" + (timezone.map { " (\($0))" } ?? "") }
        if let event { text += " \(event)" }
        if let path { text += " \(path)" }
        switch kind {
        case .schedule:
            let catchUp = catchUpPolicy == .all ? "all, at most \(catchUpLimit)" : catchUpPolicy.rawValue
            text += "; catch-up \(catchUp), overlap \(overlapPolicy.rawValue)"
        case .webhook:
            if let secret { text += "; signed with secret \(secret)" } else if auth == Auth.none { text += "; unsigned" }
        case .manual, .event: break
        }
        return text
    }
}
