import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowStore

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel an unfinished run. Completed steps are not undone.",
        discussion: "A waiting run is cancelled at once; one running in another baton process stops at its next step.")

    @Argument(help: "The run's id.") var run: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let session = try await EngineSession.open(engine, store: store, reporter: RunReporter(showSteps: false, logJSON: engine.logJSON))
        let record = try await RunLookup.find(run, in: session.journal)
        guard !record.status.isTerminal else {
            throw CommandError(description: "run \(record.id) is already \(record.status.rawValue)", exitCode: .refused)
        }
        let result = try await session.engine.cancel(record.id)
        await session.close()
        if json { return RunJSON.print(RunJSON.run(result)) }
        print(result.status == .cancelled ? "run \(result.id) cancelled" : "run \(result.id): cancellation requested; its process stops it at its next step")
    }
}
