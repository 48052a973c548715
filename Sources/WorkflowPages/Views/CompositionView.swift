import Foundation
import WorkflowModel

/// The compose form, and a composition's page: its progress while the model works, its report when it did not
/// end in a draft.
public struct ComposeView: Sendable {
    var frame: PageFrame
    var modelConfigured: Bool
    var model: String?
    var request: String
    var recent: [WorkflowView.CompositionRow]

    public init(frame: PageFrame, model: String?, request: String = "", recent: [CompositionRecord]) {
        self.frame = frame
        modelConfigured = model != nil
        self.model = model
        self.request = request
        self.recent = recent.map(WorkflowView.composition)
    }
}

public struct CompositionView: Sendable {
    /// A composition as the page follows it.
    public struct Progress: Sendable {
        public var id: String
        public var state: String
        public var request: String
        public var revising: Int64?
        public var startedAt: Date
        /// Each event so far in one line: `asking (round 1)`, `answered (round 1, 412 tokens)`.
        public var events: [String]
        public var record: CompositionRecord?
        public var error: String?

        public init(
            id: String, state: String, request: String, revising: Int64?, startedAt: Date, events: [String], record: CompositionRecord?,
            error: String?
        ) {
            self.id = id
            self.state = state
            self.request = request
            self.revising = revising
            self.startedAt = startedAt
            self.events = events
            self.record = record
            self.error = error
        }
    }

    var frame: PageFrame
    var id: String
    var state: String
    var running: Bool
    var request: String
    var revising: Int64?
    var started: String
    var events: [String]
    var error: String?
    var report: WorkflowView.CompositionRow?

    public init(frame: PageFrame, progress: Progress) {
        var frame = frame
        running = progress.state == "running"
        if running { frame.refreshSeconds = 3 }
        self.frame = frame
        id = progress.id
        state = progress.state
        request = progress.request
        revising = progress.revising
        started = PageDate.text(progress.startedAt) ?? ""
        events = progress.events
        error = progress.error
        report = progress.record.map(WorkflowView.composition)
    }
}

public struct SignInView: Sendable {
    var frame: PageFrame
    var next: String
    public var nextPath: String { next }

    public init(notice: String? = nil, isError: Bool = true, next: String) {
        frame = PageFrame(title: "Sign in", section: .signIn, csrf: nil, notice: notice, noticeIsError: isError)
        self.next = next
    }
}

extension ComposeView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "modelConfigured": modelConfigured
        case "model": present(model)
        case "request": request
        case "recent": recent
        default: nil
        }
    }
}

extension CompositionView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "id": id
        case "state": state
        case "running": running
        case "request": request
        case "revising": present(revising)
        case "started": started
        case "events": events
        case "error": present(error)
        case "report": present(report)
        default: nil
        }
    }
}

extension SignInView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "next": next
        default: nil
        }
    }
}
