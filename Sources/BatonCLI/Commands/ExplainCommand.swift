import Foundation
import ArgumentParser
import WorkflowEngine
import WorkflowModel

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a diagnostic or run error code, or list them all.",
        discussion: """
            Codes come from two places: the validator's diagnostics (reference.later, connector.unknown, ...) \
            and the errors runs and steps fail with (secret.missing, http.503, timeout, ...).

            Examples:
              baton explain reference.later
              baton explain secret.missing
              baton explain
            """
    )

    @Argument(help: "A code such as reference.later or http.503; leave it out to list every code.")
    var code: String?

    func run() async throws {
        let documents = DiagnosticCode.all.map { ($0.code.rawValue, $0.summary) }
        let runs = RunErrorCode.all.map { ($0.code, $0.summary) }
        guard let code else {
            let width = (documents + runs).map(\.0.count).max() ?? 0
            print("Document diagnostics (baton validate, compose):")
            for (code, summary) in documents { print("  " + code.padding(width + 2) + summary) }
            print("\nRun and step errors (baton run, trace):")
            for (code, summary) in runs { print("  " + code.padding(width + 2) + summary) }
            return
        }
        if let entry = documents.first(where: { $0.0 == code }) {
            return print("\(entry.0): \(entry.1)")
        }
        if let entry = RunErrorCode.named(code) {
            return print("\(code): \(entry.summary)")
        }
        let known = documents.map(\.0) + runs.map(\.0)
        let family = known.filter { $0.hasPrefix((code.split(separator: ".").first.map(String.init) ?? code) + ".") }
        let close = Suggestion.nearest(to: code, in: known).map { [$0] } ?? family
        throw CommandError(
            description: "unknown code \"\(code)\"" + (close.isEmpty ? "; run `baton explain` for the list"
                : "; did you mean " + close.joined(separator: ", ") + "?"),
            exitCode: .validationFailure)
    }
}
