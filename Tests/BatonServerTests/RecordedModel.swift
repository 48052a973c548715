import BatonTestSupport
import Foundation
import HTTPClients
import ModelReplay
import WorkflowComposer

extension ServerHarness {
    /// A harness whose compositions ask a loopback server that answers with the recorded exchange `fixtureName`
    /// (from fixtures/llm). Stop the replay server too when done.
    static func startWithRecordedModel(_ fixtureName: String) async throws -> (ServerHarness, ReplayServer, ReplayFixture) {
        let directory = Fixtures.root.appendingPathComponent("fixtures/llm")
        let fixture = try JSONDecoder().decode(ReplayFixture.self, from: Data(Fixtures.bytes(directory, fixtureName + ".json")))
        let replay = ReplayServer(fixtures: [fixture])
        _ = try await replay.start()
        let baseURL = await replay.baseURL(for: fixture.name)
        let prompts = try PromptLibrary(directory: Fixtures.root.appendingPathComponent("prompts"))
        let harness = try await ServerHarness.start { onEvent in
            let model = HTTPLanguageModel(
                provider: .openai, baseURL: baseURL, settings: ModelSettings(model: "recorded"), apiKey: nil,
                transport: HTTPModelTransport(timeout: 10), maxRetries: 0)
            return Composer(
                model: model, catalog: Fixtures.catalog, prompts: prompts, provider: "replay", modelName: "recorded", onEvent: onEvent)
        }
        return (harness, replay, fixture)
    }
}
