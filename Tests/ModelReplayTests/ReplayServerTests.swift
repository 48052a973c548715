import BatonTestSupport
import Foundation
@testable import ModelReplay
import Testing

/// The server over real loopback HTTP, driven by URLSession (a client of its own: the composer's is tested in
/// HTTPClientsTests).
@Suite(.timeLimit(.minutes(1))) struct ReplayServerTests {
    static let folder = Fixtures.root.appendingPathComponent("fixtures/llm")

    /// Runs `body` against a started server and always stops it.
    static func withServer<T>(
        _ server: ReplayServer, _ body: (URL) async throws -> T
    ) async throws -> T {
        let base = try await server.start()
        do {
            let result = try await body(base)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    static func fixture(_ name: String, _ responses: [ReplayFixture.RecordedResponse]) -> ReplayFixture {
        ReplayFixture(
            name: name, description: "test", provider: .openai, request: "request of \(name)", recorded: "test",
            exchanges: responses.map { .init(request: .init(path: "/v1/chat/completions"), response: $0) })
    }

    @Test func servesAFixtureByPrefixInOrder() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("retry", [
            .init(status: 429, headers: ["retry-after": "1", "content-type": "application/json"],
                  body: "{\"error\":{}}"),
            .init(status: 200, headers: ["content-type": "application/json"], body: "{\"ok\":true}"),
        ])])
        try await Self.withServer(server) { base in
            let url = await server.baseURL(for: "retry").appendingPathComponent("v1/chat/completions")
            #expect(url.absoluteString == base.absoluteString + "/replay/retry/v1/chat/completions")
            var replies: [HTTPReply] = []
            for _ in 0..<3 { replies.append(try await send(url, body: "{}")) }
            #expect(replies.map(\.status) == [429, 200, 200])
            #expect(replies[0].headers["retry-after"] == "1")
            #expect(replies[1].body == "{\"ok\":true}")
            #expect(await server.requests().map(\.exchange) == [0, 1, 1])
        }
    }

    @Test func aWrongPathUnderThePrefixIsA404ThatSaysWhatWasExpected() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("one", [.init(status: 200, body: "{}")])])
        try await Self.withServer(server) { _ in
            let reply = try await send(await server.baseURL(for: "one").appendingPathComponent("api/chat"), body: "{}")
            #expect(reply.status == 404)
            let expected = try #require(reply.json?["expected"] as? [String: String])
            #expect(expected == ["method": "POST", "path": "/v1/chat/completions"])
        }
    }

    /// One recorded fixture per provider, reached without a prefix by the text of the request.
    @Test(arguments: [
        ("openai-fenced-json", "/v1/chat/completions", "openai"),
        ("ollama-prose-around-json", "/api/chat", "ollama"),
        ("anthropic-valid-vin-decode", "/v1/messages", "anthropic"),
    ])
    func matchesByRequestText(name: String, path: String, provider: String) async throws {
        let recorded = try ReplayFixture.load(contentsOf: Self.folder.appendingPathComponent("\(name).json"))
        let server = try ReplayServer(directory: Self.folder)
        try await Self.withServer(server) { base in
            let prompt = "Write a Baton workflow for this request.\n\nRequest:\n"
                + recorded.request.uppercased().replacingOccurrences(of: " ", with: "  \n ")
                + "\n\nConnectors:\n- crm.searchCustomers ..."
            let reply = try await send(base.appendingPathComponent(path), body: chatBody(provider, user: prompt))
            #expect(reply.status == 200)
            #expect(reply.body == recorded.exchanges[0].response.body)
            #expect(await server.requests().last?.fixture == name)
        }
    }

    @Test func anUnknownRequestIsA404WithAnExplanation() async throws {
        let server = try ReplayServer(directory: Self.folder)
        try await Self.withServer(server) { base in
            let unmatched = try await send(
                base.appendingPathComponent("v1/messages"), body: chatBody("anthropic", user: "Order pizza for the team"))
            #expect(unmatched.status == 404)
            #expect(unmatched.json?["error"] as? String == "no recorded exchange for this request")
            #expect(unmatched.json?["lastUserMessage"] as? String == "Order pizza for the team")
            let unknownFixture = try await send(base.appendingPathComponent("replay/nope/v1/messages"), body: "{}")
            #expect(unknownFixture.status == 404)
            #expect((unknownFixture.json?["error"] as? String)?.contains("nope") == true)
            let unknownPath = try await send(base.appendingPathComponent("v2/complete"), body: "{}")
            #expect(unknownPath.status == 404)
        }
    }

    @Test func requestHeadersAndBodiesAreRecorded() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("auth", [.init(status: 401, body: "{}")])])
        try await Self.withServer(server) { _ in
            let url = await server.baseURL(for: "auth").appendingPathComponent("v1/chat/completions")
            _ = try await send(url, body: "{\"model\":\"gpt-4o-mini\"}",
                               headers: ["Authorization": "Bearer sk-test-123", "X-Api-Key": "k-456"])
            let request = try #require(await server.requests().first)
            #expect(request.method == "POST")
            #expect(request.path == "/replay/auth/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-test-123")
            #expect(request.headers["x-api-key"] == "k-456")
            #expect(request.body == "{\"model\":\"gpt-4o-mini\"}")
            #expect(request.status == 401 && request.fixture == "auth")
        }
    }

    @Test func aDelayIsHonoured() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("slow", [.init(status: 200, body: "{}", delayMs: 400)])])
        try await Self.withServer(server) { _ in
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await send(await server.baseURL(for: "slow").appendingPathComponent("v1/chat/completions"))
            #expect(reply.status == 200)
            #expect(clock.now - start >= .milliseconds(400))
        }
    }

    @Test func aStalledResponseTimesTheClientOut() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("stall", [
            .init(status: 200, headers: ["content-type": "application/json"], body: "{\"partial\": ", stall: true),
        ])])
        let clock = ContinuousClock()
        let start = clock.now
        try await Self.withServer(server) { _ in
            let url = await server.baseURL(for: "stall").appendingPathComponent("v1/chat/completions")
            let error = await #expect(throws: (any Error).self) { try await send(url, body: "{}", timeout: 1) }
            #expect(error.map(isTimeout) == true, "\(String(describing: error))")
        }
        // The client gave up after about a second, and stopping the server ended the open response rather than
        // waiting for it (which would hang): bounded loosely, as the whole suite shares two cores.
        #expect(clock.now - start < .seconds(30))
    }

    @Test func stoppingEndsAStalledResponseAtOnce() async throws {
        let server = ReplayServer(fixtures: [Self.fixture("stall", [.init(status: 200, body: "{", stall: true)])])
        _ = try await server.start()
        let url = await server.baseURL(for: "stall").appendingPathComponent("v1/chat/completions")
        let client = Task { try await send(url, body: "{}", timeout: 20) }
        while await server.requests().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        let clock = ContinuousClock()
        let start = clock.now
        await server.stop()
        // Well before the client's own 20 s timeout, with room for a busy machine.
        #expect(clock.now - start < .seconds(8))
        // The connection closes without the response ever ending: the client sees an error, not an answer.
        await #expect(throws: (any Error).self) { try await client.value }
        #expect(clock.now - start < .seconds(10))
    }

    @Test func modelListsAnswer() async throws {
        let server = try ReplayServer(directory: Self.folder)
        try await Self.withServer(server) { base in
            let models = try await send(base.appendingPathComponent("v1/models"), method: "GET")
            #expect(models.status == 200 && models.json?["object"] as? String == "list")
            let tags = try await send(base.appendingPathComponent("api/tags"), method: "GET")
            let names = (tags.json?["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(names.contains("qwen2.5-coder:7b"))
        }
    }

    @Test func serversStartAndStopRepeatedlyOnFreshPorts() async throws {
        var ports: Set<Int> = []
        for round in 0..<4 {
            let server = ReplayServer(fixtures: [Self.fixture("s\(round)", [.init(status: 200, body: "{}")])])
            let base = try await server.start()
            ports.insert(base.port ?? 0)
            let url = await server.baseURL(for: "s\(round)").appendingPathComponent("v1/chat/completions")
            #expect(try await send(url).status == 200)
            await server.stop()
            await server.stop()
        }
        #expect(!ports.contains(0))
    }
}
