import ArgumentParser
import BatonServer
import Foundation
import Logging
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct PagesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Time the web pages of a large workflow and of a long run, one request at a time over loopback (wrk).",
        discussion: """
            Saves a generated workflow of --steps steps (calls, transforms, conditions, parallel steps, loops) in two \
            versions that differ in every call, and a finished run with --run-steps recorded steps; serves them from this \
            process on a loopback port; and loads each page with wrk over one connection for --duration seconds. Each \
            request reads the store, draws the graph or timeline and renders the page. Needs wrk (apt-get install wrk).
            """)

    @Option(help: "Steps of the workflow.") var steps = 200
    @Option(name: .customLong("run-steps"), help: "Recorded steps of the run.") var runSteps = 1_000
    @Option(help: "Seconds of requests per page.") var duration = 5
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let wrk = try WrkReport.program()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try WorkflowStore(path: folder.appendingPathComponent("pages.sqlite").path)
        let catalog = SyntheticWorkload.catalog(connectors: 3)
        let service = WorkflowService(repository: store, catalog: catalog)
        let (workflowID, runID) = try await prepare(service, store: store)
        let token = try await service.createToken(name: "bench").token

        let server = BatonServer(service: service, metrics: ServerMetrics(), makeComposer: nil, executesRuns: false)
        var logger = Logger(label: "baton.bench")
        logger.logLevel = .critical
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = server.application(host: "127.0.0.1", port: 0, logger: logger) { port in
            sink.yield(port)
            sink.finish()
        }
        let serving = Task { try await ServiceRunner.run([app], logger: logger) }
        var port = 0
        for await bound in ports { port = bound }
        defer { serving.cancel() }

        var results: [JSONValue] = []
        let pages = [
            ("workflow", "/workflows/\(workflowID)", "\(steps)-step workflow, v2 with its diff from v1"),
            ("run", "/runs/\(runID)", "run with \(runSteps) recorded steps"),
            ("workflows", "/workflows", "list of 1 workflow"), ("runs", "/runs", "list of 1 run"),
        ]
        for (name, path, what) in pages {
            let output = try ChildServer.output(of: wrk, [
                "-t1", "-c1", "-d\(duration)s", "--timeout", "5s", "--latency", "-H", "Cookie: baton_session=\(token)", "http://127.0.0.1:\(port)\(path)",
            ])
            let report = try WrkReport(output)
            guard report.non2xx == 0 else { throw CommandError(description: "\(path) answered \(report.non2xx) requests with an error:\n\(output)") }
            if json {
                results.append(.object(JSONObject([
                    ("page", .string(name)), ("what", .string(what)), ("requests", .number(Double(report.requests))),
                    ("p50Ms", .number(report.p50Ms)), ("p90Ms", .number(report.p90Ms)), ("p99Ms", .number(report.p99Ms)),
                ])))
            } else {
                print(String(
                    format: "page %@ (%@): %d requests, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms", name, what, report.requests, report.p50Ms,
                    report.p90Ms, report.p99Ms))
            }
        }
        if json { RunJSON.print(.array(results)) }
    }

    /// The workflow (two versions) and the finished run the pages show.
    private func prepare(_ service: WorkflowService, store: WorkflowStore) async throws -> (Int64, String) {
        let text = SyntheticWorkload.workflowJSON(steps: steps, connectors: 3)
        let validator = WorkflowValidator(catalog: service.catalog)
        guard let first = validator.validate(json: text).validated,
            let second = validator.validate(json: text.replacingOccurrences(of: "\"safe\"", with: "\"fast\"")).validated
        else { throw CommandError(description: "the generated workflow does not validate") }
        let summary = try await service.save(first, source: .imported).summary
        _ = try await service.save(second, into: String(summary.id), source: .imported)

        let start = Date().addingTimeInterval(-600)
        let run = RunRecord(
            id: "bench-run", workflowID: summary.id, workflowName: summary.name, version: 1, status: .completed,
            input: .object(JSONObject([("id", .string("thing-1"))])), createdAt: start, endedAt: start.addingTimeInterval(Double(runSteps) * 0.05))
        var entries: [JournalEntry] = [.run(run)]
        for i in 1...runSteps {
            let began = start.addingTimeInterval(Double(i - 1) * 0.05)
            entries.append(.step(StepRecord(
                runID: run.id, key: "each[\(i)]/s\(i % steps + 1)", stepID: "s\(i % steps + 1)", kind: "call", status: .succeeded,
                attempts: i % 10 == 0 ? 3 : 1,
                input: .object(JSONObject([("method", .string("POST")), ("url", .string("https://system0.example/things/\(i)")),
                                           ("body", .object(JSONObject([("name", .string("item \(i)")), ("mode", .string("safe"))])))])),
                output: .object(JSONObject([("id", .string("thing-\(i)")), ("count", .number(Double(i)))])), error: nil,
                startedAt: began, endedAt: began.addingTimeInterval(0.04), sequence: i)))
        }
        try await store.runJournal().write(entries, durable: true, lease: nil)
        return (summary.id, run.id)
    }
}
