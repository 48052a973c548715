import ArgumentParser
import Foundation
import HTTPClients
import ModelReplay
import WorkflowComposer
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Compose, activate and run a workflow offline, with a recorded model and simulated connectors.",
        discussion: """
            Runs the whole path from English to a finished run with no model account and no real systems: the \
            model's answers are recorded exchanges (fixtures/llm) served over loopback HTTP, and the run's calls \
            go over loopback HTTP to simulated connectors that answer with their OpenAPI examples. The real HTTP \
            client, repair, validation, engine and database are all exercised; the workflow and its run are \
            saved in your database like any other.
            """
    )

    static let request = "When a customer signs up, validate the name and email, check the CRM for a duplicate, create the customer if new, send a welcome email."

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open(create: true)
        var options = try ModelOptions.parse(["--provider", "replay"])
        options.catalog = try BundledFiles.directory("fixtures/connectors").path
        let (catalog, directory) = try options.loadCatalog()
        print("Baton demo — the model is a RECORDED one: its answers are replayed from fixtures/llm over loopback HTTP.")
        print("catalog: \(catalog.connectors.count) connectors from \(directory)")
        print("database: \(store.shown)\n")
        print("$ baton compose \"\(Self.request)\"")
        let session = try await ComposeSession.start(options, catalog: catalog, progress: Progress(quiet: false))
        let composition = await session.composer.compose(Self.request)
        await session.stop()
        let service = WorkflowService(repository: database, catalog: catalog)
        let savedID = try await CompositionOutput.finish(composition, service: service, json: false)?.workflowID
        guard let id = savedID else { return }
        print("\n$ baton activate \(id)")
        let active = try await serviceCall { try await database.activate(workflowID: id) }
        print("workflow \(active.id) (\(active.name)) activated (version \(active.activeVersion ?? 1) is live); state: \(active.state.rawValue)")
        print("\n$ baton list --limit 5")
        let rows = try await serviceCall { try await database.listWorkflows(state: nil, limit: 5) }.map {
            [String($0.id), $0.state.rawValue, "v\($0.latestVersion)", $0.name]
        }
        print(Table.render(header: ["ID", "STATE", "VERSION", "NAME"], rows: rows))
        let run = try await runOnce(id, database: database, catalog: catalog)
        print("\nnext: baton trace \(run.id) --verbose · baton show \(id) --mermaid · baton revise \(id) \"also text the customer\" --provider replay")
    }

    /// A sign-up event for the demo run.
    static let trigger = JSONValue.object(JSONObject([
        ("name", .string("Ada Lovelace")), ("email", .string("ada@example.com")), ("company", .string("Analytical Engines Ltd")),
        ("phone", .string("+442071234567")),
    ]))

    /// Runs the live version once against simulated connectors on loopback and prints its trace.
    private func runOnce(_ id: Int64, database: any WorkflowRepository, catalog: ConnectorCatalog) async throws -> RunRecord {
        let summary = try await serviceCall { try await database.workflow(id: id) }
        let version = summary.activeVersion ?? summary.latestVersion
        print("\n$ baton run \(id) --trigger '\(Self.trigger.jsonText)'")
        print("(the connectors are simulated on loopback: each answers with its OpenAPI example; the CRM finds no duplicate)")
        let server = ConnectorServer(catalog: catalog)
        _ = try await server.start()
        await server.enqueue("crm.searchCustomers", [.json(.object(JSONObject([("items", .array([])), ("total", .number(0))])))])
        let journal = database.runJournal()
        let reporter = RunReporter(showSteps: true, logJSON: false)
        let engine = WorkflowEngine(
            environment: EngineEnvironment(
                journal: journal, caller: HTTPConnectorCaller(), catalog: await server.catalog(), secrets: SimulatedSecrets(),
                onEvent: { reporter.report($0) }),
            source: database)
        let run: RunRecord
        do {
            let definition = try await database.definition(workflowID: id, version: version)
            run = try await engine.start(
                workflowID: id, name: summary.name, version: version, definition: definition, input: JSONObject(), trigger: Self.trigger)
            try await journal.flush()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        print(RunText.summary(run))
        print("\n$ baton trace \(run.id)")
        print(RunText.trace(run, steps: try await journal.steps(of: run.id), waits: try await journal.waits(of: run.id), verbose: false))
        return run
    }
}
