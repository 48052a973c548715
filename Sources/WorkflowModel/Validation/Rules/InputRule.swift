/// Input names are unique and defaults match their declared types.
struct InputRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        for input in context.definition.inputs {
            if !input.name.isEmpty, !seen.insert(input.name).inserted {
                diagnostics.append(Diagnostic(
                    .inputDuplicate, at: input.pointer + "/name", "the input \"\(input.name)\" is declared twice",
                    hint: "Remove the second declaration of \"\(input.name)\" or rename it."))
            }
            if let value = input.defaultValue, !input.type.accepts(value) {
                diagnostics.append(Diagnostic(
                    .inputDefaultType, at: input.pointer + "/default",
                    "the default of \"\(input.name)\" is \(article(value.typeName)) \(value.typeName), but the input is declared \(input.type.rawValue)",
                    hint: "Give \"default\" \(article(input.type.rawValue)) \(input.type.rawValue) value, or change \"type\"."))
            }
        }
        return diagnostics
    }
}
