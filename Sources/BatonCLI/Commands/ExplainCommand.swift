import Foundation
import ArgumentParser
import WorkflowModel

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a diagnostic code, or list them all.",
        discussion: "Examples:\n  baton explain reference.later\n  baton explain          (lists every code)"
    )

    @Argument(help: "A code such as reference.later; leave it out to list every code.")
    var code: String?

    func run() async throws {
        let all = DiagnosticCode.all
        guard let code else {
            let width = all.map(\.code.rawValue.count).max() ?? 0
            for entry in all {
                print(entry.code.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.summary)
            }
            return
        }
        guard let entry = all.first(where: { $0.code.rawValue == code }) else {
            let close = all.filter { $0.code.rawValue.hasPrefix(code.split(separator: ".").first.map(String.init) ?? code) }
            throw CommandError(
                description: "unknown code \"\(code)\"" + (close.isEmpty ? "; run `baton explain` for the list"
                    : "; did you mean " + close.map(\.code.rawValue).joined(separator: ", ") + "?"),
                exitCode: .validationFailure)
        }
        print("\(entry.code): \(entry.summary)")
    }
}
