import ArgumentParser
import Foundation
import Synchronization
import WorkflowEngine
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Keep runs going: resume interrupted runs, fire due timers, continue runs whose waits were completed.",
        discussion: """
            Every baton command that executes runs also resumes those a stopped process left unfinished; the worker \
            does it continuously. Several workers (and other baton processes) may share a database: a run is only \
            ever executed by one live process. Unless --until-idle, the worker also keeps time: active workflows \
            with a schedule trigger start their runs when due (see `baton schedules`). SIGTERM or SIGINT stops the \
            worker after the pass it is in; the runs it leaves are resumed by the next one.
            Examples:
              baton worker                 run until interrupted
              baton worker --until-idle    stop once no run can go on now
            """)

    @Flag(help: "Exit once no run can go on now (runs waiting for later stay waiting).") var untilIdle = false
    @Option(help: ArgumentHelp("Seconds between looks for due work.", valueName: "seconds")) var poll = 0.5
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let session = try await EngineSession.open(
            engine, store: store, reporter: RunReporter(showSteps: false, logJSON: engine.logJSON), longRunning: !untilIdle)
        let count = Mutex(0)
        let worker = RunWorker(engine: session.engine, poll: .milliseconds(Int(poll * 1000)), untilIdle: untilIdle) { finished in
            count.withLock { $0 = finished }
        }
        // A worker that stays also keeps time: schedules fire while it runs.
        try await ServiceRunner.run(untilIdle ? [worker] : [worker, Scheduler(service: session.service)])
        await session.close()
        let finished = count.withLock { $0 }
        print("worker: \(finished) run\(finished == 1 ? "" : "s") finished; " + (untilIdle ? "no run can go on now" : "stopped"))
    }
}
