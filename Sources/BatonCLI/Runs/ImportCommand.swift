import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Save a workflow document as a new workflow, or with --into as a new version of one (a draft, or live with --activate).",
        discussion: """
            The document is checked against the catalog first; nothing invalid is saved.
            Examples:
              baton import order-to-cash.json --activate
              baton import edited.json --into 3
            """)

    @Argument(help: "The document (JSON, or YAML ending in .yaml/.yml).") var file: String
    @Option(help: ArgumentHelp("Save the document as a new version of this workflow (its id or name).", valueName: "workflow"))
    var into: String?
    @Flag(help: "Make it live at once.") var activate = false
    @Option(help: ArgumentHelp("The connector catalog (default: $BATON_CATALOG, else the bundled one).", valueName: "dir")) var catalog: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let validator = WorkflowValidator(catalog: try ModelOptions.loadCatalog(catalog).catalog)
        let result = DocumentFile.validate(try DocumentFile.read(file), yaml: DocumentFile.isYAML(file), with: validator)
        guard let definition = result.definition, let document = result.document else {
            print(DiagnosticText.render(result, file: file, outline: false))
            throw CommandError(description: "\(file) is not a valid workflow; nothing was saved", exitCode: .invalidDocument)
        }
        let database = try store.open(create: into == nil)
        let version: WorkflowVersion
        if let into {
            let (target, current, old) = try editableLatest(database, into)
            version = try storeCall {
                try database.addVersion(
                    workflowID: target.id, definition: document.prettyJSON(), name: definition.name, description: definition.description,
                    source: .imported)
            }
            if !json { print(DiffText.render(WorkflowDiff(old: old, new: document), from: current.number, to: version.number)) }
        } else {
            let namesake = try? database.workflow(definition.name)
            version = try storeCall {
                try database.createWorkflow(
                    definition: document.prettyJSON(), name: definition.name, description: definition.description, source: .imported)
            }
            if let namesake, !json {
                print("note: workflow \(namesake.id) is also named \(namesake.name); to add a version to it instead: baton import \(file) --into \(namesake.id)")
            }
        }
        var summary = try storeCall { try database.workflow(id: version.workflowID) }
        if activate { summary = try storeCall { try database.activate(workflowID: version.workflowID, version: version.number) } }
        if json { return try printJSON(summary) }
        print("workflow \(summary.id) (\(summary.name)) version \(version.number) saved; state: \(summary.state.rawValue)")
    }
}
