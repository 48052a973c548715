import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct SignalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal", abstract: "Complete a run's callback or approval with its one-time token, and continue the run.",
        discussion: """
            The token is printed when the run starts waiting (and by `baton trace RUN`). A token works once.
            Examples:
              baton signal RUN TOKEN --approve --by ann@example.com
              baton signal RUN TOKEN --approve --data '{"comment": "fine"}'
              baton signal RUN TOKEN --reject --data '{"reason": "over budget"}'
            """)

    @Argument(help: "The run's id.") var run: String
    @Argument(help: "The wait's token.") var token: String
    @Flag(help: "Approve (for a callback: it arrived with success).") var approve = false
    @Flag(help: "Reject.") var reject = false
    @Option(help: ArgumentHelp("JSON data for the waiting step (its output's `data`).", valueName: "json")) var data: String?
    @Option(help: "Who decided (its output's `by`).") var by: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard approve != reject else { throw ValidationError("give exactly one of --approve and --reject") }
    }

    func run() async throws {
        var payload: JSONValue = .null
        if let data {
            do { payload = try JSONParser.parse(data) } catch {
                throw CommandError(description: "--data is not JSON: \(error)", exitCode: .validationFailure)
            }
        }
        let session = try await EngineSession.open(engine, store: store, reporter: RunReporter(showSteps: !json, logJSON: engine.logJSON))
        let watcher = session.watchCancellations()
        defer { watcher.cancel() }
        let resolution = WaitResolution(approved: approve, data: payload, by: by ?? ProcessInfo.processInfo.environment["USER"], at: Date())
        let result = try await serviceCall { try await session.service.signal(run, token: token, resolution: resolution) }
        await session.close()
        try await RunOutput.report(result, journal: session.journal, json: json)
    }
}
