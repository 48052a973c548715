import BatonTestSupport
import Foundation
import Mustache
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
@testable import WorkflowPages
import WorkflowService

/// Templates read views through `child(named:)`: every stored field of every view must be readable that way, or a
/// page would silently leave it out.
@Suite struct TemplateValueTests {
    /// Every stored property of `value` (and of the values in its arrays and optionals) answers `child(named:)`.
    static func unreadable(in value: Any, path: String = "") -> [String] {
        var missing: [String] = []
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .struct else { return [] }
        guard let parent = value as? MustacheParent else { return [path.isEmpty ? "\(type(of: value))" : path] }
        for child in mirror.children {
            guard let label = child.label else { continue }
            // What the template reads must be the field itself (an absent optional reads as false).
            let field = Mirror(reflecting: child.value).displayStyle == .optional
                ? (Mirror(reflecting: child.value).children.first?.value ?? false) : child.value
            if let read = parent.child(named: label) {
                if String(describing: read) != String(describing: field) { missing.append("\(type(of: value)).\(label) reads \(read)") }
            } else {
                missing.append("\(type(of: value)).\(label)")
            }
            let inner = Mirror(reflecting: child.value)
            switch inner.displayStyle {
            case .collection?: for element in inner.children { missing += unreadable(in: element.value, path: "\(path).\(label)[]") }
            case .optional?: if let some = inner.children.first { missing += unreadable(in: some.value, path: "\(path).\(label)") }
            case .struct?: missing += unreadable(in: child.value, path: "\(path).\(label)")
            default: break
            }
        }
        return missing
    }

    @Test func everyFieldOfEveryViewIsReadableByTheTemplates() throws {
        let frame = PageFrame(title: "t", section: .runs, csrf: "x", notice: "n")
        let start = Date()
        let run = RunRecord(
            id: "r", workflowID: 1, workflowName: "w", version: 1, status: .failed, input: .object(JSONObject()), output: .null,
            error: RunError(step: "a", code: "c", message: "m"), createdAt: start, endedAt: start, replayOf: "q")
        let step = StepRecord(
            runID: "r", key: "a", stepID: "a", kind: "call", status: .failed, attempts: 2, input: .null, output: .null,
            error: RunError(step: "a", code: "c", message: "m"), startedAt: start, endedAt: start, sequence: 1, compensates: "b")
        let wait = WaitRecord(
            runID: "r", key: "w", stepID: "w", kind: .approval, token: "t", createdAt: start, deadline: start, message: "m",
            resolution: WaitResolution(approved: true, by: "me", at: start))
        #expect(Self.unreadable(in: RunView(frame: frame, run: run, steps: [step], waits: [wait])) == [])
        #expect(Self.unreadable(in: RunListView(frame: frame, statuses: nil, workflow: nil, runs: [run], deadLetters: false)) == [])

        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, "travel-booking-saga.json"), as: UTF8.self)
        let document = try JSONParser.parse(text)
        let summary = WorkflowSummary(id: 1, name: "w", description: "d", state: .active, latestVersion: 1, activeVersion: 1, createdAt: start, updatedAt: start)
        let version = WorkflowVersion(workflowID: 1, number: 1, definition: text, name: "w", description: "d", source: .composed, compositionID: "c", createdAt: start)
        var record = CompositionRecord(kind: .compose, request: "r", provider: "p", model: "m", endpoint: "e", startedAt: start, error: "e", version: 1)
        record.rounds = [CompositionRecord.Round(number: 1, messages: [], rawOutput: "", repairs: ["fences"], diagnostics: [], durationMs: 1)]
        let diagnostic = Diagnostic(.fieldValue, at: "/steps/0", "m", hint: "h")
        let content = WorkflowView.Content(
            summary: summary, versions: [version], shown: version, document: document, diagnostics: [diagnostic],
            diff: (WorkflowDiff(old: document, new: document), 1, 1), compositions: [record], runs: [run], nextFire: start)
        #expect(Self.unreadable(in: WorkflowView(frame: frame, content: content)) == [])
        let entry = WorkflowService.Overview(summary: summary, trigger: WorkflowDefinition(reading: document).trigger, nextFire: start, lastRun: run)
        #expect(Self.unreadable(in: WorkflowListView(frame: frame, state: nil, entries: [entry])) == [])
        #expect(Self.unreadable(in: ComposeView(frame: frame, model: "m", recent: [record])) == [])
        let progress = CompositionView.Progress(id: "c", state: "running", request: "r", revising: 1, startedAt: start, events: ["e"], record: record, error: "e")
        #expect(Self.unreadable(in: CompositionView(frame: frame, progress: progress)) == [])
        #expect(Self.unreadable(in: SignInView(notice: "n", next: "/")) == [])
        #expect(Self.unreadable(in: MessageView(frame: frame, heading: "h", detail: "d", back: "/")) == [])
    }
}
