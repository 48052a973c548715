import Foundation

/// Decides what the replay server answers: which fixture and exchange a request gets, or an explanation of why
/// there is none. A pure state machine (a request goes in, an answer comes out); the server does the I/O.
struct ReplayBook: Sendable {
    /// What came in, reduced to what routing needs.
    struct Incoming: Sendable, Hashable {
        var method: String
        /// The path without the query.
        var path: String
        var body: String
    }

    /// What to send back.
    enum Answer: Sendable, Hashable {
        /// A recorded response: exchange `index` of `fixture`.
        case replay(fixture: String, index: Int, response: ReplayFixture.RecordedResponse)
        /// A response made up here: a model list or a JSON explanation of a miss.
        case generated(status: Int, body: String)

        var status: Int {
            switch self {
            case .replay(_, _, let response): response.status
            case .generated(let status, _): status
            }
        }
    }

    static let replayPrefix = "/replay/"

    private let fixtures: [String: ReplayFixture]
    private let names: [String]
    /// Per provider, the fixtures' normalized request texts, longest first, so the most specific match wins.
    private let requestTexts: [ReplayFixture.Provider: [(name: String, text: String)]]
    private let models: [ReplayFixture.Provider: [String]]
    /// How many exchanges of each fixture have been served.
    private(set) var served: [String: Int] = [:]

    init(fixtures: [ReplayFixture]) throws(ReplayError) {
        var byName: [String: ReplayFixture] = [:]
        for fixture in fixtures {
            guard byName[fixture.name] == nil else {
                throw ReplayError(.duplicateFixture, "two fixtures are named \"\(fixture.name)\"")
            }
            guard !fixture.exchanges.isEmpty else {
                throw ReplayError(.invalidFixture, "fixture \"\(fixture.name)\" has no exchanges")
            }
            byName[fixture.name] = fixture
        }
        self.fixtures = byName
        names = byName.keys.sorted()
        var texts: [ReplayFixture.Provider: [(name: String, text: String)]] = [:]
        var models: [ReplayFixture.Provider: Set<String>] = [:]
        for name in names {
            let fixture = byName[name]!
            let text = ChatRequestText.normalized(fixture.request)
            if !text.isEmpty { texts[fixture.provider, default: []].append((name, text)) }
            for exchange in fixture.exchanges {
                guard let model = Self.modelName(in: exchange.response) else { continue }
                models[fixture.provider, default: []].insert(model)
            }
        }
        requestTexts = texts.mapValues { $0.sorted { $0.text.count > $1.text.count } }
        self.models = models.mapValues { $0.sorted() }
    }

    mutating func answer(_ incoming: Incoming) -> Answer {
        if incoming.path.hasPrefix(Self.replayPrefix) { return answerPrefixed(incoming) }
        if let list = modelList(incoming.method, incoming.path) { return list }
        guard let provider = ReplayFixture.Provider(chatPath: incoming.path) else {
            return Self.explain(404, [
                "error": "no route for \(incoming.method) \(incoming.path)",
                "routes": ReplayFixture.Provider.allCases.map { "POST \($0.chatPath)" }
                    + ["GET /v1/models", "GET /api/tags", "ANY /replay/<fixture>/<path>"],
            ])
        }
        guard let name = match(incoming.body, provider: provider) else {
            let last = ChatRequestText.userMessages(in: incoming.body).last
            return Self.explain(404, [
                "error": "no recorded exchange for this request",
                "provider": provider.rawValue,
                "lastUserMessage": last.map { String($0.prefix(300)) } ?? NSNull(),
                "hint": last == nil
                    ? "the body has no user message in \"messages\""
                    : "no \(provider.rawValue) fixture's \"request\" text appears in any user message",
                "fixtures": (requestTexts[provider] ?? []).map(\.name).sorted(),
            ])
        }
        return serve(name, incoming, rest: incoming.path)
    }

    /// `/replay/<fixture>/<rest>`: that fixture's exchanges in order, checked against the recorded request line.
    private mutating func answerPrefixed(_ incoming: Incoming) -> Answer {
        let tail = incoming.path.dropFirst(Self.replayPrefix.count)
        let name = String(tail.prefix { $0 != "/" })
        let rest = String(tail.dropFirst(name.count))
        guard fixtures[name] != nil else {
            return Self.explain(404, ["error": "no fixture named \"\(name)\"", "fixtures": names])
        }
        let next = nextExchange(name)
        if !Self.sameRequestLine(next, incoming.method, rest), let list = modelList(incoming.method, rest) {
            return list
        }
        return serve(name, incoming, rest: rest)
    }

    private mutating func serve(_ name: String, _ incoming: Incoming, rest: String) -> Answer {
        let index = min(served[name, default: 0], fixtures[name]!.exchanges.count - 1)
        let exchange = fixtures[name]!.exchanges[index]
        guard Self.sameRequestLine(exchange, incoming.method, rest) else {
            return Self.explain(404, [
                "error": "the request does not match the recorded exchange",
                "fixture": name,
                "exchange": index,
                "expected": ["method": exchange.request.method, "path": exchange.request.path],
                "received": ["method": incoming.method, "path": rest],
            ])
        }
        served[name, default: 0] += 1
        return .replay(fixture: name, index: index, response: exchange.response)
    }

    private func nextExchange(_ name: String) -> ReplayFixture.Exchange {
        let exchanges = fixtures[name]!.exchanges
        return exchanges[min(served[name, default: 0], exchanges.count - 1)]
    }

    /// The fixture of `provider` whose request text appears in the latest user message that mentions any; when
    /// several appear (a revision quotes the document, whose description may repeat the original request), the
    /// one that ends last in the message wins, as the instruction follows what it changes.
    private func match(_ body: String, provider: ReplayFixture.Provider) -> String? {
        let candidates = requestTexts[provider] ?? []
        for message in ChatRequestText.userMessages(in: body).reversed() {
            let text = ChatRequestText.normalized(message)
            let found = candidates.compactMap { candidate in
                text.range(of: candidate.text, options: .backwards).map { (candidate.name, $0.upperBound) }
            }
            if let last = found.max(by: { $0.1 < $1.1 }) { return last.0 }
        }
        return nil
    }

    /// The same method and path, ignoring case in the method, and a query or a trailing slash in the path.
    private static func sameRequestLine(_ exchange: ReplayFixture.Exchange, _ method: String, _ path: String) -> Bool {
        func trimmed(_ path: String) -> Substring {
            let bare = path.prefix { $0 != "?" }
            return bare.count > 1 && bare.hasSuffix("/") ? bare.dropLast() : bare
        }
        return exchange.request.method.uppercased() == method.uppercased()
            && trimmed(exchange.request.path) == trimmed(path)
    }

    /// `GET /v1/models` (OpenAI) and `GET /api/tags` (Ollama) list the models the fixtures' answers name.
    private func modelList(_ method: String, _ path: String) -> Answer? {
        guard method.uppercased() == "GET" else { return nil }
        switch path {
        case "/v1/models":
            let data = (models[.openai] ?? ["replay"]).map {
                ["id": $0, "object": "model", "created": 1_763_683_200, "owned_by": "model-replay"] as [String: Any]
            }
            return Self.explain(200, ["object": "list", "data": data])
        case "/api/tags":
            let list = (models[.ollama] ?? ["replay:latest"]).map {
                ["name": $0, "model": $0, "modified_at": "2026-11-21T00:00:00Z", "size": 0, "digest": "",
                 "details": ["format": "gguf", "family": "replay"]] as [String: Any]
            }
            return Self.explain(200, ["models": list])
        default:
            return nil
        }
    }

    private static func modelName(in response: ReplayFixture.RecordedResponse) -> String? {
        guard (200..<300).contains(response.status), let data = response.body.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["model"] as? String
    }

    private static func explain(_ status: Int, _ object: [String: Any]) -> Answer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .generated(status: status, body: String(decoding: data, as: UTF8.self))
    }
}
