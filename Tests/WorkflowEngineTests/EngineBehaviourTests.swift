import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel

/// Retries, parallel and loop semantics, recovery and commits, over real HTTP with a virtual clock.
@Suite struct EngineBehaviourTests {
    static func workflow(_ steps: String, inputs: String = "[]") -> String {
        #"{"format": 1, "name": "t", "inputs": \#(inputs), "steps": [\#(steps)]}"#
    }

    static func getCustomer(_ id: String, retry: String? = nil, extra: String = "") -> String {
        #"{"id": "\#(id)", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "c-\#(id)"}\#(retry.map { ", \"retry\": \($0)" } ?? "")\#(extra)}"#
    }

    /// Runs `json` to its end with replies queued for `crm.getCustomer`.
    static func run(_ json: String, replies: [ConnectorServer.Reply] = [], journal: any RunJournal = InMemoryJournal())
        async throws -> (RunRecord, [StepRecord], [ConnectorServer.Call], VirtualClock)
    {
        let harness = try await EngineHarness.make(journal: journal)
        await harness.server.enqueue("crm.getCustomer", replies)
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: try EngineHarness.parse(json)]))
        do {
            let run = try await engine.start(workflowID: 1, name: "t", version: 1, definition: try EngineHarness.parse(json), input: JSONObject())
            let steps = try await journal.steps(of: run.id)
            let calls = await harness.server.calls()
            await harness.stop()
            return (run, steps, calls, harness.clock)
        } catch {
            await harness.stop()
            throw error
        }
    }

    @Test func exponentialBackoffWaitsTheVirtualClockAndRetriesTransientErrors() async throws {
        let retry = #"{"maxAttempts": 4, "backoff": "exponential", "initialDelay": "1s", "multiplier": 2, "jitter": "none"}"#
        let (run, steps, calls, clock) = try await Self.run(
            Self.workflow(Self.getCustomer("a", retry: retry)), replies: [.init(status: 503), .init(status: 502), .init(status: 408)])
        #expect(run.status == .completed)
        #expect(calls.count == 4)
        #expect(clock.sleeps == [1, 2, 4])
        #expect(steps.first?.attempts == 4)
    }

    @Test func retryAfterIsHonouredAndJitterScalesTheDelay() async throws {
        let retry = #"{"maxAttempts": 3, "backoff": "fixed", "initialDelay": "10s", "jitter": "full"}"#
        let (run, _, _, clock) = try await Self.run(
            Self.workflow(Self.getCustomer("a", retry: retry)),
            replies: [.init(status: 429, headers: ["Retry-After": "30"]), .init(status: 500)])
        #expect(run.status == .completed)
        // Jitter draws 0.5 in the harness: 10 s becomes 5 s, unless the server asked for longer.
        #expect(clock.sleeps == [30, 5])
    }

    @Test func permanentErrorsAreNotRetriedUnlessThePolicySaysSo() async throws {
        let plain = #"{"maxAttempts": 3, "initialDelay": "1s"}"#
        let (failed, steps, calls, _) = try await Self.run(Self.workflow(Self.getCustomer("a", retry: plain)), replies: [.init(status: 404)])
        #expect(failed.status == .failed)
        #expect(failed.error?.code == "http.404")
        #expect(calls.count == 1)
        #expect(steps.first?.status == .failed)

        let permanent = #"{"maxAttempts": 3, "initialDelay": "1s", "retryOn": ["transient", "permanent"]}"#
        let (run, _, retried, _) = try await Self.run(Self.workflow(Self.getCustomer("a", retry: permanent)), replies: [.init(status: 404), .init(status: 404)])
        #expect(run.status == .completed)
        #expect(retried.count == 3)
    }

    @Test func skipAndHandleCarryOnAfterAFailure() async throws {
        let json = Self.workflow([
            Self.getCustomer("a", extra: #", "onError": {"action": "skip", "output": {"name": "nobody"}}"#),
            Self.getCustomer("b", extra: #", "onError": {"action": "handle", "steps": [{"id": "note", "kind": "transform", "output": "${error.code} at ${error.step}"}]}"#),
            #"{"id": "both", "kind": "transform", "output": ["${a.name}", "${b}"]}"#,
        ].joined(separator: ","))
        let (run, steps, _, _) = try await Self.run(json, replies: [.init(status: 404), .init(status: 400)])
        #expect(run.status == .completed)
        #expect(run.output == .array([.string("nobody"), .string("http.400 at b")]))
        #expect(steps.map(\.status) == [.skipped, .failed, .succeeded, .succeeded])
    }

    @Test func aFailingBranchCancelsItsSiblingsAndLoopsKeepItemOrder() async throws {
        let parallel = Self.workflow(#"""
            {"id": "p", "kind": "parallel", "branches": [
              {"name": "slow", "steps": [{"id": "slow", "kind": "call", "connector": "crm", "operation": "searchCustomers"}]},
              {"name": "fast", "steps": [{"id": "fast", "kind": "fail", "error": "stop.now", "message": "no"}]}]}
            """#)
        let harness = try await EngineHarness.make()
        await harness.server.enqueue("crm.searchCustomers", [.init(delay: .seconds(60))])
        let definition = try EngineHarness.parse(parallel)
        let clock = ContinuousClock()
        let started = clock.now
        let run = try await harness.engine.start(workflowID: 1, name: "t", version: 1, definition: definition, input: JSONObject())
        // The slow branch's answer would take a minute: the run ended long before, so it was not waited for.
        #expect(clock.now - started < .seconds(30))
        #expect(run.status == .failed)
        #expect(run.error?.code == "stop.now")
        #expect(try await harness.journal.steps(of: run.id).contains { $0.key == "slow" } == false)

        let loop = Self.workflow(#"""
            {"id": "each", "kind": "foreach", "items": "input.ids", "concurrency": 3, "steps": [
              {"id": "get", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "${item}"}}],
             "output": "${item}-${index}"}
            """#, inputs: #"[{"name": "ids", "type": "array", "required": true}]"#)
        await harness.server.enqueue("crm.getCustomer", [.init(delay: .milliseconds(300)), .init(delay: .milliseconds(100)), .init(), .init(), .init()])
        let ids = JSONValue.array(["c1", "c2", "c3", "c4", "c5"].map(JSONValue.string))
        let looped = try await harness.engine.start(
            workflowID: 1, name: "t", version: 1, definition: try EngineHarness.parse(loop), input: JSONObject([("ids", ids)]))
        await harness.stop()
        #expect(looped.status == .completed)
        #expect(looped.output == .array(["c1-0", "c2-1", "c3-2", "c4-3", "c5-4"].map(JSONValue.string)))
    }

    @Test func aResumedRunDoesNotRepeatRecordedStepsAndPureStepsNeedNoCommit() async throws {
        let json = Self.workflow([
            Self.getCustomer("first"), #"{"id": "shape", "kind": "transform", "output": {"who": "${first.name}"}}"#,
            #"{"id": "check", "kind": "condition", "if": "shape.who != null", "then": [\#(Self.getCustomer("second"))]}"#,
            Self.getCustomer("third"),
        ].joined(separator: ","))
        let definition = try EngineHarness.parse(json)
        let journal = InMemoryJournal()
        let harness = try await EngineHarness.make(journal: journal)
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: definition]))
        // As a crash would leave it: the run was going, and its first call had been recorded.
        let run = RunRecord(id: "crashed", workflowID: 1, workflowName: "t", version: 1, status: .running, input: .object(JSONObject()), createdAt: harness.clock.now)
        let first = StepRecord(
            runID: "crashed", key: "first", stepID: "first", kind: "call", status: .succeeded, attempts: 1, input: nil,
            output: .object(JSONObject([("name", .string("Recorded Name"))])), error: nil, startedAt: harness.clock.now, endedAt: harness.clock.now, sequence: 1)
        try await journal.write([.run(run), .step(first)], durable: true)
        let commits = journal.commits
        let resumed = try #require(try await engine.resume("crashed"))
        let calls = await harness.server.calls()
        await harness.stop()
        #expect(resumed.status == .completed)
        #expect(calls.map(\.path) == ["/crm/customers/c-second", "/crm/customers/c-third"])
        #expect(try await journal.steps(of: "crashed").first { $0.key == "shape" }?.output == .object(JSONObject([("who", .string("Recorded Name"))])))
        // One commit per call made; the transform and condition rode along.
        #expect(journal.commits - commits == 2)
    }
}

extension EngineBehaviourTests {
    @Test func aCallThatOutlastsItsTimeoutFailsAsATransientTimeout() async throws {
        let (run, steps, _, _) = try await Self.run(
            Self.workflow(Self.getCustomer("slow", extra: #", "timeout": "500ms""#)), replies: [.init(delay: .seconds(30))])
        #expect(run.status == .failed)
        #expect(run.error?.code == "timeout")
        #expect(steps.first?.attempts == 1)
    }
}

extension EngineBehaviourTests {
    @Test(arguments: [
        ("text/html", "<html><body>Please sign in</body></html>"),
        ("application/json", #"{"id": "c-1", "#),
        ("application/problem+json; charset=utf-8", "not JSON"),
    ])
    func aSuccessWhoseBodyIsNotJSONFailsTheStepForGood(contentType: String, body: String) async throws {
        let retry = #"{"maxAttempts": 3, "initialDelay": "1s"}"#
        let (run, steps, calls, _) = try await Self.run(
            Self.workflow(Self.getCustomer("a", retry: retry)), replies: [.init(body: body, headers: ["Content-Type": contentType])])
        #expect(run.status == .failed)
        #expect(run.error?.code == "response.invalid-json")
        #expect(run.error?.message.contains("is not JSON") == true)
        #expect(steps.first?.status == .failed)
        #expect(calls.count == 1)
    }

    @Test func aRedirectFailsTheStepAndItsErrorSaysWhereTo() async throws {
        let location = "http://127.0.0.2:9/elsewhere/customers/c-a"
        let (run, steps, calls, _) = try await Self.run(
            Self.workflow(Self.getCustomer("a")), replies: [.init(status: 302, body: "", headers: ["Location": location])])
        #expect(run.status == .failed)
        #expect(run.error?.code == "redirect.refused")
        #expect(run.error?.message.contains(location) == true)
        #expect(steps.first?.status == .failed)
        #expect(steps.first?.error?.code == "redirect.refused")
        #expect(calls.count == 1)
    }
}
