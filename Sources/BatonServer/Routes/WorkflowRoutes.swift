import Foundation
import HTTPTypes
import Hummingbird
import WorkflowCatalog
import WorkflowModel
import WorkflowService
import WorkflowRepository

/// `/api/v1/workflows`: list, read, import, diff and move through the lifecycle.
struct WorkflowRoutes {
    let service: WorkflowService

    /// A workflow with its versions, without their definitions.
    struct Detail: Encodable {
        struct Version: Encodable {
            var number: Int
            var name: String
            var source: VersionSource
            var compositionId: String?
            var createdAt: Date

            init(_ version: WorkflowVersion) {
                number = version.number
                name = version.name
                source = version.source
                compositionId = version.compositionID
                createdAt = version.createdAt
            }
        }
        var workflow: WorkflowSummary
        var versions: [Version]
    }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("workflows") { request, _ in
            let state = try request.query("state").map { text in
                guard let state = LifecycleState(rawValue: text) else {
                    throw Problem.badRequest("state must be one of \(LifecycleState.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
                }
                return state
            }
            let limit = try request.intQuery("limit") ?? 100
            return JSONBody.response(try await service.repository.listWorkflows(state: state, limit: limit, offset: try request.intQuery("offset") ?? 0))
        }
        api.post("workflows") { request, _ in try await importDocument(request, into: nil) }
        api.post("workflows/:id/versions") { request, context in try await importDocument(request, into: try context.parameters.require("id")) }
        api.get("workflows/:id") { _, context in
            let summary = try await service.repository.workflow(try context.parameters.require("id"))
            return JSONBody.response(Detail(workflow: summary, versions: try await service.repository.versions(workflowID: summary.id).map(Detail.Version.init)))
        }
        api.get("workflows/:id/versions/:number") { request, context in
            let (_, _, document) = try await service.version(try context.parameters.require("id"), number: try context.parameters.require("number", as: Int.self))
            let yaml = request.query("format") == "yaml" || (request.headers[.accept] ?? "").contains("yaml")
            return yaml ? JSONBody.text(YAMLDocument.render(document), contentType: "application/yaml") : JSONBody.response(document)
        }
        api.get("workflows/:id/diff") { request, context in
            let (diff, from, to) = try await service.diff(try context.parameters.require("id"), from: try request.intQuery("from"), to: try request.intQuery("to"))
            return JSONBody.response(DiffReport(diff, from: from, to: to))
        }
        api.post("workflows/:id/activate") { request, context in
            let body = try await JSONBody.object(of: request)
            let version: Int? = switch body["version"] {
            case nil, .null?: nil
            case .number(let n)? where n == n.rounded() && n >= 1: Int(n)
            default: throw Problem.badRequest("\"version\" must be a version number")
            }
            return JSONBody.response(try await service.activate(try context.parameters.require("id"), version: version))
        }
        api.post("workflows/:id/pause") { _, context in JSONBody.response(try await service.pause(try context.parameters.require("id"))) }
        api.post("workflows/:id/resume") { _, context in JSONBody.response(try await service.resume(try context.parameters.require("id"))) }
        api.post("workflows/:id/archive") { _, context in JSONBody.response(try await service.archive(try context.parameters.require("id"))) }
    }

    /// Saves a JSON or YAML document (by `Content-Type`, or `?format=yaml`) as a new workflow or a new version of
    /// one; `?activate=true` makes it live. A document that does not validate is refused with every diagnostic.
    private func importDocument(_ request: Request, into reference: String?) async throws -> Response {
        let bytes = try await JSONBody.bytes(of: request)
        let yaml = request.query("format") == "yaml" || (request.headers[.contentType] ?? "").contains("yaml")
        let result = WorkflowValidator(catalog: service.catalog).validate(bytes: bytes, yaml: yaml)
        guard let workflow = result.validated else {
            throw ServiceError(.invalidDocument, "the document is not a valid workflow; nothing was saved", diagnostics: result.diagnostics)
        }
        let saved = try await service.save(workflow, into: reference, source: .imported, activate: request.query("activate") == "true")
        return JSONBody.response(Detail(workflow: saved.summary, versions: [Detail.Version(saved.version)]), status: .created)
    }
}
