import BatonTestSupport
import Foundation
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowPages
import WorkflowRepository

/// The pages as HTML, without a server: what the templates put where, the diff marks on the graph, the timeline.
@Suite struct PageRenderingTests {
    let pages: PageRenderer
    let frame = PageFrame(title: "t", section: .workflows, csrf: "form-token")

    init() throws { pages = try PageRenderer() }

    static func document(_ name: String) throws -> JSONValue {
        try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.validDefinitions, name), as: UTF8.self))
    }

    @Test func aRevisionMarksWhatItAddedChangedAndRenamedOnTheGraph() throws {
        let old = try Self.document("customer-onboarding.json")
        guard case .object(var object) = old, case .array(var steps)? = object["steps"], case .object(var first) = steps[0] else {
            Issue.record("unexpected fixture shape")
            return
        }
        let firstID = try #require(first["id"]?.stringValue)
        first["id"] = .string("renamed_first")
        steps[0] = .object(first)
        steps.append(.object(JSONObject([("id", .string("added_step")), ("kind", .string("transform")), ("output", .object(JSONObject([("x", .number(1))])))])))
        object["steps"] = .array(steps)
        let new = JSONValue.object(object)
        let summary = WorkflowSummary(
            id: 7, name: "customer-onboarding", description: nil, state: .draft, latestVersion: 2, activeVersion: nil, createdAt: Date(), updatedAt: Date())
        let version = WorkflowVersion(
            workflowID: 7, number: 2, definition: new.jsonText, name: "customer-onboarding", description: nil, source: .edited, compositionID: nil,
            createdAt: Date())
        let content = WorkflowView.Content(
            summary: summary, versions: [version], shown: version, document: new, diagnostics: [], diff: (WorkflowDiff(old: old, new: new), 1, 2),
            compositions: [], runs: [], nextFire: nil)
        let html = pages.render(WorkflowView(frame: frame, content: content))
        #expect(html.contains(#"class="node kind-transform added" data-node-id="added_step""#))
        #expect(html.contains(#"data-node-id="renamed_first""#) && html.contains("renamed"))
        #expect(html.contains("was \(firstID)"))
        #expect(html.contains(#"<input type="hidden" name="csrf" value="form-token">"#))
        #expect(html.contains("Activate version 2"))
    }

    @Test func aDiagnosticOutlinesTheNodeItPointsAt() throws {
        let document = try JSONParser.parse("""
            {"format": 1, "name": "drift", "trigger": {"type": "manual"}, "steps": [
              {"id": "ok", "kind": "transform", "output": {"x": 1}},
              {"id": "gone", "kind": "call", "connector": "retired", "operation": "ping"}]}
            """)
        let diagnostics = WorkflowValidator(catalog: Fixtures.catalog).validate(document: document).diagnostics
        #expect(!diagnostics.isEmpty)
        let summary = WorkflowSummary(id: 1, name: "drift", description: nil, state: .active, latestVersion: 1, activeVersion: 1, createdAt: Date(), updatedAt: Date())
        let version = WorkflowVersion(workflowID: 1, number: 1, definition: document.jsonText, name: "drift", description: nil, source: .imported, compositionID: nil, createdAt: Date())
        let content = WorkflowView.Content(
            summary: summary, versions: [version], shown: version, document: document, diagnostics: diagnostics, diff: nil, compositions: [], runs: [], nextFire: nil)
        let html = pages.render(WorkflowView(frame: frame, content: content))
        #expect(html.contains(#"class="node kind-call invalid" data-node-id="gone""#))
        #expect(html.contains(##"(<a href="#node-gone">gone</a>)"##))
        #expect(!html.contains("Activate version"), "an invalid version offers no activation")
    }

    @Test func aRunGoingOnReloadsItsPageAndAWaitingOneDoesNot() {
        func html(_ status: RunStatus) -> String {
            let run = RunRecord(id: "r", workflowID: 1, workflowName: "w", version: 1, status: status, input: .object(JSONObject()), createdAt: Date())
            return pages.render(RunView(frame: frame, run: run, steps: [], waits: []))
        }
        #expect(html(.running).contains(#"<body data-refresh="2">"#))
        #expect(html(.running).contains(#"<noscript><meta http-equiv="refresh" content="2"></noscript>"#))
        for status in [RunStatus.waiting, .completed, .failed] {
            #expect(!html(status).contains("data-refresh") && !html(status).contains("http-equiv"), "\(status)")
        }
    }

    @Test func theTimelineHasARowPerStepAndPerOpenWaitAndMarksWhatWasUndone() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let run = RunRecord(id: "r1", workflowID: 1, workflowName: "saga", version: 1, status: .waiting, input: .object(JSONObject()), createdAt: start)
        func step(_ key: String, _ status: StepStatus, at offset: Double, attempts: Int = 1, compensates: String? = nil, sequence: Int) -> StepRecord {
            StepRecord(
                runID: "r1", key: key, stepID: key, kind: "call", status: status, attempts: attempts, input: nil, output: nil, error: nil,
                startedAt: start.addingTimeInterval(offset), endedAt: start.addingTimeInterval(offset + 1), sequence: sequence, compensates: compensates)
        }
        let steps = [
            step("book", .succeeded, at: 0, sequence: 1), step("charge", .failed, at: 1, attempts: 3, sequence: 2),
            step("cancel_book", .compensated, at: 2, compensates: "book", sequence: 3),
        ]
        let wait = WaitRecord(runID: "r1", key: "approve", stepID: "approve", kind: .approval, token: "secret-token", createdAt: start.addingTimeInterval(3), deadline: nil)
        let svg = RunTimeline.render(run: run, steps: steps, waits: [wait], now: start.addingTimeInterval(10))
        #expect(svg.components(separatedBy: "<g class=\"row").count - 1 == 4)
        #expect(svg.contains(#"class="row status-succeeded undone" data-step-key="book""#))
        #expect(svg.contains(#"class="row status-compensated compensation" data-step-key="cancel_book""#))
        #expect(svg.contains("3 attempts"))
        #expect(svg.contains(#"class="row waiting" data-step-key="approve""#))
        #expect(!svg.contains("secret-token"))
    }
}
