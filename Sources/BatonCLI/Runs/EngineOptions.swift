import ArgumentParser
import Foundation
import HTTPClients
import ModelReplay
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

/// Options of the commands that execute runs: where connectors are, their secrets, durability and logging.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The connector catalog (default: $BATON_CATALOG, else the bundled one).", valueName: "dir"))
    var catalog: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "Send a connector's calls to another base URL, e.g. crm=http://127.0.0.1:9000 (repeatable; also $BATON_BASE_URLS, comma-separated).",
        valueName: "name=url"))
    var baseURLs: [String] = []

    @Option(help: ArgumentHelp(
        "A JSON file of connector secrets {\"NAME\": \"value\"} (default: $BATON_SECRETS_FILE); environment variables win.",
        valueName: "file"))
    var secrets: String?

    @Option(help: ArgumentHelp(
        "full: every commit survives a power cut (default); normal: survives a crash of baton, faster (also $BATON_DURABILITY).",
        valueName: "full|normal"))
    var durability: String?

    @Option(help: ArgumentHelp(
        "Seconds a run stays held by this process without a heartbeat before another may take it over (default 30; also $BATON_LEASE).",
        valueName: "seconds"))
    var lease: Double?

    @Flag(name: .customLong("log-json"), help: "Log every finished step and run as a JSON line on standard error.")
    var logJSON = false

    @Flag(help: ArgumentHelp(
        "Call simulated connectors on loopback instead of the real systems: each operation answers with its OpenAPI example. No secrets are needed; runs are recorded as usual."))
    var simulate = false

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func storeConfiguration() throws -> StoreConfiguration {
        let text = (durability ?? environment["BATON_DURABILITY"] ?? "full").lowercased()
        guard let synchronous = StoreConfiguration.Synchronous(rawValue: text.uppercased()) else {
            throw CommandError(description: "--durability must be full or normal, not \(text)", exitCode: ExitCode.validationFailure)
        }
        return StoreConfiguration(synchronous: synchronous)
    }

    /// How long a claim or heartbeat holds a run.
    func leaseDuration() throws -> TimeInterval {
        let text = lease.map { "\($0)" } ?? environment["BATON_LEASE"] ?? "30"
        guard let seconds = Double(text), seconds >= 0.5 else {
            throw CommandError(description: "--lease must be a number of seconds, at least 0.5, not \(text)", exitCode: ExitCode.validationFailure)
        }
        return seconds
    }

    /// The catalog with `--base-url` overrides applied.
    func loadCatalog() throws -> ConnectorCatalog {
        let catalog = try ModelOptions.loadCatalog(self.catalog).catalog
        let pairs = baseURLs + (environment["BATON_BASE_URLS"] ?? "").split(separator: ",").map(String.init)
        var overrides: [String: String] = [:]
        for pair in pairs where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, catalog[parts[0]] != nil, URL(string: parts[1])?.scheme != nil else {
                throw CommandError(
                    description: "--base-url \(pair): expected NAME=URL with a connector of the catalog (\(catalog.connectors.map(\.name).joined(separator: ", ")))",
                    exitCode: ExitCode.validationFailure)
            }
            overrides[parts[0]] = parts[1]
        }
        return catalog.rebased { overrides[$0.name] }
    }

    func loadSecrets() throws -> EnvironmentSecrets {
        let file = secrets ?? environment["BATON_SECRETS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            return try EnvironmentSecrets(file: file.map { URL(fileURLWithPath: $0) })
        } catch {
            throw CommandError(description: "cannot read the secrets file \(file ?? ""): \(error)")
        }
    }
}

/// An engine on the store's database, printing progress as steps finish.
struct EngineSession {
    let store: any WorkflowRepository
    let journal: any RunJournal
    let engine: WorkflowEngine
    /// The use cases, on this engine.
    let service: WorkflowService
    /// The simulated connectors of `--simulate`, served while the session lasts.
    let simulator: ConnectorServer?

    /// `also` hears every engine event after the reporter (the server counts them for its metrics).
    static func open(
        _ options: EngineOptions, store storeOptions: StoreOptions, reporter: RunReporter, create: Bool = false, longRunning: Bool = false,
        also: @escaping @Sendable (EngineEvent) -> Void = { _ in }
    ) async throws -> EngineSession {
        var configuration = try options.storeConfiguration()
        // A process that stays checkpoints the log off the commit path.
        configuration.checkpointsInBackground = longRunning
        let store = try await storeOptions.open(configuration: configuration, create: create)
        let journal = store.runJournal()
        var catalog = try options.loadCatalog()
        var secrets: any SecretProvider = try options.loadSecrets()
        var simulator: ConnectorServer?
        if options.simulate {
            let server = ConnectorServer(catalog: catalog)
            _ = try await server.start()
            catalog = await server.catalog()
            // Simulated connectors need no real secrets, but webhook keys set in the environment still count.
            secrets = SimulatedSecrets(real: secrets)
            simulator = server
        }
        let environment = EngineEnvironment(
            journal: journal, caller: HTTPConnectorCaller(), catalog: catalog, secrets: secrets,
            onEvent: { event in
                reporter.report(event)
                also(event)
            })
        let engine = WorkflowEngine(environment: environment, source: store, leaseDuration: try options.leaseDuration())
        return EngineSession(
            store: store, journal: journal, engine: engine, service: WorkflowService(repository: store, catalog: catalog, engine: engine),
            simulator: simulator)
    }

    /// Resumes runs left unfinished by a process that stopped, and due ones, in the background.
    func recoverInBackground() -> Task<[RunRecord], Never> {
        Task { (try? await engine.resumeDue()) ?? [] }
    }

    /// Stops runs of this process that another process asked to cancel, looking twice a second until cancelled.
    func watchCancellations() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await engine.honourCancellationRequests()
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Waits for `runID` to end, resuming it (and any other due run) as its timers fire or its waits are completed.
    func waitForEnd(of runID: String, poll: TimeInterval = 0.5) async throws -> RunRecord {
        while true {
            try await engine.honourCancellationRequests()
            _ = try await engine.resumeDue()
            guard let run = try await journal.run(runID) else { throw CommandError(description: "run \(runID) disappeared") }
            if run.status.isTerminal { return run }
            let nap = run.wakeAt.map { min(max($0.timeIntervalSinceNow, 0.01), poll) } ?? poll
            try await Task.sleep(for: .seconds(nap))
        }
    }

    /// Commits what is still queued and stops the simulated connectors; call before the process ends.
    func close() async {
        try? await journal.flush()
        await simulator?.stop()
    }
}
