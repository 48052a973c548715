import Foundation

/// Everything one composition did: what was asked, each round with the model, and how it ended.
public struct CompositionRecord: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable { case compose, revise }

    public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
        /// The model's first answer was a valid definition as it stood.
        case validFirstTry = "valid-first-try"
        /// Valid after Baton's own repairs (fences, commas, quotes, kinds ...), without asking the model again.
        case repairedDeterministically = "repaired-deterministically"
        /// Valid after the model was shown the diagnostics and answered again.
        case repairedByModel = "repaired-by-model"
        /// Still invalid after every allowed round; nothing was saved.
        case rejected
        /// The model could not be reached or did not answer as its API promises.
        case failed
    }

    /// One request to the model and what came of its answer.
    public struct Round: Codable, Sendable, Hashable {
        /// How much of an answer a record keeps: 64 KiB, enough for any valid document's start and for reading
        /// what went wrong, so a runaway answer cannot swell the database.
        public static let maxRawOutputBytes = 64 << 10

        public var number: Int
        /// The messages sent, as role and text.
        public var messages: [Message]
        /// The answer as it came, or its first `maxRawOutputBytes` when it was longer.
        public var rawOutput: String
        /// The answer's full size in bytes, when `rawOutput` holds only its start.
        public var rawOutputBytes: Int?
        /// The deterministic repairs applied to the output, in words.
        public var repairs: [String]
        public var diagnostics: [Diagnostic]
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var durationMs: Int

        public init(
            number: Int, messages: [Message], rawOutput: String, repairs: [String], diagnostics: [Diagnostic],
            promptTokens: Int? = nil, completionTokens: Int? = nil, durationMs: Int
        ) {
            self.number = number
            self.messages = messages
            self.rawOutput = String(rawOutput.utf8Prefix(Self.maxRawOutputBytes))
            rawOutputBytes = rawOutput.utf8.count > Self.maxRawOutputBytes ? rawOutput.utf8.count : nil
            self.repairs = repairs
            self.diagnostics = diagnostics
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.durationMs = durationMs
        }
    }

    public struct Message: Codable, Sendable, Hashable {
        public var role: String
        public var content: String
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// What was chosen from the catalog for the request before the model was asked.
    public struct Grounding: Codable, Sendable, Hashable {
        /// The operations the model was shown, as `connector.operation`, best match first.
        public var operations: [String]
        /// Systems the request names that nothing in the catalog matches.
        public var unmatchedSystems: [String]

        public init(operations: [String], unmatchedSystems: [String] = []) {
            self.operations = operations
            self.unmatchedSystems = unmatchedSystems
        }
    }

    public var id: String
    public var kind: Kind
    /// The English request (or revision instruction) as the person wrote it.
    public var request: String
    public var provider: String
    public var model: String
    public var endpoint: String
    public var startedAt: Date
    public var durationMs: Int
    public var rounds: [Round]
    /// The catalog operations retrieval chose for the request; absent in records from before retrieval.
    public var grounding: Grounding?
    public var outcome: Outcome
    /// Why the composition failed or was rejected, in one sentence.
    public var error: String?
    /// The workflow and version the result was saved as, when it was saved.
    public var workflowID: Int64?
    public var version: Int?

    public init(
        id: String = UUID().uuidString.lowercased(), kind: Kind, request: String, provider: String, model: String,
        endpoint: String, startedAt: Date, durationMs: Int = 0, rounds: [Round] = [], outcome: Outcome = .failed,
        error: String? = nil, workflowID: Int64? = nil, version: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.request = request
        self.provider = provider
        self.model = model
        self.endpoint = endpoint
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.rounds = rounds
        self.outcome = outcome
        self.error = error
        self.workflowID = workflowID
        self.version = version
    }

    public var promptTokens: Int { rounds.compactMap(\.promptTokens).reduce(0, +) }
    public var completionTokens: Int { rounds.compactMap(\.completionTokens).reduce(0, +) }
}
