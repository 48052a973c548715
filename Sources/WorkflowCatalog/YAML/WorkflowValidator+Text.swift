import WorkflowModel

extension WorkflowValidator {
    /// Validates a document given as bytes: YAML when `yaml` is true (with line and column in diagnostics), JSON
    /// otherwise.
    public func validate(bytes: [UInt8], yaml: Bool) -> ValidationResult {
        guard yaml, let text = String(validating: bytes, as: UTF8.self) else { return validate(bytes: bytes) }
        do {
            let parsed = try YAMLDocument.parse(text)
            return validate(document: parsed.value, locations: parsed.locations)
        } catch {
            return ValidationResult(diagnostics: [Diagnostic(
                .yamlSyntax, at: "", "the document is not valid YAML: \(error.message)",
                hint: "Fix the YAML syntax; indentation and ':' after each key matter.", location: error.location)])
        }
    }
}
