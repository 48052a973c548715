import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Save a workflow document you wrote as a new workflow (a draft, or live with --activate).",
        discussion: "The document is checked against the catalog first; nothing invalid is saved.\nExample: baton import order-to-cash.json --activate")

    @Argument(help: "The document (JSON, or YAML ending in .yaml/.yml).") var file: String
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
        let database = try store.open()
        let version = try storeCall {
            try database.createWorkflow(
                definition: document.prettyJSON(), name: definition.name, description: definition.description, source: .imported)
        }
        var summary = try storeCall { try database.workflow(id: version.workflowID) }
        if activate { summary = try storeCall { try database.activate(workflowID: version.workflowID, version: 1) } }
        if json { return try printJSON(summary) }
        print("workflow \(summary.id) (\(summary.name)) saved; state: \(summary.state.rawValue)")
    }
}
