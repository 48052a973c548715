import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// A model that gives the same answer every round and keeps what it was sent.
final class FixedAnswerModel: LanguageModel {
    let answer: String
    let requests = Mutex<[ModelRequest]>([])

    init(_ answer: String) { self.answer = answer }

    var endpointDescription: String { "fixed answer" }

    func complete(_ request: ModelRequest) async throws(ModelError) -> ModelResponse {
        requests.withLock { $0.append(request) }
        return ModelResponse(text: answer)
    }
}

/// Answers a model may not hand in: too large, too many steps, text that is not UTF-8. Each is rejected, with a
/// record and repair prompts of bounded size.
@Suite struct AnswerLimitTests {
    static let prompts = try! PromptLibrary(directory: Fixtures.root.appendingPathComponent("prompts"))
    static let twentyMegabytes = 20 << 20

    static func compose(answer: String) async -> (Composition, [ModelRequest]) {
        let model = FixedAnswerModel(answer)
        let composer = Composer(model: model, catalog: Fixtures.catalog, prompts: prompts, provider: "openai", modelName: "fixed")
        let composition = await composer.compose("Send a welcome email to new customers")
        return (composition, model.requests.withLock { $0 })
    }

    static func workflow(description: String = "d", steps: Int = 1) -> String {
        let list = (0..<steps).map { #"{"id": "s\#($0)", "kind": "transform", "output": 1}"# }.joined(separator: ",")
        return #"{"format": 1, "name": "big", "description": "\#(description)", "steps": [\#(list)]}"#
    }

    static func expectRejectedAndBounded(_ composition: Composition, _ requests: [ModelRequest], code: DiagnosticCode) throws {
        let record = composition.record
        #expect(record.outcome == .rejected)
        #expect(composition.document == nil && composition.definition == nil)
        // The same answer twice, and again when asked once more, ends the rounds.
        #expect(record.rounds.count == 3)
        #expect(record.error?.contains("same answer") == true)
        for round in record.rounds {
            #expect(round.diagnostics.map(\.code).contains(code), "\(round.diagnostics.map(\.code))")
        }
        // Repair rounds repeat only the start of an answer, with the problems and the catalog as retrieved.
        for request in requests.dropFirst() {
            #expect(request.messages.count == 2)
            #expect(request.messages[1].content.utf8.count < Composer.maxEchoedAnswerBytes + 16_384)
        }
        let stored = try JSONEncoder().encode(record)
        #expect(stored.count < 2 << 20, "the record is \(stored.count) bytes")
    }

    @Test func aHugeGarbageAnswerIsNeitherSentBackWholeNorStoredWhole() async throws {
        let answer = String(repeating: "x", count: Self.twentyMegabytes)
        let (composition, requests) = await Self.compose(answer: answer)
        try Self.expectRejectedAndBounded(composition, requests, code: .documentSize)
        #expect(requests.count == 3)
        let echoed = try #require(requests.last?.messages.last?.content)
        #expect(echoed.contains("it was \(Self.twentyMegabytes) bytes"))
        for round in composition.record.rounds {
            #expect(round.rawOutput.utf8.count == CompositionRecord.Round.maxRawOutputBytes)
            #expect(round.rawOutputBytes == Self.twentyMegabytes)
        }
    }

    @Test func aHugeDescriptionIsRefusedBySize() async throws {
        let answer = Self.workflow(description: String(repeating: "a", count: Self.twentyMegabytes))
        let (composition, requests) = await Self.compose(answer: answer)
        try Self.expectRejectedAndBounded(composition, requests, code: .documentSize)
    }

    @Test func fiveThousandStepsAreRefused() async throws {
        let answer = Self.workflow(steps: 5_000)
        let (composition, requests) = await Self.compose(answer: answer)
        try Self.expectRejectedAndBounded(composition, requests, code: .documentSteps)
        #expect(composition.record.rounds[0].rawOutputBytes == answer.utf8.count)
    }

    @Test func aSmallAnswerIsKeptWhole() async {
        let answer = Self.workflow()
        let (composition, _) = await Self.compose(answer: answer)
        #expect(composition.succeeded)
        #expect(composition.record.rounds[0].rawOutput == answer)
        #expect(composition.record.rounds[0].rawOutputBytes == nil)
    }
}
