import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Baton's speed on generated workloads.",
        discussion: """
            Each benchmark repeats its work, prints the median, 90th percentile and fastest time, and with --json \
            one JSON object. Build with -c release for meaningful figures:
              swift build -c release --product baton
              .build/release/baton bench validate
              .build/release/baton bench compose
              .build/release/baton bench list
              .build/release/baton bench startup
              .build/release/baton bench engine [--peer]
              .build/release/baton bench waits
              .build/release/baton bench webhooks     (needs wrk)
              .build/release/baton bench schedules
            """,
        subcommands: [
            ValidateBench.self, ComposeBench.self, ListBench.self, StartupBench.self, EngineBench.self, WaitsBench.self, WebhooksBench.self,
            SchedulesBench.self, PagesBench.self, ComposeWaitBench.self,
        ]
    )
}

/// Timing samples and how they are reported.
struct BenchTiming: Encodable {
    var benchmark: String
    var detail: [String: String]
    var iterations: Int
    var medianMs: Double
    var p90Ms: Double
    var minMs: Double

    /// Runs `body` `warmup` times untimed, then `iterations` times timed.
    static func measure(
        _ name: String, detail: [String: String], iterations: Int, warmup: Int = 5, _ body: () async throws -> Void
    ) async rethrows -> BenchTiming {
        for _ in 0..<warmup { try await body() }
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<max(iterations, 1) {
            let start = clock.now
            try await body()
            let elapsed = clock.now - start
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        samples.sort()
        return BenchTiming(
            benchmark: name, detail: detail, iterations: samples.count, medianMs: samples[samples.count / 2],
            p90Ms: samples[samples.count * 9 / 10], minMs: samples[0])
    }

    func print(json: Bool) throws {
        if json { return try printJSON(self) }
        let details = detail.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        Swift.print(String(
            format: "%@ (%@): median %.3f ms, p90 %.3f ms, min %.3f ms (%d runs)", benchmark, details, medianMs, p90Ms, minMs, iterations))
    }
}
