import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// Connectors that echo their request headers (bearer, API key and basic auth) into their answers: no form of any
/// secret reaches the journal's file, the run returned, or its error.
@Suite struct RedactionTests {
    static let calls = """
        {"id": "a", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "c1"}},
        {"id": "b", "kind": "call", "connector": "email", "operation": "getMessage", "params": {"messageId": "m1"}},
        {"id": "c", "kind": "call", "connector": "erp", "operation": "getOrder", "params": {"orderId": "o1"}}
        """

    static let completes = EngineBehaviourTests.workflow(calls + #"""
        ,
        {"id": "ok", "kind": "wait", "for": "approval", "timeout": "1h", "message": "${a.authorization} and ${c.authorization}"},
        {"id": "out", "kind": "transform", "output": {"a": "${a}", "b": "${b}", "c": "${c}", "said": "${ok.data}", "text": "key ${b[\"x-postbox-key\"]}"}}
        """#)

    static let fails = EngineBehaviourTests.workflow(calls + #"""
        ,
        {"id": "stop", "kind": "fail", "error": "leak", "message": "${a.authorization} ${b[\"x-postbox-key\"]} ${c.authorization}"}
        """#)

    /// Every form in which a secret of these connectors travels: the value, and for basic auth `base64(user:secret)`.
    static let forms: [String] = ["crm", "email", "erp"].flatMap { name -> [String] in
        let connector = Fixtures.catalog[name]!
        let secret = EngineHarness.secrets.secret(named: connector.auth.secretName!)!
        guard case .basic(let user, _) = connector.auth else { return [secret] }
        let encoded = Data("\(user):\(secret)".utf8).base64EncodedString()
        return [secret, encoded, String(encoded.prefix { $0 != "=" })]
    }

    /// Runs `json` over SQLite with echoing connectors, answering its approval with `data`; returns the run and
    /// every byte of the database files.
    static func run(_ json: String, data: JSONValue) async throws -> (RunRecord, [ConnectorServer.Call], Data) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redaction-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("baton.sqlite").path
        let journal = try WorkflowStore(path: path).runJournal()
        let harness = try await EngineHarness.make(journal: journal)
        for operation in ["crm.getCustomer", "email.getMessage", "erp.getOrder"] { await harness.server.always(operation, .echo) }
        let definition = try EngineHarness.parse(json)
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: definition]))
        let run: RunRecord
        do {
            let started = try await engine.start(workflowID: 1, name: "t", version: 1, definition: definition, input: JSONObject())
            run = try await engine.runToEnd(started, clock: harness.clock) { _ in
                WaitResolution(approved: true, data: data, by: "ops", at: harness.clock.now)
            }
            try await journal.flush()
        } catch {
            await harness.stop()
            throw error
        }
        let calls = await harness.server.calls()
        await harness.stop()
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            bytes += try Data(contentsOf: folder.appendingPathComponent(file))
        }
        return (run, calls, bytes)
    }

    static let mask = "[redacted]"

    static func leaks(in text: String) -> [String] { forms.filter { text.contains($0) } }
    static func leaks(in bytes: Data) -> [String] { forms.filter { bytes.range(of: Data($0.utf8)) != nil } }

    @Test func noFormOfASecretIsStoredOrReturnedFromARunThatCompletes() async throws {
        let erp = Fixtures.catalog["erp"]!
        let basic = "Basic " + Data("baton:\(EngineHarness.secrets.secret(named: erp.auth.secretName!)!)".utf8).base64EncodedString()
        let (run, calls, bytes) = try await Self.run(Self.completes, data: .object(JSONObject([("pasted", .string(basic))])))
        #expect(run.status == .completed, "\(run.error?.description ?? "")")
        // The credentials were sent, and echoed back.
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { call in call.headers.values.contains { $0.contains("secret-of-") || $0.hasPrefix("Basic ") } })
        let output = run.output?.jsonText ?? ""
        #expect(output.contains(Self.mask))
        #expect(Self.leaks(in: output) == [])
        #expect(Self.leaks(in: bytes) == [], "the database files hold a secret")
        #expect(bytes.range(of: Data(Self.mask.utf8)) != nil, "the echoes were recorded, masked")
    }

    @Test func noFormOfASecretIsStoredOrReturnedInAFailure() async throws {
        let (run, _, bytes) = try await Self.run(Self.fails, data: .null)
        #expect(run.status == .failed)
        #expect(run.error?.code == "leak")
        #expect(run.error?.message.contains(Self.mask) == true)
        #expect(Self.leaks(in: run.error?.message ?? "") == [])
        #expect(Self.leaks(in: bytes) == [], "the database files hold a secret")
    }
}
