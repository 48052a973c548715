import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPClients
import ModelReplay
import Synchronization
import Testing
import WorkflowComposer
import WorkflowModel

/// Streamed answers over the real transport from a loopback server: each provider's stream format read into the
/// same text and token counts, progress told as the pieces come, and a stream that stops after it began given up
/// at the stall timeout (but not one that is slow to begin).
@Suite struct StreamedAnswerTests {
    static let pieces = ["{\"greeting\"", ": \"h", "é", "llo\"", "}"]
    static let text = pieces.joined()

    /// The stream each provider sends for `pieces`, as the lines a server writes.
    static func stream(_ provider: ModelProvider) -> [String] {
        func json(_ value: JSONValue) -> String { value.jsonText }
        switch provider {
        case .openai:
            let deltas = pieces.map {
                "data: " + json(.object(JSONObject([
                    ("model", "qwen"), ("choices", .array([.object(JSONObject([("index", 0), ("delta", .object(JSONObject([("content", .string($0))])))]))])),
                ]))) + "\n\n"
            }
            return ["data: {\"model\":\"qwen\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"] + deltas + [
                "data: {\"model\":\"qwen\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: {\"model\":\"qwen\",\"choices\":[],\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":5}}\n\n",
                "data: [DONE]\n\n",
            ]
        case .anthropic:
            let deltas = pieces.map {
                "event: content_block_delta\ndata: "
                    + json(.object(JSONObject([("type", "content_block_delta"), ("index", 0), ("delta", .object(JSONObject([("type", "text_delta"), ("text", .string($0))])))])))
                    + "\n\n"
            }
            return [
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":812,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            ] + deltas + [
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":5}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            ]
        case .ollama:
            return pieces.map {
                json(.object(JSONObject([("model", "qwen"), ("message", .object(JSONObject([("role", "assistant"), ("content", .string($0))]))), ("done", false)]))) + "\n"
            } + ["{\"model\":\"qwen\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"prompt_eval_count\":812,\"eval_count\":5}\n"]
        }
    }

    static func model(_ url: URL, _ provider: ModelProvider, timeout: TimeInterval = 60, stall: TimeInterval = 60) -> HTTPLanguageModel {
        HTTPLanguageModel(
            provider: provider, baseURL: url, settings: ModelSettings(model: "m", stallTimeout: stall), apiKey: "k",
            transport: HTTPModelTransport(timeout: timeout), maxRetries: 0)
    }

    static let contentType: [ModelProvider: String] = [
        .openai: "text/event-stream", .anthropic: "text/event-stream", .ollama: "application/x-ndjson",
    ]

    @Test(arguments: ModelProvider.allCases)
    func eachProvidersStreamGivesTheTextTheCountsAndProgress(provider: ModelProvider) async throws {
        let server = ScriptedServer(answer: .pieces(
            status: 200, headers: ["content-type": Self.contentType[provider]!], pieces: Self.stream(provider), interval: .milliseconds(20)))
        let seen = Mutex<[Int]>([])
        let request = ModelRequest(messages: [.init(role: "user", content: "Greet.")], onTokens: { count in seen.withLock { $0.append(count) } })
        let answer = try await Self.model(try await server.start(), provider).complete(request)
        #expect(answer.text == Self.text)
        #expect(answer.promptTokens == 812)
        #expect(answer.completionTokens == 5)
        #expect(seen.withLock { $0 } == [1, 2, 3, 4, 5])
        // The request asked for a stream.
        let body = try #require(await server.requests().first?.body)
        #expect(try JSONParser.parse(body)["stream"] == true)
        await server.stop()
    }

    @Test func withoutUsageTheCompletionTokensAreThePiecesCounted() async throws {
        let lines = Self.stream(.openai).filter { !$0.contains("usage") }
        let server = ScriptedServer(answer: .pieces(status: 200, headers: ["content-type": "text/event-stream"], pieces: lines, interval: .zero))
        let answer = try await Self.model(try await server.start(), .openai).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        #expect(answer.text == Self.text)
        #expect(answer.promptTokens == nil)
        #expect(answer.completionTokens == 5)
        await server.stop()
    }

    @Test func aStreamThatStopsAfterItBeganIsGivenUpAtTheStallTimeout() async throws {
        let begun = Array(Self.stream(.openai).prefix(3))
        let server = ScriptedServer(answer: .pieces(
            status: 200, headers: ["content-type": "text/event-stream"], pieces: begun, interval: .milliseconds(10), stall: true))
        let started = ContinuousClock.now
        let error = await #expect(throws: ModelError.self) {
            try await Self.model(try await server.start(), .openai, timeout: 600, stall: 1).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        }
        #expect(error?.code == .timeout)
        #expect(error?.description.contains("stopped coming: nothing for 1 s") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("BATON_LLM_STALL_TIMEOUT") == true)
        // The stall, not the ten-minute timeout, ended it (alone it takes about a second; in a full suite on two
        // busy cores the watchdog may wait long for a thread).
        #expect(ContinuousClock.now - started < .seconds(300))
        await server.stop()
    }

    @Test func anAnswerThatFallsIntoALoopIsStoppedAndReadUpToIt() async throws {
        // A model writing the same step over and over, then nothing more while the connection stays open: without
        // the stop it would run to the stall timeout (or, on a real server, to max_tokens).
        let head = #"{"format":1,"name":"reminders","steps":["#
        let step = #"{"id":"remind","kind":"call","connector":"sms","operation":"sendSms","body":{"text":"Tomorrow."}},"#
        func delta(_ text: String) -> String {
            "data: " + JSONValue.object(JSONObject([
                ("model", "qwen"), ("choices", .array([.object(JSONObject([("index", 0), ("delta", .object(JSONObject([("content", .string(text))])))]))])),
            ])).jsonText + "\n\n"
        }
        let lines = [delta(head)] + Array(repeating: delta(step), count: 400)
        let server = ScriptedServer(answer: .pieces(
            status: 200, headers: ["content-type": "text/event-stream"], pieces: lines, interval: .milliseconds(1), stall: true))
        let answer = try await Self.model(try await server.start(), .openai, timeout: 600, stall: 600).complete(
            ModelRequest(messages: [.init(role: "user", content: "Remind them.")]))
        #expect(answer.text == head + step)
        #expect(answer.cutOff?.contains("repeat itself") == true)
        // Stopped soon after the loop showed, long before the server's 401 pieces.
        #expect((answer.completionTokens ?? 0) > 3 && (answer.completionTokens ?? 0) < 100, "\(answer.completionTokens ?? 0)")
        await server.stop()
    }

    @Test func aStreamSlowToBeginIsNotStalled() async throws {
        // The model reads its prompt before the first token: 4 s of nothing against a 3 s stall timeout.
        let server = ScriptedServer(answer: .pieces(
            status: 200, headers: ["content-type": "text/event-stream"], pieces: Self.stream(.openai), start: .milliseconds(4000),
            interval: .milliseconds(20)))
        let answer = try await Self.model(try await server.start(), .openai, stall: 3).complete(
            ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        #expect(answer.text == Self.text)
        await server.stop()
    }

    @Test func anErrorInsideTheStreamIsReported() async throws {
        let lines = Array(Self.stream(.openai).prefix(2)) + ["data: {\"error\":{\"message\":\"the server ran out of memory\"}}\n\n"]
        let server = ScriptedServer(answer: .pieces(status: 200, headers: ["content-type": "text/event-stream"], pieces: lines, interval: .zero))
        let error = await #expect(throws: ModelError.self) {
            try await Self.model(try await server.start(), .openai).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        }
        #expect(error?.code == .badResponse)
        #expect(error?.description.contains("the server ran out of memory") == true)
        await server.stop()
    }

    /// llama-cpp-python's server ends a stream with `[DONE]` and no finish reason when another request cuts it off.
    @Test(arguments: ModelProvider.allCases)
    func aStreamThatEndsWithoutSayingItIsFinishedIsCutOff(provider: ModelProvider) async throws {
        let lines = Self.stream(provider).filter {
            !$0.contains("finish_reason") && !$0.contains("message_stop") && !$0.contains("\"done\":true")
        }
        let server = ScriptedServer(answer: .pieces(
            status: 200, headers: ["content-type": Self.contentType[provider]!], pieces: lines, interval: .zero))
        let error = await #expect(throws: ModelError.self) {
            try await Self.model(try await server.start(), provider).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        }
        #expect(error?.code == .badResponse)
        #expect(error?.description.contains("ended after 5 token(s) without the endpoint saying it was finished") == true, "\(error?.description ?? "")")
        await server.stop()
    }

    @Test func aServerThatIgnoresTheRequestToStreamIsReadWhole() async throws {
        let body = #"{"model":"qwen","choices":[{"message":{"role":"assistant","content":"{\"a\":1}"}}],"usage":{"prompt_tokens":9,"completion_tokens":4}}"#
        let server = ScriptedServer(answer: .reply(status: 200, headers: ["content-type": "application/json"], body: body))
        let answer = try await Self.model(try await server.start(), .openai).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
        #expect(answer.text == #"{"a":1}"#)
        #expect(answer.completionTokens == 4)
        await server.stop()
    }

    @Test func piecesSplitAnywhereReadTheSame() async throws {
        // Every line cut into single characters by the server, then into three-byte slices (cutting "é" in two)
        // by a transport, as networks may deliver them.
        for provider in ModelProvider.allCases {
            let whole = Self.stream(provider).joined()
            let server = ScriptedServer(answer: .pieces(
                status: 200, headers: ["content-type": Self.contentType[provider]!], pieces: whole.map(String.init), interval: .zero))
            let answer = try await Self.model(try await server.start(), provider).complete(ModelRequest(messages: [.init(role: "user", content: "Greet.")]))
            #expect(answer.text == Self.text, "\(provider)")
            await server.stop()

            let seen = Mutex<[Int]>([])
            let sliced = HTTPLanguageModel(
                provider: provider, baseURL: URL(string: "http://127.0.0.1:1")!, settings: ModelSettings(model: "m"), apiKey: nil,
                transport: SlicingTransport(body: Data(whole.utf8), slice: 3), maxRetries: 0)
            let request = ModelRequest(messages: [.init(role: "user", content: "Greet.")], onTokens: { count in seen.withLock { $0.append(count) } })
            #expect(try await sliced.complete(request).text == Self.text, "\(provider)")
            #expect(seen.withLock { $0.last } == 5)
        }
    }
}

/// Hands a fixed body to the reader in slices of `slice` bytes.
private struct SlicingTransport: HTTPTransport {
    var body: Data
    var slice: Int

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        (body, HTTPURLResponse(url: request.url!, statusCode: 200, httpVersion: "HTTP/1.1", headerFields: [:])!)
    }

    func stream(
        _ request: URLRequest, stallTimeout: TimeInterval, receive: @escaping @Sendable (Data) -> Bool
    ) async throws -> (Data, HTTPURLResponse) {
        for start in stride(from: 0, to: body.count, by: slice) { _ = receive(body.subdata(in: start..<min(start + slice, body.count))) }
        return try await send(request)
    }
}
