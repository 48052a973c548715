import ArgumentParser
import Configuration
import Foundation
import HTTPClients
import ModelReplay
import SystemPackage
import WorkflowCatalog
import WorkflowComposer
import WorkflowModel

/// The options that choose the language model and the catalog. Each can also come from the environment
/// (`BATON_LLM_PROVIDER`, `BATON_LLM_BASE_URL`, `BATON_LLM_MODEL`, `BATON_LLM_API_KEY`, `BATON_CATALOG`, ...)
/// or the config file (`$XDG_CONFIG_HOME/baton/config.json`, or `--config`); flags win over both.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("openai (any OpenAI-compatible server), ollama, anthropic, or replay (the bundled recorded model).", valueName: "name"))
    var provider: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("The API's base URL, e.g. http://127.0.0.1:8080/v1.", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("The model name.", valueName: "name"))
    var model: String?

    @Option(help: ArgumentHelp("Seconds to wait for one answer (default 600: local models are slow).", valueName: "seconds"))
    var timeout: Double?

    @Option(
        name: .customLong("stall-timeout"),
        help: ArgumentHelp("Seconds a streamed answer may pause once it has begun (default 60).", valueName: "seconds"))
    var stallTimeout: Double?

    @Flag(
        name: .customLong("no-schema-parameters"),
        help: "Name only the operations in the schema sent, not their parameters and body fields (for grammar engines that cannot take a larger schema).")
    var noSchemaParameters = false

    @Flag(
        name: .customLong("no-completion-round"),
        help: "Save a valid draft as it is, without a round asking for what it leaves out of the request.")
    var noCompletionRound = false

    @Flag(name: .customLong("no-stream"), help: "Ask for the whole answer at once instead of a stream of tokens.")
    var noStream = false

    @Option(name: .customLong("repair-rounds"), help: ArgumentHelp("Times the model may be asked to fix its answer (default 2).", valueName: "n"))
    var repairRounds: Int?

    @Option(help: ArgumentHelp(
        "The model's context in tokens; no request that overflows it is sent (default 8192 for a local server, 0: no check).",
        valueName: "tokens"))
    var context: Int?

    @Flag(name: .customLong("no-structured-output"), help: "Do not send the JSON Schema as the provider's structured-output setting.")
    var noStructuredOutput = false

    @Option(help: ArgumentHelp("Also write every exchange with the model to this folder as a replayable fixture.", valueName: "dir"))
    var record: String?

    @Option(help: ArgumentHelp("The connector catalog folder (default: $BATON_CATALOG, else the bundled example catalog).", valueName: "dir"))
    var catalog: String?

    @Option(help: ArgumentHelp("A JSON config file (default: $XDG_CONFIG_HOME/baton/config.json).", valueName: "path"))
    var config: String?

    func configuration() async throws -> ComposerConfiguration {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        func set(_ key: String, _ content: ConfigContent?) {
            if let content { values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(content, isSecret: false) }
        }
        set("llm.provider", provider.map { .string($0) })
        set("llm.base_url", baseURL.map { .string($0) })
        set("llm.model", model.map { .string($0) })
        set("llm.timeout", timeout.map { .double($0) })
        set("llm.repair_rounds", repairRounds.map { .int($0) })
        set("llm.context", context.map { .int($0) })
        set("llm.record_dir", record.map { .string($0) })
        set("llm.stall_timeout", stallTimeout.map { .double($0) })
        if noStructuredOutput { set("llm.structured_output", .bool(false)) }
        if noStream { set("llm.stream", .bool(false)) }
        if noSchemaParameters { set("llm.schema_parameters", .bool(false)) }
        if noCompletionRound { set("llm.completion_round", .bool(false)) }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider().prefixKeys(with: "baton"),
        ]
        let path = config ?? Self.defaultConfigPath()
        do {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path), allowMissing: config == nil))
        } catch {
            throw CommandError(description: "cannot read the config file \(path): \(error)")
        }
        return ComposerConfiguration(config: ConfigReader(providers: providers))
    }

    static func defaultConfigPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/baton/config.json"
    }

    /// The catalog named by `--catalog` or `$BATON_CATALOG`, else the bundled example catalog.
    func loadCatalog() throws -> (catalog: ConnectorCatalog, directory: String) {
        try Self.loadCatalog(catalog)
    }

    static func loadCatalog(_ explicit: String?) throws -> (catalog: ConnectorCatalog, directory: String) {
        let directory = try explicit ?? ProcessInfo.processInfo.environment["BATON_CATALOG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? BundledFiles.directory("fixtures/connectors").path
        guard let loaded = try DocumentFile.catalog(directory) else { throw CommandError(description: "no catalog") }
        return (loaded, directory)
    }
}

/// A ready composer, and the recorded-model server behind it when the provider is `replay`.
struct ComposeSession {
    var composer: Composer
    var replay: ReplayServer?
    var label: String

    static func start(_ options: ModelOptions, catalog: ConnectorCatalog, progress: Progress) async throws -> ComposeSession {
        let configuration = try await options.configuration()
        let prompts: PromptLibrary
        do {
            prompts = try PromptLibrary(directory: try BundledFiles.directory("prompts"))
        } catch let error as PromptError {
            throw CommandError(description: error.description)
        }
        var replay: ReplayServer?
        let model: HTTPLanguageModel
        var label: String
        do {
            if configuration.provider == "replay" {
                let directory = try configuration.replayDirectory.map { URL(fileURLWithPath: $0) } ?? BundledFiles.directory("fixtures/llm")
                let server: ReplayServer
                do {
                    server = try ReplayServer(directory: directory)
                } catch {
                    throw CommandError(description: "cannot load the recorded exchanges in \(directory.path): \(error)")
                }
                let url = try await server.start()
                replay = server
                var settings = configuration
                settings.model = settings.model ?? "recorded"
                model = try settings.makeModel(provider: .openai, baseURL: url) { HTTPModelTransport(timeout: $0) }
                label = "the recorded model (replayed from \(directory.lastPathComponent)/ over \(url.absoluteString))"
            } else {
                guard let provider = configuration.modelProvider else {
                    throw CommandError(
                        description: "unknown provider \"\(configuration.provider)\"; use openai, ollama, anthropic or replay",
                        exitCode: .validationFailure)
                }
                model = try configuration.makeModel(provider: provider) { HTTPModelTransport(timeout: $0) }
                label = model.endpointDescription
            }
        } catch let error as ConfigurationError {
            throw CommandError(description: error.description, exitCode: .modelFailure)
        }
        var composer = Composer(
            model: model, catalog: catalog, prompts: prompts, maxRepairRounds: configuration.repairRounds,
            provider: replay == nil ? configuration.provider : "replay", modelName: model.settings.model,
            context: configuration.contextBudget(provider: model.provider, baseURL: model.baseURL),
            onEvent: { progress.handle($0) })
        composer.schemaParameters = configuration.schemaParameters
        composer.completesDrafts = configuration.completionRound
        return ComposeSession(composer: composer, replay: replay, label: label)
    }

    func stop() async {
        await replay?.stop()
    }
}
