import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request and returns the response; the seam where tests or recorders stand in.
///
/// An implementation bounds the whole exchange in time and the body in size, and follows no redirects: it returns
/// a 3xx response as it is, so that credentials are only ever sent to the configured host.
public protocol HTTPTransport: Sendable {
    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse)

    /// Like `send`, but hands each piece of the body to `receive` as it arrives. `receive` says whether the answer
    /// has begun (its first token came); from then on a gap of `stallTimeout` seconds without a byte ends the
    /// exchange with `StreamStalled`. Returns the whole body as `send` does.
    func stream(
        _ request: URLRequest, stallTimeout: TimeInterval, receive: @escaping @Sendable (Data) -> Bool
    ) async throws -> (Data, HTTPURLResponse)
}

extension HTTPTransport {
    /// For transports that cannot stream: the body is handed over once, whole.
    public func stream(
        _ request: URLRequest, stallTimeout: TimeInterval, receive: @escaping @Sendable (Data) -> Bool
    ) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await send(request)
        _ = receive(data)
        return (data, response)
    }
}

/// A streamed answer that began and then stopped coming for longer than the stall timeout.
public struct StreamStalled: Error, Sendable {
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) { self.seconds = seconds }
}
