import Foundation
import WorkflowEngine
import WorkflowModel

/// A run's page: its timeline, each step's input, output and error (as recorded, secrets redacted), the waits, and
/// what can be done now: approve or reject a waiting approval, cancel, replay a dead letter from a step.
public struct RunView: Sendable {
    struct StepRow: Sendable {
        var key: String
        var stepID: String
        var kind: String
        var status: String
        var attempts: Int
        var started: String
        var duration: String
        var undoes: String?
        var undone: Bool
        var inputHTML: String?
        var outputHTML: String?
        var error: String?
    }

    struct WaitRow: Sendable {
        var key: String
        var kind: String
        var message: String?
        var deadline: String?
        var resolved: String?
        var open: Bool
        var approval: Bool
    }

    var frame: PageFrame
    var id: String
    var workflow: String
    var workflowID: Int64
    var version: Int
    var status: String
    var terminal: Bool
    var created: String
    var ended: String?
    var duration: String?
    var error: String?
    var inputHTML: String
    var outputHTML: String?
    var replayOf: String?
    var timeline: String
    var steps: [StepRow]
    /// The steps' details, drawn by `StepList` (a run may have thousands).
    var stepsHTML: String
    var waits: [WaitRow]
    var hasWaits: Bool
    var openApprovals: [WaitRow]
    var canCancel: Bool
    var canReplay: Bool
    var replaySteps: [String]

    public init(frame: PageFrame, run: RunRecord, steps: [StepRecord], waits: [WaitRecord], now: Date = Date()) {
        var frame = frame
        // A run going on is followed by reloading; one waiting for a person is not (the form would be lost).
        if [.pending, .running, .compensating].contains(run.status) { frame.refreshSeconds = 2 }
        self.frame = frame
        id = run.id
        workflow = run.workflowName
        workflowID = run.workflowID
        version = run.version
        status = run.status.rawValue
        terminal = run.status.isTerminal
        created = PageDate.text(run.createdAt) ?? ""
        ended = PageDate.text(run.endedAt)
        duration = run.duration.map(Duration.text)
        error = run.error?.description
        inputHTML = HTML.escape(run.input.prettyJSON())
        outputHTML = run.output.map { HTML.escape($0.prettyJSON()) }
        replayOf = run.replayOf
        timeline = RunTimeline.render(run: run, steps: steps, waits: waits, now: now)
        let undone = StepRecord.undone(in: steps)
        self.steps = steps.sorted { $0.sequence < $1.sequence }.map { step in
            StepRow(
                key: step.key, stepID: step.stepID, kind: step.kind, status: step.status.rawValue, attempts: step.attempts,
                started: PageDate.text(step.startedAt) ?? "", duration: Duration.text(step.endedAt.timeIntervalSince(step.startedAt)),
                undoes: step.compensates, undone: undone.contains(step.key), inputHTML: step.input.map { HTML.escape($0.prettyJSON()) },
                outputHTML: step.output.map { HTML.escape($0.prettyJSON()) },
                error: step.error?.description)
        }
        stepsHTML = StepList.render(self.steps)
        self.waits = waits.map { wait in
            let resolution = wait.resolution.map { r in
                (r.approved ? "approved" : "rejected") + (r.by.map { " by \($0)" } ?? "") + " at " + (PageDate.text(r.at) ?? "")
            }
            return WaitRow(
                key: wait.key, kind: wait.kind.rawValue, message: wait.message, deadline: PageDate.text(wait.deadline), resolved: resolution,
                open: wait.resolution == nil && run.status == .waiting, approval: wait.kind == .approval)
        }
        hasWaits = !waits.isEmpty
        openApprovals = self.waits.filter { $0.open && $0.approval }
        canCancel = !run.status.isTerminal
        canReplay = run.status == .failed || run.status == .compensated
        var seen = Set<String>()
        replaySteps = steps.sorted { $0.sequence < $1.sequence }.compactMap { $0.compensates == nil && seen.insert($0.stepID).inserted ? $0.stepID : nil }
    }
}

extension RunView.StepRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "key": key
        case "stepID": stepID
        case "kind": kind
        case "status": status
        case "attempts": attempts
        case "started": started
        case "duration": duration
        case "undoes": present(undoes)
        case "undone": undone
        case "inputHTML": present(inputHTML)
        case "outputHTML": present(outputHTML)
        case "error": present(error)
        default: nil
        }
    }
}

extension RunView.WaitRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "key": key
        case "kind": kind
        case "message": present(message)
        case "deadline": present(deadline)
        case "resolved": present(resolved)
        case "open": open
        case "approval": approval
        default: nil
        }
    }
}

extension RunView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "id": id
        case "workflow": workflow
        case "workflowID": workflowID
        case "version": version
        case "status": status
        case "terminal": terminal
        case "created": created
        case "ended": present(ended)
        case "duration": present(duration)
        case "error": present(error)
        case "inputHTML": inputHTML
        case "outputHTML": present(outputHTML)
        case "replayOf": present(replayOf)
        case "timeline": timeline
        case "steps": steps
        case "stepsHTML": stepsHTML
        case "waits": waits
        case "hasWaits": hasWaits
        case "openApprovals": openApprovals
        case "canCancel": canCancel
        case "canReplay": canReplay
        case "replaySteps": replaySteps
        default: nil
        }
    }
}
