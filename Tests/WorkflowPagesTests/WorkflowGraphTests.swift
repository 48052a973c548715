import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowPages

/// The graph a workflow's page draws: one node per step, edges between nodes that exist, nothing drawn on top of
/// anything else, branches side by side, compensations pointing back at what they undo.
@Suite struct WorkflowGraphTests {
    static func definition(_ json: String) throws -> WorkflowDefinition {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(json: json)
        return try #require(result.definition, "\(result.diagnostics)")
    }

    static func fixture(_ name: String) throws -> WorkflowDefinition {
        try definition(String(decoding: Fixtures.bytes(Fixtures.validDefinitions, name), as: UTF8.self))
    }

    @Test(arguments: Fixtures.files(in: Fixtures.validDefinitions))
    func everyStepIsOneNodeAndEveryEdgeJoinsTwoNodes(_ name: String) throws {
        let definition = try Self.fixture(name)
        let graph = WorkflowGraph(definition)
        #expect(graph.nodes.compactMap(\.step?.id).sorted() == definition.allSteps.map(\.id).sorted())
        let ids = Set(graph.nodes.map(\.id))
        #expect(ids.count == graph.nodes.count, "node ids are unique")
        for edge in graph.edges {
            #expect(ids.contains(edge.from) && ids.contains(edge.to), "\(edge.from) → \(edge.to)")
        }
        // No node is drawn over another, and every node is inside the drawing.
        for (i, a) in graph.nodes.enumerated() {
            #expect(a.x >= 0 && a.y >= 0 && a.x + a.width <= graph.width && a.y + a.height <= graph.height, "\(a.id) outside")
            for b in graph.nodes[(i + 1)...] {
                let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                #expect(apart, "\(a.id) overlaps \(b.id) in \(name)")
            }
        }
        let svg = GraphSVG.render(graph, title: definition.name)
        #expect(svg.components(separatedBy: " data-step-id=").count - 1 == definition.allSteps.count)
        #expect(svg.components(separatedBy: "<path class=\"edge ").count - 1 == graph.edges.count)
        #expect(svg.components(separatedBy: "marker-end=").count - 1 == graph.edges.count, "one arrowhead per edge")
    }

    @Test func aSequenceIsOneArrowPerHopFromStartToEnd() throws {
        let graph = WorkflowGraph(try Self.definition("""
            {"format": 1, "name": "three", "trigger": {"type": "manual"}, "steps": [
              {"id": "a", "kind": "transform", "output": {"x": 1}},
              {"id": "b", "kind": "transform", "output": {"x": 2}},
              {"id": "c", "kind": "transform", "output": {"x": 3}}]}
            """))
        #expect(graph.edges.map { "\($0.from)>\($0.to)" } == [":start>a", "a>b", "b>c", "c>:end"])
        let ys = ["a", "b", "c"].compactMap { graph.node($0)?.y }
        #expect(ys == ys.sorted() && Set(ys).count == 3, "top to bottom")
    }

    @Test func branchesSitSideBySideAndMeetAtAJoin() throws {
        let graph = WorkflowGraph(try Self.definition("""
            {"format": 1, "name": "branches", "trigger": {"type": "manual"}, "inputs": [{"name": "n", "type": "number"}], "steps": [
              {"id": "check", "kind": "condition", "if": "${input.n > 1}",
               "then": [{"id": "big", "kind": "transform", "output": {"x": 1}}],
               "else": [{"id": "small", "kind": "transform", "output": {"x": 2}}]},
              {"id": "after", "kind": "transform", "output": {"x": 3}}]}
            """))
        let big = try #require(graph.node("big"))
        let small = try #require(graph.node("small"))
        let join = try #require(graph.node(":join:check"))
        #expect(big.y == small.y && big.x + big.width <= small.x)
        #expect(join.y > big.y + big.height)
        #expect(graph.edges.contains { $0.from == "check" && $0.to == "big" && $0.label == "yes" })
        #expect(graph.edges.contains { $0.from == "check" && $0.to == "small" && $0.label == "no" })
        #expect(graph.edges.contains { $0.from == ":join:check" && $0.to == "after" })
    }

    @Test func aCompensationIsADashedArrowBackToTheStepItUndoes() throws {
        let graph = WorkflowGraph(try Self.fixture("travel-booking-saga.json"))
        let undo = try #require(graph.edges.first { $0.style == .compensation })
        #expect(undo.to == "book_flight" && undo.from == "cancel_flight" && undo.label == "undoes")
        let svg = GraphSVG.render(graph, title: "saga")
        #expect(svg.contains(#"class="edge edge-compensation" data-from="cancel_flight" data-to="book_flight""#))
    }

    @Test func parallelBranchesAreFramedLanesAndALoopAFrameWithItsConcurrency() throws {
        let parallel = WorkflowGraph(try Self.fixture("order-to-cash.json"))
        #expect(Set(parallel.frames.map(\.label)).isSuperset(of: ["billing", "shipping", "stock"]))
        let loop = WorkflowGraph(try Self.definition("""
            {"format": 1, "name": "loop", "trigger": {"type": "manual"}, "inputs": [{"name": "ids", "type": "array"}], "steps": [
              {"id": "each", "kind": "foreach", "items": "${input.ids}", "as": "id", "concurrency": 4,
               "steps": [{"id": "one", "kind": "transform", "output": {"x": "${id}"}}]}]}
            """))
        let frame = try #require(loop.frames.first)
        #expect(frame.label == "each id · 4 at a time")
        let body = try #require(loop.node("one"))
        #expect(body.x > frame.x && body.x + body.width < frame.x + frame.width && body.y > frame.y && body.y + body.height < frame.y + frame.height)
    }

    @Test func marksBecomeClassesAndMarkupStaysText() throws {
        let definition = try Self.definition("""
            {"format": 1, "name": "marks", "trigger": {"type": "manual"}, "steps": [
              {"id": "a", "name": "<script>alert(1)</script>", "kind": "transform", "output": {"x": 1}}]}
            """)
        let svg = GraphSVG.render(WorkflowGraph(definition), marks: ["a": ["added", "invalid"]], title: "\"><script>alert(2)</script>")
        #expect(svg.contains(#"class="node kind-transform added invalid""#))
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("&quot;&gt;&lt;script&gt;alert(2)"))
    }
}

@Suite struct HTMLEscapeTests {
    @Test func theFiveCharactersBecomeEntitiesAndTheRestStays() {
        #expect(HTML.escape(#"<a href="x" title='y'>Tom & Jerry</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;")
        #expect(HTML.escape("plain text, é ü 🎉") == "plain text, é ü 🎉")
        #expect(HTML.escape("🎉<🎉") == "🎉&lt;🎉")
        #expect(HTML.escape("") == "")
    }
}
