import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowRepository
import WorkflowService
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
        let result = try await serviceCall { try await session.service.cancel(run) }
        await session.close()
        if json { return RunJSON.print(RunJSON.run(result)) }
        print(result.status == .cancelled ? "run \(result.id) cancelled" : "run \(result.id): cancellation requested; its process stops it at its next step")
    }
}
