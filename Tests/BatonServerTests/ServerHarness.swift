import AsyncHTTPClient
import BatonServer
import BatonTestSupport
import Foundation
import HTTPClients
import Logging
import ModelReplay
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// A real `BatonServer` on a loopback port over a fresh SQLite file, with the catalog's connectors played by a
/// loopback server, a run worker, and an API token.
struct ServerHarness {
    static let webhookKey = WebhookSignature.generateSecret()

    let folder: URL
    let service: WorkflowService
    let server: BatonServer
    let connectors: ConnectorServer
    let base: String
    let token: String
    private let task: Task<Void, any Error>

    /// Webhook secrets by name; every other secret a connector asks for is made up.
    struct Secrets: SecretProvider {
        func secret(named name: String) -> String? { name.hasSuffix("WEBHOOK_SECRET") ? ServerHarness.webhookKey : "test-\(name)" }
    }

    static func start(makeComposer: ComposerFactory? = nil) async throws -> ServerHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-server-\(UUID().uuidString)")
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path)
        let connectors = ConnectorServer(catalog: Fixtures.catalog)
        _ = try await connectors.start()
        let catalog = await connectors.catalog()
        let metrics = ServerMetrics()
        let environment = EngineEnvironment(
            journal: store.runJournal(), caller: HTTPConnectorCaller(), catalog: catalog, secrets: Secrets(), onEvent: { metrics.record($0) })
        let engine = WorkflowEngine(environment: environment, source: store)
        let service = WorkflowService(repository: store, catalog: catalog, engine: engine)
        let server = BatonServer(service: service, metrics: metrics, makeComposer: makeComposer)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = server.application(host: "127.0.0.1", port: 0, logger: logger) { port in
            sink.yield(port)
            sink.finish()
        }
        let worker = RunWorker(engine: engine, poll: .milliseconds(250), logger: logger)
        let task = Task {
            try await ServiceGroup(services: [app, worker], gracefulShutdownSignals: [], logger: logger).run()
        }
        var port = 0
        for await bound in ports { port = bound }
        let token = try await service.createToken(name: "tests").token
        return ServerHarness(
            folder: folder, service: service, server: server, connectors: connectors, base: "http://127.0.0.1:\(port)", token: token, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        await connectors.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Saves and activates a fixture definition.
    @discardableResult
    func activate(_ fixture: String) async throws -> WorkflowSummary {
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, fixture), as: UTF8.self)
        guard let workflow = WorkflowValidator(catalog: service.catalog).validate(json: text).validated else {
            throw HarnessError("\(fixture) does not validate")
        }
        return try await service.save(workflow, source: .imported, activate: true).summary
    }

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    /// One request; `authorized` adds the harness's API token.
    func request(
        _ method: HTTPMethod, _ path: String, body: String? = nil, headers: [String: String] = [:], authorized: Bool = true
    ) async throws -> Answer {
        try await Self.request(method, base + path, body: body, headers: headers, token: authorized ? token : nil)
    }

    /// One request to any server, with `token` as its bearer token when given.
    static func request(
        _ method: HTTPMethod, _ url: String, body: String? = nil, headers: [String: String] = [:], token: String? = nil,
        client: HTTPClient = .shared
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            if headers["Content-Type"] == nil { request.headers.add(name: "Content-Type", value: "application/json") }
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// Standard Webhooks headers for `body`, signed with the harness's key.
    static func signed(_ body: String, id: String, at time: Date = Date()) throws -> [String: String] {
        let signature = try WebhookSignature(secret: webhookKey).sign(id: id, timestamp: time, body: Array(body.utf8))
        return ["webhook-id": id, "webhook-timestamp": String(Int(time.timeIntervalSince1970)), "webhook-signature": signature]
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
