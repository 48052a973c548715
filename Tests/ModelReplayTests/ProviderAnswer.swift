import Foundation
import ModelReplay

/// What a 2xx body says in the provider's documented shape: the assistant's text and the token counts.
struct ProviderAnswer {
    var text: String
    var promptTokens: Int
    var completionTokens: Int

    /// Reads `body` as `provider`'s chat response; nil when it is not one (not JSON, an error object, no text).
    init?(_ provider: ReplayFixture.Provider, body: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            return nil
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
}
