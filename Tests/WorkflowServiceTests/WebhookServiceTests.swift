import BatonTestSupport
import Foundation
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Webhook deliveries through the use case: verified, turned into one pending run per delivery id, refused with
/// the right status otherwise.
@Suite struct WebhookServiceTests {
    static let key = WebhookSignature.generateSecret()

    static func service() async throws -> (WorkflowService, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-service-\(UUID().uuidString)")
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path)
        let environment = EngineEnvironment(
            journal: store.runJournal(), caller: NoOpConnectorCaller(), catalog: Fixtures.catalog,
            secrets: EnvironmentSecrets(["LEADS_WEBHOOK_SECRET": key]))
        let service = WorkflowService(
            repository: store, catalog: Fixtures.catalog, engine: WorkflowEngine(environment: environment, source: store))
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "lead-routing.json"), as: UTF8.self)
        let workflow = try #require(WorkflowValidator(catalog: Fixtures.catalog).validate(json: text).validated)
        _ = try await service.save(workflow, source: .imported, activate: true)
        return (service, folder)
    }

    static func signed(_ body: String, id: String = "msg_1", at time: Date = Date()) throws -> [String: String] {
        let signature = try WebhookSignature(secret: key).sign(id: id, timestamp: time, body: Array(body.utf8))
        return ["Webhook-Id": id, "Webhook-Timestamp": String(Int(time.timeIntervalSince1970)), "Webhook-Signature": signature]
    }

    @Test func aSignedDeliveryQueuesOneRunAndARedeliveryNone() async throws {
        let (service, folder) = try await Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = #"{"email": "ada@example.com", "employees": 1200}"#
        let first = try await service.deliverWebhook(path: "/hooks/leads", headers: try Self.signed(body), body: Array(body.utf8), now: Date())
        #expect(first.created)
        #expect(first.run.status == .pending)
        #expect(first.run.trigger?["employees"] == .number(1200))
        let again = try await service.deliverWebhook(path: "/hooks/leads", headers: try Self.signed(body), body: Array(body.utf8), now: Date())
        #expect(!again.created)
        #expect(again.run.id == first.run.id)
        #expect(try await service.repository.runJournal().runs(RunQuery()).count == 1)
    }

    @Test func refusalsCarryTheirStatusAndStartNothing() async throws {
        let (service, folder) = try await Self.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = #"{"email": "ada@example.com"}"#
        func status(path: String = "/hooks/leads", headers: [String: String], body: [UInt8], now: Date = Date()) async -> Int? {
            do {
                _ = try await service.deliverWebhook(path: path, headers: headers, body: body, now: now)
                return nil
            } catch let refusal as WebhookRefusal {
                return refusal.status
            } catch {
                return -1
            }
        }
        let good = try Self.signed(body)
        #expect(await status(path: "/hooks/nope", headers: good, body: Array(body.utf8)) == 404)
        #expect(await status(headers: good, body: Array((body + " ").utf8)) == 401)
        #expect(await status(headers: [:], body: Array(body.utf8)) == 401)
        #expect(await status(headers: try Self.signed(body, at: Date().addingTimeInterval(-600)), body: Array(body.utf8)) == 401)
        #expect(await status(headers: good, body: Array(repeating: 0x20, count: WorkflowService.maxWebhookBytes + 1)) == 413)
        let notJSON = "not json"
        #expect(await status(headers: try Self.signed(notJSON), body: Array(notJSON.utf8)) == 400)
        _ = try await service.pause("lead-routing")
        #expect(await status(headers: good, body: Array(body.utf8)) == 409)
        #expect(try await service.repository.runJournal().runs(RunQuery()).isEmpty)
    }
}
