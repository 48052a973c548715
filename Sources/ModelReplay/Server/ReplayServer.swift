import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A loopback HTTP server that answers like a language-model API by replaying recorded exchanges.
///
/// `/replay/<fixture>/<path>` serves that fixture's exchanges in order. Plain chat paths
/// (`/v1/chat/completions`, `/api/chat`, `/v1/messages`) pick the fixture of that provider whose request text
/// appears in the user's message. `GET /v1/models` and `GET /api/tags` list models.
public actor ReplayServer {
    private var book: ReplayBook
    private var received: [ReceivedRequest] = []
    private var server: LoopbackServer?

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
        if let server { return server.url }
        let started = try await LoopbackServer.start(label: "replay") { request in try await self.respond(to: request) }
        server = started
        return started.url
    }

    /// Stops the server, ending open (stalled or delayed) responses, and waits until it has stopped.
    public func stop() async {
        await server?.stop()
        server = nil
    }

    /// Every request received so far, in order.
    public func requests() -> [ReceivedRequest] { received }

    /// The base URL that serves `fixture`'s exchanges in order: `http://127.0.0.1:PORT/replay/<fixture>`.
    public func baseURL(for fixture: String) -> URL {
        guard let url = server?.url else { preconditionFailure("start() the replay server before asking for its URL") }
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

    private nonisolated func respond(to request: Request) async throws -> Response {
        let received = try await ReceivedRequest.reading(request, upTo: 32 << 20)
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
