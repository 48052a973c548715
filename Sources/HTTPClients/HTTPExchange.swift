internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1
import Synchronization

/// One request and its whole answer over the process's HTTP client, bounded in time (from connecting to the last
/// byte) and in size (reading stops once the body passes the limit).
enum HTTPExchange {
    /// The client every call shares. It follows no redirects, so credentials never go anywhere the caller did not
    /// choose, and does not retry failed connections, since callers retry under their own policies. Like
    /// `HTTPClient.shared` it lives as long as the process and is never shut down.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer

        /// The headers by lower-case name; repeated ones joined with ", ".
        var headerFields: [String: String] {
            var fields: [String: String] = [:]
            for (name, value) in headers {
                let name = name.lowercased()
                fields[name] = fields[name].map { $0 + ", " + value } ?? value
            }
            return fields
        }
    }

    enum Failure: Error {
        /// The deadline passed before the answer was complete.
        case timedOut
        /// The answer had begun, then no byte came for the stall timeout.
        case stalled
        /// The body is longer than `limit`; `declared` is its Content-Length when it gave one.
        case tooLarge(limit: Int, declared: Int?)
        /// The connection could not be made or broke.
        case transport(any Error)
    }

    /// How a streamed answer is watched: each piece of the body is handed to `receive` as it arrives, which says
    /// whether the answer has begun (e.g. the first token came); from then on a gap longer than `timeout` fails the
    /// exchange with `Failure.stalled`. Before that only the deadline applies (a model may read its prompt for minutes).
    struct Stream: Sendable {
        var timeout: TimeAmount
        var receive: @Sendable (ByteBuffer) -> Bool
    }

    /// Sends `request` and reads its answer whole by `deadline`, handing the body to `stream` as it comes when there
    /// is one. Throws `Failure`, or `CancellationError` when the calling task is cancelled.
    static func perform(
        _ request: HTTPClientRequest, deadline: NIODeadline, maxBodyBytes: Int, stream: Stream? = nil
    ) async throws -> Answer {
        var named = request
        // Some APIs refuse requests that do not say who sends them; URLSession said so by default.
        if !named.headers.contains(name: "User-Agent") { named.headers.add(name: "User-Agent", value: "baton") }
        let request = named
        // When the stream stalls: unset until the answer has begun, then pushed on by every piece.
        let stallDeadline = StallDeadline()
        let watched = stream.map { stream in
            Stream(timeout: stream.timeout) { part in
                let begun = stream.receive(part)
                stallDeadline.value.withLock { current in
                    if begun || current != nil { current = .now() + stream.timeout }
                }
                return begun
            }
        }
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await exchange(request, deadline: deadline, maxBodyBytes: maxBodyBytes, stream: watched) }
            // AsyncHTTPClient's deadline ends once the head arrives; this one also bounds reading the body. It wakes
            // when a limit is due (and once a stall timeout for a stream), so waiting costs nothing.
            group.addTask {
                while true {
                    let stall = stallDeadline.value.withLock { $0 }
                    let limit = min(deadline, stall ?? deadline)
                    let remaining = (limit - .now()).nanoseconds
                    if remaining <= 0 { throw stall == limit ? Failure.stalled : Failure.timedOut }
                    // A stream's stall clock may start while this sleeps: look again within one stall timeout.
                    let nap = stream.map { min(remaining, $0.timeout.nanoseconds) } ?? remaining
                    try await Task.sleep(nanoseconds: UInt64(nap))
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw Failure.timedOut }
            return answer
        }
    }

    /// When a stream counts as stalled, shared by the reader and the watchdog.
    private final class StallDeadline: Sendable {
        let value = Mutex<NIODeadline?>(nil)
    }

    private static func exchange(
        _ request: HTTPClientRequest, deadline: NIODeadline, maxBodyBytes: Int, stream: Stream?
    ) async throws -> Answer {
        do {
            let response = try await client.execute(request, deadline: deadline)
            let declared = response.headers.first(name: "content-length").flatMap { Int($0) }
            if let declared, declared > maxBodyBytes { throw Failure.tooLarge(limit: maxBodyBytes, declared: declared) }
            var body = ByteBuffer()
            for try await var part in response.body {
                guard body.readableBytes + part.readableBytes <= maxBodyBytes else {
                    throw Failure.tooLarge(limit: maxBodyBytes, declared: nil)
                }
                if let stream { _ = stream.receive(part) }
                body.writeBuffer(&part)
            }
            return Answer(status: Int(response.status.code), headers: response.headers, body: body)
        } catch let failure as Failure {
            throw failure
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
                throw Failure.timedOut
            }
            throw Failure.transport(error)
        }
    }
}

extension TimeInterval {
    /// The point in time this many seconds from now.
    var deadlineFromNow: NIODeadline { .now() + .nanoseconds(Int64(Swift.min(self, 31_536_000) * 1_000_000_000)) }
}
