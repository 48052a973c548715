/// A run's steps as HTML: one `<details>` per step instance with its status, duration, attempts, error, input and
/// output. Written in code rather than the template because a run may have thousands of steps; every text is escaped.
enum StepList {
    static func render(_ steps: [RunView.StepRow]) -> String {
        var html = ""
        html.reserveCapacity(steps.count * 640)
        for step in steps {
            let key = HTML.escape(step.key)
            let status = HTML.escape(step.status)
            html += "<details class=\"step status-\(status)\" id=\"step-\(key)\"><summary><span class=\"badge status-\(status)\">\(status)</span> "
            html += "<code>\(key)</code> \(HTML.escape(step.kind)) · \(step.duration)"
            if let undoes = step.undoes { html += " · undoes <code>\(HTML.escape(undoes))</code>" }
            if step.undone { html += " · undone" }
            html += " <span class=\"sub\">attempts: \(step.attempts)</span></summary><p class=\"sub\">Started \(step.started)</p>"
            if let error = step.error { html += "<p class=\"error\">\(HTML.escape(error))</p>" }
            if let input = step.inputHTML { html += "<h4>Input</h4><pre class=\"code\">\(input)</pre>" }
            if let output = step.outputHTML { html += "<h4>Output</h4><pre class=\"code\">\(output)</pre>" }
            html += "</details>\n"
        }
        return html
    }
}
