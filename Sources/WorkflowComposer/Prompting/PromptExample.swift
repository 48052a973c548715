import Foundation
import WorkflowModel

/// A worked example for the prompt: an English request and the workflow that answers it.
public struct PromptExample: Sendable, Hashable {
    public var request: String
    public var workflow: JSONValue

    public init(request: String, workflow: JSONValue) {
        self.request = request
        self.workflow = workflow
    }

    /// The workflow as the prompt shows it: compact, written in the order the schema sent holds the model to
    /// (the steps last, a call's operation before its connector), whatever the order in the file, and without
    /// the description the composer fills in.
    var answerText: String {
        var shown = workflow
        if case .object(var members) = shown {
            members["description"] = nil
            shown = .object(members)
        }
        return RequestSchema.inWritingOrder(shown).jsonText
    }

    /// Reads `examples.jsonl`: one `{"request": ..., "workflow": {...}}` per line; blank lines are skipped.
    static func parse(jsonl text: String, file: String) throws(PromptError) -> [PromptExample] {
        var examples: [PromptExample] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let value = try? JSONParser.parse(trimmed), let request = value["request"]?.stringValue,
                let workflow = value["workflow"], workflow.objectValue != nil
            else {
                throw PromptError(description: "\(file):\(number + 1): not a {\"request\": ..., \"workflow\": {...}} line")
            }
            examples.append(PromptExample(request: request, workflow: workflow))
        }
        return examples
    }

    /// The examples to show for `request`: the one that shares the most with it, and a second when it shows
    /// something the request asks for that the first does not. What is shared is, first, the shapes the request
    /// asks for (a loop, an approval, parallel work ...), then the operations retrieval ranked first for it
    /// (`operations`, best first; a small model copies an example's calls, asked to post in #sales after an
    /// example that emails), then its words.
    static func chosen(
        for request: String, from examples: [PromptExample], operations: [OperationIndex.Match] = [], limit: Int = 2
    ) -> [PromptExample] {
        let wanted = Shape.detect(in: request)
        let words = Set(SearchTerms.terms(request))
        let best = Set(operations.filter { $0.score > 0 }.prefix(Self.bestOperations).map(\.name))
        let scored = examples.enumerated().map { index, example -> (index: Int, shapes: Set<Shape>, score: Double) in
            let shapes = Shape.detect(in: example.request)
            let shared = Double(wanted.intersection(shapes).count)
            let extra = Double(shapes.subtracting(wanted).count)
            let calls = Double(best.intersection(Composer.calledOperations(in: example.workflow)).count)
            let overlap = Double(words.intersection(SearchTerms.terms(example.request)).count)
            return (index, shapes, shared * 3 + calls * 1.5 + overlap * 0.5 - extra * 0.5)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        guard let first = scored.first else { return [] }
        var chosen = [first]
        let uncovered = wanted.subtracting(first.shapes)
        if limit > 1, let second = scored.dropFirst().first(where: { !$0.shapes.intersection(uncovered).isEmpty }) {
            chosen.append(second)
        }
        return chosen.map { examples[$0.index] }
    }

    /// How many of retrieval's best operations an example's calls are compared with.
    static let bestOperations = 3

    /// The structures a request can ask for, recognised by the words people use for them.
    enum Shape: String, CaseIterable, Sendable {
        case schedule, event, webhook, loop, approval, callback, timer, parallel, routing, condition, undo, retry, transform, failure

        static func detect(in request: String) -> Set<Shape> {
            let text = " " + request.lowercased() + " "
            var shapes: Set<Shape> = []
            for shape in allCases where shape.cues.contains(where: { text.contains($0) }) { shapes.insert(shape) }
            return shapes
        }

        var cues: [String] {
            switch self {
            case .schedule: [" every ", "nightly", "daily", "weekly", "hourly", "monthly", " each morning", " at 2am", " am ", " pm ", " cron"]
            case .event: [" when ", "whenever", " once a ", " after a "]
            case .webhook: ["webhook"]
            case .loop: ["for each", " each ", " every customer", " all the ", "at a time", " in the list", " list of "]
            case .approval: ["approv", "sign off", "sign-off"]
            case .callback: ["call back", "callback", "confirm", "acknowledg", "respond", "reply"]
            case .timer: [" wait ", " later", " after ", " minutes", " hours", " days", " delay"]
            case .parallel: ["at the same time", "in parallel", "simultaneous", "concurrently", " meanwhile"]
            case .routing: [" route", " by tier", " depending on", " by severity", " by status", "otherwise"]
            case .condition: [" if ", " unless ", " only when", " whether "]
            case .undo: [" undo", "roll back", "rollback", " cancel ", "compensat", " release ", " if any ", " fails"]
            case .retry: ["retry", "retrying", "try again", " attempts"]
            case .transform: ["summary", "summarise", "summarize", " build ", " combine", " as one object", " format "]
            case .failure: [" stop ", " abort", " fail the", " with an error"]
            }
        }
    }
}
