import Foundation
import WorkflowModel

/// What every page shows around its content: the title, the navigation, the form token and a notice.
public struct PageFrame: Sendable {
    public enum Section: String, Sendable { case workflows, compose, runs, deadLetters, signIn }

    public var title: String
    public var section: Section
    /// The token every form carries; nil on the sign-in page.
    public var csrf: String?
    /// A one-line notice at the top (what the last action did, or why it was refused).
    public var notice: String?
    public var noticeIsError = false
    /// Seconds after which the page reloads itself when scripts are off (a composition in progress).
    public var refreshSeconds: Int?

    // Stored, not computed: templates read a value's stored properties only.
    var signedIn: Bool
    var inWorkflows: Bool
    var inCompose: Bool
    var inRuns: Bool
    var inDeadLetters: Bool

    public init(title: String, section: Section, csrf: String?, notice: String? = nil, noticeIsError: Bool = false) {
        self.title = title
        self.section = section
        self.csrf = csrf
        self.notice = notice
        self.noticeIsError = noticeIsError
        signedIn = csrf != nil
        inWorkflows = section == .workflows
        inCompose = section == .compose
        inRuns = section == .runs
        inDeadLetters = section == .deadLetters
    }
}

/// A link with a label, marked when it is the current page (filters, tabs).
struct Link: Sendable {
    var label: String
    var href: String
    var current = false
}

/// Dates as pages show them: UTC, to the second.
enum PageDate {
    static func text(_ date: Date?) -> String? {
        guard let date else { return nil }
        let text = ISO8601Text.format(date)
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}

extension Link: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "label": label
        case "href": href
        case "current": current
        default: nil
        }
    }
}

extension PageFrame: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "title": title
        case "section": section.rawValue
        case "csrf": present(csrf)
        case "notice": present(notice)
        case "noticeIsError": noticeIsError
        case "refreshSeconds": present(refreshSeconds)
        case "signedIn": signedIn
        case "inWorkflows": inWorkflows
        case "inCompose": inCompose
        case "inRuns": inRuns
        case "inDeadLetters": inDeadLetters
        default: nil
        }
    }
}
