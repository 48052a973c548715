import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two versions, step by step.",
        discussion: "Without versions: the previous version against the latest.\nExamples:\n  baton diff 3\n  baton diff 3 1 4 --json"
    )

    @Argument(help: "The workflow's id or name.") var workflow: String
    @Argument(help: "The older version.") var from: Int?
    @Argument(help: "The newer version.") var to: Int?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let service = WorkflowService(repository: try await store.open(), catalog: ConnectorCatalog())
        let (diff, older, newer) = try await serviceCall { try await service.diff(workflow, from: from, to: to) }
        if json { return try printJSON(DiffReport(diff, from: older, to: newer)) }
        print(DiffText.render(diff, from: older, to: newer))
    }
}

/// Renders a step-level diff for people and for scripts.
enum DiffText {
    static func render(_ diff: WorkflowDiff, from: Int, to: Int) -> String {
        var lines = ["version \(from) → \(to):"]
        if diff.isEmpty { lines.append("  no changes") }
        for change in diff.changes {
            switch change {
            case .added(let id, let summary): lines.append("  + \(id)  \(summary)  (added)")
            case .removed(let id, let summary): lines.append("  - \(id)  \(summary)  (removed)")
            case .renamed(let old, let new): lines.append("  → \(old) renamed to \(new) (references follow)")
            case .changed(let id, let fields):
                lines.append("  ~ \(id)")
                lines += fields.map { "      \($0.path): \(text($0.old)) → \(text($0.new))" }
            case .workflow(let fields):
                lines.append("  ~ (workflow)")
                lines += fields.map { "      \($0.path): \(text($0.old)) → \(text($0.new))" }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.jsonText
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

}
