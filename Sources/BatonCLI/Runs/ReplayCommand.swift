import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Start a new run of a failed run's version, reusing its recorded outputs before a step.",
        discussion: """
            By default the new run starts again at the step that failed: the steps that succeeded before it are not \
            executed again (their outputs are reused), except those a compensation undid. With --from, the new run \
            starts at that step instead. The new run has the same inputs and version.
            Examples:
              baton dead-letters
              baton replay RUN
              baton replay RUN --from charge --wait
            """)

    @Argument(help: "The run to replay.") var run: String
    @Option(help: "The step to start again from (default: the failing step).") var from: String?
    @Flag(help: "Stay until the new run has ended.") var wait = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let session = try await EngineSession.open(engine, store: store, reporter: RunReporter(showSteps: !json, logJSON: engine.logJSON))
        let watcher = session.watchCancellations()
        defer { watcher.cancel() }
        var (result, reused) = try await serviceCall { try await session.service.replay(run, from: from) }
        if !json { print("reused \(reused) recorded step\(reused == 1 ? "" : "s") of run \(run)") }
        if wait, !result.status.isTerminal { result = try await session.waitForEnd(of: result.id) }
        await session.close()
        try await RunOutput.report(result, journal: session.journal, json: json)
    }
}
