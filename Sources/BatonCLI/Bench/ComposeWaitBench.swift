import ArgumentParser
import Foundation
import ModelReplay
import WorkflowModel
import WorkflowService

struct ComposeWaitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose-wait",
        abstract: "The CPU a `baton compose` process spends while the model takes its time to answer.",
        discussion: """
            Serves a recorded answer on a loopback port, first at once and then after --delay seconds, runs \
            `baton compose` against it as a child process each time, and reports the child's wall time and its user \
            and system CPU time. The difference between the two is what waiting for the model costs.
            """)

    @Option(help: "Seconds the model takes to answer.") var delay = 30
    @Option(help: "The recorded exchange answered (from fixtures/llm).") var fixture = "openai-valid-customer-onboarding"
    @Flag(help: "Print JSON.") var json = false

    struct Sample {
        var delay: Int
        var wall: Double
        var user: Double
        var system: Double
        var cpu: Double { user + system }
    }

    func run() async throws {
        let text = try BundledFiles.text("fixtures/llm", fixture + ".json")
        let recorded = try JSONDecoder().decode(ReplayFixture.self, from: Data(text.utf8))
        var samples: [Sample] = []
        for seconds in [0, delay] {
            samples.append(try await measure(recorded, delay: seconds))
        }
        let waiting = samples[1].cpu - samples[0].cpu
        if json {
            return RunJSON.print(.array(samples.map { sample in
                .object(JSONObject([
                    ("modelDelaySeconds", .number(Double(sample.delay))), ("wallSeconds", .number(sample.wall)),
                    ("userSeconds", .number(sample.user)), ("systemSeconds", .number(sample.system)),
                ]))
            }))
        }
        for sample in samples {
            print(String(
                format: "model answering after %d s: compose took %.2f s, CPU %.3f s (user %.3f, system %.3f)", sample.delay, sample.wall,
                sample.cpu, sample.user, sample.system))
        }
        print(String(format: "waiting %d s for the model cost %.3f s of CPU", delay, waiting))
    }

    /// One `baton compose` against `recorded` answered after `delay` seconds, with the child's resource use.
    private func measure(_ recorded: ReplayFixture, delay: Int) async throws -> Sample {
        var slow = recorded
        for i in slow.exchanges.indices { slow.exchanges[i].response.delayMs = delay * 1000 }
        let server = ReplayServer(fixtures: [slow])
        _ = try await server.start()
        let base = await server.baseURL(for: slow.name)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [
            "compose", "--provider", recorded.provider.rawValue, "--base-url", base.absoluteString, "--model", "recorded",
            "--db", folder.appendingPathComponent("bench.sqlite").path, recorded.request,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let start = Date()
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let wall = Date().timeIntervalSince(start)
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        await server.stop()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "baton compose exited with \(process.terminationStatus) against the recorded model")
        }
        func seconds(_ a: timeval, _ b: timeval) -> Double { Double(b.tv_sec - a.tv_sec) + Double(b.tv_usec - a.tv_usec) / 1_000_000 }
        return Sample(delay: delay, wall: wall, user: seconds(before.ru_utime, after.ru_utime), system: seconds(before.ru_stime, after.ru_stime))
    }
}
