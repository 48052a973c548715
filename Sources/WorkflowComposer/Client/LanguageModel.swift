import WorkflowModel

/// Something that answers chat messages: a language model behind an HTTP API, or a stand-in in tests.
public protocol LanguageModel: Sendable {
    /// A short description of the endpoint for records and messages, e.g. `openai qwen2.5 at http://127.0.0.1:8080`.
    var endpointDescription: String { get }
    func complete(_ request: ModelRequest) async throws(ModelError) -> ModelResponse
    /// Whether the endpoint is made to follow `ModelRequest.schema` (structured output), so the prompt need not
    /// spell the schema out.
    var enforcesSchema: Bool { get }
}

extension LanguageModel {
    public var enforcesSchema: Bool { false }
}

public struct ModelRequest: Sendable {
    public var messages: [CompositionRecord.Message]
    /// The JSON Schema the answer must follow, for providers with structured output.
    public var schema: JSONValue?
    /// The most tokens the answer may take, when less than the configured `max_tokens` (so that the request fits
    /// the model's context).
    public var maxTokens: Int?
    /// The sampling temperature, when not the configured one.
    public var temperature: Double?
    /// Told how many pieces of the answer have come so far, as a streamed answer arrives.
    public var onTokens: (@Sendable (Int) -> Void)?

    public init(
        messages: [CompositionRecord.Message], schema: JSONValue? = nil, maxTokens: Int? = nil, temperature: Double? = nil,
        onTokens: (@Sendable (Int) -> Void)? = nil
    ) {
        self.messages = messages
        self.schema = schema
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.onTokens = onTokens
    }
}

public struct ModelResponse: Sendable {
    public var text: String
    public var model: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Why the answer was stopped before the endpoint finished it, when it was (it fell into a loop).
    public var cutOff: String?

    public init(text: String, model: String? = nil, promptTokens: Int? = nil, completionTokens: Int? = nil, cutOff: String? = nil) {
        self.text = text
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cutOff = cutOff
    }
}

/// Why a model could not be asked or did not answer as its API promises. The description says what to do.
public struct ModelError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreachable, unauthorized, modelNotFound, rateLimited, serverError, timeout, badResponse, badRequest
        /// The endpoint answered with a redirect, which is never followed.
        case redirected
    }

    public var code: Code
    public var description: String
    /// The HTTP status, when there was one.
    public var status: Int?

    public init(_ code: Code, _ description: String, status: Int? = nil) {
        self.code = code
        self.description = description
        self.status = status
    }

    /// Whether trying again later may help.
    public var isTransient: Bool { [.unreachable, .rateLimited, .serverError, .timeout].contains(code) }
}
