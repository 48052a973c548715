import BatonServer
import Foundation
import Hummingbird
import NIOHTTP1
import Testing
import WorkflowModel

/// The OpenAPI description and the routes agree: every route is described, and every described operation exists.
@Suite struct APIDescriptionTests {
    @Test func everyRouteIsDescribedAndEveryDescribedOperationIsARoute() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let answer = try await harness.request(.GET, "/api/v1/openapi.json", authorized: false)
        #expect(answer.status == 200)
        let document = try #require(answer.json)
        #expect(document["openapi"] == .string("3.1.0"))
        var described: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? JSONObject() {
            for (method, _) in item.objectValue ?? JSONObject() { described.insert("\(method.uppercased()) \(path)") }
        }
        // The web pages (HTML at /workflows, /runs, /sign-in ...) are not part of the API.
        let machineRoutes = harness.server.router().routes.filter { route in
            ["api", "hooks", "callbacks", "healthz", "readyz", "metrics"].contains(route.path.description.split(separator: "/").first.map(String.init) ?? "")
        }
        let routed = Set(machineRoutes.map { route in
            // Hummingbird writes parameters as :name and the catch-all as **; OpenAPI as {name}.
            let path = route.path.description.split(separator: "/").map { part -> String in
                if part == "**" { return "{path}" }
                return part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        #expect(routed == described, "only routed: \(routed.subtracting(described).sorted()); only described: \(described.subtracting(routed).sorted())")
        #expect(routed.count >= 25)
    }
}
