internal import AsyncHTTPClient
import Foundation
internal import NIOCore
internal import NIOHTTP1
import WorkflowEngine
import WorkflowModel

/// Sends connector requests over real HTTP with AsyncHTTPClient.
///
/// The timeout bounds the whole exchange, redirects included; a body longer than the request's limit fails the
/// call as soon as the limit is passed. Redirects are followed only when the connector's registration allows it,
/// and then only to the same scheme, host and port, so its credentials and idempotency key never reach another
/// host; any other 3xx with a Location fails the call with `redirect.refused`.
public struct HTTPConnectorCaller: ConnectorCaller {
    /// Redirects followed in one call at most.
    static let maxRedirects = 5

    public init() {}

    public func send(_ request: ConnectorRequest) async throws -> ConnectorResponse {
        let deadline = request.timeout.deadlineFromNow
        var url = request.url
        var method = request.method
        var body = request.body
        var redirects = 0
        while true {
            let answer = try await exchange(request, url: url, method: method, body: body, deadline: deadline)
            let response = ConnectorResponse(
                status: answer.status, headers: answer.headerFields, body: Data(answer.body.readableBytesView))
            guard [301, 302, 303, 307, 308].contains(answer.status), let location = response.headers["location"] else {
                return response
            }
            let target = URL(string: location, relativeTo: url)?.absoluteURL
            guard let target, request.redirects == .sameHost, Self.sameOrigin(target, url), redirects < Self.maxRedirects
            else {
                throw refusal(
                    request, status: answer.status, location: target?.absoluteString ?? location, after: redirects)
            }
            // 303, and 301/302 after anything but GET or HEAD, turn into a GET without a body, as clients do; 307 and
            // 308 keep the method and body.
            if answer.status == 303 || ([301, 302].contains(answer.status) && !["GET", "HEAD"].contains(method)) {
                method = "GET"
                body = nil
            }
            url = target
            redirects += 1
        }
    }

    private func exchange(
        _ request: ConnectorRequest, url: URL, method: String, body: JSONValue?, deadline: NIODeadline
    ) async throws -> HTTPExchange.Answer {
        var http = HTTPClientRequest(url: url.absoluteString)
        http.method = .init(rawValue: method)
        for (name, value) in request.headers { http.headers.replaceOrAdd(name: name, value: value) }
        http.headers.replaceOrAdd(name: "Accept", value: "application/json")
        if let body {
            http.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(string: body.jsonText))
        }
        let host = url.host ?? "the connector"
        do {
            return try await HTTPExchange.perform(http, deadline: deadline, maxBodyBytes: request.maxResponseBytes)
        } catch HTTPExchange.Failure.timedOut {
            throw StepFailure(
                code: "timeout", message: "no complete answer from \(host) within \(Self.seconds(request.timeout)) s",
                transient: true)
        } catch HTTPExchange.Failure.tooLarge(let limit, let declared) {
            let size = declared.map { "has \($0) bytes" } ?? "goes on past \(limit) bytes"
            throw StepFailure(
                code: "response.too-large", message: "the response \(size); the limit is \(limit)", transient: false)
        } catch HTTPExchange.Failure.transport(let error) {
            throw StepFailure(code: "network", message: "\(method) \(host): \(error)", transient: true)
        }
    }

    private func refusal(
        _ request: ConnectorRequest, status: Int, location: String, after redirects: Int
    ) -> StepFailure {
        let reason: String
        switch request.redirects {
        case .never:
            reason = "calls to \(request.connector) follow no redirects (its registration can allow same-host ones with "
                + "`redirects: same-host`)"
        case .sameHost where redirects >= Self.maxRedirects:
            reason = "that is more than \(Self.maxRedirects) redirects"
        case .sameHost:
            reason = "calls to \(request.connector) follow redirects to the same scheme, host and port only"
        }
        return StepFailure(
            code: "redirect.refused", message: "HTTP \(status) redirects to \(location); \(reason)", transient: false)
    }

    /// Whether `a` and `b` have the same scheme, host and port (default ports counted).
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func origin(_ url: URL) -> (String, String, Int)? {
            guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
            return (scheme, host, url.port ?? (scheme == "https" ? 443 : 80))
        }
        guard let first = origin(a), let second = origin(b) else { return false }
        return first == second
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
