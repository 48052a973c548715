import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct DryRunOptions: ParsableArguments {
    @Flag(help: "Run against simulated connectors and a virtual clock; nothing is called or saved.") var dryRun = false
    @Option(help: ArgumentHelp("With --dry-run: which version of a stored workflow (default: the latest, draft or not).", valueName: "n"))
    var version: Int?
    @Option(help: ArgumentHelp(
        "With --dry-run: a JSON file of responses by step id or connector.operation: {\"crm.getCustomer\": [{\"status\": 200, \"body\": {...}}]}.",
        valueName: "file"))
    var responses: String?
    @Option(name: .customLong("fail"), help: ArgumentHelp(
        "With --dry-run: make a call step (or every call of a connector.operation) fail with an HTTP STATUS (100-599), network or timeout; once, xN for N attempts, or x* for every attempt (repeatable).",
        valueName: "target=status[xN]"))
    var failures: [String] = []
    @Option(name: .customLong("signal"), help: ArgumentHelp(
        "With --dry-run: how a callback or approval ends: approve (the default), reject or timeout (repeatable).",
        valueName: "step=approve|reject|timeout"))
    var signals: [String] = []
}

/// A run of a draft against simulated connectors with a virtual clock, in memory, printed as a trace.
struct DryRun {
    var options: DryRunOptions
    var engine: EngineOptions
    var store: StoreOptions

    func run(_ reference: String, inputs: [String], inputFile: String?, trigger: JSONValue?, json: Bool) async throws {
        let catalog = try engine.loadCatalog()
        let (definition, name) = try await load(reference, catalog: catalog)
        let targets = Targets(definition: definition, catalog: catalog)
        let failures = try options.failures.map { text in
            guard let failure = SimulatedConnectorCaller.Failure(text) else {
                throw CommandError(
                    description: "--fail \(text): expected TARGET=STATUS[xN], e.g. charge=402, book_hotel=503x2, crm.getCustomer=timeout or pay=networkx*",
                    exitCode: .validationFailure)
            }
            try targets.check(failure.target, option: "--fail", calls: true)
            return failure
        }
        let decisions = try options.signals.reduce(into: [String: String]()) { result, text in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["approve", "reject", "timeout"].contains(parts[1]) else {
                throw CommandError(description: "--signal \(text): expected STEP=approve|reject|timeout", exitCode: .validationFailure)
            }
            try targets.check(parts[0], option: "--signal", calls: false)
            result[parts[0]] = parts[1]
        }
        let responses = try loadResponses()
        for target in responses.keys { try targets.check(target, option: "--responses", calls: true) }
        let journal = InMemoryJournal()
        let clock = VirtualClock(start: Date())
        let caller = SimulatedConnectorCaller(catalog: catalog, responses: responses, failures: failures)
        let environment = EngineEnvironment(
            journal: journal, clock: clock, caller: caller, catalog: catalog, secrets: SimulatedSecrets(),
            onEvent: { _ in })
        let workflows = WorkflowEngine(environment: environment, source: FixedWorkflows([0: definition]))
        let input = try RunInput.read(pairs: inputs, file: inputFile, declared: definition.inputs)
        var run: RunRecord
        do {
            run = try await workflows.start(workflowID: 0, name: name, version: options.version ?? 0, definition: definition, input: input, trigger: trigger)
        } catch let error as RunInputError {
            throw CommandError(description: "the inputs do not fit \(name):\n  " + error.problems.joined(separator: "\n  "), exitCode: .validationFailure)
        }
        run = try await workflows.runToEnd(run, clock: clock) { wait in
            guard wait.kind != .timer, decisions[wait.stepID] != "timeout" else { return nil }
            return WaitResolution(approved: decisions[wait.stepID] != "reject", data: .object(JSONObject()), by: "dry-run", at: clock.now)
        }
        let steps = try await journal.steps(of: run.id)
        let waits = try await journal.waits(of: run.id)
        if json {
            var trace = RunJSON.trace(run, steps: steps, waits: waits).objectValue ?? JSONObject()
            trace["dryRun"] = .bool(true)
            trace["calls"] = .array(caller.calls.map(JSONValue.string))
            RunJSON.print(.object(trace))
        } else {
            print("Dry run: simulated connectors, virtual clock; nothing was called or saved.\n")
            print(RunText.trace(run, steps: steps, waits: waits, verbose: false))
        }
        if run.status.isTerminal, run.status != .completed { throw ExitCode.runNotCompleted }
    }

    private func load(_ reference: String, catalog: ConnectorCatalog) async throws -> (WorkflowDefinition, String) {
        let validator = WorkflowValidator(catalog: catalog)
        if DocumentFile.looksLikePath(reference) || FileManager.default.fileExists(atPath: reference) && reference.contains(".") {
            let result = DocumentFile.validate(try DocumentFile.read(reference), yaml: DocumentFile.isYAML(reference), with: validator)
            guard let definition = result.definition else {
                print(DiagnosticText.render(result, file: reference, outline: false))
                throw CommandError(description: "\(reference) is not a valid workflow; it was not run", exitCode: .invalidDocument)
            }
            return (definition, definition.name)
        }
        let database = try await store.open()
        let (summary, stored) = try await serviceCall { try await database.workflow(reference, version: options.version) }
        guard let definition = validator.validate(json: stored.definition).definition else {
            throw CommandError(description: "version \(stored.number) of \(summary.name) does not validate against the catalog", exitCode: .invalidDocument)
        }
        return (definition, summary.name)
    }

    private func loadResponses() throws -> [String: [ConnectorResponse]] {
        guard let file = options.responses else { return [:] }
        guard let data = FileManager.default.contents(atPath: file), let json = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
            let object = json.objectValue
        else { throw CommandError(description: "--responses \(file): cannot read it as a JSON object") }
        return object.reduce(into: [:]) { result, member in
            let replies = member.value.arrayValue ?? [member.value]
            result[member.key] = replies.map { reply in
                let status = Int(reply["status"]?.numberValue ?? 200)
                let body = reply["body"] ?? (reply["status"] == nil ? reply : .object(JSONObject()))
                return ConnectorResponse(status: status, body: Data(body.jsonText.utf8))
            }
        }
    }
}

/// What `--fail`, `--signal` and `--responses` may name: a call step or `connector.operation` of the workflow, or a
/// callback or approval step. Anything else is a typo, reported with the nearest name.
private struct Targets {
    var calls: Set<String> = []
    var waits: Set<String> = []

    init(definition: WorkflowDefinition, catalog: ConnectorCatalog) {
        for step in definition.allSteps {
            switch step.body {
            case .call(let call):
                calls.insert(step.id)
                calls.insert("\(call.connector).\(call.operation)")
            case .wait(let wait) where wait.kind != .timer:
                waits.insert(step.id)
            default:
                break
            }
        }
    }

    func check(_ target: String, option: String, calls wantsCall: Bool) throws {
        let known = wantsCall ? calls : waits
        guard !known.contains(target) else { return }
        let what = wantsCall ? "call step or connector.operation" : "callback or approval step"
        let list = known.isEmpty ? "it has none" : "it has " + known.sorted().joined(separator: ", ")
        throw CommandError(
            description: "\(option) \(target): the workflow has no \(what) of that name\(Suggestion.hint(for: target, in: known)) (\(list))",
            exitCode: .validationFailure)
    }
}

/// Secrets for dry runs: every name has a stand-in value, since nothing is sent.
/// Secrets for simulated connectors: the real one where it is set, a made-up value otherwise.
struct SimulatedSecrets: SecretProvider {
    var real: (any SecretProvider)?

    func secret(named name: String) -> String? { real?.secret(named: name) ?? "dry-run-\(name)" }
}
