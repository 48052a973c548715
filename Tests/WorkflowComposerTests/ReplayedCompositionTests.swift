import BatonTestSupport
import Foundation
import HTTPClients
import ModelReplay
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// Every recorded exchange in fixtures/llm, replayed over loopback HTTP to the real HTTP client, ends as
/// the fixture says: valid, repaired, rejected with the listed codes, or failed.
@Suite(.serialized) struct ReplayedCompositionTests {
    static let directory = Fixtures.root.appendingPathComponent("fixtures/llm")
    static let fixtures: [ReplayFixture] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()
        .compactMap { try? JSONDecoder().decode(ReplayFixture.self, from: Data(Fixtures.bytes(directory, $0))) }
    static let prompts = try! PromptLibrary(directory: Fixtures.root.appendingPathComponent("prompts"))

    static func composer(_ fixture: ReplayFixture, server: ReplayServer, timeout: Double = 3) async -> Composer {
        let provider = ModelProvider(rawValue: fixture.provider.rawValue)!
        let model = HTTPLanguageModel(
            provider: provider, baseURL: await server.baseURL(for: fixture.name),
            settings: ModelSettings(model: "recorded"), apiKey: "sk-test-secret",
            transport: HTTPModelTransport(timeout: timeout), maxRetries: 2, initialBackoff: .milliseconds(20))
        return Composer(model: model, catalog: Fixtures.catalog, prompts: prompts, provider: provider.rawValue, modelName: "recorded")
    }

    @Test func thereAreEnoughFixturesOfEachShape() {
        #expect(Self.fixtures.count >= 30)
        for provider in ["openai", "ollama", "anthropic"] {
            #expect(Self.fixtures.filter { $0.provider.rawValue == provider }.count >= 6, "\(provider)")
        }
        let outcomes = Set(Self.fixtures.compactMap { $0.expect?.outcome.rawValue })
        #expect(outcomes.count == CompositionRecord.Outcome.allCases.count, "every outcome is exercised: \(outcomes)")
    }

    @Test(arguments: fixtures.map(\.name))
    func fixtureEndsAsRecorded(name: String) async throws {
        let fixture = try #require(Self.fixtures.first { $0.name == name })
        let expected = try #require(fixture.expect, "\(name) says what the composer must conclude")
        let server = ReplayServer(fixtures: [fixture])
        _ = try await server.start()
        let composer = await Self.composer(fixture, server: server)
        let composition = await composer.compose(fixture.request)
        let requests = await server.requests()
        await server.stop()

        let record = composition.record
        #expect(record.outcome.rawValue == expected.outcome.rawValue, "\(name): \(record.error ?? "") \(record.rounds.last?.diagnostics ?? [])")
        if record.outcome == .rejected, let last = record.rounds.last {
            let codes = Set(last.diagnostics.filter { $0.severity == .error }.map(\.code.rawValue))
            #expect(Set(expected.codes).isSubset(of: codes), "\(name): \(codes)")
        }
        if composition.succeeded {
            #expect(WorkflowValidator(catalog: Fixtures.catalog).validate(document: composition.document!).isValid)
        }
        // The key goes in a header and nowhere else.
        #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer sk-test-secret" || $0.headers["x-api-key"] == "sk-test-secret" })
        let recordJSON = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(!recordJSON.contains("sk-test-secret"))
        if record.outcome == .repairedByModel {
            #expect(requests.count >= 2, "the repair round went back to the model")
            if let error = record.rounds[0].diagnostics.first(where: { $0.severity == .error }) {
                #expect(record.rounds[1].messages.last?.content.contains(error.code.rawValue) == true)
            } else {
                // A valid draft that left part of its request out: the round asked for that part, and got it.
                #expect(record.rounds[1].rawOutput != record.rounds[0].rawOutput && record.rounds.last?.repairs.isEmpty == false)
            }
        }
    }

    @Test func emptyAndEnormousRequestsNeverReachTheModel() async throws {
        let fixture = try #require(Self.fixtures.first { $0.expect?.outcome.rawValue == "valid-first-try" })
        let server = ReplayServer(fixtures: [fixture])
        _ = try await server.start()
        let composer = await Self.composer(fixture, server: server)
        let empty = await composer.compose("   \n ")
        let enormous = await composer.compose(String(repeating: "send an email to everyone ", count: 2_000))
        let requests = await server.requests()
        await server.stop()
        #expect(empty.record.outcome == .rejected && empty.record.error?.contains("empty") == true)
        #expect(enormous.record.outcome == .rejected && enormous.record.error?.contains("characters") == true)
        #expect(requests.isEmpty)
    }

    @Test func anUnreachableEndpointIsNamedClearly() async {
        let model = HTTPLanguageModel(
            provider: .openai, baseURL: URL(string: "http://127.0.0.1:9")!, settings: ModelSettings(model: "m"), apiKey: nil,
            transport: HTTPModelTransport(timeout: 3), maxRetries: 0)
        let composer = Composer(model: model, catalog: Fixtures.catalog, prompts: Self.prompts, provider: "openai", modelName: "m")
        let composition = await composer.compose("send a welcome email")
        #expect(composition.record.outcome == .failed)
        #expect(composition.record.error?.contains("cannot reach http://127.0.0.1:9/v1/chat/completions") == true, "\(composition.record.error ?? "")")
    }

    @Test func theRequestCarriesSchemaCatalogAndStructuredOutput() async throws {
        let fixture = try #require(Self.fixtures.first { $0.provider.rawValue == "openai" && $0.expect?.outcome.rawValue == "valid-first-try" })
        let server = ReplayServer(fixtures: [fixture])
        _ = try await server.start()
        _ = await Self.composer(fixture, server: server).compose(fixture.request)
        let request = try #require(await server.requests().first)
        await server.stop()
        let body = try JSONParser.parse(request.body)
        #expect(body["response_format"]?["type"] == "json_schema")
        // The schema is enforced, so it is not pasted into the prompt; its call steps may name only the
        // operations retrieved for the request, which the prompt lists.
        let schema = body["response_format"]?["json_schema"]?["schema"]
        let operations = schema?["$defs"]?["step"]?["anyOf"]?.arrayValue?.compactMap { $0["properties"]?["operation"]?["const"]?.stringValue } ?? []
        #expect(!operations.isEmpty)
        let system = body["messages"]?.arrayValue?.first?["content"]?.stringValue ?? ""
        #expect(!system.contains("\"$schema\""))
        let user = body["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(user.contains(fixture.request) && operations.allSatisfy { user.contains($0) })
    }

    @Test func theBundledExamplePromptIsAValidWorkflow() throws {
        let result = WorkflowValidator(catalog: Fixtures.catalog).validate(json: Self.prompts.example)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    /// Real answers of the small model to requests with a wait and a condition: the structures the request's words
    /// settle are where it says; a call it wrote inside a transform comes after it.
    @Test func realAnswersGetTheWaitAndTheConditionTheirRequestsAskFor() async throws {
        func composed(_ name: String) async throws -> JSONValue {
            let fixture = try #require(Self.fixtures.first { $0.name == name })
            let server = ReplayServer(fixtures: [fixture])
            _ = try await server.start()
            let composition = await Self.composer(fixture, server: server).compose(fixture.request)
            await server.stop()
            return try #require(composition.document, "\(name): \(composition.record.error ?? "")")
        }
        let supplier = try await composed("qwen-supplier-callback-wait")
        #expect(JSONPointer.resolve("/steps/1/for", in: supplier) == "callback" && JSONPointer.resolve("/steps/1/timeout", in: supplier) == "5d")
        #expect(JSONPointer.resolve("/steps/1/onTimeout/0/operation", in: supplier) == "rejectPurchaseRequest")
        #expect(JSONPointer.resolve("/steps/2", in: supplier) == nil)
        let health = try await composed("qwen-health-check-condition")
        #expect(JSONPointer.resolve("/steps/1/kind", in: health) == "condition")
        #expect(JSONPointer.resolve("/steps/1/if", in: health) == "get_service_health.status == 'down'")
        #expect(JSONPointer.resolve("/steps/1/then/0/operation", in: health) == "pageOnCall")
        // The call written inside the switch's default transform follows it there.
        let alert = try await composed("qwen-alert-severity-nested-steps")
        #expect(JSONPointer.resolve("/steps/1/kind", in: alert) == "switch")
        #expect(JSONPointer.resolve("/steps/1/default/0/steps", in: alert) == nil)
        #expect(JSONPointer.resolve("/steps/1/default/1/operation", in: alert) == "updateIncident")
    }
}
