import Foundation
import WorkflowEngine
import WorkflowModel

/// A run's steps on a time axis, drawn as SVG: one row per recorded step instance (a bar from its start to its end,
/// with its duration and attempts), one per wait still open, compensations marked with the step they undid.
public enum RunTimeline {
    static let labelWidth = 230.0
    static let barsWidth = 640.0
    static let rowHeight = 22.0

    public static func render(run: RunRecord, steps: [StepRecord], waits: [WaitRecord], now: Date = Date()) -> String {
        let ordered = steps.sorted { ($0.startedAt, $0.sequence) < ($1.startedAt, $1.sequence) }
        let open = waits.filter { $0.resolution == nil }
        let start = run.createdAt
        let end = max(run.endedAt ?? now, ordered.map(\.endedAt).max() ?? start, start.addingTimeInterval(0.001))
        let span = end.timeIntervalSince(start)
        let rows = ordered.count + open.count
        let width = labelWidth + barsWidth + 140
        let height = Double(rows) * rowHeight + 34
        func x(_ date: Date) -> Double { labelWidth + max(0, date.timeIntervalSince(start)) / span * barsWidth }

        var svg = SVGText()
        svg.open(
            "svg",
            [("class", "timeline"), ("viewBox", "0 0 \(GraphSVG.n(width)) \(GraphSVG.n(height))"), ("width", GraphSVG.n(width)),
             ("height", GraphSVG.n(height)), ("role", "img"), ("aria-label", "timeline of run \(run.id)"),
             ("xmlns", "http://www.w3.org/2000/svg")])
        for tick in 0...4 {
            let tx = labelWidth + Double(tick) / 4 * barsWidth
            svg.element("line", [("class", "tick"), ("x1", GraphSVG.n(tx)), ("x2", GraphSVG.n(tx)), ("y1", "14"), ("y2", GraphSVG.n(height))])
            svg.text(Duration.text(span * Double(tick) / 4), x: tx + 2, y: 11, class: "tick-label")
        }
        let undone = StepRecord.undone(in: steps)
        for (i, step) in ordered.enumerated() {
            let y = 20 + Double(i) * rowHeight
            var classes = ["row", "status-" + step.status.rawValue]
            if step.compensates != nil { classes.append("compensation") }
            if undone.contains(step.key) { classes.append("undone") }
            svg.open("g", [("class", classes.joined(separator: " ")), ("data-step-key", step.key)])
            svg.leaf("title", title(step))
            let label = step.compensates.map { "undo \($0): \(step.key)" } ?? step.key
            svg.text(GraphSVG.clip(label, 34), x: 4, y: y + 14, class: "row-label")
            let x0 = x(step.startedAt)
            let barWidth = max(2, x(step.endedAt) - x0)
            svg.element("rect", [("class", "bar"), ("x", GraphSVG.n(x0)), ("y", GraphSVG.n(y + 3)), ("width", GraphSVG.n(barWidth)), ("height", "14"), ("rx", "3")])
            var note = Duration.text(step.endedAt.timeIntervalSince(step.startedAt))
            if step.attempts > 1 { note += " · \(step.attempts) attempts" }
            svg.text(note, x: x0 + barWidth + 4, y: y + 14, class: "row-note")
            svg.close("g")
        }
        for (i, wait) in open.enumerated() {
            let y = 20 + Double(ordered.count + i) * rowHeight
            svg.open("g", [("class", "row waiting"), ("data-step-key", wait.key)])
            svg.leaf("title", "\(wait.key): waiting for \(wait.kind.rawValue)" + (wait.deadline.map { " until \(ISO8601Text.format($0))" } ?? ""))
            svg.text(GraphSVG.clip("wait \(wait.key)", 34), x: 4, y: y + 14, class: "row-label")
            let x0 = x(wait.createdAt)
            svg.element(
                "rect",
                [("class", "bar"), ("x", GraphSVG.n(x0)), ("y", GraphSVG.n(y + 3)), ("width", GraphSVG.n(max(2, labelWidth + barsWidth - x0))),
                 ("height", "14"), ("rx", "3")])
            svg.text("waiting for \(wait.kind.rawValue)", x: labelWidth + barsWidth + 4, y: y + 14, class: "row-note")
            svg.close("g")
        }
        svg.close("svg")
        return svg.text
    }

    static func title(_ step: StepRecord) -> String {
        var text = "\(step.key) · \(step.kind) · \(step.status.rawValue) · \(Duration.text(step.endedAt.timeIntervalSince(step.startedAt)))"
        if step.attempts > 1 { text += " · \(step.attempts) attempts" }
        if let error = step.error { text += " · \(error.code): \(error.message)" }
        return text
    }
}

extension Duration {
    /// A short human duration: `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`.
    static func text(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<1: "\(Int((seconds * 1000).rounded())) ms"
        case ..<60: GraphSVG.n(seconds) + " s"
        case ..<3600: "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
        default: "\(Int(seconds) / 3600) h \(Int(seconds) % 3600 / 60) min"
        }
    }
}
