/// Step ids are well formed, not reserved, and unique across the whole document.
struct StepIdRule: ValidationRule {
    static let reserved: Set<String> = ["input", "trigger", "run", "error", "item", "index"]

    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: [String: String] = [:]
        for step in context.definition.allSteps where !step.id.isEmpty {
            let pointer = step.pointer + "/id"
            if !DocumentReader.isStepId(step.id) {
                diagnostics.append(Diagnostic(
                    .stepIdInvalid, at: pointer,
                    "the step id \"\(step.id)\" must be lower-case letters, digits and '_', starting with a letter (at most 64)",
                    hint: "Rename it to something like \"\(Self.suggestion(for: step.id))\" and update references to it."))
            } else if Self.reserved.contains(step.id) {
                diagnostics.append(Diagnostic(
                    .stepIdReserved, at: pointer, "\"\(step.id)\" is a reserved name and cannot be a step id",
                    hint: "Rename the step, e.g. \"\(step.id)_step\", and update references to it."))
            }
            if let first = seen[step.id] {
                diagnostics.append(Diagnostic(
                    .stepIdDuplicate, at: pointer, "the step id \"\(step.id)\" is already used at \(first)",
                    hint: "Give this step a different, unique id."))
            } else {
                seen[step.id] = step.pointer
            }
        }
        return diagnostics
    }

    static func suggestion(for id: String) -> String {
        var text = String(id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if let first = text.first, !first.isLetter { text = "step_" + text }
        return text.isEmpty ? "step_1" : String(text.prefix(64))
    }
}
