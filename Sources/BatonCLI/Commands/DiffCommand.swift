import ArgumentParser
import Foundation
import WorkflowModel
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
        let database = try store.open()
        let summary = try storeCall { try database.workflow(workflow) }
        let newer = to ?? summary.latestVersion
        let older = from ?? max(newer - 1, 1)
        let old = try StoredDefinition.parse(try storeCall { try database.version(workflowID: summary.id, number: older) })
        let new = try StoredDefinition.parse(try storeCall { try database.version(workflowID: summary.id, number: newer) })
        let diff = WorkflowDiff(old: old, new: new)
        if json { return try printJSON(DiffText.json(diff, from: older, to: newer)) }
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

    struct Entry: Encodable {
        var change: String
        var id: String?
        var to: String?
        var summary: String?
        var fields: [Field]?
    }

    struct Field: Encodable {
        var path: String
        var old: String?
        var new: String?
    }

    struct Report: Encodable {
        var from: Int
        var to: Int
        var changes: [Entry]
    }

    static func json(_ diff: WorkflowDiff, from: Int, to: Int) -> Report {
        func fields(_ list: [WorkflowDiff.FieldChange]) -> [Field] {
            list.map { Field(path: $0.path, old: $0.old?.jsonText, new: $0.new?.jsonText) }
        }
        return Report(from: from, to: to, changes: diff.changes.map { change in
            switch change {
            case .added(let id, let summary): Entry(change: "added", id: id, summary: summary)
            case .removed(let id, let summary): Entry(change: "removed", id: id, summary: summary)
            case .renamed(let old, let new): Entry(change: "renamed", id: old, to: new)
            case .changed(let id, let list): Entry(change: "changed", id: id, fields: fields(list))
            case .workflow(let list): Entry(change: "workflow", fields: fields(list))
            }
        })
    }
}
