import WorkflowModel

/// A workflow laid out as boxes and arrows: every step one node, the flow between them as edges, loops and groups as
/// frames around their bodies. `GraphSVG` draws it.
///
/// The main flow runs top to bottom; branches of a condition, switch or parallel step sit side by side and meet at a
/// join; what only runs on the side (a compensation, an error handler, a timeout branch) sits to the right of its
/// step, reached by a dashed or labelled arrow.
public struct WorkflowGraph: Sendable {
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
    }

    public struct Node: Sendable {
        public enum Shape: Sendable { case box, decision, terminal, join }
        /// Unique in the graph: the step id for steps; `:start`, `:end`, `:failure`, `:join:…` (never a step id) for the rest.
        public var id: String
        /// The step this node draws; nil for start, end and joins.
        public var step: Step?
        public var shape: Shape
        public var label: String
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        var center: Point { Point(x: x + width / 2, y: y + height / 2) }
    }

    public struct Edge: Sendable, Hashable {
        public enum Style: String, Sendable { case flow, compensation, error, timeout }
        public var from: String
        public var to: String
        public var label: String?
        public var style: Style
    }

    /// A box around a loop's body, a group's steps or a parallel lane.
    public struct Frame: Sendable {
        public var label: String
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
    }

    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    public private(set) var frames: [Frame] = []
    public private(set) var width: Double = 0
    public private(set) var height: Double = 0

    static let nodeWidth = 220.0
    static let nodeHeight = 56.0
    static let gap = 40.0
    static let sideGap = 56.0
    static let framePadding = 14.0
    static let margin = 20.0

    public init(_ definition: WorkflowDefinition) {
        var main = Block.sequence(definition.steps, start: Self.node(id: ":start", shape: .terminal, label: "start · " + definition.trigger.kind.rawValue))
        let end = Block.single(Self.node(id: ":end", shape: .terminal, label: "end"))
        main = main.then(end)
        if !definition.onError.steps.isEmpty {
            let failure = Block.single(Self.node(id: ":failure", shape: .terminal, label: "on failure: " + definition.onError.action.rawValue))
            main = main.beside(Block.sequence(definition.onError.steps, start: failure.nodes[0]), from: nil, style: .error, label: nil)
            // What runs on failure is reached from any step, not from the start: no arrow leads to it.
            main.edges.removeAll { $0.to == ":failure" }
        }
        main.shift(dx: Self.margin, dy: Self.margin)
        nodes = main.nodes
        edges = main.edges
        frames = main.frames
        width = main.width + 2 * Self.margin
        height = main.height + 2 * Self.margin
    }

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    static func node(id: String, shape: Node.Shape, label: String, step: Step? = nil) -> Node {
        let size: (Double, Double) = switch shape {
        case .box, .decision: (nodeWidth, nodeHeight)
        case .terminal: (nodeWidth * 0.7, 32)
        case .join: (18, 18)
        }
        return Node(id: id, step: step, shape: shape, label: label, x: 0, y: 0, width: size.0, height: size.1)
    }
}

extension WorkflowGraph {
    /// A laid-out piece of the graph in its own coordinates, with the nodes the flow leaves it from.
    struct Block {
        var nodes: [Node] = []
        var edges: [Edge] = []
        var frames: [Frame] = []
        var width: Double = 0
        var height: Double = 0
        /// The node the flow enters by.
        var entry: String = ""
        /// The nodes the flow leaves by, with the label of the arrow leaving each (a branch with no steps).
        var exits: [(node: String, label: String?)] = []

        static func single(_ node: Node) -> Block {
            Block(nodes: [node], width: node.width, height: node.height, entry: node.id, exits: [(node.id, nil)])
        }

        mutating func shift(dx: Double, dy: Double) {
            for i in nodes.indices {
                nodes[i].x += dx
                nodes[i].y += dy
            }
            for i in frames.indices {
                frames[i].x += dx
                frames[i].y += dy
            }
        }

        /// `next` below this block, centred on the same axis, every exit leading to its entry.
        func then(_ next: Block) -> Block {
            var top = self
            var below = next
            let width = max(top.width, below.width)
            top.shift(dx: (width - top.width) / 2, dy: 0)
            below.shift(dx: (width - below.width) / 2, dy: top.height + WorkflowGraph.gap)
            var joined = Block(
                nodes: top.nodes + below.nodes, edges: top.edges + below.edges, frames: top.frames + below.frames,
                width: width, height: top.height + WorkflowGraph.gap + below.height, entry: top.entry, exits: below.exits)
            joined.edges += top.exits.map { Edge(from: $0.node, to: below.entry, label: $0.label, style: .flow) }
            return joined
        }

        /// `side` to the right, its top level with this block's, reached from `from` (or a compensation pointing back
        /// at it); the flow still leaves by this block's exits.
        func beside(_ side: Block, from: String?, style: Edge.Style, label: String?) -> Block {
            var right = side
            right.shift(dx: width + WorkflowGraph.sideGap, dy: 0)
            var joined = self
            joined.nodes += right.nodes
            joined.edges += right.edges
            joined.frames += right.frames
            joined.width = width + WorkflowGraph.sideGap + right.width
            joined.height = max(height, right.height)
            if style == .compensation, let from {
                joined.edges.append(Edge(from: right.entry, to: from, label: label, style: .compensation))
            } else {
                joined.edges.append(Edge(from: from ?? entry, to: right.entry, label: label, style: style))
            }
            return joined
        }

        /// Blocks side by side below `head`, each entered from it with its label, all meeting at `join`.
        static func fork(_ head: Node, branches: [(label: String, block: Block?)], join: Node, lanes: Bool) -> Block {
            var row = Block()
            var exits: [(String, String?)] = []
            var edges: [Edge] = []
            for (label, block) in branches {
                guard var block else {
                    exits.append((head.id, label))
                    continue
                }
                if lanes {
                    block = block.framed(label)
                } else {
                    edges.append(Edge(from: head.id, to: block.entry, label: label, style: .flow))
                }
                if lanes { edges.append(Edge(from: head.id, to: block.entry, label: nil, style: .flow)) }
                let dx = row.width == 0 ? 0 : row.width + WorkflowGraph.gap / 2
                block.shift(dx: dx, dy: 0)
                row.nodes += block.nodes
                row.edges += block.edges
                row.frames += block.frames
                row.width = dx + block.width
                row.height = max(row.height, block.height)
                exits += block.exits.map { ($0.node, $0.label) }
            }
            var top = Block.single(head)
            top.edges = edges
            top.exits = []
            let width = max(top.width, row.width, join.width)
            top.shift(dx: (width - top.width) / 2, dy: 0)
            row.shift(dx: (width - row.width) / 2, dy: top.height + WorkflowGraph.gap)
            var bottom = Block.single(join)
            let rowBottom = row.nodes.isEmpty ? top.height : top.height + WorkflowGraph.gap + row.height
            bottom.shift(dx: (width - join.width) / 2, dy: rowBottom + WorkflowGraph.gap)
            var block = Block(
                nodes: top.nodes + row.nodes + bottom.nodes, edges: top.edges + row.edges, frames: row.frames,
                width: width, height: rowBottom + WorkflowGraph.gap + join.height, entry: head.id, exits: [(join.id, nil)])
            block.edges += exits.map { Edge(from: $0.0, to: join.id, label: $0.1, style: .flow) }
            return block
        }

        /// This block inside a labelled frame.
        func framed(_ label: String) -> Block {
            let pad = WorkflowGraph.framePadding
            var inner = self
            inner.shift(dx: pad, dy: pad + 16)
            inner.width += 2 * pad
            inner.height += 2 * pad + 16
            inner.frames.insert(Frame(label: label, x: 0, y: 0, width: inner.width, height: inner.height), at: 0)
            return inner
        }

        /// Steps one after another below `start`.
        static func sequence(_ steps: [Step], start: Node? = nil) -> Block {
            var block: Block? = start.map(Block.single)
            for step in steps {
                let next = Block.step(step)
                block = block.map { $0.then(next) } ?? next
            }
            return block ?? Block()
        }

        /// One step with what it contains, and what hangs beside it.
        static func step(_ step: Step) -> Block {
            let node = WorkflowGraph.node(step)
            var block: Block
            switch step.body {
            case .condition(let c):
                block = fork(node, branches: [("yes", nonEmpty(c.then)), ("no", c.otherwise.flatMap(nonEmpty))], join: join(step), lanes: false)
            case .switch(let s):
                var branches = s.cases.enumerated().map { ("case \($0.offset + 1)", nonEmpty($0.element.steps)) }
                branches.append(("default", s.defaultSteps.flatMap(nonEmpty)))
                block = fork(node, branches: branches, join: join(step), lanes: false)
            case .parallel(let p):
                block = fork(node, branches: p.branches.map { ($0.name, nonEmpty($0.steps)) }, join: join(step), lanes: true)
            case .foreach(let f):
                let end = WorkflowGraph.node(id: ":join:" + step.id, shape: .join, label: "every item done")
                let label = "each \(f.variable)" + (f.concurrency > 1 ? " · \(f.concurrency) at a time" : " · one at a time")
                block = Block.sequence(f.steps, start: node).then(.single(end)).framed(label)
            case .group(let inner):
                block = Block.sequence(inner, start: node).framed(step.name ?? "group")
            case .fail:
                block = .single(node)
                block.exits = []
            default:
                block = .single(node)
            }
            if case .call(let call) = step.body, let undo = call.compensate {
                block = block.beside(Block.step(undo).deadEnd, from: step.id, style: .compensation, label: "undoes")
            }
            if case .wait(let wait) = step.body, let timeout = wait.onTimeout.flatMap(nonEmpty) {
                block = block.beside(timeout.deadEnd, from: step.id, style: .timeout, label: "timeout")
            }
            if let handler = step.onError?.steps.flatMap(nonEmpty) {
                block = block.beside(handler.deadEnd, from: step.id, style: .error, label: "on error")
            }
            return block
        }

        /// A side branch: what follows it is not drawn from it.
        var deadEnd: Block {
            var block = self
            block.exits = []
            return block
        }

        static func nonEmpty(_ steps: [Step]) -> Block? { steps.isEmpty ? nil : sequence(steps) }

        static func join(_ step: Step) -> Node { WorkflowGraph.node(id: ":join:" + step.id, shape: .join, label: "join") }
    }

    static func node(_ step: Step) -> Node {
        let shape: Node.Shape = switch step.body {
        case .condition, .switch: .decision
        default: .box
        }
        return node(id: step.id, shape: shape, label: step.name ?? step.id, step: step)
    }
}
