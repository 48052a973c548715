import ArgumentParser
import Foundation
import WorkflowRepository
import WorkflowStore

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List workflows, most recently changed first.",
        discussion: "Examples:\n  baton list\n  baton list --state active --json"
    )

    @Option(help: ArgumentHelp("Only workflows in this state: draft, active, paused or archived.", valueName: "state"))
    var state: LifecycleState?

    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try await store.open()
        let workflows = try await serviceCall { try await database.listWorkflows(state: state, limit: limit) }
        if json { return try printJSON(workflows) }
        guard !workflows.isEmpty else {
            print(state == nil ? "no workflows yet: try baton compose \"...\" or baton demo" : "no \(state!.rawValue) workflows")
            return
        }
        let rows = workflows.map { w in
            [String(w.id), w.state.rawValue, "v\(w.latestVersion)" + (w.activeVersion.map { $0 == w.latestVersion ? "" : " (live v\($0))" } ?? ""),
             Self.date(w.updatedAt), w.name]
        }
        print(Table.render(header: ["ID", "STATE", "VERSION", "UPDATED", "NAME"], rows: rows))
        let total = try await serviceCall { try await database.countWorkflows(state: state) }
        if total > workflows.count { print("(\(workflows.count) of \(total); --limit to see more)") }
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = .current
        return formatter.string(from: date)
    }
}

extension LifecycleState: ExpressibleByArgument {}

/// Plain text tables with aligned columns.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            String(row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
