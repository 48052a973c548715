import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowService
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
        let catalog = try ModelOptions.loadCatalog(self.catalog).catalog
        let result = DocumentFile.validate(try DocumentFile.read(file), yaml: DocumentFile.isYAML(file), with: WorkflowValidator(catalog: catalog))
        guard let workflow = result.validated else {
            print(DiagnosticText.render(result, file: file, outline: false))
            throw CommandError(description: "\(file) is not a valid workflow; nothing was saved", exitCode: .invalidDocument)
        }
        let service = WorkflowService(repository: try await store.open(create: into == nil), catalog: catalog)
        let namesake = into == nil ? try? await service.repository.workflow(workflow.name) : nil
        let saved = try await serviceCall { try await service.save(workflow, into: into, source: .imported, activate: activate) }
        if json { return try printJSON(saved.summary) }
        if let previous = saved.previous {
            let old = try StoredDefinition.parse(previous)
            print(DiffText.render(WorkflowDiff(old: old, new: workflow.document), from: previous.number, to: saved.version.number))
        }
        if let namesake {
            print("note: workflow \(namesake.id) is also named \(namesake.name); to add a version to it instead: baton import \(file) --into \(namesake.id)")
        }
        let summary = saved.summary
        print("workflow \(summary.id) (\(summary.name)) version \(saved.version.number) saved; state: \(summary.state.rawValue)")
    }
}
