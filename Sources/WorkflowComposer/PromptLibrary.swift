import Foundation
import WorkflowModel

/// The prompt texts, read from the `prompts/` folder at run time so they can be changed without a rebuild.
///
/// `{{name}}` placeholders are filled when a prompt is used.
public struct PromptLibrary: Sendable {
    public var compose: String
    public var request: String
    public var repair: String
    /// A repair round that asks for one step only (see `StepFocus`).
    public var repairStep: String
    /// A round that names what a valid draft leaves out and asks for the whole document again (see `RequestCoverage`).
    public var complete: String
    /// A round that asks for one step a valid draft lacks, to add after its last.
    public var completeStep: String
    /// A round that asks for the test of a condition a valid draft leaves out (see `ConditionSteps`).
    public var condition: String
    public var revise: String
    public var example: String
    /// The document's JSON Schema, given to the model in the prompt and to structured output.
    public var schema: JSONValue
    /// The short system prompt used when the endpoint enforces the schema: a field guide instead of the schema.
    public var compact: String
    /// The user message that goes with `compact`: the retrieved catalog, worked examples, the request last.
    public var grounded: String
    /// Worked examples, of which the ones nearest the request are shown with `compact`.
    public var examples: [PromptExample]

    public static let fileNames = [
        "compose.md", "request.md", "repair.md", "revise.md", "example.json", "workflow.schema.json", "compact.md",
        "grounded.md", "examples.jsonl", "repair-step.md", "complete.md", "complete-step.md",
        "condition.md",
    ]

    public init(
        compose: String, request: String, repair: String, revise: String, example: String, schema: JSONValue,
        compact: String = "", grounded: String = "{{catalog}}\n\n{{examples}}\n{{missing}}{{request}}", examples: [PromptExample] = [],
        repairStep: String = "{{catalog}}\n{{before}}\n{{step}}\n{{diagnostics}}",
        complete: String = "{{request}}\n{{catalog}}\n{{gaps}}\n{{answer}}",
        completeStep: String = "{{request}}\n{{catalog}}\n{{gap}}\n{{before}}",
        condition: String = "{{request}}\n{{clause}}\n{{before}}\n{{guarded}}"
    ) {
        self.condition = condition
        self.completeStep = completeStep
        self.repairStep = repairStep
        self.complete = complete
        self.compose = compose
        self.request = request
        self.repair = repair
        self.revise = revise
        self.example = example
        self.schema = schema
        self.compact = compact
        self.grounded = grounded
        self.examples = examples
    }

    /// Reads every prompt file from `directory`; a missing or unreadable file is an error naming it.
    public init(directory: URL) throws {
        func read(_ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw PromptError(description: "cannot read the prompt file \(url.path)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        let schemaText = try read("workflow.schema.json")
        let schema: JSONValue
        do {
            schema = try JSONParser.parse(schemaText)
        } catch {
            throw PromptError(description: "\(directory.path)/workflow.schema.json is not JSON: \(error)")
        }
        let examples = try PromptExample.parse(jsonl: try read("examples.jsonl"), file: directory.appendingPathComponent("examples.jsonl").path)
        self.init(
            compose: try read("compose.md"), request: try read("request.md"), repair: try read("repair.md"),
            revise: try read("revise.md"), example: try read("example.json"), schema: schema, compact: try read("compact.md"),
            grounded: try read("grounded.md"), examples: examples, repairStep: try read("repair-step.md"),
            complete: try read("complete.md"), completeStep: try read("complete-step.md"),
            condition: try read("condition.md"))
    }

    /// `template` with every `{{key}}` replaced by its value.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var text = template
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return text
    }
}

public struct PromptError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
