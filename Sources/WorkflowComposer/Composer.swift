import Foundation
import Logging
import WorkflowModel

/// Turns English into a valid workflow definition: asks the model, repairs what can be repaired without it,
/// validates, and sends the diagnostics back to the model a bounded number of times. Nothing invalid comes out.
public struct Composer: Sendable {
    public var model: any LanguageModel
    public var catalog: ConnectorCatalog
    public var prompts: PromptLibrary
    /// Rounds of asking the model to fix its answer after the first one.
    public var maxRepairRounds: Int
    public var provider: String
    public var modelName: String
    public var logger: Logger
    /// Told about each step, for progress displays.
    public var onEvent: @Sendable (ComposerEvent) -> Void

    /// Requests longer than this are refused before the model is asked.
    public static let maxRequestLength = 8_000
    /// How much of a previous answer a repair round sends back to the model: its start, with a note of its size.
    public static let maxEchoedAnswerBytes = 16 << 10

    public init(
        model: any LanguageModel, catalog: ConnectorCatalog, prompts: PromptLibrary, maxRepairRounds: Int = 2,
        provider: String, modelName: String, logger: Logger = Logger(label: "baton.composer"),
        onEvent: @escaping @Sendable (ComposerEvent) -> Void = { _ in }
    ) {
        self.model = model
        self.catalog = catalog
        self.prompts = prompts
        self.maxRepairRounds = maxRepairRounds
        self.provider = provider
        self.modelName = modelName
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Composes a new workflow from an English description.
    public func compose(_ request: String) async -> Composition {
        let userMessage = PromptLibrary.fill(prompts.request, ["request": request])
        return await run(kind: .compose, request: request, firstMessages: [systemMessage(), .init(role: "user", content: userMessage)])
    }

    /// Revises `current` (a valid document) as the English `instruction` says.
    public func revise(_ current: JSONValue, instruction: String) async -> Composition {
        let userMessage = PromptLibrary.fill(prompts.revise, ["current": current.prettyJSON(), "instruction": instruction])
        return await run(kind: .revise, request: instruction, firstMessages: [systemMessage(), .init(role: "user", content: userMessage)])
    }

    func systemMessage() -> CompositionRecord.Message {
        let functions = ExpressionFunctions.all.map { "\($0.name)()" }.joined(separator: ", ")
        let text = PromptLibrary.fill(prompts.compose, [
            "schema": prompts.schema.jsonText, "catalog": catalog.listing(), "example": prompts.example.trimmingCharacters(in: .whitespacesAndNewlines),
            "functions": functions,
        ])
        return .init(role: "system", content: text)
    }

    private func run(kind: CompositionRecord.Kind, request: String, firstMessages: [CompositionRecord.Message]) async -> Composition {
        let started = ContinuousClock.now
        var record = CompositionRecord(
            kind: kind, request: request, provider: provider, model: modelName, endpoint: model.endpointDescription, startedAt: Date())
        func finish(_ outcome: CompositionRecord.Outcome, error: String? = nil, workflow: ValidatedWorkflow? = nil) -> Composition {
            record.outcome = outcome
            record.error = error
            record.durationMs = Self.milliseconds(since: started)
            onEvent(.finished(outcome))
            logger.info("composition finished", metadata: ["outcome": "\(outcome.rawValue)", "rounds": "\(record.rounds.count)"])
            return Composition(record: record, workflow: workflow)
        }

        let trimmed = request.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            return finish(.rejected, error: "the request is empty: describe the workflow in a sentence or more")
        }
        guard trimmed.count <= Self.maxRequestLength else {
            return finish(.rejected, error: "the request is \(trimmed.count) characters long; keep it under \(Self.maxRequestLength) (describe the workflow, not its data)")
        }

        var messages = firstMessages
        let validator = WorkflowValidator(catalog: catalog)
        var lastDocument: JSONValue?
        for number in 1...(1 + maxRepairRounds) {
            onEvent(.asking(round: number))
            let roundStart = ContinuousClock.now
            let response: ModelResponse
            do {
                response = try await model.complete(ModelRequest(messages: messages, schema: prompts.schema))
            } catch {
                return finish(.failed, error: error.description)
            }
            onEvent(.answered(round: number, completionTokens: response.completionTokens))
            var round = CompositionRecord.Round(
                number: number, messages: messages, rawOutput: response.text, repairs: [], diagnostics: [],
                promptTokens: response.promptTokens, completionTokens: response.completionTokens,
                durationMs: Self.milliseconds(since: roundStart))
            let attempt = Self.check(response.text, validator: validator)
            round.repairs = attempt.repairs
            round.diagnostics = attempt.diagnostics
            record.rounds.append(round)
            lastDocument = attempt.document

            if let refusal = attempt.refusal {
                return finish(.rejected, error: refusal)
            }
            if let workflow = attempt.workflow {
                let outcome: CompositionRecord.Outcome =
                    number > 1 ? .repairedByModel : attempt.repairs.isEmpty ? .validFirstTry : .repairedDeterministically
                return finish(outcome, workflow: workflow)
            }
            messages += [
                .init(role: "assistant", content: Self.echoed(response.text)),
                .init(role: "user", content: PromptLibrary.fill(prompts.repair, ["diagnostics": Self.describe(attempt.diagnostics)])),
            ]
        }
        let remaining = record.rounds.last?.diagnostics.filter { $0.severity == .error } ?? []
        let unknown = remaining.filter { $0.code == .connectorUnknown }.compactMap { diagnostic -> String? in
            lastDocument.flatMap { JSONPointer.resolve(diagnostic.pointer, in: $0)?.stringValue }
        }
        let reason = unknown.isEmpty
            ? "the model's answer still has \(remaining.count) error(s) after \(record.rounds.count) round(s); nothing was saved"
            : "the request needs systems that are not in the catalog: \(Set(unknown).sorted().joined(separator: ", ")); nothing was saved"
        return finish(.rejected, error: reason)
    }

    /// What one answer amounts to once extracted, repaired and validated.
    public struct Attempt: Sendable {
        public var document: JSONValue?
        /// The repaired document once it validates.
        public var workflow: ValidatedWorkflow?
        public var definition: WorkflowDefinition? { workflow?.definition }
        public var repairs: [String] = []
        public var diagnostics: [Diagnostic] = []
        public var refusal: String?
    }

    /// Extracts, repairs and validates a raw answer; used for every round and by the benchmark. An answer larger
    /// than a document may be is refused as it stands, without reading it.
    public static func check(_ text: String, validator: WorkflowValidator) -> Attempt {
        if text.utf8.count > WorkflowLimits.maxDocumentBytes {
            return Attempt(diagnostics: validator.validate(json: text).diagnostics)
        }
        guard let extraction = OutputExtractor.extract(from: text) else {
            // No object at all: report it as the strict parser sees it, so the model learns where it went wrong.
            let result = validator.validate(json: text)
            let diagnostics = result.diagnostics.isEmpty ? [Diagnostic(
                .jsonSyntax, at: "", "the answer holds no JSON object", hint: "Answer with one JSON object only.")] : result.diagnostics
            return Attempt(diagnostics: diagnostics)
        }
        if OutputExtractor.isRefusal(extraction.value) {
            let missing = extraction.value["missing"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let message = extraction.value["message"]?.stringValue ?? ""
            let named = missing.isEmpty ? "a system" : missing.joined(separator: ", ")
            return Attempt(
                repairs: extraction.repairs,
                refusal: "the request needs \(named), which is not in the connector catalog" + (message.isEmpty ? "" : ": \(message)"))
        }
        var repairer = DocumentRepairer(catalog: validator.catalog)
        let repaired = repairer.repair(extraction.value)
        let result = validator.validate(document: repaired)
        return Attempt(
            document: repaired, workflow: result.validated, repairs: extraction.repairs + repairer.repairs,
            diagnostics: result.diagnostics)
    }

    /// A previous answer as a repair round repeats it: whole, or its start and a note of what was left out.
    static func echoed(_ answer: String) -> String {
        let kept = answer.utf8Prefix(maxEchoedAnswerBytes)
        guard kept.endIndex < answer.endIndex else { return answer }
        return String(kept)
            + "\n[… the rest of this answer is left out: it was \(answer.utf8.count) bytes, of which the first \(kept.utf8.count) are shown]"
    }

    /// Diagnostics as the repair prompt lists them.
    static func describe(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.filter { $0.severity == .error }.prefix(40).map {
            "- \($0.code) at \($0.pointer.isEmpty ? "/" : $0.pointer): \($0.message). Fix: \($0.hint)"
        }.joined(separator: "\n")
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// The result of composing or revising: the record of what happened and, when it succeeded, the definition.
public struct Composition: Sendable {
    public var record: CompositionRecord
    /// The repaired, validated document, ready to store.
    public var workflow: ValidatedWorkflow?

    public init(record: CompositionRecord, workflow: ValidatedWorkflow?) {
        self.record = record
        self.workflow = workflow
    }

    public var document: JSONValue? { workflow?.document }
    public var definition: WorkflowDefinition? { workflow?.definition }
    public var succeeded: Bool { workflow != nil }
}

/// What the composer is doing, for progress displays.
public enum ComposerEvent: Sendable {
    case asking(round: Int)
    case answered(round: Int, completionTokens: Int?)
    case finished(CompositionRecord.Outcome)
}
