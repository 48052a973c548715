import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel

/// A path parameter fills exactly one path segment: it can never name another endpoint.
@Suite struct PathParameterTests {
    static let json = EngineBehaviourTests.workflow(
        #"{"id": "note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "${input.cid}"}, "body": {"text": "hi"}}"#,
        inputs: #"[{"name": "cid", "type": "string", "required": true}]"#)

    /// Runs the one-step workflow with `cid` and returns the run and the calls the connector received.
    static func run(cid: String) async throws -> (RunRecord, [ConnectorServer.Call]) {
        let harness = try await EngineHarness.make()
        let definition = try EngineHarness.parse(json)
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: definition]))
        do {
            let run = try await engine.start(
                workflowID: 1, name: "t", version: 1, definition: definition, input: JSONObject([("cid", .string(cid))]))
            let calls = await harness.server.calls()
            await harness.stop()
            return (run, calls)
        } catch {
            await harness.stop()
            throw error
        }
    }

    @Test(arguments: ["..", ".", ""])
    func aDotOrEmptySegmentIsRefusedBeforeAnythingIsSent(_ cid: String) async throws {
        let (run, calls) = try await Self.run(cid: cid)
        #expect(calls.isEmpty, "\(calls.map { "\($0.method) \($0.path)" })")
        #expect(run.status == .failed)
        #expect(run.error?.code == "params.invalid")
        #expect(run.error?.step == "note")
        #expect(run.error?.message.contains("note.params.customerId") == true)
    }

    @Test(arguments: [
        ("%2e%2e", "%252e%252e"), ("%2E.", "%252E."), ("a/b c", "a%2Fb%20c"), ("../x", "..%2Fx"), ("c-1", "c-1"),
    ])
    func otherValuesAreEncodedIntoTheirOwnSegment(_ cid: String, _ segment: String) async throws {
        let (run, calls) = try await Self.run(cid: cid)
        #expect(run.status == .completed, "\(run.error?.description ?? "")")
        #expect(calls.map(\.path) == ["/crm/customers/\(segment)/notes"])
        #expect(calls.map(\.operation) == ["addNote"])
    }
}
