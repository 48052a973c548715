import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowStore

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Keep runs going: resume interrupted runs, fire due timers, continue runs whose waits were completed.",
        discussion: """
            Every baton command that executes runs also resumes those a stopped process left unfinished; the worker \
            does it continuously. Several workers (and other baton processes) may share a database: a run is only \
            ever executed by one live process.
            Examples:
              baton worker                 run until interrupted
              baton worker --until-idle    stop once no run can go on now
            """)

    @Flag(help: "Exit once no run can go on now (runs waiting for later stay waiting).") var untilIdle = false
    @Option(help: ArgumentHelp("Seconds between looks for due work.", valueName: "seconds")) var poll = 0.5
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let session = try await EngineSession.open(engine, store: store, reporter: RunReporter(showSteps: false, logJSON: engine.logJSON))
        var finished = 0
        while true {
            try await session.engine.honourCancellationRequests()
            let resumed = try await session.engine.resumeDue()
            finished += resumed.filter(\.status.isTerminal).count
            if untilIdle, resumed.isEmpty {
                let due = try await session.journal.runs(RunQuery(resumableAt: Date(), limit: 1))
                if due.isEmpty { break }
            }
            if resumed.isEmpty { try await Task.sleep(for: .seconds(poll)) }
        }
        await session.close()
        print("worker: \(finished) run\(finished == 1 ? "" : "s") finished; no run can go on now")
    }
}
