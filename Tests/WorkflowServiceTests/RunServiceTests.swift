import BatonTestSupport
import Foundation
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Starting and replaying runs through the use cases, on a real SQLite file with an engine whose calls do nothing.
@Suite struct RunServiceTests {
    /// A service on a database in `folder` (a new scratch folder by default), with an engine whose calls do nothing.
    static func service(at existing: URL? = nil) throws -> (WorkflowService, URL) {
        let folder = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("baton-service-\(UUID().uuidString)")
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path)
        let environment = EngineEnvironment(
            journal: store.runJournal(), caller: NoOpConnectorCaller(), catalog: Fixtures.catalog, secrets: EnvironmentSecrets(["X": "y"]))
        let engine = WorkflowEngine(environment: environment, source: store)
        return (WorkflowService(repository: store, catalog: Fixtures.catalog, engine: engine), folder)
    }

    @Test func onlyActiveWorkflowsStartRuns() async throws {
        let (service, folder) = try Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "lead-routing.json"), as: UTF8.self)
        let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: text).validated)
        let saved = try await service.save(workflow, source: .imported)
        let reference = String(saved.version.workflowID)

        await #expect(throws: ServiceError.self) { try await service.live(reference) }
        _ = try await service.activate(reference)
        let live = try await service.live(reference)
        #expect(live.version == 1)
        let (queued, created) = try await service.start(live, input: JSONObject(), queue: true)
        #expect(queued.status == .pending)
        #expect(created)
        // A run that has not finished cannot be replayed.
        await #expect(throws: ServiceError.self) { try await service.replay(queued.id) }

        _ = try await service.pause(reference)
        let refusal = await #expect(throws: ServiceError.self) { try await service.live(reference) }
        #expect(refusal?.message.contains("paused") == true)
        await #expect(throws: ServiceError.self) { try await service.run("no-such-run") }
    }
}

extension RunServiceTests {
    @Test func aKeyStartsOneRunHoweverOftenItIsAsked() async throws {
        let (service, folder) = try Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "lead-routing.json"), as: UTF8.self)
        let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: text).validated)
        let id = String(try await service.save(workflow, source: .imported, activate: true).summary.id)
        let live = try await service.live(id)

        let first = try await service.start(live, input: JSONObject(), idempotencyKey: "delivery-1")
        #expect(first.created)
        #expect(first.run.status.isTerminal)
        let again = try await service.start(live, input: JSONObject(), idempotencyKey: "delivery-1")
        #expect(!again.created)
        #expect(again.run.id == first.run.id)
        let other = try await service.start(live, input: JSONObject(), idempotencyKey: "delivery-2")
        #expect(other.created && other.run.id != first.run.id)
        #expect(try await service.repository.runJournal().runs(RunQuery()).count == 2)
    }
}
