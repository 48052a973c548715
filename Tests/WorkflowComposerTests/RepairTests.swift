import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Each deterministic repair, on the kind of answer a model really gives.
@Suite struct RepairTests {
    static let minimal = #"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#

    static func check(_ text: String) -> Composer.Attempt {
        Composer.check(text, validator: WorkflowValidator())
    }

    @Test func aCleanAnswerNeedsNoRepair() {
        let attempt = Self.check(Self.minimal)
        #expect(attempt.definition != nil)
        #expect(attempt.repairs.isEmpty)
    }

    @Test(arguments: [
        ("```json\n\(minimal)\n```", "removed markdown code fences"),
        ("Sure! Here it is:\n\(minimal)\nLet me know.", "ignored text around the JSON"),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1,},],}"#, "removed trailing commas"),
        ("{\"format\": 1, // the version\n \"name\": \"t\", \"steps\": [{\"id\": \"a\", \"kind\": \"transform\", \"output\": 1}]}", "removed comments"),
        (#"{'format': 1, 'name': 't', 'steps': [{'id': 'a', 'kind': 'transform', 'output': 1}]}"#, "converted single-quoted strings to double quotes"),
        (#"{format: 1, name: "t", steps: [{id: "a", kind: "transform", output: 1}]}"#, "quoted unquoted keys"),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": True}]}"#, "converted True/False/None to true/false/null"),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}"#, "closed output that was cut off"),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "Transform", "output": 1}]}"#, "/steps/0/kind: \"Transform\" → \"transform\""),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "map", "output": 1}]}"#, "/steps/0/kind: \"map\" → \"transform\""),
        (#"{"format": "1", "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#, "\"format\": \"1\" → 1"),
        (#"{"name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#, "added \"format\": 1"),
        (#"{"workflow": {"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}]}}"#, "unwrapped the workflow from \"workflow\""),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1, "timeout": 30}]}"#, "/steps/0/timeout: 30 → \"30s\" (seconds)"),
        (#"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1, "timeout": "5 minutes"}]}"#, "/steps/0/timeout: \"5 minutes\" → \"5m\""),
        (#"{"format": 1, "name": "t", "Steps": [{"id": "a", "kind": "transform", "output": 1}]}"#, "/Steps → /steps"),
    ])
    func repairsAreAppliedAndNamed(text: String, repair: String) {
        let attempt = Self.check(text)
        #expect(attempt.definition != nil, "\(attempt.diagnostics)")
        #expect(attempt.repairs.contains(repair), "\(attempt.repairs)")
    }

    @Test func stringNumbersAndSynonymsInsideSteps() {
        let text = #"""
            {"format": 1, "name": "t", "steps": [
              {"id": "wait_a_bit", "kind": "sleep", "duration": "PT5M"},
              {"id": "loop", "kind": "for_each", "items": "[1, 2]", "concurrency": "2",
               "steps": [{"id": "x", "kind": "transform", "output": "${item}", "retry": {"maxAttempts": "3"}}]}
            ]}
            """#
        let attempt = Self.check(text)
        #expect(attempt.definition != nil, "\(attempt.diagnostics)")
        guard case .wait(let wait)? = attempt.definition?.steps.first?.body else {
            Issue.record("expected a wait")
            return
        }
        #expect(wait.kind == .timer && wait.duration == WorkflowDuration("5m"))
        #expect(attempt.repairs.contains("/steps/1/concurrency: \"2\" → 2"))
        #expect(attempt.repairs.contains("/steps/1/steps/0/retry/maxAttempts: \"3\" → 3"))
    }

    @Test func theLastOfSeveralObjectsIsTaken() {
        let text = "For example {\"steps\": []} is too small. The real one:\n" + Self.minimal
        let attempt = Self.check(text)
        #expect(attempt.definition?.name == "t")
        #expect(attempt.repairs.contains { $0.hasPrefix("took the last workflow of 2") })
    }

    @Test func inputsGivenAsAnObjectBecomeAList() {
        let text = #"{"format": 1, "name": "t", "inputs": {"vin": {"type": "string", "required": "true"}}, "steps": [{"id": "a", "kind": "transform", "output": "${input.vin}"}]}"#
        let attempt = Self.check(text)
        #expect(attempt.definition?.inputs.first?.name == "vin")
        #expect(attempt.definition?.inputs.first?.required == true)
    }

    @Test func proseWithoutJSONIsASyntaxDiagnostic() {
        let attempt = Self.check("I cannot build that workflow, sorry.")
        #expect(attempt.definition == nil)
        #expect(attempt.diagnostics.map(\.code) == [.jsonSyntax])
    }

    @Test func aRefusalNamesTheMissingSystem() {
        let attempt = Self.check(#"{"error": "missing-connector", "missing": ["salesforce"], "message": "No Salesforce connector."}"#)
        #expect(attempt.refusal?.contains("salesforce") == true)
    }

    @Test func semanticErrorsAreLeftForTheModel() {
        let text = #"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": "${b}"}, {"id": "b", "kind": "transform", "output": 1}]}"#
        let attempt = Self.check(text)
        #expect(attempt.definition == nil)
        #expect(attempt.diagnostics.map(\.code) == [.referenceLater])
    }

    @Test func aPathParameterWrittenInTheBodyIsCopiedToParams() throws {
        let text = #"""
            {"format": 1, "name": "t", "inputs": [{"name": "vin", "type": "string"}], "steps": [
              {"id": "store", "kind": "call", "connector": "inventory", "operation": "upsertVehicle",
               "body": {"vin": "${input.vin}", "make": "BMW", "model": "X3", "year": 2011}}]}
            """#
        let attempt = Composer.check(text, validator: WorkflowValidator(catalog: Fixtures.catalog))
        #expect(attempt.definition != nil, "\(attempt.diagnostics)")
        #expect(attempt.repairs.contains("/steps/0/params/vin: copied from the body (it is a path parameter)"))
    }

    @Test func templatesInsideAConditionAreUnwrapped() {
        let text = #"""
            {"format": 1, "name": "t", "steps": [
              {"id": "a", "kind": "transform", "output": {"items": [1], "n": 2}},
              {"id": "c", "kind": "condition", "if": "length(${a.items}) == 0 || ${a.n + 1} > 2", "then": [{"id": "x", "kind": "transform", "output": 1}]}]}
            """#
        let attempt = Self.check(text)
        #expect(attempt.definition != nil, "\(attempt.diagnostics)")
        guard case .condition(let condition)? = attempt.definition?.steps.last?.body else {
            Issue.record("expected a condition")
            return
        }
        #expect(condition.test.description == "length(a.items) == 0 || a.n + 1 > 2")
        #expect(attempt.repairs.contains("/steps/1/if: removed ${...} inside an expression"))
    }

    @Test func wordOperatorsInAnExpressionBecomeSymbols() throws {
        let text = #"""
            {"format": 1, "name": "t", "steps": [
              {"id": "health", "kind": "transform", "output": {"errorRate": 0.1, "status": "ok", "note": "up or down"}},
              {"id": "c", "kind": "condition", "if": "${health.errorRate} > 0.5 or not (health.status == 'up and running')", "then": [{"id": "x", "kind": "transform", "output": 1}]},
              {"id": "s", "kind": "switch", "cases": [{"when": "health.status == \"ok\" and health.errorRate < 1", "steps": [{"id": "y", "kind": "transform", "output": 2}]}]}]}
            """#
        let attempt = Self.check(text)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/1/if", in: document) == "health.errorRate > 0.5 || ! (health.status == 'up and running')")
        #expect(JSONPointer.resolve("/steps/2/cases/0/when", in: document) == #"health.status == "ok" && health.errorRate < 1"#)
        #expect(attempt.repairs.contains(#"/steps/1/if: "or" → "||", "not" → "!""#), "\(attempt.repairs)")
        let null = Self.check(text.replacingOccurrences(of: #""if": "${health.errorRate} > 0.5 or not (health.status == 'up and running')""#, with: #""if": "health.note is not null and health.errorRate is 0""#))
        #expect(null.workflow.flatMap { JSONPointer.resolve("/steps/1/if", in: $0.document) } == "health.note != null && health.errorRate == 0", "\(null.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/output/note", in: document) == "up or down", "data is not an expression")
        let percent = Self.check(text.replacingOccurrences(of: #""if": "${health.errorRate} > 0.5 or not (health.status == 'up and running')""#, with: #""if": "health.errorRate > 5% && health.status != '100%'""#))
        #expect(percent.workflow.flatMap { JSONPointer.resolve("/steps/1/if", in: $0.document) } == "health.errorRate > 0.05 && health.status != '100%'", "\(percent.diagnostics)")
    }

    @Test func stepsWrittenInsideAStepThatHoldsNoneFollowIt() throws {
        // A switch's default written as a transform holding the call that comes after it; a condition's "steps".
        let text = #"""
            {"format": 1, "name": "t", "steps": [
              {"id": "route", "kind": "switch", "cases": [{"when": "1 == 1", "steps": [{"id": "a", "kind": "transform", "output": 1}]}],
               "default": [{"id": "note", "kind": "transform", "output": {"note": "other"},
                            "steps": [{"id": "more", "kind": "transform", "output": "${note.note}"}]}]},
              {"id": "c", "kind": "condition", "if": "1 > 0", "steps": [{"id": "x", "kind": "transform", "output": 2}]}]}
            """#
        let attempt = Self.check(text)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/default/0/steps", in: document) == nil)
        #expect(JSONPointer.resolve("/steps/0/default/1/id", in: document) == "more")
        #expect(JSONPointer.resolve("/steps/1/then/0/id", in: document) == "x")
        #expect(attempt.repairs.contains("/steps/0/default/0/steps: a transform step holds no steps, so its 1 step(s) follow it"), "\(attempt.repairs)")
        #expect(attempt.repairs.contains(#"/steps/1/steps: a condition's steps are its "then""#), "\(attempt.repairs)")
    }

    @Test func aFunctionCalledAsAMethodIsCalledAsAFunction() throws {
        let text = #"""
            {"format": 1, "name": "t", "inputs": [{"name": "services", "type": "array"}, {"name": "name"}], "steps": [
              {"id": "post", "kind": "call", "connector": "chat", "operation": "postMessage",
               "body": {"channel": "#ops", "text": "Down: ${input.services.join(', ')} for ${input.name.toLowerCase()}"}},
              {"id": "c", "kind": "condition", "if": "input.name.includes('x')", "then": [{"id": "x", "kind": "transform", "output": 1}]}]}
            """#
        let attempt = Self.check(text)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/body/text", in: document) == "Down: ${join(input.services, ', ')} for ${lower(input.name)}")
        #expect(JSONPointer.resolve("/steps/1/if", in: document) == "contains(input.name, 'x')")
        #expect(MethodCalls.rewritten("length(find.items) > 0 && contains(a, 'b')") == nil, "function calls stay as they are")
    }

    @Test func aCompensationThatIsNoCallIsLeftOut() throws {
        let attempt = Self.check(#"""
            {"format": 1, "name": "t", "steps": [{"id": "cancel", "kind": "call", "connector": "erp", "operation": "cancelShipment",
              "params": {"shipmentId": "s1"}, "compensate": {"id": "note", "kind": "transform", "output": {"message": "Cancelled"}}}]}
            """#)
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate", in: document) == nil)
        #expect(attempt.repairs.contains("/steps/0/compensate: a transform step undoes nothing, so it is left out (only a call can compensate)"), "\(attempt.repairs)")
    }
}
