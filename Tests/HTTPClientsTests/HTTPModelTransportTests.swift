import Foundation
import HTTPClients
import ModelReplay
import Testing
import WorkflowComposer
import WorkflowModel

/// A language model client over the real transport against loopback servers that redirect, trickle and flood:
/// the API key stays with the configured host, the timeout bounds the whole answer, and answers are capped.
@Suite struct HTTPModelTransportTests {
    static let apiKey = "sk-test-0123456789"
    static let request = ModelRequest(messages: [.init(role: "user", content: "Greet new customers.")])

    static func model(_ server: URL, provider: ModelProvider = .openai, transport: HTTPModelTransport) -> HTTPLanguageModel {
        HTTPLanguageModel(
            provider: provider, baseURL: server, settings: ModelSettings(model: "m"), apiKey: apiKey, transport: transport,
            maxRetries: 0)
    }

    @Test(arguments: [(307, ModelProvider.openai), (302, .anthropic), (308, .ollama)])
    func aRedirectIsNeverFollowedAndSaysWhereItPointed(status: Int, provider: ModelProvider) async throws {
        let other = ScriptedServer(host: "127.0.0.2", answer: .reply(status: 200, headers: [:], body: "{}"))
        let location = try await other.start().appendingPathComponent("v1/chat/completions").absoluteString
        let redirecting = ScriptedServer(answer: .reply(status: status, headers: ["location": location], body: ""))
        let model = Self.model(try await redirecting.start(), provider: provider, transport: HTTPModelTransport(timeout: 10))
        let error = await #expect(throws: ModelError.self) { try await model.complete(Self.request) }
        #expect(error?.code == .redirected)
        #expect(error?.status == status)
        #expect(error?.description.contains(location) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("BATON_LLM_BASE_URL") == true)
        #expect(await other.requests().isEmpty)
        #expect(await redirecting.requests().count == 1)
        await redirecting.stop()
        await other.stop()
    }

    @Test func aTricklingAnswerTimesOutAtTheTimeout() async throws {
        let server = ScriptedServer(
            answer: .trickle(status: 200, headers: ["content-type": "application/json"], bytes: 600, interval: .milliseconds(200)))
        let model = Self.model(try await server.start(), transport: HTTPModelTransport(timeout: 5))
        let error = await #expect(throws: ModelError.self) { try await model.complete(Self.request) }
        #expect(error?.code == .timeout)
        // The answer trickles for two minutes; the error came at the timeout, counted from when the request arrived
        // (on a busy machine the server may note its arrival a moment after the client gave up).
        let ended = Date()
        for _ in 0..<40 where await server.requests().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let arrived = try #require(await server.requests().first?.receivedAt)
        #expect(ended.timeIntervalSince(arrived) < 5 + 5)
        await server.stop()
    }

    @Test(arguments: [false, true])
    func anAnswerOverTheLimitFailsWithoutBeingReadWhole(declaredLength: Bool) async throws {
        let total = 1 << 30
        let server = try FloodServer(total: total, declared: declaredLength)
        defer { server.stop() }
        // The deadline is generous: with the whole suite on two cores, the reader may wait long for a thread.
        let model = Self.model(server.url, transport: HTTPModelTransport(timeout: 300))
        let error = await #expect(throws: ModelError.self) { try await model.complete(Self.request) }
        #expect(error?.code == .badResponse)
        #expect(error?.description.contains("the limit is \(HTTPModelTransport.defaultMaxResponseBytes) bytes (4 MB)") == true)
        #expect(server.bytesSent < total / 16, "sent \(server.bytesSent)")
    }

    @Test func anUnreachableModelSaysSo() async throws {
        let server = ScriptedServer(answer: .reply(status: 200, headers: [:], body: "{}"))
        let url = try await server.start()
        await server.stop()
        let error = await #expect(throws: ModelError.self) {
            try await Self.model(url, transport: HTTPModelTransport(timeout: 5)).complete(Self.request)
        }
        #expect(error?.code == .unreachable)
    }
}
