import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowStore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every composition attempt for a workflow (or the most recent ones), with raw output on request.",
        discussion: "Examples:\n  baton history 3\n  baton history --recent 10\n  baton history --composition 6f1c... --raw"
    )

    @Argument(help: "The workflow's id or name.") var workflow: String?
    @Option(help: "Show the most recent attempts, saved or not.") var recent: Int?
    @Option(help: ArgumentHelp("Show one attempt by its id.", valueName: "id")) var composition: String?
    @Flag(help: "Include the messages sent and the model's raw answers.") var raw = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if [workflow != nil, recent != nil, composition != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give a workflow, --recent N or --composition ID")
        }
    }

    func run() async throws {
        let database = try await store.open()
        let records: [CompositionRecord] = try await serviceCall {
            if let composition { return [try await database.composition(id: composition)] }
            if let recent { return try await database.recentCompositions(limit: recent) }
            return try await database.compositions(workflowID: try await database.workflow(workflow!).id)
        }
        if json { return try printJSON(records) }
        if records.isEmpty { print("no composition attempts recorded") }
        for record in records {
            let saved = record.workflowID.map { " → workflow \($0) v\(record.version ?? 0)" } ?? ""
            print("\(record.id)  \(ISO8601DateFormatter().string(from: record.startedAt))  \(record.kind.rawValue)  \(record.outcome.rawValue)\(saved)")
            print("  asked: \(record.request)")
            print("  model: \(record.endpoint); \(record.rounds.count) round(s), \(record.durationMs) ms, \(record.promptTokens) prompt + \(record.completionTokens) completion tokens")
            if let error = record.error { print("  why: \(error)") }
            for round in record.rounds {
                let errors = round.diagnostics.filter { $0.severity == .error }.map(\.code.rawValue)
                print("  round \(round.number): \(round.durationMs) ms; repairs: \(round.repairs.isEmpty ? "none" : round.repairs.joined(separator: "; ")); errors: \(errors.isEmpty ? "none" : errors.joined(separator: ", "))")
                if raw {
                    for message in round.messages { print("    [\(message.role)]\n" + Self.indent(message.content)) }
                    print("    [answer]\n" + Self.indent(round.rawOutput))
                }
            }
        }
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }
}
