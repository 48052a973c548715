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

    @Test func aStreamedAnswerIsReportedAsItComesOneCountStandingForTheOnesBefore() async throws {
        let (harness, replay, fixture) = try await ServerHarness.startWithRecordedModel("openai-streamed-shipment-email")
        defer { Task { await harness.stop(); await replay.stop() } }
        let body = JSONValue.object(JSONObject([("request", .string(fixture.request))])).jsonText
        let accepted = try await harness.request(.POST, "/api/v1/compositions", body: body)
        let id = try #require(accepted.json?["id"]?.stringValue)
        let events = try await harness.request(.GET, "/api/v1/compositions/\(id)/events")
        let names = events.body.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { $0.dropFirst(7) }
        #expect(names.contains("receiving"), "\(events.body)")
        #expect(zip(names, names.dropFirst()).allSatisfy { !($0 == "receiving" && $1 == "receiving") }, "\(names)")
        #expect(events.body.contains("\"tokens\":"), "\(events.body)")
        let done = try await harness.request(.GET, "/api/v1/compositions/\(id)")
        #expect(done.json?["state"] == .string("saved"), "\(done.body)")
        // The record counts the streamed pieces, as the endpoint gave no usage.
        #expect(done.json?["composition"]?["rounds"]?.arrayValue?.first?["completionTokens"]?.numberValue ?? 0 > 100, "\(done.body)")
    }

    @Test func theReviseFormLandsThroughItsProgressOnTheNewVersionWithItsDiff() async throws {
        let (harness, replay, _) = try await ServerHarness.startWithRecordedModel(Self.fixtureName)
        defer { Task { await harness.stop(); await replay.stop() } }
        let original = try await harness.activate("lead-routing.json")
        let page = try await harness.page(.GET, "/workflows/\(original.id)", cookie: harness.token)
        let formToken = try #require(ServerHarness.formToken(in: page.body))
        let posted = try await harness.page(
            .POST, "/workflows/\(original.id)/revise", cookie: harness.token, form: [("csrf", formToken), ("request", "<b>also</b> onboard them")])
        #expect(posted.status == 303)
        let progress = try #require(posted.headers["Location"].first)
        #expect(progress.hasPrefix("/compositions/"))

        var landing: String?
        for _ in 0..<100 where landing == nil {
            let answer = try await harness.page(.GET, progress, cookie: harness.token)
            if answer.status == 303 { landing = answer.headers["Location"].first } else {
                #expect(answer.status == 200)
                #expect(answer.body.contains("&lt;b&gt;also&lt;/b&gt;"), "the request is shown as text")
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let draft = try #require(landing)
        #expect(draft == "/workflows/\(original.id)?version=2&done=composed")
        let shown = try await harness.page(.GET, draft, cookie: harness.token)
        #expect(shown.body.contains("The model&#39;s draft was saved.") || shown.body.contains("The model's draft was saved."))
        #expect(shown.body.contains("Changes from v1 to v2"))
        #expect(shown.body.contains(#"<span class="badge outcome-valid-first-try">"#), "the composition is in the history")
        #expect(try await harness.service.repository.workflow(id: original.id).activeVersion == 1, "a revision waits for activation")
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
