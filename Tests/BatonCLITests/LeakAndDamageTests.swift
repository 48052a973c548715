import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowModel

/// What `baton` prints about runs holds no secret, and a damaged database is named as such.
@Suite struct LeakAndDamageTests {
    static let echoing = #"""
        {"format": 1, "name": "echoes", "steps": [
          {"id": "a", "kind": "call", "connector": "crm", "operation": "getCustomer", "params": {"customerId": "c1"}},
          {"id": "b", "kind": "call", "connector": "email", "operation": "getMessage", "params": {"messageId": "m1"}},
          {"id": "c", "kind": "call", "connector": "erp", "operation": "getOrder", "params": {"orderId": "o1"}},
          {"id": "out", "kind": "transform", "output": {"a": "${a}", "b": "${b}", "c": "${c}"}}
        ]}
        """#

    @Test func aServiceThatEchoesCredentialsLeaksNothingIntoRunTraceOrJSON() async throws {
        try await RunCommandTests.connected { sandbox, server, environment in
            for operation in ["crm.getCustomer", "email.getMessage", "erp.getOrder"] { await server.always(operation, .echo) }
            let file = sandbox.directory.appendingPathComponent("echoes.json")
            try Self.echoing.write(to: file, atomically: true, encoding: .utf8)
            let imported = try await BatonProcess.run(["import", file.path, "--activate"], environment: environment)
            #expect(imported.status == 0, "\(imported.stderr)")

            let run = try await BatonProcess.run(["run", "echoes", "--json"], environment: environment)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            let id = try #require(try JSONParser.parse(run.stdout)["id"]?.stringValue)
            let trace = try await BatonProcess.run(["trace", id, "--verbose"], environment: environment)
            let traceJSON = try await BatonProcess.run(["trace", id, "--json"], environment: environment)
            #expect(traceJSON.status == 0, "\(traceJSON.stderr)")

            let erp = try #require(environment["ERP_PASSWORD"])
            let forms = Fixtures.catalog.connectors.compactMap { $0.auth.secretName.flatMap { environment[$0] } }
                + [Data("baton:\(erp)".utf8).base64EncodedString()]
            #expect(await server.calls().count == 3)
            for (name, output) in [("run --json", run.stdout), ("trace --verbose", trace.stdout), ("trace --json", traceJSON.stdout)] {
                #expect(forms.filter { output.contains($0) } == [], "\(name) prints a secret")
            }
            #expect(run.stdout.contains("[redacted]"))
        }
    }

    @Test func aDamagedDatabaseIsNamedWithTheCheckToRun() throws {
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/lead-routing.json"]).status == 0)
        var data = try Data(contentsOf: URL(fileURLWithPath: sandbox.db))
        data.replaceSubrange(0..<min(data.count, 8192), with: Data(repeating: 0xA5, count: min(data.count, 8192)))
        try data.write(to: URL(fileURLWithPath: sandbox.db))
        let listed = try sandbox.run(["list"])
        #expect(listed.status != 0)
        #expect(listed.stderr.contains("the database \(sandbox.db) is damaged"), "\(listed.stderr)")
        #expect(listed.stderr.contains("PRAGMA integrity_check"))
        #expect(!listed.stderr.contains("SQLite error") && !listed.stderr.contains("SELECT"))
    }
}
