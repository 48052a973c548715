import ArgumentParser
import Foundation
import WorkflowModel

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Baton's speed on generated workloads.",
        subcommands: [ValidateBench.self]
    )
}

struct ValidateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Time the validator on a generated workflow against a generated catalog.",
        discussion: """
            Parses and validates a generated definition (calls, transforms, conditions, parallel branches and \
            loops, every step referring to earlier ones) against a generated catalog, many times, and prints \
            the median, 90th percentile and fastest time. Build with -c release for meaningful figures:
              swift run -c release baton bench validate --steps 200 --connectors 50
            """
    )

    @Option(help: "Steps in the generated workflow, nested ones included.") var steps = 200
    @Option(help: "Connectors in the generated catalog (10 operations each).") var connectors = 50
    @Option(help: "Timed runs, after a few untimed warm-up runs.") var iterations = 300
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let catalog = SyntheticWorkload.catalog(connectors: connectors)
        let bytes = Array(SyntheticWorkload.workflowJSON(steps: steps, connectors: connectors).utf8)
        let validator = WorkflowValidator(catalog: catalog)
        let check = validator.validate(bytes: bytes)
        guard check.isValid else {
            throw CommandError(description: "the generated workflow is not valid: \(check.errors.prefix(3))", exitCode: .failure)
        }
        let stepCount = check.definition!.allSteps.count
        for _ in 0..<10 { _ = validator.validate(bytes: bytes) }
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<max(iterations, 1) {
            let elapsed = clock.measure { _ = validator.validate(bytes: bytes) }
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        samples.sort()
        let result = BenchResult(
            benchmark: "validate", steps: stepCount, connectors: connectors, bytes: bytes.count, iterations: samples.count,
            medianMs: samples[samples.count / 2], p90Ms: samples[samples.count * 9 / 10], minMs: samples[0])
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(
                format: "validate: %d steps, %d connectors, %d bytes: median %.3f ms, p90 %.3f ms, min %.3f ms (%d runs)",
                result.steps, result.connectors, result.bytes, result.medianMs, result.p90Ms, result.minMs, result.iterations))
        }
    }

    struct BenchResult: Encodable {
        var benchmark: String
        var steps: Int
        var connectors: Int
        var bytes: Int
        var iterations: Int
        var medianMs: Double
        var p90Ms: Double
        var minMs: Double
    }
}
