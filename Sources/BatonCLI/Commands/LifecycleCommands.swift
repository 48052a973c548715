import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowStore

struct ActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Make a version live (the latest by default), after checking it against the catalog.",
        discussion: "Only a definition that validates can be activated; archived workflows cannot.\nExample: baton activate 3"
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Option(help: "Which version (default: the latest).") var version: Int?
    @Option(help: ArgumentHelp("The connector catalog to check against (default: $BATON_CATALOG, else the bundled one).", valueName: "dir"))
    var catalog: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open()
        let (summary, stored) = try await serviceCall { try await database.workflow(workflow, version: version) }
        let result = WorkflowValidator(catalog: try ModelOptions.loadCatalog(catalog).catalog).validate(json: stored.definition)
        guard result.isValid else {
            print(DiagnosticText.render(result, file: "workflow \(summary.id) v\(stored.number)", outline: false))
            throw CommandError(description: "version \(stored.number) does not validate against the catalog; it was not activated", exitCode: .invalidDocument)
        }
        let updated = try await serviceCall { try await database.activate(workflowID: summary.id, version: stored.number) }
        try LifecycleOutput.report(updated, json: json, verb: "activated (version \(stored.number) is live)")
    }
}

/// Pause, resume and archive: one repository call each, with the same arguments and output.
protocol LifecycleChange: AsyncParsableCommand {
    var workflow: String { get }
    var json: Bool { get }
    var store: StoreOptions { get }
    static var verb: String { get }
    static func apply(_ database: some WorkflowRepository, _ id: Int64) async throws -> WorkflowSummary
}

extension LifecycleChange {
    func run() async throws {
        let database = try await store.open()
        let id = try await serviceCall { try await database.workflow(workflow).id }
        try LifecycleOutput.report(try await serviceCall { try await Self.apply(database, id) }, json: json, verb: Self.verb)
    }
}

struct PauseCommand: LifecycleChange {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Stop an active workflow from starting new runs (running ones continue).")
    static let verb = "paused"
    @Argument(help: "The workflow's id or name.") var workflow: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    static func apply(_ database: some WorkflowRepository, _ id: Int64) async throws -> WorkflowSummary {
        try await database.pause(workflowID: id)
    }
}

struct ResumeCommand: LifecycleChange {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Make a paused workflow active again.")
    static let verb = "resumed"
    @Argument(help: "The workflow's id or name.") var workflow: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    static func apply(_ database: some WorkflowRepository, _ id: Int64) async throws -> WorkflowSummary {
        try await database.resume(workflowID: id)
    }
}

struct ArchiveCommand: LifecycleChange {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Retire a workflow for good: it can never be activated or edited again; its history is kept.")
    static let verb = "archived"
    @Argument(help: "The workflow's id or name.") var workflow: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions
    static func apply(_ database: some WorkflowRepository, _ id: Int64) async throws -> WorkflowSummary {
        try await database.archive(workflowID: id)
    }
}

enum LifecycleOutput {
    static func report(_ summary: WorkflowSummary, json: Bool, verb: String) throws {
        if json { return try printJSON(summary) }
        print("workflow \(summary.id) (\(summary.name)) \(verb); state: \(summary.state.rawValue)")
    }
}
