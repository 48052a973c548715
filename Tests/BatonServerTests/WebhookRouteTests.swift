import Foundation
import ModelReplay
import NIOHTTP1
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Webhooks over real HTTP: a signed delivery starts one run that completes against the loopback connectors; a
/// redelivery starts none; every refusal gets its status and starts nothing.
@Suite struct WebhookRouteTests {
    static let lead = #"{"email": "ada@example.com", "name": "Ada", "company": "Analytical", "employees": 1200, "country": "GB"}"#

    @Test func aSignedDeliveryStartsOneRunThatCompletesAndARedeliveryStartsNone() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        try await harness.activate("lead-routing.json")
        let headers = try ServerHarness.signed(Self.lead, id: "msg_2k9")
        let first = try await harness.request(.POST, "/hooks/hooks/leads?wait=20s", body: Self.lead, headers: headers, authorized: false)
        #expect(first.status == 200, "\(first.body)")
        #expect(first.json?["status"] == .string("completed"))
        let runID = try #require(first.json?["runId"]?.stringValue)
        #expect(await harness.connectors.calls().isEmpty == false)

        let again = try await harness.request(.POST, "/hooks/hooks/leads", body: Self.lead, headers: headers, authorized: false)
        #expect(again.status == 200)
        #expect(again.json?["runId"] == .string(runID))
        #expect(again.json?["duplicate"] == .bool(true))
        #expect(try await harness.service.runs().count == 1)

        let trace = try await harness.request(.GET, "/api/v1/runs/\(runID)")
        #expect(trace.json?["trigger"]?["employees"] == .number(1200))
    }

    @Test func refusalsGetTheirStatusAsProblemsAndStartNothing() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        try await harness.activate("lead-routing.json")
        func post(_ path: String = "/hooks/hooks/leads", body: String = Self.lead, headers: [String: String]) async throws -> ServerHarness.Answer {
            try await harness.request(.POST, path, body: body, headers: headers, authorized: false)
        }
        let good = try ServerHarness.signed(Self.lead, id: "msg_1")
        let unknown = try await post("/hooks/nowhere", headers: good)
        #expect(unknown.status == 404)
        #expect(unknown.headers["Content-Type"].first == "application/problem+json")
        #expect(unknown.json?["code"] == .string("webhook.refused"))
        #expect(try await post(headers: [:]).status == 401)
        var forged = good
        forged["webhook-signature"] = "v1," + Data(repeating: 7, count: 32).base64EncodedString()
        #expect(try await post(headers: forged).status == 401)
        #expect(try await post(headers: try ServerHarness.signed(Self.lead, id: "msg_1", at: Date().addingTimeInterval(-400))).status == 401)
        let huge = String(repeating: " ", count: WorkflowService.maxWebhookBytes + 1)
        #expect(try await post(body: huge, headers: try ServerHarness.signed(huge, id: "msg_1")).status == 413)
        _ = try await harness.service.pause("lead-routing")
        #expect(try await post(headers: good).status == 409)
        #expect(try await harness.service.runs().isEmpty)
    }
}
