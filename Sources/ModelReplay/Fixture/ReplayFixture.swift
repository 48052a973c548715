import Foundation

/// One recorded conversation with a language-model endpoint: what was asked, what the server answered, in
/// order, and what the composer is expected to conclude from it. One JSON file per scenario in `fixtures/llm/`.
public struct ReplayFixture: Codable, Sendable, Hashable {
    /// The API shape the exchanges follow.
    public enum Provider: String, Codable, Sendable, Hashable, CaseIterable {
        /// OpenAI-compatible chat completions: `POST /v1/chat/completions`.
        case openai
        /// Ollama's native chat API, not streamed: `POST /api/chat`.
        case ollama
        /// Anthropic Messages: `POST /v1/messages`.
        case anthropic

        /// The path a chat request of this shape is sent to.
        public var chatPath: String {
            switch self {
            case .openai: "/v1/chat/completions"
            case .ollama: "/api/chat"
            case .anthropic: "/v1/messages"
            }
        }

        /// The provider whose chat requests go to `path`, if any.
        public init?(chatPath path: String) {
            guard let provider = Self.allCases.first(where: { $0.chatPath == path }) else { return nil }
            self = provider
        }
    }

    /// How a composition over these exchanges ends; the same words as the composer's record of it.
    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        case validFirstTry = "valid-first-try"
        case repairedDeterministically = "repaired-deterministically"
        case repairedByModel = "repaired-by-model"
        case rejected
        case failed
    }

    /// What the composer must conclude: the outcome, and the diagnostic codes left in the last round.
    public struct Expectation: Codable, Sendable, Hashable {
        public var outcome: Outcome
        public var codes: [String]

        public init(outcome: Outcome, codes: [String] = []) {
            self.outcome = outcome
            self.codes = codes
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            outcome = try container.decode(Outcome.self, forKey: .outcome)
            codes = try container.decodeIfPresent([String].self, forKey: .codes) ?? []
        }
    }

    /// The request line the client is expected to send.
    public struct RecordedRequest: Codable, Sendable, Hashable {
        public var method: String
        public var path: String

        public init(method: String = "POST", path: String) {
            self.method = method
            self.path = path
        }
    }

    /// The answer, exactly as the server sent it.
    public struct RecordedResponse: Codable, Sendable, Hashable {
        public var status: Int
        /// Header names as recorded; `content-length` and `transfer-encoding` are set by the server instead.
        public var headers: [String: String]
        /// The raw body text, which need not be JSON.
        public var body: String
        /// Milliseconds to wait before answering.
        public var delayMs: Int
        /// Send the status, headers and body, then keep the response open without ever ending it.
        public var stall: Bool

        public init(status: Int, headers: [String: String] = [:], body: String, delayMs: Int = 0, stall: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delayMs = delayMs
            self.stall = stall
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(Int.self, forKey: .status)
            headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
            body = try container.decodeIfPresent(String.self, forKey: .body) ?? ""
            delayMs = try container.decodeIfPresent(Int.self, forKey: .delayMs) ?? 0
            stall = try container.decodeIfPresent(Bool.self, forKey: .stall) ?? false
        }
    }

    /// One request and the response recorded for it.
    public struct Exchange: Codable, Sendable, Hashable {
        public var request: RecordedRequest
        public var response: RecordedResponse

        public init(request: RecordedRequest, response: RecordedResponse) {
            self.request = request
            self.response = response
        }
    }

    /// The file name without `.json`; also the `/replay/<name>` prefix.
    public var name: String
    public var description: String
    public var provider: Provider
    /// The English request the person typed (or the revision instruction); unprefixed requests are matched on it.
    public var request: String
    /// Where the responses came from: a model and how it was run, or "hand-written from ...".
    public var recorded: String
    public var expect: Expectation?
    /// Served in order: the n-th request gets the n-th exchange, and the last one again after that.
    public var exchanges: [Exchange]

    public init(
        name: String, description: String, provider: Provider, request: String, recorded: String,
        expect: Expectation? = nil, exchanges: [Exchange]
    ) {
        self.name = name
        self.description = description
        self.provider = provider
        self.request = request
        self.recorded = recorded
        self.expect = expect
        self.exchanges = exchanges
    }
}
