import Foundation
import HTTPTypes
import Hummingbird
import WorkflowEngine
import WorkflowModel
import WorkflowService

/// What starts and continues runs from outside: webhooks (`/hooks/…`), callbacks (`/callbacks/{token}`) and
/// events (`/api/v1/events/{name}`). Webhooks and callbacks carry their own secrets, so they need no API token.
struct TriggerRoutes {
    let server: BatonServer
    var service: WorkflowService { server.service }
    var metrics: ServerMetrics { server.metrics }

    func register(on router: Router<BasicRequestContext>) {
        router.post("hooks/**") { request, context in
            let path = "/" + context.parameters.getCatchAll().joined(separator: "/")
            do {
                let response = try await deliver(request, path: path)
                metrics.webhook(status: response.status.code)
                return response
            } catch {
                metrics.webhook(status: Problem.from(error).status)
                throw error
            }
        }
        router.post("callbacks/:token") { request, context in
            let body = try await JSONBody.object(of: request)
            let run = try await service.complete(
                callback: try context.parameters.require("token"), resolution: try RunRoutes.resolution(body, defaultBy: "callback"))
            return JSONBody.response(RunJSON.run(run))
        }
    }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.post("events/:name") { request, context in
            let body = try await JSONBody.object(of: request)
            let started = try await service.publish(
                event: try context.parameters.require("name"), payload: body["payload"] ?? .object(JSONObject()), id: try body.string("id"),
                queue: true)
            for (run, created) in started { server.begin(run, created: created) }
            return JSONBody.response(
                JSONValue.array(started.map { run, created in
                    var object = RunJSON.run(run).objectValue ?? JSONObject()
                    if !created { object["duplicate"] = .bool(true) }
                    return .object(object)
                }),
                status: .accepted)
        }
    }

    /// A webhook delivery: 202 with the run id (the first run's for a redelivery), or with `?wait=` the run once it
    /// ends in time.
    private func deliver(_ request: Request, path: String) async throws -> Response {
        let wait = try request.waitDuration()
        let body: [UInt8]
        do {
            body = try await JSONBody.bytes(of: request, limit: WorkflowService.maxWebhookBytes)
        } catch let problem as Problem where problem.status == 413 {
            throw WebhookRefusal(status: 413, message: "the body is larger than \(WorkflowService.maxWebhookBytes) bytes")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let (run, created) = try await service.deliverWebhook(path: path, headers: headers, body: body, now: Date())
        var current = run
        if let wait {
            server.begin(run, created: created)
            current = try await service.awaitOutcome(of: run.id, timeout: wait)
        }
        var object = JSONObject([("runId", .string(current.id)), ("status", .string(current.status.rawValue))])
        if !created { object["duplicate"] = .bool(true) }
        if let output = current.output, current.status.isTerminal { object["output"] = output }
        if let error = current.error { object["error"] = error.scopeValue }
        return JSONBody.response(JSONValue.object(object), status: current.status.isTerminal ? .ok : .accepted)
    }
}
