internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1

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
        /// The body is longer than `limit`; `declared` is its Content-Length when it gave one.
        case tooLarge(limit: Int, declared: Int?)
        /// The connection could not be made or broke.
        case transport(any Error)
    }

    /// Sends `request` and reads its answer whole by `deadline`. Throws `Failure`, or `CancellationError` when the
    /// calling task is cancelled.
    static func perform(_ request: HTTPClientRequest, deadline: NIODeadline, maxBodyBytes: Int) async throws -> Answer {
        var named = request
        // Some APIs refuse requests that do not say who sends them; URLSession said so by default.
        if !named.headers.contains(name: "User-Agent") { named.headers.add(name: "User-Agent", value: "baton") }
        let request = named
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await exchange(request, deadline: deadline, maxBodyBytes: maxBodyBytes) }
            // AsyncHTTPClient's deadline ends once the head arrives; this one also bounds reading the body.
            group.addTask {
                let remaining = max(0, (deadline - .now()).nanoseconds)
                try await Task.sleep(nanoseconds: UInt64(remaining))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw Failure.timedOut }
            return answer
        }
    }

    private static func exchange(
        _ request: HTTPClientRequest, deadline: NIODeadline, maxBodyBytes: Int
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
