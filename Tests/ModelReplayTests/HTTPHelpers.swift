import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response as the tests see it.
struct HTTPReply: Sendable {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// Sends one request with URLSession, with a timeout so no test hangs, long enough for a loaded machine.
func send(
    _ url: URL, method: String = "POST", body: String? = nil, headers: [String: String] = [:],
    timeout: TimeInterval = 30
) async throws -> HTTPReply {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout * 2
    let session = URLSession(configuration: configuration)
    defer { session.invalidateAndCancel() }
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let body {
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await session.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
        fields["\(name)".lowercased()] = "\(value)"
    }
    return HTTPReply(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
}

/// A chat request body in the shape of `provider`, with `text` as the last user message.
func chatBody(_ provider: String, user text: String, earlier: [String] = []) -> String {
    var messages: [[String: Any]] = []
    for turn in earlier {
        messages.append(["role": "user", "content": turn])
        messages.append(["role": "assistant", "content": "{\"format\": 1}"])
    }
    let object: [String: Any]
    switch provider {
    case "anthropic":
        messages.append(["role": "user", "content": [["type": "text", "text": text]]])
        object = ["model": "claude-sonnet-4-5", "max_tokens": 4096, "system": "You write Baton workflows.",
                  "messages": messages]
    case "ollama":
        object = ["model": "qwen2.5-coder:7b", "stream": false, "format": "json",
                  "messages": [["role": "system", "content": "You write Baton workflows."]] + messages
                      + [["role": "user", "content": text]]]
    default:
        object = ["model": "gpt-4o-mini", "temperature": 0,
                  "messages": [["role": "system", "content": "You write Baton workflows."]] + messages
                      + [["role": "user", "content": text]]]
    }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// Whether `error` is URLSession giving up on its timeout.
func isTimeout(_ error: any Error) -> Bool {
    (error as? URLError)?.code == .timedOut || (error as NSError).code == NSURLErrorTimedOut
}
