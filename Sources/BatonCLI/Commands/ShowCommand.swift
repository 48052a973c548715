import ArgumentParser
import Foundation
import WorkflowCatalog
import WorkflowModel
import WorkflowRepository
import WorkflowStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a workflow: a readable outline, or its JSON, YAML or a Mermaid graph.",
        discussion: "Examples:\n  baton show 3\n  baton show 3 --version 1 --yaml\n  baton show customer-onboarding --mermaid > flow.mmd"
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Option(help: "Which version (default: the latest).") var version: Int?
    @Flag(help: "Print the definition as JSON.") var json = false
    @Flag(help: "Print the definition as YAML.") var yaml = false
    @Flag(help: "Print a Mermaid flowchart.") var mermaid = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if [json, yaml, mermaid].filter({ $0 }).count > 1 { throw ValidationError("choose one of --json, --yaml and --mermaid") }
    }

    func run() async throws {
        let database = try await store.open()
        let (summary, stored) = try await serviceCall { try await database.workflow(workflow, version: version) }
        let document = try StoredDefinition.parse(stored)
        if json { return print(document.prettyJSON()) }
        if yaml { return print(YAMLDocument.render(document), terminator: "") }
        let definition = try StoredDefinition.definition(stored, document: document)
        if mermaid { return print(definition.mermaid()) }
        let live = summary.activeVersion.map { $0 == stored.number ? " (live)" : "" } ?? ""
        print("workflow \(summary.id) · \(summary.state.rawValue) · version \(stored.number) of \(summary.latestVersion)\(live) · \(stored.source.rawValue) \(ListCommand.date(stored.createdAt))")
        print(definition.outline())
    }
}

/// Reading stored definitions back; they were valid when saved.
enum StoredDefinition {
    static func parse(_ version: WorkflowVersion) throws -> JSONValue {
        do {
            return try JSONParser.parse(version.definition)
        } catch {
            throw CommandError(description: "version \(version.number) of workflow \(version.workflowID) is not readable JSON: \(error)")
        }
    }

    static func definition(_ version: WorkflowVersion, document: JSONValue) throws -> WorkflowDefinition {
        let result = WorkflowValidator().validate(document: document)
        guard let definition = result.definition else {
            throw CommandError(description: "version \(version.number) of workflow \(version.workflowID) no longer reads: \(result.errors.first?.message ?? "")")
        }
        return definition
    }
}

/// The latest version of a workflow that may still be edited (not archived), with its parsed document.
func editableLatest(_ database: some WorkflowRepository, _ reference: String) async throws
    -> (WorkflowSummary, WorkflowVersion, JSONValue)
{
    let summary = try await serviceCall { try await database.workflow(reference) }
    if summary.state == .archived {
        throw CommandError(description: "workflow \(summary.id) is archived: archived workflows cannot be edited", exitCode: .refused)
    }
    let current = try await serviceCall { try await database.latestVersion(workflowID: summary.id) }
    return (summary, current, try StoredDefinition.parse(current))
}

/// The id of the workflow `reference` names, when one is named.
func lookUpWorkflowID(_ reference: String?, in database: some WorkflowRepository) async throws -> Int64? {
    guard let reference else { return nil }
    return try await serviceCall { try await database.workflow(reference).id }
}
