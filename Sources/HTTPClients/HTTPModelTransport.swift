internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1
import WorkflowComposer
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real transport for language models, over AsyncHTTPClient.
///
/// `timeout` bounds each exchange as a whole, however slowly the answer trickles in; an answer longer than
/// `maxResponseBytes` fails as soon as the limit is passed. Redirects are never followed: the 3xx response is
/// returned as it is, and `HTTPLanguageModel` reports where it pointed, so the API key stays with the base URL
/// that was configured.
public struct HTTPModelTransport: HTTPTransport {
    /// The largest answer accepted unless told otherwise: far above any completion, far below what hurts.
    public static let defaultMaxResponseBytes = 4 << 20

    public var timeout: TimeInterval
    public var maxResponseBytes: Int

    public init(timeout: TimeInterval, maxResponseBytes: Int = Self.defaultMaxResponseBytes) {
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        try await perform(request, stream: nil)
    }

    public func stream(
        _ request: URLRequest, stallTimeout: TimeInterval, receive: @escaping @Sendable (Data) -> Bool
    ) async throws -> (Data, HTTPURLResponse) {
        let watch = HTTPExchange.Stream(timeout: .nanoseconds(Int64(min(stallTimeout, 31_536_000) * 1_000_000_000))) { part in
            receive(Data(part.readableBytesView))
        }
        do {
            return try await perform(request, stream: watch)
        } catch HTTPExchange.Failure.stalled {
            throw StreamStalled(seconds: stallTimeout)
        }
    }

    private func perform(_ request: URLRequest, stream: HTTPExchange.Stream?) async throws -> (Data, HTTPURLResponse) {
        guard let url = request.url else { throw URLError(.badURL) }
        var http = HTTPClientRequest(url: url.absoluteString)
        http.method = .init(rawValue: request.httpMethod ?? "GET")
        for (name, value) in request.allHTTPHeaderFields ?? [:] { http.headers.replaceOrAdd(name: name, value: value) }
        if let body = request.httpBody { http.body = .bytes(ByteBuffer(bytes: body)) }
        let answer: HTTPExchange.Answer
        do {
            answer = try await HTTPExchange.perform(
                http, deadline: timeout.deadlineFromNow, maxBodyBytes: maxResponseBytes, stream: stream)
        } catch HTTPExchange.Failure.timedOut {
            throw URLError(.timedOut)
        } catch HTTPExchange.Failure.tooLarge(let limit, let declared) {
            let size = declared.map { "of \($0) bytes" } ?? "going on past \(limit) bytes"
            throw ModelError(
                .badResponse,
                "\(url.absoluteString) sent an answer \(size); the limit is \(limit) bytes (\(limit >> 20) MB)")
        } catch HTTPExchange.Failure.transport(let error) {
            throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: "\(error)"])
        }
        guard
            let response = HTTPURLResponse(
                url: url, statusCode: answer.status, httpVersion: "HTTP/1.1", headerFields: answer.headerFields)
        else { throw URLError(.badServerResponse) }
        return (Data(answer.body.readableBytesView), response)
    }
}
