import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore

/// A loopback HTTP server that answers like a language-model API by replaying recorded exchanges.
///
/// `/replay/<fixture>/<path>` serves that fixture's exchanges in order. Plain chat paths
/// (`/v1/chat/completions`, `/api/chat`, `/v1/messages`) pick the fixture of that provider whose request text
/// appears in the user's message. `GET /v1/models` and `GET /api/tags` list models.
public actor ReplayServer {
    private var book: ReplayBook
    private var received: [ReceivedRequest] = []
    private var running: Task<Void, any Error>?
    private var url: URL?

    /// Fixtures are checked here: unique names, at least one exchange each. Invalid ones trap: use
    /// `init(directory:)` for files, which reports them as errors.
    public init(fixtures: [ReplayFixture]) {
        do {
            book = try ReplayBook(fixtures: fixtures)
        } catch {
            preconditionFailure("invalid replay fixtures: \(error)")
        }
    }

    /// Loads every `*.json` file in `directory` as a fixture.
    public init(directory: URL) throws {
        book = try ReplayBook(fixtures: ReplayFixture.loadAll(in: directory))
    }

    /// Binds 127.0.0.1 on a free port and returns the server's address, `http://127.0.0.1:PORT`.
    public func start() async throws -> URL {
        if let url { return url }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "ModelReplay")
        logger.logLevel = .critical
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger
        )
        let task = Task {
            defer { portSink.finish() }
            try await app.run()
        }
        running = task
        var port: Int?
        for await bound in ports { port = bound }
        guard let port, port > 0, let base = URL(string: "http://127.0.0.1:\(port)") else {
            task.cancel()
            let reason: String
            switch await task.result {
            case .failure(let error): reason = "\(error)"
            case .success: reason = "no port was bound"
            }
            running = nil
            throw ReplayError(.startFailed, "the replay server did not start: \(reason)")
        }
        url = base
        return base
    }

    /// Stops the server, ending open (stalled or delayed) responses, and waits until it has stopped.
    public func stop() async {
        guard let running else { return }
        running.cancel()
        _ = await running.result
        self.running = nil
        url = nil
    }

    /// Every request received so far, in order.
    public func requests() -> [ReceivedRequest] { received }

    /// The base URL that serves `fixture`'s exchanges in order: `http://127.0.0.1:PORT/replay/<fixture>`.
    public func baseURL(for fixture: String) -> URL {
        guard let url else { preconditionFailure("start() the replay server before asking for its URL") }
        return url.appendingPathComponent("replay").appendingPathComponent(fixture)
    }

    /// Routes one request and records it.
    private func answer(_ request: ReceivedRequest) -> ReplayBook.Answer {
        let answer = book.answer(.init(method: request.method, path: request.path, body: request.body))
        var request = request
        request.status = answer.status
        if case .replay(let fixture, let index, _) = answer {
            request.fixture = fixture
            request.exchange = index
        }
        received.append(request)
        return answer
    }

    private nonisolated func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ in
                try await self.respond(to: request)
            }
        }
        return router
    }

    private nonisolated func respond(to request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 32 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName, default: ""].append(
                headers[field.name.canonicalName] == nil ? field.value : ", \(field.value)")
        }
        let received = ReceivedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers,
            body: String(buffer: body), status: 0)
        switch await answer(received) {
        case .generated(let status, let text):
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case .replay(_, _, let recorded):
            if recorded.delayMs > 0 { try await Task.sleep(for: .milliseconds(recorded.delayMs)) }
            var fields = HTTPFields()
            for (name, value) in recorded.headers.sorted(by: { $0.key < $1.key }) {
                guard let name = HTTPField.Name(name), ![.contentLength, .transferEncoding, .connection].contains(name)
                else { continue }
                fields.append(HTTPField(name: name, value: value))
            }
            let bytes = ByteBuffer(string: recorded.body)
            guard recorded.stall else {
                return Response(status: .init(code: recorded.status), headers: fields, body: .init(byteBuffer: bytes))
            }
            // No length and no final chunk: the client has the body but never sees the response end.
            return Response(status: .init(code: recorded.status), headers: fields, body: ResponseBody { writer in
                if bytes.readableBytes > 0 { try await writer.write(bytes) }
                while true { try await Task.sleep(for: .seconds(3600)) }
            })
        }
    }
}
