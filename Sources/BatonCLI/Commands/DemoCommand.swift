import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel
import WorkflowStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Compose, show and activate a workflow offline, with a recorded model.",
        discussion: """
            Runs the whole path from English to an active workflow with no model account: the model's answers \
            are recorded exchanges (fixtures/llm) served over loopback HTTP, so the real HTTP client, repair, \
            validation and database are all exercised. The workflow is saved in your database like any other.
            """
    )

    static let request = "When a customer signs up, validate the name and email, check the CRM for a duplicate, create the customer if new, send a welcome email."

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try store.open()
        var options = try ModelOptions.parse(["--provider", "replay"])
        options.catalog = try BundledFiles.directory("fixtures/connectors").path
        let (catalog, directory) = try options.loadCatalog()
        print("Baton demo — the model is a RECORDED one: its answers are replayed from fixtures/llm over loopback HTTP.")
        print("catalog: \(catalog.connectors.count) connectors from \(directory)")
        print("database: \(database.path)\n")
        print("$ baton compose \"\(Self.request)\"")
        let session = try await ComposeSession.start(options, catalog: catalog, progress: Progress(quiet: false))
        let composition = await session.composer.compose(Self.request)
        await session.stop()
        var savedID: Int64?
        try CompositionOutput.finish(composition, store: database, json: false) { record, document in
            let saved = try database.createWorkflow(
                definition: document.prettyJSON(), name: composition.definition!.name,
                description: composition.definition!.description, source: .composed, compositionID: record.id)
            savedID = saved.workflowID
            return saved
        }
        guard let id = savedID else { return }
        print("\n$ baton activate \(id)")
        let active = try storeCall { try database.activate(workflowID: id) }
        print("workflow \(active.id) (\(active.name)) activated (version \(active.activeVersion ?? 1) is live); state: \(active.state.rawValue)")
        print("\n$ baton list --limit 5")
        let rows = try storeCall { try database.listWorkflows(limit: 5) }.map {
            [String($0.id), $0.state.rawValue, "v\($0.latestVersion)", $0.name]
        }
        print(Table.render(header: ["ID", "STATE", "VERSION", "NAME"], rows: rows))
        print("\nnext: baton show \(id) --mermaid · baton revise \(id) \"also text the customer\" --provider replay · baton history \(id)")
    }
}
