import BatonTestSupport
import Foundation
import ModelReplay
import Testing
import WorkflowModel

/// The recorded exchanges in `fixtures/llm/`: each file loads, follows its provider's API shape, and its answers
/// say what `expect` claims, judged by the real validator against the bundled catalog.
@Suite struct LLMFixtureTests {
    static let folder = Fixtures.root.appendingPathComponent("fixtures/llm")
    static let files = Fixtures.files(in: folder, extensions: ["json"])
    static let validator = WorkflowValidator(catalog: Fixtures.catalog)

    static func load(_ file: String) throws -> ReplayFixture {
        try ReplayFixture.load(contentsOf: folder.appendingPathComponent(file))
    }

    static func errorCodes(_ text: String) -> Set<String> {
        Set(validator.validate(json: text).errors.map(\.code.rawValue))
    }

    /// The assistant texts of the answers a client would accept at the HTTP level, in order.
    static func answers(_ fixture: ReplayFixture) -> [String] {
        fixture.exchanges.map(\.response)
            .filter { (200..<300).contains($0.status) && !$0.stall }
            .compactMap { ProviderAnswer(fixture.provider, body: $0.body)?.text }
    }

    @Test func theFolderCoversEveryScenario() throws {
        let fixtures = try Self.files.map(Self.load)
        #expect(fixtures.count >= 34)
        func count(_ provider: ReplayFixture.Provider) -> Int { fixtures.count { $0.provider == provider } }
        #expect(count(.ollama) >= 6 && count(.anthropic) >= 6 && count(.openai) >= 6)
        func count(_ outcome: ReplayFixture.Outcome) -> Int { fixtures.count { $0.expect?.outcome == outcome } }
        #expect(count(.validFirstTry) >= 6)
        #expect(count(.repairedDeterministically) >= 10)
        #expect(count(.repairedByModel) >= 6)
        #expect(count(.rejected) >= 4)
        #expect(count(.failed) >= 8)
        // Unprefixed requests are matched on the request text, so no two fixtures may share one.
        let texts = fixtures.map { $0.request.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        #expect(Set(texts).count == texts.count)
    }

    @Test func theServerLoadsTheFolder() async throws {
        let server = try ReplayServer(directory: Self.folder)
        #expect(await server.requests().isEmpty)
    }

    @Test(arguments: files)
    func fixtureIsConsistent(file: String) throws {
        let fixture = try Self.load(file)
        #expect(!fixture.description.isEmpty && !fixture.request.isEmpty && !fixture.recorded.isEmpty)
        let expect = try #require(fixture.expect, "\(file) has no expect")
        for exchange in fixture.exchanges {
            #expect(exchange.request.method == "POST")
            #expect(exchange.request.path == fixture.provider.chatPath, "\(file): path does not fit \(fixture.provider)")
        }
        if expect.outcome != .rejected { #expect(expect.codes.isEmpty) }
        if expect.outcome != .failed {
            // Every answer that arrives is in the provider's shape, with its token counts.
            for response in fixture.exchanges.map(\.response) where (200..<300).contains(response.status) {
                let answer = try #require(ProviderAnswer(fixture.provider, body: response.body), "\(file)")
                #expect((answer.promptTokens > 0 || answer.streamed) && answer.completionTokens > 0, "\(file): token counts")
            }
        }
    }

    @Test(arguments: files)
    func answersBearOutTheExpectation(file: String) throws {
        let fixture = try Self.load(file)
        let expect = try #require(fixture.expect)
        let answers = Self.answers(fixture)
        switch expect.outcome {
        case .validFirstTry:
            let first = try #require(answers.first)
            #expect(Self.errorCodes(first).isEmpty, "\(file): \(Self.errorCodes(first))")
        case .repairedDeterministically:
            // An answer with errors Baton mends, or a valid one it completes from the request's words (the loop a
            // request "for each" item asks for): the composer's tests replay each through the whole pipeline.
            let first = try #require(answers.first)
            #expect(!Self.errorCodes(first).isEmpty || fixture.request.lowercased().contains("for each "),
                    "\(file) is valid as it stands, and its request asks for nothing Baton adds")
        case .repairedByModel:
            #expect(answers.count == 2)
            let first = try #require(answers.first)
            let codes = Self.errorCodes(first)
            // A first answer with errors, or a valid draft that leaves out part of its request, which the second
            // round's different answer fills.
            #expect(!codes.contains("json.syntax"), "\(file): first round \(codes)")
            #expect(!codes.isEmpty || answers.last != first, "\(file): a valid first answer, and the same again")
            // Whether the second answer passes (as it stands or after Baton's repairs) is checked by the composer's
            // tests, which replay every fixture through the whole pipeline.
        case .rejected:
            let last = try #require(answers.last)
            if expect.codes.isEmpty {
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(file)")
                #expect(object["error"] as? String == "missing-connector")
                #expect((object["missing"] as? [String])?.isEmpty == false)
                #expect(object["message"] is String)
            } else {
                #expect(Self.errorCodes(last) == Set(expect.codes), "\(file): last round \(Self.errorCodes(last))")
            }
        case .failed:
            #expect(answers.isEmpty, "\(file) has an answer a client would accept")
        }
    }
}
