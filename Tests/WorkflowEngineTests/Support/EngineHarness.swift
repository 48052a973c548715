import BatonTestSupport
import Foundation
import HTTPClients
import ModelReplay
import WorkflowEngine
import WorkflowModel

/// An engine wired to a loopback connector server, a virtual clock and a journal, with helpers to drive a run
/// through its waits to the end.
struct EngineHarness {
    static let secrets = EnvironmentSecrets(Dictionary(uniqueKeysWithValues: Fixtures.catalog.connectors.compactMap { c in
        c.auth.secretName.map { ($0, "secret-of-\(c.name)-0123456789") }
    }))

    let server: ConnectorServer
    let engine: WorkflowEngine
    let journal: any RunJournal
    let clock: VirtualClock
    let definitions: [String: WorkflowDefinition]
    /// Definition names in the order given; workflow ids count from 1 in this order.
    let names: [String]

    /// Starts the server; the caller stops it with `finish()`.
    static func make(journal: any RunJournal = InMemoryJournal(), definitions names: [String] = []) async throws -> EngineHarness {
        let server = ConnectorServer(catalog: Fixtures.catalog)
        _ = try await server.start()
        let clock = VirtualClock()
        var definitions: [String: WorkflowDefinition] = [:]
        var byID: [Int64: WorkflowDefinition] = [:]
        for (i, name) in names.enumerated() {
            definitions[name] = try definition(name)
            byID[Int64(i + 1)] = definitions[name]
        }
        let environment = EngineEnvironment(
            journal: journal, clock: clock, caller: HTTPConnectorCaller(), catalog: await server.catalog(), secrets: secrets,
            random: { 0.5 })
        let engine = WorkflowEngine(environment: environment, source: FixedWorkflows(byID))
        return EngineHarness(server: server, engine: engine, journal: journal, clock: clock, definitions: definitions, names: names)
    }

    /// Reads a valid fixture definition.
    static func definition(_ name: String) throws -> WorkflowDefinition {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(bytes: Fixtures.bytes(Fixtures.validDefinitions, name + ".json"))
        guard let definition = result.definition else { throw HarnessError("\(name) is not valid: \(result.diagnostics)") }
        return definition
    }

    /// Parses a definition written in a test.
    static func parse(_ json: String) throws -> WorkflowDefinition {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(json: json)
        guard let definition = result.definition else { throw HarnessError("not valid: \(result.diagnostics.map(\.message))") }
        return definition
    }

    func start(_ name: String, input: JSONObject = JSONObject(), trigger: JSONValue? = nil) async throws -> RunRecord {
        let id = Int64(names.firstIndex(of: name)! + 1)
        return try await engine.start(workflowID: id, name: name, version: 1, definition: definitions[name]!, input: input, trigger: trigger)
    }

    /// Drives a waiting run to its end: completes waits with `signals` (by step id) or lets their time pass.
    func finish(_ started: RunRecord, signals: [String: WaitResolution] = [:]) async throws -> RunRecord {
        try await engine.runToEnd(started, clock: clock, limit: 20) { signals[$0.stepID] }
    }

    func stop() async { await server.stop() }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
