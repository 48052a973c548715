import Foundation
import HTTPTypes
import Hummingbird
import WorkflowEngine
import WorkflowModel
import WorkflowPages
import WorkflowRepository
import WorkflowService

/// The web pages, write side: the forms. Each calls one `WorkflowService` use case and sends the browser on (303) to
/// the page that shows the result.
struct PageActions {
    let server: BatonServer
    var service: WorkflowService { server.service }

    func register(on group: RouterGroup<BasicRequestContext>) {
        for action in ["activate", "pause", "resume", "archive"] {
            group.post("workflows/:id/\(action)") { request, context in
                var request = request
                let form = try await FormBody.read(&request)
                let id = try context.parameters.require("id")
                let summary = switch action {
                case "activate": try await service.activate(id, version: form["version"].flatMap { Int($0) })
                case "pause": try await service.pause(id)
                case "resume": try await service.resume(id)
                default: try await archive(id, confirmed: form["confirm"] == "yes")
                }
                let past = action == "activate" ? "activated" : action == "pause" ? "paused" : action == "resume" ? "resumed" : "archived"
                return PageResponse.redirect("/workflows/\(summary.id)?done=\(past)")
            }
        }
        group.post("workflows/:id/runs") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            let text = (form["input"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let input: JSONObject
            do {
                guard case .object(let object) = try JSONParser.parse(text.isEmpty ? "{}" : text) else {
                    throw PageError(.badRequest, "Not started", "The input must be a JSON object of the workflow's inputs.")
                }
                input = object
            } catch let error as JSONSyntaxError {
                throw PageError(.badRequest, "Not started", "The input is not JSON: \(error)")
            }
            let live = try await service.live(try context.parameters.require("id"))
            let (run, created) = try await service.start(live, input: input, queue: true)
            server.begin(run, created: created)
            return PageResponse.redirect("/runs/\(run.id)?done=started")
        }
        group.post("compose") { request, _ in
            var request = request
            let form = try await FormBody.read(&request)
            let job = try await server.compositions.start(form["request"] ?? "", revising: nil)
            return PageResponse.redirect("/compositions/\(job.id)")
        }
        group.post("workflows/:id/revise") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            let job = try await server.compositions.start(form["request"] ?? "", revising: try context.parameters.require("id"))
            return PageResponse.redirect("/compositions/\(job.id)")
        }
        group.post("runs/:run/approval") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            guard let key = form["wait"], let decision = form["decision"], decision == "approve" || decision == "reject" else {
                throw PageError(.badRequest, "Nothing was decided", "The form must say which wait it answers and whether it approves or rejects.")
            }
            let comment = form["comment"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            let resolution = WaitResolution(
                approved: decision == "approve", data: comment.map { .object(JSONObject([("comment", .string($0))])) } ?? .null,
                by: PageSession.current.map { "page:" + String($0.formToken.prefix(8)) } ?? "page", at: Date())
            let run = try await service.decide(try context.parameters.require("run"), wait: key, resolution: resolution)
            return PageResponse.redirect("/runs/\(run.id)?done=\(decision == "approve" ? "approved" : "rejected")")
        }
        group.post("runs/:run/cancel") { _, context in
            let run = try await service.cancel(try context.parameters.require("run"))
            return PageResponse.redirect("/runs/\(run.id)?done=cancelled")
        }
        group.post("runs/:run/replay") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            let from = form["from"].flatMap { $0.isEmpty ? nil : $0 }
            let (run, _) = try await service.replay(try context.parameters.require("run"), from: from)
            return PageResponse.redirect("/runs/\(run.id)?done=replayed")
        }
        group.post("sign-out") { request, _ in
            var response = PageResponse.redirect("/sign-in?done=signed-out")
            response.headers[.setCookie] = PageSession.clearCookie(secure: PageSession.overTLS(request))
            return response
        }
    }

    private func archive(_ id: String, confirmed: Bool) async throws -> WorkflowSummary {
        guard confirmed else {
            throw PageError(.badRequest, "Not archived", "Archiving is permanent: tick the box that says you understand, then archive again.")
        }
        return try await service.archive(id)
    }
}
