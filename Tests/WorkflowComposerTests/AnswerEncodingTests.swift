import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import WorkflowComposer

/// Answer bytes that are not UTF-8 never become text with replacement characters in it.
@Suite struct AnswerEncodingTests {
    /// An OpenAI-shaped body whose content holds a valid workflow with one raw 0xFF byte in its description.
    static func body() -> (Data, offset: Int) {
        let before = Array(#"{"choices": [{"message": {"role": "assistant", "content": "{\"format\": 1, \"name\": \"t\", \"description\": \"caf"#.utf8)
        let after = Array(#"\", \"steps\": [{\"id\": \"a\", \"kind\": \"transform\", \"output\": 1}]}"}}]}"#.utf8)
        return (Data(before + [0xFF] + after), before.count)
    }

    struct FixedTransport: HTTPTransport {
        let body: Data
        func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
            (body, HTTPURLResponse(url: request.url!, statusCode: 200, httpVersion: "HTTP/1.1", headerFields: [:])!)
        }
    }

    @Test func theProviderRefusesABodyThatIsNotUTF8AndNamesTheOffset() throws {
        let (data, offset) = Self.body()
        let error = #expect(throws: ModelError.self) { try ModelProvider.openai.parse(data) }
        #expect(error?.code == .badResponse)
        #expect(error?.description.contains("not valid UTF-8: byte \(offset) of \(data.count)") == true, "\(error?.description ?? "")")
    }

    @Test func aCompositionFromSuchAnAnswerFailsAndKeepsNoReplacementCharacter() async throws {
        let model = HTTPLanguageModel(
            provider: .openai, baseURL: URL(string: "http://127.0.0.1:9")!, settings: ModelSettings(model: "m"), apiKey: nil,
            transport: FixedTransport(body: Self.body().0), maxRetries: 0)
        let composer = Composer(model: model, catalog: Fixtures.catalog, prompts: AnswerLimitTests.prompts, provider: "openai", modelName: "m")
        let composition = await composer.compose("Send a welcome email")
        #expect(composition.record.outcome == .failed)
        #expect(composition.document == nil)
        #expect(composition.record.error?.contains("byte \(Self.body().offset)") == true, "\(composition.record.error ?? "")")
        let record = String(decoding: try JSONEncoder().encode(composition.record), as: UTF8.self)
        #expect(!record.contains("\u{FFFD}"))
    }

    @Test(arguments: [#"\ud800"#, #"\udc00x"#, #"\ud83d"#])
    func anUnpairedSurrogateEscapeIsNotReadAsText(_ escape: String) {
        let text = #"{"format": 1, "name": "t", "description": "caf\#(escape)", "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#
        let attempt = Composer.check(text, validator: WorkflowValidator())
        #expect(attempt.definition == nil)
        #expect(!(attempt.document?.jsonText.contains("\u{FFFD}") ?? false))
        #expect(!attempt.diagnostics.isEmpty)
    }

    @Test func aSurrogatePairEscapeIsOneCharacter() {
        let text = #"{format: 1, name: "t", description: "smile \ud83d\ude00", steps: [{id: "a", kind: "transform", output: 1}]}"#
        let attempt = Composer.check(text, validator: WorkflowValidator())
        #expect(attempt.definition?.description == "smile 😀")
    }
}
