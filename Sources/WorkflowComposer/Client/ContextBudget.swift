import WorkflowModel

/// How many tokens the model's context holds, and how a request is fitted into it: the prompt is estimated
/// before it is sent (and the estimate corrected by the endpoint's own counts once it has answered), the answer
/// gets what is left up to `answerTokens`, and a prompt that leaves less than `minimumAnswerTokens` is not sent.
public struct ContextBudget: Sendable, Hashable {
    public var contextTokens: Int
    /// The configured `max_tokens`.
    public var answerTokens: Int
    /// The least room an answer needs: a workflow document of a dozen steps.
    public var minimumAnswerTokens: Int

    public init(contextTokens: Int, answerTokens: Int, minimumAnswerTokens: Int = 1024) {
        self.contextTokens = contextTokens
        self.answerTokens = answerTokens
        self.minimumAnswerTokens = min(minimumAnswerTokens, answerTokens)
    }

    /// A deliberately high estimate of the prompt's tokens: three bytes a token (English runs nearer four, JSON
    /// nearer three) and a few for each message's framing.
    public static func estimate(_ messages: [CompositionRecord.Message]) -> Int {
        messages.reduce(8) { $0 + 6 + ($1.content.utf8.count + 2) / 3 }
    }

    /// What to ask for: the answer's token limit, or why the prompt does not fit.
    public func fit(promptTokens: Int) -> Result<Int, ContextOverflow> {
        let room = contextTokens - promptTokens
        guard room >= minimumAnswerTokens else {
            return .failure(ContextOverflow(promptTokens: promptTokens, completionTokens: minimumAnswerTokens, contextTokens: contextTokens))
        }
        return .success(min(answerTokens, room))
    }
}

/// A request that cannot fit the model's context, with the numbers.
public struct ContextOverflow: Error, Sendable, Hashable, CustomStringConvertible {
    public var promptTokens: Int
    public var completionTokens: Int
    public var contextTokens: Int

    public var description: String {
        "does not fit: \(promptTokens) prompt + \(completionTokens) completion > \(contextTokens) context tokens "
            + "(the prompt is estimated; raise llm.context if the model's context is larger)"
    }
}
