import ArgumentParser
import Foundation

/// The `baton` command: describe a workflow in English, check it, review it, run it.
public struct Baton: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Turn plain-English workflow descriptions into checked, runnable workflow definitions.",
        discussion: """
            A workflow is a JSON (or YAML) document: a trigger, typed inputs and steps that call your \
            systems (connectors described by OpenAPI documents), transform data, branch, loop, wait and undo.

            Start here:
              baton validate my-workflow.json --catalog ./connectors   check a document
              baton schema                                               print the document's JSON Schema
              baton explain reference.later                              what a diagnostic code means

            Exit codes: 0 success; 1 the document has errors; 2 a file or catalog could not be read; \
            64 the command line was wrong.
            """,
        subcommands: [ValidateCommand.self, SchemaCommand.self, ExplainCommand.self, BenchCommand.self]
    )

    /// Runs the command line; a `CommandError` is printed as one line on standard error with its exit code.
    public static func main() async {
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
