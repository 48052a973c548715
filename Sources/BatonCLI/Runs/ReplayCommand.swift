import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowStore
import WorkflowModel

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
        let original = try await RunLookup.find(run, in: session.journal)
        guard original.status.isTerminal else {
            throw CommandError(description: "run \(original.id) is \(original.status.rawValue); only finished runs are replayed", exitCode: .refused)
        }
        let summary = try storeCall { try session.store.workflow(id: original.workflowID) }
        guard summary.state == .active else {
            throw CommandError(
                description: "workflow \(summary.id) (\(summary.name)) is \(summary.state.rawValue); a replay is a new run, and only active workflows start runs",
                exitCode: .refused)
        }
        let steps = try await session.journal.steps(of: original.id)
        let reused = try ReplayPlan.reusable(steps, from: from ?? original.error?.step, run: original)
        let definition = try await session.store.definition(workflowID: original.workflowID, version: original.version)
        guard case .object(let input) = original.input else { throw CommandError(description: "run \(original.id) has no input object") }
        if !json { print("replaying run \(original.id): reusing \(reused.count) recorded step\(reused.count == 1 ? "" : "s")") }
        var result = try await session.engine.start(
            workflowID: original.workflowID, name: original.workflowName, version: original.version, definition: definition, input: input,
            replayOf: original.id, reusing: reused)
        if wait, !result.status.isTerminal { result = try await session.waitForEnd(of: result.id) }
        await session.close()
        try await RunOutput.report(result, journal: session.journal, json: json)
    }
}

/// Which recorded outcomes a replay reuses.
enum ReplayPlan {
    /// The outcomes recorded before `step`'s first one that succeeded or were skipped and were not undone by a
    /// compensation that succeeded. A step whose compensation failed still stands, so its outcome is reused.
    static func reusable(_ steps: [StepRecord], from step: String?, run: RunRecord) throws -> [StepRecord] {
        var limit = Int.max
        if let step {
            guard let first = steps.first(where: { $0.stepID == step || $0.key == step }) else {
                let known = steps.filter { $0.compensates == nil }.map(\.key)
                throw CommandError(
                    description: "run \(run.id) has no record of step \(step); recorded: \(known.joined(separator: ", "))", exitCode: .refused)
            }
            limit = first.sequence
        }
        let undone = StepRecord.undone(in: steps)
        return steps.filter { $0.sequence < limit && $0.compensates == nil && !undone.contains($0.key) && $0.status != .failed }
    }
}
