import Foundation
import WorkflowModel

/// Draws a `WorkflowGraph` as inline SVG: one `<g class="node">` per node (each with `data-node-id`; steps also carry
/// `data-step-id`), one `<path class="edge">` with one arrowhead per edge, frames behind. Colours come from the page's
/// style sheet, so dark mode and the diff marks are classes, not inline styles.
public enum GraphSVG {
    /// `marks` adds classes to steps' nodes by step id: `added`, `changed`, `renamed`, `invalid`.
    public static func render(_ graph: WorkflowGraph, marks: [String: Set<String>] = [:], title: String) -> String {
        var svg = SVGText()
        svg.open(
            "svg",
            [("class", "graph"), ("viewBox", "0 0 \(n(graph.width)) \(n(graph.height))"), ("width", n(graph.width)),
             ("height", n(graph.height)), ("role", "img"), ("aria-label", title), ("xmlns", "http://www.w3.org/2000/svg")])
        svg.raw(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>")
        for frame in graph.frames {
            svg.open("g", [("class", "frame")])
            svg.element("rect", [("x", n(frame.x)), ("y", n(frame.y)), ("width", n(frame.width)), ("height", n(frame.height)), ("rx", "8")])
            svg.text(frame.label, x: frame.x + 10, y: frame.y + 16, class: "frame-label")
            svg.close("g")
        }
        var byID: [String: WorkflowGraph.Node] = [:]
        for node in graph.nodes { byID[node.id] = node }
        for edge in graph.edges {
            guard let from = byID[edge.from], let to = byID[edge.to] else { continue }
            let (path, labelAt) = route(from: from, to: to, style: edge.style)
            svg.element(
                "path",
                [("class", "edge edge-\(edge.style.rawValue)"), ("data-from", edge.from), ("data-to", edge.to), ("d", path),
                 ("marker-end", "url(#arrow)")])
            if let label = edge.label { svg.text(label, x: labelAt.x, y: labelAt.y, class: "edge-label") }
        }
        for node in graph.nodes { draw(node, marks: node.step.map { marks[$0.id] ?? [] } ?? [], into: &svg) }
        svg.close("svg")
        return svg.text
    }

    private static func draw(_ node: WorkflowGraph.Node, marks: Set<String>, into svg: inout SVGText) {
        var attributes: [(String, String)] = []
        if let step = node.step {
            let classes = ["node", "kind-" + (step.kind?.rawValue ?? "unknown")] + marks.sorted()
            attributes = [
                ("class", classes.joined(separator: " ")), ("data-node-id", node.id), ("data-step-id", step.id), ("tabindex", "0"), ("id", "node-" + step.id),
            ]
        } else {
            attributes = [("class", node.shape == .join ? "node join" : "node terminal"), ("data-node-id", node.id)]
        }
        svg.open("g", attributes)
        if let step = node.step { svg.leaf("title", "\(step.id): \(step.summary)") }
        switch node.shape {
        case .join:
            let c = node.center
            svg.element("circle", [("cx", n(c.x)), ("cy", n(c.y)), ("r", n(node.width / 2))])
        case .decision:
            let (x, y, w, h) = (node.x, node.y, node.width, node.height)
            let points = [(x + 14, y), (x + w - 14, y), (x + w, y + h / 2), (x + w - 14, y + h), (x + 14, y + h), (x, y + h / 2)]
            svg.element("polygon", [("points", points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))])
        case .box, .terminal:
            svg.element(
                "rect",
                [("x", n(node.x)), ("y", n(node.y)), ("width", n(node.width)), ("height", n(node.height)),
                 ("rx", node.shape == .terminal ? "16" : "6")])
        }
        if let step = node.step {
            svg.text(step.kind?.rawValue ?? "?", x: node.x + 12, y: node.y + 16, class: "node-kind")
            svg.text(clip(node.label, 28), x: node.x + 12, y: node.y + 33, class: "node-name")
            svg.text(clip(detail(step), 34), x: node.x + 12, y: node.y + 48, class: "node-detail")
        } else if node.shape == .terminal {
            svg.text(clip(node.label, 26), x: node.x + 14, y: node.y + 21, class: "node-name")
        }
        svg.close("g")
    }

    /// What a node says under its name: the operation of a call, the gist of the rest.
    static func detail(_ step: Step) -> String {
        switch step.body {
        case .call(let call): "\(call.connector).\(call.operation)"
        case .wait(let wait):
            "\(wait.kind.rawValue)" + (wait.duration.map { " \($0)" } ?? "") + (step.timeout.map { ", timeout \($0)" } ?? "")
        case .foreach(let f): "in \(f.items)"
        case .condition(let c): "if \(c.test)"
        case .fail(let f): f.error
        default: step.id == step.name || step.name == nil ? step.summary : step.id
        }
    }

    /// The path of an edge and where its label goes.
    static func route(from a: WorkflowGraph.Node, to b: WorkflowGraph.Node, style: WorkflowGraph.Edge.Style) -> (String, WorkflowGraph.Point) {
        switch style {
        case .compensation:
            let (ax, ay, bx, by) = (a.x, a.center.y, b.x + b.width, b.center.y)
            let mid = (ax + bx) / 2
            return ("M\(n(ax)),\(n(ay)) H\(n(mid)) V\(n(by)) H\(n(bx))", .init(x: mid - 22, y: min(ay, by) - 6))
        case .error, .timeout:
            let (ax, ay, bx, by) = (a.x + a.width, a.center.y, b.x, b.center.y)
            let mid = (ax + bx) / 2
            return ("M\(n(ax)),\(n(ay)) H\(n(mid)) V\(n(by)) H\(n(bx))", .init(x: ax + 4, y: ay - 6))
        case .flow:
            let (ax, ay, bx, by) = (a.center.x, a.y + a.height, b.center.x, b.y)
            let bend = by - 14
            return ("M\(n(ax)),\(n(ay)) V\(n(bend)) H\(n(bx)) V\(n(by))", .init(x: bx + 5, y: bend - 4))
        }
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let whole = String(tenths / 10)
        return tenths % 10 == 0 ? whole : (tenths < 0 && tenths > -10 ? "-" : "") + whole + "." + String(abs(tenths % 10))
    }
}
