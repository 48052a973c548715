import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Show a run step by step: status, attempts, timing, requests, errors, compensations.",
        discussion: "Examples:\n  baton trace 3f2c9a1e-...\n  baton trace RUN --verbose   (inputs and outputs of every step)\n  baton trace RUN --json")

    @Argument(help: "The run's id.") var run: String
    @Flag(help: "Show each step's input and output.") var verbose = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let journal = try await store.open().runJournal()
        let record = try await RunLookup.find(run, in: journal)
        let steps = try await journal.steps(of: record.id)
        let waits = try await journal.waits(of: record.id)
        if json { return RunJSON.print(RunJSON.trace(record, steps: steps, waits: waits)) }
        print(RunText.trace(record, steps: steps, waits: waits, verbose: verbose))
    }
}

enum RunLookup {
    /// The run with this id, or a clear error.
    static func find(_ id: String, in journal: any RunJournal) async throws -> RunRecord {
        guard let run = try await journal.run(id.lowercased()) else {
            throw CommandError(description: "no run \(id); list them with `baton runs`", exitCode: .refused)
        }
        return run
    }
}
