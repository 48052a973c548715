import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct WaitsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waits",
        abstract: "Start many runs that each wait on a timer or a callback, and measure the process's memory.",
        discussion: "Half the runs wait on a one-hour timer, half on a callback; a waiting run holds only its records.")

    @Option(help: "Runs to start.") var runs = 10_000
    @Option(help: "Runs started at once.") var concurrency = 100
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let workload = try EngineWorkload(steps: 1)
        let timer = try Self.definition(#"{"id": "hold", "kind": "wait", "for": "timer", "duration": "1h"}"#, catalog: workload.catalog)
        let callback = try Self.definition(#"{"id": "hold", "kind": "wait", "for": "callback", "timeout": "1d"}"#, catalog: workload.catalog)
        let store = try storeCall {
            try WorkflowStore(path: directory.appendingPathComponent("waits.sqlite").path, configuration: StoreConfiguration(synchronous: .normal))
        }
        let journal = store.runJournal()
        let engine = WorkflowEngine(
            environment: EngineEnvironment(journal: journal, caller: NoOpConnectorCaller(), catalog: workload.catalog),
            source: FixedWorkflows([1: timer, 2: callback]))
        let before = MemoryUsage.current()
        let total = runs
        let width = concurrency
        let clock = ContinuousClock()
        let started = clock.now
        let waiting = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<width {
                group.addTask {
                    var count = 0
                    var index = worker
                    while index < total {
                        let id: Int64 = index % 2 == 0 ? 1 : 2
                        let run = try await engine.start(
                            workflowID: id, name: "waits", version: 1, definition: id == 1 ? timer : callback, input: JSONObject())
                        if run.status == .waiting { count += 1 }
                        index += width
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - started
        let after = MemoryUsage.current()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if json {
            RunJSON.print(.object(JSONObject([
                ("runs", .number(Double(total))), ("waiting", .number(Double(waiting))), ("seconds", .number(seconds)),
                ("rssBeforeMB", .number(before.residentMB)), ("rssAfterMB", .number(after.residentMB)), ("peakMB", .number(after.peakMB)),
            ])))
        } else {
            print(String(
                format: "waits: %d runs started in %.1f s, %d waiting; resident memory %.1f MB before, %.1f MB after (peak %.1f MB)",
                total, seconds, waiting, before.residentMB, after.residentMB, after.peakMB))
        }
    }

    static func definition(_ wait: String, catalog: ConnectorCatalog) throws -> WorkflowDefinition {
        let text = #"{"format": 1, "name": "waits", "steps": [{"id": "first", "kind": "call", "connector": "bench", "operation": "noop"}, \#(wait)]}"#
        guard let definition = WorkflowValidator(catalog: catalog).validate(json: text).definition else {
            throw CommandError(description: "the waiting workflow does not validate")
        }
        return definition
    }
}

/// This process's resident memory, from /proc/self/status.
struct MemoryUsage {
    var residentMB: Double
    var peakMB: Double

    static func current() -> MemoryUsage {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "0") ?? 0) / 1024
        }
        return MemoryUsage(residentMB: field("VmRSS"), peakMB: field("VmHWM"))
    }
}
