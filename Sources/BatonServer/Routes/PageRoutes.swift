import Foundation
import HTTPTypes
import Hummingbird
import WorkflowCatalog
import WorkflowEngine
import WorkflowModel
import WorkflowPages
import WorkflowRepository
import WorkflowService

/// The web pages, read side: workflows, a workflow, runs, a run, dead letters, compose and compositions. Each reads
/// through `WorkflowService` and renders with `PageRenderer`; what forms change is in `PageActions`.
struct PageRoutes {
    let server: BatonServer
    let pages: PageRenderer
    var service: WorkflowService { server.service }

    /// What a finished action says on the page it lands on (`?done=`): fixed sentences, never text from the address.
    static let notices = [
        "activated": "Activated.", "paused": "Paused: nothing of it is live until you resume it.", "resumed": "Resumed.",
        "archived": "Archived.", "cancelled": "The run was cancelled.", "approved": "Approved: the run goes on.",
        "rejected": "Rejected: the run goes on with the rejection.", "replayed": "A replay started.", "started": "The run started.", "composed": "The model's draft was saved.",
        "signed-out": "Signed out.",
    ]

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("/") { _, _ in PageResponse.redirect("/workflows") }
        group.get("workflows") { request, _ in
            let state = try request.query("state").map { text in
                guard let state = LifecycleState(rawValue: text) else { throw PageError(.badRequest, "No such state", "\(text) is not a workflow state.") }
                return state
            }
            let entries = try await service.overview(state: state)
            return PageResponse.html(pages.render(WorkflowListView(frame: frame("Workflows", .workflows, request), state: state, entries: entries)))
        }
        group.get("workflows/:id") { request, context in
            let content = try await workflowContent(try context.parameters.require("id"), request: request)
            return PageResponse.html(pages.render(WorkflowView(frame: frame(content.summary.name, .workflows, request), content: content)))
        }
        group.get("workflows/:id/versions/:number/yaml") { _, context in
            let (_, _, document) = try await service.version(try context.parameters.require("id"), number: try context.parameters.require("number", as: Int.self))
            return JSONBody.text(YAMLDocument.render(document), contentType: "text/plain; charset=utf-8")
        }
        group.get("runs") { request, _ in
            let statuses = try request.query("status").map { text in
                try Set(text.split(separator: ",").map { part in
                    guard let status = RunStatus(rawValue: String(part)) else { throw PageError(.badRequest, "No such status", "\(part) is not a run status.") }
                    return status
                })
            }
            let runs = try await service.runs(workflow: request.query("workflow"), statuses: statuses, limit: 200)
            let view = RunListView(frame: frame("Runs", .runs, request), statuses: statuses, workflow: request.query("workflow"), runs: runs, deadLetters: false)
            return PageResponse.html(pages.render(view))
        }
        group.get("dead-letters") { request, _ in
            let runs = try await service.deadLetters(workflow: request.query("workflow"), limit: 200)
            let view = RunListView(frame: frame("Dead letters", .deadLetters, request), statuses: nil, workflow: nil, runs: runs, deadLetters: true)
            return PageResponse.html(pages.render(view))
        }
        group.get("runs/:run") { request, context in
            let (run, steps, waits) = try await service.detail(try context.parameters.require("run"))
            return PageResponse.html(pages.render(RunView(frame: frame("Run \(run.id)", .runs, request), run: run, steps: steps, waits: waits)))
        }
        group.get("compose") { request, _ in
            let recent = try await service.repository.recentCompositions(limit: 10)
            let model = server.compositions.configured ? "the model this server is configured with" : nil
            return PageResponse.html(pages.render(ComposeView(frame: frame("Compose", .compose, request), model: model, recent: recent)))
        }
        group.get("compositions/:id") { request, context in
            let id = try context.parameters.require("id")
            let progress: CompositionView.Progress
            if let job = await server.compositions.view(id) {
                if let saved = job.saved { return PageResponse.redirect(Self.draftPage(saved)) }
                progress = CompositionView.Progress(
                    id: job.id, state: job.state.rawValue, request: job.request, revising: job.revising, startedAt: job.startedAt,
                    events: job.events.map(Self.line), record: job.composition, error: job.error)
            } else {
                let record = try await service.repository.composition(id: id)
                if let workflow = record.workflowID, let version = record.version {
                    return PageResponse.redirect("/workflows/\(workflow)?version=\(version)")
                }
                progress = CompositionView.Progress(
                    id: record.id, state: record.outcome.rawValue, request: record.request, revising: nil, startedAt: record.startedAt,
                    events: [], record: record, error: record.error)
            }
            return PageResponse.html(pages.render(CompositionView(frame: frame("Composition", .compose, request), progress: progress)))
        }
        group.get("compositions/:id/events") { _, context in
            try await CompositionRoutes.events(of: try context.parameters.require("id"), in: server.compositions)
        }
    }

    /// Where a saved draft is shown: its version, with the diff from the one before when it revised one.
    static func draftPage(_ saved: WorkflowVersion) -> String {
        "/workflows/\(saved.workflowID)?version=\(saved.number)&done=composed"
    }

    /// One progress event as a line: `asking (round 1)`, `answered (round 1, 412 tokens)`, `finished: rejected`.
    static func line(_ event: JSONValue) -> String {
        var text = event["event"]?.stringValue ?? "progress"
        func number(_ key: String) -> Double? { if case .number(let n)? = event[key] { n } else { nil } }
        if let round = number("round") {
            var details = ["round \(Int(round))"]
            if let tokens = number("tokens") ?? number("completionTokens") { details.append("\(Int(tokens)) tokens") }
            if let rate = number("tokensPerSecond") { details.append(String(format: "%.1f tokens/s", rate)) }
            text += " (" + details.joined(separator: ", ") + ")"
        }
        if let outcome = event["outcome"]?.stringValue { text += ": " + outcome }
        if let state = event["state"]?.stringValue { text += ": " + state }
        return text
    }

    func frame(_ title: String, _ section: PageFrame.Section, _ request: Request) -> PageFrame {
        let notice = request.query("done").flatMap { Self.notices[$0] }
        return PageFrame(title: title, section: section, csrf: PageSession.current?.formToken, notice: notice)
    }

    /// Everything a workflow's page shows, for the version asked for (the latest by default) and, by default, its diff
    /// from the version before.
    func workflowContent(_ reference: String, request: Request) async throws -> WorkflowView.Content {
        let (summary, shown, document) = try await service.version(reference, number: try request.intQuery("version"))
        let versions = try await service.repository.versions(workflowID: summary.id)
        let id = String(summary.id)
        var diff: (diff: WorkflowDiff, from: Int, to: Int)?
        if let from = try request.intQuery("from"), let to = try request.intQuery("to") {
            diff = try await service.diff(id, from: from, to: to)
        } else if shown.number > 1 {
            diff = try await service.diff(id, from: shown.number - 1, to: shown.number)
        }
        let validation = service.validate(document)
        return WorkflowView.Content(
            summary: summary, versions: versions, shown: shown, document: document, diagnostics: validation.diagnostics, diff: diff,
            compositions: try await service.repository.compositions(workflowID: summary.id), runs: try await service.runs(workflow: id, limit: 10),
            nextFire: try await service.schedules(now: Date()).first { $0.summary.id == summary.id }?.nextFire, definition: validation.readDefinition)
    }
}
