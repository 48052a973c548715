import WorkflowModel

/// Reads a streamed answer piece by piece, as it arrives: OpenAI's and Anthropic's server-sent events (`data:` lines)
/// and Ollama's JSON lines. It keeps the text so far, how many pieces of text came (one token each from llama.cpp
/// and Ollama, a few from hosted APIs) and the token counts the endpoint reports at the end.
struct StreamReader {
    let provider: ModelProvider
    private(set) var text = ""
    /// Pieces of text received: the progress figure, and the completion tokens when the endpoint reports none.
    private(set) var pieces = 0
    /// Lines that held an event of the provider's stream.
    private(set) var events = 0
    private(set) var model: String?
    private(set) var promptTokens: Int?
    private(set) var completionTokens: Int?
    /// An error the stream itself carried.
    private(set) var error: String?
    /// Whether the endpoint said the answer is complete: a finish reason (OpenAI), `message_stop` (Anthropic),
    /// `done` (Ollama). A stream that ends without it was cut off.
    private(set) var finished = false
    private var line: [UInt8] = []

    init(provider: ModelProvider) { self.provider = provider }

    mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                read(line)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
    }

    /// The answer once the body has ended; nil when the body held no event (the endpoint did not stream).
    mutating func finish() throws(ModelError) -> ModelResponse? {
        if !line.isEmpty { read(line) }
        line = []
        if let error { throw ModelError(.badResponse, "the endpoint answered with an error: \(error)") }
        guard events > 0 else { return nil }
        guard finished else {
            throw ModelError(
                .badResponse,
                "the answer stream ended after \(pieces) token(s) without the endpoint saying it was finished, so it was cut off "
                    + "(llama-cpp-python's server cuts a stream off when another request reaches it)")
        }
        return ModelResponse(text: text, model: model, promptTokens: promptTokens, completionTokens: completionTokens ?? pieces)
    }

    private mutating func read(_ bytes: [UInt8]) {
        var payload = Substring(String(decoding: bytes, as: UTF8.self))
        if payload.hasSuffix("\r") { payload.removeLast() }
        if provider != .ollama {
            guard payload.hasPrefix("data:") else { return }
            payload = payload.dropFirst(5).drop { $0 == " " }
            if payload == "[DONE]" { return }
        }
        guard !payload.isEmpty, let event = try? JSONParser.parse(String(payload)) else { return }
        events += 1
        if let error = event["error"] {
            self.error = ModelProvider.errorMessage(error)
            return
        }
        func int(_ value: JSONValue?) -> Int? { value?.numberValue.map { Int($0) } }
        switch provider {
        case .openai:
            model = event["model"]?.stringValue ?? model
            let choice = event["choices"]?.arrayValue?.first
            append(choice?["delta"]?["content"]?.stringValue)
            if let reason = choice?["finish_reason"], reason != .null { finished = true }
            if let usage = event["usage"], usage != .null {
                promptTokens = int(usage["prompt_tokens"]) ?? promptTokens
                completionTokens = int(usage["completion_tokens"]) ?? completionTokens
            }
        case .anthropic:
            switch event["type"]?.stringValue {
            case "message_start":
                model = event["message"]?["model"]?.stringValue
                promptTokens = int(event["message"]?["usage"]?["input_tokens"])
            case "content_block_delta":
                append(event["delta"]?["text"]?.stringValue)
            case "message_delta":
                completionTokens = int(event["usage"]?["output_tokens"]) ?? completionTokens
            case "message_stop":
                finished = true
            default:
                break
            }
        case .ollama:
            model = event["model"]?.stringValue ?? model
            append(event["message"]?["content"]?.stringValue)
            if event["done"]?.boolValue == true {
                finished = true
                promptTokens = int(event["prompt_eval_count"])
                completionTokens = int(event["eval_count"])
            }
        }
    }

    private mutating func append(_ piece: String?) {
        guard let piece, !piece.isEmpty else { return }
        text += piece
        pieces += 1
    }
}
