import Foundation
import HTTPTypes
import Hummingbird
import WorkflowModel
import WorkflowService
import WorkflowRepository

/// `/api/v1/compositions`: describe a workflow (or a change to one) in English; follow the model's progress.
struct CompositionRoutes {
    let jobs: CompositionJobs
    let service: WorkflowService

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.post("compositions") { request, _ in
            let body = try await JSONBody.object(of: request)
            guard let text = try body.string("request") else { throw Problem.badRequest("\"request\" is required: the workflow in English") }
            let workflow: String? = switch body["workflow"] {
            case nil, .null?: nil
            case .string(let reference)?: reference
            case .number(let id)?: String(Int64(id))
            default: throw Problem.badRequest("\"workflow\" must be the id or name of the workflow to revise")
            }
            let view = try await jobs.start(text, revising: workflow)
            var response = JSONBody.response(view, status: .accepted)
            response.headers[.location] = "/api/v1/compositions/\(view.id)"
            return response
        }
        api.get("compositions/:id") { _, context in
            let id = try context.parameters.require("id")
            if let view = await jobs.view(id) { return JSONBody.response(view) }
            // A composition from before this process started: its record is in the store.
            return JSONBody.response(try await service.repository.composition(id: id))
        }
        api.get("compositions/:id/events") { _, context in try await Self.events(of: try context.parameters.require("id"), in: jobs) }
    }

    /// A composition's progress as server-sent events: what happened so far, then the rest as it comes.
    static func events(of id: String, in jobs: CompositionJobs) async throws -> Response {
        guard let stream = await jobs.subscribe(id) else {
            throw Problem(.notFound, code: "compose.not-found", "no composition \(id) is running or ran in this process")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await event in stream {
                let name = event["event"]?.stringValue ?? "progress"
                try await writer.write(ByteBuffer(string: "event: \(name)\ndata: \(event.jsonText)\n\n"))
            }
            try await writer.finish(nil)
        })
    }
}
