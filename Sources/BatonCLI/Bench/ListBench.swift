import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowStore

struct ListBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Time `baton list` over a database of many workflows, as a whole process.",
        discussion: "Fills a fresh database with generated workflows, then runs `baton list --db FILE` repeatedly."
    )

    @Option(help: "Workflows in the database.") var workflows = 10_000
    @Option(help: "Timed runs.") var iterations = 30
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("list.sqlite").path
        let store = try storeCall { try WorkflowStore(path: path) }
        let definition = SyntheticWorkload.workflowJSON(steps: 10, connectors: 3)
        guard let workflow = WorkflowValidator(catalog: SyntheticWorkload.catalog(connectors: 3)).validate(json: definition).validated else {
            throw CommandError(description: "the generated workflow does not validate", exitCode: .failure)
        }
        try storeCall { try store.createWorkflows(Array(repeating: workflow, count: workflows), source: .imported) }
        let timing = try await BenchTiming.measure(
            "list-process", detail: ["workflows": "\(workflows)"], iterations: iterations, warmup: 2
        ) { try BatonProcessTimer.run(["list", "--db", path]) }
        try timing.print(json: json)
    }
}

struct StartupBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Time starting the `baton` process: `baton --help` and `baton validate` of a small document.")

    @Option(help: "Timed runs.") var iterations = 30
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let help = try await BenchTiming.measure("startup-help", detail: [:], iterations: iterations, warmup: 2) {
            try BatonProcessTimer.run(["--help"])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString).json")
        try #"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let validate = try await BenchTiming.measure("startup-validate", detail: [:], iterations: iterations, warmup: 2) {
            try BatonProcessTimer.run(["validate", "--quiet", file.path])
        }
        try help.print(json: json)
        try validate.print(json: json)
    }
}

/// Runs this same executable with arguments, discarding its output; fails when it exits non-zero.
enum BatonProcessTimer {
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "baton \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)", exitCode: .failure)
        }
    }
}
