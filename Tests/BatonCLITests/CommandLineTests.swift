import BatonTestSupport
import Foundation
import Testing
import WorkflowEngine
import WorkflowModel

@Suite struct CommandLineTests {
    @Test func schemaPrintsTheBundledSchema() throws {
        let result = try BatonProcess.runBlocking(["schema"])
        #expect(result.status == 0)
        let printed = try JSONParser.parse(result.stdout)
        let file = try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.root, "prompts/workflow.schema.json"), as: UTF8.self))
        #expect(printed == file)
    }

    @Test func helpTeachesTheCommands() throws {
        let result = try BatonProcess.runBlocking(["--help"])
        #expect(result.status == 0)
        for word in ["validate", "schema", "explain", "Exit codes"] { #expect(result.stdout.contains(word)) }
        let validate = try BatonProcess.runBlocking(["validate", "--help"])
        #expect(validate.stdout.contains("--catalog"))
        #expect(validate.stdout.contains("Examples"))
    }

    @Test func explainListsAndDescribesCodes() throws {
        let all = try BatonProcess.runBlocking(["explain"])
        #expect(all.status == 0)
        // Two headed lists: the validator's codes and the run errors.
        let listed = all.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(listed.count == DiagnosticCode.all.count + RunErrorCode.all.count)
        let one = try BatonProcess.runBlocking(["explain", "reference.later"])
        #expect(one.stdout.contains("runs later"))
        let unknown = try BatonProcess.runBlocking(["explain", "reference.nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("did you mean"))
    }

    @Test func usageErrorsExit64() throws {
        let result = try BatonProcess.runBlocking(["validate"])
        #expect(result.status == 64)
    }

    @Test func benchValidateReportsAMedian() throws {
        let result = try BatonProcess.runBlocking(["bench", "validate", "--steps", "40", "--connectors", "5", "--iterations", "5", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONParser.parse(result.stdout)
        #expect(report["detail"]?["steps"] == "40")
        #expect((report["medianMs"]?.numberValue ?? -1) > 0)
    }
}
