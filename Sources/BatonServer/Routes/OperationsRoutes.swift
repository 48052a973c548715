import Foundation
import HTTPTypes
import Hummingbird
import WorkflowService
import WorkflowRepository

/// Health, readiness, metrics and the API's own description; open, so probes and scrapers need no token.
struct OperationsRoutes {
    let service: WorkflowService
    let metrics: ServerMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in JSONBody.response(["status": "ok"]) }
        router.get("readyz") { _, _ in
            do {
                _ = try await service.repository.runCounts()
                return JSONBody.response(["status": "ready"])
            } catch {
                throw Problem(.serviceUnavailable, code: "not-ready", "the database cannot be read: \(error)")
            }
        }
        router.get("metrics") { _, _ in
            JSONBody.text(metrics.exposition(runsByStatus: try await service.repository.runCounts()), contentType: "text/plain; version=0.0.4")
        }
        router.get("api/v1/openapi.json") { _, _ in
            JSONBody.text(try OpenAPIDescription.text(), contentType: "application/json")
        }
    }
}

/// The API's OpenAPI 3.1 description, bundled with Baton.
enum OpenAPIDescription {
    static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw Problem(.internalServerError, code: "internal", "the bundled OpenAPI description is missing")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
