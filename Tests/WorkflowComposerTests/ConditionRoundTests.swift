import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// A condition the request states and the draft leaves out: the clauses say which steps it guards, one short round
/// asks the model for the test, and the steps are put under it when the draft stays valid.
@Suite struct ConditionRoundTests {
    static let request = "Every weekday at 7am, check the health of the checkout service and page on-call if it is down."
    static let check = #"{"id": "check_health", "kind": "call", "operation": "getServiceHealth", "connector": "incidents", "params": {"service": "checkout"}}"#
    static let page = #"{"id": "page_on_call", "kind": "call", "operation": "pageOnCall", "connector": "incidents", "params": {"incidentId": "${input.incidentId}"}, "body": {"escalationPolicy": "checkout"}}"#
    static let post = #"{"id": "post_ops", "kind": "call", "operation": "postMessage", "connector": "chat", "body": {"channel": "ops", "text": "Checkout is down"}}"#

    static func draft(_ steps: [String]) -> String {
        #"{"format": 1, "name": "health", "trigger": {"type": "schedule", "cron": "0 7 * * 1-5"}, "inputs": [{"name": "incidentId", "required": true}], "steps": [\#(steps.joined(separator: ", "))]}"#
    }

    static func target(_ steps: [String], _ request: String) throws -> ConditionSteps.Guard? {
        ConditionSteps.target(in: try JSONParser.parse(Self.draft(steps)), for: request)
    }

    @Test func theClauseSaysWhichStepsTheConditionGuards() throws {
        // The words before "if": the last call they speak of, not the check that reads what the test needs.
        let guarded = try #require(try Self.target([Self.check, Self.page], Self.request))
        #expect(guarded.ids == ["page_on_call"] && guarded.steps == 1..<2)
        // A condition first: the next clause's calls, when they stand side by side.
        let first = "Check the health of the checkout service; if it is down, page on-call and post in #ops."
        #expect(try Self.target([Self.check, Self.page, Self.post], first)?.ids == ["page_on_call", "post_ops"])
        // A comparison with a number in a "when" clause is a condition; "when" alone is not.
        #expect(try Self.target([Self.check, Self.post], "Post in #ops whenever an order over 5000 euros comes in.")?.ids == ["post_ops"])
        #expect(try Self.target([Self.check, Self.post], "Post in #ops whenever an order comes in.") == nil)
        // Failures and timeouts are not tests on data; what to do otherwise needs an else only the model can write;
        // a draft with a condition or a switch is left as it is.
        #expect(try Self.target([Self.check, Self.page], "Check the checkout service and page on-call if the check fails.") == nil)
        #expect(try Self.target([Self.check, Self.page], "Check the checkout service; page on-call if it is down, otherwise post in #ops.") == nil)
        #expect(try Self.target([Self.check, Self.page], "Check the checkout service, retrying it if it is busy, and page on-call.") == nil)
        #expect(try Self.target([Self.check, Self.page], "Check the checkout service; wait a day for a reply; if it never comes, page on-call.") == nil)
        // "If" something happens, opening a request an event starts, is what starts it.
        let bounce = "If an email bounces, check the checkout service and page on-call."
        #expect(ConditionSteps.cue(in: bounce, startedByEvent: true) == nil && ConditionSteps.cue(in: bounce, startedByEvent: false) != nil)
        let conditional = #"{"id": "down", "kind": "condition", "if": "check_health.status == 'down'", "then": [\#(Self.page)]}"#
        #expect(try Self.target([Self.check, conditional], Self.request) == nil)
        #expect(try Self.target([Self.check, Self.page], "Check the checkout service and page on-call.") == nil)
    }

    @Test func theTestIsAskedForAloneAndTheStepPutUnderIt() async throws {
        let model = ScriptedSchemaModel([Self.draft([Self.check, Self.page]), #"{"if": "${check_health.status == 'down'}"}"#])
        let composition = await PromptShapeTests.composer(model).compose(Self.request)
        #expect(composition.record.outcome == .repairedByModel)
        let condition = try #require(composition.definition?.steps.last)
        #expect(condition.kind == .condition && condition.id == "if_page_on_call")
        // The test as the model wrote it: a bare expression may be wrapped in `${...}` whole.
        #expect(composition.document.flatMap { JSONPointer.resolve("/steps/1/if", in: $0) } == "${check_health.status == 'down'}")
        #expect(composition.document.flatMap { JSONPointer.resolve("/steps/1/then/0/id", in: $0) } == "page_on_call")
        #expect(composition.record.rounds.last?.repairs.contains { $0.contains("page_on_call run only if ${check_health.status == 'down'}") } == true)
        let second = try #require(model.requests.withLock { $0.dropFirst().first })
        let question = second.messages[1].content
        #expect(question.contains("page on call if it is down\".") && question.contains("Steps to run only when the condition holds: page_on_call"))
        #expect(question.contains("- check_health: call incidents.getServiceHealth, output {") && question.contains("status"), "what the test may read")
        #expect(second.schema == ConditionSteps.schema && second.maxTokens == Composer.maxTestTokens)
    }

    @Test func aTestThatDoesNotValidateLeavesTheDraftAsItWas() async throws {
        for answer in [#"{"if": "check_health.status >"}"#, #"{"if": "page_on_call.status == 'down'"}"#, #"{"if": ""}"#, "no"] {
            let model = ScriptedSchemaModel([Self.draft([Self.check, Self.page]), answer])
            let composition = await PromptShapeTests.composer(model).compose(Self.request)
            #expect(composition.record.outcome == .validFirstTry, "\(answer)")
            #expect(composition.definition?.steps.map(\.id) == ["check_health", "page_on_call"], "\(answer)")
            #expect(model.requests.withLock { $0.count } == 2)
        }
    }

    @Test func operandsThatReadTheGuardedStepsAreLeftOut() async throws {
        func trimmed(_ test: String) -> String { ConditionSteps.withoutOperands(reading: ["page_on_call"], in: test).test }
        #expect(trimmed("check_health.status == 'down' || page_on_call") == "check_health.status == 'down'")
        #expect(trimmed("${a.x > 1 && page_on_call.ok && (b || c)}") == "a.x > 1 && (b || c)")
        #expect(ConditionSteps.withoutOperands(reading: ["page_on_call"], in: "a || page_on_call").dropped == ["page_on_call"])
        // Names that only contain it, quoted text, and a test that mixes || and && stay as written.
        #expect(trimmed("a.page_on_call_count > 0 || b == 'page_on_call'") == "a.page_on_call_count > 0 || b == 'page_on_call'")
        #expect(trimmed("a || b && page_on_call") == "a || b && page_on_call")

        let model = ScriptedSchemaModel([Self.draft([Self.check, Self.page]), #"{"if": "check_health.status == 'down' || page_on_call"}"#])
        let composition = await PromptShapeTests.composer(model).compose(Self.request)
        #expect(composition.document.flatMap { JSONPointer.resolve("/steps/1/if", in: $0) } == "check_health.status == 'down'")
        #expect(composition.record.rounds.last?.repairs.contains { $0.hasSuffix("without \"page_on_call\", which read the steps it guards)") } == true)
    }
}
