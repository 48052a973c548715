import Foundation
import ModelReplay
import Testing

/// `baton compose` against model servers that misbehave, through the real process: the timeout bounds an answer
/// that trickles in, and a redirect is reported, not followed, so the API key never reaches the other host.
@Suite struct ComposeHTTPTests {
    static let request = "When a customer signs up, send a welcome email."

    @Test func aTricklingAnswerEndsAtTheTimeout() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let server = ScriptedServer(
            answer: .trickle(status: 200, headers: ["content-type": "application/json"], bytes: 600, interval: .seconds(1)))
        let url = try await server.start()
        let result = try await BatonProcess.run(
            [
                "compose", Self.request, "--base-url", url.appendingPathComponent("v1").absoluteString, "--model", "m",
                "--timeout", "3",
            ],
            environment: sandbox.environment)
        let arrived = try #require(await server.requests().first?.receivedAt)
        #expect(Date().timeIntervalSince(arrived) < 3 + 5)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("did not answer in time"), "\(result.stderr)")
        await server.stop()
    }

    @Test func aRedirectIsReportedAndTheKeyStaysHome() async throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        let other = ScriptedServer(host: "127.0.0.2", answer: .reply(status: 200, headers: [:], body: "{}"))
        let location = try await other.start().appendingPathComponent("v1/chat/completions").absoluteString
        let server = ScriptedServer(answer: .reply(status: 307, headers: ["location": location], body: ""))
        let url = try await server.start()
        let result = try await BatonProcess.run(
            ["compose", Self.request, "--base-url", url.appendingPathComponent("v1").absoluteString, "--model", "m"],
            environment: sandbox.environment.merging(["BATON_LLM_API_KEY": "sk-test-0123456789"]) { $1 })
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("redirected (307) to \(location)"), "\(result.stderr)")
        #expect(!result.stderr.contains("sk-test-0123456789"))
        #expect(await server.requests().first?.headers["authorization"] == "Bearer sk-test-0123456789")
        #expect(await other.requests().isEmpty)
        await server.stop()
        await other.stop()
    }
}
