import ArgumentParser
import Foundation
import Logging

/// The `baton` command: describe a workflow in English, check it, review it, run it.
public struct Baton: AsyncParsableCommand {
    public init() {}

    /// This build's version, printed by `baton --version`.
    public static let version = "0.5.0"

    public static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Turn plain-English workflow descriptions into checked, runnable workflow definitions.",
        discussion: """
            A workflow is a JSON (or YAML) document: a trigger, typed inputs and steps that call your \
            systems (connectors described by OpenAPI documents), transform data, branch, loop, wait and undo.

            Start here:
              baton demo
                  the whole path offline, with a recorded model
              baton compose "When a customer signs up, ..."
                  describe a workflow; get a validated draft
              baton show 1 · baton diff 1 · baton activate 1
                  review, compare, make live
              baton validate my-workflow.json
                  check a document you wrote
              baton run 1 --input k=v · baton trace RUN
                  run it; read what happened step by step

            The model: set BATON_LLM_BASE_URL, BATON_LLM_MODEL and BATON_LLM_API_KEY (or OPENAI_API_KEY), \
            or pass --provider/--base-url/--model; see `baton compose --help`.

            Exit codes: 0 success; 1 a document has errors or a composition was rejected; 2 a file, catalog \
            or the database could not be read; 3 the model failed; 4 no such workflow or run, or a change \
            that is not allowed; 5 a run ended without completing; 64 the command line was wrong.
            """,
        version: version,
        subcommands: [
            ComposeCommand.self, ListCommand.self, ShowCommand.self, ReviseCommand.self, EditCommand.self, DiffCommand.self,
            ActivateCommand.self, PauseCommand.self, ResumeCommand.self, ArchiveCommand.self, HistoryCommand.self,
            ImportCommand.self, RunCommand.self, EventCommand.self, SchedulesCommand.self, RunsCommand.self, TraceCommand.self,
            SignalCommand.self, CancelCommand.self,
            DeadLettersCommand.self, ReplayCommand.self, WorkerCommand.self, ServeCommand.self,
            TokenCommand.self, MigrateCommand.self, ValidateCommand.self, SchemaCommand.self, ExplainCommand.self, DemoCommand.self, EvalCommand.self,
            BenchCommand.self,
        ]
    )

    /// Runs the command line; a `CommandError` is printed as one line on standard error with its exit code.
    public static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["BATON_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
            handler.logLevel = level ?? .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
