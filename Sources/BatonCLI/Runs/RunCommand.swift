import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a run of an active workflow's live version (or try a draft with --dry-run).",
        discussion: """
            The run executes here until it ends or must wait (a timer, a callback, an approval); its id, status \
            and each finished step are printed. With --wait the command stays until the run ends, firing timers \
            and picking up signals. Every step's outcome is in the database: see `baton trace RUN`.

            Inputs are typed as the workflow declares them: --input amount=120 is a number for a number input.

            --simulate sends the calls to simulated connectors on loopback (each answers with its \
            OpenAPI example), so a workflow can be tried end to end, recorded, without real systems.

            Examples:
              baton run order-to-cash --input orderId=SO-1001 --wait
              baton run 3 --input-file input.json --wait
              baton run 3 --simulate --wait
              baton run 3 --dry-run --fail book_hotel=503x2
              baton run draft.json --dry-run --signal decision=reject

            Exits 0 when the run completed or is waiting, 5 when it failed, was compensated or cancelled, \
            4 when the workflow cannot start runs (not active), 64 for bad inputs.
            """
    )

    @Argument(help: "The workflow's id or name (with --dry-run, also a document file).") var workflow: String
    @Option(name: .customLong("input"), help: ArgumentHelp("An input value (repeatable).", valueName: "name=value"))
    var inputs: [String] = []
    @Option(help: ArgumentHelp("A JSON object of inputs.", valueName: "file")) var inputFile: String?
    @Option(help: ArgumentHelp("The event or webhook payload the run reads as ${trigger...}: JSON, or @file.", valueName: "json"))
    var trigger: String?
    @Flag(help: "Stay until the run has ended, through its waits.") var wait = false
    @Flag(help: "Only queue the run (status pending) for `baton worker` to execute, and return at once.") var detach = false
    @Option(help: ArgumentHelp(
        "Start at most one run for this key: asked again with it, baton starts nothing and shows the first run.", valueName: "key"))
    var idempotencyKey: String?
    @Flag(help: "Print the run as JSON at the end instead of progress lines.") var json = false
    @OptionGroup(title: "Dry run") var dry: DryRunOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        if dry.dryRun {
            return try await DryRun(options: dry, engine: engine, store: store).run(
                workflow, inputs: inputs, inputFile: inputFile, trigger: try RunInput.trigger(trigger), json: json)
        }
        let reporter = RunReporter(showSteps: !json, logJSON: engine.logJSON)
        let session = try await EngineSession.open(engine, store: store, reporter: reporter)
        let recovery = detach ? Task { [RunRecord]() } : session.recoverInBackground()
        let watcher = session.watchCancellations()
        defer { watcher.cancel() }
        let live = try await serviceCall { try await session.service.live(workflow) }
        let input = try RunInput.read(pairs: inputs, file: inputFile, declared: live.definition.inputs)
        let payload = try RunInput.trigger(trigger)
        var run: RunRecord
        do {
            let started = try await session.service.start(live, input: input, trigger: payload, queue: detach, idempotencyKey: idempotencyKey)
            run = started.run
            if !started.created, !json { print("run \(run.id) already has the idempotency key \(idempotencyKey ?? ""); no new run was started") }
        } catch let error as RunInputError {
            throw CommandError(
                description: "the inputs do not fit workflow \(live.summary.name):\n  " + error.problems.joined(separator: "\n  "),
                exitCode: .validationFailure)
        }
        if wait, !run.status.isTerminal { run = try await session.waitForEnd(of: run.id) }
        _ = await recovery.value
        await session.close()
        try await RunOutput.report(run, journal: session.journal, json: json)
    }
}

/// How commands that leave a run somewhere report it, and the exit code that goes with its status.
enum RunOutput {
    static func report(_ run: RunRecord, journal: any RunJournal, json: Bool) async throws {
        if json {
            RunJSON.print(RunJSON.run(run))
        } else {
            print(RunText.summary(run))
            print("  trace: baton trace \(run.id)")
        }
        if run.status.isTerminal, run.status != .completed { throw ExitCode.runNotCompleted }
    }
}
