import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A loopback server that answers every request the same scripted way, including the ways real servers misbehave:
/// redirecting elsewhere, or trickling a body a byte at a time. It keeps every request it receives, so tests can
/// check what reached it (credentials included).
public actor ScriptedServer {
    /// How the server answers.
    public enum Answer: Sendable {
        /// A whole response at once.
        case reply(status: Int, headers: [String: String], body: String)
        /// The status and headers at once, then `bytes` spaces, one every `interval`.
        case trickle(status: Int, headers: [String: String], bytes: Int, interval: Duration)
        /// The status and headers at once, then after `start` each piece `interval` apart; then the end, or nothing
        /// more ever (`stall`) while the connection stays open. A streamed answer, as a model server sends it.
        case pieces(status: Int, headers: [String: String], pieces: [String], start: Duration = .zero, interval: Duration, stall: Bool = false)
    }

    private let host: String
    private let answer: Answer
    private let routes: [String: Answer]
    private var received: [ReceivedRequest] = []
    private var server: LoopbackServer?

    /// A server for `host` (a loopback address such as 127.0.0.2), answering requests for a path in `routes` as
    /// it says and all others with `answer`.
    public init(host: String = "127.0.0.1", answer: Answer, routes: [String: Answer] = [:]) {
        self.host = host
        self.answer = answer
        self.routes = routes
    }

    /// Binds a free port and returns `http://HOST:PORT`.
    public func start() async throws -> URL {
        if let server { return server.url }
        let started = try await LoopbackServer.start(label: "scripted", host: host) { request in
            try await self.respond(to: request)
        }
        server = started
        return started.url
    }

    /// Stops the server, ending open responses.
    public func stop() async {
        await server?.stop()
        server = nil
    }

    /// Every request received so far, in order.
    public func requests() -> [ReceivedRequest] { received }

    private func record(_ request: ReceivedRequest) { received.append(request) }

    private nonisolated func respond(to request: Request) async throws -> Response {
        var incoming = try await ReceivedRequest.reading(request, upTo: 1 << 20)
        let status: Int
        let fields: [String: String]
        let body: ResponseBody
        switch routes[request.uri.path] ?? answer {
        case .reply(let code, let replyHeaders, let text):
            (status, fields, body) = (code, replyHeaders, ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case .trickle(let code, let replyHeaders, let total, let interval):
            (status, fields) = (code, replyHeaders)
            body = ResponseBody { writer in
                for _ in 0..<total {
                    try await writer.write(ByteBuffer(string: " "))
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            }
        case .pieces(let code, let replyHeaders, let pieces, let start, let interval, let stall):
            (status, fields) = (code, replyHeaders)
            body = ResponseBody { writer in
                try await Task.sleep(for: start)
                for piece in pieces {
                    try await Task.sleep(for: interval)
                    try await writer.write(ByteBuffer(string: piece))
                }
                while stall { try await Task.sleep(for: .seconds(3600)) }
                try await writer.finish(nil)
            }
        }
        incoming.status = status
        await record(incoming)
        var responseFields = HTTPFields()
        for (name, value) in fields { if let field = HTTPField.Name(name) { responseFields[field] = value } }
        return Response(status: .init(code: status), headers: responseFields, body: body)
    }
}
