import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules", abstract: "List active scheduled workflows and when each fires next.",
        discussion: """
            Schedules fire while `baton worker` runs (without --until-idle). Times are shown in UTC and in the \
            trigger's time zone.

            Example: baton schedules --json
            """)

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let service = WorkflowService(repository: try await store.open(), catalog: ConnectorCatalog())
        let now = Date()
        let scheduled = try await serviceCall { try await service.schedules(now: now) }
        if json {
            return RunJSON.print(.array(scheduled.map { item in
                .object(JSONObject([
                    ("workflowId", .number(Double(item.summary.id))), ("workflow", .string(item.summary.name)),
                    ("cron", .string(item.trigger.cron ?? "")), ("timezone", .string(item.trigger.timezone ?? "UTC")),
                    ("nextFire", item.nextFire.map { .string(ISO8601Text.format($0)) } ?? .null),
                ]))
            }))
        }
        guard !scheduled.isEmpty else { return print("no active workflow has a schedule trigger") }
        let rows = scheduled.map { item -> [String] in
            let zone = TimeZone(identifier: item.trigger.timezone ?? "UTC") ?? .gmt
            let local = item.nextFire.map { Self.local($0, in: zone) } ?? "never"
            return [String(item.summary.id), item.summary.name, item.trigger.cron ?? "", item.nextFire.map(ISO8601Text.format) ?? "never",
                    "\(local) \(zone.identifier)"]
        }
        print(Table.render(header: ["ID", "WORKFLOW", "CRON", "NEXT (UTC)", "NEXT (LOCAL)"], rows: rows))
    }

    private static func local(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
