import ArgumentParser
import BatonServer
import Foundation
import Logging
import WorkflowComposer
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Baton as a service: the HTTP API, webhooks, callbacks, schedules and the run worker in one process.",
        discussion: """
            Listens on --host:--port and serves:
              /                    web pages: workflows and their graphs, versions and diffs, compose and revise,
                                   runs with their timelines, approvals, dead letters (sign in with an API token)
              /api/v1/...          the JSON API (every route needs Authorization: Bearer TOKEN; see baton token create)
              /api/v1/openapi.json its OpenAPI 3.1 description
              /hooks/PATH          webhooks of active workflows (signed per Standard Webhooks, or "auth": "none")
              /callbacks/TOKEN     completes a waiting callback or approval
              /healthz /readyz /metrics
            The same process resumes runs, fires timers and starts scheduled runs; several serve and worker \
            processes may share one database. SIGTERM or SIGINT stops it gracefully: runs it leaves are resumed \
            by the next process. Compositions (POST /api/v1/compositions) use the model configured for \
            baton compose ($BATON_LLM_PROVIDER, $BATON_LLM_BASE_URL, $BATON_LLM_MODEL or the config file), or \
            --llm-provider replay for the recorded one. Step and run events are logged as JSON lines on standard error.
            Examples:
              baton token create ops            make a token (shown once)
              baton serve                       http://127.0.0.1:8080
              baton serve --host 0.0.0.0 --port 9000
            """)

    @Option(help: "The address to listen on; anything but loopback needs an API token to exist.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port, printed at start).") var port = 8080
    @Option(help: ArgumentHelp("Seconds between the worker's looks for due work.", valueName: "seconds")) var poll = 0.5
    @Option(name: .customLong("llm-provider"), help: ArgumentHelp("The model provider for compositions (as compose --provider).", valueName: "name"))
    var llmProvider: String?
    @Option(name: .customLong("llm-base-url"), help: ArgumentHelp("The model API's base URL (as compose --base-url).", valueName: "url"))
    var llmBaseURL: String?
    @Option(name: .customLong("llm-model"), help: ArgumentHelp("The model name (as compose --model).", valueName: "name")) var llmModel: String?
    @Flag(name: .customLong("no-worker"), help: ArgumentHelp(
        "Accept and schedule only: runs are left pending for separate baton worker processes (timers and waits too)."))
    var noWorker = false
    @Flag(help: "Do not log step and run events.") var quiet = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let metrics = ServerMetrics()
        let session = try await EngineSession.open(
            engine, store: store, reporter: RunReporter(showSteps: false, logJSON: !quiet), create: true, longRunning: true, also: { metrics.record($0) })
        let service = session.service
        let liveTokens = try await serviceCall { try await service.repository.tokens().filter { $0.revokedAt == nil } }
        if liveTokens.isEmpty {
            guard BatonServer.isLoopback(host) else {
                throw CommandError(
                    description: "refusing to listen on \(host) with no API token defined: create one first (baton token create NAME)",
                    exitCode: .refused)
            }
            note("no API token exists yet, so /api/v1 refuses every request; create one with: baton token create NAME")
        }
        let composing = try await composeSession(catalog: service.catalog)
        var makeComposer: ComposerFactory?
        if let template = composing?.composer {
            makeComposer = { onEvent in
                var composer = template
                composer.onEvent = onEvent
                return composer
            }
        }
        let server = BatonServer(service: service, metrics: metrics, makeComposer: makeComposer, executesRuns: !noWorker)
        var logger = Logger(label: "baton.serve")
        logger.logLevel = .warning
        let host = host
        let app = server.application(host: host, port: port, logger: logger) { bound in
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
            print("baton serve: listening on \(base) (pages at \(base)/, API under /api/v1; Ctrl-C stops)")
            fflush(nil)
        }
        let worker = RunWorker(engine: session.engine, poll: .milliseconds(Int(poll * 1000)))
        do {
            try await ServiceRunner.run((noWorker ? [] : [worker]) + [Scheduler(service: service), app])
        } catch {
            await session.close()
            throw CommandError(description: "baton serve stopped: \(error)")
        }
        await composing?.stop()
        await session.close()
        print("baton serve: stopped")
    }

    /// The composer for compositions over HTTP, or nil (with a note) when the model settings do not make one.
    private func composeSession(catalog: ConnectorCatalog) async throws -> ComposeSession? {
        var options = try ModelOptions.parse([])
        options.provider = llmProvider
        options.baseURL = llmBaseURL
        options.model = llmModel
        options.catalog = engine.catalog
        do {
            return try await ComposeSession.start(options, catalog: catalog, progress: Progress(quiet: true))
        } catch {
            note("compositions are off: \(error)")
            return nil
        }
    }

    private func note(_ text: String) { FileHandle.standardError.write(Data("baton serve: \(text)\n".utf8)) }
}
