import Foundation
import HTTPTypes
import Hummingbird
import WorkflowEngine
import WorkflowModel
import WorkflowService

/// `/api/v1/runs` and starting runs: start, list, trace, cancel, signal, replay, dead letters.
struct RunRoutes {
    let server: BatonServer
    var service: WorkflowService { server.service }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.post("workflows/:id/runs") { request, context in
            let body = try await JSONBody.object(of: request)
            let input: JSONObject = switch body["input"] {
            case nil, .null?: JSONObject()
            case .object(let object)?: object
            default: throw Problem.badRequest("\"input\" must be a JSON object of the workflow's inputs")
            }
            let live = try await service.live(try context.parameters.require("id"))
            let key = try body.string("idempotencyKey") ?? request.headers[.idempotencyKey]
            let (run, created) = try await service.start(live, input: input, queue: true, idempotencyKey: key)
            server.begin(run, created: created)
            return try await answer(run, wait: try request.waitDuration(), created: created)
        }
        api.get("runs") { request, _ in
            let statuses = try request.query("status").map { text in
                try Set(text.split(separator: ",").map { part in
                    guard let status = RunStatus(rawValue: String(part)) else {
                        throw Problem.badRequest("status must be among \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \(part)")
                    }
                    return status
                })
            }
            let runs = try await service.runs(workflow: request.query("workflow"), statuses: statuses, limit: try request.intQuery("limit") ?? 50)
            return JSONBody.response(JSONValue.array(runs.map(RunJSON.run)))
        }
        api.get("dead-letters") { request, _ in
            let runs = try await service.deadLetters(workflow: request.query("workflow"), limit: try request.intQuery("limit") ?? 50)
            return JSONBody.response(JSONValue.array(runs.map(RunJSON.run)))
        }
        api.get("runs/:run") { _, context in JSONBody.response(try await service.trace(try context.parameters.require("run"))) }
        api.post("runs/:run/cancel") { _, context in JSONBody.response(RunJSON.run(try await service.cancel(try context.parameters.require("run")))) }
        api.post("runs/:run/signal") { request, context in
            let body = try await JSONBody.object(of: request)
            guard let token = try body.string("token") else { throw Problem.badRequest("\"token\" is required: the wait's token from the run's trace") }
            let resolution = try Self.resolution(body, defaultBy: "api")
            let run = try await service.signal(try context.parameters.require("run"), token: token, resolution: resolution)
            return JSONBody.response(RunJSON.run(run))
        }
        api.post("runs/:run/replay") { request, context in
            let body = try await JSONBody.object(of: request)
            let (run, reused) = try await service.replay(try context.parameters.require("run"), from: try body.string("from"))
            var object = RunJSON.run(run).objectValue ?? JSONObject()
            object["reusedSteps"] = .number(Double(reused))
            return JSONBody.response(JSONValue.object(object), status: .created)
        }
    }

    /// 202 with the run while it goes on; with `wait`, the run once it ends within that time (200).
    private func answer(_ run: RunRecord, wait: Duration?, created: Bool) async throws -> Response {
        var current = run
        if let wait { current = try await service.awaitOutcome(of: run.id, timeout: wait) }
        var object = RunJSON.run(current).objectValue ?? JSONObject()
        if !created { object["duplicate"] = .bool(true) }
        return JSONBody.response(JSONValue.object(object), status: current.status.isTerminal ? .ok : .accepted)
    }

    /// How a body completes a wait: `{"approve": true|false, "data": …, "by": "…"}`; approving is the default.
    static func resolution(_ body: JSONObject, defaultBy: String) throws -> WaitResolution {
        let approved: Bool = switch body["approve"] {
        case nil, .null?: true
        case .bool(let value)?: value
        default: throw Problem.badRequest("\"approve\" must be true or false")
        }
        return WaitResolution(approved: approved, data: body["data"] ?? .null, by: try body.string("by") ?? defaultBy, at: Date())
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
