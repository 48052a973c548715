import Configuration
import Foundation
import WorkflowModel

/// Where the language model is and how to use it. A plain value with defaults; `init(config:)` reads it.
public struct ComposerConfiguration: Sendable {
    /// `openai` (any OpenAI-compatible endpoint), `ollama`, `anthropic`, or `replay` (the recorded exchanges).
    public var provider: String = "openai"
    public var baseURL: String?
    public var model: String?
    /// A secret: never printed, logged or stored.
    public var apiKey: String?
    public var temperature: Double = 0.2
    public var maxTokens: Int = 4096
    /// Seconds one request may take. Local models are slow, so the default is generous.
    public var timeout: Double = 600
    public var structuredOutput: Bool = true
    /// Name each retrieved operation's parameters and body fields in the schema sent, not only the operations.
    public var schemaParameters: Bool = true
    /// Ask for the answer as a stream, for tokens as they come and a stall timeout.
    public var stream: Bool = true
    /// Seconds a streamed answer may pause once it has begun.
    public var stallTimeout: Double = 60
    public var repairRounds: Int = 2
    /// Give a valid draft that leaves out part of its request one more round naming what is missing.
    public var completionRound: Bool = true
    /// The model's context in tokens: no request that overflows it is sent. `nil` means the default: 8,192 for an
    /// endpoint on this machine or Ollama's (small local models), none (not checked) for others; 0 turns the check off.
    public var contextTokens: Int?
    /// With the `replay` provider: the folder of recorded exchanges.
    public var replayDirectory: String?
    /// When set, every exchange with the model is also written here as a replayable fixture.
    public var recordDirectory: String?

    public init() {}

    /// Reads the configuration.
    ///
    /// ## Configuration keys (environment: `BATON_` + key in upper case, `.` as `_`; config file: nested JSON)
    /// - `llm.provider` (string, default `openai`): `openai`, `ollama`, `anthropic` or `replay`.
    /// - `llm.base_url` (string): the API's base URL; defaults per provider (OpenAI, `http://127.0.0.1:11434`, Anthropic).
    /// - `llm.model` (string): the model name; defaults per provider.
    /// - `llm.api_key` (string, secret): the API key; `OPENAI_API_KEY` / `ANTHROPIC_API_KEY` are used when unset.
    /// - `llm.temperature` (double, default 0.2), `llm.max_tokens` (int, default 4096).
    /// - `llm.timeout` (double seconds, default 600): bounds each request as a whole, however slowly the answer comes.
    /// - `llm.structured_output` (bool, default true): send the JSON Schema as the provider's structured-output setting.
    /// - `llm.schema_parameters` (bool, default true): the schema sent names each retrieved operation's parameters
    ///   and body fields; off sends only the operations, for grammar engines that cannot take the larger schema.
    /// - `llm.stream` (bool, default true): ask for the answer as a stream (progress in tokens and tokens/s).
    /// - `llm.stall_timeout` (double seconds, default 60): how long a streamed answer may pause once it has begun.
    /// - `llm.repair_rounds` (int, default 2): times the model is asked to fix its answer.
    /// - `llm.completion_round` (bool, default true): a valid draft that leaves out part of the request gets one of
    ///   the repair rounds, naming what is missing.
    /// - `llm.context` (int tokens): the model's context; default 8192 for a loopback or Ollama endpoint, else not
    ///   checked; 0 turns the check off.
    /// - `llm.replay_dir` (string): recorded exchanges for the `replay` provider.
    /// - `llm.record_dir` (string): write every exchange here as a fixture.
    public init(config: ConfigReader, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let llm = config.scoped(to: "llm")
        // An empty value (e.g. `BATON_LLM_MODEL=`) counts as unset.
        func text(_ key: ConfigKey, secret: Bool = false) -> String? {
            llm.string(forKey: key, isSecret: secret).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        provider = (text("provider") ?? provider).lowercased()
        baseURL = text("base_url")
        model = text("model")
        apiKey = text("api_key", secret: true)
            ?? (provider == "anthropic" ? environment["ANTHROPIC_API_KEY"] : environment["OPENAI_API_KEY"]).flatMap { $0.isEmpty ? nil : $0 }
        temperature = llm.double(forKey: "temperature", default: temperature)
        maxTokens = llm.int(forKey: "max_tokens", default: maxTokens)
        timeout = llm.double(forKey: "timeout", default: timeout)
        structuredOutput = llm.bool(forKey: "structured_output", default: structuredOutput)
        stream = llm.bool(forKey: "stream", default: stream)
        schemaParameters = llm.bool(forKey: "schema_parameters", default: schemaParameters)
        stallTimeout = llm.double(forKey: "stall_timeout", default: stallTimeout)
        repairRounds = llm.int(forKey: "repair_rounds", default: repairRounds)
        completionRound = llm.bool(forKey: "completion_round", default: completionRound)
        contextTokens = llm.int(forKey: "context")
        replayDirectory = text("replay_dir")
        recordDirectory = text("record_dir")
    }

    public var modelProvider: ModelProvider? { ModelProvider(rawValue: provider) }

    /// The context a request must fit, for a model at `baseURL`: the configured one, else 8,192 tokens for a
    /// server on this machine or Ollama (local models, whose servers reject or silently cut longer prompts), else
    /// none known.
    public func contextBudget(provider: ModelProvider, baseURL: URL) -> ContextBudget? {
        let tokens: Int
        if let contextTokens {
            tokens = contextTokens
        } else if provider == .ollama || ["127.0.0.1", "localhost", "::1", "[::1]"].contains(baseURL.host ?? "") {
            tokens = Self.localContextTokens
        } else {
            return nil
        }
        guard tokens > 0 else { return nil }
        return ContextBudget(contextTokens: tokens, answerTokens: maxTokens)
    }

    public static let localContextTokens = 8192

    /// The model name used when none is configured.
    public static func defaultModel(for provider: ModelProvider) -> String {
        switch provider {
        case .openai: "gpt-4o-mini"
        case .ollama: "qwen2.5-coder:1.5b"
        case .anthropic: "claude-3-5-haiku-latest"
        }
    }

    /// Checks the settings and builds the client for `provider` at `baseURL` (which, for replay, the caller supplies).
    /// `transport` makes the transport for the configured timeout (`HTTPModelTransport` for real HTTP).
    public func makeModel(
        provider: ModelProvider, baseURL override: URL? = nil, transport makeTransport: (TimeInterval) -> any HTTPTransport
    ) throws(ConfigurationError) -> HTTPLanguageModel {
        let base = override?.absoluteString ?? baseURL ?? provider.defaultBaseURL
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ConfigurationError(description: "the model's base URL \"\(base)\" is not an http(s) URL (BATON_LLM_BASE_URL)")
        }
        guard timeout > 0, stallTimeout > 0, maxTokens > 0, (0...2).contains(temperature), (0...10).contains(repairRounds), (contextTokens ?? 0) >= 0 else {
            throw ConfigurationError(
                description: "out-of-range model settings: timeout and stall_timeout must be above 0, max_tokens above 0, temperature 0 to 2, repair_rounds 0 to 10, context 0 or more")
        }
        if override == nil, baseURL == nil, provider != .ollama, (apiKey ?? "").isEmpty {
            throw ConfigurationError(description: """
                no model is configured: \(provider.rawValue) at \(provider.defaultBaseURL) needs an API key. Set \
                \(provider == .anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY") (or BATON_LLM_API_KEY), point \
                BATON_LLM_BASE_URL at a local server, or try the recorded model with --provider replay
                """)
        }
        var transport = makeTransport(timeout)
        if let recordDirectory {
            transport = RecordingTransport(wrapping: transport, directory: URL(fileURLWithPath: recordDirectory), provider: provider)
        }
        let settings = ModelSettings(
            model: model ?? Self.defaultModel(for: provider), temperature: temperature, maxTokens: maxTokens,
            structuredOutput: structuredOutput, stream: stream, stallTimeout: stallTimeout)
        return HTTPLanguageModel(provider: provider, baseURL: url, settings: settings, apiKey: apiKey, transport: transport)
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
