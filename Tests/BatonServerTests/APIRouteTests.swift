import Foundation
import ModelReplay
import NIOHTTP1
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// The JSON API over real HTTP: tokens, problems with diagnostic codes, the lifecycle, runs, waits, events, metrics.
@Suite struct APIRouteTests {
    @Test func apiRoutesRefuseRequestsWithoutAValidTokenAndOpenRoutesAnswer() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let missing = try await harness.request(.GET, "/api/v1/workflows", authorized: false)
        #expect(missing.status == 401)
        #expect(missing.json?["code"] == .string("auth.token"))
        let forged = try await harness.request(.GET, "/api/v1/workflows", headers: ["Authorization": "Bearer baton_forged"], authorized: false)
        #expect(forged.status == 401)
        #expect(try await harness.request(.GET, "/api/v1/workflows").status == 200)
        _ = try await harness.service.repository.revokeToken(name: "tests")
        #expect(try await harness.request(.GET, "/api/v1/workflows").status == 401)
        #expect(try await harness.request(.GET, "/healthz", authorized: false).status == 200)
        #expect(try await harness.request(.GET, "/readyz", authorized: false).status == 200)
    }

    @Test func anInvalidImportIsRefusedWithTheValidatorsCodesAndSavesNothing() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let document = #"{"format": 1, "name": "broken", "trigger": {"type": "manual"}, "steps": [{"id": "a", "kind": "call", "connector": "nowhere", "operation": "x"}]}"#
        let answer = try await harness.request(.POST, "/api/v1/workflows", body: document)
        #expect(answer.status == 422)
        #expect(answer.json?["code"] == .string("document.invalid"))
        let codes = answer.json?["diagnostics"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
        #expect(codes.contains { $0.hasPrefix("catalog.") || $0.contains("connector") }, "\(codes)")
        #expect(try await harness.service.repository.listWorkflows().isEmpty)
    }

    @Test func importActivateStartAndApproveARunOverHTTP() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let yaml = String(decoding: try Data(contentsOf: Self.fixture("purchase-approval.json")), as: UTF8.self)
        let imported = try await harness.request(.POST, "/api/v1/workflows", body: yaml)
        #expect(imported.status == 201, "\(imported.body)")
        let id = Int(try #require(imported.json?["workflow"]?["id"]?.numberValue))
        let version = try await harness.request(.GET, "/api/v1/workflows/purchase-approval/versions/1?format=yaml")
        #expect(version.status == 200)
        #expect(version.body.contains("name: purchase-approval"))

        let draftRun = try await harness.request(.POST, "/api/v1/workflows/purchase-approval/runs", body: #"{"input": {}}"#)
        #expect(draftRun.status == 409)
        #expect(draftRun.json?["code"] == .string("service.not-allowed"))
        #expect(try await harness.request(.POST, "/api/v1/workflows/purchase-approval/activate").json?["state"] == .string("active"))

        let badInput = try await harness.request(.POST, "/api/v1/workflows/purchase-approval/runs", body: #"{"input": {"amount": "lots"}}"#)
        #expect(badInput.status == 422)
        let input = #"{"input": {"requester": "ada@example.com", "item": "Lathe", "amount": 9000}}"#
        let started = try await harness.request(.POST, "/api/v1/workflows/\(id)/runs?wait=20s", body: input)
        #expect(started.status == 202, "\(started.body)")
        #expect(started.json?["status"] == .string("waiting"))
        let runID = try #require(started.json?["id"]?.stringValue)
        let trace = try await harness.request(.GET, "/api/v1/runs/\(runID)")
        let wait = try #require(trace.json?["waits"]?.arrayValue?.first)
        let path = try #require(wait["callbackPath"]?.stringValue)

        let approved = try await harness.request(.POST, path, body: #"{"approve": true, "by": "grace"}"#, authorized: false)
        #expect(approved.status == 200, "\(approved.body)")
        let ended = try await harness.service.awaitOutcome(of: runID, timeout: .seconds(20))
        #expect(ended.status == .completed)
        let twice = try await harness.request(.POST, path, body: #"{"approve": true}"#, authorized: false)
        #expect(twice.status == 409)
        #expect(try await harness.request(.POST, "/callbacks/" + String(repeating: "0", count: 32), body: "{}", authorized: false).status == 404)

        let metrics = try await harness.request(.GET, "/metrics", authorized: false)
        #expect(metrics.body.contains(#"baton_runs_finished_total{workflow="purchase-approval",status="completed"} 1"#), "\(metrics.body)")
        #expect(metrics.body.contains("baton_step_duration_seconds_bucket"))
    }

    @Test func anEventWithAnIDStartsEachSubscriberOnce() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        try await harness.activate("customer-onboarding.json")
        let body = #"{"id": "evt-1", "payload": {"email": "ada@example.com", "name": "Ada"}}"#
        let first = try await harness.request(.POST, "/api/v1/events/customer.signed_up", body: body)
        #expect(first.status == 202)
        #expect(first.json?.arrayValue?.count == 1)
        let again = try await harness.request(.POST, "/api/v1/events/customer.signed_up", body: body)
        #expect(again.json?.arrayValue?.first?["duplicate"] == .bool(true))
        #expect(again.json?.arrayValue?.first?["id"] == first.json?.arrayValue?.first?["id"])
        #expect(try await harness.service.runs().count == 1)
        let none = try await harness.request(.POST, "/api/v1/events/nobody.listens", body: "{}")
        #expect(none.json?.arrayValue?.isEmpty == true)
    }

    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/definitions/valid/\(name)")
    }
}
