import Foundation
@testable import ModelReplay
import Testing

/// The routing rules, without a network: which exchange each request gets.
@Suite struct ReplayBookTests {
    static func fixture(
        _ name: String, _ provider: ReplayFixture.Provider = .openai, request: String = "",
        statuses: [Int] = [200]
    ) -> ReplayFixture {
        ReplayFixture(
            name: name, description: "test", provider: provider, request: request.isEmpty ? name : request,
            recorded: "test", expect: nil,
            exchanges: statuses.enumerated().map { index, status in
                .init(request: .init(path: provider.chatPath),
                      response: .init(status: status, body: "{\"n\": \(index), \"model\": \"m-\(name)\"}"))
            })
    }

    static func post(_ path: String, _ body: String = "{}") -> ReplayBook.Incoming {
        .init(method: "POST", path: path, body: body)
    }

    static func served(_ answer: ReplayBook.Answer) -> String? {
        if case .replay(let fixture, let index, _) = answer { return "\(fixture)#\(index)" }
        return nil
    }

    @Test func exchangesComeInOrderThenTheLastRepeats() throws {
        var book = try ReplayBook(fixtures: [Self.fixture("a", statuses: [429, 500, 200])])
        let answers = (0..<5).map { _ in book.answer(Self.post("/replay/a/v1/chat/completions")) }
        #expect(answers.map(\.status) == [429, 500, 200, 200, 200])
        #expect(answers.compactMap(Self.served) == ["a#0", "a#1", "a#2", "a#2", "a#2"])
    }

    @Test func aMismatchedRequestLineIsExplainedAndConsumesNothing() throws {
        var book = try ReplayBook(fixtures: [Self.fixture("a", statuses: [500, 200])])
        let wrong = book.answer(Self.post("/replay/a/v1/messages"))
        guard case .generated(404, let body) = wrong else { Issue.record("not a 404: \(wrong)"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["expected"] as? [String: String] == ["method": "POST", "path": "/v1/chat/completions"])
        #expect(object["received"] as? [String: String] == ["method": "POST", "path": "/v1/messages"])
        #expect(book.answer(Self.post("/replay/a/v1/chat/completions")).status == 500)
    }

    @Test func anUnknownFixtureNameIsExplained() throws {
        var book = try ReplayBook(fixtures: [Self.fixture("a")])
        guard case .generated(404, let body) = book.answer(Self.post("/replay/nope/v1/chat/completions")) else {
            Issue.record("not a 404"); return
        }
        #expect(body.contains("no fixture named"))
        #expect(body.contains("\"a\""))
    }

    @Test func theRequestTextPicksTheFixtureIgnoringCaseAndSpacing() throws {
        var book = try ReplayBook(fixtures: [
            Self.fixture("short", request: "Email the customer"),
            Self.fixture("long", request: "Email the customer a receipt after each charge"),
            Self.fixture("other-provider", .ollama, request: "Email the customer a receipt after each charge"),
        ])
        let body = chatBody("openai", user: "Request:\n  EMAIL the   customer a receipt\nafter each charge.\nCatalog: ...")
        #expect(Self.served(book.answer(Self.post("/v1/chat/completions", body))) == "long#0")
        let ollama = chatBody("ollama", user: "email the customer a receipt after each charge")
        #expect(Self.served(book.answer(Self.post("/api/chat", ollama))) == "other-provider#0")
    }

    @Test func aRepairPromptFallsBackToTheEarlierUserMessage() throws {
        var book = try ReplayBook(
            fixtures: [Self.fixture("a", .anthropic, request: "Decode a VIN", statuses: [200, 201])])
        #expect(book.answer(Self.post("/v1/messages", chatBody("anthropic", user: "Decode a VIN"))).status == 200)
        let repair = chatBody("anthropic", user: "Fix these diagnostics: reference.later", earlier: ["Decode a VIN"])
        #expect(book.answer(Self.post("/v1/messages", repair)).status == 201)
    }

    @Test func anUnmatchedChatRequestIsExplained() throws {
        var book = try ReplayBook(fixtures: [Self.fixture("a", request: "something recorded")])
        let answer = book.answer(Self.post("/v1/chat/completions", chatBody("openai", user: "something else")))
        guard case .generated(404, let body) = answer else { Issue.record("not a 404: \(answer)"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["error"] as? String == "no recorded exchange for this request")
        #expect(object["provider"] as? String == "openai")
        #expect(object["lastUserMessage"] as? String == "something else")
    }

    @Test func modelListsNameTheRecordedModels() throws {
        var book = try ReplayBook(fixtures: [Self.fixture("a"), Self.fixture("b", .ollama)])
        guard case .generated(200, let models) = book.answer(.init(method: "GET", path: "/v1/models", body: "")),
              case .generated(200, let tags) = book.answer(.init(method: "GET", path: "/replay/b/api/tags", body: ""))
        else { Issue.record("no model lists"); return }
        #expect(models.contains("m-a") && !models.contains("m-b"))
        #expect(tags.contains("m-b"))
        #expect(book.served.isEmpty)
    }

    @Test func duplicateNamesAndEmptyFixturesAreRefused() {
        #expect(throws: ReplayError.duplicateFixture) {
            try ReplayBook(fixtures: [Self.fixture("a"), Self.fixture("a")])
        }
        var empty = Self.fixture("e")
        empty.exchanges = []
        #expect(throws: ReplayError.invalidFixture) { try ReplayBook(fixtures: [empty]) }
    }

    @Test func aFileWhoseNameDiffersFromItsFixtureIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try JSONEncoder().encode(Self.fixture("inside"))
        try data.write(to: folder.appendingPathComponent("outside.json"))
        #expect(throws: ReplayError.invalidFixture) { try ReplayServer(directory: folder) }
        try Data("{\"name\": 1}".utf8).write(to: folder.appendingPathComponent("outside.json"))
        #expect(throws: ReplayError.invalidFixture) { try ReplayFixture.loadAll(in: folder) }
    }
}
