import BatonServer
import BatonTestSupport
import Foundation
import HTTPClients
import ModelReplay
import NIOHTTP1
import Testing
import WorkflowComposer
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Compositions over HTTP against a recorded model: 202 at once, progress as server-sent events, the draft saved.
@Suite struct CompositionRouteTests {
    static let fixtureName = "openai-valid-customer-onboarding"

    @Test func aCompositionIsAcceptedAtOnceReportsItsProgressAndSavesTheDraft() async throws {
        let (harness, replay, fixture) = try await ServerHarness.startWithRecordedModel(Self.fixtureName)
        defer { Task { await harness.stop(); await replay.stop() } }

        let body = JSONValue.object(JSONObject([("request", .string(fixture.request))])).jsonText
        let accepted = try await harness.request(.POST, "/api/v1/compositions", body: body)
        #expect(accepted.status == 202, "\(accepted.body)")
        let id = try #require(accepted.json?["id"]?.stringValue)
        #expect(accepted.headers["Location"].first == "/api/v1/compositions/\(id)")

        // The stream replays what happened so far and ends with the composition.
        let events = try await harness.request(.GET, "/api/v1/compositions/\(id)/events")
        #expect(events.headers["Content-Type"].first == "text/event-stream")
        #expect(events.body.contains("event: asking"), "\(events.body)")
        #expect(events.body.contains("event: done"), "\(events.body)")

        let done = try await harness.request(.GET, "/api/v1/compositions/\(id)")
        #expect(done.json?["state"] == .string("saved"), "\(done.body)")
        let workflowID = try #require(done.json?["saved"]?["workflowID"]?.numberValue)
        #expect(try await harness.service.repository.workflow(id: Int64(workflowID)).state == .draft)
        let metrics = try await harness.request(.GET, "/metrics", authorized: false)
        #expect(metrics.body.contains("baton_compositions_total"), "\(metrics.body)")
    }

    @Test func withoutAModelCompositionsAreRefusedAndBadRequestsNamed() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let refused = try await harness.request(.POST, "/api/v1/compositions", body: #"{"request": "sync the inventory nightly"}"#)
        #expect(refused.status == 503)
        #expect(refused.json?["code"] == .string("compose.no-model"))
        let missing = try await harness.request(.POST, "/api/v1/compositions", body: "{}")
        #expect(missing.status == 400)
        #expect(missing.json?["detail"]?.stringValue?.contains("\"request\" is required") == true)
        #expect(try await harness.request(.POST, "/api/v1/compositions", body: "[1,2]").status == 400)
    }
}
