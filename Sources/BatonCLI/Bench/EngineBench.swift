import ArgumentParser
import Foundation
import PostgresStore
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct EngineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the engine: workflows of side-effecting no-op steps, each outcome durable before the next.",
        discussion: """
            Configurations: the engine alone with the in-memory journal; sequential runs at synchronous=FULL and \
            NORMAL (WAL); 100 concurrent runs at FULL sharing commits. Each is measured --rounds times and the \
            median printed, with steps/s, ms/step and durable commits per side-effecting step.

            With --peer, the DBOS peer (../shared/peers/dbos_bench.py, see its README) does the same job at the same \
            durability, alternating with Baton in the same run, and the ratio is printed.

            With --db postgres://…, the journal is PostgreSQL's instead (synchronous_commit on), sequential and 100 \
            concurrent, each round in a schema of its own that is dropped afterwards; the peer then runs DBOS on the same \
            server, in a database named dbos_bench that it drops and re-creates.
            """)

    @Option(help: "Steps per workflow.") var steps = 10
    @Option(help: "Workflows per sequential measurement.") var workflows = 300
    @Option(help: "Workflows per concurrent measurement.") var concurrentWorkflows = 2000
    @Option(help: "Runs at once in the concurrent measurement.") var concurrency = 100
    @Option(help: "Measurements per configuration; the median is reported.") var rounds = 3
    @Option(help: ArgumentHelp("Only these configurations, comma-separated: memory, full, normal, concurrent.", valueName: "list"))
    var only: String?
    @Flag(help: "Also run the DBOS peer, alternating with Baton.") var peer = false
    @Option(help: ArgumentHelp("The peer's Python (default: ~/.local/share/peers/venv/bin/python).", valueName: "path")) var peerPython: String?
    @Option(help: ArgumentHelp("The peer's script (default: ../shared/peers/dbos_bench.py).", valueName: "path")) var peerScript: String?
    @Option(help: ArgumentHelp("Measure the PostgreSQL journal on this server instead of SQLite.", valueName: "url")) var db: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let workload = try EngineWorkload(steps: steps)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let peerRunner = peer ? try PeerRunner(python: peerPython, script: peerScript) : nil

        var configurations: [EngineConfiguration] = [
            EngineConfiguration(name: "in-memory", journal: .memory, concurrency: 1, workflows: workflows * 10),
            EngineConfiguration(name: "sequential", journal: .sqlite(.full), concurrency: 1, workflows: workflows),
            EngineConfiguration(name: "sequential", journal: .sqlite(.normal), concurrency: 1, workflows: workflows * 4),
            EngineConfiguration(name: "concurrent", journal: .sqlite(.full), concurrency: concurrency, workflows: concurrentWorkflows),
        ]
        var peerURL: String?
        if let db {
            let location = try storeCall { try PostgresLocation(url: db) }
            configurations = [
                EngineConfiguration(name: "sequential", journal: .postgres(location), concurrency: 1, workflows: workflows),
                EngineConfiguration(name: "concurrent", journal: .postgres(location), concurrency: concurrency, workflows: concurrentWorkflows),
            ]
            peerURL = "postgresql://\(location.username)\(location.password.map { ":" + $0 } ?? "")@\(location.host):\(location.port)/dbos_bench"
        }
        if let only {
            let wanted = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            configurations = configurations.filter { wanted.contains($0.key) }
        }
        for index in configurations.indices {
            var samples: [EngineSample] = []
            var peerSamples: [PeerSample] = []
            for round in 0..<rounds {
                let path = directory.appendingPathComponent("bench-\(index)-\(round).sqlite").path
                samples.append(try await workload.measure(configurations[index], path: path))
                if let peerRunner, case .sqlite(let synchronous) = configurations[index].journal {
                    peerSamples.append(try peerRunner.run(
                        steps: steps, workflows: configurations[index].concurrency > 1 ? 1000 : 200,
                        concurrency: configurations[index].concurrency, synchronous: synchronous,
                        database: directory.appendingPathComponent("peer-\(index)-\(round).sqlite").path))
                }
                if let peerRunner, let peerURL, case .postgres = configurations[index].journal {
                    peerSamples.append(try peerRunner.run(
                        steps: steps, workflows: configurations[index].concurrency > 1 ? 300 : 100,
                        concurrency: configurations[index].concurrency, url: peerURL))
                }
            }
            configurations[index].result = samples.sorted { $0.stepsPerSecond < $1.stepsPerSecond }[samples.count / 2]
            configurations[index].peer = peerSamples.isEmpty ? nil : peerSamples.sorted { $0.stepsPerSecond < $1.stepsPerSecond }[peerSamples.count / 2]
            if !json { print(configurations[index].line) }
        }
        if json { RunJSON.print(.array(configurations.map(\.json))) }
    }
}

/// One configuration of the engine benchmark, and its median result.
struct EngineConfiguration {
    enum Journal { case memory, sqlite(StoreConfiguration.Synchronous), postgres(PostgresLocation) }
    var name: String
    var journal: Journal
    var concurrency: Int
    var workflows: Int
    var result: EngineSample?
    var peer: PeerSample?

    /// The name `--only` knows it by.
    var key: String { name == "sequential" ? durability.lowercased() : name == "in-memory" ? "memory" : name }

    var durability: String {
        switch journal {
        case .memory: "memory"
        case .sqlite(let synchronous): synchronous.rawValue
        case .postgres: "PG"
        }
    }

    var line: String {
        guard let result else { return name }
        var text = String(
            format: "%-10@ concurrency %3d  %-6@  %9.0f steps/s  %7.4f ms/step  %.2f commits/step", name as NSString, concurrency,
            durability as NSString, result.stepsPerSecond, 1000 / result.stepsPerSecond, result.commitsPerStep)
        if case .memory = journal { text += String(format: "  (%.1f µs of engine per step)", 1e6 / result.stepsPerSecond) }
        if let peer {
            text += String(format: "  | DBOS %6.0f steps/s %7.3f ms/step  → Baton %.1f×", peer.stepsPerSecond, 1000 / peer.stepsPerSecond,
                           result.stepsPerSecond / peer.stepsPerSecond)
        }
        return text
    }

    var json: JSONValue {
        var object = JSONObject([
            ("configuration", .string(name)), ("concurrency", .number(Double(concurrency))), ("durability", .string(durability)),
            ("workflows", .number(Double(workflows))),
        ])
        if let result {
            object["stepsPerSecond"] = .number(result.stepsPerSecond.rounded())
            object["msPerStep"] = .number(1000 / result.stepsPerSecond)
            object["commitsPerStep"] = .number(result.commitsPerStep)
        }
        if let peer, let result {
            object["peerStepsPerSecond"] = .number(peer.stepsPerSecond.rounded())
            object["ratio"] = .number(result.stepsPerSecond / peer.stepsPerSecond)
        }
        return .object(object)
    }
}

struct EngineSample {
    var stepsPerSecond: Double
    var commitsPerStep: Double
}

/// The benchmark's workflow: `steps` call steps to a connector whose calls do nothing.
struct EngineWorkload {
    let definition: WorkflowDefinition
    let catalog: ConnectorCatalog
    let steps: Int

    init(steps: Int) throws {
        self.steps = steps
        catalog = ConnectorCatalog([Connector(
            name: "bench", title: "Bench", baseURL: "http://127.0.0.1:9", auth: .none,
            operations: [ConnectorOperation(
                id: "noop", method: "POST", path: "/noop",
                requestBody: RequestBodyShape(required: false, requiredProperties: [], shape: "{n: integer}"))])])
        let calls = (1...steps).map { #"{"id": "step\#($0)", "kind": "call", "connector": "bench", "operation": "noop", "body": {"n": \#($0)}}"# }
        let text = #"{"format": 1, "name": "bench", "steps": [\#(calls.joined(separator: ","))]}"#
        let result = WorkflowValidator(catalog: catalog).validate(json: text)
        guard let definition = result.definition else {
            throw CommandError(description: "the benchmark workflow does not validate: \(result.errors.map(\.message))")
        }
        self.definition = definition
    }

    func measure(_ configuration: EngineConfiguration, path: String) async throws -> EngineSample {
        let journal: any RunJournal
        var store: WorkflowStore?
        var postgres: PostgresStore?
        switch configuration.journal {
        case .memory:
            journal = InMemoryJournal()
        case .sqlite(let synchronous):
            store = try storeCall { try WorkflowStore(path: path, configuration: StoreConfiguration(synchronous: synchronous)) }
            journal = store!.runJournal()
        case .postgres(var location):
            location.schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            location.maximumConnections = max(location.maximumConnections, 8)
            postgres = try await serviceCall { try await PostgresStore.open(location) }
            journal = postgres!.runJournal()
        }
        let engine = WorkflowEngine(
            environment: EngineEnvironment(journal: journal, caller: NoOpConnectorCaller(), catalog: catalog),
            source: FixedWorkflows([1: definition]))
        let commitsBefore = commits(journal)
        let clock = ContinuousClock()
        let started = clock.now
        let total = configuration.workflows
        let definition = self.definition
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<configuration.concurrency {
                group.addTask {
                    var index = worker
                    while index < total {
                        let run = try await engine.start(workflowID: 1, name: "bench", version: 1, definition: definition, input: JSONObject())
                        guard run.status == .completed else { throw CommandError(description: "a benchmark run ended \(run.status)") }
                        index += configuration.concurrency
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stepCount = Double(total * steps)
        let sample = EngineSample(stepsPerSecond: stepCount / seconds, commitsPerStep: Double(commits(journal) - commitsBefore) / stepCount)
        try await journal.flush()
        _ = store
        if let postgres {
            try await serviceCall { try await postgres.dropSchema() }
            await postgres.close()
        }
        return sample
    }

    private func commits(_ journal: any RunJournal) -> Int {
        (journal as? SQLiteRunJournal)?.commits ?? (journal as? PostgresRunJournal)?.commits ?? (journal as? InMemoryJournal)?.commits ?? 0
    }
}

struct PeerSample {
    var stepsPerSecond: Double
}

/// Runs the DBOS peer's benchmark script and reads its figures.
struct PeerRunner {
    let python: String
    let script: String

    init(python: String?, script: String?) throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        self.python = python ?? "\(home)/.local/share/peers/venv/bin/python"
        self.script = script ?? "../shared/peers/dbos_bench.py"
        guard FileManager.default.isExecutableFile(atPath: self.python), FileManager.default.fileExists(atPath: self.script) else {
            throw CommandError(description: "the DBOS peer is not set up (\(self.python), \(self.script)); see ../shared/peers/README.md")
        }
    }

    func run(steps: Int, workflows: Int, concurrency: Int, synchronous: StoreConfiguration.Synchronous, database: String) throws -> PeerSample {
        try run([
            "--steps", "\(steps)", "--workflows", "\(workflows)", "--journal", "wal", "--synchronous", synchronous.rawValue,
            "--concurrency", "\(concurrency)", "--db", database,
        ])
    }

    /// DBOS on PostgreSQL at `url`, a database it drops and re-creates.
    func run(steps: Int, workflows: Int, concurrency: Int, url: String) throws -> PeerSample {
        try run(["--steps", "\(steps)", "--workflows", "\(workflows)", "--concurrency", "\(concurrency)", "--url", url])
    }

    private func run(_ arguments: [String]) throws -> PeerSample {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let field = text.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("steps_per_s=") }),
            let value = Double(field.dropFirst("steps_per_s=".count))
        else { throw CommandError(description: "the peer printed no steps_per_s: \(text)") }
        return PeerSample(stepsPerSecond: value)
    }
}
