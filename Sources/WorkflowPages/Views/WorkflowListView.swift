import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService

/// The workflows page: each workflow's state, live version, trigger and last run, filtered by state.
public struct WorkflowListView: Sendable {
    struct Row: Sendable {
        var id: Int64
        var name: String
        var description: String?
        var state: String
        var live: String?
        var trigger: String
        var webhookURL: String?
        var nextFire: String?
        var lastRun: RunLink?
    }

    var frame: PageFrame
    var filters: [Link]
    var rows: [Row]
    var empty: Bool

    public init(frame: PageFrame, state: LifecycleState?, entries: [WorkflowService.Overview]) {
        self.frame = frame
        filters = [Link(label: "all", href: "/workflows", current: state == nil)]
            + LifecycleState.allCases.map { Link(label: $0.rawValue, href: "/workflows?state=\($0.rawValue)", current: $0 == state) }
        rows = entries.map { entry in
            Row(
                id: entry.summary.id, name: entry.summary.name, description: entry.summary.description, state: entry.summary.state.rawValue,
                live: entry.summary.activeVersion.map { "v\($0)" }, trigger: entry.trigger.map(Self.trigger) ?? "",
                webhookURL: entry.trigger.flatMap(Self.webhookURL), nextFire: PageDate.text(entry.nextFire), lastRun: entry.lastRun.map(RunLink.init))
        }
        empty = rows.isEmpty
    }

    static func trigger(_ trigger: Trigger) -> String {
        switch trigger.kind {
        case .schedule: "schedule " + (trigger.cron ?? "") + (trigger.timezone.map { " (\($0))" } ?? "")
        case .event: "event " + (trigger.event ?? "")
        case .webhook: "webhook"
        case .manual: "manual"
        }
    }

    /// Where deliveries for a webhook trigger go on this server.
    static func webhookURL(_ trigger: Trigger) -> String? {
        guard trigger.kind == .webhook, let path = trigger.path else { return nil }
        return "/hooks/" + path.drop { $0 == "/" }
    }
}

/// A run as a link with its status, for lists.
struct RunLink: Sendable {
    var id: String
    var status: String
    var created: String
    var workflow: String
    var workflowID: Int64
    var version: Int
    var duration: String?

    init(_ run: RunRecord) {
        id = run.id
        status = run.status.rawValue
        created = PageDate.text(run.createdAt) ?? ""
        workflow = run.workflowName
        workflowID = run.workflowID
        version = run.version
        duration = run.duration.map(Duration.text)
    }
}

extension RunLink: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "id": id
        case "status": status
        case "created": created
        case "workflow": workflow
        case "workflowID": workflowID
        case "version": version
        case "duration": present(duration)
        default: nil
        }
    }
}

extension WorkflowListView.Row: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "id": id
        case "name": name
        case "description": present(description)
        case "state": state
        case "live": present(live)
        case "trigger": trigger
        case "webhookURL": present(webhookURL)
        case "nextFire": present(nextFire)
        case "lastRun": present(lastRun)
        default: nil
        }
    }
}

extension WorkflowListView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "filters": filters
        case "rows": rows
        case "empty": empty
        default: nil
        }
    }
}
