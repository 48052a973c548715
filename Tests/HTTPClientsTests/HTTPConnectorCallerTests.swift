import Foundation
import HTTPClients
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel

/// The real connector caller against loopback servers that redirect, trickle and flood: credentials stay with
/// their host, the timeout bounds the whole exchange, and bodies are capped while they stream.
@Suite struct HTTPConnectorCallerTests {
    static let secret = "Bearer secret-0123456789"

    /// A POST with credentials and an idempotency key, as the engine sends one.
    /// The default timeout leaves room for a loopback exchange on a machine whose cores are busy with other work;
    /// the tests of the timeout pass their own.
    static func request(
        _ url: URL, redirects: RedirectPolicy = .never, timeout: TimeInterval = 60, maxResponseBytes: Int = 1 << 20
    ) -> ConnectorRequest {
        ConnectorRequest(
            connector: "crm", operation: "createCustomer", stepKey: "create", method: "POST", url: url,
            headers: [("Idempotency-Key", "run-1/create"), ("Authorization", secret), ("X-Api-Key", "key-0123456789")],
            body: ["name": "Ada"], timeout: timeout, maxResponseBytes: maxResponseBytes, redirects: redirects)
    }

    /// Runs `body` with a server on 127.0.0.2 that records what reaches it, and one on 127.0.0.1 that redirects there.
    static func withRedirectToAnotherHost(
        status: Int, _ body: (_ redirecting: URL, _ other: ScriptedServer, _ location: String) async throws -> Void
    ) async throws {
        let other = ScriptedServer(host: "127.0.0.2", answer: .reply(status: 200, headers: [:], body: #"{"id":"c1"}"#))
        let location = try await other.start().appendingPathComponent("customers").absoluteString
        let redirecting = ScriptedServer(answer: .reply(status: status, headers: ["location": location], body: ""))
        do {
            try await body(try await redirecting.start().appendingPathComponent("customers"), other, location)
        } catch {
            await redirecting.stop()
            await other.stop()
            throw error
        }
        await redirecting.stop()
        await other.stop()
    }

    @Test(arguments: [(301, RedirectPolicy.never), (302, .never), (307, .never), (302, .sameHost), (308, .sameHost)])
    func aRedirectToAnotherHostFailsAndSendsItNothing(status: Int, policy: RedirectPolicy) async throws {
        try await Self.withRedirectToAnotherHost(status: status) { url, other, location in
            let failure = try await #require(throws: StepFailure.self) {
                try await HTTPConnectorCaller().send(Self.request(url, redirects: policy))
            }
            #expect(failure.code == "redirect.refused")
            #expect(!failure.transient)
            #expect(failure.message.contains(location), "\(failure.message)")
            #expect(await other.requests().isEmpty)
        }
    }

    @Test(arguments: [307, 308])
    func anAllowedSameHostRedirectKeepsMethodBodyAndHeaders(status: Int) async throws {
        let server = ScriptedServer(
            answer: .reply(status: status, headers: ["location": "/v2/customers"], body: ""),
            routes: ["/v2/customers": .reply(status: 201, headers: ["content-type": "application/json"], body: #"{"id":"c1"}"#)])
        let base = try await server.start()
        let response = try await HTTPConnectorCaller().send(
            Self.request(base.appendingPathComponent("customers"), redirects: .sameHost))
        #expect(response.status == 201)
        let requests = await server.requests()
        #expect(requests.map(\.path) == ["/customers", "/v2/customers"])
        #expect(requests.map(\.method) == ["POST", "POST"])
        #expect(requests.last?.body == #"{"name":"Ada"}"#)
        #expect(requests.last?.headers["idempotency-key"] == "run-1/create")
        #expect(requests.last?.headers["user-agent"] == "baton")
        await server.stop()
    }

    @Test func aSameHostRedirectIsRefusedUnlessTheConnectorAllowsIt() async throws {
        let server = ScriptedServer(
            answer: .reply(status: 307, headers: ["location": "/v2/customers"], body: ""),
            routes: ["/v2/customers": .reply(status: 201, headers: [:], body: "{}")])
        let base = try await server.start()
        let failure = await #expect(throws: StepFailure.self) {
            try await HTTPConnectorCaller().send(Self.request(base.appendingPathComponent("customers")))
        }
        #expect(failure?.code == "redirect.refused")
        #expect(failure?.message.contains("redirects: same-host") == true)
        #expect(await server.requests().count == 1)
        await server.stop()
    }

    @Test func aTricklingAnswerTimesOutAtTheTimeout() async throws {
        let server = ScriptedServer(
            answer: .trickle(status: 200, headers: ["content-type": "application/json"], bytes: 600, interval: .milliseconds(200)))
        let url = try await server.start().appendingPathComponent("customers")
        let failure = await #expect(throws: StepFailure.self) {
            try await HTTPConnectorCaller().send(Self.request(url, timeout: 5))
        }
        #expect(failure?.code == "timeout")
        #expect(failure?.transient == true)
        // The answer trickles for two minutes; the error came at the timeout, counted from when the request arrived
        // (on a busy machine the server may note its arrival a moment after the client gave up).
        let ended = Date()
        for _ in 0..<40 where await server.requests().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        let arrived = try #require(await server.requests().first?.receivedAt)
        #expect(ended.timeIntervalSince(arrived) < 5 + 5)
        await server.stop()
    }

    @Test(arguments: [false, true])
    func aBodyOverTheLimitFailsWithoutBeingReadWhole(declaredLength: Bool) async throws {
        let total = 1 << 30
        let server = try FloodServer(total: total, declared: declaredLength)
        defer { server.stop() }
        let failure = await #expect(throws: StepFailure.self) {
            try await HTTPConnectorCaller().send(
                // The deadline is generous: with the whole suite on two cores, the reader may wait long for a thread.
                Self.request(server.url.appendingPathComponent("customers"), timeout: 300, maxResponseBytes: 1 << 20))
        }
        #expect(failure?.code == "response.too-large")
        #expect(failure?.transient == false)
        #expect(failure?.message.contains("the limit is 1048576") == true, "\(failure?.message ?? "")")
        #expect(server.bytesSent < total / 16, "sent \(server.bytesSent)")
    }

    @Test func anUnreachableConnectorIsATransientNetworkFailure() async throws {
        let server = ScriptedServer(answer: .reply(status: 200, headers: [:], body: "{}"))
        let url = try await server.start().appendingPathComponent("customers")
        await server.stop()
        let failure = await #expect(throws: StepFailure.self) { try await HTTPConnectorCaller().send(Self.request(url)) }
        #expect(failure?.code == "network")
        #expect(failure?.transient == true)
    }
}
