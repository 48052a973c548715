import BatonTestSupport
import Foundation
import HTTPClients
import Synchronization
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// The workflows of the crash tests, saved and active in a repository, and a queue of runs of them for workers to
/// execute: each new run is of the next workflow in turn.
final class CrashWorkload: Sendable {
    static let names = ["crash-sequence", "crash-saga", "crash-fanout", "crash-timer"]
    /// How each workflow's runs end, whatever happens to the workers.
    static let expected: [String: RunStatus] = [
        "crash-sequence": .completed, "crash-saga": .compensated, "crash-fanout": .completed, "crash-timer": .completed,
    ]

    private let engine: WorkflowEngine
    private let definitions: [(id: Int64, name: String, definition: WorkflowDefinition)]
    private let count = Mutex(0)

    /// Saves and activates the workflows `names` (by default all of them).
    init(repository: any WorkflowRepository, journal: any RunJournal, names: [String] = CrashWorkload.names) async throws {
        var definitions: [(id: Int64, name: String, definition: WorkflowDefinition)] = []
        for name in names {
            let text = String(decoding: Fixtures.bytes(Fixtures.root.appendingPathComponent("fixtures/crash"), name + ".json"), as: UTF8.self)
            let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: text).validated)
            let version = try await repository.createWorkflow(workflow, source: .imported)
            _ = try await repository.activate(workflowID: version.workflowID, version: 1)
            definitions.append((version.workflowID, name, workflow.definition))
        }
        self.definitions = definitions
        engine = WorkflowEngine(
            environment: EngineEnvironment(journal: journal, caller: HTTPConnectorCaller(), catalog: Fixtures.catalog), source: repository)
    }

    /// How many runs have been queued.
    var enqueued: Int { count.withLock { $0 } }

    /// Queues `runs` pending runs.
    func enqueue(_ runs: Int) async throws {
        for _ in 0..<runs {
            let index = count.withLock { count in
                defer { count += 1 }
                return count
            }
            let (id, name, definition) = definitions[index % definitions.count]
            var input = JSONObject()
            if definition.inputs.contains(where: { $0.name == "email" }) { input["email"] = .string("run\(index)@example.com") }
            try await engine.enqueue(workflowID: id, name: name, version: 1, definition: definition, input: input)
        }
    }
}
