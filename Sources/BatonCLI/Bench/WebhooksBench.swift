import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct WebhooksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Load a baton serve process with signed webhook deliveries over loopback (wrk), then count the runs stored.",
        discussion: """
            Starts `baton serve --no-worker` on a fresh database with one webhook workflow, sends it distinct signed \
            deliveries from wrk (Debian's wrk package) over --connections connections for --duration seconds, stops it \
            with SIGTERM and counts the pending runs: every 2xx answer must be backed by a stored run. \
            Durability is the default (synchronous=FULL).
            """)

    @Option(help: "Connections kept open by wrk.") var connections = 64
    @Option(help: "Seconds of load.") var duration = 10
    @Option(help: "Signed deliveries prepared (each is sent once).") var requests = 150_000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let wrk = try WrkReport.program()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("baton.sqlite").path
        let key = WebhookSignature.generateSecret()
        try await Self.prepare(db: db)
        let server = try ChildServer(arguments: ["serve", "--port", "0", "--db", db, "--no-worker", "--quiet"], environment: ["BENCH_WEBHOOK_SECRET": key])
        let script = folder.appendingPathComponent("deliveries.lua")
        try Self.script(requests: requests, key: key, host: server.host).write(to: script, atomically: true, encoding: .utf8)
        let output = try ChildServer.output(of: wrk, [
            "-t2", "-c\(connections)", "-d\(duration)s", "--timeout", "5s", "--latency", "-s", script.path, server.base + "/hooks/bench",
        ])
        await server.stop()
        let report = try WrkReport(output)
        let stored = try await WorkflowStore(path: db, create: false).runJournal().runs(RunQuery(limit: 10_000_000)).count
        let accepted = report.requests - report.non2xx
        if json {
            return RunJSON.print(.object(JSONObject([
                ("connections", .number(Double(connections))), ("seconds", .number(report.seconds)),
                ("requests", .number(Double(report.requests))), ("accepted", .number(Double(accepted))),
                ("perSecond", .number(report.perSecond)), ("p50Ms", .number(report.p50Ms)), ("p90Ms", .number(report.p90Ms)),
                ("p99Ms", .number(report.p99Ms)),
                ("runsStored", .number(Double(stored))), ("everyAcceptedStored", .bool(stored >= accepted)),
            ])))
        }
        print(String(
            format: "webhooks (%d connections, %.1f s): %.0f accepted/s, latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms; %d answered 2xx, %d runs stored%@",
            connections, report.seconds, report.perSecond, report.p50Ms, report.p90Ms, report.p99Ms, accepted, stored,
            stored >= accepted ? "" : " (MISSING RUNS)"))
    }

    /// A database with one active webhook workflow on /bench.
    static func prepare(db: String) async throws {
        let document = """
            {"format": 1, "name": "bench-webhook", "trigger": {"type": "webhook", "path": "/bench", "secret": "BENCH_WEBHOOK_SECRET"},
             "steps": [{"id": "note", "kind": "transform", "output": {"order": "${trigger.order}"}}]}
            """
        guard let workflow = WorkflowValidator().validate(json: document).validated else { throw CommandError(description: "the bench workflow does not validate") }
        let store = try WorkflowStore(path: db)
        _ = try await WorkflowService(repository: store, catalog: ConnectorCatalog()).save(workflow, source: .imported, activate: true)
    }

    /// A wrk script sending each prepared delivery once: thread N takes every other one from the Nth.
    static func script(requests: Int, key: String, host: String) throws -> String {
        let signer = try WebhookSignature(secret: key)
        let now = Date()
        var lines = ["local requests = {"]
        lines.reserveCapacity(requests + 20)
        for index in 0..<requests {
            let body = #"{"order": \#(index), "email": "buyer\#(index)@example.com"}"#
            let id = "msg_\(index)"
            let signature = signer.sign(id: id, timestamp: now, body: Array(body.utf8))
            let request = "POST /hooks/bench HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nwebhook-id: \(id)\r\n"
                + "webhook-timestamp: \(Int(now.timeIntervalSince1970))\r\nwebhook-signature: \(signature)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            lines.append("\"" + request.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "\",")
        }
        lines.append("}")
        lines.append("""
            local next_thread = 1
            function setup(thread)
              thread:set("first", next_thread)
              next_thread = next_thread + 1
            end
            function init(args) index = first end
            function request()
              local r = requests[index]
              if r == nil then wrk.thread:stop() return requests[1] end
              index = index + 2
              return r
            end
            """)
        return lines.joined(separator: "\n")
    }
}

/// What wrk printed, read back.
struct WrkReport {
    /// Where wrk is installed, or an error saying how to install it.
    static func program() throws -> String {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw CommandError(description: "this benchmark needs wrk (apt-get install wrk)")
        }
        return wrk
    }

    var requests = 0
    var non2xx = 0
    var seconds = 0.0
    var perSecond = 0.0
    var p50Ms = 0.0
    var p90Ms = 0.0
    var p99Ms = 0.0

    init(_ output: String) throws {
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("50%"), words.count > 1 { p50Ms = Self.milliseconds(words[1]) }
            if line.hasPrefix("90%"), words.count > 1 { p90Ms = Self.milliseconds(words[1]) }
            if line.hasPrefix("99%"), words.count > 1 { p99Ms = Self.milliseconds(words[1]) }
            if line.contains("requests in"), words.count > 3 {
                requests = Int(words[0]) ?? 0
                seconds = Double(words[3].trimmingCharacters(in: CharacterSet(charactersIn: "s,"))) ?? 0
            }
            if line.hasPrefix("Non-2xx"), let last = words.last { non2xx = Int(last) ?? 0 }
            if line.hasPrefix("Requests/sec:"), let last = words.last { perSecond = Double(last) ?? 0 }
        }
        guard requests > 0 else { throw CommandError(description: "wrk reported no requests:\n\(output)") }
        perSecond = Double(requests - non2xx) / max(seconds, 0.001)
    }

    /// wrk's `12.34ms`, `1.20s` or `850.00us` in milliseconds.
    static func milliseconds(_ text: String) -> Double {
        if text.hasSuffix("us") { return (Double(text.dropLast(2)) ?? 0) / 1000 }
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) ?? 0 }
        if text.hasSuffix("s") { return (Double(text.dropLast()) ?? 0) * 1000 }
        return Double(text) ?? 0
    }
}

/// This executable run as a server child process, stopped with SIGTERM.
struct ChildServer {
    let process: Process
    let base: String
    let host: String

    init(arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw CommandError(description: "the server ended before it listened") }
            seen += chunk
        }
        let text = String(decoding: seen, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw CommandError(description: "the server did not say where it listens: \(text)") }
        base = String(text[range.lowerBound...].prefix { !$0.isWhitespace })
        host = String(base.dropFirst("http://".count))
    }

    func stop() async {
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Runs a program to its end and returns what it printed.
    static func output(of program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
