import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// The lifecycle use cases on a real SQLite file.
@Suite struct LifecycleServiceTests {
    /// A service on a fresh database in a scratch folder, with the bundled catalog.
    static func service() throws -> (WorkflowService, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-service-\(UUID().uuidString)")
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path)
        return (WorkflowService(repository: store, catalog: Fixtures.catalog), folder)
    }

    @Test func aVersionThatNoLongerValidatesIsNotActivated() async throws {
        let (service, folder) = try Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "order-to-cash.json"), as: UTF8.self)
        let workflow = try #require(service.validator(json: text).validated)
        let saved = try await service.save(workflow, source: .imported)
        #expect(saved.summary.state == .draft)

        // The catalog lost the connectors the workflow calls: it cannot go live.
        let shrunk = WorkflowService(repository: service.repository, catalog: ConnectorCatalog())
        await #expect(throws: ServiceError.self) { try await shrunk.activate("order-to-cash") }
        #expect(try await service.repository.workflow(id: saved.version.workflowID).state == .draft)

        let active = try await service.activate("order-to-cash")
        #expect(active.state == .active)
        #expect(active.activeVersion == 1)
        #expect(try await service.pause("1").state == .paused)
        #expect(try await service.resume("1").state == .active)
        #expect(try await service.archive("order-to-cash").state == .archived)
    }

    @Test func twoActiveWorkflowsNeverShareAWebhookPath() async throws {
        let (service, folder) = try Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "lead-routing.json"), as: UTF8.self)
        let workflow = try #require(service.validator(json: text).validated)
        let first = try await service.save(workflow, source: .imported, activate: true)
        let second = try await service.save(workflow, source: .imported)

        await #expect(throws: ServiceError.self) { try await service.activate(String(second.summary.id)) }
        await #expect(throws: ServiceError.self) { try await service.save(workflow, source: .imported, activate: true) }
        #expect(try await service.repository.countWorkflows() == 2, "a refused save-and-activate saves nothing")
        // Paused, the first no longer answers: the second may take the path; then the first cannot come back.
        _ = try await service.pause(String(first.summary.id))
        #expect(try await service.activate(String(second.summary.id)).state == .active)
        do {
            _ = try await service.resume(String(first.summary.id))
            Issue.record("resuming onto a taken path should be refused")
        } catch let error as ServiceError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("already answers webhooks on /hooks/leads"))
        }
        #expect(try await service.repository.workflow(id: first.summary.id).state == .paused)
    }
}

extension WorkflowService {
    func validator(json text: String) -> ValidationResult { WorkflowValidator(catalog: catalog).validate(json: text) }
}
