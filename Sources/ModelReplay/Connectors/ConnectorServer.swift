import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
import WorkflowModel

/// A loopback HTTP server that plays a catalog's connectors: each operation answers with its documented example
/// (or `{}`), unless replies were queued for it. Every call is kept, so tests can check order, retries and
/// idempotency keys.
///
/// Connector `NAME` is served under `http://127.0.0.1:PORT/NAME`; `catalog()` gives the catalog pointing there.
public actor ConnectorServer {
    /// A call the server received.
    public struct Call: Sendable, Hashable {
        public var connector: String
        public var operation: String
        public var method: String
        public var path: String
        public var query: String?
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: JSONValue?
        public var status: Int
        public var receivedAt: Date

        public var idempotencyKey: String? { headers["idempotency-key"] }
        /// `connector.operation`.
        public var name: String { "\(connector).\(operation)" }
    }

    /// A queued answer.
    public struct Reply: Sendable {
        public var status: Int
        public var body: String
        public var headers: [String: String]
        public var delay: Duration?
        /// Answer with the request's headers as a JSON object (names in lower case) instead of `body`, as a
        /// careless service might: credentials included.
        public var echoesHeaders: Bool

        public init(
            status: Int = 200, body: String = "{}", headers: [String: String] = [:], delay: Duration? = nil,
            echoesHeaders: Bool = false
        ) {
            self.status = status
            self.body = body
            self.headers = headers
            self.delay = delay
            self.echoesHeaders = echoesHeaders
        }

        public static func json(_ value: JSONValue, status: Int = 200) -> Reply { Reply(status: status, body: value.jsonText) }

        /// A 200 whose body is the request's headers.
        public static let echo = Reply(echoesHeaders: true)
    }

    private let source: ConnectorCatalog
    private var queued: [String: [Reply]] = [:]
    private var fixed: [String: Reply] = [:]
    private var latency: Duration?
    private var received: [Call] = []
    private var server: LoopbackServer?

    public init(catalog: ConnectorCatalog) { source = catalog }

    /// Binds 127.0.0.1 on a free port and returns `http://127.0.0.1:PORT`.
    public func start() async throws -> URL {
        if let server { return server.url }
        let started = try await LoopbackServer.start(label: "connector") { request in try await self.respond(to: request) }
        server = started
        return started.url
    }

    /// Stops the server, ending delayed responses, and waits until it has stopped.
    public func stop() async {
        await server?.stop()
        server = nil
    }

    /// The catalog with every connector's base URL pointing at this server.
    public func catalog() -> ConnectorCatalog {
        guard let url = server?.url else { preconditionFailure("start() the connector server before asking for its catalog") }
        return source.rebased { url.appendingPathComponent($0.name).absoluteString }
    }

    /// Queues replies for `connector.operation`, served before its example.
    public func enqueue(_ operation: String, _ replies: [Reply]) { queued[operation, default: []] += replies }

    /// Answers every call of `connector.operation` with `reply` once its queue is empty.
    public func always(_ operation: String, _ reply: Reply) { fixed[operation] = reply }

    /// Delays every answer by `latency`, so that calls are in flight for a while.
    public func setLatency(_ latency: Duration?) { self.latency = latency }

    /// Every call received so far, in order.
    public func calls() -> [Call] { received }

    public func reset() {
        received = []
        queued = [:]
    }

    private func reply(to call: inout Call) -> Reply {
        if var replies = queued[call.name], !replies.isEmpty {
            let reply = replies.removeFirst()
            queued[call.name] = replies
            call.status = reply.status
            received.append(call)
            return reply
        }
        let operation = source[call.connector]?.operation(call.operation)
        var reply = fixed[call.name] ?? (operation == nil
            ? Reply(status: 404, body: #"{"message":"no such operation"}"#)
            : Reply(body: operation?.responseExample?.jsonText ?? "{}"))
        if reply.delay == nil { reply.delay = latency }
        call.status = reply.status
        received.append(call)
        return reply
    }

    /// Finds the operation whose method and path template match.
    private nonisolated func route(method: String, path: String) -> (String, String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let name = parts.first, let connector = source[name] else { return (parts.first ?? "", "") }
        let rest = Array(parts.dropFirst())
        for operation in connector.operations where operation.method.uppercased() == method {
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == rest.count else { continue }
            if zip(template, rest).allSatisfy({ $0.hasPrefix("{") || String($0) == $1 }) { return (name, operation.id) }
        }
        return (name, "")
    }

    private nonisolated func respond(to request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 32 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let text = String(buffer: bytes)
        let (connector, operation) = route(method: request.method.rawValue, path: request.uri.path)
        var call = Call(
            connector: connector, operation: operation, method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: headers, body: text.isEmpty ? nil : (try? JSONParser.parse(text)) ?? .string(text), status: 0, receivedAt: Date())
        let reply = await reply(to: &call)
        if let delay = reply.delay { try await Task.sleep(for: delay) }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in reply.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
        let body = reply.echoesHeaders
            ? JSONValue.object(JSONObject(headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })).jsonText
            : reply.body
        return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
