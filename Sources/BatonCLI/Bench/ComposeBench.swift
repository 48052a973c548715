import ArgumentParser
import Foundation
import WorkflowComposer
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct ComposeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Time everything in a composition except the model: parse, repair, validate, store.",
        discussion: """
            Takes a recorded OpenAI-style response whose answer is a generated workflow in markdown fences, and \
            times reading the response, extracting and repairing the JSON, validating it against a generated \
            catalog, and saving the draft and its composition record in a fresh SQLite database (WAL, \
            synchronous=FULL: two durable commits).
            """
    )

    @Option(help: "Steps in the generated workflow.") var steps = 50
    @Option(help: "Connectors in the generated catalog.") var connectors = 50
    @Option(help: "Timed runs.") var iterations = 200
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let catalog = SyntheticWorkload.catalog(connectors: connectors)
        let document = SyntheticWorkload.workflowJSON(steps: steps, connectors: connectors)
        let answer = "Here is the workflow you asked for:\n```json\n\(document)\n```"
        let body: JSONValue = ["choices": [["message": ["role": "assistant", "content": .string(answer)]]],
                               "usage": ["prompt_tokens": 5000, "completion_tokens": 2000]]
        let responseBytes = Data(body.jsonText.utf8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try storeCall { try WorkflowStore(path: directory.appendingPathComponent("bench.sqlite").path) }
        let validator = WorkflowValidator(catalog: catalog)
        let service = WorkflowService(repository: store, catalog: catalog)
        var failure: String?
        let timing = try await BenchTiming.measure(
            "compose-from-recorded-response", detail: ["steps": "\(steps)", "connectors": "\(connectors)"], iterations: iterations
        ) {
            let response = try ModelProvider.openai.parse(responseBytes)
            let attempt = Composer.check(response.text, validator: validator)
            guard let workflow = attempt.workflow else {
                failure = "\(attempt.diagnostics.prefix(3))"
                return
            }
            let record = CompositionRecord(
                kind: .compose, request: "bench", provider: "openai", model: "recorded", endpoint: "memory", startedAt: Date(),
                rounds: [.init(number: 1, messages: [], rawOutput: response.text, repairs: attempt.repairs, diagnostics: [], durationMs: 0)],
                outcome: .repairedDeterministically)
            _ = try await service.save(Composition(record: record, workflow: workflow))
        }
        if let failure { throw CommandError(description: "the generated answer did not validate: \(failure)", exitCode: .failure) }
        try timing.print(json: json)
    }
}
