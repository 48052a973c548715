import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
import WorkflowStore

/// What a new user tripped over on the command line: databases made by reading commands, a validator with another
/// catalog than import's, revisions that replace a workflow, no way to save an edited file, unhelpful help.
@Suite struct CommandLineDefectTests {
    typealias Sandbox = ComposeCommandTests.Sandbox

    @Test(arguments: [["list"], ["show", "1"], ["runs"], ["dead-letters"], ["trace", "RUN"], ["history", "1"], ["activate", "1"]])
    func readingCommandsDoNotCreateADatabase(_ command: [String]) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let db = sandbox.directory.appendingPathComponent("missing/dir/x.sqlite").path
        let result = try sandbox.run(command + ["--db", db])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("there is no database at \(db)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.directory.appendingPathComponent("missing").path))
    }

    @Test func validateChecksCallsAgainstTheSameCatalogAsImport() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var document = try JSONParser.parse(String(contentsOf: Fixtures.validDefinitions.appendingPathComponent("order-to-cash.json"), encoding: .utf8))
        let text = document.jsonText.replacingOccurrences(of: #""connector":"erp""#, with: #""connector":"nosuch""#)
        document = try JSONParser.parse(text)
        let file = sandbox.directory.appendingPathComponent("doc.json").path
        try document.prettyJSON().write(toFile: file, atomically: true, encoding: .utf8)

        let validated = try sandbox.run(["validate", file])
        #expect(validated.status == 1, "\(validated.stdout)")
        #expect(validated.stdout.contains("connector.unknown"))
        let imported = try sandbox.run(["import", file])
        #expect(imported.status == 1)
        let alone = try sandbox.run(["validate", file, "--no-catalog"])
        #expect(alone.status == 0, "\(alone.stdout)")
    }

    @Test func aRevisionKeepsTheNameAndAsksBeforeRemovingMostSteps() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/purchase-approval.json"]).status == 0)
        let request = try ComposeCommandTests.request(of: "demo-revise-text-customer")

        // The recorded answer is a different workflow: without a terminal to confirm on, it is kept aside, not saved.
        let refused = try sandbox.run(["revise", "1", request, "--provider", "replay"])
        #expect(refused.status == 4, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("(removed)"))
        let kept = try #require(refused.stderr.split(separator: " ").first { $0.hasSuffix(".json") }.map(String.init))
        #expect(FileManager.default.fileExists(atPath: kept))
        #expect(try await sandbox.store().latestVersion(workflowID: 1).number == 1)

        let saved = try sandbox.run(["revise", "1", request, "--provider", "replay", "--yes"])
        #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
        let workflows = try await sandbox.store().listWorkflows()
        #expect(workflows.map(\.name) == ["purchase-approval"])
        #expect(try sandbox.run(["show", "purchase-approval"]).status == 0)
        #expect(try await sandbox.store().latestVersion(workflowID: 1).name == "purchase-approval")
    }

    @Test func aFileIsSavedAsANewVersionOfAnExistingWorkflow() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/order-to-cash.json", "--activate"]).status == 0)
        let original = try String(contentsOf: Fixtures.validDefinitions.appendingPathComponent("order-to-cash.json"), encoding: .utf8)
        let file = sandbox.directory.appendingPathComponent("edited.json").path
        try original.replacingOccurrences(of: "\"timeout\": \"30s\"", with: "\"timeout\": \"45s\"").write(toFile: file, atomically: true, encoding: .utf8)

        let result = try sandbox.run(["import", file, "--into", "order-to-cash"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("version 2 saved"))
        let workflows = try await sandbox.store().listWorkflows()
        #expect(workflows.count == 1)
        #expect(workflows.first?.latestVersion == 2)
        #expect(workflows.first?.activeVersion == 1)
        #expect(try sandbox.run(["import", file, "--into", "nosuch"]).status == 4)
    }

    @Test func versionExplainAndHelpThatCanBePasted() throws {
        let version = try BatonProcess.runBlocking(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let secret = try BatonProcess.runBlocking(["explain", "secret.missing"])
        #expect(secret.status == 0)
        #expect(secret.stdout.contains("environment variable"))
        #expect(try BatonProcess.runBlocking(["explain", "http.503"]).stdout.contains("transient"))
        let typo = try BatonProcess.runBlocking(["explain", "secret.mising"])
        #expect(typo.stderr.contains("did you mean secret.missing?"))

        // An example is one line, so it can be pasted as it is: none reaches the wrap width and goes on below.
        let top = try BatonProcess.runBlocking(["--help"]).stdout
        let listed = top.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("  ") && !line.hasPrefix("   ") ? line.split(separator: " ").first.map(String.init) : nil
        } ?? []
        #expect(listed.contains("run") && listed.contains("replay"))
        let commands = [""] + listed
        for command in commands {
            let help = try BatonProcess.runBlocking(command.isEmpty ? ["--help"] : [command, "--help"])
            #expect(help.status == 0)
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(lines, lines.dropFirst()) {
                let text = line.trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("  "), text.hasPrefix("baton ") || text.hasPrefix("export ") else { continue }
                #expect(line.count < 76 || next.isEmpty, "baton \(command) --help wraps an example: \(line) / \(next)")
            }
        }
    }

    @Test func runSimulateUsesSimulatedConnectorsAndRecordsTheRun() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(["import", "fixtures/definitions/valid/travel-booking-saga.json", "--activate"]).status == 0)
        let result = try sandbox.run(["run", "travel-booking-saga", "--simulate", "--wait"] + RunCommandTests.travelInputs)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("(travel-booking-saga v1): completed"))
        #expect(result.stdout.contains("✓ book_flight"))
        let id = try RunCommandTests.runID(result.stdout)
        let trace = try sandbox.run(["trace", id])
        #expect(trace.stdout.contains("POST http://127.0.0.1:"))
    }
}
