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
}
