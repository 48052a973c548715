import Foundation
import WorkflowEngine

/// The runs page, newest first, filtered by status; dead letters are the same list of failed and compensated runs.
public struct RunListView: Sendable {
    var frame: PageFrame
    var heading: String
    var filters: [Link]
    var runs: [RunLink]
    var deadLetters: Bool
    var empty: Bool

    public init(frame: PageFrame, statuses: Set<RunStatus>?, workflow: String?, runs: [RunRecord], deadLetters: Bool) {
        self.frame = frame
        self.deadLetters = deadLetters
        heading = deadLetters ? "Dead letters" : "Runs"
        let suffix = workflow.map { "&workflow=" + $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? ""
        filters = deadLetters ? [] : [Link(label: "all", href: "/runs" + (suffix.isEmpty ? "" : "?" + suffix.dropFirst()), current: statuses == nil)]
            + RunStatus.allCases.map { status in
                Link(label: status.rawValue, href: "/runs?status=\(status.rawValue)" + suffix, current: statuses == [status])
            }
        self.runs = runs.map(RunLink.init)
        empty = runs.isEmpty
    }
}

extension RunListView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "heading": heading
        case "filters": filters
        case "runs": runs
        case "deadLetters": deadLetters
        case "empty": empty
        default: nil
        }
    }
}
