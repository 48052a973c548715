import Foundation
import ModelReplay

/// What a 2xx body says in the provider's documented shape: the assistant's text and the token counts.
struct ProviderAnswer {
    var text: String
    var promptTokens: Int
    var completionTokens: Int
    /// Whether the body is a stream of server-sent events; such a stream may carry no token counts.
    var streamed = false

    private init(text: String, promptTokens: Int, completionTokens: Int, streamed: Bool) {
        (self.text, self.promptTokens, self.completionTokens, self.streamed) = (text, promptTokens, completionTokens, streamed)
    }

    /// Reads `body` as `provider`'s chat response; nil when it is not one (not JSON, an error object, no text).
    init?(_ provider: ReplayFixture.Provider, body: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            guard provider == .openai, let streamed = Self.openAIStream(body) else { return nil }
            self = streamed
            return
        }
        switch provider {
        case .openai:
            guard let choices = object["choices"] as? [[String: Any]],
                  let message = choices.first?["message"] as? [String: Any],
                  message["role"] as? String == "assistant",
                  let content = message["content"] as? String,
                  let usage = object["usage"] as? [String: Any]
            else { return nil }
            text = content
            promptTokens = usage["prompt_tokens"] as? Int ?? 0
            completionTokens = usage["completion_tokens"] as? Int ?? 0
        case .ollama:
            guard let message = object["message"] as? [String: Any],
                  message["role"] as? String == "assistant",
                  let content = message["content"] as? String,
                  object["done"] as? Bool == true,
                  object["model"] is String, object["created_at"] is String
            else { return nil }
            text = content
            promptTokens = object["prompt_eval_count"] as? Int ?? 0
            completionTokens = object["eval_count"] as? Int ?? 0
        case .anthropic:
            guard object["type"] as? String == "message", object["role"] as? String == "assistant",
                  let blocks = object["content"] as? [[String: Any]],
                  let usage = object["usage"] as? [String: Any],
                  object["stop_reason"] is String, object["model"] is String
            else { return nil }
            text = blocks.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
            promptTokens = usage["input_tokens"] as? Int ?? 0
            completionTokens = usage["output_tokens"] as? Int ?? 0
        }
        if text.isEmpty { return nil }
    }

    /// An OpenAI-compatible stream: the `data:` events' deltas joined, and the usage event's counts when there is one.
    private static func openAIStream(_ body: String) -> ProviderAnswer? {
        var text = ""
        var pieces = 0
        var usage: [String: Any]?
        for line in body.split(separator: "\n") where line.hasPrefix("data: ") && line != "data: [DONE]" {
            guard let event = (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) as? [String: Any],
                  event["object"] as? String == "chat.completion.chunk"
            else { return nil }
            usage = event["usage"] as? [String: Any] ?? usage
            let delta = ((event["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
            if let delta, !delta.isEmpty {
                text += delta
                pieces += 1
            }
        }
        guard !text.isEmpty else { return nil }
        return ProviderAnswer(
            text: text, promptTokens: usage?["prompt_tokens"] as? Int ?? 0, completionTokens: usage?["completion_tokens"] as? Int ?? pieces,
            streamed: true)
    }
}
