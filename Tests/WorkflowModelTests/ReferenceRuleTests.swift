import Testing
import WorkflowModel

/// Which references are accepted where: each case is a tiny workflow and the codes it must produce.
@Suite struct ReferenceRuleTests {
    static func workflow(_ steps: String, inputs: String = #"[{"name": "email", "type": "string"}]"#) -> String {
        #"{"format": 1, "name": "t", "inputs": \#(inputs), "steps": \#(steps)}"#
    }

    static func transform(_ id: String, _ value: String) -> String {
        #"{"id": "\#(id)", "kind": "transform", "output": "\#(value)"}"#
    }

    static let cases: [(String, String, [String])] = [
        ("earlier step", "[\(transform("a", "1")), \(transform("b", "${a}"))]", []),
        ("later step", "[\(transform("a", "${b}")), \(transform("b", "1"))]", ["reference.later"]),
        ("itself", "[\(transform("a", "${a}"))]", ["reference.cycle"]),
        ("unknown", "[\(transform("a", "${nope.x}"))]", ["reference.unknown"]),
        ("declared input", "[\(transform("a", "${input.email}"))]", []),
        ("undeclared input", "[\(transform("a", "${input.phone}"))]", ["reference.input-unknown"]),
        ("trigger and run", "[\(transform("a", "${trigger.body} ${run.id}"))]", []),
        ("error outside handler", "[\(transform("a", "${error.message}"))]", ["reference.error-unavailable"]),
        ("after a condition branch", """
            [{"id": "c", "kind": "condition", "if": "true", "then": [\(transform("t", "1"))]}, \(transform("a", "${t}"))]
            """, ["reference.conditional"]),
        ("the condition's own output", """
            [{"id": "c", "kind": "condition", "if": "true", "then": [\(transform("t", "1"))]}, \(transform("a", "${c}"))]
            """, []),
        ("inside a branch, an earlier step of it", """
            [{"id": "c", "kind": "condition", "if": "true", "then": [\(transform("t", "1")), \(transform("u", "${t}"))]}]
            """, []),
        ("after a parallel", """
            [{"id": "p", "kind": "parallel", "branches": [{"name": "x", "steps": [\(transform("l", "1"))]},
              {"name": "y", "steps": [\(transform("r", "2"))]}]}, \(transform("a", "${l} ${r} ${p.x}"))]
            """, []),
        ("sibling branch", """
            [{"id": "p", "kind": "parallel", "branches": [{"name": "x", "steps": [\(transform("l", "1"))]},
              {"name": "y", "steps": [\(transform("r", "${l}"))]}]}]
            """, ["reference.sibling-branch"]),
        ("loop body from outside", """
            [{"id": "f", "kind": "foreach", "items": "[1, 2]", "steps": [\(transform("b", "${item}"))]}, \(transform("a", "${b}"))]
            """, ["reference.loop-body"]),
        ("loop output inside the loop", """
            [{"id": "f", "kind": "foreach", "items": "[1]", "as": "n", "steps": [\(transform("b", "${n} ${index}"))],
              "output": "${b}"}, \(transform("a", "${f[0]}"))]
            """, []),
        ("loop variable outside the loop", """
            [{"id": "f", "kind": "foreach", "items": "[1]", "steps": [\(transform("b", "1"))]}, \(transform("a", "${item}"))]
            """, ["reference.unknown"]),
        ("enclosing loop from its body", """
            [{"id": "f", "kind": "foreach", "items": "[1]", "steps": [\(transform("b", "${f}"))]}]
            """, ["reference.cycle"]),
        ("handler uses error and earlier steps", """
            [\(transform("a", "1")), {"id": "c", "kind": "transform", "output": "2",
              "onError": {"action": "handle", "steps": [\(transform("h", "${error.message} ${a}"))]}}]
            """, []),
        ("handler step from outside", """
            [{"id": "c", "kind": "transform", "output": "2",
              "onError": {"action": "handle", "steps": [\(transform("h", "1"))]}}, \(transform("a", "${h}"))]
            """, ["reference.conditional"]),
        ("group steps after the group", """
            [{"id": "g", "kind": "group", "steps": [\(transform("x", "1"))]}, \(transform("a", "${x}"))]
            """, []),
        ("condition test reads its own branch", """
            [{"id": "c", "kind": "condition", "if": "t == 1", "then": [\(transform("t", "1"))]}]
            """, ["reference.later"]),
    ]

    @Test(arguments: cases)
    func referenceCodes(name: String, steps: String, codes: [String]) {
        let result = WorkflowValidator().validate(json: Self.workflow(steps))
        #expect(result.errors.map(\.code.rawValue) == codes, "\(name): \(result.errors)")
    }

    @Test func aCompensationMayReadTheStepItUndoes() {
        let steps = """
            [{"id": "book", "kind": "call", "connector": "travel", "operation": "bookFlight", "body": {},
              "compensate": {"id": "unbook", "kind": "call", "connector": "travel", "operation": "cancelFlight",
                             "params": {"bookingId": "${book.bookingId}"}}}]
            """
        let result = WorkflowValidator().validate(json: Self.workflow(steps))
        #expect(result.errors.isEmpty, "\(result.errors)")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let steps = "[\(Self.transform("a", "${b} ${input.nope}")), \(Self.transform("a", "${lower()}")), \(Self.transform("b", "1"))]"
        let codes = Set(WorkflowValidator().validate(json: Self.workflow(steps)).errors.map(\.code.rawValue))
        #expect(codes == ["reference.later", "reference.input-unknown", "step.id-duplicate", "expression.arity"])
    }
}
