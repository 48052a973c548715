import Foundation

extension WorkflowDefinition {
    /// A Mermaid flowchart of the workflow: calls as boxes, conditions as diamonds, parallel branches fanning
    /// out and joining, loops as subgraphs, compensations as dotted links.
    public func mermaid() -> String {
        var lines = ["flowchart TD", "  start((start))"]
        var counter = 0
        func node(_ id: String) -> String { "s_" + id }
        func label(_ step: Step) -> String {
            let text = "\(step.id)<br/>\(step.summary)".replacingOccurrences(of: "\"", with: "'")
            return "\"\(text)\""
        }
        /// Draws `steps` after `entry` nodes; returns the nodes the flow leaves from.
        func draw(_ steps: [Step], from entry: [String], edgeLabel: String? = nil) -> [String] {
            var current = entry
            var firstLabel = edgeLabel
            for step in steps {
                let id = node(step.id)
                switch step.body {
                case .condition, .switch: lines.append("  \(id){\(label(step))}")
                case .wait: lines.append("  \(id)([\(label(step))])")
                case .fail: lines.append("  \(id)[/\(label(step))/]")
                default: lines.append("  \(id)[\(label(step))]")
                }
                for from in current { lines.append("  \(from) -->\(firstLabel.map { "|\($0)|" } ?? "") \(id)") }
                firstLabel = nil
                switch step.body {
                case .condition(let c):
                    var exits = draw(c.then, from: [id], edgeLabel: "yes")
                    if let otherwise = c.otherwise { exits += draw(otherwise, from: [id], edgeLabel: "no") } else { exits.append(id) }
                    current = exits
                case .switch(let s):
                    var exits: [String] = []
                    for (i, c) in s.cases.enumerated() { exits += draw(c.steps, from: [id], edgeLabel: "case \(i + 1)") }
                    exits += s.defaultSteps.map { draw($0, from: [id], edgeLabel: "default") } ?? [id]
                    current = exits
                case .parallel(let p):
                    counter += 1
                    let join = "join\(counter)"
                    lines.append("  \(join)(( ))")
                    for branch in p.branches {
                        for exit in draw(branch.steps, from: [id], edgeLabel: branch.name) { lines.append("  \(exit) --> \(join)") }
                    }
                    current = [join]
                case .foreach(let f):
                    lines.append("  subgraph loop_\(step.id)[\"each \(f.variable)\"]")
                    _ = draw(f.steps, from: [], edgeLabel: nil)
                    lines.append("  end")
                    if let first = f.steps.first { lines.append("  \(id) --> \(node(first.id))") }
                    current = [id]
                case .group(let inner):
                    current = draw(inner, from: [id])
                case .wait(let w):
                    if let timeout = w.onTimeout { _ = draw(timeout, from: [id], edgeLabel: "timeout") }
                    current = [id]
                case .call(let call):
                    if let undo = call.compensate {
                        lines.append("  \(node(undo.id))[\(label(undo))]")
                        lines.append("  \(id) -.->|undo| \(node(undo.id))")
                    }
                    current = [id]
                case .fail:
                    current = []
                default:
                    current = [id]
                }
            }
            return current
        }
        let exits = draw(steps, from: ["start"])
        lines.append("  done((done))")
        for exit in exits { lines.append("  \(exit) --> done") }
        return lines.joined(separator: "\n")
    }
}
