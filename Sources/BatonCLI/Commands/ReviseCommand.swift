import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel
import WorkflowStore

struct ReviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise",
        abstract: "Change a workflow by saying what to change, in English.",
        discussion: """
            The model gets the current definition and your instruction; steps that still do the same thing \
            keep their ids. The result is validated like a composition and saved as a new draft version; \
            the step-level diff is printed. An active workflow stays live on its current version until you \
            activate the new one.

            Example: baton revise 3 "also text the customer when the order ships"
            """
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Argument(help: "What to change, in plain English.") var instruction: String
    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Do not show progress while the model works.") var quiet = false

    func run() async throws {
        let database = try store.open()
        let (summary, current, document) = try editableLatest(database, workflow)
        let (catalog, _) = try model.loadCatalog()
        let session = try await ComposeSession.start(model, catalog: catalog, progress: Progress(quiet: quiet || json))
        let composition = await session.composer.revise(document, instruction: instruction)
        await session.stop()
        try CompositionOutput.finish(composition, store: database, json: json) { record, revised in
            try database.addVersion(
                workflowID: summary.id, definition: revised.prettyJSON(), name: composition.definition!.name,
                description: composition.definition!.description, source: .revised, compositionID: record.id)
        }
        if !json, let revised = composition.document {
            print("")
            print(DiffText.render(WorkflowDiff(old: document, new: revised), from: current.number, to: current.number + 1))
        }
    }
}
