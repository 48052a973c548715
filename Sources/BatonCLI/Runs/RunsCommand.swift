import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs, newest first.",
        discussion: "Examples:\n  baton runs --status waiting\n  baton runs --workflow order-to-cash --json")

    @Option(help: "Only runs of this workflow (id or name).") var workflow: String?
    @Option(help: ArgumentHelp("Only runs with this status (repeatable): \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "status"))
    var status: [String] = []
    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open()
        let statuses = try status.map { text in
            guard let status = RunStatus(rawValue: text) else {
                throw CommandError(
                    description: "--status \(text): expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                    exitCode: .validationFailure)
            }
            return status
        }
        let workflowID = try await lookUpWorkflowID(workflow, in: database)
        let runs = try await database.runJournal().runs(
            RunQuery(workflowID: workflowID, statuses: statuses.isEmpty ? nil : Set(statuses), limit: limit))
        RunList.print(runs, json: json, empty: "no runs" + (workflow.map { " of \($0)" } ?? ""))
    }
}

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List runs that failed for good (failed, or compensated after a failure), with the failing step and error.",
        discussion: "Start one again with `baton replay RUN` (reusing what it recorded before the failing step).")

    @Option(help: "Only runs of this workflow (id or name).") var workflow: String?
    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open()
        let workflowID = try await lookUpWorkflowID(workflow, in: database)
        let runs = try await database.runJournal().runs(RunQuery(workflowID: workflowID, statuses: [.failed, .compensated], limit: limit))
        RunList.print(runs, json: json, empty: "no dead letters")
    }
}

/// A table of runs, or their JSON.
enum RunList {
    static func print(_ runs: [RunRecord], json: Bool, empty: String) {
        if json { return RunJSON.print(.array(runs.map(RunJSON.run))) }
        guard !runs.isEmpty else { return Swift.print(empty) }
        let rows = runs.map { run in
            [
                run.id, "\(run.workflowName) v\(run.version)", run.status.rawValue, ISO8601Text.format(run.createdAt),
                run.duration.map(RunText.duration) ?? "-", run.error.map(\.description) ?? "",
            ]
        }
        Swift.print(Table.render(header: ["RUN", "WORKFLOW", "STATUS", "STARTED", "DURATION", "ERROR"], rows: rows))
    }
}
