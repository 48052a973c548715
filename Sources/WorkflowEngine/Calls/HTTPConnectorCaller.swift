import Foundation
import WorkflowModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends connector requests over real HTTP with URLSession (libcurl on Linux).
public struct HTTPConnectorCaller: ConnectorCaller {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: ConnectorRequest) async throws -> ConnectorResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body {
            urlRequest.httpBody = Data(body.jsonText.utf8)
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        let data: Data
        let response: URLResponse
        do {
            let prepared = urlRequest
            (data, response) = try await within(request.timeout) { [session] in try await session.data(for: prepared) }
        } catch let error as URLError {
            if error.code == .cancelled, Task.isCancelled { throw CancellationError() }
            let timedOut = error.code == .timedOut
            throw StepFailure(
                code: timedOut ? "timeout" : "network",
                message: timedOut ? "no answer from \(request.url.host ?? "the connector") within \(Int(request.timeout)) s"
                    : "\(request.method) \(request.url.host ?? ""): \(error.localizedDescription)",
                transient: true)
        }
        guard let http = response as? HTTPURLResponse else {
            throw StepFailure(code: "network", message: "not an HTTP response", transient: true)
        }
        guard data.count <= request.maxResponseBytes else {
            throw StepFailure(
                code: "response.too-large", message: "the response has \(data.count) bytes; the limit is \(request.maxResponseBytes)",
                transient: false)
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return ConnectorResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// The result of `body`, or a `timedOut` error once `seconds` have passed (URLSession's own timeout only
    /// bounds the time between bytes).
    private func within<T: Sendable>(_ seconds: TimeInterval, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw URLError(.timedOut) }
            return value
        }
    }
}
