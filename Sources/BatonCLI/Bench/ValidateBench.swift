import ArgumentParser
import Foundation
import WorkflowModel

struct ValidateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Time the validator on a generated workflow against a generated catalog.",
        discussion: """
            Parses and validates a generated definition (calls, transforms, conditions, parallel branches and \
            loops, every step referring to earlier ones) against a generated catalog of connectors with ten \
            operations each.
            """
    )

    @Option(help: "Steps in the generated workflow, nested ones included.") var steps = 200
    @Option(help: "Connectors in the generated catalog (10 operations each).") var connectors = 50
    @Option(help: "Timed runs, after a few untimed warm-up runs.") var iterations = 300
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let validator = WorkflowValidator(catalog: SyntheticWorkload.catalog(connectors: connectors))
        let bytes = Array(SyntheticWorkload.workflowJSON(steps: steps, connectors: connectors).utf8)
        let check = validator.validate(bytes: bytes)
        guard let definition = check.definition else {
            throw CommandError(description: "the generated workflow is not valid: \(check.errors.prefix(3))", exitCode: .failure)
        }
        let timing = await BenchTiming.measure(
            "validate",
            detail: ["steps": "\(definition.allSteps.count)", "connectors": "\(connectors)", "bytes": "\(bytes.count)"],
            iterations: iterations
        ) { _ = validator.validate(bytes: bytes) }
        try timing.print(json: json)
    }
}
