import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowService
import WorkflowStore

/// The lifecycle use cases on a real SQLite file.
@Suite struct LifecycleServiceTests {
    /// A service on a fresh database in a scratch folder, with the bundled catalog.
    static func service() throws -> (WorkflowService, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-service-\(UUID().uuidString)")
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path)
        return (WorkflowService(store: store, catalog: Fixtures.catalog), folder)
    }

    @Test func aVersionThatDoesNotValidateIsNotActivated() throws {
        let (service, folder) = try Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "order-to-cash.json"), as: UTF8.self)
        let broken = text.replacingOccurrences(of: "\"erp\"", with: "\"nosuch\"")
        let saved = try service.store.createWorkflow(definition: broken, name: "order-to-cash", description: nil, source: .imported)
        #expect(throws: ServiceError.self) { try service.activate("order-to-cash") }
        #expect(try service.store.workflow(id: saved.workflowID).state == .draft)

        _ = try service.store.addVersion(workflowID: saved.workflowID, definition: text, name: "order-to-cash", description: nil, source: .imported)
        let active = try service.activate("order-to-cash")
        #expect(active.state == .active)
        #expect(active.activeVersion == 2)
        #expect(try service.pause("1").state == .paused)
        #expect(try service.resume("1").state == .active)
        #expect(try service.archive("order-to-cash").state == .archived)
    }
}
