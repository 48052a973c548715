import Foundation

/// The text of the user turns in a chat request body, for matching requests to fixtures.
enum ChatRequestText {
    /// The user messages' texts, oldest first. OpenAI and Ollama put them in `messages[].content` (a string, or
    /// for OpenAI a list of `{"type":"text","text":...}` parts); Anthropic uses a string or a list of text blocks.
    /// A body that is not such JSON has none.
    static func userMessages(in body: String) -> [String] {
        guard let data = body.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let messages = object["messages"] as? [Any]
        else { return [] }
        return messages.compactMap { entry -> String? in
            guard let message = entry as? [String: Any], message["role"] as? String == "user" else { return nil }
            return text(of: message["content"])
        }
    }

    private static func text(of content: Any?) -> String? {
        if let string = content as? String { return string }
        guard let parts = content as? [Any] else { return nil }
        let texts = parts.compactMap { part -> String? in
            guard let part = part as? [String: Any], part["type"] as? String == "text" else { return nil }
            return part["text"] as? String
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    /// Lower-cased, with every run of whitespace made one space and none at either end.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
