import Foundation
import Logging
import Synchronization
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
    /// The model's context, when known: no request that overflows it is sent.
    public var context: ContextBudget?
    /// Whether the schema sent names each retrieved operation's parameters and body fields (one step variant per
    /// operation), or only the operations, for grammar engines that cannot take the larger schema.
    public var schemaParameters = true
    /// Whether a valid draft that leaves out a step the request asks for (see `RequestCoverage`) gets one more round,
    /// while a round remains: for the step that calls an operation the request names, else for the whole document
    /// with the gaps named. The draft is kept unless the answer leaves it valid, with fewer gaps and every call it had.
    public var completesDrafts = true
    /// How many missing steps are asked for one after another, each in a round of its own, while each answer is
    /// taken: a small model's first draft often stops after a step or two of a longer request.
    public var maxAddedSteps = 3
    public var logger: Logger
    /// Told about each step, for progress displays.
    public var onEvent: @Sendable (ComposerEvent) -> Void

    /// Requests longer than this are refused before the model is asked.
    public static let maxRequestLength = 8_000
    /// How much of a previous answer a repair round sends back to the model: its start, with a note of its size.
    public static let maxEchoedAnswerBytes = 16 << 10

    public init(
        model: any LanguageModel, catalog: ConnectorCatalog, prompts: PromptLibrary, maxRepairRounds: Int = 2,
        provider: String, modelName: String, context: ContextBudget? = nil, logger: Logger = Logger(label: "baton.composer"),
        onEvent: @escaping @Sendable (ComposerEvent) -> Void = { _ in }
    ) {
        self.model = model
        self.catalog = catalog
        self.prompts = prompts
        self.maxRepairRounds = maxRepairRounds
        self.provider = provider
        self.modelName = modelName
        self.context = context
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Composes a new workflow from an English description.
    public func compose(_ request: String) async -> Composition {
        let grounding = Retriever(catalog: catalog).ground(request)
        let messages: [CompositionRecord.Message]
        if model.enforcesSchema {
            messages = [compactSystemMessage(), .init(role: "user", content: groundedMessage(request, grounding: grounding))]
        } else {
            messages = [
                systemMessage(catalog: grounding.catalog),
                .init(role: "user", content: PromptLibrary.fill(prompts.request, ["request": request])),
            ]
        }
        return await run(kind: .compose, request: request, firstMessages: messages, grounding: grounding, description: request)
    }

    /// Revises `current` (a valid document) as the English `instruction` says. The operations the document
    /// already calls stay on offer, with those retrieval finds for the instruction.
    public func revise(_ current: JSONValue, instruction: String) async -> Composition {
        let grounding = Retriever(catalog: catalog).ground(instruction, keeping: Self.calledOperations(in: current))
        let userMessage = PromptLibrary.fill(prompts.revise, ["current": current.prettyJSON(), "instruction": instruction])
        let messages: [CompositionRecord.Message]
        if model.enforcesSchema {
            messages = [compactSystemMessage(), .init(role: "user", content: Self.catalogSection(grounding) + "\n\n" + userMessage)]
        } else {
            messages = [systemMessage(catalog: grounding.catalog), .init(role: "user", content: userMessage)]
        }
        return await run(
            kind: .revise, request: instruction, firstMessages: messages, grounding: grounding,
            description: current["description"]?.stringValue)
    }

    /// The full system prompt, for endpoints that do not enforce the schema: rules, the schema as text, the
    /// catalog (as retrieval cut it down) and an example.
    func systemMessage(catalog shown: ConnectorCatalog? = nil) -> CompositionRecord.Message {
        let text = PromptLibrary.fill(prompts.compose, [
            "schema": prompts.schema.jsonText, "catalog": (shown ?? catalog).listing(),
            "example": prompts.example.trimmingCharacters(in: .whitespacesAndNewlines), "functions": Self.functions,
        ])
        return .init(role: "system", content: text)
    }

    /// The short system prompt for endpoints that enforce the schema: the same for every request, so servers
    /// that cache prompt prefixes reuse it.
    func compactSystemMessage() -> CompositionRecord.Message {
        .init(role: "system", content: PromptLibrary.fill(prompts.compact, ["functions": Self.functions]))
    }

    /// The retrieved catalog, the examples nearest the request, a note of systems nothing matches, and the request last.
    func groundedMessage(_ request: String, grounding: Grounding) -> String {
        var missing = ""
        if grounding.operations.isEmpty {
            missing = "Nothing in the catalog matches this request. If it needs a system, answer with the missing-connector object.\n\n"
        } else if !grounding.unmatched.isEmpty {
            let names = grounding.unmatched.map(\.name).joined(separator: ", ")
            missing = "Nothing in the catalog matches \(names). If the request needs \(grounding.unmatched.count == 1 ? "it" : "them") "
                + "as a system to call, answer with the missing-connector object naming \(grounding.unmatched.count == 1 ? "it" : "them").\n\n"
        }
        var examples = PromptExample.chosen(for: request, from: prompts.examples, operations: grounding.operations)
        func message() -> String {
            PromptLibrary.fill(prompts.grounded, [
                "catalog": grounding.listing, "missing": missing, "request": request,
                "examples": examples.map { "Example. Request: \"\($0.request)\"\nAnswer: \($0.answerText)\n" }.joined(separator: "\n"),
            ])
        }
        // A second example only while the whole prompt stays short.
        var text = message()
        while examples.count > 1, text.utf8.count + prompts.compact.utf8.count > Self.shortPromptBytes {
            examples.removeLast()
            text = message()
        }
        return text
    }

    /// The most a round asking for one step lets the model write.
    static let maxStepTokens = 1_024
    /// The temperature of a round that asks a question again after the same answer twice.
    static let resampleTemperature = 0.7
    /// The most a round asking for a condition's test lets the model write.
    static let maxTestTokens = 128

    /// What the short prompt aims to stay under: about 1,900 tokens of a small model's tokenizer (3.8 bytes each).
    static let shortPromptBytes = 7_200

    static func catalogSection(_ grounding: Grounding) -> String {
        "Catalog: the operations that fit this request (params with ? are optional; body fields with * are required).\n" + grounding.listing
    }

    static var functions: String { ExpressionFunctions.all.map { "\($0.name)()" }.joined(separator: ", ") }

    /// The `connector.operation` of every call in a document, nested ones and compensations included.
    static func calledOperations(in document: JSONValue) -> [String] {
        document.nestedObjects.compactMap { object in
            guard let connector = object["connector"]?.stringValue, let operation = object["operation"]?.stringValue else { return nil }
            return "\(connector).\(operation)"
        }
    }

    /// `description` is written into a draft that has none: the schema sent leaves it out (see `RequestSchema`).
    private func run(
        kind: CompositionRecord.Kind, request: String, firstMessages: [CompositionRecord.Message], grounding: Grounding,
        description: String?
    ) async -> Composition {
        let started = ContinuousClock.now
        var record = CompositionRecord(
            kind: kind, request: request, provider: provider, model: modelName, endpoint: model.endpointDescription, startedAt: Date())
        record.grounding = grounding.record
        let validator = WorkflowValidator(catalog: catalog)
        func finish(_ outcome: CompositionRecord.Outcome, error: String? = nil, workflow: ValidatedWorkflow? = nil) -> Composition {
            var outcome = outcome
            var workflow = workflow
            // A wait the request asks for, work it says to do for each item as a loop and work at once as branches
            // come last, once no step remains to be added: where they go depends on the steps around them. Each is
            // kept when the draft stays valid with it; a wait whose arrangement does not, alone.
            if kind == .compose, !record.rounds.isEmpty {
                let finishing: [(JSONValue) -> (document: JSONValue, notes: [String])?] = [
                    { WaitSteps.added(to: $0, for: request) }, { WaitSteps.added(to: $0, for: request, arranging: false) },
                    { LoopSteps.added(to: $0, for: request, catalog: self.catalog) },
                    { ParallelSteps.added(to: $0, for: request, catalog: self.catalog) },
                ]
                for add in finishing {
                    guard let draft = workflow, let (document, notes) = add(draft.document),
                        let validated = validator.validate(document: document).validated
                    else { continue }
                    workflow = validated
                    record.rounds[record.rounds.count - 1].repairs += notes
                    if outcome == .validFirstTry { outcome = .repairedDeterministically }
                }
            }
            if let draft = workflow, let described = Self.described(draft, as: description, validator: validator) {
                workflow = described
            }
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
        if kind == .compose, !grounding.certainlyMissing.isEmpty {
            let names = grounding.certainlyMissing.joined(separator: ", ")
            return finish(.rejected, error: "the request needs \(names), which is not in the connector catalog (nothing in it matches that name); nothing was saved")
        }

        let enforced = model.enforcesSchema
        let schema = enforced
            ? RequestSchema.specialised(
                prompts.schema, grounding: grounding, allowRefusal: grounding.operations.isEmpty || !grounding.unmatched.isEmpty,
                parameters: schemaParameters)
            : prompts.schema
        var messages = firstMessages
        var lastDocument: JSONValue?
        var previousAnswer: String?
        // Set when the round asks for one step, to splice its answer back into the document.
        var focus: StepFocus?
        // The endpoint's prompt tokens per estimated token, once it has said.
        var calibration = 1.0
        // A valid draft that leaves out part of the request, kept while a round asks for what it lacks; and when that
        // is a step calling a missing operation, the schema and the catalog of that step.
        var kept: (workflow: ValidatedWorkflow, outcome: CompositionRecord.Outcome, gaps: Int)?
        var addition: (schema: JSONValue?, grounding: Grounding)?
        func finishKept(_ kept: (workflow: ValidatedWorkflow, outcome: CompositionRecord.Outcome, gaps: Int), _ why: String) -> Composition {
            logger.info("the draft before the last round is kept", metadata: ["why": "\(why)"])
            return finish(kept.outcome, workflow: kept.workflow)
        }
        // A missing step asked for in a round of its own (see `completesDrafts`), while `maxAddedSteps` allows.
        var additions = 0
        func askForStep(_ missing: RequestCoverage.Gap, in workflow: ValidatedWorkflow) {
            let adding = StepFocus.adding(to: workflow.document)
            focus = adding
            let narrowed = grounding.narrowed(to: missing.operations)
            addition = (RequestSchema.callStep(of: RequestSchema.specialised(
                prompts.schema, grounding: narrowed, allowRefusal: false, parameters: schemaParameters)), narrowed)
            messages = [messages[0], .init(role: "user", content: additionMessage(request: request, focus: adding, gap: missing, grounding: narrowed))]
            additions += 1
        }
        // Set when the round asks for the test of a condition the draft leaves out (see `ConditionSteps`).
        var guarding: ConditionSteps.Guard?
        func askForCondition(_ target: ConditionSteps.Guard) {
            focus = nil
            addition = nil
            guarding = target
            var values = target.context(catalog: catalog)
            values["request"] = request
            messages = [messages[0], .init(role: "user", content: PromptLibrary.fill(prompts.condition, values))]
        }
        // The round that asks the question of the round before again, sampled more freely: once at most.
        var resampledRound: Int?
        var number = 0
        // Each step taken may earn a round for the next missing one.
        var lastRound = 1 + maxRepairRounds
        while number < lastRound {
            number += 1
            var maxTokens: Int?
            let estimate = ContextBudget.estimate(messages)
            if let context {
                switch context.fit(promptTokens: Int((Double(estimate) * calibration).rounded(.up))) {
                case .success(let tokens): maxTokens = tokens
                case .failure(let overflow):
                    if let kept { return finishKept(kept, "the round would overflow the context") }
                    return finish(.rejected, error: "the request to the model \(overflow); nothing was saved")
                }
            }
            // One step is a few hundred tokens: a model that repeats itself stops long before a document's allowance.
            if focus != nil { maxTokens = min(maxTokens ?? Self.maxStepTokens, Self.maxStepTokens) }
            if guarding != nil { maxTokens = min(maxTokens ?? Self.maxTestTokens, Self.maxTestTokens) }
            onEvent(.asking(round: number))
            let roundStart = ContinuousClock.now
            let response: ModelResponse
            do {
                let roundSchema = guarding != nil ? ConditionSteps.schema
                    : !enforced ? schema : addition?.schema ?? (focus != nil ? RequestSchema.step(of: schema) ?? schema : schema)
                response = try await model.complete(ModelRequest(
                    messages: messages, schema: roundSchema, maxTokens: maxTokens,
                    temperature: resampledRound == number ? Self.resampleTemperature : nil, onTokens: tokenReporter(round: number)))
            } catch {
                if let kept { return finishKept(kept, error.description) }
                return finish(.failed, error: error.description)
            }
            if let promptTokens = response.promptTokens, promptTokens > 0 {
                calibration = max(0.5, Double(promptTokens) / Double(estimate)) * 1.05
            }
            onEvent(.answered(round: number, completionTokens: response.completionTokens))
            if let cutOff = response.cutOff { logger.info("the answer was stopped", metadata: ["why": "\(cutOff)"]) }
            var round = CompositionRecord.Round(
                number: number, messages: messages, rawOutput: response.text, repairs: [], diagnostics: [],
                promptTokens: response.promptTokens, completionTokens: response.completionTokens,
                durationMs: Self.milliseconds(since: roundStart))
            // A step answer is judged as the document it makes; one without an object leaves the document as it was.
            var checked = response.text
            var spliceNotes: [String] = []
            // What counts as the same answer twice: the document it makes, or the text when it made none.
            var current: String?
            if let focus {
                let spliced = focus.splice(response.text)
                checked = (spliced?.document ?? focus.document).jsonText
                spliceNotes = spliced?.repairs ?? ["\(focus.pointer): the answer held no step, so the document stays as it was"]
                if spliced == nil { current = response.text }
            } else if let guarding {
                let guarded = guarding.guarded(by: response.text)
                checked = (guarded?.document ?? guarding.document).jsonText
                spliceNotes = guarded?.notes ?? ["the answer held no test, so the document stays as it was"]
            }
            let attempt = Self.check(checked, validator: validator, request: kind == .compose ? request : nil)
            round.repairs = (response.cutOff.map { [$0] } ?? []) + spliceNotes + attempt.repairs
            round.diagnostics = attempt.diagnostics
            record.rounds.append(round)
            lastDocument = attempt.document

            if let draft = kept {
                // The round that asked for what was missing: its answer is taken only when it fills a gap and drops no
                // call. A step added with errors of its own alone gets the step-repair round, while one remains.
                guard let workflow = attempt.workflow else {
                    if let addition, let added = focus, number < lastRound,
                        let next = attempt.document.flatMap({ StepFocus.find(in: $0, diagnostics: attempt.diagnostics) }), next.index == added.index {
                        focus = next
                        messages = [messages[0], .init(role: "user", content: stepRepairMessage(
                            request: request, focus: next, diagnostics: attempt.diagnostics, grounding: addition.grounding))]
                        continue
                    }
                    return finishKept(draft, "the answer leaves the workflow invalid")
                }
                let gaps = RequestCoverage.gaps(in: workflow.definition, for: request, offered: grounding.catalog)
                let before = Set(Self.calledOperations(in: draft.workflow.document))
                guard gaps.count < draft.gaps, before.isSubset(of: Self.calledOperations(in: workflow.document)) else {
                    return finishKept(draft, "the answer fills no gap, or drops a call")
                }
                if additions < maxAddedSteps, let missing = gaps.first(where: { !$0.operations.isEmpty }) {
                    logger.info("the draft still leaves out part of the request", metadata: ["gaps": "\(gaps.map(\.text).joined(separator: "; "))"])
                    kept = (workflow, .repairedByModel, gaps.count)
                    askForStep(missing, in: workflow)
                    lastRound = max(lastRound, number + 1)
                    continue
                }
                if guarding == nil, let target = ConditionSteps.target(in: workflow.document, for: request) {
                    kept = (workflow, .repairedByModel, gaps.count)
                    askForCondition(target)
                    lastRound = max(lastRound, number + 1)
                    continue
                }
                return finish(.repairedByModel, workflow: workflow)
            }
            if let refusal = attempt.refusal {
                return finish(.rejected, error: refusal)
            }
            if let workflow = attempt.workflow {
                let outcome: CompositionRecord.Outcome =
                    number > 1 ? .repairedByModel : attempt.repairs.isEmpty ? .validFirstTry : .repairedDeterministically
                let gaps = kind == .compose && completesDrafts && number <= maxRepairRounds
                    ? RequestCoverage.gaps(in: workflow.definition, for: request, offered: grounding.catalog) : []
                guard !gaps.isEmpty else { return finish(outcome, workflow: workflow) }
                logger.info("the draft leaves out part of the request", metadata: ["gaps": "\(gaps.map(\.text).joined(separator: "; "))"])
                // Asked to change the steps it has (a loop or branches around them, a retry or undo on one), a small
                // model sends its draft back as it was: only a missing step, or the test of a missing condition, is
                // asked for.
                let condition = ConditionSteps.target(in: workflow.document, for: request)
                guard gaps.contains(where: \.addsAStep) || condition != nil else { return finish(outcome, workflow: workflow) }
                kept = (workflow, outcome, gaps.count)
                // A missing operation is asked for as one step on its own, under a schema that allows only its
                // calls: a small model often sends a whole draft back unchanged, however plainly told what it lacks.
                if let missing = gaps.first(where: { !$0.operations.isEmpty }), maxAddedSteps > 0 {
                    askForStep(missing, in: workflow)
                } else if !gaps.contains(where: \.addsAStep), let condition {
                    askForCondition(condition)
                } else {
                    focus = nil
                    messages = [messages[0], .init(role: "user", content: completionMessage(request: request, workflow: workflow, gaps: gaps, grounding: grounding))]
                }
                continue
            }
            let answer = current ?? attempt.document?.jsonText ?? checked
            if let previousAnswer, previousAnswer == answer {
                if answer.allSatisfy(\.isWhitespace) {
                    return finish(.rejected, error: "the model answered nothing, two rounds running; nothing was saved")
                }
                // Asked the same again at a low temperature, a small model answers the same: once, while a round
                // remains, the question is asked again sampled more freely.
                if resampledRound == nil, number < lastRound {
                    logger.info("the same answer twice: the question is asked again at a higher temperature")
                    resampledRound = number + 1
                    continue
                }
                let errors = attempt.diagnostics.filter { $0.severity == .error }.count
                return finish(.rejected, error: "the model gave the same answer as in the round before, with \(errors) error(s) left; nothing was saved")
            }
            previousAnswer = answer
            // One step alone when every error is inside it, unless that was just tried for the same step.
            let next = attempt.document.flatMap { StepFocus.find(in: $0, diagnostics: attempt.diagnostics) }
            focus = next.flatMap { next in focus?.index == next.index ? nil : next }
            let question = if let focus {
                stepRepairMessage(request: request, focus: focus, diagnostics: attempt.diagnostics, grounding: grounding)
            } else {
                repairMessage(request: request, attempt: attempt, raw: response.text, grounding: grounding)
            }
            messages = [messages[0], .init(role: "user", content: question)]
        }
        let remaining = record.rounds.last?.diagnostics.filter { $0.severity == .error } ?? []
        // A connector the model made up is a missing system only when the request names it and retrieval found
        // nothing for it (`salesforce_crm` for "in Salesforce"); the request's own word for it is reported.
        let invented = remaining.filter { $0.code == .connectorUnknown }.compactMap { diagnostic -> String? in
            lastDocument.flatMap { JSONPointer.resolve(diagnostic.pointer, in: $0)?.stringValue?.lowercased() }
        }
        let unknown = grounding.unmatched.map(\.name).filter { name in invented.contains { $0.contains(name.lowercased()) } }
        let reason = unknown.isEmpty
            ? "the model's answer still has \(remaining.count) error(s) after \(record.rounds.count) round(s); nothing was saved"
            : "the request needs systems that are not in the catalog: \(unknown.joined(separator: ", ")); nothing was saved"
        return finish(.rejected, error: reason)
    }

    /// Turns a streamed answer's piece counts into `receiving` events: the first at once, then at most two a second,
    /// with the rate since the first piece came.
    func tokenReporter(round: Int) -> @Sendable (Int) -> Void {
        let state = Mutex<(first: ContinuousClock.Instant?, last: ContinuousClock.Instant?)>((nil, nil))
        let onEvent = onEvent
        return { tokens in
            let now = ContinuousClock.now
            let rate: Double?? = state.withLock { state in
                let first = state.first ?? now
                state.first = first
                if let last = state.last, now - last < .milliseconds(500) { return nil }
                state.last = now
                let seconds = Double((now - first).components.attoseconds) / 1e18 + Double((now - first).components.seconds)
                return .some(seconds > 0.2 && tokens > 1 ? Double(tokens - 1) / seconds : nil)
            }
            if let rate { onEvent(.receiving(round: round, tokens: tokens, tokensPerSecond: rate)) }
        }
    }

    /// A repair round's question: the request, the catalog as retrieved, the previous answer (as Baton's own repairs
    /// left it, compact, or the raw text when it held no document) and the problems; not the examples again.
    func repairMessage(request: String, attempt: Attempt, raw: String, grounding: Grounding) -> String {
        let answer = attempt.document.map { Self.echoed($0.jsonText) } ?? Self.echoed(raw)
        return PromptLibrary.fill(prompts.repair, [
            "request": request, "catalog": grounding.listing, "answer": answer,
            "diagnostics": Self.describe(attempt.diagnostics),
        ])
    }

    /// The question of a round that names what a valid draft leaves out: the request, the catalog as retrieved,
    /// the gaps and the draft.
    func completionMessage(request: String, workflow: ValidatedWorkflow, gaps: [RequestCoverage.Gap], grounding: Grounding) -> String {
        PromptLibrary.fill(prompts.complete, [
            "request": request, "catalog": grounding.listing, "answer": Self.echoed(workflow.document.jsonText),
            "gaps": gaps.map { "- \($0.text)" }.joined(separator: "\n"),
        ])
    }

    /// The question of a round that asks for a step a valid draft lacks: the request, the operations that can
    /// fill the gap, what the draft has and what it leaves out.
    func additionMessage(request: String, focus: StepFocus, gap: RequestCoverage.Gap, grounding: Grounding) -> String {
        var values = focus.context()
        values["request"] = request
        values["catalog"] = grounding.listing
        values["gap"] = gap.text
        return PromptLibrary.fill(prompts.completeStep, values)
    }

    /// A repair round's question about one step: the request, the catalog as retrieved, what the step may refer to,
    /// the step and its problems.
    func stepRepairMessage(request: String, focus: StepFocus, diagnostics: [Diagnostic], grounding: Grounding) -> String {
        var values = focus.context()
        values["step"] = values["step"].map(Self.echoed)
        values["request"] = request
        values["catalog"] = grounding.listing
        values["diagnostics"] = Self.describe(diagnostics)
        return PromptLibrary.fill(prompts.repairStep, values)
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
    /// than a document may be is refused as it stands, without reading it. With the `request` a valid draft
    /// composes, what it asks for in words and a valid draft lacks is added where that settles it (`requestedStructures`).
    public static func check(_ text: String, validator: WorkflowValidator, request: String? = nil) -> Attempt {
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
        var repaired = repairer.repair(extraction.value)
        var result = validator.validate(document: repaired)
        var repairs = extraction.repairs + repairer.repairs
        if !result.isValid {
            // What the diagnostics show can be fixed for certain; kept only when it leaves fewer errors.
            var guided = DiagnosticRepairer(catalog: validator.catalog)
            let fixed = guided.repair(repaired, diagnostics: result.diagnostics)
            if !guided.repairs.isEmpty {
                let second = validator.validate(document: fixed)
                if Self.errorCount(second.diagnostics) < Self.errorCount(result.diagnostics) {
                    repaired = fixed
                    result = second
                    repairs += guided.repairs
                }
            }
        }
        if result.isValid, let request, let catalog = validator.catalog {
            // Each is kept only when the draft stays valid with it.
            for complete in Self.requestedStructures {
                guard let (completed, notes) = complete(repaired, request, catalog) else { continue }
                let again = validator.validate(document: completed)
                if again.isValid {
                    repaired = completed
                    result = again
                    repairs += notes
                }
            }
        }
        if let catalog = validator.catalog, case let outside = OutsideHosts.diagnostics(in: repaired, catalog: catalog), !outside.isEmpty {
            // A call that would carry data to another host is left out, when the rest then stands on its own.
            if let (pruned, notes) = OutsideHosts.withoutTheCallsThatSend(repaired, catalog: catalog) {
                let again = validator.validate(document: pruned)
                if again.isValid { return Attempt(document: pruned, workflow: again.validated, repairs: repairs + notes, diagnostics: again.diagnostics) }
            }
            return Attempt(document: repaired, repairs: repairs, diagnostics: result.diagnostics + outside)
        }
        return Attempt(document: repaired, workflow: result.validated, repairs: repairs, diagnostics: result.diagnostics)
    }

    /// What a valid draft leaves out of its request that the request's own words and the catalog settle without the
    /// model: the trigger, a compensation nobody asked for as the next step, undo steps, a retry, a callback wait
    /// written as an approval, routes written as conditions in a row. (Work at once is made branches when the
    /// composition ends: see `ParallelSteps`.)
    static let requestedStructures: [@Sendable (JSONValue, String, ConnectorCatalog) -> (document: JSONValue, notes: [String])?] = [
        TriggerSteps.corrected(_:for:catalog:), UndoSteps.unasked(_:for:catalog:), UndoSteps.added(to:for:catalog:),
        RetrySteps.added(to:for:catalog:),
        CallbackWaits.corrected(_:for:catalog:), RouteSteps.added(to:for:catalog:),
    ]

    /// `workflow` with `description` after its name, when it has none; nil when it has one, or it would not validate.
    /// A URL in it to a host outside the catalog is left out, as from any composed draft (see `OutsideHosts`).
    static func described(_ workflow: ValidatedWorkflow, as description: String?, validator: WorkflowValidator) -> ValidatedWorkflow? {
        var text = description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if let catalog = validator.catalog { text = OutsideHosts.redacted(text, catalog: catalog) }
        guard !text.isEmpty, case .object(let members) = workflow.document,
            members["description"]?.stringValue?.isEmpty ?? true
        else { return nil }
        var described = JSONObject()
        for (key, value) in members where key != "description" {
            described[key] = value
            if key == "name" { described["description"] = .string(text) }
        }
        if described["description"] == nil { described["description"] = .string(text) }
        return validator.validate(document: .object(described)).validated
    }

    static func errorCount(_ diagnostics: [Diagnostic]) -> Int { diagnostics.filter { $0.severity == .error }.count }

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
    /// A streamed answer is arriving: pieces so far (about one token each) and the rate since the first.
    case receiving(round: Int, tokens: Int, tokensPerSecond: Double?)
    case answered(round: Int, completionTokens: Int?)
    case finished(CompositionRecord.Outcome)
}
