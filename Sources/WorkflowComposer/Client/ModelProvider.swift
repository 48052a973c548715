import Foundation
import WorkflowModel

/// The HTTP APIs Baton speaks: how to shape a request and read an answer for each.
public enum ModelProvider: String, Sendable, CaseIterable, Codable {
    /// Any OpenAI-compatible chat-completions endpoint: OpenAI, llama.cpp server, vLLM, LM Studio, OpenRouter, Ollama's /v1.
    case openai
    /// Ollama's native /api/chat.
    case ollama
    /// Anthropic's Messages API.
    case anthropic

    /// The endpoint path below the base URL.
    var path: String {
        switch self {
        case .openai: "/v1/chat/completions"
        case .ollama: "/api/chat"
        case .anthropic: "/v1/messages"
        }
    }

    public var defaultBaseURL: String {
        switch self {
        case .openai: "https://api.openai.com"
        case .ollama: "http://127.0.0.1:11434"
        case .anthropic: "https://api.anthropic.com"
        }
    }

    /// The request URL: a base that already ends in `/v1` is not given a second one.
    func url(base: URL) -> URL {
        var path = self.path
        if base.path.hasSuffix("/v1"), path.hasPrefix("/v1/") { path.removeFirst(3) }
        return base.appendingPathComponent(String(path.dropFirst()))
    }

    func headers(apiKey: String?, stream: Bool = false) -> [String: String] {
        var headers = ["content-type": "application/json", "accept": stream && self != .ollama ? "text/event-stream" : "application/json"]
        switch self {
        case .openai, .ollama:
            if let apiKey, !apiKey.isEmpty { headers["authorization"] = "Bearer \(apiKey)" }
        case .anthropic:
            headers["anthropic-version"] = "2023-06-01"
            if let apiKey, !apiKey.isEmpty { headers["x-api-key"] = apiKey }
        }
        return headers
    }

    func body(_ request: ModelRequest, settings: ModelSettings) -> JSONValue {
        let messages = request.messages.filter { self != .anthropic || $0.role != "system" }.map {
            JSONValue.object(JSONObject([("role", .string($0.role)), ("content", .string($0.content))]))
        }
        var body = JSONObject([("model", .string(settings.model)), ("messages", .array(messages))])
        let schema = settings.structuredOutput ? request.schema : nil
        let maxTokens = Double(min(request.maxTokens ?? settings.maxTokens, settings.maxTokens))
        let temperature = JSONValue.number(request.temperature ?? settings.temperature)
        switch self {
        case .openai:
            body["temperature"] = temperature
            body["max_tokens"] = .number(maxTokens)
            body["stream"] = .bool(settings.stream)
            // OpenAI sends the token counts of a stream in a last event only when asked.
            if settings.stream { body["stream_options"] = .object(JSONObject([("include_usage", true)])) }
            if let schema {
                body["response_format"] = .object(JSONObject([
                    ("type", "json_schema"),
                    ("json_schema", .object(JSONObject([("name", "workflow"), ("schema", schema)]))),
                ]))
            }
        case .ollama:
            body["stream"] = .bool(settings.stream)
            body["options"] = .object(JSONObject([
                ("temperature", temperature), ("num_predict", .number(maxTokens)),
            ]))
            if let schema { body["format"] = schema }
        case .anthropic:
            body["max_tokens"] = .number(maxTokens)
            body["temperature"] = temperature
            if settings.stream { body["stream"] = true }
            let system = request.messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
            if !system.isEmpty { body["system"] = .string(system) }
        }
        return .object(body)
    }

    /// Whether this API is sent the schema as structured output (Anthropic's Messages API is not).
    var takesSchema: Bool { self != .anthropic }

    /// Reads the assistant's text and token counts from a successful response body.
    /// A body that is not UTF-8 is refused with the offset of its first bad byte: nothing stands in for what cannot
    /// be read, so no replacement character reaches a draft.
    public func parse(_ data: Data) throws(ModelError) -> ModelResponse {
        try Self.requireUTF8(data)
        let text = String(decoding: data, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ModelError(.badResponse, "the endpoint answered with an empty body")
        }
        guard let json = try? JSONParser.parse(text) else {
            throw ModelError(.badResponse, "the endpoint's answer is not JSON (it starts with \(Self.excerpt(text))); is the base URL right?")
        }
        if let error = json["error"] {
            throw ModelError(.badResponse, "the endpoint answered with an error: \(Self.errorMessage(error))")
        }
        let usage = json["usage"]
        func int(_ value: JSONValue?) -> Int? { value?.numberValue.map { Int($0) } }
        switch self {
        case .openai:
            guard let content = json["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue else {
                throw ModelError(.badResponse, "the answer has no choices[0].message.content, which an OpenAI-compatible API always sends")
            }
            return ModelResponse(
                text: content, model: json["model"]?.stringValue, promptTokens: int(usage?["prompt_tokens"]),
                completionTokens: int(usage?["completion_tokens"]))
        case .ollama:
            guard let content = json["message"]?["content"]?.stringValue else {
                throw ModelError(.badResponse, "the answer has no message.content, which Ollama's /api/chat always sends")
            }
            return ModelResponse(
                text: content, model: json["model"]?.stringValue, promptTokens: int(json["prompt_eval_count"]),
                completionTokens: int(json["eval_count"]))
        case .anthropic:
            guard let blocks = json["content"]?.arrayValue else {
                throw ModelError(.badResponse, "the answer has no content blocks, which Anthropic's Messages API always sends")
            }
            let content = blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined()
            return ModelResponse(
                text: content, model: json["model"]?.stringValue, promptTokens: int(usage?["input_tokens"]),
                completionTokens: int(usage?["output_tokens"]))
        }
    }

    /// Refuses an answer that is not UTF-8, with the offset of its first bad byte.
    static func requireUTF8(_ data: Data) throws(ModelError) {
        if let offset = UTF8Check.firstInvalidOffset(data) {
            throw ModelError(
                .badResponse, "the endpoint's answer is not valid UTF-8: byte \(offset) of \(data.count) is not part of a character")
        }
    }

    /// The message inside a provider's error body, whatever its shape.
    static func errorMessage(_ error: JSONValue) -> String {
        if let text = error.stringValue { return text }
        if let message = error["message"]?.stringValue { return message }
        return error.jsonText
    }

    static func excerpt(_ text: String) -> String {
        let flat = text.prefix(60).replacingOccurrences(of: "\n", with: " ")
        return "\"\(flat)\(text.count > 60 ? "…" : "")\""
    }
}

/// What to ask the model for, apart from the messages.
public struct ModelSettings: Sendable, Hashable {
    public var model: String
    public var temperature: Double
    public var maxTokens: Int
    public var structuredOutput: Bool
    /// Whether to ask for the answer as a stream (server-sent events or JSON lines), for progress as it comes.
    public var stream: Bool
    /// Seconds a streamed answer may pause, once it has begun, before the request is given up.
    public var stallTimeout: TimeInterval

    public init(
        model: String, temperature: Double = 0.2, maxTokens: Int = 4096, structuredOutput: Bool = true, stream: Bool = true,
        stallTimeout: TimeInterval = 60
    ) {
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.structuredOutput = structuredOutput
        self.stream = stream
        self.stallTimeout = stallTimeout
    }
}
