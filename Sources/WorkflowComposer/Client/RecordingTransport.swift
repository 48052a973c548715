import Foundation
import Synchronization
import WorkflowModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Passes requests on and writes each exchange to a folder as a replayable fixture (`fixtures/llm` format).
/// Secrets never reach the file: request headers are not recorded.
public actor RecordingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let directory: URL
    private let provider: ModelProvider
    private var count = 0

    public init(wrapping inner: any HTTPTransport, directory: URL, provider: ModelProvider) {
        self.inner = inner
        self.directory = directory
        self.provider = provider
    }

    public func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await inner.send(request)
        try record(request, data, response)
        return (data, response)
    }

    /// A stream that ends early (stopped in a loop, stalled) is recorded as far as it came, as a 200 event stream.
    public func stream(
        _ request: URLRequest, stallTimeout: TimeInterval, receive: @escaping @Sendable (Data) -> Bool
    ) async throws -> (Data, HTTPURLResponse) {
        let received = Mutex(Data())
        do {
            let (data, response) = try await inner.stream(request, stallTimeout: stallTimeout) { part in
                received.withLock { $0.append(part) }
                return receive(part)
            }
            try record(request, data, response)
            return (data, response)
        } catch {
            let partial = received.withLock { $0 }
            let type = provider == .ollama ? "application/x-ndjson" : "text/event-stream"
            if !partial.isEmpty, let url = request.url,
                let response = HTTPURLResponse(url: url, statusCode: 200, httpVersion: "HTTP/1.1", headerFields: ["content-type": type])
            {
                try? record(request, partial, response)
            }
            throw error
        }
    }

    private func record(_ request: URLRequest, _ data: Data, _ response: HTTPURLResponse) throws {
        count += 1
        let body = request.httpBody.flatMap { try? JSONParser.parse(String(decoding: $0, as: UTF8.self)) } ?? .null
        let english = body["messages"]?.arrayValue?.last { $0["role"]?.stringValue == "user" }?["content"]?.stringValue ?? ""
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let name = "recorded-\(provider.rawValue)-\(stamp)-\(count)"
        var headers = JSONObject()
        if let type = response.value(forHTTPHeaderField: "content-type") { headers["content-type"] = .string(type) }
        let fixture: JSONValue = .object(JSONObject([
            ("name", .string(name)),
            ("description", "Recorded from a live endpoint."),
            ("provider", .string(provider.rawValue)),
            ("request", .string(english)),
            ("recorded", .string("\(body["model"]?.stringValue ?? "model") at \(request.url?.host ?? "endpoint"), \(stamp)")),
            ("exchanges", .array([.object(JSONObject([
                ("request", .object(JSONObject([("method", "POST"), ("path", .string(request.url?.path ?? "")), ("body", body)]))),
                ("response", .object(JSONObject([
                    ("status", .number(Double(response.statusCode))), ("headers", .object(headers)),
                    ("body", .string(String(decoding: data, as: UTF8.self))),
                ]))),
            ]))])),
        ]))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(fixture.prettyJSON().utf8).write(to: directory.appendingPathComponent(name + ".json"))
    }
}
