import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowEngine
import WorkflowModel

/// Every valid fixture definition, run over real HTTP against the simulated connectors, as its scenario in
/// `fixtures/runs` describes: inputs, queued replies, signals, and the expected status, calls and outputs.
@Suite struct FixtureRunTests {
    static let scenarios = Fixtures.files(in: Fixtures.runs, extensions: ["json"])

    @Test func everyValidDefinitionHasAScenario() {
        let definitions = Set(Fixtures.files(in: Fixtures.validDefinitions, extensions: ["json"]).map { ($0 as NSString).deletingPathExtension })
        let covered = Set(Self.scenarios.compactMap { try? RunScenario.load($0).definition })
        #expect(definitions.subtracting(covered).sorted() == [])
    }

    @Test(arguments: scenarios)
    func scenarioRunsAsDescribed(_ file: String) async throws {
        let scenario = try RunScenario.load(file)
        let harness = try await EngineHarness.make(definitions: [scenario.definition])
        defer { Task { await harness.stop() } }
        for (operation, replies) in scenario.replies { await harness.server.enqueue(operation, replies) }
        let started = try await harness.start(scenario.definition, input: scenario.input, trigger: scenario.trigger)
        let run = try await harness.finish(started, signals: scenario.signals)
        let steps = try await harness.journal.steps(of: run.id)
        let calls = await harness.server.calls()
        await harness.stop()

        #expect(run.status == scenario.status, "\(file): \(run.error?.description ?? "")")
        if let code = scenario.errorCode { #expect(run.error?.code == code) }
        #expect(calls.map(\.name) == scenario.calls, "\(file)")
        for (key, status) in scenario.stepStatus {
            #expect(steps.first { $0.key == key }?.status == status, "\(file): step \(key)")
        }
        for (key, attempts) in scenario.attempts {
            #expect(steps.first { $0.key == key }?.attempts == attempts, "\(file): attempts of \(key)")
        }
        for (pointer, value) in scenario.outputs {
            #expect(RunScenario.resolve(pointer, in: steps, run: run) == value, "\(file): \(pointer)")
        }
        // Every call carries a stable idempotency key and its connector's credentials; none are recorded.
        for call in calls {
            #expect(call.idempotencyKey?.hasPrefix(run.id + "/") == true)
            if let secret = Fixtures.catalog[call.connector]?.auth.secretName.flatMap(EngineHarness.secrets.secret(named:)) {
                #expect(call.headers.values.contains { $0.contains(secret) || $0.hasPrefix("Basic ") })
            }
        }
        let recorded = steps.map { "\($0.input?.jsonText ?? "") \($0.output?.jsonText ?? "") \($0.error?.message ?? "")" }.joined()
        #expect(!recorded.contains("secret-of-"))
        // One outcome per key, and call steps' keys match the calls that succeeded.
        #expect(Set(steps.map(\.key)).count == steps.count)
    }
}
