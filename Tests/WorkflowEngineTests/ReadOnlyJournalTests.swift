import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// A run is known to be recordable before any of its calls leaves.
@Suite struct ReadOnlyJournalTests {
    @Test func aReadOnlyDatabaseFailsTheStartBeforeAnyCallIsSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("read-only-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("baton.sqlite").path
        let writable = try WorkflowStore(path: path)
        // The tests run as root, whom file modes do not stop: open the file for reading only instead.
        let readOnly = try WorkflowStore(path: path, configuration: StoreConfiguration(readOnly: true))
        let harness = try await EngineHarness.make(journal: readOnly.runJournal())
        let definition = try EngineHarness.parse(EngineBehaviourTests.workflow(
            #"{"id": "shape", "kind": "transform", "output": 1}, "# + EngineBehaviourTests.getCustomer("a")))
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: definition]))
        let error = await #expect(throws: StoreError.self) {
            try await engine.start(workflowID: 1, name: "t", version: 1, definition: definition, input: JSONObject())
        }
        let calls = await harness.server.calls()
        await harness.stop()
        #expect(calls.isEmpty, "\(calls.map(\.name))")
        #expect(error?.code == .readOnly)
        #expect(error?.message.hasPrefix("the database \(path) is read-only: ") == true, "\(error?.message ?? "")")
        #expect(try await writable.runJournal().runs(RunQuery()).isEmpty)
    }

    @Test func aRunThatMakesCallsIsCommittedBeforeItsFirstCall() async throws {
        let journal = InMemoryJournal()
        let harness = try await EngineHarness.make(journal: journal)
        let definition = try EngineHarness.parse(EngineBehaviourTests.workflow(EngineBehaviourTests.getCustomer("a")))
        let engine = WorkflowEngine(environment: harness.engine.environment, source: FixedWorkflows([1: definition]))
        let before = journal.commits
        let run = try await engine.start(workflowID: 1, name: "t", version: 1, definition: definition, input: JSONObject())
        await harness.stop()
        #expect(run.status == .completed)
        // One commit for the run before the call, one for the call's outcome.
        #expect(journal.commits - before == 2)
    }
}
