/// A document the validator accepted, with the definition read from it. Only the validator makes one, so a value of
/// this type is proof that its document was checked: it is what the store saves.
public struct ValidatedWorkflow: Sendable {
    public let document: JSONValue
    public let definition: WorkflowDefinition

    init(document: JSONValue, definition: WorkflowDefinition) {
        self.document = document
        self.definition = definition
    }

    public var name: String { definition.name }
    public var description: String? { definition.description }
    /// The document as it is stored: pretty-printed JSON.
    public var text: String { document.prettyJSON() }
}

extension ValidationResult {
    /// The checked document, when it has no error.
    public var validated: ValidatedWorkflow? {
        guard let definition, let document else { return nil }
        return ValidatedWorkflow(document: document, definition: definition)
    }
}
